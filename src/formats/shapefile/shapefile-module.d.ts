// Minimal types for mbostock's `shapefile` (no @types package).
declare module 'shapefile' {
  import type { Geometry } from 'geojson';
  interface Source<T> {
    bbox?: number[];
    read(): Promise<{ done: boolean; value: T }>;
    cancel(): Promise<void>;
  }
  /** A buffer, or a Node stream read as it goes (stream-source: pulls only what each record needs). */
  export function openShp(shp: Uint8Array | ArrayBuffer | NodeJS.ReadableStream): Promise<Source<Geometry | null>>;
}
