import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeGeometry } from '../../../src/store/gpkg/geometry-blob';
import { registerGpkgFunctions } from '../../../src/store/gpkg/sql-functions';
import { MIGRATIONS, migrate, SCHEMA_VERSION } from '../../../src/store/migrations';
import { withColumnDefaults } from '../../../src/store/migrations/0009-feature-defaults';
import { featureHistory } from '../../../src/store/history';
import { Project } from '../../../src/store/project';

// A lower-case canonical UUID of version 4 (RFC 9562 §5.4): version nibble 4, variant 10xx.
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// As Date.toISOString writes Outcrop's own timestamps.
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-defaults-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A project as schema 8 (the last Outcrop before these DEFAULTs) left it, with one deposit. */
function makeSchema8(file: string): void {
  const db = new Database(file);
  registerGpkgFunctions(db);
  db.pragma('application_id = 1196444487');
  db.pragma('user_version = 10300');
  migrate(db, 'old.gpkg', MIGRATIONS.filter((m) => m.version <= 8));
  db.prepare(`INSERT INTO outcrop_meta (key, value) VALUES ('outcrop_writing', '1')`).run();
  db.prepare(`INSERT INTO deposits (geom, id, name, created_at, updated_at) VALUES (?, '0190b1a4-7c2e-7000-8000-000000000001', 'Kamaishi', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`).run(
    encodeGeometry({ type: 'Point', coordinates: [141.88, 39.27] }),
  );
  db.prepare(`DELETE FROM outcrop_meta WHERE key = 'outcrop_writing'`).run();
  db.close();
}

/** What QGIS's "add feature" with only a name typed, or ogr2ogr -append of a bare file, sends. */
const appendNameOnly = (db: Database.Database, layer: 'deposits' | 'surveys', name: string, geom: Buffer) =>
  db.prepare(`INSERT INTO ${layer} (geom, name) VALUES (?, ?)`).run(geom, name);

const point = encodeGeometry({ type: 'Point', coordinates: [141.25, 39.5] });
const square = encodeGeometry({ type: 'MultiPolygon', coordinates: [[[[141, 39], [142, 39], [142, 40], [141, 40], [141, 39]]]] });

describe('features appended by other programs get an id and timestamps (migration 9)', () => {
  it('before: a schema-8 file refuses an append without id and timestamps (the defect)', () => {
    const file = join(dir, 'old.gpkg');
    makeSchema8(file);
    const db = new Database(file);
    registerGpkgFunctions(db);
    expect(() => appendNameOnly(db, 'deposits', 'Drawn in QGIS', point)).toThrow(/NOT NULL constraint failed: deposits.id/);
    db.close();
  });

  it('after the upgrade: the append gets a UUIDv4, ISO timestamps and the list defaults, keeps the old rows, and is journaled', () => {
    const file = join(dir, 'old.gpkg');
    makeSchema8(file);
    Project.open(file).close(); // upgrades to the current schema
    const db = new Database(file);
    registerGpkgFunctions(db);
    expect(db.prepare(`SELECT value FROM outcrop_meta WHERE key = 'schema_version'`).pluck().get()).toBe(String(SCHEMA_VERSION));
    expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(db.prepare('SELECT id, name, created_at FROM deposits').all()).toEqual([
      { id: '0190b1a4-7c2e-7000-8000-000000000001', name: 'Kamaishi', created_at: '2026-01-01T00:00:00.000Z' },
    ]);
    const t0 = Date.now();
    appendNameOnly(db, 'deposits', 'Drawn in QGIS', point);
    appendNameOnly(db, 'deposits', 'Drawn in QGIS too', point);
    appendNameOnly(db, 'surveys', 'Outline drawn in QGIS', square);
    const t1 = Date.now();
    const added = db.prepare(`SELECT id, created_at, updated_at, created_by, updated_by, alt_names, resources, extra FROM deposits WHERE name LIKE 'Drawn in QGIS%' ORDER BY fid`).all() as Record<string, string | null>[];
    expect(added).toHaveLength(2);
    for (const r of added) {
      expect(r.id).toMatch(UUID_V4);
      expect(r.created_at).toMatch(ISO_MS);
      expect(r.updated_at).toBe(r.created_at);
      expect(Date.parse(r.created_at!)).toBeGreaterThanOrEqual(t0 - 1000);
      expect(Date.parse(r.created_at!)).toBeLessThanOrEqual(t1 + 1000);
      expect(r).toMatchObject({ created_by: null, updated_by: null, alt_names: '[]', resources: '[]', extra: '{}' });
    }
    expect(added[0].id).not.toBe(added[1].id);
    const survey = db.prepare(`SELECT id, created_at, extra FROM surveys`).get() as Record<string, string>;
    expect(survey.id).toMatch(UUID_V4);
    expect(survey.created_at).toMatch(ISO_MS);
    // A name is still required: Outcrop has no sensible default for it.
    expect(() => db.prepare('INSERT INTO deposits (geom) VALUES (?)').run(point)).toThrow(/NOT NULL constraint failed: deposits.name/);
    db.close();

    // Outcrop's next write journals the appends as inserts of "Changes made outside Outcrop".
    const p = Project.open(file);
    try {
      const ops = p.db.prepare(`SELECT op_id, actor FROM outcrop_ops WHERE kind = 'outside-edit'`).all();
      expect(ops).toEqual([{ op_id: expect.any(Number), actor: null }]);
      for (const r of added) expect(featureHistory(p, r.id!).map((h) => [h.action, h.kind, h.after?.properties.name])).toEqual([['insert', 'outside-edit', expect.stringMatching(/^Drawn in QGIS/)]]);
      expect(featureHistory(p, survey.id).map((h) => h.action)).toEqual(['insert']);
    } finally {
      p.close();
    }
  });

  it('a new project has the same DEFAULTs, in the form GDAL leaves to SQLite ("(expr)")', () => {
    const file = join(dir, 'new.gpkg');
    Project.open(file, { create: true }).close();
    const db = new Database(file, { readonly: true });
    for (const layer of ['deposits', 'surveys']) {
      const cols = db.prepare('SELECT name, dflt_value FROM pragma_table_info(?)').all(layer) as { name: string; dflt_value: string | null }[];
      const dflt = (c: string) => cols.find((x) => x.name === c)!.dflt_value;
      // GDAL 3.6 reads a String column's default that does not start with "(" as a literal and writes it as the value.
      expect(dflt('id')).toMatch(/^\(lower\(hex\(randomblob/);
      expect(dflt('created_at')).toBe("(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
      expect(dflt('updated_at')).toBe("(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
      expect(dflt('source_id')).toBeNull();
    }
    // Many ids: each one a version-4 UUID, and all different.
    const ids = db.prepare(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) SELECT ${dfltExpr(db)} FROM n`).pluck().all() as string[];
    expect(ids.every((x) => UUID_V4.test(x))).toBe(true);
    expect(new Set(ids).size).toBe(2000);
    // All four variant nibbles occur.
    expect(new Set(ids.map((x) => x[19])).size).toBe(4);
    db.close();
  });

  it('adds a DEFAULT only where the column has none, for any way of quoting its name', () => {
    const d = { id: '(1)', created_at: "('x')" };
    expect(withColumnDefaults('CREATE TABLE t (fid INTEGER PRIMARY KEY, "id" TEXT NOT NULL UNIQUE, survey_id TEXT, created_at TEXT NOT NULL)', d).sql).toBe(
      `CREATE TABLE t (fid INTEGER PRIMARY KEY, "id" TEXT NOT NULL UNIQUE DEFAULT (1), survey_id TEXT, created_at TEXT NOT NULL DEFAULT ('x'))`,
    );
    expect(withColumnDefaults("CREATE TABLE t (id TEXT DEFAULT 'a,b', created_at TEXT CHECK (length(created_at) > 0))", d)).toEqual({
      sql: "CREATE TABLE t (id TEXT DEFAULT 'a,b', created_at TEXT CHECK (length(created_at) > 0) DEFAULT ('x'))",
      added: ['created_at'],
    });
    expect(withColumnDefaults('CREATE TABLE t (fid INTEGER, source_id TEXT)', d)).toEqual({ sql: 'CREATE TABLE t (fid INTEGER, source_id TEXT)', added: [] });
  });
});

/** The id column's DEFAULT expression as the file holds it. */
function dfltExpr(db: Database.Database): string {
  return db.prepare(`SELECT dflt_value FROM pragma_table_info('deposits') WHERE name = 'id'`).pluck().get() as string;
}
