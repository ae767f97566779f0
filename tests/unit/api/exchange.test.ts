import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiFeature, ApiResult, JobEvent, MethodName, MethodRequest, MethodResults } from '../../../src/api/contract';
import { OutcropService } from '../../../src/api/service';
import { importFile } from '../../../src/import/import-file';
import { Project } from '../../../src/store/project';
import { readSharedJson, sharedPath } from '../../helpers/data';

// Two teams start from copies of one project built from the real Japanese sites, edit apart
// through the API, and exchange a package; everything the exchange UI does goes through here.
let dir: string;
let us: OutcropService;
let jp: OutcropService;
let ids: string[];
const japan = readSharedJson('deposits', 'japan-sites.geojson');
const TOTAL = japan.features.length; // 207

async function ok<M extends MethodName>(svc: OutcropService, method: M, req: MethodRequest<M>): Promise<MethodResults[M]> {
  const r: ApiResult<MethodResults[M]> = await svc.call(method, req);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

function jobEnd(svc: OutcropService, jobId: string, seen: JobEvent[] = []): Promise<JobEvent> {
  return new Promise((resolve) => {
    const off = svc.onJobEvent((e) => {
      if (e.jobId !== jobId) return;
      seen.push(e);
      if (e.type !== 'progress') {
        off();
        resolve(e);
      }
    });
  });
}

async function edit(svc: OutcropService, id: string, change: (f: ApiFeature) => void) {
  const f = (await ok(svc, 'features.get', { layer: 'deposits', id }))!;
  change(f);
  return ok(svc, 'features.saveDeposit', { id, properties: f.properties, geometry: f.geometry as any });
}

const current = (svc: OutcropService, id: string) => ok(svc, 'features.get', { layer: 'deposits', id }).then((f) => f!);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-api-exchange-'));
  const base = Project.open(join(dir, 'base.gpkg'), { create: true, actor: 'base' });
  await importFile(base, sharedPath('deposits', 'japan-sites.geojson'));
  ids = base.db.prepare('SELECT id FROM deposits ORDER BY fid LIMIT 6').pluck().all() as string[];
  await base.backup(join(dir, 'team-us.gpkg'));
  await base.backup(join(dir, 'team-jp.gpkg'));
  base.close();
  us = new OutcropService({ host: 'web', version: 'test', settingsDir: join(dir, 'us-settings'), exportDir: join(dir, 'us-exports'), downloadUrl: (f) => `/downloads/${f}`, actor: 'usgs-geologist' });
  jp = new OutcropService({ host: 'web', version: 'test', settingsDir: join(dir, 'jp-settings'), exportDir: join(dir, 'jp-exports'), downloadUrl: (f) => `/downloads/${f}`, actor: 'gsj-geologist' });
  await ok(us, 'project.open', { path: join(dir, 'team-us.gpkg') });
  await ok(jp, 'project.open', { path: join(dir, 'team-jp.gpkg') });
});

afterAll(async () => {
  await us?.dispose();
  await jp?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('exchange API: identity, package, preview, merge, conflicts, provenance', () => {
  let pkg: string;

  it('keeps each team\'s identity; omitted keys stay, empty clears, bad payloads are refused', async () => {
    expect(await ok(us, 'exchange.identity', {})).toMatchObject({ team: null, agency: null, country: null });
    await ok(us, 'exchange.setIdentity', { team: 'USGS field team', agency: 'USGS', country: 'US', device: 'tablet-7' });
    const idUs = await ok(us, 'exchange.setIdentity', { observer: 'R. Alvarez', device: '' });
    expect(idUs).toMatchObject({ team: 'USGS field team', agency: 'USGS', country: 'US', observer: 'R. Alvarez', device: null });
    expect(idUs.replica).toMatch(/^[0-9a-f-]{36}$/);
    // stored in the project, not the service: a new service on the same file sees it
    const again = new OutcropService({ host: 'web', version: 'test', settingsDir: join(dir, 's2') });
    await ok(again, 'project.open', { path: join(dir, 'team-us.gpkg') });
    expect((await ok(again, 'exchange.identity', {})).team).toBe('USGS field team');
    await again.dispose();
    await ok(us, 'project.open', { path: join(dir, 'team-us.gpkg') });

    await ok(jp, 'exchange.setIdentity', { team: 'GSJ field team', agency: 'GSJ', country: 'JP', observer: '佐藤' });
    expect(await jp.call('exchange.setIdentity', { team: 'x'.repeat(201) })).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(await jp.call('exchange.setIdentity', { role: 'admin' } as any)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(await jp.call('exchange.resolve', { conflictId: 1 } as any)).toMatchObject({ ok: false, error: { code: 'USAGE', message: /either take/ } });
    expect(await jp.call('exchange.resolve', { conflictId: 1, take: 'ours', value: 'x' } as any)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
  });

  it('writes a package of what changed since the last exchange, as a job, and counts it as sent', async () => {
    const [d1, d2, d3, d4, d5] = ids;
    // Team US: romanised name of d1, moves d2, notes on d4, status of d5
    await edit(us, d1, (f) => (f.properties.name_romaji = 'Konomai (US spelling)'));
    await edit(us, d2, (f) => ((f.geometry as any).coordinates = [(f.geometry as any).coordinates[0] + 0.01, (f.geometry as any).coordinates[1]]));
    await edit(us, d4, (f) => (f.properties.notes = 'US: visited 2026-10'));
    await edit(us, d5, (f) => (f.properties.status = 'past-producer'));
    // Team JP: notes on d4 and status of d5 differently (conflicts), deletes nothing, notes on d3 (no conflict)
    await edit(jp, d4, (f) => (f.properties.notes = 'JP: 2026年10月 調査'));
    await edit(jp, d5, (f) => (f.properties.status = 'prospect'));
    await edit(jp, d3, (f) => (f.properties.notes = 'GSJ: drill core logged'));

    const before = await ok(us, 'exchange.status', {});
    expect(before).toMatchObject({ lastSentAt: null, changedTotal: TOTAL, changedSinceLastSent: TOTAL });

    pkg = join(dir, 'team-us-2026-11.gpkg');
    const events: JobEvent[] = [];
    const started = await ok(us, 'jobs.package', { path: pkg, since: 'last' });
    const done = await jobEnd(us, started!.jobId, events);
    expect(done).toMatchObject({ type: 'done', kind: 'package' });
    expect((done as any).result).toMatchObject({ file: pkg, features: TOTAL });
    expect(existsSync(pkg)).toBe(true);

    const after = await ok(us, 'exchange.status', {});
    expect(after.changedSinceLastSent).toBe(0);
    expect(after.lastSentAt).toBeTruthy();
    // the same path again is refused, never overwritten
    const twice = await ok(us, 'jobs.package', { path: pkg, since: 'all' });
    expect(await jobEnd(us, twice!.jobId)).toMatchObject({ type: 'error', error: { code: 'USAGE', message: /already exists/ } });
  });

  it('web host without a path: the package goes to the export folder with a download link', async () => {
    const started = await ok(jp, 'jobs.package', { since: 'all' });
    const done = await jobEnd(jp, started!.jobId);
    expect(done).toMatchObject({ type: 'done', downloadUrl: expect.stringMatching(/^\/downloads\/outcrop-package-GSJ-field-team-.*\.gpkg$/) });
    expect(existsSync((done as any).result.file)).toBe(true);
  });

  it('previews the merge without changing anything: counts, the conflicts with both values, extra fields', async () => {
    const [d1, d2, , d4, d5] = ids;
    const version = (await ok(jp, 'project.current', {}))!.dataVersion;
    const p = (await ok(jp, 'exchange.preview', { path: pkg }))!;
    expect(p.path).toBe(pkg);
    expect(p.from).toMatchObject({ team: 'USGS field team', agency: 'USGS', country: 'US', observer: 'R. Alvarez' });
    expect(p.alreadyMerged).toBe(false);
    expect(p.added).toBe(0);
    expect(p.deleted).toBe(0);
    expect(p.updated).toBe(2); // d1 and d2 changed only by US
    expect(p.conflicts.map((c) => [c.featureId, c.kind, c.field, c.ours, c.theirs]).sort()).toEqual(
      [
        [d4, 'field', 'notes', 'JP: 2026年10月 調査', 'US: visited 2026-10'],
        [d5, 'field', 'status', 'prospect', 'past-producer'],
      ].sort(),
    );
    expect(p.conflicts.find((c) => c.featureId === d4)!.base ?? null).toBeNull(); // nobody had notes before
    // everything else the package carries is already equal here (d3 changed only here: ours kept)
    expect(p.unchanged).toBe(TOTAL - 2 - 2);
    expect(p.droppedFields).toEqual([]);
    // the USGS properties without a model field of their own travel in `extra`: listed with counts
    const extraKeys = new Map<string, number>();
    const usProject = Project.open(join(dir, 'team-us.gpkg'), { readonly: true });
    for (const e of usProject.db.prepare('SELECT extra FROM deposits').pluck().all() as string[]) {
      for (const k of Object.keys(JSON.parse(e))) extraKeys.set(k, (extraKeys.get(k) ?? 0) + 1);
    }
    usProject.close();
    expect(extraKeys.size).toBeGreaterThan(0);
    expect(new Map(p.extraFields.filter((f) => f.layer === 'deposits').map((f) => [f.field, f.count]))).toEqual(extraKeys);
    // nothing written
    expect((await ok(jp, 'project.current', {}))!.dataVersion).toBe(version);
    expect((await current(jp, d1)).properties.name_romaji).not.toBe('Konomai (US spelling)');
    expect(await ok(jp, 'exchange.conflicts', {})).toEqual([]);
    void d2;
  });

  it('refuses a file that is not a package, and needs a path without dialogs', async () => {
    expect(await jp.call('exchange.preview', { path: join(dir, 'base.gpkg') })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: /not an exchange package/ } });
    expect(await jp.call('exchange.preview', {})).toMatchObject({ ok: false, error: { code: 'USAGE', message: /give the path/ } });
  });

  it('a merge cancelled before it starts leaves the project unchanged', async () => {
    const version = (await ok(jp, 'project.current', {}))!.dataVersion;
    const started = await ok(jp, 'jobs.merge', { path: pkg });
    await ok(jp, 'jobs.cancel', { jobId: started.jobId });
    expect(await jobEnd(jp, started.jobId)).toMatchObject({ type: 'cancelled' });
    expect((await ok(jp, 'project.current', {}))!.dataVersion).toBe(version);
  });

  it('merges as a job: clean changes applied, conflicts recorded with every version, ours kept, one undoable op', async () => {
    const [d1, d2, d3, d4, d5] = ids;
    const movedByUs = (await current(us, d2)).geometry;
    const events: JobEvent[] = [];
    const off = jp.onJobEvent((e) => events.push(e)); // before the start: the first progress comes at once
    const started = await ok(jp, 'jobs.merge', { path: pkg });
    const done = await jobEnd(jp, started.jobId);
    off();
    expect(done.type).toBe('done');
    const { report, project } = (done as any).result;
    expect(report).toMatchObject({ updated: 2, added: 0, deleted: 0 });
    expect(report.conflicts).toHaveLength(2);
    expect(project.undo).toMatchObject({ canUndo: true, undoLabel: 'Merge team-us-2026-11.gpkg from USGS field team' });
    const types = events.filter((e) => e.jobId === started.jobId).map((e) => e.type);
    expect(types[0]).toBe('progress');
    expect(types.at(-1)).toBe('done');

    expect((await current(jp, d1)).properties.name_romaji).toBe('Konomai (US spelling)');
    expect((await current(jp, d2)).geometry).toEqual(movedByUs);
    expect((await current(jp, d3)).properties.notes).toBe('GSJ: drill core logged');
    expect((await current(jp, d4)).properties.notes).toBe('JP: 2026年10月 調査'); // ours kept until resolved
    expect((await current(jp, d5)).properties.status).toBe('prospect');

    const open = await ok(jp, 'exchange.conflicts', {});
    expect(open.map((c) => c.featureId).sort()).toEqual([d4, d5].sort());
    const c4 = open.find((c) => c.featureId === d4)!;
    const name4 = (await current(jp, d4)).properties.name;
    expect(c4).toMatchObject({ layer: 'deposits', name: name4, kind: 'field', field: 'notes', ours: 'JP: 2026年10月 調査', theirs: 'US: visited 2026-10', status: 'open' });
    expect(c4.from).toMatchObject({ team: 'USGS field team', agency: 'USGS' });
    expect(c4.mergedAt).toBeTruthy();
    // both versions' geometry for the map: nobody moved d4, so both are where it is
    expect(c4.geometry.ours).toEqual((await current(jp, d4)).geometry);
    expect(c4.geometry.theirs).toEqual((await current(us, d4)).geometry);
    expect(await ok(jp, 'exchange.status', {})).toMatchObject({ openConflicts: 2, resolvedConflicts: 0 });

    // merging the same package again changes nothing
    const v = project.dataVersion;
    const again = await ok(jp, 'exchange.preview', { path: pkg });
    expect(again).toMatchObject({ alreadyMerged: true, added: 0, updated: 0, deleted: 0, combined: 0, conflicts: [] });
    const re = await ok(jp, 'jobs.merge', { path: pkg });
    await jobEnd(jp, re.jobId);
    expect((await ok(jp, 'project.current', {}))!.dataVersion).toBe(v);
  });

  it('credits received changes to the team that made them, local ones to this team', async () => {
    const [d1, , d3] = ids;
    const p1 = (await ok(jp, 'exchange.provenance', { layer: 'deposits', id: d1 }))!;
    expect(p1.lastChanged).toMatchObject({ here: false, team: 'USGS field team', agency: 'USGS', country: 'US', actor: 'usgs-geologist', kind: 'edit' });
    expect(p1.created).toMatchObject({ here: true, kind: 'import', actor: 'base' });
    const p3 = (await ok(jp, 'exchange.provenance', { layer: 'deposits', id: d3 }))!;
    expect(p3.lastChanged).toMatchObject({ here: true, team: 'GSJ field team', actor: 'gsj-geologist' });
    expect(p3.openConflicts).toBe(0);
    expect((await ok(jp, 'exchange.provenance', { layer: 'deposits', id: ids[3] }))!.openConflicts).toBe(1);
    expect(await ok(jp, 'exchange.provenance', { layer: 'deposits', id: '00000000-0000-4000-8000-000000000000' })).toBeNull();
  });

  it('resolves by taking theirs: the value is theirs, the conflict closes, the project info is new', async () => {
    const [, , , d4] = ids;
    const c4 = (await ok(jp, 'exchange.conflicts', {})).find((c) => c.featureId === d4)!;
    const before = (await ok(jp, 'project.current', {}))!.dataVersion;
    const r = await ok(jp, 'exchange.resolve', { conflictId: c4.conflictId, take: 'theirs' });
    expect(r.conflict).toMatchObject({ status: 'resolved', resolution: { take: 'theirs' }, resolvedBy: 'gsj-geologist' });
    expect(r.project.dataVersion).not.toBe(before);
    expect((await current(jp, d4)).properties.notes).toBe('US: visited 2026-10');
    expect((await ok(jp, 'exchange.conflicts', {})).map((c) => c.conflictId)).not.toContain(c4.conflictId);
    expect((await ok(jp, 'exchange.conflicts', { status: 'resolved' })).map((c) => c.conflictId)).toEqual([c4.conflictId]);
    expect(await jp.call('exchange.resolve', { conflictId: c4.conflictId, take: 'ours' })).toMatchObject({ ok: false, error: { code: 'USAGE', message: /already resolved/ } });
  });

  it('resolves with an edited value, checked like a form: a bad value is refused with its field', async () => {
    const [, , , , d5] = ids;
    const c5 = (await ok(jp, 'exchange.conflicts', {})).find((c) => c.featureId === d5)!;
    const bad = await jp.call('exchange.resolve', { conflictId: c5.conflictId, value: 'telepathic' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect((bad as any).error.problems.map((p: any) => p.field)).toEqual(['status']);
    expect((await current(jp, d5)).properties.status).toBe('prospect');
    const r = await ok(jp, 'exchange.resolve', { conflictId: c5.conflictId, value: 'producer' });
    expect(r.conflict.resolution).toEqual({ value: 'producer' });
    expect((await current(jp, d5)).properties.status).toBe('producer');
    expect(await ok(jp, 'exchange.status', {})).toMatchObject({ openConflicts: 0, resolvedConflicts: 2 });
    expect(await jp.call('exchange.resolve', { conflictId: 999, take: 'ours' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('Electron: the package is chosen in native dialogs; cancel = null; a confirmed replace overwrites', async () => {
    let chosen: string | null = null;
    const dialogs = {
      openProject: async () => null,
      newProject: async () => null,
      importFile: async () => null,
      exportFile: async () => null,
      savePackage: async () => chosen,
      openPackage: async () => chosen,
    };
    const desk = new OutcropService({ host: 'electron', version: 'test', settingsDir: join(dir, 'desk'), dialogs, actor: 'desk' });
    try {
      await ok(desk, 'project.open', { path: join(dir, 'team-us.gpkg') });
      expect(await ok(desk, 'jobs.package', { since: 'all' })).toBeNull();
      expect(await ok(desk, 'exchange.preview', {})).toBeNull();
      chosen = join(dir, 'chosen.gpkg');
      writeFileSync(chosen, 'an older file the user agreed to replace');
      const s = await ok(desk, 'jobs.package', { since: 'all' });
      expect(await jobEnd(desk, s!.jobId)).toMatchObject({ type: 'done', result: { file: chosen, features: TOTAL } });
      expect(statSync(chosen).size).toBeGreaterThan(10_000);
      // the project file itself is never replaced
      chosen = join(dir, 'team-us.gpkg');
      const self = await ok(desk, 'jobs.package', { since: 'all' });
      expect(await jobEnd(desk, self!.jobId)).toMatchObject({ type: 'error', error: { code: 'USAGE', message: /cannot be the project itself/ } });
      // the merge preview reads the package the open dialog gave (our own: nothing to do)
      chosen = join(dir, 'team-us-2026-11.gpkg');
      const own = (await ok(desk, 'exchange.preview', {}))!;
      expect(own).toMatchObject({ path: chosen, added: 0, updated: 0, deleted: 0, conflicts: [] });
      expect(own.unchanged).toBeGreaterThan(0);
    } finally {
      await desk.dispose();
    }
  });

  it('a geometry conflict carries both points for the map', async () => {
    const [, , , , , d6] = ids;
    const at = (await current(us, d6)).geometry as any;
    const [x, y] = at.coordinates;
    await edit(us, d6, (f) => ((f.geometry as any).coordinates = [x + 0.02, y]));
    await edit(jp, d6, (f) => ((f.geometry as any).coordinates = [x, y + 0.02]));
    const pkg2 = join(dir, 'team-us-round2.gpkg');
    const s = await ok(us, 'jobs.package', { path: pkg2, since: 'last' });
    await jobEnd(us, s!.jobId);
    const preview = (await ok(jp, 'exchange.preview', { path: pkg2 }))!;
    expect(preview.conflicts.map((c) => [c.featureId, c.field])).toEqual([[d6, 'geometry']]);
    const m = await ok(jp, 'jobs.merge', { path: pkg2 });
    await jobEnd(jp, m.jobId);
    const c = (await ok(jp, 'exchange.conflicts', {})).find((k) => k.featureId === d6)!;
    expect(c.geometry.ours).toEqual({ type: 'Point', coordinates: [x, y + 0.02] });
    expect(c.geometry.theirs).toEqual({ type: 'Point', coordinates: [x + 0.02, y] });
    expect(c.geometry.base).toEqual({ type: 'Point', coordinates: [x, y] });
    // an edited geometry must be a point
    const wrong = await jp.call('exchange.resolve', { conflictId: c.conflictId, value: { type: 'Polygon', coordinates: [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y]]] } });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    await ok(jp, 'exchange.resolve', { conflictId: c.conflictId, value: { type: 'Point', coordinates: [x + 0.01, y + 0.01] } });
    expect((await current(jp, d6)).geometry).toEqual({ type: 'Point', coordinates: [x + 0.01, y + 0.01] });
  });
});

describe('the merge job on a big package (the 3,161 USGS major deposits)', () => {
  let svc: OutcropService;
  let pkg: string;
  beforeAll(async () => {
    const world = Project.open(join(dir, 'world.gpkg'), { create: true, actor: 'usgs' });
    await importFile(world, sharedPath('deposits', 'usgs-major-deposits-world.geojson'));
    world.close();
    // Every progress step passed on (no 100 ms pacing), so the cancel below lands at the first write step on any machine.
    svc = new OutcropService({ host: 'web', version: 'test', settingsDir: join(dir, 'big-settings'), exportDir: join(dir, 'big-exports'), actor: 'planner', progressIntervalMs: 0 });
    await ok(svc, 'project.open', { path: join(dir, 'world.gpkg') });
    pkg = join(dir, 'world-package.gpkg');
    await jobEnd(svc, (await ok(svc, 'jobs.package', { path: pkg, since: 'all' }))!.jobId);
    await ok(svc, 'project.open', { path: join(dir, 'empty.gpkg'), create: true });
  });
  afterAll(() => svc?.dispose());

  it('cancelled while writing: cancelled, and the project is unchanged', async () => {
    const before = (await ok(svc, 'project.current', {}))!;
    const seen: JobEvent[] = [];
    let jobId = '';
    const off = svc.onJobEvent((e) => {
      // cancel at the first write step
      if (e.jobId === jobId && e.type === 'progress' && e.phase === 'write' && e.done > 0) void svc.call('jobs.cancel', { jobId });
    });
    jobId = (await ok(svc, 'jobs.merge', { path: pkg })).jobId;
    const end = await jobEnd(svc, jobId, seen);
    off();
    expect(end.type).toBe('cancelled');
    const writes = seen.filter((e) => e.type === 'progress' && e.phase === 'write') as Extract<JobEvent, { type: 'progress' }>[];
    expect(writes.at(-1)!.done).toBeGreaterThan(0);
    expect(writes.at(-1)!.done).toBeLessThan(3161);
    const after = (await ok(svc, 'project.current', {}))!;
    expect(after.dataVersion).toBe(before.dataVersion);
    expect(after.counts).toEqual(before.counts);
  });

  it('after a preview, the job writes what the preview computed, with its progress', async () => {
    const preview = (await ok(svc, 'exchange.preview', { path: pkg }))!;
    expect(preview.added).toBe(3161);
    const seen: JobEvent[] = [];
    const end = await jobEnd(svc, (await ok(svc, 'jobs.merge', { path: pkg })).jobId, seen);
    expect(end.type).toBe('done');
    const progress = seen.filter((e) => e.type === 'progress') as Extract<JobEvent, { type: 'progress' }>[];
    expect(new Set(progress.map((e) => e.phase))).toEqual(new Set(['write'])); // compared once, in the preview
    expect(progress.every((e) => e.total === 3161 && e.unit === 'features')).toBe(true);
    expect((end as any).result.report.added).toBe(3161);
    expect((await ok(svc, 'project.current', {}))!.counts.deposits).toBe(3161);
  });
});

describe('the preview as a job', () => {
  let svc: OutcropService;
  const pkg = () => join(dir, 'world-package.gpkg'); // written by the describe above
  beforeAll(async () => {
    svc = new OutcropService({ host: 'web', version: 'test', settingsDir: join(dir, 'preview-settings'), actor: 'planner' });
    await ok(svc, 'project.open', { path: join(dir, 'empty-2.gpkg'), create: true });
  });
  afterAll(() => svc?.dispose());

  it('cancelled while comparing: cancelled, and the merge after it compares afresh', async () => {
    let jobId = '';
    const seen: JobEvent[] = [];
    const off = svc.onJobEvent((e) => {
      // (3,161 records compare in well under the service's 100 ms between progress events: cancel at the first)
      if (e.jobId === jobId && e.type === 'progress' && e.phase === 'compare') void svc.call('jobs.cancel', { jobId });
    });
    jobId = (await ok(svc, 'jobs.preview', { path: pkg() }))!.jobId;
    const end = await jobEnd(svc, jobId, seen);
    off();
    expect(end.type).toBe('cancelled');
    const phases: string[] = [];
    const offMerge = svc.onJobEvent((e) => e.type === 'progress' && phases.push(e.phase));
    const merged = await jobEnd(svc, (await ok(svc, 'jobs.merge', { path: pkg() })).jobId);
    offMerge();
    expect(merged.type).toBe('done');
    expect(phases).toContain('compare'); // no plan was kept from the cancelled preview
  });

  it('reports records compared, and its result is the preview', async () => {
    await ok(svc, 'project.open', { path: join(dir, 'empty-3.gpkg'), create: true });
    const seen: JobEvent[] = [];
    const end = await jobEnd(svc, (await ok(svc, 'jobs.preview', { path: pkg() }))!.jobId, seen);
    expect(end).toMatchObject({ type: 'done', kind: 'preview' });
    const preview = (end as any).result.preview;
    expect(preview).toMatchObject({ package: 'world-package.gpkg', added: 3161, conflicts: [] });
    const progress = seen.filter((e) => e.type === 'progress') as Extract<JobEvent, { type: 'progress' }>[];
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((e) => e.phase === 'compare' && e.total === 3161)).toBe(true);
    expect((await ok(svc, 'project.current', {}))!.counts.deposits).toBe(0); // a preview writes nothing
    // and the merge that follows writes what it computed
    const phases: string[] = [];
    const off = svc.onJobEvent((e) => e.type === 'progress' && phases.push(e.phase));
    expect((await jobEnd(svc, (await ok(svc, 'jobs.merge', { path: pkg() })).jobId)).type).toBe('done');
    off();
    expect(new Set(phases)).toEqual(new Set(['write']));
    expect((await ok(svc, 'project.current', {}))!.counts.deposits).toBe(3161);
  });
});
