import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Project, GPKG_APPLICATION_ID } from '../../../src/store/project';
import { emptyDepositFields, emptySurveyFields } from '../../../src/model/defaults';
import { featureHistory, redo, undo } from '../../../src/store/history';
import { countRows, getDeposit } from '../../../src/store/read';
import { decodeGeometry, encodeGeometry } from '../../../src/store/gpkg/geometry-blob';
import { afterSql } from '../../../src/store/history-after';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

// Real site: Mountain Pass REE mine, California (USGS Major Deposits of the World record).
const MOUNTAIN_PASS: [number, number] = [-115.5322, 35.4781];

describe('Project store', () => {
  it('creates a GeoPackage with the required header values and tables', () => {
    const file = join(dir, 'p.gpkg');
    Project.open(file, { create: true }).close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(0x47504b47);
    expect(db.pragma('user_version', { simple: true })).toBe(10300);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const contents = db.prepare('SELECT table_name, data_type FROM gpkg_contents ORDER BY table_name').all();
    expect(contents).toContainEqual({ table_name: 'deposits', data_type: 'features' });
    expect(contents).toContainEqual({ table_name: 'surveys', data_type: 'features' });
    expect(contents).toContainEqual({ table_name: 'outcrop_history', data_type: 'attributes' });
    // vocabularies are stored with English and Japanese labels
    expect(db.prepare(`SELECT label_en, label_ja FROM outcrop_vocab WHERE kind = 'commodity' AND code = 'Nd'`).get()).toEqual({ label_en: 'Neodymium', label_ja: 'ネオジム' });
    expect(db.prepare(`SELECT label_ja FROM outcrop_vocab WHERE kind = 'status' AND code = 'producer'`).get()).toEqual({ label_ja: '稼行鉱山' });
    const ext = db.prepare(`SELECT table_name FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index'`).pluck().all();
    expect(ext).toEqual(expect.arrayContaining(['deposits', 'surveys']));
    db.close();
    expect(GPKG_APPLICATION_ID).toBe(1196444487);
  });

  it('gives new projects 8 KiB pages and leaves the page size of an existing file alone', () => {
    const file = join(dir, 'p.gpkg');
    Project.open(file, { create: true }).close();
    const pageSize = (f: string) => {
      const db = new Database(f, { readonly: true });
      const n = db.pragma('page_size', { simple: true });
      db.close();
      return n;
    };
    expect(pageSize(file)).toBe(8192);
    // A file that already has SQLite's default 4 KiB pages (written once, no tables): still 4 KiB.
    const old = join(dir, 'old.gpkg');
    const raw = new Database(old);
    raw.exec('CREATE TABLE t (x); DROP TABLE t;');
    raw.close();
    expect(pageSize(old)).toBe(4096);
    Project.open(old, { create: true }).close();
    expect(pageSize(old)).toBe(4096);
    const p = Project.open(old);
    expect(p.db.pragma('integrity_check', { simple: true })).toBe('ok');
    p.close();
  });

  it('keeps the R*Tree in step on insert, update and delete', async () => {
    const p = Project.open(join(dir, 'p.gpkg'), { create: true });
    const id = await p.write('edit', 'add', (w) =>
      w.insertDeposit({ ...emptyDepositFields('Mountain Pass'), commoditiesMain: ['REE'] }, { type: 'Point', coordinates: MOUNTAIN_PASS }),
    );
    const box = () => p.db.prepare('SELECT r.minx, r.maxx, r.miny, r.maxy FROM rtree_deposits_geom r JOIN deposits d ON d.fid = r.id WHERE d.id = ?').get(id) as any;
    let b = box();
    // float32 boxes must still contain the exact coordinate
    expect(b.minx).toBeLessThanOrEqual(MOUNTAIN_PASS[0]);
    expect(b.maxx).toBeGreaterThanOrEqual(MOUNTAIN_PASS[0]);
    expect(b.miny).toBeLessThanOrEqual(MOUNTAIN_PASS[1]);
    expect(b.maxy).toBeGreaterThanOrEqual(MOUNTAIN_PASS[1]);
    await p.write('edit', 'move', (w) => w.updateDeposit(id, { ...emptyDepositFields('Mountain Pass') }, { type: 'Point', coordinates: [10, 20] }));
    b = box();
    expect(b.minx).toBeCloseTo(10, 5);
    expect(b.miny).toBeCloseTo(20, 5);
    await p.write('edit', 'del', (w) => w.delete('deposits', id));
    expect((p.db.prepare('SELECT count(*) n FROM rtree_deposits_geom').get() as any).n).toBe(0);
    p.close();
  });

  it('rolls back a failed write entirely', async () => {
    const p = Project.open(join(dir, 'p.gpkg'), { create: true });
    await expect(
      p.write('import', 'bad', async (w) => {
        w.insertDeposit(emptyDepositFields('A'), { type: 'Point', coordinates: [1, 2] });
        await new Promise((r) => setTimeout(r, 5));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(countRows(p, 'deposits')).toBe(0);
    expect((p.db.prepare('SELECT count(*) n FROM outcrop_ops').get() as any).n).toBe(0);
    expect((p.db.prepare('SELECT count(*) n FROM rtree_deposits_geom').get() as any).n).toBe(0);
    p.close();
  });

  it('records history and undoes/redoes whole operations', async () => {
    const p = Project.open(join(dir, 'p.gpkg'), { create: true, actor: 'geologist-a' });
    const id = await p.write('edit', 'Add Mountain Pass', (w) =>
      w.insertDeposit(emptyDepositFields('Mountain Pass'), { type: 'Point', coordinates: MOUNTAIN_PASS }),
    );
    await p.write('edit', 'Rename', (w) =>
      w.updateDeposit(id, { ...emptyDepositFields('Mountain Pass Mine'), status: 'producer' }, { type: 'Point', coordinates: MOUNTAIN_PASS }),
    );
    expect(getDeposit(p, id)?.name).toBe('Mountain Pass Mine');
    undo(p);
    expect(getDeposit(p, id)?.name).toBe('Mountain Pass');
    expect(getDeposit(p, id)?.status).toBeNull();
    undo(p);
    expect(getDeposit(p, id)).toBeUndefined();
    redo(p);
    expect(getDeposit(p, id)?.name).toBe('Mountain Pass');
    redo(p);
    expect(getDeposit(p, id)?.name).toBe('Mountain Pass Mine');
    expect(redo(p)).toBeUndefined();
    const h = featureHistory(p, id);
    expect(h.map((e) => e.action)).toEqual(['insert', 'update', 'update', 'delete', 'insert', 'update']);
    expect(h[0].actor).toBe('geologist-a');
    expect(h[1].before?.properties.name).toBe('Mountain Pass');
    expect(h[1].after?.properties.name).toBe('Mountain Pass Mine');
    p.close();
  });

  it('a new edit after undo clears redo', async () => {
    const p = Project.open(join(dir, 'p.gpkg'), { create: true });
    await p.write('edit', 'A', (w) => w.insertDeposit(emptyDepositFields('A'), { type: 'Point', coordinates: [1, 1] }));
    undo(p);
    await p.write('edit', 'B', (w) => w.insertDeposit(emptyDepositFields('B'), { type: 'Point', coordinates: [2, 2] }));
    expect(redo(p)).toBeUndefined();
    expect(countRows(p, 'deposits')).toBe(1);
    p.close();
  });

  it('refuses a file from a newer Outcrop without modifying it', () => {
    const file = join(dir, 'new.gpkg');
    Project.open(file, { create: true }).close();
    const db = new Database(file);
    db.prepare(`UPDATE outcrop_meta SET value = '999' WHERE key = 'schema_version'`).run();
    db.pragma('journal_mode = DELETE');
    db.close();
    const before = require('node:fs').readFileSync(file);
    expect(() => Project.open(file)).toThrow(/newer version of Outcrop \(schema 999/);
    expect(require('node:fs').readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a plain SQLite file and a non-Outcrop GeoPackage', () => {
    const f1 = join(dir, 'plain.sqlite');
    const db = new Database(f1);
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(() => Project.open(f1)).toThrow(/not a GeoPackage/);
  });

  it('backs up to a standalone file with the same content', async () => {
    const p = Project.open(join(dir, 'p.gpkg'), { create: true });
    await p.write('edit', 'A', (w) => w.insertSurvey(emptySurveyFields('S'), { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] }));
    await p.backup(join(dir, 'copy.gpkg'));
    p.close();
    const c = Project.open(join(dir, 'copy.gpkg'), { readonly: true });
    expect(countRows(c, 'surveys')).toBe(1);
    c.close();
  });

  it('geometry blobs round-trip and carry an envelope for polygons', () => {
    const poly = { type: 'MultiPolygon' as const, coordinates: [[[[177, -16], [180, -16], [180, -19], [177, -19], [177, -16]]]] };
    const blob = encodeGeometry(poly);
    expect(blob.subarray(0, 2).toString()).toBe('GP');
    expect(blob[3] & 0b1110).toBe(0b0010); // envelope code 1
    expect(blob.readDoubleLE(8)).toBe(177);
    expect(blob.readDoubleLE(16)).toBe(180);
    expect(decodeGeometry(blob)).toEqual(poly);
  });
});

describe('bulk sessions', () => {
  it('keep the R*Tree exact and restore the standard triggers before commit', async () => {
    const p = Project.open(join(dir, 'bulk.gpkg'), { create: true });
    const triggers = () => (p.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rtree_deposits_geom_%' ORDER BY name`).all() as any[]).map((r) => r.name);
    const before = triggers();
    expect(before).toHaveLength(6);
    const id = await p.write('import', 'bulk', (w) => {
      w.beginBulk('deposits');
      expect(triggers()).toEqual([]);
      return w.insertDeposit(emptyDepositFields('Mountain Pass'), { type: 'Point', coordinates: MOUNTAIN_PASS });
    });
    expect(triggers()).toEqual(before);
    const b = p.db.prepare('SELECT r.minx, r.maxx, r.miny, r.maxy FROM rtree_deposits_geom r JOIN deposits d ON d.fid = r.id WHERE d.id = ?').get(id) as any;
    expect(b.minx).toBeLessThanOrEqual(MOUNTAIN_PASS[0]);
    expect(b.maxx).toBeGreaterThanOrEqual(MOUNTAIN_PASS[0]);
    // the restored triggers work for the next ordinary edit
    await p.write('edit', 'move', (w) => w.updateDeposit(id, emptyDepositFields('Mountain Pass'), { type: 'Point', coordinates: [5, 6] }));
    const moved = p.db.prepare('SELECT minx, miny FROM rtree_deposits_geom').get() as any;
    expect(moved.minx).toBeCloseTo(5, 5);
    // a failed bulk write rolls back the DROP TRIGGER too
    await expect(p.write('import', 'bad', (w) => { w.beginBulk('deposits'); throw new Error('boom'); })).rejects.toThrow('boom');
    expect(triggers()).toEqual(before);
    // the history of a bulk insert equals the ordinary form
    const h = featureHistory(p, id)[0];
    expect(h.after?.properties.name).toBe('Mountain Pass');
    expect(h.after?.properties.alt_names).toEqual([]);
    expect(h.after?.geometry).toEqual({ type: 'Point', coordinates: MOUNTAIN_PASS });
    p.close();
  });
});

describe('history JSON', () => {
  it('omits null properties but keeps nulls inside extra, and undo restores exactly', async () => {
    const p = Project.open(join(dir, 'hist.gpkg'), { create: true });
    const fields = { ...emptyDepositFields('Kamaishi'), extra: { elevation_m: null, note: 'x' } };
    const id = await p.write('edit', 'add', (w) => w.insertDeposit(fields, { type: 'Point', coordinates: [141.88, 39.27] }));
    await p.write('edit', 'edit', (w) => w.updateDeposit(id, { ...fields, name: 'Kamaishi mine' }, { type: 'Point', coordinates: [141.88, 39.27] }));
    const raw = p.db.prepare(`SELECT ${afterSql()} FROM outcrop_history h ORDER BY h.seq`).pluck().all() as string[];
    expect(raw).toHaveLength(2);
    for (const r of raw) {
      const props = JSON.parse(r).properties;
      expect('name_ja' in props).toBe(false); // null: left out
      expect(props.extra).toEqual({ elevation_m: null, note: 'x' }); // nested null kept
    }
    undo(p);
    const d = getDeposit(p, id)!;
    expect(d.name).toBe('Kamaishi');
    expect(d.nameJa).toBeNull();
    expect(d.extra).toEqual({ elevation_m: null, note: 'x' });
    p.close();
  });
});

describe('undo and site operations', () => {
  it('a site operation without a revertible journal in its details (made before site undo) is not offered for undo', async () => {
    const p = Project.open(join(dir, 'sites-undo.gpkg'), { create: true });
    const id = await p.write('edit', 'Add A', (w) => w.insertDeposit(emptyDepositFields('A'), { type: 'Point', coordinates: [1, 1] }));
    await p.write('site-add', 'Add site', () => undefined);
    const op = undo(p);
    expect(op?.label).toBe('Undo Add A'); // skips the site op, undoes the deposit
    expect(getDeposit(p, id)).toBeUndefined();
    p.close();
  });
});
