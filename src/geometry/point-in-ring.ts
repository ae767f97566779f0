import { TOUCH_EPS } from './find-crossings';
import type { LonLat } from './positions';

/**
 * Where a point lies relative to a closed ring, in plane lon/lat: 1 inside, −1 outside,
 * 0 on the boundary (within TOUCH_EPS degrees). Even–odd ray casting, O(n).
 */
export function pointInRing(x: number, y: number, ring: readonly LonLat[]): 1 | 0 | -1 {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i][0];
    const yi = ring[i][1];
    const xj = ring[j][0];
    const yj = ring[j][1];
    if (onSegment(x, y, xi, yi, xj, yj)) return 0;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside ? 1 : -1;
}

function onSegment(x: number, y: number, x1: number, y1: number, x2: number, y2: number): boolean {
  if (x < Math.min(x1, x2) - TOUCH_EPS || x > Math.max(x1, x2) + TOUCH_EPS) return false;
  if (y < Math.min(y1, y2) - TOUCH_EPS || y > Math.max(y1, y2) + TOUCH_EPS) return false;
  const len = Math.hypot(x2 - x1, y2 - y1);
  if (len === 0) return Math.abs(x - x1) <= TOUCH_EPS && Math.abs(y - y1) <= TOUCH_EPS;
  return Math.abs((x2 - x1) * (y - y1) - (y2 - y1) * (x - x1)) / len <= TOUCH_EPS;
}
