import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import Papa from 'papaparse';
import { bbox } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { loadRtree, roundDown, roundUp, RtreeEntries } from '../../../src/store/gpkg/rtree-bulk';
import { hasSharedData, readSharedJson, sharedPath } from '../../helpers/data';

type Box = [id: number, minX: number, maxX: number, minY: number, maxY: number];

/** Boxes of real features: the 110k MinMod sites (points) and Arizona geology polygons. */
function realBoxes(): Box[] {
  const csv = gunzipSync(readFileSync(sharedPath('deposits', 'minmod-mineral-sites-located.csv.gz'))).toString('utf8');
  const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
  const out: Box[] = [];
  rows.forEach((r, i) => {
    const x = Number(r.longitude);
    const y = Number(r.latitude);
    if (r.longitude !== '' && r.latitude !== '' && Number.isFinite(x) && Number.isFinite(y)) out.push([i + 1, x, x, y, y]);
  });
  const geology = JSON.parse(gunzipSync(readFileSync(sharedPath('polygons', 'arizona-geology-1m-polygons.geojson.gz'))).toString('utf8'));
  geology.features.forEach((f: any, i: number) => {
    const [w, s, e, n] = bbox(f);
    out.push([1_000_000 + i, w, e, s, n]);
  });
  return out;
}

function twoTrees() {
  const db = new Database(':memory:');
  db.exec('CREATE VIRTUAL TABLE a USING rtree(id, minx, maxx, miny, maxy); CREATE VIRTUAL TABLE b USING rtree(id, minx, maxx, miny, maxy);');
  return db;
}

const all = (db: Database.Database, t: string) => db.prepare(`SELECT * FROM ${t} ORDER BY id`).raw().all();
const check = (db: Database.Database, t: string) => db.prepare(`SELECT rtreecheck('${t}')`).pluck().get();

describe('R*Tree bulk loading', () => {
  it('rounds coordinates to 32-bit floats exactly as SQLite does on insert', () => {
    const db = twoTrees();
    const ins = db.prepare('INSERT INTO a VALUES (?, ?, ?, ?, ?)');
    const values = [0, 1, -1, 0.1, -0.1, 1 / 3, -1 / 3, 179.99999999, -179.99999999, 89.123456789, -89.123456789, 1e-40, -1e-40, 16777217, -16777217, 3.4e38, -3.4e38];
    let rng = 7;
    for (let i = 0; i < 2000; i++) {
      rng = (rng * 1103515245 + 12345) % 2 ** 31;
      values.push(((rng / 2 ** 31) * 2 - 1) * 10 ** ((i % 13) - 6));
    }
    values.forEach((v, i) => ins.run(i + 1, v, v, v, v));
    const stored = all(db, 'a') as number[][];
    values.forEach((v, i) => {
      expect([roundDown(v), roundUp(v)], `value ${v}`).toEqual([stored[i][1], stored[i][2]]);
      if (Math.abs(v) < 1e-30) return; // SQLite's one-part-in-2^23 nudge is lost on denormal floats
      expect(stored[i][1]).toBeLessThanOrEqual(v);
      expect(stored[i][2]).toBeGreaterThanOrEqual(v);
    });
  });

  it.skipIf(!hasSharedData)('stores what one-by-one inserts store, passes rtreecheck and answers window queries like a scan (110k sites + geology polygons)', () => {
    const boxes = realBoxes();
    expect(boxes.length).toBeGreaterThan(110_000);
    const db = twoTrees();
    const ins = db.prepare('INSERT INTO a VALUES (?, ?, ?, ?, ?)');
    db.transaction(() => boxes.forEach((b) => ins.run(...b)))();
    const entries = new RtreeEntries();
    for (const b of boxes) entries.push(...b);
    // The table was read through this connection before (an open blob handle, cached nodes).
    expect(db.prepare('SELECT count(*) FROM b WHERE minx > -200').pluck().get()).toBe(0);
    db.transaction(() => loadRtree(db, 'b', entries))();

    expect(all(db, 'b')).toEqual(all(db, 'a'));
    expect(check(db, 'b')).toBe('ok');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const depth = (db.prepare('SELECT data FROM b_node WHERE nodeno = 1').pluck().get() as Buffer).readUInt16BE(0);
    expect(depth).toBe(2); // 110k entries at 51 per node
    // Packed full: far fewer nodes than the one-by-one tree.
    const nodes = (t: string) => db.prepare(`SELECT count(*) FROM ${t}_node`).pluck().get() as number;
    expect(nodes('b')).toBeLessThan(nodes('a'));

    const q = (t: string) => db.prepare(`SELECT id FROM ${t} WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ? ORDER BY id`).pluck();
    const windows: number[][] = [
      [-115, -109, 31, 37], // Arizona: points and polygons
      [129, 146, 30, 46], // Japan
      [-180, 180, -90, 90],
      [-71, -70, -27, -26],
      [10, 10.001, 50, 50.001],
    ];
    for (const [w, e, s, n] of windows) {
      const brute = boxes
        .filter((b) => roundUp(b[2]) >= w && roundDown(b[1]) <= e && roundUp(b[4]) >= s && roundDown(b[3]) <= n)
        .map((b) => b[0])
        .sort((x, y) => x - y);
      expect(q('b').all(w, e, s, n), `window ${[w, e, s, n]}`).toEqual(brute);
    }

    // Later edits go through SQLite's own code on the packed tree.
    db.prepare('DELETE FROM b WHERE id % 3 = 0').run();
    db.prepare('INSERT INTO b VALUES (?, ?, ?, ?, ?)').run(5_000_000, 139.7, 139.8, 35.6, 35.7);
    expect(check(db, 'b')).toBe('ok');
    expect(db.prepare('SELECT count(*) FROM b').pluck().get()).toBe(boxes.filter((b) => b[0] % 3 !== 0).length + 1);
    expect(q('b').all(139.75, 139.75, 35.65, 35.65)).toContain(5_000_000);
  });

  it('handles an empty tree, a one-node tree and boxes of empty geometries', () => {
    const db = twoTrees();
    db.prepare('INSERT INTO b VALUES (1, 0, 1, 0, 1)').run();
    db.transaction(() => loadRtree(db, 'b', new RtreeEntries()))();
    expect(all(db, 'b')).toEqual([]);
    expect(check(db, 'b')).toBe('ok');

    const pts: number[][] = readSharedJson('deposits', 'japan-sites.geojson').features.map((f: any) => f.geometry.coordinates).slice(0, 40);
    const entries = new RtreeEntries();
    pts.forEach(([x, y], i) => entries.push(i + 1, x, x, y, y));
    entries.push(99, NaN, NaN, NaN, NaN); // empty geometries: no entry, like the triggers
    entries.push(98, Infinity, -Infinity, Infinity, -Infinity); // (envelopeOf of an empty geometry)
    db.transaction(() => loadRtree(db, 'b', entries))();
    expect(db.prepare('SELECT count(*) FROM b').pluck().get()).toBe(pts.length);
    expect((db.prepare('SELECT data FROM b_node WHERE nodeno = 1').pluck().get() as Buffer).readUInt16BE(0)).toBe(0);
    expect(check(db, 'b')).toBe('ok');
  });

  it('is undone by a rollback and refuses to run outside a transaction', () => {
    const db = twoTrees();
    db.prepare('INSERT INTO b VALUES (1, 0, 1, 0, 1)').run();
    const entries = new RtreeEntries();
    for (let i = 1; i <= 5000; i++) entries.push(i + 10, i / 100, i / 100, 0, 0);
    expect(() => loadRtree(db, 'b', entries)).toThrow(/transaction/);
    db.exec('BEGIN');
    loadRtree(db, 'b', entries);
    expect(db.prepare('SELECT count(*) FROM b').pluck().get()).toBe(5000);
    db.exec('ROLLBACK');
    expect(all(db, 'b')).toEqual([[1, 0, 1, 0, 1]]);
    expect(check(db, 'b')).toBe('ok');
    // Defensive mode is back on: shadow tables are read-only again.
    expect(() => db.prepare('DELETE FROM b_parent').run()).toThrow(/may not be modified/);
  });
});
