import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPackage } from '../../../src/exchange/package';
import { mergePackage, previewMerge } from '../../../src/exchange/merge';
import { importFile } from '../../../src/import/import-file';
import { undo } from '../../../src/store/history';
import { Project } from '../../../src/store/project';
import { getDeposit } from '../../../src/store/read';
import type { Progress } from '../../../src/task';
import { sharedPath } from '../../helpers/data';

// The merge as a long task: progress from inside its loops, a cancel at any moment rolls all of
// it back, and a preview's plan is reused only while it still holds.
let dir: string;
let world: string; // a full package of the 3,161 USGS major deposits: every record new to an empty project
let small: string; // team US's edits to five of the 207 Japanese sites
let ids: string[];

/** Everything a merge may touch, as the database holds it. */
const state = (p: Project) => ({
  deposits: p.db.prepare('SELECT count(*) FROM deposits').pluck().get(),
  rtree: p.db.prepare('SELECT count(*) FROM rtree_deposits_geom').pluck().get(),
  ops: p.db.prepare('SELECT count(*) FROM outcrop_ops').pluck().get(),
  history: p.db.prepare('SELECT count(*) FROM outcrop_history').pluck().get(),
  lastHistory: p.db.prepare('SELECT max(seq) FROM outcrop_history').pluck().get(),
  conflicts: p.db.prepare('SELECT count(*) FROM outcrop_conflicts').pluck().get(),
  exchanges: p.db.prepare('SELECT count(*) FROM outcrop_exchanges').pluck().get(),
  triggers: p.db.prepare(`SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name)`).pluck().get(),
  notes: p.db.prepare(`SELECT group_concat(id || '=' || coalesce(notes, '')) FROM (SELECT id, notes FROM deposits ORDER BY id)`).pluck().get(),
  integrity: p.db.pragma('integrity_check', { simple: true }),
});

/** Distinct records in a package, read from the file itself. */
const recordsIn = (pkg: string) => {
  const db = new Database(pkg, { readonly: true });
  try {
    return db.prepare('SELECT count(DISTINCT feature_id) FROM outcrop_history').pluck().get() as number;
  } finally {
    db.close();
  }
};

const edit = async (p: Project, id: string, notes: string) => {
  const { geometry, id: _id, createdAt, updatedAt, createdBy, updatedBy, ...fields } = getDeposit(p, id)!;
  await p.write('edit', 'edit', (w) => w.updateDeposit(id, { ...fields, notes }, geometry));
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-merge-task-'));
  const w = Project.open(join(dir, 'world.gpkg'), { create: true, actor: 'usgs' });
  await importFile(w, sharedPath('deposits', 'usgs-major-deposits-world.geojson'));
  world = (await createPackage(w, join(dir, 'world-package.gpkg'))).file;
  w.close();

  const base = Project.open(join(dir, 'base.gpkg'), { create: true, actor: 'base' });
  await importFile(base, sharedPath('deposits', 'japan-sites.geojson'));
  ids = base.db.prepare('SELECT id FROM deposits ORDER BY fid LIMIT 5').pluck().all() as string[];
  const baseSeq = String(base.db.prepare('SELECT max(seq) FROM outcrop_history').pluck().get());
  base.close();
  copyFileSync(join(dir, 'base.gpkg'), join(dir, 'us.gpkg'));
  copyFileSync(join(dir, 'base.gpkg'), join(dir, 'jp.gpkg'));
  const us = Project.open(join(dir, 'us.gpkg'), { actor: 'usgs-geologist' });
  for (const id of ids) await edit(us, id, `US: visited ${id.slice(0, 8)}`);
  small = (await createPackage(us, join(dir, 'us-package.gpkg'), { since: baseSeq })).file;
  us.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('merge progress and cancel', () => {
  it('reports records compared, then written, from inside its loops', async () => {
    const p = Project.open(join(dir, `progress.gpkg`), { create: true });
    const seen: Progress[] = [];
    const r = await mergePackage(p, world, { onProgress: (e) => seen.push({ ...e }) });
    const n = recordsIn(world);
    expect(n).toBe(3161);
    expect(r.added).toBe(n);
    for (const phase of ['compare', 'write']) {
      const ev = seen.filter((e) => e.phase === phase);
      expect(ev.length).toBeGreaterThan(50); // every 1 %, not two fake steps
      expect(ev.every((e) => e.total === n && e.unit === 'features')).toBe(true);
      expect(ev.map((e) => e.done)).toEqual([...ev.map((e) => e.done)].sort((a, b) => a - b));
      expect(ev.at(-1)!.done).toBe(n);
    }
    const phases = seen.map((e) => e.phase);
    expect(phases.indexOf('write')).toBeGreaterThan(phases.lastIndexOf('compare')); // compared all, then wrote
    expect(state(p).integrity).toBe('ok');
    p.close();
  });

  for (const [phase, at] of [['compare', 0.5], ['write', 0.05], ['write', 0.6], ['write', 1]] as const) {
    it(`a cancel while ${phase === 'compare' ? 'comparing' : 'writing'} (at ${at * 100} %) leaves the project exactly as it was`, async () => {
      const p = Project.open(join(dir, `cancel-${phase}-${at}.gpkg`), { create: true });
      await importFile(p, sharedPath('deposits', 'japan-sites.geojson')); // something there already
      const before = state(p);
      const ac = new AbortController();
      let last: Progress | undefined;
      const merging = mergePackage(p, world, {
        signal: ac.signal,
        onProgress: (e) => {
          last = e;
          if (e.phase === phase && e.done >= at * e.total!) ac.abort();
        },
      });
      await expect(merging).rejects.toMatchObject({ name: 'AbortError' });
      expect(last!.phase).toBe(phase);
      expect(state(p)).toEqual(before); // same rows, same history, triggers back, integrity ok
      // and the project still works: the same merge, not cancelled, lands whole
      const r = await mergePackage(p, world);
      expect(r.added).toBe(3161);
      const after = state(p);
      expect(after.deposits).toBe(207 + 3161);
      expect(after.rtree).toBe(after.deposits);
      expect(after.triggers).toBe(before.triggers);
      expect(after.integrity).toBe('ok');
      p.close();
    });
  }
});

describe('other changes while a merge runs', () => {
  it('an undo while the merge is writing is refused: it must not join (and undo) the half-done merge', async () => {
    const p = Project.open(join(dir, 'undo-during.gpkg'), { create: true });
    await importFile(p, sharedPath('deposits', 'japan-sites.geojson'));
    let refused: unknown;
    let asked = false;
    await mergePackage(p, world, {
      onProgress: (e) => {
        if (asked || e.phase !== 'write' || e.done < e.total! / 2) return;
        asked = true;
        // as the app does it: a separate request, served while the merge yields
        setImmediate(() => {
          try {
            undo(p);
          } catch (err) {
            refused = err;
          }
        });
      },
    });
    expect(asked).toBe(true);
    expect(refused).toMatchObject({ code: 'USAGE', message: /busy with another change/ });
    expect(state(p)).toMatchObject({ deposits: 207 + 3161, rtree: 207 + 3161, integrity: 'ok' });
    expect(p.db.prepare(`SELECT count(*) FROM outcrop_ops WHERE kind = 'undo'`).pluck().get()).toBe(0);
    // afterwards undo works and takes the whole merge back
    expect(undo(p)!.label).toMatch(/^Undo Merge world-package\.gpkg/);
    expect(state(p).deposits).toBe(207);
    p.close();
  });
});

describe('a preview then the merge', () => {
  it('applies the preview\'s plan without comparing again when nothing changed', async () => {
    copyFileSync(join(dir, 'base.gpkg'), join(dir, 'jp-reuse.gpkg'));
    const jp = Project.open(join(dir, 'jp-reuse.gpkg'));
    const plan = await previewMerge(jp, small);
    expect(plan.report).toMatchObject({ updated: 5, conflicts: [] });
    const phases = new Set<string>();
    const r = await mergePackage(jp, small, { plan, onProgress: (e) => phases.add(e.phase) });
    expect([...phases]).toEqual(['write']);
    expect(r).toBe(plan.report);
    expect(r.opId).not.toBeNull();
    for (const id of ids) expect(getDeposit(jp, id)!.notes).toBe(`US: visited ${id.slice(0, 8)}`);
    jp.close();
  });

  it('compares again when the project changed after the preview: an edit made meanwhile becomes a conflict, not lost', async () => {
    copyFileSync(join(dir, 'base.gpkg'), join(dir, 'jp-stale.gpkg'));
    const jp = Project.open(join(dir, 'jp-stale.gpkg'));
    const plan = await previewMerge(jp, small);
    expect(plan.report.conflicts).toEqual([]); // at preview time: a clean fast-forward of all five
    await edit(jp, ids[0], 'JP: edited after the preview');
    const phases = new Set<string>();
    const r = await mergePackage(jp, small, { plan, onProgress: (e) => phases.add(e.phase) });
    expect(phases.has('compare')).toBe(true);
    expect(r).not.toBe(plan.report);
    expect(r.conflicts.map((c) => [c.featureId, c.field, c.ours, c.theirs])).toEqual([
      [ids[0], 'notes', 'JP: edited after the preview', `US: visited ${ids[0].slice(0, 8)}`],
    ]);
    expect(getDeposit(jp, ids[0])!.notes).toBe('JP: edited after the preview');
    expect(r.updated).toBe(4);
    jp.close();
  });

  it('compares again when the package file is another one under the same name', async () => {
    copyFileSync(join(dir, 'base.gpkg'), join(dir, 'jp-swap.gpkg'));
    const jp = Project.open(join(dir, 'jp-swap.gpkg'));
    const path = join(dir, 'incoming.gpkg');
    copyFileSync(small, path);
    const plan = await previewMerge(jp, path);
    rmSync(path);
    copyFileSync(world, path);
    const r = await mergePackage(jp, path, { plan });
    expect(r.packageUuid).not.toBe(plan.report.packageUuid);
    expect(r.added).toBe(3161);
    expect(getDeposit(jp, ids[0])!.notes ?? '').not.toMatch(/^US: visited/);
    jp.close();
  });

  it('merging the same package again writes nothing, with or without a plan', async () => {
    copyFileSync(join(dir, 'base.gpkg'), join(dir, 'jp-twice.gpkg'));
    const jp = Project.open(join(dir, 'jp-twice.gpkg'));
    await mergePackage(jp, small);
    const before = state(jp);
    const plan = await previewMerge(jp, small);
    expect(plan.report).toMatchObject({ alreadyMerged: true, updated: 0, unchanged: 5 });
    expect((await mergePackage(jp, small, { plan })).opId).toBeNull();
    expect((await mergePackage(jp, small)).opId).toBeNull();
    expect(state(jp)).toEqual(before);
    jp.close();
  });
});
