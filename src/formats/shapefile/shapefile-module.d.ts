// Minimal types for mbostock's `shapefile` (no @types package).
declare module 'shapefile' {
  import type { Geometry } from 'geojson';
  interface Source<T> {
    bbox?: number[];
    read(): Promise<{ done: boolean; value: T }>;
    cancel(): Promise<void>;
  }
  export function openShp(shp: Uint8Array | ArrayBuffer): Promise<Source<Geometry | null>>;
}
