import type { Map as MapLibreMap, GeoJSONSource } from 'maplibre-gl';
import type { QueryHit } from '../../src/api/contract';

export const HITS_SOURCE = 'query-hits';
export const HITS_LAYER = 'query-hits';
const HIT_COLOR = '#d7263d';

/** Query results as a small GeoJSON source (a query returns at most a few thousand hits). */
export function hitsCollection(hits: readonly QueryHit[]): GeoJSON.FeatureCollection<GeoJSON.Point> {
  return {
    type: 'FeatureCollection',
    features: hits.map((h) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: h.coordinates }, properties: { id: h.id, name: h.name } })),
  };
}

/** Add the hits source and layer once (on top of everything), then set their data. */
export function showHits(map: MapLibreMap, hits: readonly QueryHit[]): void {
  const src = map.getSource(HITS_SOURCE) as GeoJSONSource | undefined;
  if (src) {
    src.setData(hitsCollection(hits));
    return;
  }
  map.addSource(HITS_SOURCE, { type: 'geojson', data: hitsCollection(hits) });
  map.addLayer({
    id: HITS_LAYER,
    type: 'circle',
    source: HITS_SOURCE,
    paint: { 'circle-radius': 7, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': HIT_COLOR, 'circle-stroke-width': 2.5 },
  });
}
