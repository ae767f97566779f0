/**
 * Distance in metres between two WGS 84 [lng, lat] positions, for control-point checks at the
 * millimetre scale: haversine on the GRS80/WGS84 mean radius (IUGG R1 = 6,371,008.8 m). Its
 * relative error (< 0.5 %) is negligible for sub-metre distances.
 */
export function distanceM(a: number[], b: number[]): number {
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}
