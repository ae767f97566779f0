export { epsgDefinition, epsgFromEsriName, NAD27_NOTE, type CrsDefinition } from './definitions';
export { resolveCrs, type Crs, type CrsArea } from './resolve';
export { AREA_MARGIN_KM, fromWgs84, kmFromCrsArea, reprojectGeometry, toWgs84, type ToWgs84 } from './to-wgs84';
