import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPackage } from '../../../src/exchange/package';
import { importFile } from '../../../src/import/import-file';
import { Project } from '../../../src/store/project';
import { getDeposit } from '../../../src/store/read';
import type { Progress } from '../../../src/task';
import { readSharedJson, sharedPath } from '../../helpers/data';

// Making a package as a long task: records then history in chunks with progress; a cancel leaves
// no file and the project as it was; edits made while it is written wait for the next package.
let dir: string;
let p: Project;
const WORLD = readSharedJson('deposits', 'usgs-major-deposits-world.geojson').features.length; // 3,161

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-package-task-'));
  p = Project.open(join(dir, 'world.gpkg'), { create: true, actor: 'usgs' });
  await importFile(p, sharedPath('deposits', 'usgs-major-deposits-world.geojson'));
  await importFile(p, sharedPath('deposits', 'usgs-ree-deposits-world.geojson'));
});
afterAll(() => {
  p?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sent = () => p.db.prepare(`SELECT count(*) FROM outcrop_exchanges WHERE direction = 'sent'`).pluck().get();

describe('package progress and cancel', () => {
  it('reports records, then history rows, and holds exactly what it says', async () => {
    const seen: Progress[] = [];
    const r = await createPackage(p, join(dir, 'all.gpkg'), { onProgress: (e) => seen.push({ ...e }) });
    const n = WORLD + readSharedJson('deposits', 'usgs-ree-deposits-world.geojson').features.length;
    expect(r.features).toBe(n);
    const records = seen.filter((e) => e.phase === 'records');
    const history = seen.filter((e) => e.phase === 'history');
    expect(records.every((e) => e.total === n && e.unit === 'features')).toBe(true);
    expect(records.at(-1)!.done).toBe(n);
    expect(records.length).toBeGreaterThan(1);
    expect(history.every((e) => e.total === r.historyRows && e.unit === 'rows')).toBe(true);
    expect(history.at(-1)!.done).toBe(r.historyRows);
    const pkg = new Database(r.file, { readonly: true });
    expect(pkg.prepare('SELECT count(*) FROM deposits').pluck().get()).toBe(n);
    expect(pkg.prepare('SELECT count(*) FROM outcrop_history').pluck().get()).toBe(r.historyRows);
    expect(pkg.prepare('SELECT count(*) FROM rtree_deposits_geom').pluck().get()).toBe(n);
    expect(pkg.pragma('journal_mode', { simple: true })).toBe('delete');
    pkg.close();
  });

  for (const phase of ['records', 'history'] as const) {
    it(`a cancel while copying ${phase} leaves no file and the project as it was`, async () => {
      const before = { sent: sent(), files: readdirSync(dir).sort() };
      const ac = new AbortController();
      const out = join(dir, `cancel-${phase}.gpkg`);
      const making = createPackage(p, out, {
        signal: ac.signal,
        onProgress: (e) => {
          if (e.phase === phase && e.done > 0) ac.abort();
        },
      });
      await expect(making).rejects.toMatchObject({ name: 'AbortError' });
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(dir).sort()).toEqual(before.files); // no partial file left either
      expect(sent()).toBe(before.sent); // not counted as sent: the next "since last" still holds it all
    });
  }

  it('reads one snapshot: an edit made while the package is written waits for the next one', async () => {
    const id = p.db.prepare('SELECT id FROM deposits ORDER BY fid LIMIT 1').pluck().get() as string;
    let edited = false;
    const r = await createPackage(p, join(dir, 'snapshot.gpkg'), {
      since: 'last',
      onProgress: () => {
        if (edited) return;
        edited = true;
        const { geometry, id: _id, createdAt, updatedAt, createdBy, updatedBy, ...fields } = getDeposit(p, id)!;
        p.writeSync('edit', 'edit', (w) => w.updateDeposit(id, { ...fields, notes: 'edited while packaging' }, geometry));
      },
    });
    expect(r.features).toBe(0); // nothing changed since the first package when it started
    const next = await createPackage(p, join(dir, 'next.gpkg'), { since: 'last' });
    expect(next.features).toBe(1);
    const pkg = new Database(next.file, { readonly: true });
    expect(pkg.prepare('SELECT notes FROM deposits WHERE id = ?').pluck().get(id)).toBe('edited while packaging');
    pkg.close();
  });
});
