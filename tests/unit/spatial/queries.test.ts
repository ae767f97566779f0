import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature, MultiPolygon, Point, Polygon } from 'geojson';
import { booleanPointInPolygon, distance } from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Project } from '../../../src/store/project';
import { emptyDepositFields, emptySurveyFields } from '../../../src/model/defaults';
import { depositsNear, depositsWithin, depositsWithinSurvey, nearestDeposits, surveysIntersecting } from '../../../src/spatial';
import { readSharedJson } from '../../helpers/data';
import { filterSql, getFeature } from '../../../src/store/read';
import { partBoxes } from '../../../src/spatial/bbox';
import type { CommodityCode } from '../../../src/model/vocab/commodities';

// Real data: USGS major deposits of the world + USGS REE deposits (3,739 points), and the
// USGS Earth MRI project areas (13 MultiPolygons with holes) as query areas.
const major = readSharedJson('deposits', 'usgs-major-deposits-world.geojson').features as Feature<Point>[];
const ree = readSharedJson('deposits', 'usgs-ree-deposits-world.geojson').features as Feature<Point>[];
const earthMri = readSharedJson('polygons', 'usgs-earthmri-projects-nm-sw.geojson').features as Feature<MultiPolygon>[];
const points = [...major, ...ree];

let dir: string;
let project: Project;
const idOf = new Map<Feature<Point>, string>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-spatial-'));
  project = Project.open(join(dir, 'p.gpkg'), { create: true });
  await project.write('test', 'load', (w) => {
    for (const f of points) {
      const id = w.insertDeposit(
        { ...emptyDepositFields(String(f.properties?.name ?? 'x')), commoditiesMain: [(String(f.properties?.commodities ?? '').split('; ')[0] || 'Cu') as CommodityCode] },
        f.geometry,
      );
      idOf.set(f, id);
    }
  });
});
afterAll(() => {
  project.close();
  rmSync(dir, { recursive: true, force: true });
});

const ids = (fs: { id: string }[]) => fs.map((f) => f.id).sort();

describe('depositsWithin', () => {
  it('matches brute-force turf.booleanPointInPolygon for every Earth MRI area', () => {
    let total = 0;
    for (const area of earthMri) {
      const expected = points.filter((p) => booleanPointInPolygon(p.geometry, area.geometry)).map((p) => idOf.get(p)!);
      const got = depositsWithin(project, area.geometry);
      expect(ids(got)).toEqual(expected.sort());
      total += expected.length;
    }
    expect(total).toBeGreaterThan(20); // the SW US areas hold many real sites
  });

  it('loads full records equal to the one-by-one read, in fid order, over many chunks', async () => {
    // One record with every kind of column filled: JSON (resources, extra), code lists, text.
    const rich = await project.write('test', 'rich', (w) =>
      w.insertDeposit(
        { ...emptyDepositFields('Rich record'), commoditiesMain: ['Nd', 'Dy'], commoditiesSecondary: ['Nb'], status: 'prospect', notes: 'note "quoted"', resources: [{ tonnage: 4.2, tonnageUnit: 'Mt', grade: 1.5, gradeUnit: '%', commodity: 'REE' }], extra: { owner: 'JOGMEC', depth_m: 120, tags: ['a', 'b'] } } as never,
        { type: 'Point', coordinates: [10.5, 20.5] },
      ),
    );
    const world: Polygon = { type: 'Polygon', coordinates: [[[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]]] };
    const got = depositsWithin(project, world);
    expect(got.length).toBeGreaterThan(3_700); // every deposit: more than seven chunks of 500
    const fids = new Map((project.db.prepare('SELECT id, fid FROM deposits').raw().all() as [string, number][]).map(([id, fid]) => [id, fid]));
    const order = got.map((f) => fids.get(f.id)!);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    for (const f of got) expect(f).toEqual(getFeature(project, 'deposits', f.id));
    const r = got.find((f) => f.id === rich)!;
    expect(r.properties.resources).toEqual([{ tonnage: 4.2, tonnageUnit: 'Mt', grade: 1.5, gradeUnit: '%', commodity: 'REE' }]);
    expect(r.properties.extra).toEqual({ owner: 'JOGMEC', depth_m: 120, tags: ['a', 'b'] });
    expect(r.properties.commodities_main).toEqual(['Nd', 'Dy']);
    // Records are the caller's own: changing one leaves the next answer as it was.
    (r.properties.resources as unknown[]).push('x');
    (got[0].properties.extra as Record<string, unknown>).x = 1;
    const again = depositsWithin(project, world);
    expect(again.find((f) => f.id === rich)!.properties.resources).toHaveLength(1);
    expect(again[0].properties.extra).not.toHaveProperty('x');
    await project.write('test', 'drop rich', (w) => w.delete('deposits', rich));
  });

  it('keeps points on edges and vertices, including coordinates float32 cannot represent', async () => {
    const x = 139.123456789; // not representable as float32
    const square: Polygon = { type: 'Polygon', coordinates: [[[x, 35.1], [x + 0.5, 35.1], [x + 0.5, 35.6], [x, 35.6], [x, 35.1]]] };
    const onEdge = await project.write('test', 'edge', (w) => [
      w.insertDeposit(emptyDepositFields('west edge'), { type: 'Point', coordinates: [x, 35.3] }),
      w.insertDeposit(emptyDepositFields('corner'), { type: 'Point', coordinates: [x, 35.1] }),
      w.insertDeposit(emptyDepositFields('just outside'), { type: 'Point', coordinates: [x - 1e-9, 35.3] }),
    ]);
    const got = ids(depositsWithin(project, square));
    expect(got).toContain(onEdge[0]);
    expect(got).toContain(onEdge[1]);
    expect(got).not.toContain(onEdge[2]);
  });

  it('is right across the antimeridian (Fiji survey split at 180°)', async () => {
    // Fiji survey from 177°E to 179°W, stored split at the antimeridian (RFC 7946 §3.1.9).
    const fiji: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [
        [[[177, -19], [180, -19], [180, -16], [177, -16], [177, -19]]],
        [[[-180, -19], [-179, -19], [-179, -16], [-180, -16], [-180, -19]]],
      ],
    };
    const [east, west, greenwich] = await project.write('test', 'fiji', (w) => [
      w.insertDeposit(emptyDepositFields('east of 180'), { type: 'Point', coordinates: [179.9, -17] }),
      w.insertDeposit(emptyDepositFields('west of 180'), { type: 'Point', coordinates: [-179.5, -17] }),
      w.insertDeposit(emptyDepositFields('Greenwich'), { type: 'Point', coordinates: [0, -17] }),
    ]);
    const sid = await project.write('test', 'survey', (w) => w.insertSurvey(emptySurveyFields('Fiji'), fiji));
    const got = ids(depositsWithinSurvey(project, sid));
    expect(got).toContain(east);
    expect(got).toContain(west);
    expect(got).not.toContain(greenwich);
    // 0.6° of longitude at 17°S ≈ 63.8 km (turf.distance), across the antimeridian
    const near = depositsNear(project, [179.9, -17], 100).map((r) => r.feature.id);
    expect(near).toContain(west);
    expect(nearestDeposits(project, [-179.6, -17], 1, { ids: [east, west, greenwich] }).map((r) => r.feature.id)).toEqual([west]);
    expect(nearestDeposits(project, [179.99, -17], 2, { ids: [east, west, greenwich] }).map((r) => r.feature.id)).toEqual([east, west]);
    expect(surveysIntersecting(project, { type: 'Polygon', coordinates: [[[179, -18], [179.5, -18], [179.5, -17], [179, -17], [179, -18]]] }).map((s) => s.id)).toEqual([sid]);
  });

  it('a bbox filter narrows an area query (intersection, not union)', () => {
    const area = earthMri.find((a) => a.properties?.pid === 50001)!.geometry;
    const bbox: [number, number, number, number] = [-112, 31, -108, 35];
    const expected = points
      .filter((p) => booleanPointInPolygon(p.geometry, area))
      .filter((p) => { const [x, y] = p.geometry.coordinates; return x >= -112 && x <= -108 && y >= 31 && y <= 35; })
      .map((p) => idOf.get(p)!);
    const all = depositsWithin(project, area);
    const got = depositsWithin(project, area, { bbox });
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    expect(ids(got)).toEqual(expected.sort());
  });

  it('answers for an area of 600 parts, also as a stored survey (more parts than SQLite has depth for one OR each)', async () => {
    // 1° cells with 0.2° gaps over the western US and Mexico: 25 × 24 parts.
    const cells: MultiPolygon['coordinates'] = [];
    for (let i = 0; i < 25; i++) {
      for (let j = 0; j < 24; j++) {
        const [x, y] = [-125 + i * 1.2, 15 + j * 1.2];
        cells.push([[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]);
      }
    }
    const area: MultiPolygon = { type: 'MultiPolygon', coordinates: cells };
    const expected = points.filter((p) => booleanPointInPolygon(p.geometry, area)).map((p) => idOf.get(p)!);
    expect(expected.length).toBeGreaterThan(50);
    expect(ids(depositsWithin(project, area))).toEqual([...expected].sort());
    const sid = await project.write('test', 'grid survey', (w) => w.insertSurvey(emptySurveyFields('600-cell survey'), area));
    expect(ids(depositsWithinSurvey(project, sid))).toEqual([...expected].sort());
    // With a bbox filter on top (both prefilters ANDed).
    const inBox = (p: Feature<Point>) => { const [x, y] = p.geometry.coordinates; return x >= -115 && x <= -105 && y >= 30 && y <= 40; };
    const boxed = points.filter((p) => inBox(p) && booleanPointInPolygon(p.geometry, area)).map((p) => idOf.get(p)!);
    expect(ids(depositsWithin(project, area, { bbox: [-115, 30, -105, 40] }))).toEqual(boxed.sort());
    expect(surveysIntersecting(project, area).map((s) => s.id)).toContain(sid);
    // The boxes' list drives the join and each box is an R*Tree search (not a scan of the tree
    // per box: 3 minutes for the 4,830 Arizona geology polygons over 110k deposits, now 2 s).
    const { where, params } = filterSql('deposits', {}, partBoxes(area));
    const plan = (project.db.prepare(`EXPLAIN QUERY PLAN SELECT fid FROM deposits WHERE ${where.join(' AND ')}`).all(...params) as { detail: string }[]).map((r) => r.detail);
    expect(plan.findIndex((d) => d.startsWith('SCAN b'))).toBeLessThan(plan.findIndex((d) => d.startsWith('SCAN r')));
    expect(plan.find((d) => d.startsWith('SCAN r'))).toMatch(/VIRTUAL TABLE INDEX \d+:[A-F]\d/);
  });

  it('filters by commodity', () => {
    const area = earthMri.find((a) => a.properties?.pid === 50001)!.geometry;
    const all = depositsWithin(project, area);
    const reeOnly = depositsWithin(project, area, { commodity: ['REE'] });
    expect(reeOnly.length).toBeGreaterThan(0);
    expect(reeOnly.length).toBeLessThan(all.length);
    // REE is a group: deposits coded with a member (Nd, Dy, La …) match too
    const members = ['REE', 'La', 'Ce', 'Pr', 'Nd', 'Pm', 'Sm', 'Eu', 'Gd', 'Tb', 'Dy', 'Ho', 'Er', 'Tm', 'Yb', 'Lu', 'Y', 'Sc'];
    expect(reeOnly.every((f) => (f.properties.commodities_main as string[]).some((c) => members.includes(c)))).toBe(true);
    const expectedCount = all.filter((f) => (f.properties.commodities_main as string[]).some((c) => members.includes(c))).length;
    expect(reeOnly.length).toBe(expectedCount);
  });
});

describe('depositsNear and nearestDeposits', () => {
  const centres: [string, [number, number], number][] = [
    ['Mountain Pass, California', [-115.53, 35.48], 300],
    ['Tokyo', [139.69, 35.69], 500],
    ['Fiji, across the antimeridian', [179.9, -17.5], 800],
    ['high Arctic', [-40, 80], 1500],
  ];
  for (const [name, c, km] of centres) {
    it(`near ${name}: same set and order as brute-force turf.distance`, () => {
      const expected = points
        .map((p) => ({ id: idOf.get(p)!, d: distance(c, p.geometry.coordinates, { units: 'kilometers' }) }))
        .filter((x) => x.d <= km)
        .sort((a, b) => a.d - b.d);
      expect(expected.length).toBeGreaterThan(0);
      const got = depositsNear(project, c, km).filter((r) => idOf.size && [...idOf.values()].includes(r.feature.id));
      expect(got.map((r) => r.feature.id)).toEqual(expected.map((e) => e.id));
      got.forEach((r, i) => expect(r.distanceKm).toBeCloseTo(expected[i].d, 6));
    });

    it(`nearest 7 to ${name} equal brute force`, () => {
      const all = points
        .map((p) => ({ id: idOf.get(p)!, d: distance(c, p.geometry.coordinates, { units: 'kilometers' }) }))
        .sort((a, b) => a.d - b.d);
      const got = nearestDeposits(project, c, 7, { ids: [...idOf.values()] });
      expect(got.map((r) => r.distanceKm)).toEqual(all.slice(0, 7).map((e) => expect.closeTo(e.d, 6)));
    });
  }

  it('rejects a negative radius and k = 0', () => {
    expect(() => depositsNear(project, [0, 0], -1)).toThrow(/distance/);
    expect(() => nearestDeposits(project, [0, 0], 0)).toThrow(/k must be/);
  });
});
