import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { area as turfArea, booleanPointInPolygon, distance as turfDistance, featureCollection, intersect, lineChunk, point, pointToLineDistance, polygon } from '@turf/turf';
import type { Feature, FeatureCollection, LineString, MultiLineString, Point, Polygon } from 'geojson';
import type { ApiResult, JobEvent, MethodName, MethodRequest, MethodResults } from '../../../src/api/contract';
import { OutcropService } from '../../../src/api/service';
import { importFile } from '../../../src/import/import-file';
import { Project } from '../../../src/store/project';
import { sharedPath } from '../../helpers/data';

// Stored reference layers in the comparison, through the API as the app calls it, on a project
// made from the real USGS major deposits. Expected values: Turf in this file (point in polygon,
// intersect + area, brute-force distances to densified lines), not the core's own functions.
const FIX = resolve(__dirname, '../../fixtures/reference');
const ROADS = join(FIX, 'sw-us-infrastructure.geojson');
const PARKS = join(FIX, 'sw-us-protected-areas.geojson');
const roads = JSON.parse(readFileSync(ROADS, 'utf8')) as FeatureCollection;
const parks = JSON.parse(readFileSync(PARKS, 'utf8')) as FeatureCollection<Polygon>;

let dir: string;
let svc: OutcropService;

async function ok<M extends MethodName>(method: M, req: MethodRequest<M>): Promise<MethodResults[M]> {
  const r: ApiResult<MethodResults[M]> = await svc.call(method, req);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

function jobEnd(jobId: string, seen: JobEvent[] = []): Promise<JobEvent> {
  return new Promise((res) => {
    const off = svc.onJobEvent((e) => {
      if (e.jobId !== jobId) return;
      seen.push(e);
      if (e.type !== 'progress') {
        off();
        res(e);
      }
    });
  });
}

async function importLayer(path: string, role: 'infrastructure' | 'exclusion', name?: string) {
  const { jobId } = (await ok('jobs.layerImport', { path, role, ...(name ? { name } : {}) }))!;
  return jobEnd(jobId);
}

const SITE_MP = { name: 'Mountain Pass', geometry: { type: 'Point' as const, coordinates: [-115.53, 35.48] as [number, number] }, permitStage: 'operating' };
const SITE_SC = { name: 'Silver City', geometry: { type: 'Point' as const, coordinates: [-108.27, 32.77] as [number, number] }, permitStage: 'applied' };
const SITE_TU = { name: 'Tucson', geometry: { type: 'Point' as const, coordinates: [-110.97, 32.0] as [number, number] }, permitStage: 'none' };
// A block north of Silver City reaching into the Gila Wilderness fixture.
const POLY: Polygon = { type: 'Polygon', coordinates: [[[-108.9, 32.9], [-108.4, 32.9], [-108.4, 33.2], [-108.9, 33.2], [-108.9, 32.9]]] };
const SITE_POLY = { name: 'Gila block', geometry: POLY, permitStage: 'none' };
const ids: Record<string, string> = {};

/**
 * Brute force: the smallest great-circle distance to any point of the layer, lines cut into 10 m
 * pieces; from a polygon site, 0 for a point inside it, else the point's distance to its outline.
 */
function bruteNearestKm(p: [number, number] | Polygon): { km: number; name: string } {
  const ring: Feature<LineString> | null = Array.isArray(p) ? null : { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: p.coordinates[0] } };
  const km = (q: number[]) =>
    Array.isArray(p) ? turfDistance(p, q, { units: 'kilometers' }) : booleanPointInPolygon(q, p) ? 0 : pointToLineDistance(q, ring!, { units: 'kilometers', method: 'geodesic' });
  let best = { km: Infinity, name: '' };
  for (const f of roads.features) {
    const name = String(f.properties?.name ?? f.properties?.NAME);
    const pts: number[][] = [];
    if (f.geometry.type === 'Point') pts.push((f.geometry as Point).coordinates);
    else {
      const lines = f.geometry.type === 'LineString' ? [(f.geometry as LineString).coordinates] : (f.geometry as MultiLineString).coordinates;
      for (const l of lines) for (const c of lineChunk({ type: 'LineString', coordinates: l }, 0.01, { units: 'kilometers' }).features) pts.push(...c.geometry.coordinates);
    }
    for (const q of pts) {
      const d = km(q);
      if (d < best.km) best = { km: d, name };
    }
  }
  return best;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-api-ref-'));
  const p = Project.open(join(dir, 'sw.gpkg'), { create: true, actor: 'planner' });
  await importFile(p, sharedPath('deposits', 'usgs-major-deposits-world.geojson'));
  p.close();
  svc = new OutcropService({ host: 'web', version: 'test', settingsDir: join(dir, 'settings'), exportDir: join(dir, 'exports'), downloadUrl: (f) => `/downloads/${f}`, actor: 'planner' });
  await ok('project.open', { path: join(dir, 'sw.gpkg') });
  for (const s of [SITE_MP, SITE_SC, SITE_TU, SITE_POLY]) ids[s.name] = (await ok('sites.save', s as MethodRequest<'sites.save'>)).site.id;
}, 60_000);
afterAll(async () => {
  await svc?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('reference layers through the API', () => {
  it('imports layers as jobs (progress, done with the layer), lists them, refuses a bad file with file/feature/field', async () => {
    const seen: JobEvent[] = [];
    const { jobId } = (await ok('jobs.layerImport', { path: ROADS, role: 'infrastructure', name: 'roads' }))!;
    const end = await jobEnd(jobId, seen);
    expect(end.type).toBe('done');
    expect(end.kind).toBe('layer-import');
    expect((end as { result: any }).result.layer).toMatchObject({ name: 'roads', role: 'infrastructure', featureCount: 4 });
    expect((await importLayer(PARKS, 'exclusion', 'parks')).type).toBe('done');
    expect((await ok('layers.list', {})).map((l) => [l.name, l.role, l.featureCount])).toEqual([
      ['parks', 'exclusion', 2],
      ['roads', 'infrastructure', 4],
    ]);

    const bad = join(dir, 'bad.geojson');
    writeFileSync(bad, JSON.stringify({ type: 'FeatureCollection', features: [parks.features[0], { type: 'Feature', properties: { name: 'x' }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [200, 0], [1, 1], [0, 0]]] } }] }));
    const e = await importLayer(bad, 'exclusion', 'bad');
    expect(e.type).toBe('error');
    const err = (e as { error: { code: string; message: string; problems?: unknown[] } }).error;
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toMatch(/^bad\.geojson: feature 1: "geometry\.coordinates\[0\]\[1\]"/);
    expect(err.problems).toHaveLength(1);
    expect((await ok('layers.list', {})).map((l) => l.name)).toEqual(['parks', 'roads']);
  });

  it('a site inside a stored exclusion zone under "hard" is flagged and ranked last', async () => {
    // Independent check of the fixture: Mountain Pass lies in the Mojave zone, the others in none.
    const inZone = (c: [number, number]) => parks.features.filter((z) => booleanPointInPolygon(point(c), z)).map((z) => z.properties!.name);
    expect(inZone(SITE_MP.geometry.coordinates)).toEqual(['Mojave National Preserve (simplified outline)']);
    expect(inZone(SITE_SC.geometry.coordinates)).toEqual([]);
    expect(inZone(SITE_TU.geometry.coordinates)).toEqual([]);

    const siteIds = [ids['Mountain Pass'], ids['Silver City'], ids['Tucson']];
    // Baseline without exclusions: Mountain Pass is not last, so the zone is what moves it there.
    const base = await ok('analysis.compare', { siteIds, infrastructureLayer: 'roads' });
    expect(base.sites[0].rank).toBeLessThan(3);
    expect(base.exclusionsLabel).toBeNull();
    const c = await ok('analysis.compare', { siteIds, infrastructureLayer: 'roads', exclusionLayers: ['parks'], weights: { exclusionMode: 'hard' } });
    expect(c.exclusionsLabel).toBe('parks');
    const mp = c.sites[0];
    expect(mp.excluded).toBe(true);
    expect(mp.rank).toBe(3);
    const ex = mp.criteria.find((k) => k.key === 'exclusion')!;
    expect(ex.raw).toBe(1);
    expect(ex.explanation).toMatch(/Mojave National Preserve \(simplified outline\) — excluded/);
    expect(c.sites.slice(1).map((s) => [s.excluded, s.criteria.find((k) => k.key === 'exclusion')!.raw])).toEqual([
      [false, 0],
      [false, 0],
    ]);
    // Penalty: no longer excluded; its exclusion criterion is the worst (normalised 0).
    const pen = await ok('analysis.compare', { siteIds, infrastructureLayer: 'roads', exclusionLayers: ['parks'], weights: { exclusionMode: 'penalty' } });
    expect(pen.sites[0].excluded).toBe(false);
    expect(pen.sites[0].criteria.find((k) => k.key === 'exclusion')!.normalised).toBe(0);
  });

  it('the overlap fraction of a polygon site is what Turf intersect + area give', async () => {
    const c = await ok('analysis.compare', { siteIds: [ids['Gila block'], ids['Silver City']], exclusionLayers: ['parks'], weights: { exclusionMode: 'penalty' } });
    const inter = intersect(featureCollection([polygon(POLY.coordinates), parks.features[1] as Feature<Polygon>]))!;
    const expected = turfArea(inter) / turfArea(polygon(POLY.coordinates));
    expect(expected).toBeGreaterThan(0.05);
    expect(expected).toBeLessThan(0.95);
    const raw = c.sites[0].criteria.find((k) => k.key === 'exclusion')!.raw!;
    expect(Math.abs(raw - expected)).toBeLessThan(1e-4);
    expect(c.sites[0].criteria.find((k) => k.key === 'exclusion')!.explanation).toMatch(/Gila Wilderness \(simplified outline\) — penalised/);
    // Hard: both excluded? No — only the block touches a zone.
    const hard = await ok('analysis.compare', { siteIds: [ids['Gila block'], ids['Silver City']], exclusionLayers: ['parks'] });
    expect(hard.sites.map((s) => [s.excluded, s.rank])).toEqual([
      [true, 2],
      [false, 1],
    ]);
  });

  it('the distance to the nearest stored infrastructure feature is what brute-force Turf gives', async () => {
    const c = await ok('analysis.compare', { siteIds: [ids['Mountain Pass'], ids['Silver City'], ids['Tucson'], ids['Gila block']], infrastructureLayer: 'roads' });
    expect(c.infrastructureLabel).toBe('roads');
    // The polygon site is measured from its outline (not its centroid).
    const refs: ([number, number] | Polygon)[] = [SITE_MP.geometry.coordinates, SITE_SC.geometry.coordinates, SITE_TU.geometry.coordinates, POLY];
    refs.forEach((p, i) => {
      const k = c.sites[i].criteria.find((x) => x.key === 'infrastructure')!;
      const want = bruteNearestKm(p);
      // 10 m pieces: the brute force is at most 5 m long; great-circle vs chunked path differ by far less than 50 m at these lengths.
      expect(Math.abs(k.raw! - want.km)).toBeLessThan(0.05);
      expect(k.explanation).toContain(`nearest roads: ${want.name}`);
    });
    // Mountain Pass sits on I-15 (under 1 km), the Gila block is nearest the power line.
    expect(c.sites[0].criteria.find((x) => x.key === 'infrastructure')!.raw!).toBeLessThan(1);
    expect(bruteNearestKm(SITE_MP.geometry.coordinates).name).toMatch(/Interstate 15/);
    expect(c.sites[3].criteria.find((x) => x.key === 'infrastructure')!.explanation).toMatch(/345 kV/);
    // Without a layer: processing plants as before; null: not assessed.
    expect((await ok('analysis.compare', { siteIds: [ids['Mountain Pass'], ids['Tucson']] })).infrastructureLabel).toMatch(/processing plant/);
    const none = await ok('analysis.compare', { siteIds: [ids['Mountain Pass'], ids['Tucson']], infrastructureLayer: null });
    expect(none.sites[0].criteria.find((x) => x.key === 'infrastructure')!.applicable).toBe(false);
    // An unknown layer is an error naming the stored ones.
    const r = await svc.call('analysis.compare', { siteIds: [ids['Mountain Pass'], ids['Tucson']], infrastructureLayer: 'railways' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/no reference layer "railways".*stored: parks, roads/);
  });

  it('the report names the layers used; commodity sensitivity is in the result and the report', async () => {
    const req = { siteIds: [ids['Mountain Pass'], ids['Silver City'], ids['Tucson']], infrastructureLayer: 'roads', exclusionLayers: ['parks'], weights: { exclusionMode: 'penalty' as const } };
    const c = await ok('analysis.compare', req);
    expect(c.commodityVariations.length).toBeGreaterThan(0);
    expect(c.commodityVariations.every((v) => v.factor === 0.8 || v.factor === 1.2)).toBe(true);
    expect(c.sites.every((s) => s.commodityMinRank <= s.rank && s.commodityMaxRank >= s.rank)).toBe(true);
    const rep = (await ok('analysis.report', { ...req, format: 'html', path: join(dir, 'r.html') }))!;
    const html = readFileSync(rep.file, 'utf8');
    expect(html).toContain('Infrastructure layer: <b>roads</b> · Exclusion zones: <b>parks</b> (penalty)');
    expect(html).toMatch(/<h2>Sensitivity to commodity priorities/);
    const csv = readFileSync((await ok('analysis.report', { ...req, format: 'csv', path: join(dir, 'r.csv') }))!.file, 'utf8');
    const [header, row] = csv.split('\r\n');
    expect(header.split(',').slice(-3)).toEqual(['infrastructure_layer', 'exclusion_layers', 'exclusion_mode']);
    expect(row.split(',').slice(-3)).toEqual(['roads', 'parks', 'penalty']);
  });

  it('deletes a layer; a comparison naming it then fails', async () => {
    const r = await ok('layers.delete', { names: ['parks'] });
    expect(r).toEqual({ deleted: 1, layers: [expect.objectContaining({ name: 'roads' })], project: expect.objectContaining({ undo: expect.objectContaining({ undoLabel: 'Delete reference layer parks' }) }) });
    const c = await svc.call('analysis.compare', { siteIds: [ids['Mountain Pass'], ids['Tucson']], exclusionLayers: ['parks'] });
    expect(c.ok).toBe(false);
  });
});
