import { booleanPointInPolygon, point } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { crossesAntimeridian, splitAtAntimeridian, unwrapRing } from '../../../src/geometry/antimeridian';
import type { LonLat } from '../../../src/geometry/positions';
import { validateGeometry } from '../../../src/geometry/validate';

// Fiji, roughly: 177°E to 179°W, 16°S to 19°S, drawn the RFC 7946 way across the antimeridian.
const FIJI = { type: 'Polygon', coordinates: [[[177, -16], [-179, -16], [-179, -19], [177, -19], [177, -16]]] };
const WORLD: Polygon = { type: 'Polygon', coordinates: [[[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]]] };
const ARCTIC: Polygon = { type: 'Polygon', coordinates: [[[-180, 60], [180, 60], [180, 90], [-180, 90], [-180, 60]]] };

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

  it('reads a jump of more than 180° as a crossing only when both ends are near the line (|lon| > 90)', () => {
    expect(crossesAntimeridian([[95, 0], [-95, 0]])).toBe(true); // 170° the short way, across 180
    expect(crossesAntimeridian([[-10, 30], [175, 30]])).toBe(false); // 185° wide, planar (RFC 7946 §3.1.1)
    expect(crossesAntimeridian([[80, 0], [-110, 0]])).toBe(false);
    expect(crossesAntimeridian([[-150, 0], [90, 0]])).toBe(false); // 90 is not "near"
  });

  it('never reads an edge from −180 to 180 along or round the map as a crossing, only a hop through the line', () => {
    expect(crossesAntimeridian(WORLD.coordinates[0] as LonLat[])).toBe(false);
    expect(crossesAntimeridian(ARCTIC.coordinates[0] as LonLat[])).toBe(false);
    expect(crossesAntimeridian([[-180, 10], [180, 10]])).toBe(false);
    // 177 → 180 → −180 → −178: the ring comes from the east side and goes on on the west side.
    const hop: LonLat[] = [[177, -20], [180, -20], [-180, -20], [-178, -20], [-178, -15], [-180, -15], [180, -15], [177, -15], [177, -20]];
    expect(crossesAntimeridian(hop)).toBe(true);
    expect(unwrapRing(hop)).toEqual([[177, -20], [180, -20], [180, -20], [182, -20], [182, -15], [180, -15], [180, -15], [177, -15], [177, -20]]);
  });

  it('still reads Fiji drawn 177 → −178 across the line: 179.9 is inside, 0 is not (Turf on the stored polygons)', () => {
    const wrap = { type: 'Polygon', coordinates: [[[177, -20], [-178, -20], [-178, -15], [177, -15], [177, -20]]] };
    const r = validateGeometry(wrap, {});
    expect(r.problems).toEqual([]);
    const g = r.geometry as MultiPolygon;
    expect(booleanPointInPolygon(point([179.9, -17]), g)).toBe(true);
    expect(booleanPointInPolygon(point([-179.9, -17]), g)).toBe(true);
    expect(booleanPointInPolygon(point([0, -17]), g)).toBe(false);
    expect(booleanPointInPolygon(point([-170, -17]), g)).toBe(false);
  });

  it('keeps a box over 180° wide with an end far from the line as drawn (planar, RFC 7946): Paris and Tokyo in, Denver out', () => {
    const eurasia: Polygon = { type: 'Polygon', coordinates: [[[-10, 30], [175, 30], [175, 75], [-10, 75], [-10, 30]]] };
    const r = validateGeometry(eurasia, {});
    expect(r.problems).toEqual([]);
    expect(r.geometry).toEqual(eurasia);
    for (const [p, inside] of [[[2.35, 48.85], true], [[139.69, 35.69], true], [[-104.99, 39.74], false], [[179, 50], false]] as const) {
      expect(booleanPointInPolygon(point([...p]), r.geometry as Polygon), String(p)).toBe(inside);
      expect(booleanPointInPolygon(point([...p]), eurasia), String(p)).toBe(inside); // Turf on the drawn box agrees
    }
  });

  it('accepts the whole world and an Arctic cap box, containing what they contain planarly', () => {
    const world = validateGeometry(WORLD, {});
    expect(world.problems).toEqual([]);
    for (const p of [[0, 0], [179.9, -89], [-179.9, 89], [2.35, 48.85], [-104.99, 39.74]]) {
      expect(booleanPointInPolygon(point(p), world.geometry as Polygon), String(p)).toBe(true);
    }
    const arctic = validateGeometry(ARCTIC, {});
    expect(arctic.problems).toEqual([]);
    const g = arctic.geometry as Polygon;
    for (const [p, inside] of [[[0, 70], true], [[179.9, 60.5], true], [[-179.9, 89], true], [[100, 65], true], [[0, 59.9], false], [[-120, 40], false]] as const) {
      expect(booleanPointInPolygon(point([...p]), g), String(p)).toBe(inside);
    }
    // The same cap drawn with vertices every 90°: same answer.
    const arctic2 = validateGeometry({ type: 'Polygon', coordinates: [[[-180, 60], [-90, 60], [0, 60], [90, 60], [180, 60], [180, 90], [90, 90], [0, 90], [-90, 90], [-180, 90], [-180, 60]]] }, {});
    expect(arctic2.problems).toEqual([]);
    expect(booleanPointInPolygon(point([0, 70]), arctic2.geometry as Polygon)).toBe(true);
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
