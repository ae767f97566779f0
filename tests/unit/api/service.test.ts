import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { booleanPointInPolygon } from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../src/api/contract';
import { OutcropService } from '../../../src/api/service';
import { readSharedJson, sharedPath } from '../../helpers/data';

let dir: string;
let svc: OutcropService;
const japan = readSharedJson('deposits', 'japan-sites.geojson');

function waitForJob(jobId: string): Promise<JobEvent> {
  return new Promise((resolve) => {
    const off = svc.onJobEvent((e) => {
      if (e.jobId === jobId && e.type !== 'progress') {
        off();
        resolve(e);
      }
    });
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-api-'));
  svc = new OutcropService({ host: 'web', version: 'test', settingsDir: join(dir, 'settings'), exportDir: join(dir, 'exports'), downloadUrl: (f) => `/downloads/${f}`, actor: 'api-test' });
});
afterAll(async () => {
  await svc.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('OutcropService (the handlers behind IPC and the web host)', () => {
  it('validates every payload before the core sees it', async () => {
    expect(await svc.call('query.near', { center: [200, 0], km: 5 } as any)).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringMatching(/query\.near: "center\.0"/) } });
    expect(await svc.call('features.delete', { layer: 'deposits', ids: ["1; DROP TABLE deposits"] } as any)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(await svc.call('project.open', { path: 'x.gpkg', extra: 1 } as any)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(await svc.call('nope' as any, {})).toMatchObject({ ok: false, error: { code: 'USAGE', message: /unknown API method/ } });
    // no project yet
    expect(await svc.call('stats.summary', {})).toMatchObject({ ok: false, error: { code: 'USAGE', message: /no project is open/ } });
  });

  it('creates a project, imports real data as a job with progress, and remembers it', async () => {
    const opened = await svc.call('project.open', { path: join(dir, 'p.gpkg'), create: true });
    expect(opened).toMatchObject({ ok: true, value: { name: 'p.gpkg', counts: { deposits: 0, surveys: 0 }, bbox: null } });
    const events: JobEvent[] = [];
    const off = svc.onJobEvent((e) => events.push(e));
    const started = await svc.call('jobs.import', { path: sharedPath('deposits', 'japan-sites.geojson') });
    expect(started.ok).toBe(true);
    const done = await waitForJob((started as any).value.jobId);
    off();
    expect(done).toMatchObject({ type: 'done', summary: 'Imported 207 deposits and 0 surveys from japan-sites.geojson' });
    expect(events.some((e) => e.type === 'progress')).toBe(true);
    const info = await svc.call('project.current', {});
    expect(info).toMatchObject({ ok: true, value: { counts: { deposits: 207, surveys: 0 }, undo: { canUndo: true, undoLabel: 'Import japan-sites.geojson' } } });
    expect(await svc.call('project.recent', {})).toEqual({ ok: true, value: [join(dir, 'p.gpkg')] });
  });

  it('serves table pages: search, sort, filter, paging', async () => {
    const all = await svc.call('features.table', { layer: 'deposits', offset: 0, limit: 50, sort: { column: 'name', dir: 'asc' } });
    if (!all.ok) throw new Error(all.error.message);
    expect(all.value.total).toBe(207);
    expect(all.value.rows).toHaveLength(50);
    const names = japan.features.map((f: any) => f.properties.name as string).filter(Boolean);
    const sorted = [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase(), 'en'));
    expect(all.value.rows[0].name.toLowerCase()).toBe(sorted[0].toLowerCase());
    const kama = await svc.call('features.table', { layer: 'deposits', offset: 0, limit: 50, search: 'kamaishi' });
    const expected = japan.features.filter((f: any) => /kamaishi/i.test(f.properties.name + ' ' + f.properties.aliases)).length;
    expect(kama.ok && kama.value.total).toBe(expected);
    const cu = await svc.call('features.table', { layer: 'deposits', offset: 0, limit: 5000, filter: { commodity: ['Cu'] } });
    expect(cu.ok && cu.value.rows.every((r) => r.codes.includes('Cu'))).toBe(true);
  });

  it('saves a drawn survey and a deposit through validation, with undo/redo', async () => {
    // a hand-drawn survey around the Kamaishi area, Iwate
    const area = { type: 'Polygon' as const, coordinates: [[[141.6, 39.1], [142.0, 39.1], [142.0, 39.5], [141.6, 39.5], [141.6, 39.1]]] };
    const bad = await svc.call('features.saveSurvey', { properties: { name: '', methods: ['telepathy'] }, geometry: area });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect((bad as any).error.problems.map((p: any) => p.field)).toContain('methods');
    const saved = await svc.call('features.saveSurvey', { properties: { name: 'Kamaishi 2026', agency: 'GSJ', methods: ['geological-mapping'], status: 'active' }, geometry: area });
    if (!saved.ok) throw new Error(JSON.stringify(saved.error));
    expect(saved.value.feature.geometry!.type).toBe('MultiPolygon');
    expect(saved.value.project.undo.undoLabel).toBe('Add survey Kamaishi 2026');
    const within = await svc.call('query.within', { surveyId: saved.value.feature.id });
    const expected = japan.features.filter((f: any) => booleanPointInPolygon(f.geometry, area)).length;
    expect(within.ok && within.value.count).toBe(expected);
    const undone = await svc.call('edit.undo', {});
    expect(undone).toMatchObject({ ok: true, value: { counts: { surveys: 0 }, undo: { canRedo: true, redoLabel: 'Add survey Kamaishi 2026' } } });
    const redone = await svc.call('edit.redo', {});
    expect(redone).toMatchObject({ ok: true, value: { counts: { surveys: 1 }, undo: { undoLabel: 'Add survey Kamaishi 2026' } } });
    // undo of a redo, then redo again: labels still name the user's operation
    expect(await svc.call('edit.undo', {})).toMatchObject({ ok: true, value: { undo: { redoLabel: 'Add survey Kamaishi 2026' } } });
    expect(await svc.call('edit.redo', {})).toMatchObject({ ok: true, value: { counts: { surveys: 1 } } });
    const dep = await svc.call('features.saveDeposit', { properties: { name: '釜石テスト', commodities_main: ['Fe', 'Cu'], status: 'past-producer', created_by: 'forged' }, geometry: { type: 'Point', coordinates: [141.88, 39.27] } });
    if (!dep.ok) throw new Error(JSON.stringify(dep.error));
    expect(dep.value.feature.properties.created_by).toBe('api-test');
    const hist = await svc.call('features.saveDeposit', { id: dep.value.feature.id, properties: { ...dep.value.feature.properties, status: 'producer' }, geometry: dep.value.feature.geometry as any });
    expect(hist.ok).toBe(true);
    const h = await svc.call('features.history', { id: dep.value.feature.id });
    expect(h.ok && h.value.map((x) => x.action)).toEqual(['insert', 'update']);
    expect(h.ok && h.value[1].changed).toEqual(['status']);
  });

  it('nearest and near queries; export as a job to a download', async () => {
    const n = await svc.call('query.nearest', { center: [139.69, 35.69], k: 3 });
    expect(n.ok && n.value.hits.map((x) => x.distanceKm! >= 0)).toEqual([true, true, true]);
    // hits carry the real fid of the deposit (the map highlights by it)
    for (const h of n.ok ? n.value.hits : []) {
      const row = await svc.call('features.table', { layer: 'deposits', offset: 0, limit: 5000 });
      expect(row.ok && row.value.rows.find((x) => x.id === h.id)?.fid).toBe(h.fid);
    }
    const started = await svc.call('jobs.export', { format: 'geojson', filter: { commodity: ['Cu'] } });
    const done = await waitForJob((started as any).value.jobId);
    expect(done).toMatchObject({ type: 'done', downloadUrl: expect.stringMatching(/^\/downloads\/outcrop-export-.*\.geojson$/) });
    const fc = JSON.parse(readFileSync((done as any).result.file, 'utf8'));
    expect(fc.features.length).toBeGreaterThan(0);
    expect(fc.features.every((f: any) => f.properties.commodities_main.includes('Cu'))).toBe(true);
  });

  it('an import error comes back as data with the problems', async () => {
    const started = await svc.call('jobs.import', { path: sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson') });
    const done = await waitForJob((started as any).value.jobId);
    expect(done).toMatchObject({ type: 'error', error: { code: 'VALIDATION' } });
    expect((done as any).error.problems[0]).toMatchObject({ featureIndex: 9, file: 'usgs-earthmri-projects-nm-sw.geojson' });
  });
});

describe('filtered tiles', () => {
  it('serve only the deposits matching the filter; a bad filter is a USAGE error', async () => {
    const { VectorTile } = await import('@mapbox/vector-tile');
    const { PbfReader } = await import('pbf');
    const decode = (buf: Buffer | null) => {
      if (!buf) return [];
      const t = new VectorTile(new PbfReader(buf));
      const layer = t.layers.deposit_clusters ?? t.layers.deposits;
      return Array.from({ length: layer?.length ?? 0 }, (_, i) => layer!.feature(i).properties);
    };
    const sum = (props: any[]) => props.reduce((n, p) => n + Number(p.count ?? 1), 0);
    const all = sum(decode(svc.tile('deposits', 0, 0, 0)));
    const cu = sum(decode(svc.tile('deposits', 0, 0, 0, JSON.stringify({ commodity: ['Cu'] }))));
    const table = await svc.call('features.table', { layer: 'deposits', offset: 0, limit: 1, filter: { commodity: ['Cu'] } });
    expect(all).toBeGreaterThan(cu);
    expect(cu).toBe(table.ok && table.value.total);
    expect(() => svc.tile('deposits', 0, 0, 0, '{"commodity": "Cu"}')).toThrow(/tile filter/);
    expect(() => svc.tile('deposits', 0, 0, 0, 'not json')).toThrow(/not JSON/);
  });
});

describe('project counts kept from the journal', () => {
  it('match count(*) after imports, deletes, undo/redo and a change made by another connection', async () => {
    const file = join(dir, 'counts.gpkg');
    const svc2 = new OutcropService({ host: 'web', version: 'test', settingsDir: join(dir, 'settings-counts'), exportDir: join(dir, 'exports'), downloadUrl: (f) => `/downloads/${f}`, actor: 'counts' });
    const truth = () => {
      const db = new Database(file, { readonly: true });
      try {
        return { deposits: db.prepare('SELECT count(*) FROM deposits').pluck().get(), surveys: db.prepare('SELECT count(*) FROM surveys').pluck().get() };
      } finally {
        db.close();
      }
    };
    const counts = async () => ((await svc2.call('project.current', {})) as any).value.counts;
    const run = async (path: string) => {
      const started = (await svc2.call('jobs.import', { path, skipInvalid: true })) as any;
      await new Promise<void>((resolve) => {
        const off = svc2.onJobEvent((e) => {
          if (e.jobId === started.value.jobId && e.type !== 'progress') {
            off();
            resolve();
          }
        });
      });
    };
    try {
      await svc2.call('project.open', { path: file, create: true });
      await run(sharedPath('deposits', 'japan-sites.geojson'));
      await run(sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson')); // one of them is refused
      expect(await counts()).toEqual(truth());
      expect(await counts()).toEqual({ deposits: 207, surveys: truth().surveys });
      expect(truth().surveys).toBeGreaterThan(10);
      const db = new Database(file, { readonly: true });
      const some = db.prepare('SELECT id FROM deposits LIMIT 5').pluck().all() as string[];
      db.close();
      await svc2.call('features.delete', { layer: 'deposits', ids: some });
      expect(await counts()).toEqual({ ...truth(), deposits: 202 });
      await svc2.call('edit.undo', {});
      expect(await counts()).toEqual({ ...truth(), deposits: 207 });
      await svc2.call('edit.undo', {}); // the survey import
      expect(await counts()).toEqual({ ...truth(), deposits: 207, surveys: 0 });
      await svc2.call('edit.redo', {});
      expect(await counts()).toEqual(truth());
      expect(truth().surveys).toBeGreaterThan(10);
      // the CLI (another connection) deletes one while the app has the project open
      const { Project } = await import('../../../src/store/project');
      const other = Project.open(file, { actor: 'cli' });
      await other.write('edit', 'delete one', (w) => w.delete('deposits', some[0]));
      other.close();
      expect(await counts()).toEqual({ ...truth(), deposits: 206 });
    } finally {
      await svc2.dispose();
    }
  });

  it('stay right when the project is read during imports, one of them cancelled (bulk imports journal in chunks)', async () => {
    const file = join(dir, 'counts-mid.gpkg');
    const svc3 = new OutcropService({ host: 'web', version: 'test', settingsDir: join(dir, 'settings-mid'), exportDir: join(dir, 'exports'), downloadUrl: (f) => `/downloads/${f}`, actor: 'mid', progressIntervalMs: 0 });
    const real = () => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare('SELECT count(*) FROM deposits').pluck().get();
      } finally {
        db.close();
      }
    };
    // Import 3,161 world deposits; at 1,000 read the project (as a reloaded window does), and cancel if asked.
    const run = (cancel: boolean) =>
      new Promise<{ type: string; midCount: number }>((resolve) => {
        let jobId = '';
        let peeked = false;
        let midCount = -1;
        const off = svc3.onJobEvent((e) => {
          if (e.jobId !== jobId) return;
          const p = e as { type: string; phase?: string; done?: number };
          if (p.type === 'progress' && p.phase === 'import' && p.done! >= 1000 && !peeked) {
            peeked = true;
            void svc3.call('project.current', {}).then((r) => {
              midCount = (r as any).value.counts.deposits;
            });
            if (cancel) void svc3.call('jobs.cancel', { jobId });
          }
          if (e.type !== 'progress') {
            off();
            setTimeout(() => resolve({ type: e.type, midCount }), 0);
          }
        });
        void svc3.call('jobs.import', { path: sharedPath('deposits', 'usgs-major-deposits-world.geojson') }).then((r) => {
          jobId = (r as any).value.jobId;
        });
      });
    try {
      await svc3.call('project.open', { path: file, create: true });
      const a = await run(true);
      expect(a.type).toBe('cancelled');
      expect(a.midCount).toBeGreaterThanOrEqual(999); // what the table held then (progress comes before the 1,000th row)
      const b = await run(false);
      expect(b.type).toBe('done');
      expect(real()).toBe(3161);
      expect(((await svc3.call('project.current', {})) as any).value.counts.deposits).toBe(3161);
    } finally {
      await svc3.dispose();
    }
  });
});

