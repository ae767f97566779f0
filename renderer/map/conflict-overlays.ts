import type { ConflictItem } from '../../src/api/contract';
import type { MapOverlay } from './overlays';

/** Colours of the two sides (ours solid, theirs dashed), also used by the panel's legend. */
export const OURS_COLOR = '#1f5fbf';
export const THEIRS_COLOR = '#d9480f';
/** Radius of the dashed ring drawn around their point, in screen pixels. */
const RING_PX = 13;

type Geom = ConflictItem['geometry']['ours'];

/** Metres per screen pixel at a latitude and zoom (512 px tiles; WGS 84 equator 40 075 016.686 m). */
export function metresPerPixel(lat: number, zoom: number): number {
  return (40075016.686 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom);
}

/** A closed ring of `n` points around [lng, lat], `radiusM` metres out (equirectangular, fine at these sizes). */
export function ringAround([lng, lat]: [number, number], radiusM: number, n = 48): [number, number][] {
  const dLat = radiusM / 111_320;
  const dLng = dLat / Math.max(0.01, Math.cos((lat * Math.PI) / 180));
  const ring: [number, number][] = [];
  for (let i = 0; i <= n; i++) {
    const a = (2 * Math.PI * (i % n)) / n;
    ring.push([lng + dLng * Math.cos(a), lat + dLat * Math.sin(a)]);
  }
  return ring;
}

/** Polygons one by one (a MultiPolygon becomes its parts, so the overlay's Polygon filters match). */
function features(g: Geom, dashedRing: { zoom: number } | null): GeoJSON.Feature[] {
  if (!g) return [];
  if (g.type === 'Point') {
    const at = g.coordinates as [number, number];
    const point: GeoJSON.Feature = { type: 'Feature', geometry: { type: 'Point', coordinates: at }, properties: {} };
    if (!dashedRing) return [point];
    // A point cannot be dashed: theirs gets a dashed ring around it, so both show where they coincide.
    const ring = ringAround(at, RING_PX * metresPerPixel(at[1], dashedRing.zoom));
    return [point, { type: 'Feature', geometry: { type: 'LineString', coordinates: ring }, properties: {} }];
  }
  const parts = g.type === 'MultiPolygon' ? g.coordinates : [(g as unknown as GeoJSON.Polygon).coordinates];
  return parts.map((coordinates) => ({ type: 'Feature', geometry: { type: 'Polygon', coordinates }, properties: {} }));
}

/** The overlays of one conflict: our version solid, theirs dashed, over the map at `zoom`. */
export function conflictOverlays(c: ConflictItem | null, zoom: number): MapOverlay[] {
  if (!c) return [];
  const fc = (f: GeoJSON.Feature[]): GeoJSON.FeatureCollection => ({ type: 'FeatureCollection', features: f });
  // Theirs first, ours on top: where both are at one place, our solid point sits inside their dashed ring.
  return [
    { id: 'conflict-theirs', color: THEIRS_COLOR, fillOpacity: 0, dashed: true, data: fc(features(c.geometry.theirs, { zoom })) },
    { id: 'conflict-ours', color: OURS_COLOR, fillOpacity: 0.15, data: fc(features(c.geometry.ours, null)) },
  ];
}

/** Where to look at a conflict: our point (or theirs), else the centre of the area's extent. */
export function conflictCenter(c: ConflictItem): [number, number] | null {
  const g = c.geometry.ours ?? c.geometry.theirs;
  if (!g) return null;
  if (g.type === 'Point') return g.coordinates as [number, number];
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const walk = (x: unknown): void => {
    if (!Array.isArray(x)) return;
    if (typeof x[0] === 'number') {
      w = Math.min(w, x[0]); e = Math.max(e, x[0]); s = Math.min(s, x[1] as number); n = Math.max(n, x[1] as number);
    } else x.forEach(walk);
  };
  walk(g.coordinates);
  return Number.isFinite(w) ? [(w + e) / 2, (s + n) / 2] : null;
}
