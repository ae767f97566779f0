import { featureCollection, polygon } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import type { LonLat } from './positions';
import { windRing } from './rings';

/** How near the antimeridian (|lon| above this) both ends of a > 180° edge must be to cross it. */
const NEAR = 90;

/**
 * True if the edge from `ring[i - 1]` to `ring[i]` crosses the antimeridian.
 *
 * RFC 7946 §3.1.1 makes an edge a straight line in lon/lat, so an edge from −10° to 175° is
 * 185° wide (a "Eurasia" box), and §3.1.9 says a shape across ±180 SHOULD be split. Files do
 * hold unsplit rings across the line, though (Fiji drawn 177° → −178°), so an edge is read the
 * short way round, across ±180, when it jumps more than 180° of longitude AND both its ends lie
 * near the line (|lon| > 90°). Otherwise the ring is planar, as RFC 7946 says.
 *
 * An edge from −180° to 180° (or back) runs along or round the edge of the map (the whole-world
 * box's south and north edges; an Arctic cap's 60° N edge): not a crossing. It is a crossing
 * only as a hop in a ring that passes over the line through vertices on it, coming from one
 * side and going on to the other (177° → 180° → −180° → −178°).
 */
export function edgeCrossesAntimeridian(ring: readonly LonLat[], i: number): boolean {
  const a = ring[i - 1][0];
  const b = ring[i][0];
  if (Math.abs(b - a) <= 180) return false;
  if (Math.abs(a) <= NEAR || Math.abs(b) <= NEAR) return false; // a wide planar edge (RFC 7946)
  if (Math.abs(a) !== 180 || Math.abs(b) !== 180) return true; // 177° → −178°
  return sideBefore(ring, i - 1) === Math.sign(a) && sideAfter(ring, i) === Math.sign(b);
}

/** True if some edge of the ring crosses the antimeridian (see edgeCrossesAntimeridian). */
export function crossesAntimeridian(ring: readonly LonLat[]): boolean {
  for (let i = 1; i < ring.length; i++) {
    if (edgeCrossesAntimeridian(ring, i)) return true;
  }
  return false;
}

/**
 * The side of the antimeridian (+1 positive longitudes, −1 negative) of the nearest vertex
 * before `j` (sideAfter: after) whose longitude differs from `ring[j]`'s; 0 when that vertex is
 * on the line itself (the other ±180) or not near it. Walks round a closed ring.
 */
function sideBefore(ring: readonly LonLat[], j: number): number {
  return sideFrom(ring, j, -1);
}

function sideAfter(ring: readonly LonLat[], j: number): number {
  return sideFrom(ring, j, 1);
}

function sideFrom(ring: readonly LonLat[], j: number, step: 1 | -1): number {
  const n = ring.length;
  const closed = n >= 4 && ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1];
  const lon = ring[j][0];
  let k = j;
  for (let seen = 0; seen < n; seen++) {
    k += step;
    if (closed) {
      // The closing position repeats the first: step over it.
      if (k >= n) k = 1;
      else if (k < 0) k = n - 2;
    } else if (k < 0 || k >= n) return 0;
    const x = ring[k][0];
    if (x === lon) continue;
    return Math.abs(x) > NEAR && Math.abs(x) < 180 ? Math.sign(x) : 0;
  }
  return 0;
}

/**
 * The ring with continuous longitudes: each edge that crosses the antimeridian (see
 * edgeCrossesAntimeridian) is undone by ±360°, then the whole ring is shifted so its west end
 * lies in −180…180 (so longitudes run −180…540). Returns null when the ring does not come back
 * to its start, i.e. it winds round a pole.
 */
export function unwrapRing(ring: readonly LonLat[]): LonLat[] | null {
  const out: LonLat[] = new Array(ring.length);
  let offset = 0;
  let west = Infinity;
  for (let i = 0; i < ring.length; i++) {
    if (i > 0 && edgeCrossesAntimeridian(ring, i)) {
      offset += ring[i][0] > ring[i - 1][0] ? -360 : 360;
    }
    const x = ring[i][0] + offset;
    if (x < west) west = x;
    out[i] = [x, ring[i][1]];
  }
  if (offset !== 0) return null;
  const shift = west < -180 ? 360 : 0;
  if (shift) for (const p of out) p[0] += shift;
  return out;
}

/** Shift a ring by a whole number of turns so that its first vertex is nearest `lon`. */
export function shiftNear(ring: LonLat[], lon: number): LonLat[] {
  const turns = Math.round((lon - ring[0][0]) / 360);
  if (turns === 0) return ring;
  return ring.map(([x, y]) => [x + turns * 360, y] as LonLat);
}

const WEST_HALF: LonLat[] = [[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]];
const EAST_HALF: LonLat[] = [[180, -90], [540, -90], [540, 90], [180, 90], [180, -90]];

/**
 * Split an unwrapped polygon (first ring the outline, then holes; longitudes in −180…540)
 * at 180°E into polygons that each stay within −180…180: the western piece as it is, the
 * eastern piece shifted back by −360°. Plain planar tools (Turf point-in-polygon, MapLibre)
 * then see the right area. Rings come out RFC 7946-wound.
 */
export function splitAtAntimeridian(rings: LonLat[][]): LonLat[][][] {
  const out: LonLat[][][] = [];
  for (const [half, shift] of [[WEST_HALF, 0], [EAST_HALF, -360]] as const) {
    const clipped = intersect(featureCollection([polygon(rings), polygon([half])]));
    if (!clipped) continue;
    const g = clipped.geometry;
    const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as LonLat[][][];
    for (const poly of polys) {
      out.push(
        poly.map((ring, i) => windRing(shift ? ring.map(([x, y]) => [x + shift, y] as LonLat) : ring, i === 0)),
      );
    }
  }
  return out;
}
