import { crossesAntimeridian, shiftNear, splitAtAntimeridian, unwrapRing } from './antimeridian';
import { findCrossings, TOUCH_EPS, type Crossing } from './find-crossings';
import { pointInRing } from './point-in-ring';
import type { LonLat } from './positions';
import type { ProblemCode, ProblemParams } from '../messages/en';
import { formatLonLat, type ProblemList } from './problem-list';
import { dedupeConsecutive, removeSpikes, ringBbox, signedArea2, windRing } from './rings';

/** One ring while it is being checked. */
interface RingState {
  part: number;
  ring: number;
  /** Positions as read (2D), duplicates kept: this is what is stored. */
  original: LonLat[];
  /** What is checked: no consecutive duplicates, no spikes, unwrapped across ±180 if needed. */
  work: LonLat[];
  /** Index in `original` of each position of `work`. */
  index: number[];
}

/**
 * Check and normalise the polygons of a Polygon (one part) or MultiPolygon (`multi`).
 * Reports into `problems`; returns null when any were found. Otherwise returns the polygons
 * as stored: 2D, RFC 7946 winding, and split at ±180° where a part crosses the antimeridian
 * (so one input part can become two). Repeated consecutive positions and zero-width spikes
 * are kept (they add no area); the checks run on a copy without them. Rings that touch at a
 * point are accepted, as in OGC Simple Features; so is a ring touching itself at a point
 * without crossing (an "inverted" hole), which OGC forbids but which breaks nothing here.
 *
 * `path` is the coordinate path of the input, e.g. "geometry.coordinates".
 */
export function normalisePolygons(parts: LonLat[][][], path: string, multi: boolean, problems: ProblemList): LonLat[][][] | null {
  const before = problems.total;
  const ringPath = (part: number, ring: number): string => (multi ? `${path}[${part}][${ring}]` : `${path}[${ring}]`);
  const label = new Labels(multi);

  // 1. Each ring on its own: enough positions, closed, at least 3 distinct corners.
  const states: RingState[][] = [];
  for (let p = 0; p < parts.length; p++) {
    const rings = parts[p];
    if (rings.length === 0) {
      if (multi) problems.addCoded('ring', `${path}[${p}]`, 'geometry.partNoRings', { part: p });
      else problems.addCoded('ring', path, 'geometry.noRings');
      continue;
    }
    const partStates: RingState[] = [];
    for (let r = 0; r < rings.length; r++) {
      const ring = rings[r];
      const where = ringPath(p, r);
      if (ring.length < 4) {
        problems.addCoded('ring', where, ring.length === 1 ? 'geometry.ringOnePosition' : 'geometry.ringTooShort', { ...label.ring(p, r), count: ring.length });
        continue;
      }
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (first[0] !== last[0] || first[1] !== last[1]) {
        problems.addCoded('ring', where, 'geometry.ringNotClosed', { ...label.ring(p, r), first: JSON.stringify(first), last: JSON.stringify(last) });
        continue;
      }
      const { ring: work, index } = dedupeConsecutive(ring);
      if (work.length < 4) {
        problems.addCoded('ring', where, work.length === 2 ? 'geometry.ringOneCorner' : 'geometry.ringFewCorners', { ...label.ring(p, r), count: work.length - 1 });
        continue;
      }
      partStates.push({ part: p, ring: r, original: ring, work, index });
    }
    states.push(partStates);
  }
  if (problems.total > before) return null;

  // 2. Antimeridian: unwrap a crossing part so the checks below see one continuous shape.
  const wrapped = new Set<number>();
  for (const partStates of states) {
    if (!partStates.some((s) => crossesAntimeridian(s.work))) continue;
    const p = partStates[0].part;
    wrapped.add(p);
    for (const s of partStates) {
      const unwrapped = unwrapRing(s.work);
      if (!unwrapped) {
        problems.addCoded('ring', ringPath(p, s.ring), 'geometry.ringAroundPole', label.ring(p, s.ring));
        continue;
      }
      s.work = unwrapped;
    }
    if (problems.total > before) return null;
    const [w, , e] = ringBbox(partStates[0].work);
    for (const s of partStates.slice(1)) s.work = shiftNear(s.work, (w + e) / 2);
  }

  // 3. Spikes (an edge doubling straight back) add no area: drop them from the copy that is
  // checked. The stored ring keeps them, like repeated positions; a ring that is nothing but
  // spikes has no area.
  for (const s of states.flat()) {
    const clean = removeSpikes(s.work, s.index, TOUCH_EPS);
    if (clean.ring.length < 4) {
      problems.addCoded('ring', ringPath(s.part, s.ring), 'geometry.ringSpikesOnly', label.ring(s.part, s.ring));
      continue;
    }
    s.work = clean.ring;
    s.index = clean.index;
  }
  if (problems.total > before) return null;

  // 4. Edges that cross or overlap: within a ring, between rings, between parts.
  const all = states.flat();
  const { crossings, truncated } = findCrossings(all.map((s) => s.work));
  const touching = new Set<string>();
  for (const c of crossings) {
    const a = all[c.ringA];
    const b = all[c.ringB];
    touching.add(pairKey(a, b));
    const at = `${ringPath(b.part, b.ring)}[${b.index[c.vertexB]}]`;
    const [code, params] = crossingProblem(c, a, b, label);
    problems.addCoded('crossing', at, code, params);
  }
  if (truncated) {
    problems.addCoded('crossing-limit', multi ? path : ringPath(0, 0), 'geometry.tooManyCrossings', { count: crossings.length });
  }
  // A ring with no area that does not cross itself lies on one line (a symmetric bow-tie
  // also sums to zero area, hence after the crossing check).
  for (const s of all) {
    if (!touching.has(pairKey(s, s)) && signedArea2(s.work) === 0) {
      problems.addCoded('ring', ringPath(s.part, s.ring), 'geometry.ringFlat', label.ring(s.part, s.ring));
    }
  }

  // 5. Holes inside their outline and not inside each other; parts not inside each other.
  // Skipped when the crossing check stopped early: which rings touch is then not known, so
  // these answers could be wrong, and a shape with that many crossings must be fixed first
  // (thousands of copies of one part would also make thousands squared pairs to compare).
  if (truncated) return null;
  for (const partStates of states) {
    const shell = partStates[0];
    if (shell.ring !== 0) continue;
    const holes = partStates.slice(1);
    for (const h of holes) {
      if (touching.has(pairKey(shell, h))) continue;
      if (locate(h.work, shell.work) === -1) {
        if (!multi) problems.addCoded('hole', ringPath(h.part, h.ring), 'geometry.holeOutside', { ring: h.ring });
        else problems.addCoded('hole', ringPath(h.part, h.ring), 'geometry.partHoleOutside', label.ring(h.part, h.ring));
      }
    }
    const nested = new Set<RingState>();
    forContainedPairs(holes, (outer, inner) => {
      if (nested.has(inner) || touching.has(pairKey(outer, inner))) return;
      if (locate(inner.work, outer.work) === 1) {
        nested.add(inner);
        problems.addCoded('hole', ringPath(inner.part, inner.ring), 'geometry.holesNest', { ...label.ring(inner.part, inner.ring), otherRing: outer.ring });
      }
    });
  }
  if (multi) {
    const shells = states.map((ps) => ps[0]).filter((s) => s && s.ring === 0);
    // Each part is reported once, inside the first part found around it: with n nested
    // parts, listing every pair would be n² problems (and as much time).
    const inside = new Set<RingState>();
    forContainedPairs(shells, (outer, inner) => {
      if (inside.has(inner) || touching.has(pairKey(outer, inner))) return;
      if (locate(inner.work, outer.work) !== 1) return;
      // Inside the outer outline, but maybe in one of its holes (an island in a lake): fine.
      const inHole = states[outer.part].slice(1).some((h) => locate(inner.work, h.work) === 1);
      if (!inHole) {
        inside.add(inner);
        problems.addCoded('part', `${path}[${inner.part}]`, 'geometry.partInsidePart', { part: inner.part, otherPart: outer.part });
      }
    });
  }
  if (problems.total > before) return null;

  // 6. Store: RFC 7946 winding; split parts that cross the antimeridian.
  const out: LonLat[][][] = [];
  for (const partStates of states) {
    const p = partStates[0].part;
    if (wrapped.has(p)) {
      out.push(...splitAtAntimeridian(partStates.map((s) => windRing(s.work, s.ring === 0))));
    } else {
      out.push(partStates.map((s) => windRing(s.original, s.ring === 0)));
    }
  }
  return out;
}

/**
 * A ring as message params: `ring`, and `part` in a MultiPolygon. The templates name it
 * `{{ringName}}` ("ring 0 (the outline)", "part 1: ring 2 (a hole)") and its part's outline
 * `{{outlineName}}` (see wordParams in src/messages/en.ts).
 */
class Labels {
  constructor(readonly multi: boolean) {}

  ring(part: number, ring: number): ProblemParams {
    return this.multi ? { part, ring } : { ring };
  }
}

/** The code and params of one crossing: the ring `b` (ringA ≤ ringB) crosses `a` near `at`. */
function crossingProblem(c: Crossing, a: RingState, b: RingState, label: Labels): [ProblemCode, ProblemParams] {
  const at = formatLonLat(c.at[0], c.at[1]);
  const cross = c.kind === 'cross';
  if (a === b) {
    if (a.ring !== 0) return [cross ? 'geometry.holeCrossesItself' : 'geometry.holeRunsBack', { ...label.ring(a.part, a.ring), at }];
    if (label.multi) return [cross ? 'geometry.partOutlineCrossesItself' : 'geometry.partOutlineRunsBack', { part: a.part, at }];
    return [cross ? 'geometry.outlineCrossesItself' : 'geometry.outlineRunsBack', { at }];
  }
  if (a.part !== b.part) return [cross ? 'geometry.partsCross' : 'geometry.partsShareEdge', { part: b.part, otherPart: a.part, at }];
  // Same part, so b is a hole; a is the outline or an earlier hole.
  const name = label.ring(b.part, b.ring);
  if (a.ring === 0) return [cross ? 'geometry.holeCrossesOutline' : 'geometry.holeSharesEdgeWithOutline', { ...name, at }];
  return [cross ? 'geometry.holeCrossesHole' : 'geometry.holeSharesEdgeWithHole', { ...name, otherRing: a.ring, at }];
}

function pairKey(a: RingState, b: RingState): string {
  return a.part < b.part || (a.part === b.part && a.ring < b.ring) ? `${a.part}:${a.ring}|${b.part}:${b.ring}` : `${b.part}:${b.ring}|${a.part}:${a.ring}`;
}

/**
 * Where ring `inner` lies relative to ring `outer` when their edges do not cross: the answer
 * for its first vertex that is not on `outer`'s boundary (1 inside, −1 outside, 0 if all are).
 */
function locate(inner: readonly LonLat[], outer: readonly LonLat[]): 1 | 0 | -1 {
  for (let i = 0; i < inner.length - 1; i++) {
    const where = pointInRing(inner[i][0], inner[i][1], outer);
    if (where !== 0) return where;
  }
  return 0;
}

/** Call `fn(outer, inner)` for each pair whose bounding boxes nest (sweep by west edge). */
function forContainedPairs(rings: RingState[], fn: (outer: RingState, inner: RingState) => void): void {
  if (rings.length < 2) return;
  const boxes = rings.map((s) => ({ s, b: ringBbox(s.work) }));
  boxes.sort((x, y) => x.b[0] - y.b[0]);
  const active: typeof boxes = [];
  for (const cur of boxes) {
    let w = 0;
    for (const a of active) {
      if (a.b[2] < cur.b[0]) continue;
      active[w++] = a;
      if (contains(a.b, cur.b)) fn(a.s, cur.s);
      else if (contains(cur.b, a.b)) fn(cur.s, a.s);
    }
    active.length = w;
    active.push(cur);
  }
}

function contains(o: number[], i: number[]): boolean {
  return o[0] <= i[0] && o[1] <= i[1] && o[2] >= i[2] && o[3] >= i[3];
}
