import { describe, expect, it } from 'vitest';
import { unwrapRing } from '../../../scripts/build-basemap';

describe('unwrapRing (basemap antimeridian fix)', () => {
  it('leaves a ring that does not cross the antimeridian untouched', () => {
    const ring = [[0, 0], [1, 0], [1, 1], [0, 0]];
    expect(unwrapRing(ring)).toBe(ring);
  });

  it('makes a ring that crosses ±180 continuous, bulk inside −180…180', () => {
    // An island around the antimeridian at 65° N, as world-atlas cuts it.
    const ring = [[179, 65], [-179, 65], [-179, 66], [179, 66], [179, 65]];
    const input = JSON.parse(JSON.stringify(ring));
    expect(unwrapRing(ring)).toEqual([[179, 65], [181, 65], [181, 66], [179, 66], [179, 65]]);
    expect(ring).toEqual(input); // not mutated
  });

  it('shifts a ring whose start lies on the far side back into range', () => {
    const ring = [[-179, 65], [179, 65], [170, 65], [170, 66], [179, 66], [-179, 66], [-179, 65]];
    const out = unwrapRing(ring);
    expect(Math.min(...out.map((p) => p[0]))).toBe(170);
    expect(Math.max(...out.map((p) => p[0]))).toBe(181);
  });

  it('leaves the south-polar ring (Antarctica runs along −90) alone', () => {
    const ring = [[-180, -80], [0, -70], [180, -80], [180, -90], [-180, -90], [-180, -80]];
    expect(unwrapRing(ring)).toBe(ring);
  });
});
