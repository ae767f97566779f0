import type { Position } from 'geojson';
import type { BBox } from '../store/read';

/**
 * Mean Earth radius in km (IUGG R1 = 6371.0088 km), the value Turf uses, so distances agree
 * with turf.distance. Haversine: spherical, within ~0.5 % of the ellipsoidal distance.
 */
export const EARTH_RADIUS_KM = 6371.0088;

const RAD = Math.PI / 180;

/** Great-circle distance in km between two [lng, lat] positions. */
export function haversineKm(a: Position, b: Position): number {
  const dLat = (b[1] - a[1]) * RAD;
  const dLon = (b[0] - a[0]) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * RAD) * Math.cos(b[1] * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Boxes that contain every point within `km` of `center` ([lng, lat]). Near a pole the box
 * takes all longitudes; across the antimeridian it is split in two.
 */
export function boxesAround(center: Position, km: number): BBox[] {
  const dLat = km / (EARTH_RADIUS_KM * RAD);
  const s = center[1] - dLat;
  const n = center[1] + dLat;
  if (n >= 90 || s <= -90) return [[-180, Math.max(-90, s), 180, Math.min(90, n)]];
  // The widest longitude span of the circle: asin(sin(d)/cos(lat)) (Bounding circles, Chamberlain).
  const angular = km / EARTH_RADIUS_KM;
  const ratio = Math.sin(angular) / Math.cos(center[1] * RAD);
  if (ratio >= 1) return [[-180, s, 180, n]];
  const dLon = Math.asin(ratio) / RAD;
  const w = center[0] - dLon;
  const e = center[0] + dLon;
  if (w < -180) return [[w + 360, s, 180, n], [-180, s, e, n]];
  if (e > 180) return [[w, s, 180, n], [-180, s, e - 360, n]];
  return [[w, s, e, n]];
}
