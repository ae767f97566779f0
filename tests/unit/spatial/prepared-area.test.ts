import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { PreparedArea } from '../../../src/spatial/prepared-area';
import { readSharedJson, sharedPath } from '../../helpers/data';
import { seededRandom } from '../../helpers/random';


function agreeWithTurf(area: Polygon | MultiPolygon, n: number, seed: number) {
  const prepared = new PreparedArea(area);
  const rand = seededRandom(seed);
  const ring = area.type === 'Polygon' ? area.coordinates[0] : area.coordinates[0][0];
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  let inside = 0;
  for (let i = 0; i < n; i++) {
    const p = [x0 + (x1 - x0) * (rand() * 1.2 - 0.1), y0 + (y1 - y0) * (rand() * 1.2 - 0.1)];
    const expected = booleanPointInPolygon(p, area);
    expect(prepared.contains(p[0], p[1]), `point ${p}`).toBe(expected);
    if (expected) inside++;
  }
  // vertices, and midpoints of axis-aligned edges (exactly on the edge), are inside, as in Turf.
  // Midpoints of slanted edges are rounded off the edge by floating point: either answer is right.
  const rings = area.type === 'Polygon' ? area.coordinates : area.coordinates.flat();
  for (const r of rings.slice(0, 5)) {
    for (let i = 0; i + 1 < r.length; i += Math.max(1, Math.floor(r.length / 50))) {
      expect(prepared.contains(r[i][0], r[i][1])).toBe(true);
      if (r[i][0] !== r[i + 1][0] && r[i][1] !== r[i + 1][1]) continue;
      const mid = [(r[i][0] + r[i + 1][0]) / 2, (r[i][1] + r[i + 1][1]) / 2];
      expect(prepared.contains(mid[0], mid[1])).toBe(true);
      expect(booleanPointInPolygon(mid, area)).toBe(true);
    }
  }
  return inside;
}

describe('PreparedArea agrees with turf.booleanPointInPolygon', () => {
  it('on the Earth MRI areas (MultiPolygons with holes)', () => {
    const fc = readSharedJson('polygons', 'usgs-earthmri-projects-nm-sw.geojson');
    let inside = 0;
    fc.features.forEach((f: any, i: number) => (inside += agreeWithTurf(f.geometry, 3000, i + 1)));
    expect(inside).toBeGreaterThan(1000);
  });

  it('on 200 Arizona geologic-map polygons', () => {
    const fc = JSON.parse(gunzipSync(readFileSync(sharedPath('polygons', 'arizona-geology-1m-polygons.geojson.gz'))).toString('utf8'));
    fc.features.slice(0, 200).forEach((f: any, i: number) => agreeWithTurf(f.geometry, 200, 1000 + i));
  });

  it('on a square: corners, edges, outside', () => {
    const sq: Polygon = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] };
    const p = new PreparedArea(sq);
    expect(p.contains(0, 0)).toBe(true);
    expect(p.contains(1, 0.5)).toBe(true);
    expect(p.contains(0.5, 0.5)).toBe(true);
    expect(p.contains(1.0000001, 0.5)).toBe(false);
    expect(p.contains(0.5, -1e-12)).toBe(false);
  });
});

describe('PreparedArea of overlapping parts (an area file of several polygons)', () => {
  it('a point is inside when it is inside any part: the 12 overlapping Earth MRI areas as one MultiPolygon', () => {
    // 50001 and 20047 hold most of the others, 1034 overlaps 20033: even-odd over all rings of
    // all parts would call the overlaps outside. Expected: Turf feature by feature, OR'ed.
    const fc = readSharedJson('polygons', 'usgs-earthmri-projects-nm-sw.geojson');
    const polys: MultiPolygon[] = fc.features.filter((f: any) => f.properties.pid !== 20047).map((f: any) => f.geometry);
    const all: MultiPolygon = { type: 'MultiPolygon', coordinates: polys.flatMap((g) => g.coordinates) };
    const prepared = new PreparedArea(all);
    const rand = seededRandom(42);
    let inTwoOrMore = 0;
    for (let i = 0; i < 20000; i++) {
      const p = [-125 + 25 * rand(), 28 + 16 * rand()];
      const n = polys.filter((g) => booleanPointInPolygon(p, g)).length;
      if (n >= 2) inTwoOrMore++;
      expect(prepared.contains(p[0], p[1]), `point ${p}`).toBe(n > 0);
    }
    expect(inTwoOrMore).toBeGreaterThan(300);
  });

  it('two overlapping squares, one with a hole: holes count per part', () => {
    const a: Polygon['coordinates'] = [[[0, 0], [3, 0], [3, 3], [0, 3], [0, 0]], [[1, 1], [1, 2], [2, 2], [2, 1], [1, 1]]];
    const b: Polygon['coordinates'] = [[[1.5, 1.5], [5, 1.5], [5, 5], [1.5, 5], [1.5, 1.5]]];
    const p = new PreparedArea({ type: 'MultiPolygon', coordinates: [a, b] });
    expect(p.contains(0.5, 0.5)).toBe(true); // a only
    expect(p.contains(1.2, 1.2)).toBe(false); // a's hole, outside b
    expect(p.contains(1.8, 1.8)).toBe(true); // a's hole, inside b
    expect(p.contains(2.5, 2.5)).toBe(true); // a and b
    expect(p.contains(4, 4)).toBe(true); // b only
    expect(p.contains(4, 0.5)).toBe(false);
    expect(p.contains(3, 2.5)).toBe(true); // a's edge inside b
  });
});
