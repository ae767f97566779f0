import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyDepositFields } from '../../../src/model/defaults';
import { registerGpkgFunctions } from '../../../src/store/gpkg/sql-functions';
import { encodeGeometry } from '../../../src/store/gpkg/geometry-blob';
import { migration0001 } from '../../../src/store/migrations/0001-initial';
import { migrate, SCHEMA_VERSION } from '../../../src/store/migrations';
import { Project } from '../../../src/store/project';
import { featureHistory } from '../../../src/store/history';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-migr-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A project as Outcrop schema 1 wrote it: one deposit inserted, then renamed (two history rows). */
function makeSchema1(file: string): string {
  const db = new Database(file);
  registerGpkgFunctions(db);
  db.pragma('application_id = 1196444487');
  db.pragma('user_version = 10300');
  migrate(db, 'old.gpkg', [migration0001]);
  const id = '0190b1a4-7c2e-7000-8000-000000000001';
  const now = '2026-01-01T00:00:00.000Z';
  db.prepare(`INSERT INTO outcrop_ops (op_id, uuid, kind, label, actor, at) VALUES (1, 'op-1', 'edit', 'add', 'old', ?), (2, 'op-2', 'edit', 'rename', 'old', ?)`).run(now, now);
  db.prepare(`INSERT INTO deposits (geom, id, name, created_at, updated_at) VALUES (?, ?, 'Kamaishi', ?, ?)`).run(encodeGeometry({ type: 'Point', coordinates: [141.88, 39.27] }), id, now, now);
  const f = (name: string) => JSON.stringify({ type: 'Feature', id, geometry: { type: 'Point', coordinates: [141.88, 39.27] }, properties: { ...emptyDepositFields(name), name } });
  db.prepare(`INSERT INTO outcrop_history (op_id, layer, feature_id, action, before, after) VALUES (1, 'deposits', ?, 'insert', NULL, ?), (2, 'deposits', ?, 'update', ?, ?)`).run(id, f('Kamaishi mine'), id, f('Kamaishi mine'), f('Kamaishi'));
  db.close();
  return id;
}

const schemaOf = (file: string) => {
  const db = new Database(file, { readonly: true });
  const rows = db.prepare(`SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`).all();
  const cols = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'rtree_%'`).pluck().all() as string[]).map((t) => [t, db.prepare(`SELECT name, type FROM pragma_table_info(?)`).all(t)]);
  db.close();
  return { rows, cols };
};

describe('migrations', () => {
  it('upgrade a schema-1 project to the current schema, equal in structure to a fresh one', () => {
    const old = join(dir, 'old.gpkg');
    const id = makeSchema1(old);
    const p = Project.open(old);
    expect(p.db.prepare(`SELECT value FROM outcrop_meta WHERE key = 'schema_version'`).pluck().get()).toBe(String(SCHEMA_VERSION));
    // history backfilled: each row a version, parent = the previous version of the feature
    const rows = p.db.prepare('SELECT version, parents FROM outcrop_history ORDER BY seq').all() as { version: string; parents: string }[];
    expect(rows.every((r) => /^[0-9a-f-]{36}$/.test(r.version))).toBe(true);
    expect(JSON.parse(rows[0].parents)).toEqual([]);
    expect(JSON.parse(rows[1].parents)).toEqual([rows[0].version]);
    expect(featureHistory(p, id).map((h) => h.after?.properties.name)).toEqual(['Kamaishi mine', 'Kamaishi']);
    expect(p.db.prepare(`SELECT value FROM outcrop_meta WHERE key = 'replica_id'`).pluck().get()).toMatch(/^[0-9a-f-]{36}$/);
    p.close();
    const fresh = join(dir, 'fresh.gpkg');
    Project.open(fresh, { create: true }).close();
    expect(schemaOf(old)).toEqual(schemaOf(fresh));
  });

  it('a read-only open of an older project upgrades it first, then reads', () => {
    const old = join(dir, 'old.gpkg');
    makeSchema1(old);
    const p = Project.open(old, { readonly: true });
    expect(p.readonly).toBe(true);
    expect(p.db.prepare('SELECT count(*) FROM deposits').pluck().get()).toBe(1);
    expect(p.db.prepare(`SELECT count(*) FROM outcrop_history WHERE version IS NOT NULL`).pluck().get()).toBe(2);
    p.close();
  });
});
