import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { readSharedJson, sharedPath } from '../helpers/data';

// outcrop package / merge as a user runs them, on the real Japanese sites: a file-manager copy
// for the other team, an edit, a package, a dry run, the merge, the same merge again.
let dir: string;
const japan = readSharedJson('deposits', 'japan-sites.geojson');
const count = (file: string, sql: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).pluck().get();
  } finally {
    db.close();
  }
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-exchange-cli-'));
  expect(runCli(['init', join(dir, 'us.gpkg')]).code).toBe(0);
  expect(runCli(['import', join(dir, 'us.gpkg'), sharedPath('deposits', 'japan-sites.geojson')]).code).toBe(0);
  copyFileSync(join(dir, 'us.gpkg'), join(dir, 'jp.gpkg'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('outcrop package and merge', () => {
  it('package, dry run, merge, merge again; progress stays off stderr when it is not a terminal', () => {
    const pkg = join(dir, 'us-all.gpkg');
    const p = runCli(['package', join(dir, 'us.gpkg'), '--out', pkg, '--team', 'USGS field team', '--agency', 'USGS']);
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(new RegExp(`Wrote us-all.gpkg: ${japan.features.length} features`));
    expect(p.stderr).toBe('');
    expect(readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);

    const dry = runCli(['merge', join(dir, 'jp.gpkg'), pkg, '--dry-run']);
    expect(dry.code).toBe(0);
    // the copy already holds every record at the same version
    expect(dry.stdout).toMatch(new RegExp(`Would merge us-all.gpkg from USGS field team, USGS:\\n  0 added, 0 updated, 0 deleted, 0 combined field by field, ${japan.features.length} already equal`));
    expect(dry.stderr).toBe('');
    const ops = count(join(dir, 'jp.gpkg'), 'SELECT count(*) FROM outcrop_ops');
    const history = count(join(dir, 'jp.gpkg'), 'SELECT count(*) FROM outcrop_history');

    const m = runCli(['merge', join(dir, 'jp.gpkg'), pkg, '--json']);
    expect(m.code).toBe(0);
    const report = JSON.parse(m.stdout);
    expect(report).toMatchObject({ added: 0, updated: 0, unchanged: japan.features.length, conflicts: [], alreadyMerged: false });
    expect(m.stderr).toBe('');
    // nothing to change: one merge operation that logs the package as received, no history rows
    expect(count(join(dir, 'jp.gpkg'), 'SELECT count(*) FROM outcrop_ops')).toBe((ops as number) + 1);
    expect(count(join(dir, 'jp.gpkg'), 'SELECT kind FROM outcrop_ops ORDER BY op_id DESC LIMIT 1')).toBe('merge');
    expect(count(join(dir, 'jp.gpkg'), 'SELECT count(*) FROM outcrop_history')).toBe(history);
    expect(count(join(dir, 'jp.gpkg'), `SELECT count(*) FROM outcrop_exchanges WHERE direction = 'received'`)).toBe(1);

    const again = runCli(['merge', join(dir, 'jp.gpkg'), pkg]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/\(merged before\)/);
    expect(count(join(dir, 'jp.gpkg'), 'SELECT count(*) FROM outcrop_ops')).toBe((ops as number) + 1); // the second writes nothing
  });

  it('--help of both commands says what Ctrl-C does', () => {
    expect(runCli(['merge', '--help']).stdout).toMatch(/Ctrl-C at any point leaves the project unchanged/);
    expect(runCli(['package', '--help']).stdout).toMatch(/Ctrl-C leaves no package/);
  });

  it('a missing package is refused with its name', () => {
    const r = runCli(['merge', join(dir, 'jp.gpkg'), join(dir, 'nope.gpkg')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.gpkg/);
    expect(existsSync(join(dir, 'nope.gpkg'))).toBe(false);
  });
});
