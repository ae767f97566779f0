import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyDepositFields } from '../../../src/model/defaults';
import { Project } from '../../../src/store/project';

// Small writes that are not operations (settings, the exchange log, the replica id) never land
// inside a long operation's open transaction, where a cancel would roll them back with it.
const dir = mkdtempSync(join(tmpdir(), 'outcrop-write-meta-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const meta = (p: Project, key: string) => p.db.prepare('SELECT value FROM outcrop_meta WHERE key = ?').pluck().get(key) as string | undefined;

describe('settings during a long write', () => {
  it('wait for it, then land on their own: kept though the long write is rolled back', async () => {
    const p = Project.open(join(dir, 'a.gpkg'), { create: true });
    try {
      let release!: () => void;
      const paused = new Promise<void>((r) => (release = r));
      const long = p.write('import', 'a long import', async (w) => {
        w.insertDeposit(emptyDepositFields('half-written'), { type: 'Point', coordinates: [139.7, 35.7] });
        await paused; // the import yields to the event loop inside its transaction
        throw new Error('cancelled');
      });
      await new Promise((r) => setImmediate(r));
      expect(p.db.inTransaction).toBe(true);
      const saved = p.setSetting('identity', { team: 'GSJ field team' });
      await new Promise((r) => setImmediate(r));
      expect(p.getSetting('identity')).toBeUndefined(); // not joined to the open transaction
      release();
      await expect(long).rejects.toThrow('cancelled');
      await saved;
      expect(p.getSetting('identity')).toEqual({ team: 'GSJ field team' });
      expect(p.db.prepare('SELECT count(*) FROM deposits').pluck().get()).toBe(0);
    } finally {
      p.close();
    }
  });
});

describe('replica id per file', () => {
  it('a new project records its file; a copy opened for writing takes a fresh id; read-only opens write nothing', () => {
    const a = Project.open(join(dir, 'orig.gpkg'), { create: true });
    const id = meta(a, 'replica_id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(meta(a, 'replica_file')).toBeTruthy();
    expect(meta(a, 'replica_previous')).toBeUndefined(); // a new project keeps the id its migration minted
    a.close();
    const again = Project.open(join(dir, 'orig.gpkg'));
    expect(meta(again, 'replica_id')).toBe(id);
    again.close();

    copyFileSync(join(dir, 'orig.gpkg'), join(dir, 'copy.gpkg'));
    const ro = Project.open(join(dir, 'copy.gpkg'), { readonly: true });
    expect(meta(ro, 'replica_id')).toBe(id);
    ro.close();
    const copy = Project.open(join(dir, 'copy.gpkg'));
    const fresh = meta(copy, 'replica_id')!;
    expect(fresh).not.toBe(id);
    expect(JSON.parse(meta(copy, 'replica_previous')!)).toEqual([id]);
    copy.close();
    const copyAgain = Project.open(join(dir, 'copy.gpkg'));
    expect(meta(copyAgain, 'replica_id')).toBe(fresh); // stable while the file is the same
    copyAgain.close();
  });
});
