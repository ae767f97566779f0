import { describe, expect, it } from 'vitest';
import {
  assertTileCoord,
  latToWorldY,
  lngLatToTilePixel,
  MAX_LATITUDE,
  tileQueryBoxes,
  tileToBBox,
  worldYToLat,
} from '../../../src/tiles/tile-math';
import { OutcropError } from '../../../src/errors';
import { mercator } from './real-data';

describe('tile math', () => {
  it('tile 0/0/0 is the whole Web-Mercator square', () => {
    const [w, s, e, n] = tileToBBox(0, 0, 0);
    expect(w).toBe(-180);
    expect(e).toBe(180);
    expect(n).toBeCloseTo(MAX_LATITUDE, 10);
    expect(s).toBeCloseTo(-MAX_LATITUDE, 10);
  });

  it('matches hand-worked tiles (OSM slippy-map tile names)', () => {
    // z1: four quadrants split at the equator and the prime meridian.
    expect(tileToBBox(1, 1, 0)).toEqual([0, 0, 180, expect.closeTo(MAX_LATITUDE, 10)]);
    // Tokyo Station (139.7671, 35.6812) is in z10 tile 909/403 (floor of the slippy-map formulas).
    const [px, py] = lngLatToTilePixel(139.7671, 35.6812, 10, 909, 403);
    expect(px).toBeGreaterThanOrEqual(0);
    expect(px).toBeLessThan(4096);
    expect(py).toBeGreaterThanOrEqual(0);
    expect(py).toBeLessThan(4096);
  });

  it('agrees with an independent Mercator formula and round-trips latitude', () => {
    for (const lat of [-89, -85.0511, -60, -12.5, 0, 0.000001, 35.6812, 66.5, 85.05, 90]) {
      expect(latToWorldY(lat)).toBeCloseTo(mercator(0, lat)[1], 12);
      const clamped = Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, lat));
      expect(worldYToLat(latToWorldY(lat))).toBeCloseTo(clamped, 9);
    }
  });

  it('clamps the poles onto the top and bottom edges', () => {
    expect(latToWorldY(90)).toBe(0);
    expect(latToWorldY(-90)).toBe(1);
  });

  it('query boxes wrap across the antimeridian at the world edges only', () => {
    expect(tileQueryBoxes(3, 4, 3, 128).map((b) => b.shiftX)).toEqual([0]);
    const west = tileQueryBoxes(3, 0, 3, 128);
    expect(west.map((b) => b.shiftX).sort()).toEqual([-1, 0]);
    const far = west.find((b) => b.shiftX === -1)!.bbox;
    expect(far[2]).toBe(180);
    expect(far[0]).toBeCloseTo(180 - (45 * 128) / 4096, 9);
    const east = tileQueryBoxes(3, 7, 3, 128);
    const near = east.find((b) => b.shiftX === 1)!.bbox;
    expect(near[0]).toBe(-180);
    // The top row's buffer reaches the pole, so clamped polar points are fetched.
    expect(tileQueryBoxes(2, 1, 0, 64)[0].bbox[3]).toBe(90);
    expect(tileQueryBoxes(2, 1, 3, 64)[0].bbox[1]).toBe(-90);
  });

  it('rejects bad tile coordinates with a USAGE error naming them', () => {
    const bad: [number, number, number][] = [
      [-1, 0, 0], [23, 0, 0], [1.5, 0, 0], [NaN, 0, 0], [2, 4, 0], [2, 0, 4], [2, -1, 0], [2, 0, 0.5], [0, 1, 0],
    ];
    for (const [z, x, y] of bad) {
      let err: unknown;
      try {
        assertTileCoord(z, x, y);
      } catch (e) {
        err = e;
      }
      expect(err, `${z}/${x}/${y}`).toBeInstanceOf(OutcropError);
      expect((err as OutcropError).code).toBe('USAGE');
      expect((err as OutcropError).message).toContain(`${z}/${x}/${y}`);
    }
    expect(() => assertTileCoord(22, 2 ** 22 - 1, 0)).not.toThrow();
  });
});
