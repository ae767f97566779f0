import { featureCollection, polygon } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import type { LonLat } from './positions';
import { windRing } from './rings';

/**
 * True if some edge of the ring jumps more than 180° of longitude. GeoJSON edges are short
 * ways round, so such an edge crosses the antimeridian (RFC 7946 §3.1.9): Fiji drawn as
 * [[177,-16],[-179,-16],[-179,-19],[177,-19],[177,-16]] is 4° wide, not 356°.
 */
export function crossesAntimeridian(ring: readonly LonLat[]): boolean {
  for (let i = 1; i < ring.length; i++) {
    if (Math.abs(ring[i][0] - ring[i - 1][0]) > 180) return true;
  }
  return false;
}

/**
 * The ring with continuous longitudes: each jump of more than 180° is undone by ±360°, then
 * the whole ring is shifted so its west end lies in −180…180 (so longitudes run −180…540).
 * Returns null when the ring does not come back to its start, i.e. it winds round a pole.
 */
export function unwrapRing(ring: readonly LonLat[]): LonLat[] | null {
  const out: LonLat[] = new Array(ring.length);
  let offset = 0;
  let west = Infinity;
  for (let i = 0; i < ring.length; i++) {
    if (i > 0) {
      const d = ring[i][0] - ring[i - 1][0];
      if (d > 180) offset -= 360;
      else if (d < -180) offset += 360;
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
