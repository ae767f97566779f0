import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { area as turfArea, bboxPolygon, distance as turfDistance, featureCollection, intersect, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { ApiResult, ComparisonResult, CoverageSummary, JobEvent, MethodName, MethodRequest, MethodResults } from '../../../src/api/contract';
import { OutcropService } from '../../../src/api/service';
import { importFile } from '../../../src/import/import-file';
import { Project } from '../../../src/store/project';
import { readSharedJson, sharedPath } from '../../helpers/data';

// The analysis UI's calls, on a project made from the real USGS major deposits and the Earth
// MRI project outlines; expected values come from brute-force Turf over the source files.
let dir: string;
let svc: OutcropService;
let pdfCalls: string[] = [];
const deposits = readSharedJson('deposits', 'usgs-major-deposits-world.geojson').features as Feature<GeoJSON.Point>[];
// Project 20047 crosses itself (README): the importer rejects it, so the independent union leaves it out too.
const surveys = (readSharedJson('polygons', 'usgs-earthmri-projects-nm-sw.geojson').features as Feature<Polygon | MultiPolygon>[]).filter((f) => f.properties?.pid !== 20047);

async function ok<M extends MethodName>(method: M, req: MethodRequest<M>, s = svc): Promise<MethodResults[M]> {
  const r: ApiResult<MethodResults[M]> = await s.call(method, req);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

function jobEnd(jobId: string, seen: JobEvent[] = [], s = svc): Promise<JobEvent> {
  return new Promise((resolve) => {
    const off = s.onJobEvent((e) => {
      if (e.jobId !== jobId) return;
      seen.push(e);
      if (e.type !== 'progress') {
        off();
        resolve(e);
      }
    });
  });
}

const SITES = [
  { name: 'Silver City', geometry: { type: 'Point' as const, coordinates: [-108.27, 32.77] as [number, number] }, roles: ['mine'], targetCommodities: ['Cu'], permitStage: 'exploration-licence' },
  { name: 'Tucson porphyry belt', geometry: { type: 'Point' as const, coordinates: [-110.97, 32.0] as [number, number] }, roles: ['mine', 'processing'], targetCommodities: ['copper'], permitStage: 'applied' },
  { name: 'Mountain Pass', geometry: { type: 'Point' as const, coordinates: [-115.53, 35.48] as [number, number] }, roles: ['separation', 'magnet'], targetCommodities: ['REE'], permitStage: 'operating' },
];
let siteIds: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-api-analysis-'));
  const p = Project.open(join(dir, 'sw.gpkg'), { create: true, actor: 'planner' });
  await importFile(p, sharedPath('deposits', 'usgs-major-deposits-world.geojson'));
  const mri = await importFile(p, sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), { layer: 'surveys', skipInvalid: true, reportPath: join(dir, 'rejected.geojson') });
  expect(mri.written.surveys).toBe(surveys.length);
  p.close();
  svc = new OutcropService({
    host: 'web',
    version: 'test',
    settingsDir: join(dir, 'settings'),
    exportDir: join(dir, 'exports'),
    downloadUrl: (f) => `/downloads/${f}`,
    actor: 'planner',
  });
  await ok('project.open', { path: join(dir, 'sw.gpkg') });
}, 60_000);
afterAll(async () => {
  await svc?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('analysis.prepare', () => {
  it('reads every deposit for the comparison ahead of time and says how many', async () => {
    const major = readSharedJson('deposits', 'usgs-major-deposits-world.geojson').features.length;
    expect((await ok('analysis.prepare', {})).deposits).toBe(major);
    // Asked again after an edit that touched no deposit: the same deposits.
    await ok('sites.save', { name: 'Prepared', roles: ['mine'], geometry: { type: 'Point', coordinates: [-110, 32] } });
    expect((await ok('analysis.prepare', {})).deposits).toBe(major);
    const sites = await ok('sites.list', {});
    await ok('sites.delete', { ids: sites.filter((x) => x.name === 'Prepared').map((x) => x.id) });
  });
});

describe('analysis.options', () => {
  it('lists world countries for the AOI and the agencies and methods of the stored surveys', async () => {
    const o = await ok('analysis.options', {});
    expect(o.aoiCountries).toEqual(expect.arrayContaining(['Japan', 'United States of America', 'Chile']));
    expect(o.agencies.length).toBeGreaterThan(0);
    expect(o.criteria).toEqual(['deposits', 'development', 'resources', 'infrastructure', 'coverage', 'exclusion', 'permitting']);
    expect(Object.values(o.defaultWeights.criteria).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(o.roles.map((r) => r.code)).toContain('magnet');
    expect(o.permitStages[0].code).toBe('none');
  });
});

describe('jobs.coverage', () => {
  const box: [number, number, number, number] = [-110, 31, -104, 35];

  it('covers a drawn AOI by the percentage an independent Turf union gives, with gaps that fill the rest', async () => {
    const seen: JobEvent[] = [];
    const { jobId } = await ok('jobs.coverage', { aoi: { area: bboxPolygon(box).geometry as any, label: 'SW New Mexico' }, by: 'agency' });
    const end = await jobEnd(jobId, seen);
    expect(end.type).toBe('done');
    const s = (end as Extract<JobEvent, { type: 'done' }>).result as CoverageSummary;

    let u: Feature<Polygon | MultiPolygon> = surveys[0];
    for (const f of surveys.slice(1)) u = union(featureCollection([u, f]))!;
    const clipped = intersect(featureCollection([u, bboxPolygon(box)]))!;
    const aoiKm2 = turfArea(bboxPolygon(box)) / 1e6;
    const coveredKm2 = turfArea(clipped) / 1e6;
    expect(s.aoiKm2).toBeCloseTo(aoiKm2, 3);
    expect(Math.abs(s.coveredKm2 - coveredKm2) / coveredKm2).toBeLessThan(1e-6);
    expect(s.coveredPct!).toBeCloseTo((coveredKm2 / aoiKm2) * 100, 4);
    expect(s.coveredPct!).toBeGreaterThan(1);
    expect(s.coveredPct!).toBeLessThan(100);
    // The gaps are the AOI minus the union: the two add up to the AOI.
    expect(s.gapsKm2! + s.coveredKm2).toBeCloseTo(aoiKm2, 1);
    const gapsArea = s.geojson.gaps.features.reduce((a, f) => a + turfArea(f) / 1e6, 0);
    expect(gapsArea).toBeCloseTo(s.gapsKm2!, 1);
    expect(s.geojson.gaps.features.every((f) => f.geometry.type === 'Polygon')).toBe(true);
    // Surveys that touch the box, counted independently (bounding-box test then real intersection).
    const touching = surveys.filter((f) => intersect(featureCollection([f, bboxPolygon(box)])));
    expect(s.surveyCount).toBe(touching.length);
    expect(s.groups.length).toBeGreaterThan(1);
    for (const g of s.groups) expect(g.pctOfAoi!).toBeCloseTo((g.areaKm2 / aoiKm2) * 100, 6);
    for (const o of s.overlaps) expect(s.geojson.overlaps.features.some((f) => f.properties?.a === o.a && f.properties?.b === o.b)).toBe(true);
    expect(seen.some((e) => e.type === 'progress')).toBe(true);
  });

  it('takes a country AOI by name and refuses an unknown one as a call error', async () => {
    const { jobId } = await ok('jobs.coverage', { aoi: { country: 'United States of America' }, filter: { agency: ['no such agency'] } });
    const end = (await jobEnd(jobId)) as Extract<JobEvent, { type: 'done' }>;
    const s = end.result as CoverageSummary;
    expect(s.aoiLabel).toBe('United States of America');
    expect(s.surveyCount).toBe(0);
    expect(s.coveredPct).toBe(0);
    expect(s.aoiKm2!).toBeGreaterThan(9e6); // the 50 states, with Alaska: ~9.5 million km²
    expect(s.aoiKm2!).toBeLessThan(1e7);
    const bad = await svc.call('jobs.coverage', { aoi: { country: 'Atlantis' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/unknown country "Atlantis"/);
  });

  it('takes a US state by postal code and a prefecture by Japanese name; filters by dates; refuses bad dates and names as call errors', async () => {
    const nmFile = (JSON.parse(readFileSync(join(__dirname, '../../../assets/basemap/us-state-areas.geojson'), 'utf8')).features as Feature<MultiPolygon>[]).find((f) => f.properties!.postal === 'NM')!;
    // Surveys still running in 2024 or later (no end year = still running), ∩ New Mexico, by Turf.
    const late = surveys.filter((f) => (f.properties!.yearend === null || f.properties!.yearend >= 2024) && intersect(featureCollection([f, nmFile])));
    let u: Feature<Polygon | MultiPolygon> = late[0];
    for (const f of late.slice(1)) u = union(featureCollection([u, f]))!;
    const covered = turfArea(intersect(featureCollection([u, nmFile]))!) / 1e6;
    const { jobId } = await ok('jobs.coverage', { aoi: { state: 'NM' }, filter: { from: '2024' }, by: 'agency' });
    const s = ((await jobEnd(jobId)) as Extract<JobEvent, { type: 'done' }>).result as CoverageSummary;
    expect(s.aoiLabel).toBe('New Mexico');
    expect(s.surveyCount).toBe(late.length);
    expect(s.coveredKm2).toBeCloseTo(covered, 1);
    expect(s.aoiKm2!).toBeCloseTo(turfArea(nmFile) / 1e6, 3);
    expect(s.geojson.aoi.features.length).toBe(1);

    const jp = await ok('jobs.coverage', { aoi: { prefecture: '北海道' } });
    const h = ((await jobEnd(jp.jobId)) as Extract<JobEvent, { type: 'done' }>).result as CoverageSummary;
    expect(h.aoiLabel).toBe('Hokkaido (北海道)');
    expect(h.surveyCount).toBe(0);
    expect(h.coveredPct).toBe(0);

    for (const [req, message] of [
      [{ aoi: { prefecture: 'Hokaido' } }, /unknown Japanese prefecture "Hokaido"; did you mean Hokkaido/],
      [{ aoi: { state: 'Nevda' } }, /unknown US state "Nevda"; did you mean Nevada/],
      [{ filter: { from: '1st May 2024' } }, /YYYY/],
      [{ filter: { from: '2024-05', to: '2023' } }, /from 2024-05 is after to 2023/],
      [{ aoi: { state: 'NV', prefecture: '1' } }, /./],
    ] as const) {
      const bad = await svc.call('jobs.coverage', req as never);
      expect(bad.ok).toBe(false);
      if (!bad.ok) expect(bad.error.message).toMatch(message);
    }
    const o = await ok('analysis.options', {});
    // With the box the map fits to (Nevada's borders: 120° W – 114.04° W, 35° N – 42° N).
    const nv = o.aoiStates.find((s) => s.code === 'NV')!;
    expect(nv.name).toBe('Nevada');
    expect(nv.bbox.map((v) => Math.round(v))).toEqual([-120, 35, -114, 42]);
    expect(o.aoiPrefectures[0]).toMatchObject({ name: 'Hokkaido', nameJa: '北海道', code: 1 });
    expect(o.aoiPrefectures[0].bbox[2]).toBeGreaterThan(148.5); // Etorofu
    expect(o.aoiPrefectures).toHaveLength(47);
  });

  it('can be cancelled before it starts, and half way (after its first progress event)', async () => {
    const { jobId } = await ok('jobs.coverage', { aoi: { country: 'United States of America' } });
    await ok('jobs.cancel', { jobId });
    expect((await jobEnd(jobId)).type).toBe('cancelled');

    const seen: JobEvent[] = [];
    let cancelledAfter: JobEvent | null = null;
    const off = svc.onJobEvent((e) => {
      if (e.type === 'progress' && !cancelledAfter) {
        cancelledAfter = e;
        void svc.call('jobs.cancel', { jobId: e.jobId });
      }
    });
    const started = await ok('jobs.coverage', { aoi: { country: 'United States of America' }, by: 'agency' });
    const end = await jobEnd(started.jobId, seen);
    off();
    expect(cancelledAfter).not.toBeNull();
    expect(end.type).toBe('cancelled');
  });
});

describe('sites', () => {
  it('saves, lists, edits and deletes sites; each write returns the project', async () => {
    for (const s of SITES) {
      const r = await ok('sites.save', s);
      expect(r.project.path).toMatch(/sw\.gpkg$/);
      expect(r.site.name).toBe(s.name);
      siteIds.push(r.site.id);
    }
    const list = await ok('sites.list', {});
    expect(list.map((s) => s.name)).toEqual(SITES.map((s) => s.name));
    expect(list[1].targetCommodities).toEqual(['Cu']); // "copper" read as its code
    expect(list[2].roles).toEqual(['separation', 'magnet']);

    const extra = await ok('sites.save', { name: 'Temporary', geometry: { type: 'Polygon', coordinates: [[[-106, 33], [-105, 33], [-105, 34], [-106, 33]]] } });
    const edited = await ok('sites.save', { id: extra.site.id, name: 'Temporary (edited)', geometry: extra.site.geometry as any, permitStage: 'granted' });
    expect(edited.site.id).toBe(extra.site.id);
    expect(edited.site.permitStage).toBe('granted');
    expect((await ok('sites.list', {})).length).toBe(4);
    const del = await ok('sites.delete', { ids: [extra.site.id] });
    expect(del.deleted).toBe(1);
    expect((await ok('sites.list', {})).map((s) => s.id)).toEqual(siteIds);

    const unknown = await svc.call('sites.delete', { ids: [extra.site.id] });
    expect(unknown.ok || unknown.error.code).toBe('NOT_FOUND');
    const badCommodity = await svc.call('sites.save', { name: 'X', geometry: SITES[0].geometry, targetCommodities: ['unobtainium'] });
    expect(badCommodity.ok || badCommodity.error.code).toBe('VALIDATION');
  });
});

describe('analysis.compare', () => {
  let base: ComparisonResult;

  it('explains every score: deposits counted as brute force finds them, score = Σ weight × normalised, ranks by score', async () => {
    base = await ok('analysis.compare', { siteIds });
    expect(base.sites.map((s) => s.name)).toEqual(SITES.map((s) => s.name));
    for (const [i, s] of base.sites.entries()) {
      const c = SITES[i].geometry.coordinates;
      const within = deposits.filter((d) => turfDistance(c, d.geometry.coordinates, { units: 'kilometers' }) <= 50).length;
      expect(s.depositCount, s.name).toBe(within);
      expect(s.score).toBeCloseTo(s.criteria.reduce((a, k) => a + k.weight * k.normalised, 0), 12);
      expect(s.criteria.map((k) => k.key)).toEqual(['deposits', 'development', 'resources', 'infrastructure', 'coverage', 'exclusion', 'permitting']);
      for (const k of s.criteria) expect(k.explanation.length).toBeGreaterThan(5);
    }
    expect(base.sites.map((s) => s.depositCount).some((n) => n > 0)).toBe(true);
    const byScore = [...base.sites].sort((a, b) => b.score - a.score);
    expect(byScore.map((s) => s.rank)).toEqual([1, 2, 3]);
    // Permitting: operating (5) is the best, exploration licence (1) the worst of the three.
    const perm = base.sites.map((s) => s.criteria.find((k) => k.key === 'permitting')!);
    expect(perm.map((k) => k.raw)).toEqual([1, 2, 5]);
    expect(perm.map((k) => k.normalised)).toEqual([0, 0.25, 1]);
  });

  it('marks as stable exactly the sites whose rank survives every ±20 % weight change (re-ranked here)', () => {
    const w: Record<string, number> = base.weights.criteria;
    const keys = Object.keys(w).filter((k) => base.sites[0].criteria.find((c) => c.key === k)!.weight > 0);
    const rankOf = (weights: Record<string, number>) => {
      const scores = base.sites.map((s) => s.criteria.reduce((a, k) => a + (k.applicable ? weights[k.key] : 0) * k.normalised, 0));
      return scores.map((x) => 1 + scores.filter((y) => y > x + 1e-9).length);
    };
    const changes = base.sites.map(() => 0);
    for (const k of keys) {
      for (const f of [0.8, 1.2]) {
        const r = rankOf({ ...w, [k]: w[k] * f });
        r.forEach((rank, i) => (changes[i] = Math.max(changes[i], Math.abs(rank - base.sites[i].rank))));
      }
    }
    expect(base.sites.map((s) => s.stable)).toEqual(changes.map((c) => c === 0));
    expect(base.variations.length).toBe(keys.length * 2);
  });

  it('re-scores with the planner\'s weights: all weight on permitting ranks by permit stage', async () => {
    const zero = Object.fromEntries(Object.keys(base.weights.criteria).map((k) => [k, 0]));
    const r = await ok('analysis.compare', { siteIds, weights: { criteria: { ...zero, permitting: 1 } } });
    expect(r.sites.map((s) => s.rank)).toEqual([3, 2, 1]);
    expect(r.sites.map((s) => s.score)).toEqual([0, 0.25, 1]);
    const bad = await svc.call('analysis.compare', { siteIds, weights: { criteria: { depsits: 1 } } });
    expect(bad.ok).toBe(false);
    const one = await svc.call('analysis.compare', { siteIds: siteIds.slice(0, 1) });
    expect(one.ok).toBe(false);
  });
});

describe('analysis.report', () => {
  it('writes a self-contained HTML report to the download folder (web host), naming every site, with no http(s) URL', async () => {
    const r = (await ok('analysis.report', { siteIds, format: 'html' }))!;
    expect(r.downloadUrl).toMatch(/^\/downloads\/outcrop-comparison-.*\.html$/);
    expect(existsSync(r.file)).toBe(true);
    const html = readFileSync(r.file, 'utf8');
    for (const s of SITES) expect(html).toContain(s.name);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toMatch(/<svg /);
  });

  it('writes the CSV: one row per site and criterion', async () => {
    const r = (await ok('analysis.report', { siteIds, format: 'csv', path: join(dir, 'cmp.csv') }))!;
    const lines = readFileSync(r.file, 'utf8').trim().split('\r\n');
    expect(lines[0]).toMatch(/^rank,site_id,site_name,score/);
    expect(lines.length).toBe(1 + 3 * 7);
  });

  it('PDF: refused without a PDF printer (web host); with one (Electron), prints the HTML report', async () => {
    const r = await svc.call('analysis.report', { siteIds, format: 'pdf' });
    expect(r.ok || r.error.code).toBe('USAGE');
    const desktop = new OutcropService({
      host: 'electron',
      version: 'test',
      settingsDir: join(dir, 'settings-e'),
      dialogs: { openProject: async () => null, newProject: async () => null, importFile: async () => null, exportFile: async () => null, saveReport: async (f) => join(dir, `chosen.${f}`) },
      printToPdf: async (html) => {
        pdfCalls.push(html);
        return Buffer.from('%PDF-1.7 fake');
      },
    });
    try {
      await ok('project.open', { path: join(dir, 'sw.gpkg') }, desktop);
      const out = (await ok('analysis.report', { siteIds, format: 'pdf' }, desktop))!;
      expect(out.file).toBe(join(dir, 'chosen.pdf'));
      expect(readFileSync(out.file, 'utf8')).toBe('%PDF-1.7 fake');
      expect(pdfCalls.length).toBe(1);
      for (const s of SITES) expect(pdfCalls[0]).toContain(s.name);
    } finally {
      await desktop.dispose();
    }
  });
});
