import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPackage } from '../../../src/exchange/package';
import { importFile } from '../../../src/import/import-file';
import { historyJson, rowToFeature, type RecordFeature } from '../../../src/store/columns';
import { afterSql } from '../../../src/store/history-after';
import { featureHistory, undo } from '../../../src/store/history';
import { Project } from '../../../src/store/project';
import { FIXTURES } from '../../helpers/data';

// Inserts store no after-image; the state an insert wrote is the next change's before, or the
// row as it is now. Checked here against states read from the table at each step of real edits.

let dir: string;
let p: Project;
const stateNow = (id: string): RecordFeature => JSON.parse(historyJson(rowToFeature('deposits', p.db.prepare('SELECT * FROM deposits WHERE id = ?').get(id) as Record<string, unknown>)));
const resolvedAfters = (id: string) =>
  (p.db.prepare(`SELECT h.action, ${afterSql()} AS after FROM outcrop_history h WHERE h.feature_id = ? AND h.applied = 1 ORDER BY h.seq`).all(id) as { action: string; after: string | null }[]).map(
    (r) => ({ action: r.action, after: r.after === null ? null : (JSON.parse(r.after) as RecordFeature) }),
  );

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-after-'));
  p = Project.open(join(dir, 'p.gpkg'), { create: true, actor: 'tester' });
  // 200 real MinMod rows (Japan, quotes, odd characters)
  await importFile(p, join(FIXTURES, 'csv/in/minmod-excerpt.csv'), { skipInvalid: true, worker: 'never' });
});

afterAll(() => {
  p.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('after-images of inserts', () => {
  it('are not stored, and resolve to the row as it is now while nothing changed it', () => {
    const ids = p.db.prepare('SELECT id FROM deposits ORDER BY fid').pluck().all() as string[];
    expect(ids.length).toBeGreaterThan(150);
    expect(p.db.prepare("SELECT count(*) FROM outcrop_history WHERE action = 'insert' AND after IS NOT NULL").pluck().get()).toBe(0);
    for (const id of ids.slice(0, 20)) expect(resolvedAfters(id)).toEqual([{ action: 'insert', after: stateNow(id) }]);
  });

  it('resolve to the imported state after the feature is edited, deleted and the delete undone', async () => {
    const [a, b] = p.db.prepare('SELECT id FROM deposits ORDER BY fid LIMIT 2').pluck().all() as string[];
    const importedA = stateNow(a);
    const importedB = stateNow(b);
    await p.write('edit', 'rename', (w) => {
      const row = p.db.prepare('SELECT * FROM deposits WHERE id = ?').get(a) as Record<string, unknown>;
      const f = rowToFeature('deposits', row);
      w.restore('deposits', a, { ...f, properties: { ...f.properties, name: 'Renamed by the test' } });
    });
    const renamedA = stateNow(a);
    expect(renamedA.properties.name).toBe('Renamed by the test');
    await p.write('edit', 'delete', (w) => w.delete('deposits', b));
    undo(p); // the delete comes back as an insert of the deleted state

    const histA = resolvedAfters(a);
    expect(histA.map((h) => h.action)).toEqual(['insert', 'update']);
    expect(histA[0].after).toEqual(importedA);
    expect(histA[1].after).toEqual(renamedA);

    const histB = resolvedAfters(b);
    expect(histB.map((h) => h.action)).toEqual(['insert', 'delete', 'insert']);
    expect(histB[0].after).toEqual(importedB);
    expect(histB[1].after).toBeNull();
    expect(histB[2].after).toEqual(importedB);
    expect(stateNow(b)).toEqual(importedB);

    // the audit trail the UI shows reads the same
    const audit = featureHistory(p, a);
    expect(audit[0].after).toEqual(importedA);
    expect(audit[1].before).toEqual(importedA);
  });

  it('are written out in full in exchange packages (the other team has no row to resolve them from)', async () => {
    const out = join(dir, 'team.gpkg');
    await createPackage(p, out);
    const pkg = new Database(out, { readonly: true });
    try {
      const rows = pkg.prepare("SELECT feature_id, after FROM outcrop_history WHERE action = 'insert' AND applied = 1 ORDER BY seq").all() as { feature_id: string; after: string | null }[];
      expect(rows.length).toBeGreaterThan(150);
      expect(rows.every((r) => r.after !== null)).toBe(true);
      const some = rows.find((r) => JSON.parse(r.after!).properties.name === 'Renamed by the test');
      expect(some).toBeUndefined(); // the insert's state is the imported one, not the later rename
      const [a] = p.db.prepare('SELECT id FROM deposits ORDER BY fid LIMIT 1').pluck().all() as string[];
      const first = rows.find((r) => r.feature_id === a)!;
      expect(JSON.parse(first.after!)).toEqual(resolvedAfters(a)[0].after);
    } finally {
      pkg.close();
    }
  });
});
