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

/**
 * True when the path prev → v → next turns straight back at v: the edges run along each
 * other (a zero-width spike), within `eps` degrees.
 */
export function isSpike(prev: LonLat, v: LonLat, next: LonLat, eps: number): boolean {
  const ax = v[0] - prev[0];
  const ay = v[1] - prev[1];
  const bx = next[0] - v[0];
  const by = next[1] - v[1];
  if (ax * bx + ay * by >= 0) return false;
  // The end of the shorter edge lies on the line of the longer one.
  const cross = ax * by - ay * bx;
  return Math.abs(cross) <= eps * Math.max(Math.hypot(ax, ay), Math.hypot(bx, by));
}

/**
 * The closed ring without zero-width spikes (A → B → A, or A → B → C back along the same
 * line). A spike adds no area, so removing it leaves the polygon's point set unchanged;
 * maps built from quantised TopoJSON are full of them. Works on a ring without consecutive
 * duplicates; `index` (original position of each vertex) is carried along.
 */
export function removeSpikes(ring: readonly LonLat[], index: readonly number[], eps: number): { ring: LonLat[]; index: number[] } {
  // Work on the open cycle (closing position dropped), as a stack.
  const pts: LonLat[] = [];
  const idx: number[] = [];
  const push = (p: LonLat, i: number): void => {
    pts.push(p);
    idx.push(i);
    for (;;) {
      const n = pts.length;
      if (n >= 2 && same(pts[n - 1], pts[n - 2])) {
        pts.pop();
        idx.pop();
        continue;
      }
      if (n >= 3 && isSpike(pts[n - 3], pts[n - 2], pts[n - 1], eps)) {
        pts.splice(n - 2, 1);
        idx.splice(n - 2, 1);
        continue;
      }
      break;
    }
  };
  for (let i = 0; i < ring.length - 1; i++) push(ring[i], index[i]);
  // The seam: spikes or repeats across the first/last vertex of the cycle.
  let changed = true;
  while (changed && pts.length >= 3) {
    changed = false;
    const n = pts.length;
    if (same(pts[0], pts[n - 1])) {
      pts.pop();
      idx.pop();
      changed = true;
    } else if (isSpike(pts[n - 1], pts[0], pts[1], eps)) {
      pts.shift();
      idx.shift();
      changed = true;
    } else if (isSpike(pts[n - 2], pts[n - 1], pts[0], eps)) {
      pts.pop();
      idx.pop();
      changed = true;
    }
  }
  if (pts.length === 0) return { ring: [], index: [] };
  pts.push(pts[0]);
  idx.push(index[index.length - 1]);
  return { ring: pts, index: idx };
}

function same(a: LonLat, b: LonLat): boolean {
  return a[0] === b[0] && a[1] === b[1];
}
