import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCommand, runCli } from '../helpers/cli';
import { sharedPath } from '../helpers/data';
import { Project } from '../../src/store/project';

let dir: string;
let project: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-backup-'));
  project = join(dir, 'survey.gpkg');
  expect(runCli(['init', project]).code).toBe(0);
  expect(runCli(['import', project, sharedPath('deposits', 'japan-sites.geojson')]).code).toBe(0);
  expect(runCli(['import', project, sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), '--skip-invalid', '--report', join(dir, 'rejected.geojson')]).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every row of the feature layers and the history, as SQLite stores them. */
function dump(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      deposits: db.prepare('SELECT * FROM deposits ORDER BY fid').all(),
      surveys: db.prepare('SELECT * FROM surveys ORDER BY fid').all(),
      history: db.prepare('SELECT * FROM outcrop_history ORDER BY seq').all(),
      rtree: db.prepare('SELECT count(*) FROM rtree_deposits_geom').pluck().get(),
    };
  } finally {
    db.close();
  }
}

describe('outcrop backup', () => {
  for (const [label, extra] of [['backup API', []], ['--compact (VACUUM INTO)', ['--compact']]] as const) {
    it(`copies the whole project, history included, as a standalone GeoPackage (${label})`, () => {
      const copy = join(dir, `copy-${extra.length}.gpkg`);
      const r = runCli(['backup', project, copy, ...extra]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Copied survey\.gpkg to .*copy-\d\.gpkg \(\d+\.\d MB\)/);
      const original = dump(project);
      const copied = dump(copy);
      expect(copied.integrity).toBe('ok');
      expect((copied.deposits as unknown[]).length).toBe(207);
      expect(copied).toEqual(original);
      // A standalone file: rollback journal, not WAL (header bytes 18-19 are 1 and 1).
      const header = readFileSync(copy).subarray(18, 20);
      expect([...header]).toEqual([1, 1]);
      expect(existsSync(`${copy}-wal`)).toBe(false);
      if (hasCommand('ogrinfo')) {
        const info = execFileSync('ogrinfo', ['-so', copy], { encoding: 'utf8' });
        expect(info).toMatch(/deposits \(Point\)/);
        expect(info).toMatch(/surveys \(Multi Polygon\)/);
      }
    });
  }

  it('never overwrites a file, and a cancelled backup leaves none behind', async () => {
    const taken = join(dir, 'taken.gpkg');
    writeFileSync(taken, 'another project');
    const r = runCli(['backup', project, taken]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/taken\.gpkg already exists; choose another name/);
    expect(readFileSync(taken, 'utf8')).toBe('another project');

    const p = Project.open(project, { readonly: true });
    try {
      const target = join(dir, 'cancelled.gpkg');
      const ac = new AbortController();
      let calls = 0;
      await expect(p.backup(target, { signal: ac.signal, onProgress: () => (calls++, ac.abort()) })).rejects.toMatchObject({ name: 'CancelledError' });
      expect(calls).toBeGreaterThan(0);
      expect(existsSync(target)).toBe(false);
    } finally {
      p.close();
    }
  });
});
