import type { LonLat } from './positions';

/**
 * The ring without consecutive repeated positions (harmless, but they make zero-length
 * edges), and for each kept position its index in the original ring, for messages.
 */
export function dedupeConsecutive(ring: readonly LonLat[]): { ring: LonLat[]; index: number[] } {
  const out: LonLat[] = [];
  const index: number[] = [];
  let prev: LonLat | undefined;
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i];
    if (prev && p[0] === prev[0] && p[1] === prev[1]) continue;
    out.push(p);
    index.push(i);
    prev = p;
  }
  return { ring: out, index };
}

/**
 * Twice the signed area of a closed ring in plane lon/lat (shoelace formula): > 0 when the
 * ring runs counter-clockwise with longitude east and latitude north. Coordinates are taken
 * relative to the first vertex so that large longitudes do not cancel out precision.
 */
export function signedArea2(ring: readonly LonLat[]): number {
  if (ring.length < 3) return 0;
  const x0 = ring[0][0];
  const y0 = ring[0][1];
  let sum = 0;
  for (let i = 1; i + 1 < ring.length; i++) {
    sum += (ring[i][0] - x0) * (ring[i + 1][1] - y0) - (ring[i + 1][0] - x0) * (ring[i][1] - y0);
  }
  return sum;
}

/**
 * The ring in the winding RFC 7946 §3.1.6 asks for: exterior rings counter-clockwise,
 * holes clockwise. Returns the same array when already right, else a reversed copy.
 */
export function windRing(ring: LonLat[], exterior: boolean): LonLat[] {
  const a = signedArea2(ring);
  return (exterior ? a < 0 : a > 0) ? ring.slice().reverse() : ring;
}

/** Bounding box `[west, south, east, north]` of a list of positions. */
export function ringBbox(ring: readonly LonLat[]): [number, number, number, number] {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const p of ring) {
    if (p[0] < w) w = p[0];
    if (p[0] > e) e = p[0];
    if (p[1] < s) s = p[1];
    if (p[1] > n) n = p[1];
  }
  return [w, s, e, n];
}
