import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyDepositFields } from '../../../src/model/defaults';
import { registerGpkgFunctions } from '../../../src/store/gpkg/sql-functions';
import { encodeGeometry } from '../../../src/store/gpkg/geometry-blob';
import { migration0001 } from '../../../src/store/migrations/0001-initial';
import { MIGRATIONS, migrate, SCHEMA_VERSION } from '../../../src/store/migrations';
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

  it('schema 8 gives the attribute tables integer keys and keeps their rows, the reference features and their cascade', () => {
    // A schema-7 project (the one before) with settings, vocabularies and a reference layer of two features.
    const file = join(dir, 'seven.gpkg');
    const db = new Database(file);
    registerGpkgFunctions(db);
    db.pragma('application_id = 1196444487');
    db.pragma('user_version = 10300');
    db.pragma('foreign_keys = ON');
    migrate(db, 'seven.gpkg', MIGRATIONS.filter((m) => m.version <= 7));
    db.prepare(`INSERT INTO outcrop_settings (key, value) VALUES ('compare.weights', '{"Li":2}')`).run();
    db.prepare(`INSERT INTO outcrop_reference_layers (name, role, imported_at) VALUES ('Roads', 'infrastructure', '2026-12-01')`).run();
    const road = encodeGeometry({ type: 'LineString', coordinates: [[140, 36], [140.5, 36.2]] });
    db.prepare(`INSERT INTO reference_features (geom, layer, role, name) VALUES (?, 'Roads', 'infrastructure', 'R1'), (?, 'Roads', 'infrastructure', 'R2')`).run(road, road);
    // An orphan another program left (GDAL and QGIS write with foreign keys off): the file's own
    // violation, which must not stop the upgrade.
    db.pragma('foreign_keys = OFF');
    db.prepare(`INSERT INTO reference_features (geom, layer, role, name) VALUES (?, 'Rails', 'infrastructure', 'orphan')`).run(road);
    db.pragma('foreign_keys = ON');
    db.prepare(`INSERT INTO outcrop_meta (key, value) VALUES ('created_at', '2026-01-01T00:00:00.000Z'), ('created_by_app', 'Outcrop schema 7')`).run();
    // (replica_id is renewed on open: this file was never claimed by a project, see replica.ts)
    const metaBefore = db.prepare(`SELECT key, value FROM outcrop_meta WHERE key NOT IN ('schema_version', 'replica_id') ORDER BY key`).all();
    db.close();

    const p = Project.open(file);
    try {
      expect(p.db.prepare(`SELECT value FROM outcrop_meta WHERE key = 'schema_version'`).pluck().get()).toBe(String(SCHEMA_VERSION));
      for (const t of ['outcrop_meta', 'outcrop_settings', 'outcrop_vocab', 'outcrop_reference_layers']) {
        const pk = p.db.prepare(`SELECT name, type FROM pragma_table_info(?) WHERE pk > 0`).all(t);
        expect(pk, t).toEqual([{ name: 'id', type: 'INTEGER' }]);
      }
      const metaAfter = p.db.prepare('SELECT key, value FROM outcrop_meta ORDER BY key').all();
      expect(metaBefore.length).toBeGreaterThan(0);
      for (const row of metaBefore) expect(metaAfter).toContainEqual(row);
      expect(p.db.prepare(`SELECT value FROM outcrop_settings WHERE key = 'compare.weights'`).pluck().get()).toBe('{"Li":2}');
      expect(p.db.prepare('SELECT count(*) FROM outcrop_vocab').pluck().get()).toBeGreaterThan(100);
      expect(p.db.prepare('SELECT name FROM reference_features ORDER BY fid').pluck().all()).toEqual(['R1', 'R2', 'orphan']);
      expect(p.db.pragma('foreign_key_check')).toEqual([{ table: 'reference_features', rowid: 3, parent: 'outcrop_reference_layers', fkid: 0 }]);
      // The key is still a key, and the cascade still runs.
      expect(() => p.db.prepare(`INSERT INTO outcrop_meta (key, value) VALUES ('schema_version', 'x')`).run()).toThrow(/UNIQUE/);
      p.db.prepare(`DELETE FROM outcrop_reference_layers WHERE name = 'Roads'`).run();
      expect(p.db.prepare('SELECT name FROM reference_features').pluck().all()).toEqual(['orphan']);
      // The outside-edit triggers were put back after outcrop_meta was rebuilt.
      expect(p.db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'outcrop_outside_%'`).pluck().get()).toBe(6);
    } finally {
      p.close();
    }
  });
});
