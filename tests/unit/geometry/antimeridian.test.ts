import { booleanPointInPolygon, point } from '@turf/turf';
import type { MultiPolygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { crossesAntimeridian, splitAtAntimeridian, unwrapRing } from '../../../src/geometry/antimeridian';
import { validateGeometry } from '../../../src/geometry/validate';

// Fiji, roughly: 177°E to 179°W, 16°S to 19°S, drawn the RFC 7946 way across the antimeridian.
const FIJI = { type: 'Polygon', coordinates: [[[177, -16], [-179, -16], [-179, -19], [177, -19], [177, -16]]] };

describe('antimeridian', () => {
  it('stores a polygon crossing ±180 as a MultiPolygon that plain Turf point-in-polygon gets right', () => {
    const r = validateGeometry(FIJI, {});
    expect(r.problems).toEqual([]);
    const g = r.geometry as MultiPolygon;
    expect(g.type).toBe('MultiPolygon');
    expect(booleanPointInPolygon(point([179.9, -17]), g)).toBe(true);
    expect(booleanPointInPolygon(point([0, -17]), g)).toBe(false);
    expect(booleanPointInPolygon(point([-179.5, -17]), g)).toBe(true);
    // And the unsplit ring really is wrong for Turf (it reads it as 356° wide):
    expect(booleanPointInPolygon(point([0, -17]), FIJI as never)).toBe(true);
  });

  it('keeps every output longitude within −180…180 and both halves against the line', () => {
    const g = validateGeometry(FIJI, {}).geometry as MultiPolygon;
    const lons = g.coordinates.flat(2).map((p) => p[0]);
    expect(Math.min(...lons)).toBe(-180);
    expect(Math.max(...lons)).toBe(180);
    expect(lons.every((x) => x >= -180 && x <= 180)).toBe(true);
  });

  it('splits holes with their outline', () => {
    // Outline 176°E..178°W, a lake across the line at 179°E..179°W, 17°S..18°S.
    const lagoon = {
      type: 'Polygon',
      coordinates: [
        [[176, -20], [-178, -20], [-178, -15], [176, -15], [176, -20]],
        [[179, -18], [179, -17], [-179, -17], [-179, -18], [179, -18]],
      ],
    };
    const r = validateGeometry(lagoon, {});
    expect(r.problems).toEqual([]);
    const g = r.geometry as MultiPolygon;
    expect(booleanPointInPolygon(point([177, -16]), g)).toBe(true);
    expect(booleanPointInPolygon(point([-178.5, -19]), g)).toBe(true);
    expect(booleanPointInPolygon(point([179.5, -17.5]), g)).toBe(false); // in the lake, west side
    expect(booleanPointInPolygon(point([-179.5, -17.5]), g)).toBe(false); // in the lake, east side
    expect(booleanPointInPolygon(point([0, -17.5]), g)).toBe(false);
  });

  it('splits each crossing part of a MultiPolygon and leaves the others alone', () => {
    const mp = {
      type: 'MultiPolygon',
      coordinates: [
        [[[177, -16], [-179, -16], [-179, -19], [177, -19], [177, -16]]],
        [[[10, 10], [11, 10], [11, 11], [10, 11], [10, 10]]],
      ],
    };
    const g = validateGeometry(mp, {}).geometry as MultiPolygon;
    expect(g.coordinates).toHaveLength(3);
    expect(g.coordinates).toContainEqual([[[10, 10], [11, 10], [11, 11], [10, 11], [10, 10]]]);
  });

  it('detects a crossing by a jump of more than 180° between neighbours, not by touching 180', () => {
    expect(crossesAntimeridian([[177, -16], [-179, -16]])).toBe(true);
    expect(crossesAntimeridian([[170, 0], [180, 0], [180, 10]])).toBe(false);
    expect(crossesAntimeridian([[-90, 0], [90, 0]])).toBe(false); // exactly 180: the short way is ambiguous, taken as given
  });

  it('unwraps a ring to continuous longitudes, or gives null for one round a pole', () => {
    expect(unwrapRing([[177, -16], [-179, -16], [-179, -19], [177, -19], [177, -16]])).toEqual([
      [177, -16], [181, -16], [181, -19], [177, -19], [177, -16],
    ]);
    // Starting east of the line: shifted so the west end is within −180…180.
    expect(unwrapRing([[-179, -16], [177, -16], [177, -19], [-179, -19], [-179, -16]])).toEqual([
      [181, -16], [177, -16], [177, -19], [181, -19], [181, -16],
    ]);
    expect(unwrapRing([[0, 80], [120, 80], [-120, 80], [0, 80]])).toBeNull();
  });

  it('clips an unwrapped polygon into a west piece and an east piece shifted back by 360°', () => {
    const parts = splitAtAntimeridian([[[178, 0], [182, 0], [182, 2], [178, 2], [178, 0]]]);
    expect(parts).toHaveLength(2);
    const boxes = parts.map((p) => {
      const xs = p[0].map((q) => q[0]);
      const ys = p[0].map((q) => q[1]);
      return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    });
    expect(boxes.sort()).toEqual([[-180, 0, -178, 2], [178, 0, 180, 2]]);
  });
});
