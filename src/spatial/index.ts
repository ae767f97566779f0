export * from './within-area';
export * from './within-distance';
export * from './nearest';
export * from './features';
export * from './bbox';
export { PreparedArea } from './prepared-area';
export { haversineKm, boxesAround, EARTH_RADIUS_KM } from './distance';
