import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';

/**
 * A small GeoJSON layer that a panel puts on the map (coverage gaps, conflict versions,
 * candidate sites …): the core computes it, the panel hands it to MapView, MapView draws it
 * above the project's layers. Not for big data: the project's own layers come from vector tiles.
 */
export interface MapOverlay {
  /** Unique, stable id (source `overlay-<id>`, layers `overlay-<id>-fill|line|circle`). */
  id: string;
  data: GeoJSON.FeatureCollection;
  /** CSS colour of polygon fills, lines/outlines and points. */
  color: string;
  /** Fill opacity of polygons (0..1); 0 draws outlines only. */
  fillOpacity?: number;
  /** Dashed outlines (e.g. "theirs" versus "ours"). */
  dashed?: boolean;
}

const PREFIX = 'overlay-';
const sourceId = (id: string) => `${PREFIX}${id}`;
export const overlayLayerIds = (id: string) => ({ fill: `${PREFIX}${id}-fill`, line: `${PREFIX}${id}-line`, circle: `${PREFIX}${id}-circle` });

/** Makes the map's overlays exactly `overlays` (adds, updates data, removes the ones gone). */
export function syncOverlays(map: MapLibreMap, overlays: readonly MapOverlay[], before?: string): void {
  const wanted = new Set(overlays.map((o) => sourceId(o.id)));
  for (const layer of map.getStyle().layers ?? []) {
    if ('source' in layer && typeof layer.source === 'string' && layer.source.startsWith(PREFIX) && !wanted.has(layer.source)) map.removeLayer(layer.id);
  }
  for (const id of Object.keys(map.getStyle().sources ?? {})) if (id.startsWith(PREFIX) && !wanted.has(id)) map.removeSource(id);

  for (const o of overlays) {
    const src = map.getSource(sourceId(o.id)) as GeoJSONSource | undefined;
    const ids = overlayLayerIds(o.id);
    if (src) src.setData(o.data);
    else {
      map.addSource(sourceId(o.id), { type: 'geojson', data: o.data });
      const at = before && map.getLayer(before) ? before : undefined;
      map.addLayer({ id: ids.fill, type: 'fill', source: sourceId(o.id), filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': o.color, 'fill-opacity': o.fillOpacity ?? 0.25 } }, at);
      map.addLayer(
        {
          id: ids.line,
          type: 'line',
          source: sourceId(o.id),
          filter: ['in', ['geometry-type'], ['literal', ['Polygon', 'LineString']]],
          paint: { 'line-color': o.color, 'line-width': 2, ...(o.dashed ? { 'line-dasharray': [3, 2] } : {}) },
        },
        at,
      );
      map.addLayer(
        { id: ids.circle, type: 'circle', source: sourceId(o.id), filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 6, 'circle-color': o.color, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1.5 } },
        at,
      );
    }
    map.setPaintProperty(ids.fill, 'fill-color', o.color);
    map.setPaintProperty(ids.fill, 'fill-opacity', o.fillOpacity ?? 0.25);
    map.setPaintProperty(ids.line, 'line-color', o.color);
    map.setPaintProperty(ids.circle, 'circle-color', o.color);
  }
}
