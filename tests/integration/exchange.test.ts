import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPackage } from '../../src/exchange/package';
import { mergePackage } from '../../src/exchange/merge';
import { importFile } from '../../src/import/import-file';
import { emptyDepositFields } from '../../src/model/defaults';
import { rowToDeposit } from '../../src/store/columns';
import { undo } from '../../src/store/history';
import { Project } from '../../src/store/project';
import { getDeposit } from '../../src/store/read';
import { sharedPath } from '../helpers/data';

// Two teams start from one project built from the real Japanese sites, edit apart, exchange
// packages both ways, and must end with every edit kept and exactly the expected conflicts.
let dir: string;
let A: Project;
let B: Project;
let ids: string[];
/** History position of the shared starting point: the first packages carry what came after it. */
let baseSeq: number;

const fieldsOf = (p: Project, id: string) => {
  const d = getDeposit(p, id)!;
  const { geometry, id: _id, createdAt, updatedAt, createdBy, updatedBy, ...fields } = d;
  return { fields, geometry };
};
const snapshot = (p: Project, exclude: string[] = []) =>
  (p.db.prepare('SELECT * FROM deposits ORDER BY id').all() as any[])
    .filter((r) => !exclude.includes(r.id))
    .map((r) => {
      const d = rowToDeposit(r);
      const { createdAt, updatedAt, createdBy, updatedBy, ...rest } = d;
      return rest;
    });
const counts = (p: Project) => ({
  deposits: (p.db.prepare('SELECT count(*) FROM deposits').pluck().get() as number),
  ops: (p.db.prepare('SELECT count(*) FROM outcrop_ops').pluck().get() as number),
  history: (p.db.prepare('SELECT count(*) FROM outcrop_history').pluck().get() as number),
  conflicts: (p.db.prepare('SELECT count(*) FROM outcrop_conflicts').pluck().get() as number),
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-exchange-'));
  const base = Project.open(join(dir, 'base.gpkg'), { create: true, actor: 'base' });
  await importFile(base, sharedPath('deposits', 'japan-sites.geojson'));
  ids = (base.db.prepare('SELECT id FROM deposits ORDER BY fid LIMIT 5').pluck().all() as string[]);
  baseSeq = base.db.prepare('SELECT max(seq) FROM outcrop_history').pluck().get() as number;
  await base.backup(join(dir, 'team-us.gpkg'));
  await base.backup(join(dir, 'team-jp.gpkg'));
  base.close();
  A = Project.open(join(dir, 'team-us.gpkg'), { actor: 'usgs-geologist' });
  B = Project.open(join(dir, 'team-jp.gpkg'), { actor: 'gsj-geologist' });
  await A.setSetting('identity', { team: 'USGS field team', agency: 'USGS', country: 'US' });
  await B.setSetting('identity', { team: 'GSJ field team', agency: 'GSJ', country: 'JP' });
});
afterAll(() => {
  A?.close();
  B?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('two teams exchange and merge', () => {
  let newByB: string;

  it('edit apart, package, merge both ways: nothing lost, exactly the expected conflicts', async () => {
    const [d1, d2, d3, d4] = ids;
    const edit = async (p: Project, id: string, change: (f: any) => void, label = 'edit') => {
      const { fields, geometry } = fieldsOf(p, id);
      change(fields);
      await p.write('edit', label, (w) => w.updateDeposit(id, fields, geometry));
    };
    // Team US: renames d1, deletes d3, sets d4's notes, moves d2
    await edit(A, d1, (f) => (f.nameRomaji = 'Konomai (US spelling)'));
    await A.write('edit', 'delete', (w) => w.delete('deposits', d3));
    await edit(A, d4, (f) => (f.notes = 'US: visited 2026-10'));
    const g2 = fieldsOf(A, d2);
    await A.write('edit', 'move', (w) => w.updateDeposit(d2, g2.fields, { type: 'Point', coordinates: [g2.geometry.coordinates[0] + 0.001, g2.geometry.coordinates[1]] }));
    // Team JP: changes d1's status (another field), edits d3 (which US deleted), sets d4's notes differently, adds a site
    await edit(B, d1, (f) => (f.status = 'past-producer'));
    await edit(B, d3, (f) => (f.notes = 'GSJ: drill core logged'));
    await edit(B, d4, (f) => (f.notes = 'JP: 2026年10月 調査'));
    newByB = await B.write('edit', 'add', (w) => w.insertDeposit({ ...emptyDepositFields('Hishikari extension prospect'), nameJa: '菱刈延長部', commoditiesMain: ['Au', 'Ag'], status: 'prospect' }, { type: 'Point', coordinates: [130.66, 32.0] }));

    const pA = await createPackage(A, join(dir, 'team-us-2026-11.gpkg'), { since: String(baseSeq) });
    const pB = await createPackage(B, join(dir, 'team-jp-2026-11.gpkg'), { since: String(baseSeq) });
    expect(pA.features).toBe(3); // d1, d2, d4 changed and exist; d3's delete travels in the history
    expect(pB.features).toBe(4); // d1, d3, d4 and the new site

    const rB = await mergePackage(B, pA.file);
    const rA = await mergePackage(A, pB.file);

    // d1: different fields changed on each side → both apply, on both sides
    for (const p of [A, B]) {
      expect(getDeposit(p, d1)!.nameRomaji).toBe('Konomai (US spelling)');
      expect(getDeposit(p, d1)!.status).toBe('past-producer');
    }
    // d2: moved only by US → moved on both
    expect(getDeposit(B, d2)!.geometry).toEqual(getDeposit(A, d2)!.geometry);
    // new site from JP → in both
    expect(getDeposit(A, newByB)!.nameJa).toBe('菱刈延長部');
    // conflicts: d3 (delete vs edit) and d4 (notes), recorded on both sides, ours kept
    const kinds = (r: typeof rA) => r.conflicts.map((c) => [c.featureId, c.kind, c.field]).sort();
    expect(kinds(rB)).toEqual([[d3, 'delete-edit', null], [d4, 'field', 'notes']].sort());
    expect(kinds(rA)).toEqual([[d3, 'edit-delete', null], [d4, 'field', 'notes']].sort());
    expect(getDeposit(A, d3)).toBeUndefined(); // US keeps its delete …
    expect(getDeposit(B, d3)!.notes).toBe('GSJ: drill core logged'); // … JP keeps its edit
    expect(getDeposit(A, d4)!.notes).toBe('US: visited 2026-10');
    expect(getDeposit(B, d4)!.notes).toBe('JP: 2026年10月 調査');
    const stored = A.db.prepare(`SELECT ours, theirs, their_identity FROM outcrop_conflicts WHERE feature_id = ?`).get(d4) as any;
    expect(JSON.parse(stored.ours)).toBe('US: visited 2026-10');
    expect(JSON.parse(stored.theirs)).toBe('JP: 2026年10月 調査');
    expect(JSON.parse(stored.their_identity).team).toBe('GSJ field team');
    // everything that is not in conflict is identical on both sides
    expect(snapshot(A, [d3, d4])).toEqual(snapshot(B, [d3, d4]));
    expect(counts(A).deposits).toBe(207 - 1 + 1);
    expect(counts(B).deposits).toBe(207 + 1);
  });

  it('re-merging the same package changes nothing at all', async () => {
    const before = counts(B);
    const r = await mergePackage(B, join(dir, 'team-us-2026-11.gpkg'));
    expect(r.alreadyMerged).toBe(true);
    expect(r.conflicts).toEqual([]);
    expect(counts(B)).toEqual(before);
  });

  it('a second round converges and raises no duplicate conflicts', async () => {
    const pA2 = await createPackage(A, join(dir, 'team-us-round2.gpkg'), { since: 'last' });
    const pB2 = await createPackage(B, join(dir, 'team-jp-round2.gpkg'), { since: 'last' });
    await mergePackage(B, pA2.file);
    await mergePackage(A, pB2.file);
    expect(counts(A).conflicts).toBe(2);
    expect(counts(B).conflicts).toBe(2);
    const [, , d3, d4] = ids;
    expect(snapshot(A, [d3, d4])).toEqual(snapshot(B, [d3, d4]));
  });

  it('a full package (no --since) merges as "unchanged" for everything both already have', async () => {
    const full = await createPackage(A, join(dir, 'team-us-full.gpkg'));
    expect(full.features).toBe(207); // 207 - d3 + the JP site
    const before = counts(B);
    const r = await mergePackage(B, full.file);
    expect(r.added + r.updated + r.deleted + r.combined).toBe(0);
    expect(r.conflicts).toEqual([]);
    expect(counts(B).deposits).toBe(before.deposits);
    expect(counts(B).conflicts).toBe(before.conflicts);
  });

  it('a merge is one undoable operation', async () => {
    const C = Project.open(join(dir, 'team-third.gpkg'), { create: true, actor: 'third' });
    const r = await mergePackage(C, join(dir, 'team-jp-2026-11.gpkg'));
    expect(r.added).toBe(4);
    expect(counts(C).deposits).toBe(4);
    undo(C);
    expect(counts(C).deposits).toBe(0);
    C.close();
  });
});

describe('resolving conflicts', () => {
  it('a resolution on one side travels: the other team adopts it and its conflict closes', async () => {
    const { listConflicts, resolveConflict } = await import('../../src/exchange/conflicts');
    const [, , d3, d4] = ids;
    const notes = listConflicts(A).find((c) => c.featureId === d4)!;
    expect(notes).toMatchObject({ kind: 'field', field: 'notes', ours: 'US: visited 2026-10', theirs: 'JP: 2026年10月 調査' });
    // US settles on a combined note, and accepts JP's edit of the site it had deleted
    await resolveConflict(A, notes.conflictId, { value: 'US 2026-10 visit; JP 2026年10月 調査' });
    const del = listConflicts(A).find((c) => c.featureId === d3)!;
    await resolveConflict(A, del.conflictId, { take: 'theirs' });
    expect(getDeposit(A, d3)!.notes).toBe('GSJ: drill core logged');
    expect(listConflicts(A)).toEqual([]);

    const p = await createPackage(A, join(dir, 'team-us-resolved.gpkg'), { since: 'last' });
    const r = await mergePackage(B, p.file);
    expect(r.conflicts).toEqual([]);
    expect(getDeposit(B, d4)!.notes).toBe('US 2026-10 visit; JP 2026年10月 調査');
    expect(getDeposit(B, d3)!.notes).toBe('GSJ: drill core logged');
    expect(listConflicts(B)).toEqual([]);
    expect(snapshot(A)).toEqual(snapshot(B)); // fully converged
    // and the resolution is undoable like any edit
    undo(A);
    expect(getDeposit(A, d3)).toBeUndefined();
  });
});
