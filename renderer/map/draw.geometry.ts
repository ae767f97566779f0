import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Position } from 'geojson';

/** Snap distance on screen, in CSS pixels. */
export const SNAP_PX = 10;

/** A position rounded to `decimals` (terra-draw refuses more precision than it is set up for). */
export function roundPosition(p: Position, decimals: number): Position {
  const f = 10 ** decimals;
  return [Math.round(p[0] * f) / f, Math.round(p[1] * f) / f];
}

/**
 * The candidate nearest to `at` on screen within `maxPx`, or null. `toScreen` projects a
 * [lng, lat] to pixels. Linear: the candidates are the vertices of one view (≤ 20k).
 */
export function nearestVertex(candidates: readonly Position[], at: [number, number], toScreen: (p: Position) => [number, number], maxPx: number): Position | null {
  let best: Position | null = null;
  let bestD = maxPx * maxPx;
  for (const c of candidates) {
    const [x, y] = toScreen(c);
    const d = (x - at[0]) ** 2 + (y - at[1]) ** 2;
    if (d <= bestD) {
      bestD = d;
      best = c;
    }
  }
  return best ? [best[0], best[1]] : null;
}

/**
 * Survey parts with their holes: each hole goes to the first shell that contains one of its
 * vertices. A hole inside no shell still goes to the first part, so that the core's validation
 * names it ("hole outside its shell") instead of it vanishing silently.
 */
export function assignHoles(shells: readonly Position[][], holes: readonly Position[][]): Position[][][] {
  const polys = shells.map((s) => [s]);
  for (const hole of holes) {
    const i = shells.findIndex((s) => hole.some((p) => booleanPointInPolygon(p, { type: 'Polygon', coordinates: [s] }, { ignoreBoundary: true })));
    polys[Math.max(i, 0)].push(hole);
  }
  return polys;
}
