import type { LonLat } from './positions';

/**
 * Two ring edges that meet in a way a valid polygon does not allow:
 * - `cross`: the rings pass through each other (at an edge interior, or at a shared vertex
 *   where the two paths interleave, e.g. a bow-tie drawn with a vertex at the knot);
 * - `overlap`: two edges run along each other for a positive length.
 * Rings that merely touch at a point (a hole touching its outline at one vertex) are allowed,
 * as in OGC Simple Features, and are not reported.
 */
export interface Crossing {
  kind: 'cross' | 'overlap';
  /** Ring ids (indexes into the input list), ringA ≤ ringB. */
  ringA: number;
  ringB: number;
  /** Index of the first vertex of the offending edge (or the vertex) in each ring. */
  vertexA: number;
  vertexB: number;
  /** Where, `[lon, lat]` in the rings' own frame. */
  at: LonLat;
}

/**
 * Distances below this many degrees (~0.01 mm) count as touching. Without a tolerance a
 * vertex that lies on another edge (common in digitised maps) flips at random between
 * "crosses" and "misses" with floating-point noise.
 */
export const TOUCH_EPS = 1e-10;

/**
 * Find edges of the given closed rings that cross or overlap, within a ring or between
 * rings. Rings must be closed (first = last) and free of consecutive duplicate positions.
 *
 * A sweep over edges sorted by west end, keeping only the edges whose longitude span
 * overlaps the current one ("sweep and prune"): O(n log n + n·k) for n edges with k edges
 * active at a time, which for map polygons is a small number. (@turf/kinks 7.x compares
 * every pair of edges, O(n²), which is too slow for the Arizona map's 20 000-vertex units.)
 * Edges meeting at a point where many vertices lie (a hub, see HUB_MIN_VERTICES) are not
 * compared pair by pair: they are sorted by angle around it instead.
 * Stops after `limit` findings.
 */
export function findCrossings(rings: readonly (readonly LonLat[])[], limit = 20): { crossings: Crossing[]; truncated: boolean } {
  let total = 0;
  for (const ring of rings) total += Math.max(0, ring.length - 1);
  const segRing = new Int32Array(total);
  const segIdx = new Int32Array(total);
  const minX = new Float64Array(total);
  const maxX = new Float64Array(total);
  const minY = new Float64Array(total);
  const maxY = new Float64Array(total);
  let s = 0;
  for (let r = 0; r < rings.length; r++) {
    const ring = rings[r];
    for (let i = 0; i + 1 < ring.length; i++, s++) {
      const a = ring[i];
      const b = ring[i + 1];
      segRing[s] = r;
      segIdx[s] = i;
      minX[s] = a[0] < b[0] ? a[0] : b[0];
      maxX[s] = a[0] < b[0] ? b[0] : a[0];
      minY[s] = a[1] < b[1] ? a[1] : b[1];
      maxY[s] = a[1] < b[1] ? b[1] : a[1];
    }
  }
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  order.sort((a, b) => minX[a] - minX[b]);

  const hubs = findHubs(rings, total);
  const hubStart = hubs.start;
  const hubEnd = hubs.end;
  const found = new Finder(rings, limit, hubs);
  // First, so that many copies of one edge between hubs (parts drawn twice) are found before
  // the sweep, which skips pairs meeting at a hub, goes through all of their pairs.
  found.checkHubs();
  const active = new Int32Array(total);
  let activeCount = 0;
  for (let k = 0; k < total && !found.full; k++) {
    const sNew = order[k];
    const sx = minX[sNew] - TOUCH_EPS;
    let w = 0;
    for (let j = 0; j < activeCount; j++) {
      const a = active[j];
      if (maxX[a] < sx) continue; // west of everything still to come: drop it
      active[w++] = a;
      if (maxY[a] < minY[sNew] - TOUCH_EPS || minY[a] > maxY[sNew] + TOUCH_EPS) continue;
      if (hubs.count > 0) {
        // Two edges from one hub meet there and nowhere else unless they run (nearly) along
        // one line: checkHubs finds those pairs by angle, resolveTouches the touches.
        const h1 = hubStart[a];
        const h2 = hubEnd[a];
        const g1 = hubStart[sNew];
        const g2 = hubEnd[sNew];
        if ((h1 >= 0 && (h1 === g1 || h1 === g2)) || (h2 >= 0 && (h2 === g1 || h2 === g2))) continue;
      }
      found.check(segRing[a], segIdx[a], segRing[sNew], segIdx[sNew]);
      if (found.full) break;
    }
    if (found.full) break;
    activeCount = w;
    active[activeCount++] = sNew;
  }
  found.resolveTouches();
  return { crossings: found.crossings, truncated: found.full };
}

/**
 * A hub is a position where at least this many vertices (of one ring or several) lie exactly:
 * a ring returning to one point again and again, or many parts sharing a corner. Checking
 * every pair of edges there would take time and memory quadratic in their number (6,000
 * triangles sharing a vertex made 18 million pairs), so hubs are checked by angle instead.
 * Below this many vertices, pairs are checked one by one as everywhere else.
 */
const HUB_MIN_VERTICES = 16;

/** Hubs of the rings: for each edge (numbered as in findCrossings), the hub of its start and end, or −1. */
interface Hubs {
  count: number;
  start: Int32Array;
  end: Int32Array;
  /** For each hub, its position and its vertices as [ring, index] pairs (index < ring length − 1). */
  at: LonLat[];
  vertices: number[][];
  /** First edge number of each ring. */
  offset: Int32Array;
}

function findHubs(rings: readonly (readonly LonLat[])[], total: number): Hubs {
  const offset = new Int32Array(rings.length);
  const start = new Int32Array(total).fill(-1);
  const end = new Int32Array(total).fill(-1);
  const hubs: Hubs = { count: 0, start, end, at: [], vertices: [], offset };
  let s = 0;
  for (let r = 0; r < rings.length; r++) {
    offset[r] = s;
    s += Math.max(0, rings[r].length - 1);
  }
  if (total < HUB_MIN_VERTICES * 2) return hubs; // a hub's vertices have two edges each
  const seen = new Map<string, number>();
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const key = `${ring[i][0]} ${ring[i][1]}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  const ids = new Map<string, number>();
  for (const [key, n] of seen) if (n >= HUB_MIN_VERTICES) ids.set(key, ids.size);
  if (ids.size === 0) return hubs;
  hubs.count = ids.size;
  for (let h = 0; h < ids.size; h++) hubs.vertices.push([]);
  for (let r = 0; r < rings.length; r++) {
    const ring = rings[r];
    const n = ring.length - 1;
    for (let i = 0; i < n; i++) {
      const h = ids.get(`${ring[i][0]} ${ring[i][1]}`);
      if (h === undefined) continue;
      if (hubs.vertices[h].length === 0) hubs.at[h] = ring[i];
      hubs.vertices[h].push(r, i);
      start[offset[r] + i] = h;
      end[offset[r] + (i === 0 ? n - 1 : i - 1)] = h;
    }
  }
  return hubs;
}

/** A ring passing through a point: at one of its vertices, or through an edge's interior. */
interface Visit {
  ring: number;
  /** Vertex index, or the first vertex of the edge when `interior`. */
  index: number;
  interior: boolean;
}

class Finder {
  readonly crossings: Crossing[] = [];
  full = false;
  private readonly touches = new Map<string, { a: Visit; b: Visit; at: LonLat }>();

  constructor(
    private readonly rings: readonly (readonly LonLat[])[],
    private readonly limit: number,
    private readonly hubs: Hubs,
  ) {}

  check(ra: number, ia: number, rb: number, ib: number): void {
    if (ra === rb) {
      const n = this.rings[ra].length - 1; // edges in the ring
      const d = Math.abs(ia - ib);
      if (d === 1 || d === n - 1) return; // neighbours share a vertex by construction
    }
    // Keep (ringA, edgeA) ≤ (ringB, edgeB) so results do not depend on sweep order.
    if (rb < ra || (rb === ra && ib < ia)) {
      const t = ra;
      ra = rb;
      rb = t;
      const u = ia;
      ia = ib;
      ib = u;
    }
    const A = this.rings[ra];
    const B = this.rings[rb];
    const p1 = A[ia];
    const p2 = A[ia + 1];
    const q1 = B[ib];
    const q2 = B[ib + 1];
    const lenA = Math.hypot(p2[0] - p1[0], p2[1] - p1[1]);
    const lenB = Math.hypot(q2[0] - q1[0], q2[1] - q1[1]);
    // Signed distances of each end from the other edge's line, snapped to 0 within TOUCH_EPS.
    const d1 = snap(orient(q1, q2, p1) / lenB);
    const d2 = snap(orient(q1, q2, p2) / lenB);
    const d3 = snap(orient(p1, p2, q1) / lenA);
    const d4 = snap(orient(p1, p2, q2) / lenA);

    if (d1 * d2 < 0 && d3 * d4 < 0) {
      const t = d1 / (d1 - d2);
      this.push({ kind: 'cross', ringA: ra, ringB: rb, vertexA: ia, vertexB: ib, at: [p1[0] + t * (p2[0] - p1[0]), p1[1] + t * (p2[1] - p1[1])] });
      return;
    }
    if (d1 === 0 && d2 === 0 && d3 === 0 && d4 === 0) {
      this.collinear(ra, ia, rb, ib, p1, p2, q1, q2);
      return;
    }
    // At most a touch: an end of one edge lies on the other.
    if (d3 === 0 && within(q1, p1, p2)) this.touch(ra, ia, rb, ib, q1);
    else if (d4 === 0 && within(q2, p1, p2)) this.touch(ra, ia, rb, ib, q2);
    else if (d1 === 0 && within(p1, q1, q2)) this.touch(ra, ia, rb, ib, p1);
    else if (d2 === 0 && within(p2, q1, q2)) this.touch(ra, ia, rb, ib, p2);
  }

  private collinear(ra: number, ia: number, rb: number, ib: number, p1: LonLat, p2: LonLat, q1: LonLat, q2: LonLat): void {
    const axis = Math.abs(p2[0] - p1[0]) >= Math.abs(p2[1] - p1[1]) ? 0 : 1;
    const aLo = Math.min(p1[axis], p2[axis]);
    const aHi = Math.max(p1[axis], p2[axis]);
    const lo = Math.max(aLo, Math.min(q1[axis], q2[axis]));
    const hi = Math.min(aHi, Math.max(q1[axis], q2[axis]));
    if (hi - lo > TOUCH_EPS) {
      const t = ((lo + hi) / 2 - p1[axis]) / (p2[axis] - p1[axis]);
      this.push({ kind: 'overlap', ringA: ra, ringB: rb, vertexA: ia, vertexB: ib, at: [p1[0] + t * (p2[0] - p1[0]), p1[1] + t * (p2[1] - p1[1])] });
    } else if (hi - lo >= -TOUCH_EPS) {
      // End to end on one line: they touch at the shared end.
      const at = [p1, p2].find((p) => samePoint(p, q1) || samePoint(p, q2)) ?? (within(q1, p1, p2) ? q1 : q2);
      this.touch(ra, ia, rb, ib, at);
    }
  }

  private touch(ra: number, ia: number, rb: number, ib: number, at: LonLat): void {
    const a = this.visit(ra, ia, at);
    const b = this.visit(rb, ib, at);
    if (this.hubs.count > 0 && !a.interior && !b.interior) {
      // Two vertices at one hub: resolveTouches checks all of them together.
      const h = this.hubs.start[this.hubs.offset[a.ring] + a.index];
      if (h >= 0 && h === this.hubs.start[this.hubs.offset[b.ring] + b.index]) return;
    }
    const key = `${a.ring}:${a.index}:${a.interior ? 'e' : 'v'}|${b.ring}:${b.index}:${b.interior ? 'e' : 'v'}`;
    if (!this.touches.has(key)) this.touches.set(key, { a, b, at });
  }

  private visit(ring: number, edge: number, at: LonLat): Visit {
    const R = this.rings[ring];
    if (samePoint(at, R[edge])) return { ring, index: edge, interior: false };
    if (samePoint(at, R[edge + 1])) return { ring, index: edge + 1 === R.length - 1 ? 0 : edge + 1, interior: false };
    return { ring, index: edge, interior: true };
  }

  /** The two directions in which a ring leaves the point of a visit. */
  private directions(v: Visit): [LonLat, LonLat] {
    const R = this.rings[v.ring];
    if (v.interior) return [R[v.index], R[v.index + 1]];
    const prev = v.index === 0 ? R[R.length - 2] : R[v.index - 1];
    return [prev, R[v.index + 1]];
  }

  /**
   * Two paths that touch at a point cross there iff their directions interleave around it:
   * exactly one of B's two directions falls inside the angle swept from A's first direction
   * to its second.
   */
  resolveTouches(): void {
    for (const { a, b, at } of this.touches.values()) {
      if (this.full) return;
      if (this.interleave(a, b, at)) this.pushTouchCrossing(a, b, at);
    }
    for (let h = 0; h < this.hubs.count && !this.full; h++) this.resolveHub(h);
  }

  /** True when the paths of two visits to `at` cross there (see resolveTouches). */
  private interleave(a: Visit, b: Visit, at: LonLat): boolean {
    const [a1, a2] = this.directions(a);
    const [b1, b2] = this.directions(b);
    const t0 = angle(at, a1);
    const span = sweep(t0, angle(at, a2));
    const s1 = sweep(t0, angle(at, b1));
    const s2 = sweep(t0, angle(at, b2));
    // A direction shared with A means the paths run along each other there (an overlap,
    // reported by the collinear check) rather than crossing.
    if (sameAngle(s1, 0) || sameAngle(s2, 0) || sameAngle(s1, span) || sameAngle(s2, span)) return false;
    return s1 < span !== s2 < span;
  }

  private pushTouchCrossing(a: Visit, b: Visit, at: LonLat): void {
    const swap = b.ring < a.ring || (b.ring === a.ring && b.index < a.index);
    const [x, y] = swap ? [b, a] : [a, b];
    this.push({ kind: 'cross', ringA: x.ring, ringB: y.ring, vertexA: x.index, vertexB: y.index, at });
  }

  /**
   * The touches at hub `h`, all at once: each vertex there is a chord between the two
   * directions its ring leaves in, and two vertices cross iff their chords interleave. With
   * the directions sorted by angle, a scan with a stack finds every interleaving pair (at the
   * end of the first chord to close) in O(m log m) for m vertices, plus O(m) per crossing
   * reported. A vertex sharing a direction with another (where rings run along each other)
   * is compared pair by pair with all the others, as at any other point.
   */
  private resolveHub(h: number): void {
    const at = this.hubs.at[h];
    const vs = this.hubs.vertices[h];
    const m = vs.length / 2;
    const visits: Visit[] = [];
    const dirT = new Float64Array(2 * m);
    for (let v = 0; v < m; v++) {
      const visit: Visit = { ring: vs[2 * v], index: vs[2 * v + 1], interior: false };
      visits.push(visit);
      const [d1, d2] = this.directions(visit);
      dirT[2 * v] = angle(at, d1);
      dirT[2 * v + 1] = angle(at, d2);
    }
    const order = new Uint32Array(2 * m);
    for (let k = 0; k < 2 * m; k++) order[k] = k;
    order.sort((x, y) => dirT[x] - dirT[y]);
    const tied = new Uint8Array(m);
    for (let k = 0; k < 2 * m; k++) {
      const x = order[k];
      const y = order[(k + 1) % (2 * m)];
      if (sameAngle(dirT[x], dirT[y])) {
        tied[x >> 1] = 1;
        tied[y >> 1] = 1;
      }
    }
    for (let v = 0; v < m; v++) {
      if (!tied[v]) continue;
      for (let u = 0; u < m; u++) {
        if (u === v || (tied[u] && u < v)) continue;
        if (this.interleave(visits[v], visits[u], at)) this.pushTouchCrossing(visits[v], visits[u], at);
        if (this.full) return;
      }
    }
    const opened = new Uint8Array(m);
    const stack: number[] = [];
    for (let k = 0; k < 2 * m; k++) {
      const v = order[k] >> 1;
      if (tied[v]) continue;
      if (!opened[v]) {
        opened[v] = 1;
        stack.push(v);
        continue;
      }
      let p = stack.length - 1;
      while (stack[p] !== v) p--;
      // Every chord opened after v and still open has one end inside v's arc, one outside.
      for (let q = p + 1; q < stack.length; q++) {
        this.pushTouchCrossing(visits[v], visits[stack[q]], at);
        if (this.full) return;
      }
      stack.splice(p, 1);
    }
  }

  /**
   * Pairs of edges from one hub that run (nearly) along one line. Two straight edges from one
   * point meet nowhere else unless the far end of one lies within TOUCH_EPS of the other's
   * line, i.e. unless the angle between them (or from one to the other's opposite) is below
   * about TOUCH_EPS / length: only such pairs are checked edge against edge, found by angle.
   */
  checkHubs(): void {
    const { hubs } = this;
    const seen = new Set<string>();
    for (let h = 0; h < hubs.count && !this.full; h++) {
      const P = hubs.at[h];
      const vs = hubs.vertices[h];
      const ring: number[] = [];
      const edge: number[] = [];
      const t: number[] = [];
      const w: number[] = [];
      const addEnd = (r: number, e: number, other: LonLat): void => {
        const len = Math.hypot(other[0] - P[0], other[1] - P[1]);
        ring.push(r);
        edge.push(e);
        t.push(angle(P, other));
        // Twice the angle at which the far end leaves the other edge's line by TOUCH_EPS.
        w.push(len > 8 * TOUCH_EPS ? 2 * Math.asin((4 * TOUCH_EPS) / len) + 1e-12 : Math.PI);
      };
      for (let k = 0; k < vs.length; k += 2) {
        const r = vs[k];
        const i = vs[k + 1];
        const R = this.rings[r];
        const prev = i === 0 ? R.length - 2 : i - 1;
        addEnd(r, i, R[i + 1]);
        addEnd(r, prev, R[prev]);
      }
      const M = t.length;
      const byAngle = Array.from({ length: M }, (_, k) => k).sort((x, y) => t[x] - t[y]);
      const tt = new Float64Array(2 * M);
      for (let k = 0; k < M; k++) {
        tt[k] = t[byAngle[k]];
        tt[k + M] = t[byAngle[k]] + 2 * Math.PI;
      }
      for (let e = 0; e < M && !this.full; e++) {
        for (const c0 of [t[e], t[e] + Math.PI]) {
          let c = c0 >= Math.PI ? c0 - 2 * Math.PI : c0;
          if (c - w[e] < -Math.PI) c += 2 * Math.PI;
          const lo = c - w[e];
          const hi = c + w[e];
          let k = lowerBound(tt, lo);
          for (let n = 0; n < M && k < 2 * M && tt[k] <= hi; n++, k++) {
            const f = byAngle[k % M];
            if (f === e || (ring[f] === ring[e] && edge[f] === edge[e])) continue;
            const [x, y] = ring[e] < ring[f] || (ring[e] === ring[f] && edge[e] < edge[f]) ? [e, f] : [f, e];
            const key = `${ring[x]}:${edge[x]}|${ring[y]}:${edge[y]}`;
            if (seen.has(key)) continue;
            seen.add(key);
            this.check(ring[x], edge[x], ring[y], edge[y]);
            if (this.full) return;
          }
        }
      }
    }
  }

  private push(c: Crossing): void {
    if (this.crossings.length >= this.limit) {
      this.full = true;
      return;
    }
    this.crossings.push(c);
  }
}

/** The first index of sorted `a` whose value is ≥ `x`. */
function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Twice the signed area of triangle abc: > 0 when c is left of a→b. */
export function orient(a: LonLat, b: LonLat, c: LonLat): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

function snap(d: number): number {
  return Math.abs(d) <= TOUCH_EPS ? 0 : d;
}

function within(p: LonLat, a: LonLat, b: LonLat): boolean {
  return (
    p[0] >= Math.min(a[0], b[0]) - TOUCH_EPS &&
    p[0] <= Math.max(a[0], b[0]) + TOUCH_EPS &&
    p[1] >= Math.min(a[1], b[1]) - TOUCH_EPS &&
    p[1] <= Math.max(a[1], b[1]) + TOUCH_EPS
  );
}

export function samePoint(a: LonLat, b: LonLat): boolean {
  return Math.abs(a[0] - b[0]) <= TOUCH_EPS && Math.abs(a[1] - b[1]) <= TOUCH_EPS;
}

function angle(from: LonLat, to: LonLat): number {
  return Math.atan2(to[1] - from[1], to[0] - from[0]);
}

/** Equal sweep angles, also across the 0 = 2π seam (rays along one line differ by an ulp). */
function sameAngle(s: number, t: number): boolean {
  const d = Math.abs(s - t);
  return d < 1e-12 || Math.abs(d - 2 * Math.PI) < 1e-12;
}

/** Counter-clockwise angle from t0 to t, in [0, 2π). */
function sweep(t0: number, t: number): number {
  const d = t - t0;
  return d < 0 ? d + 2 * Math.PI : d;
}
