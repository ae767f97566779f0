// @terraformer/wkt 2.x ships no type declarations (and there is no @types package for it).
declare module '@terraformer/wkt' {
  import type { Geometry, GeometryCollection } from 'geojson';
  /** Parse WKT (upper-case keywords) into GeoJSON; throws Error("Unable to parse: ...") on bad input. */
  export function wktToGeoJSON(wkt: string): Geometry | GeometryCollection;
  /** Format a GeoJSON geometry as WKT; numbers are written with String(n). */
  export function geojsonToWKT(geometry: Geometry): string;
}
