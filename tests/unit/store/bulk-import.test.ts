import { bbox } from '@turf/turf';
import Database from 'better-sqlite3';
import type { MultiPolygon } from 'geojson';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFile } from '../../../src/export/export-file';
import { importFile } from '../../../src/import/import-file';
import { decodeGeometry } from '../../../src/store/gpkg/geometry-blob';
import { newId } from '../../../src/model/ids';
import { undo, redo } from '../../../src/store/history';
import { Project } from '../../../src/store/project';
import { hasSharedData, sharedPath } from '../../helpers/data';

// An import writes in bulk mode: its R*Tree entries are packed (or added) and its journal rows
// written in chunks at the end. Both must be what one-by-one writes would have made.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-bulk-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The R*Tree rows SQLite itself stores for every deposit's point, inserted one by one. */
function expectedRtree(p: Project): unknown[][] {
  const ref = new Database(':memory:');
  ref.exec('CREATE VIRTUAL TABLE r USING rtree(id, minx, maxx, miny, maxy)');
  const put = ref.prepare('INSERT INTO r VALUES (?, ?, ?, ?, ?)');
  for (const { fid, geom } of p.db.prepare('SELECT fid, geom FROM deposits').all() as { fid: number; geom: Buffer }[]) {
    const [x, y] = (decodeGeometry(geom) as { coordinates: number[] }).coordinates;
    put.run(fid, x, x, y, y);
  }
  return ref.prepare('SELECT * FROM r ORDER BY id').raw().all() as unknown[][];
}

function expectConsistent(p: Project): void {
  expect(p.db.prepare(`SELECT rtreecheck('rtree_deposits_geom')`).pluck().get()).toBe('ok');
  expect(p.db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(p.db.prepare('SELECT * FROM rtree_deposits_geom ORDER BY id').raw().all()).toEqual(expectedRtree(p));
  // Every version is unique, and every deposit's newest journal row names it.
  expect(p.db.prepare('SELECT count(*) - count(DISTINCT version) FROM outcrop_history').pluck().get()).toBe(0);
  const unjournaled = p.db
    .prepare(`SELECT count(*) FROM deposits d WHERE NOT EXISTS (SELECT 1 FROM outcrop_history h WHERE h.feature_id = d.id AND h.action != 'delete')`)
    .pluck()
    .get();
  expect(unjournaled).toBe(0);
}

const journalOf = (p: Project, opId: number) =>
  p.db.prepare('SELECT feature_id, action, before, after, parents, applied, layer FROM outcrop_history WHERE op_id = ? ORDER BY seq').all(opId) as {
    feature_id: string;
    action: string;
    before: string | null;
    after: string | null;
    parents: string;
    applied: number;
    layer: string;
  }[];

describe.skipIf(!hasSharedData)('bulk import: R*Tree and journal', () => {
  it('packs the R*Tree of a first import, packs again with what is there, adds a small import one by one', async () => {
    const p = Project.open(join(dir, 'a.gpkg'), { create: true, actor: 't' });
    // 3,161 deposits into an empty layer: packed.
    const first = await importFile(p, sharedPath('deposits', 'usgs-major-deposits-world.geojson'));
    expect(first.written.deposits).toBe(3161);
    expectConsistent(p);
    const journal = journalOf(p, first.opId);
    expect(journal).toHaveLength(3161);
    expect(new Set(journal.map((h) => h.feature_id))).toEqual(new Set(p.db.prepare('SELECT id FROM deposits').pluck().all()));
    expect(journal.every((h) => h.action === 'insert' && h.before === null && h.after === null && h.parents === '[]' && h.applied === 1 && h.layer === 'deposits')).toBe(true);
    // Journal order is file order (fid order), as one-by-one writes made it.
    const fidOrder = p.db.prepare('SELECT id FROM deposits ORDER BY fid').pluck().all();
    expect(journal.map((h) => h.feature_id)).toEqual(fidOrder);

    // The same 3,161 again (new ids): held ≤ 2 × new, so the whole tree is packed again.
    await importFile(p, sharedPath('deposits', 'usgs-major-deposits-world.geojson'));
    expectConsistent(p);
    // 207 Japanese sites: added one by one to the packed tree.
    const small = await importFile(p, sharedPath('deposits', 'japan-sites.geojson'));
    expect(small.written.deposits).toBe(207);
    expectConsistent(p);
    expect(p.db.prepare('SELECT count(*) FROM rtree_deposits_geom').pluck().get()).toBe(3161 * 2 + 207);

    // Undo and redo of a bulk import go through the journal it wrote.
    undo(p);
    undo(p);
    expect(p.db.prepare('SELECT count(*) FROM deposits').pluck().get()).toBe(3161);
    expectConsistent(p);
    redo(p);
    expect(p.db.prepare('SELECT count(*) FROM deposits').pluck().get()).toBe(3161 * 2);
    expectConsistent(p);
    p.close();
  });

  it('packs the surveys R*Tree from polygon envelopes (4,841 Arizona geology polygons)', async () => {
    const p = Project.open(join(dir, 'c.gpkg'), { create: true, actor: 't' });
    // The geology units have only an index: it names each survey (the user's field mapping).
    const r = await importFile(p, sharedPath('polygons', 'arizona-geology-1m-polygons.geojson.gz'), { layer: 'surveys', fieldMap: { poly_index: 'name' }, skipInvalid: true });
    expect(r.written.surveys).toBeGreaterThan(4000);
    expect(p.db.prepare(`SELECT rtreecheck('rtree_surveys_geom')`).pluck().get()).toBe('ok');
    // SQLite's own entries for the stored geometries' envelopes, inserted one by one.
    const ref = new Database(':memory:');
    ref.exec('CREATE VIRTUAL TABLE r USING rtree(id, minx, maxx, miny, maxy)');
    const put = ref.prepare('INSERT INTO r VALUES (?, ?, ?, ?, ?)');
    for (const { fid, geom } of p.db.prepare('SELECT fid, geom FROM surveys').all() as { fid: number; geom: Buffer }[]) {
      const [w, s, e, n] = bbox(decodeGeometry(geom) as MultiPolygon);
      put.run(fid, w, e, s, n);
    }
    expect(p.db.prepare('SELECT * FROM rtree_surveys_geom ORDER BY id').raw().all()).toEqual(ref.prepare('SELECT * FROM r ORDER BY id').raw().all());
    expect(journalOf(p, r.opId)).toHaveLength(r.written.surveys);
    expect(journalOf(p, r.opId).every((h) => h.layer === 'surveys')).toBe(true);
    p.close();
  });

  it('journals a file that mixes features with and without ids in file order, so redo keeps it', async () => {
    const p = Project.open(join(dir, 'd.gpkg'), { create: true, actor: 't' });
    const world = JSON.parse(readFileSync(sharedPath('deposits', 'usgs-major-deposits-world.geojson'), 'utf8'));
    world.features.forEach((f: { id?: string }, i: number) => {
      if (i % 2 === 0) f.id = newId();
    });
    const mixed = join(dir, 'mixed.geojson');
    writeFileSync(mixed, JSON.stringify(world));
    const r = await importFile(p, mixed);
    const names = () => p.db.prepare('SELECT name FROM deposits ORDER BY fid').pluck().all();
    const inFile = world.features.map((f: { properties: { name: string } }) => f.properties.name);
    expect(names()).toEqual(inFile);
    expect(journalOf(p, r.opId).map((h) => h.feature_id)).toEqual(p.db.prepare('SELECT id FROM deposits ORDER BY fid').pluck().all());
    expect(journalOf(p, r.opId).every((h) => h.parents === '[]')).toBe(true); // new here, brought id or not
    undo(p);
    redo(p);
    expect(names()).toEqual(inFile);
    expectConsistent(p);
    p.close();
  });

  it('gives a re-imported id the version it had here as parent, as a one-by-one insert does', async () => {
    const p = Project.open(join(dir, 'b.gpkg'), { create: true, actor: 't' });
    await importFile(p, sharedPath('deposits', 'usgs-major-deposits-world.geojson'));
    const out = join(dir, 'b.geojson');
    await exportFile(p, out);
    const ids = p.db.prepare('SELECT id FROM deposits ORDER BY fid').pluck().all() as string[];
    const gone = ids.filter((_, i) => i % 2 === 0);
    await p.write('edit', 'delete half', (w) => {
      for (const id of gone) w.delete('deposits', id);
    });
    const versionBefore = new Map(
      (p.db.prepare(`SELECT feature_id, version FROM outcrop_history WHERE action = 'delete'`).all() as { feature_id: string; version: string }[]).map((r) => [r.feature_id, r.version]),
    );
    // The deleted ones come back from the export, under their ids.
    const exported = JSON.parse(readFileSync(out, 'utf8'));
    const goneSet = new Set(gone);
    exported.features = exported.features.filter((f: { id: string }) => goneSet.has(f.id));
    const back = join(dir, 'b-back.geojson');
    writeFileSync(back, JSON.stringify(exported));
    const again = await importFile(p, back);
    expect(again.written.deposits).toBe(gone.length);
    const journal = journalOf(p, again.opId);
    expect(journal).toHaveLength(gone.length);
    for (const h of journal) expect(JSON.parse(h.parents)).toEqual([versionBefore.get(h.feature_id)]);
    expectConsistent(p);
    p.close();
  });

  it('runs with a smaller page cache and gives the project its own back, also when the import fails', async () => {
    const p = Project.open(join(dir, 'e.gpkg'), { create: true, actor: 't' });
    const cache = () => p.db.pragma('cache_size', { simple: true });
    const own = cache();
    expect(own).toBe(-65536);
    let during: unknown;
    await importFile(p, sharedPath('deposits', 'japan-sites.geojson'), { onProgress: () => (during ??= cache()) });
    expect(during).toBe(-16384);
    expect(cache()).toBe(own);
    // A file with a bad feature: the import is refused, rolled back, and the cache is back too.
    const bad = JSON.parse(readFileSync(sharedPath('deposits', 'japan-sites.geojson'), 'utf8'));
    bad.features[100].geometry.coordinates = [200, 35];
    writeFileSync(join(dir, 'e-bad.geojson'), JSON.stringify(bad));
    await expect(importFile(p, join(dir, 'e-bad.geojson'))).rejects.toThrow(/longitude/i);
    expect(cache()).toBe(own);
    expect(p.db.prepare('SELECT count(*) FROM deposits').pluck().get()).toBe(207);
    p.close();
  });
});
