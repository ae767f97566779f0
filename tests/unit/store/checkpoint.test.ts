import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/import/import-file';
import { BackgroundCheckpoint } from '../../../src/store/checkpoint';
import { Project } from '../../../src/store/project';
import { hasSharedData, sharedPath } from '../../helpers/data';

// A large write() commits with SQLite's automatic checkpoint off and hands the checkpoint to a
// worker thread (src/store/checkpoint.ts). What is committed must reach the database file, the
// file must stay whole while later writes run beside the checkpoint, and close() must leave no WAL.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-ckpt-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the database file alone holds, WAL left aside: a copy of just that file, opened. */
function countInFileAlone(file: string, table: string): number {
  const copy = join(dir, `alone-${Math.random().toString(36).slice(2)}.gpkg`);
  copyFileSync(file, copy);
  const db = new Database(copy, { readonly: true });
  try {
    return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  } finally {
    db.close();
  }
}

describe.skipIf(!hasSharedData)('background WAL checkpoint', () => {
  it('copies a large import into the database file off the writing thread', async () => {
    const file = join(dir, 'a.gpkg');
    const p = Project.open(file, { create: true, actor: 't' });
    const r = await importFile(p, sharedPath('deposits', 'usgs-major-deposits-world.geojson'));
    expect(r.written.deposits).toBe(3161);
    // The commit left the automatic checkpoint as it found it (on, for the small writes).
    expect(p.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    p.waitForCheckpoint();
    // The checkpoint copied the whole import into the file: a copy of the file alone has it.
    expect(countInFileAlone(file, 'deposits')).toBe(3161);
    p.close();
  });

  it('keeps the file whole when writes follow a large import while its checkpoint runs', async () => {
    const file = join(dir, 'b.gpkg');
    const p = Project.open(file, { create: true, actor: 't' });
    await importFile(p, sharedPath('deposits', 'usgs-major-deposits-world.geojson'));
    // No wait: these commit while the worker may still be copying the first import.
    await importFile(p, sharedPath('deposits', 'japan-sites.geojson'));
    await importFile(p, sharedPath('deposits', 'usgs-major-deposits-world.geojson'));
    const expected = 3161 * 2 + 207;
    expect(p.db.prepare('SELECT count(*) FROM deposits').pluck().get()).toBe(expected);
    expect(p.db.pragma('integrity_check', { simple: true })).toBe('ok');
    p.close();
    // close() waited for the worker, then truncated the WAL: the file alone is the project.
    expect(existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0).toBe(0);
    expect(countInFileAlone(file, 'deposits')).toBe(expected);
    const again = Project.open(file, { readonly: true });
    expect(again.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(again.db.prepare(`SELECT rtreecheck('rtree_deposits_geom')`).pluck().get()).toBe('ok');
    again.close();
  });

  it('falls back to checkpointing in the calling thread when the worker cannot load SQLite', async () => {
    const file = join(dir, 'c.gpkg');
    const p = Project.open(file, { create: true, actor: 't' });
    let inThread = 0;
    // A module id that resolves here (so the worker starts) but is not better-sqlite3 at all.
    const ckpt = new BackgroundCheckpoint(file, () => inThread++, 'vitest');
    ckpt.request();
    // The worker answers asynchronously; the fallback runs when its answer arrives.
    await expect.poll(() => inThread, { timeout: 10_000 }).toBe(1);
    // From then on, every checkpoint runs in this thread at once.
    ckpt.request();
    expect(inThread).toBe(2);
    ckpt.waitIdle(1000);
    ckpt.close();
    p.close();
  });

  it('lets a process that never closes its project exit after a large import', () => {
    // The checkpoint thread is unref'd: a script that imports and forgets close() must still end.
    const file = join(dir, 'd.gpkg');
    const script = [
      `import { importFile } from ${JSON.stringify(resolve(__dirname, '../../../src/import/import-file.ts'))};`,
      `import { Project } from ${JSON.stringify(resolve(__dirname, '../../../src/store/project.ts'))};`,
      `const p = Project.open(${JSON.stringify(file)}, { create: true, actor: 't' });`,
      `const r = await importFile(p, ${JSON.stringify(sharedPath('deposits', 'usgs-major-deposits-world.geojson'))});`,
      'console.log(r.written.deposits);',
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000, cwd: resolve(__dirname, '../../..') });
    expect(child.error, 'the process did not exit within 60 s').toBeUndefined();
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(child.stdout.trim()).toBe('3161');
    const again = Project.open(file, { readonly: true });
    expect(again.db.prepare('SELECT count(*) FROM deposits').pluck().get()).toBe(3161);
    again.close();
  });

  it('checkpoints in the calling thread when the module cannot even be resolved', () => {
    let inThread = 0;
    const ckpt = new BackgroundCheckpoint(join(dir, 'none.gpkg'), () => inThread++, 'no-such-module-outcrop');
    ckpt.request();
    expect(inThread).toBe(1);
    ckpt.close();
  });
});
