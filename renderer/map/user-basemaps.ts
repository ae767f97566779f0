import type { LayerSpecification, SourceSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { BasemapInfo } from '../../src/api/contract';

const PREFIX = 'user-basemap-';
/** Muted colours for the vector layers of a user basemap, in order. */
const PALETTE = ['#8d6e63', '#5c8a5c', '#6b7fa8', '#a0785a', '#7d6b9a', '#5f9ea0', '#9a8c4f', '#a86b7b'];

export const userSourceId = (id: string) => `${PREFIX}${id}`;

/**
 * Source and layers for one user basemap: a raster layer for PNG/JPEG/WebP tiles; for vector
 * tiles, a fill + outline, a line and a circle layer per vector layer (filtered by geometry type,
 * since the file's metadata does not always say which it holds). `origin` makes the tile URL
 * absolute (MapLibre fetches from a worker).
 */
export function userBasemapStyle(b: BasemapInfo, origin: string): { source: SourceSpecification; layers: LayerSpecification[] } | null {
  if (!b.tiles || !b.format) return null;
  const src = userSourceId(b.id);
  const common = {
    tiles: [`${origin}${b.tiles}`],
    minzoom: b.minzoom,
    maxzoom: b.maxzoom,
    ...(b.bounds ? { bounds: b.bounds } : {}),
    ...(b.attribution ? { attribution: b.attribution } : {}),
  };
  if (b.format !== 'pbf') {
    return { source: { type: 'raster', tileSize: 256, ...common }, layers: [{ id: `${src}-raster`, type: 'raster', source: src }] };
  }
  const layers: LayerSpecification[] = [];
  b.vectorLayers.forEach((layer, i) => {
    const color = PALETTE[i % PALETTE.length];
    const base = { source: src, 'source-layer': layer };
    layers.push(
      { id: `${src}-${i}-fill`, type: 'fill', ...base, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': color, 'fill-opacity': 0.3 } },
      { id: `${src}-${i}-outline`, type: 'line', ...base, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'line-color': color, 'line-width': 0.6 } },
      { id: `${src}-${i}-line`, type: 'line', ...base, filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': color, 'line-width': 1.2 } },
      { id: `${src}-${i}-circle`, type: 'circle', ...base, filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-color': color, 'circle-radius': 3, 'circle-stroke-color': '#fff', 'circle-stroke-width': 0.5 } },
    );
  });
  return { source: { type: 'vector', ...common }, layers };
}

/** Makes the map's user basemaps exactly `list` (in order, under `before`). */
export function syncUserBasemaps(map: MapLibreMap, list: readonly BasemapInfo[], origin: string, before?: string): void {
  const wanted = new Set(list.map((b) => userSourceId(b.id)));
  for (const layer of map.getStyle().layers ?? []) {
    if ('source' in layer && typeof layer.source === 'string' && layer.source.startsWith(PREFIX) && !wanted.has(layer.source)) map.removeLayer(layer.id);
  }
  for (const id of Object.keys(map.getStyle().sources ?? {})) if (id.startsWith(PREFIX) && !wanted.has(id)) map.removeSource(id);
  for (const b of list) {
    if (map.getSource(userSourceId(b.id))) continue;
    const style = userBasemapStyle(b, origin);
    if (!style) continue;
    map.addSource(userSourceId(b.id), style.source);
    const at = before && map.getLayer(before) ? before : undefined;
    for (const l of style.layers) map.addLayer(l, at);
  }
}
