export { epsgDefinition, epsgFromEsriName, NAD27_NOTE, type CrsDefinition } from './definitions';
export { resolveCrs, type Crs } from './resolve';
export { fromWgs84, reprojectGeometry, toWgs84, type ToWgs84 } from './to-wgs84';
