import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGeometry } from '../../src/store/gpkg/geometry-blob';
import { registerGpkgFunctions } from '../../src/store/gpkg/sql-functions';
import { MIGRATIONS, migrate } from '../../src/store/migrations';
import { BIN, hasCommand } from '../helpers/cli';

// An archive copy of a project made by an earlier Outcrop (rollback journal, as `outcrop backup`
// writes), kept where nobody may write. Opening it for reading first upgrades it; where that
// cannot be done, a schema that readers can read as it is (schema 8: 9 adds column DEFAULTs
// only) is read as it is, and an older one is still refused with its reason.
const asNobody = process.getuid?.() === 0 && hasCommand('runuser') ? it : it.skip;
let base: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'outcrop-archive-'));
  chmodSync(base, 0o755);
});
afterAll(() => {
  chmodSync(join(base, 'ro'), 0o755);
  rmSync(base, { recursive: true, force: true });
});

/** A project as schema `version` left it, with two real deposits (Kamaishi and Hitachi). */
function makeOld(file: string, version: number): void {
  const db = new Database(file);
  registerGpkgFunctions(db);
  db.pragma('application_id = 1196444487');
  db.pragma('user_version = 10300');
  migrate(db, 'old.gpkg', MIGRATIONS.filter((m) => m.version <= version));
  db.prepare(`INSERT INTO outcrop_meta (key, value) VALUES ('outcrop_writing', '1')`).run();
  const put = db.prepare(`INSERT INTO deposits (geom, id, name, created_at, updated_at) VALUES (?, ?, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`);
  put.run(encodeGeometry({ type: 'Point', coordinates: [141.88, 39.27] }), '0190b1a4-7c2e-7000-8000-000000000001', 'Kamaishi');
  put.run(encodeGeometry({ type: 'Point', coordinates: [140.65, 36.6] }), '0190b1a4-7c2e-7000-8000-000000000002', 'Hitachi');
  db.prepare(`DELETE FROM outcrop_meta WHERE key = 'outcrop_writing'`).run();
  db.close();
}

describe('an older project on a read-only disk', () => {
  asNobody('schema 8 is read as it is (stats, query, export); an older one is refused, saying why; neither is touched', () => {
    const ro = join(base, 'ro');
    mkdirSync(ro);
    makeOld(join(ro, 'archive-8.gpkg'), 8);
    makeOld(join(ro, 'archive-7.gpkg'), 7);
    const out = join(base, 'out');
    mkdirSync(out);
    chmodSync(out, 0o777);
    chmodSync(ro, 0o555);
    const before = [8, 7].map((v) => readFileSync(join(ro, `archive-${v}.gpkg`)));
    const nobody = (args: string[]) => spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, BIN, ...args], { encoding: 'utf8', env: { ...process.env, HOME: base } });

    const stats = nobody(['stats', join(ro, 'archive-8.gpkg'), '--json']);
    expect(stats.stderr).toBe('');
    expect(stats.status).toBe(0);
    expect(JSON.parse(stats.stdout).layers.deposits).toBe(2);
    const near = nobody(['query', join(ro, 'archive-8.gpkg'), 'nearest', '140.6', '36.5']);
    expect(near.status).toBe(0);
    expect(JSON.parse(near.stdout).features.map((f: { properties: { name: string } }) => f.properties.name)).toEqual(['Hitachi']);
    const exported = nobody(['export', join(ro, 'archive-8.gpkg'), join(out, 'archive.geojson')]);
    expect(exported.status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'archive.geojson'), 'utf8')).features).toHaveLength(2);

    const older = nobody(['stats', join(ro, 'archive-7.gpkg')]);
    expect(older.status).toBe(2);
    expect(older.stderr).toMatch(/archive-7\.gpkg/);

    [8, 7].forEach((v, i) => expect(readFileSync(join(ro, `archive-${v}.gpkg`)).equals(before[i]), `schema ${v}`).toBe(true));
  });
});
