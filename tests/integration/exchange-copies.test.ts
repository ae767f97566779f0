import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, FeatureProvenance } from '../../src/api/contract';
import { OutcropService } from '../../src/api/service';
import { listConflicts, resolveConflict } from '../../src/exchange/conflicts';
import { replicaId } from '../../src/exchange/identity';
import { mergePackage } from '../../src/exchange/merge';
import { createPackage } from '../../src/exchange/package';
import { importFile } from '../../src/import/import-file';
import { emptyDepositFields } from '../../src/model/defaults';
import { rowToDeposit } from '../../src/store/columns';
import { Project } from '../../src/store/project';
import { getDeposit } from '../../src/store/read';
import { sharedPath } from '../helpers/data';

// The common way two teams start: one project built from the real Japanese sites, copied with
// the file manager (a byte copy of the closed .gpkg, replica id and all). Both edit, export
// "since the last exchange", merge each other's package, and do it again a second time.
let dir: string;
let US: Project;
let JP: Project;
let ids: string[];
let newByUs: string;
let newByJp: string;

const metaReplica = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT value FROM outcrop_meta WHERE key = 'replica_id'`).pluck().get() as string;
  } finally {
    db.close();
  }
};
const fieldsOf = (p: Project, id: string) => {
  const { geometry, id: _id, createdAt, updatedAt, createdBy, updatedBy, ...fields } = getDeposit(p, id)!;
  return { fields, geometry };
};
const edit = async (p: Project, id: string, change: (f: ReturnType<typeof fieldsOf>['fields']) => void) => {
  const { fields, geometry } = fieldsOf(p, id);
  change(fields);
  await p.write('edit', 'edit', (w) => w.updateDeposit(id, fields, geometry));
};
/** Every deposit without audit columns, by id. */
const snapshot = (p: Project, exclude: string[] = []) =>
  (p.db.prepare('SELECT * FROM deposits ORDER BY id').all() as any[])
    .filter((r) => !exclude.includes(r.id))
    .map((r) => {
      const { createdAt, updatedAt, createdBy, updatedBy, ...rest } = rowToDeposit(r);
      return rest;
    });
const provenanceOf = async (file: string, id: string): Promise<FeatureProvenance> => {
  const svc = new OutcropService({ host: 'web', version: 'test', settingsDir: join(dir, `settings-${Math.random()}`) });
  try {
    await svc.call('project.open', { path: file });
    const r = (await svc.call('exchange.provenance', { layer: 'deposits', id })) as ApiResult<FeatureProvenance | null>;
    if (!r.ok) throw new Error(r.error.message);
    return r.value!;
  } finally {
    await svc.dispose();
  }
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-copies-'));
  const base = Project.open(join(dir, 'survey.gpkg'), { create: true, actor: 'base' });
  await importFile(base, sharedPath('deposits', 'japan-sites.geojson'));
  ids = base.db.prepare('SELECT id FROM deposits ORDER BY fid LIMIT 6').pluck().all() as string[];
  await base.setSetting('identity', { team: 'USGS field team', agency: 'USGS', country: 'US' });
  base.close();
  // The US team keeps the file; the Japanese team gets a copy of it.
  copyFileSync(join(dir, 'survey.gpkg'), join(dir, 'survey-copy-for-gsj.gpkg'));
  US = Project.open(join(dir, 'survey.gpkg'), { actor: 'usgs-geologist' });
  JP = Project.open(join(dir, 'survey-copy-for-gsj.gpkg'), { actor: 'gsj-geologist' });
  await JP.setSetting('identity', { team: 'GSJ field team', agency: 'GSJ', country: 'JP' });
});
afterAll(() => {
  US?.close();
  JP?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('two teams working on copies of one project file', () => {
  it('the copy carries the replica id of the file, but each file exchanges under its own', () => {
    const us = replicaId(US);
    const jp = replicaId(JP);
    // The copy arrived with the original's id and took a fresh one when first opened for writing.
    const jpPrevious = JSON.parse(JP.db.prepare(`SELECT value FROM outcrop_meta WHERE key = 'replica_previous'`).pluck().get() as string);
    expect(jpPrevious).toEqual([us]);
    expect(metaReplica(join(dir, 'survey.gpkg'))).toBe(us);
    expect(us).toMatch(/^[0-9a-f-]{36}$/);
    expect(jp).toMatch(/^[0-9a-f-]{36}$/);
    expect(jp).not.toBe(us);
    expect(replicaId(US)).toBe(us); // stable while the file is the same
    expect(replicaId(JP)).toBe(jp);
  });

  it('a file moved (renamed) keeps its replica id; only a copy gets a new one', () => {
    const us = replicaId(US);
    US.close();
    renameSync(join(dir, 'survey.gpkg'), join(dir, 'survey-us.gpkg'));
    US = Project.open(join(dir, 'survey-us.gpkg'), { actor: 'usgs-geologist' });
    expect(replicaId(US)).toBe(us);
    // a copy made now, after the original exchanged under its id: the original keeps it
    copyFileSync(US.file, join(dir, 'survey-us-spare.gpkg'));
    const spare = Project.open(join(dir, 'survey-us-spare.gpkg'));
    expect(replicaId(spare)).not.toBe(us);
    expect(JSON.parse(spare.db.prepare(`SELECT value FROM outcrop_meta WHERE key = 'replica_previous'`).pluck().get() as string)).toContain(us);
    spare.close();
    expect(replicaId(US)).toBe(us);
    // read-only opens never write: the stored id as it is
    const ro = Project.open(join(dir, 'survey-us-spare.gpkg'), { readonly: true });
    expect(replicaId(ro)).toBe(metaReplica(join(dir, 'survey-us-spare.gpkg')));
    ro.close();
  });

  it('round 1: edit both copies, package, merge both ways: nothing lost, the right conflicts, each change credited to its team', async () => {
    const [d1, d2, d3, d4] = ids;
    await edit(US, d1, (f) => (f.nameRomaji = 'Konomai (US spelling)'));
    await US.write('edit', 'delete', (w) => w.delete('deposits', d3));
    await edit(US, d4, (f) => (f.notes = 'US: visited 2026-10'));
    const g2 = fieldsOf(US, d2);
    await US.write('edit', 'move', (w) => w.updateDeposit(d2, g2.fields, { type: 'Point', coordinates: [g2.geometry.coordinates[0] + 0.001, g2.geometry.coordinates[1]] }));
    newByUs = await US.write('edit', 'add', (w) => w.insertDeposit({ ...emptyDepositFields('Toyoha deep extension'), commoditiesMain: ['Zn', 'In'], status: 'prospect' }, { type: 'Point', coordinates: [141.03, 42.93] }));
    await edit(JP, d1, (f) => (f.status = 'past-producer'));
    await edit(JP, d3, (f) => (f.notes = 'GSJ: drill core logged'));
    await edit(JP, d4, (f) => (f.notes = 'JP: 2026年10月 調査'));
    newByJp = await JP.write('edit', 'add', (w) => w.insertDeposit({ ...emptyDepositFields('Hishikari extension prospect'), nameJa: '菱刈延長部', commoditiesMain: ['Au', 'Ag'], status: 'prospect' }, { type: 'Point', coordinates: [130.66, 32.0] }));

    // "since the last exchange" with none yet: everything
    const pUS = await createPackage(US, join(dir, 'us-round1.gpkg'), { since: 'last' });
    const pJP = await createPackage(JP, join(dir, 'jp-round1.gpkg'), { since: 'last' });
    expect(pUS.features).toBe(207 - 1 + 1);
    expect(pJP.features).toBe(207 + 1);
    const rJP = await mergePackage(JP, pUS.file);
    const rUS = await mergePackage(US, pJP.file);

    // nothing lost
    for (const p of [US, JP]) {
      expect(getDeposit(p, d1)).toMatchObject({ nameRomaji: 'Konomai (US spelling)', status: 'past-producer' });
      expect(getDeposit(p, newByUs)!.name).toBe('Toyoha deep extension');
      expect(getDeposit(p, newByJp)!.nameJa).toBe('菱刈延長部');
    }
    expect(getDeposit(JP, d2)!.geometry).toEqual(getDeposit(US, d2)!.geometry);
    expect(getDeposit(US, d3)).toBeUndefined(); // each keeps its side of a conflict
    expect(getDeposit(JP, d3)!.notes).toBe('GSJ: drill core logged');
    expect(getDeposit(US, d4)!.notes).toBe('US: visited 2026-10');
    expect(getDeposit(JP, d4)!.notes).toBe('JP: 2026年10月 調査');
    expect(snapshot(US, [d3, d4])).toEqual(snapshot(JP, [d3, d4]));
    const kinds = (r: typeof rUS) => r.conflicts.map((c) => [c.featureId, c.kind, c.field]).sort();
    expect(kinds(rJP)).toEqual([[d3, 'delete-edit', null], [d4, 'field', 'notes']].sort());
    expect(kinds(rUS)).toEqual([[d3, 'edit-delete', null], [d4, 'field', 'notes']].sort());

    // attributed to the other file, not to ourselves
    for (const [self, other, team] of [[US, JP, 'GSJ field team'], [JP, US, 'USGS field team']] as const) {
      const received = self.db.prepare(`SELECT peer, details FROM outcrop_exchanges WHERE direction = 'received'`).all() as { peer: string; details: string }[];
      expect(received.map((r) => r.peer)).toEqual([replicaId(other)]);
      expect(replicaId(other)).not.toBe(replicaId(self)); // before: both files' id, i.e. "received from ourselves"
      expect(JSON.parse(received[0].details).identity.team).toBe(team);
      const conflicts = listConflicts(self);
      expect(conflicts.map((c) => [c.theirOrigin, c.theirIdentity.team])).toEqual(conflicts.map(() => [replicaId(other), team]));
      // remote operations name the file they came from; ours stay ours (origin NULL)
      const origins = self.db.prepare(`SELECT DISTINCT origin FROM outcrop_ops WHERE origin IS NOT NULL`).pluck().all();
      expect(origins).toEqual([replicaId(other)]);
    }
    // provenance: the US rename and the JP status are credited to their teams on both sides
    for (const file of [US.file, JP.file]) {
      expect((await provenanceOf(file, newByUs)).created).toMatchObject({ team: 'USGS field team', actor: 'usgs-geologist', here: file === US.file });
      expect((await provenanceOf(file, newByJp)).created).toMatchObject({ team: 'GSJ field team', actor: 'gsj-geologist', here: file === JP.file });
    }
  });

  it('round 2 with --since last: only what changed travels, both converge, no duplicate conflicts', async () => {
    const [d1, d2, d3, d4, d5] = ids;
    // US settles the notes on JP's text; JP renames d5; US moves d2 back a little
    const notes = listConflicts(US).find((c) => c.featureId === d4)!;
    await resolveConflict(US, notes.conflictId, { take: 'theirs' });
    await edit(JP, d5, (f) => (f.notes = 'JP: sampled 2026-11'));
    const g2 = fieldsOf(US, d2);
    await US.write('edit', 'move', (w) => w.updateDeposit(d2, g2.fields, { type: 'Point', coordinates: [g2.geometry.coordinates[0] - 0.0005, g2.geometry.coordinates[1]] }));

    const pUS = await createPackage(US, join(dir, 'us-round2.gpkg'), { since: 'last' });
    const pJP = await createPackage(JP, join(dir, 'jp-round2.gpkg'), { since: 'last' });
    // changed after the first package: what each merged from the other, plus its own new edits
    const changedAfter = (p: Project, seq: number) =>
      p.db.prepare('SELECT count(DISTINCT feature_id) FROM outcrop_history WHERE seq > ? AND feature_id IN (SELECT id FROM deposits)').pluck().get(seq);
    expect(pUS.features).toBe(changedAfter(US, pUS.sinceSeq));
    expect(pUS.features).toBeLessThan(20);
    expect(pJP.features).toBeLessThan(20);
    const rJP = await mergePackage(JP, pUS.file);
    const rUS = await mergePackage(US, pJP.file);
    expect(rJP.conflicts).toEqual([]);
    expect(rUS.conflicts).toEqual([]);

    expect(getDeposit(US, d4)!.notes).toBe('JP: 2026年10月 調査');
    expect(getDeposit(JP, d4)!.notes).toBe('JP: 2026年10月 調査');
    expect(getDeposit(US, d5)!.notes).toBe('JP: sampled 2026-11');
    expect(getDeposit(JP, d2)!.geometry).toEqual(getDeposit(US, d2)!.geometry);
    expect(getDeposit(JP, d1)).toEqual(getDeposit(US, d1));
    // the d4 conflict closed on both sides (JP adopted the resolution); only d3 (delete vs edit) stays open
    expect(listConflicts(US).map((c) => [c.featureId, c.kind])).toEqual([[d3, 'edit-delete']]);
    expect(listConflicts(JP).map((c) => [c.featureId, c.kind])).toEqual([[d3, 'delete-edit']]);
    expect(snapshot(US, [d3])).toEqual(snapshot(JP, [d3]));
    expect(US.db.prepare('SELECT count(*) FROM deposits').pluck().get()).toBe(207 - 1 + 2);
    expect(JP.db.prepare('SELECT count(*) FROM deposits').pluck().get()).toBe(207 + 2);
    expect((await provenanceOf(US.file, d5)).lastChanged).toMatchObject({ team: 'GSJ field team', here: false });
    expect((await provenanceOf(JP.file, d2)).lastChanged).toMatchObject({ team: 'USGS field team', here: false });
  });

  it('merging any of the packages again changes nothing', async () => {
    const count = (p: Project) => p.db.prepare('SELECT (SELECT count(*) FROM outcrop_history) || \'/\' || (SELECT count(*) FROM outcrop_ops) || \'/\' || (SELECT count(*) FROM outcrop_conflicts)').pluck().get();
    const before = [count(US), count(JP)];
    for (const f of ['jp-round1', 'jp-round2']) expect((await mergePackage(US, join(dir, `${f}.gpkg`))).opId).toBeNull();
    for (const f of ['us-round1', 'us-round2']) expect((await mergePackage(JP, join(dir, `${f}.gpkg`))).opId).toBeNull();
    expect([count(US), count(JP)]).toEqual(before);
  });
});
