export { epsgDefinition, epsgFromEsriName, NAD27_NOTE, type CrsDefinition } from './definitions';
export { resolveCrs, type Crs } from './resolve';
export { reprojectGeometry, toWgs84, type ToWgs84 } from './to-wgs84';
