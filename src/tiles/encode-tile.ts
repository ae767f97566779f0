import type { GeoJSONVTFeature } from '@maplibre/geojson-vt';
import { fromVectorTileJs, GeoJSONWrapper } from '@maplibre/vt-pbf';

/** Mapbox Vector Tile specification version written into every layer. */
export const MVT_VERSION = 2;

/**
 * Encode layers of tile-space features (geojson-vt's form: integer coordinates, `tags` for
 * properties; null properties are left out) as one uncompressed MVT 2.1 protobuf.
 * Empty layers are omitted; null when every layer is empty.
 */
export function encodeTile(layers: Record<string, GeoJSONVTFeature[]>, extent: number): Buffer | null {
  const wrapped: Record<string, GeoJSONWrapper> = {};
  let any = false;
  for (const [name, features] of Object.entries(layers)) {
    if (!features.length) continue;
    const layer = new GeoJSONWrapper(features, { version: MVT_VERSION, extent });
    layer.name = name;
    wrapped[name] = layer;
    any = true;
  }
  if (!any) return null;
  const bytes = fromVectorTileJs({ layers: wrapped });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
