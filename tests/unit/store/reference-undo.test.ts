import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { bbox as turfBBox } from '@turf/turf';
import type { FeatureCollection, Geometry } from 'geojson';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importReferenceLayer } from '../../../src/import/reference-layer';
import { emptyDepositFields } from '../../../src/model/defaults';
import { registerGpkgFunctions } from '../../../src/store/gpkg/sql-functions';
import { redo, redoTarget, undo, undoTarget } from '../../../src/store/history';
import { migrate, MIGRATIONS, readSchemaVersion, SCHEMA_VERSION } from '../../../src/store/migrations';
import { Project } from '../../../src/store/project';
import { deleteReferenceLayers, listReferenceLayers, storeReferenceLayer } from '../../../src/store/reference-layers';
import { getTile } from '../../../src/tiles';
import { sharedPath } from '../../helpers/data';
import { hasCommand } from '../../helpers/cli';
import { decodeTile } from '../tiles/real-data';

// Undo and redo of reference-layer imports, replacements and deletions (migration 0006: the rows
// an operation takes out are kept in outcrop_reference_trash*). Real data: the SW US fixtures and
// the 13 USGS Earth MRI project areas. "Back as it was" is checked on the raw rows (fids, geometry
// blobs, layer rows, R*Tree boxes) against a snapshot taken before; the R*Tree boxes also against
// Turf's bbox of the file's geometries.
const FIX = resolve(__dirname, '../../fixtures/reference');
const ROADS = join(FIX, 'sw-us-infrastructure.geojson');
const PARKS = join(FIX, 'sw-us-protected-areas.geojson');
const MRI = sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson');
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as FeatureCollection;
const nameOf = (p: Record<string, unknown> | null) => String(p?.name ?? p?.NAME ?? p?.pname);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-ref-undo-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const count = (p: Project, sql: string, ...args: unknown[]) => p.db.prepare(sql).pluck().get(...args) as number;

/** Every raw row the reference layers consist of. */
function snapshot(p: Project) {
  return {
    // (not its integer id: a surrogate key, new each time undo or redo puts a layer back)
    layers: p.db.prepare('SELECT name, role, source_file, geometry_types, imported_at, imported_by FROM outcrop_reference_layers ORDER BY name').all(),
    features: p.db.prepare('SELECT fid, geom, layer, role, name, properties FROM reference_features ORDER BY fid').all(),
    rtree: p.db.prepare('SELECT * FROM rtree_reference_features_geom ORDER BY id').all(),
  };
}
const trash = (p: Project) => ({
  features: count(p, 'SELECT count(*) FROM outcrop_reference_trash'),
  layers: count(p, 'SELECT count(*) FROM outcrop_reference_trash_layers'),
});
const layerNames = (p: Project) => listReferenceLayers(p).map((l) => l.name);

/** The R*Tree box of each stored feature of `layer` is Turf's bbox of the file's geometry (float32, rounded outwards). */
function expectBoxes(p: Project, layer: string, geometries: Geometry[]) {
  const boxes = p.db
    .prepare('SELECT r.minx, r.miny, r.maxx, r.maxy FROM reference_features f JOIN rtree_reference_features_geom r ON r.id = f.fid WHERE f.layer = ? ORDER BY f.fid')
    .all(layer) as { minx: number; miny: number; maxx: number; maxy: number }[];
  expect(boxes).toHaveLength(geometries.length);
  geometries.forEach((g, i) => {
    const [x0, y0, x1, y1] = turfBBox(g);
    expect(boxes[i].minx).toBeCloseTo(x0, 4);
    expect(boxes[i].miny).toBeCloseTo(y0, 4);
    expect(boxes[i].maxx).toBeCloseTo(x1, 4);
    expect(boxes[i].maxy).toBeCloseTo(y1, 4);
  });
}

/** Names of the reference features in tile z/x/y ([] for no tile). */
function tileNames(p: Project, z: number, x: number, y: number): string[] {
  const buf = getTile(p, 'reference', z, x, y);
  if (!buf) return [];
  const layer = decodeTile(buf).layers.reference;
  return Array.from({ length: layer.length }, (_, i) => String(layer.feature(i).properties.name)).sort();
}

async function storeMri(p: Project, name: string, replace = false) {
  const fc = read(MRI);
  return storeReferenceLayer(p, { name, role: 'exclusion', sourceFile: 'usgs-earthmri-projects-nm-sw.geojson', replace }, (async function* () {
    for (const f of fc.features) yield { name: `${nameOf(f.properties)} (${f.properties?.pid})`, geometry: f.geometry, properties: f.properties ?? {} };
  })());
}

function expectSound(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
  } finally {
    db.close();
  }
  if (!hasCommand('ogrinfo')) return;
  const all = spawnSync('ogrinfo', ['-q', file], { encoding: 'utf8' });
  expect(all.status).toBe(0);
  expect(all.stderr).not.toMatch(/Warning|ERROR/);
  expect(all.stdout).toMatch(/reference_features/);
  expect(all.stdout).toMatch(/outcrop_reference_trash /);
  expect(all.stdout).toMatch(/outcrop_reference_trash_layers/);
  const ref = spawnSync('ogrinfo', ['-al', '-so', file, 'reference_features'], { encoding: 'utf8' });
  expect(ref.status).toBe(0);
  expect(ref.stderr).not.toMatch(/Warning|ERROR/);
  return ref.stdout;
}

describe('undo/redo of reference layers', () => {
  it('import → undo: the layer is gone (list, features, R*Tree, tiles); redo: back byte for byte, twice over', async () => {
    const file = join(dir, 'p.gpkg');
    const p = Project.open(file, { create: true, actor: 'planner' });
    try {
      const roads = read(ROADS).features;
      const before = snapshot(p);
      await importReferenceLayer(p, ROADS, { role: 'infrastructure' });
      const imported = snapshot(p);
      expect(imported.features.map((f: any) => f.name)).toEqual(roads.map((f) => nameOf(f.properties)));
      expectBoxes(p, 'sw-us-infrastructure', roads.map((f) => f.geometry));
      expect(undoTarget(p)?.label).toBe('Import reference layer sw-us-infrastructure from sw-us-infrastructure.geojson');
      // Tile 6/11/25 (118.1° W – 112.5° W, the Mojave) holds I-15 and, in its buffer, the Port of Long Beach.
      const inTile = ['Interstate 15 (Barstow–Las Vegas, simplified)', 'Port of Long Beach'];
      expect(tileNames(p, 6, 11, 25)).toEqual(inTile);

      const u = undo(p)!;
      expect(u.label).toBe('Undo Import reference layer sw-us-infrastructure from sw-us-infrastructure.geojson');
      expect(layerNames(p)).toEqual([]);
      expect(snapshot(p)).toEqual(before);
      expect(count(p, 'SELECT count(*) FROM rtree_reference_features_geom')).toBe(0);
      expect(getTile(p, 'reference', 6, 11, 25)).toBeNull();
      expect(trash(p)).toEqual({ features: roads.length, layers: 1 });
      expect(undoTarget(p)).toBeUndefined();
      expect(redoTarget(p)?.opId).toBe(u.opId);

      const r = redo(p)!;
      expect(r.label).toBe('Redo Import reference layer sw-us-infrastructure from sw-us-infrastructure.geojson');
      expect(snapshot(p)).toEqual(imported); // same fids, blobs, layer row (imported at/by), R*Tree boxes
      expect(trash(p)).toEqual({ features: 0, layers: 0 });
      expect(tileNames(p, 6, 11, 25)).toEqual(inTile);

      // Undo of the redo, and redo again.
      undo(p);
      expect(snapshot(p)).toEqual(before);
      expect(getTile(p, 'reference', 6, 11, 25)).toBeNull();
      redo(p);
      expect(snapshot(p)).toEqual(imported);
      expect(tileNames(p, 6, 11, 25)).toEqual(inTile);
    } finally {
      p.close();
    }
    expect(expectSound(file)).toMatch(/Feature Count: 4/);
  });

  it('replace → undo: the old layer is back (same fids and rows), the tiles with it; redo: the new one', async () => {
    const file = join(dir, 'p.gpkg');
    const p = Project.open(file, { create: true });
    try {
      await importReferenceLayer(p, PARKS, { role: 'exclusion', name: 'zones' });
      const parks = snapshot(p);
      const mri = read(MRI).features;
      await storeMri(p, 'zones', true);
      const replaced = snapshot(p);
      expect(replaced.features).toHaveLength(mri.length);
      expect(replaced.layers).toEqual([expect.objectContaining({ name: 'zones', source_file: 'usgs-earthmri-projects-nm-sw.geojson' })]);
      expect(trash(p)).toEqual({ features: read(PARKS).features.length, layers: 1 });

      undo(p);
      expect(snapshot(p)).toEqual(parks);
      expect(listReferenceLayers(p)).toEqual([expect.objectContaining({ name: 'zones', sourceFile: 'sw-us-protected-areas.geojson', featureCount: 2 })]);
      expectBoxes(p, 'zones', read(PARKS).features.map((f) => f.geometry));
      expect(trash(p)).toEqual({ features: mri.length, layers: 1 });
      redo(p);
      expect(snapshot(p)).toEqual(replaced);
      expectBoxes(p, 'zones', mri.map((f) => f.geometry));
      expect(trash(p)).toEqual({ features: 2, layers: 1 });
    } finally {
      p.close();
    }
    expectSound(file);
  });

  it('a replacement of the same size and its undo/redo change the tiles (old fids come back: the stamp follows the operation)', async () => {
    const p = Project.open(join(dir, 'p.gpkg'), { create: true });
    try {
      await importReferenceLayer(p, PARKS, { role: 'exclusion', name: 'parks' });
      // Tile 6/11/25 covers the Mojave National Preserve.
      const original = ['Mojave National Preserve (simplified outline)'];
      expect(tileNames(p, 6, 11, 25)).toEqual(original);
      const revised = read(PARKS);
      revised.features[0].properties!.name = 'Mojave National Preserve (revised)';
      const f = join(dir, 'parks-revised.geojson');
      writeFileSync(f, JSON.stringify(revised));
      await importReferenceLayer(p, f, { role: 'exclusion', name: 'parks', replace: true });
      expect(tileNames(p, 6, 11, 25)).toEqual(['Mojave National Preserve (revised)']);
      undo(p);
      expect(tileNames(p, 6, 11, 25)).toEqual(original);
      redo(p);
      expect(tileNames(p, 6, 11, 25)).toEqual(['Mojave National Preserve (revised)']);
      undo(p);
      expect(tileNames(p, 6, 11, 25)).toEqual(original);
    } finally {
      p.close();
    }
  });

  it('delete of two layers → undo: both back; redo: both gone again', async () => {
    const file = join(dir, 'p.gpkg');
    const p = Project.open(file, { create: true });
    try {
      await importReferenceLayer(p, ROADS, { role: 'infrastructure', name: 'roads' });
      await importReferenceLayer(p, PARKS, { role: 'exclusion', name: 'parks' });
      await storeMri(p, 'mri');
      const all = snapshot(p);
      const allInTile = tileNames(p, 6, 11, 25);
      expect(allInTile).toEqual(expect.arrayContaining(['Interstate 15 (Barstow–Las Vegas, simplified)', 'Mojave National Preserve (simplified outline)', 'Port of Long Beach']));
      await deleteReferenceLayers(p, ['roads', 'parks']);
      expect(layerNames(p)).toEqual(['mri']);
      // Left in the tile: the Earth MRI areas that reach it.
      const mriInTile = tileNames(p, 6, 11, 25);
      expect(mriInTile).toEqual(allInTile.filter((n) => / \(\d+\)$/.test(n)));
      expect(mriInTile.length).toBe(allInTile.length - 3);
      const afterDelete = snapshot(p);
      expect(afterDelete.features).toHaveLength(read(MRI).features.length);
      expect(undoTarget(p)?.label).toBe('Delete 2 reference layers');
      undo(p);
      expect(snapshot(p)).toEqual(all);
      expect(layerNames(p)).toEqual(['mri', 'parks', 'roads']);
      expect(trash(p)).toEqual({ features: 0, layers: 0 });
      expect(tileNames(p, 6, 11, 25)).toEqual(allInTile);
      redo(p);
      expect(snapshot(p)).toEqual(afterDelete);
      expect(trash(p)).toEqual({ features: read(ROADS).features.length + read(PARKS).features.length, layers: 2 });
      expect(tileNames(p, 6, 11, 25)).toEqual(mriInTile);
      await deleteReferenceLayers(p, ['mri']);
      expect(undoTarget(p)?.label).toBe('Delete reference layer mri');
    } finally {
      p.close();
    }
    expectSound(file);
  });

  it('undo walks back through later replacements, deletions and feature edits in order; redo walks forward', async () => {
    const file = join(dir, 'p.gpkg');
    const p = Project.open(file, { create: true });
    try {
      const empty = snapshot(p);
      await importReferenceLayer(p, PARKS, { role: 'exclusion', name: 'zones' }); // A
      const a = snapshot(p);
      await p.write('edit', 'Add deposit Mountain Pass', (w) => w.insertDeposit(emptyDepositFields('Mountain Pass'), { type: 'Point', coordinates: [-115.53, 35.48] })); // D
      await storeMri(p, 'zones', true); // B
      const b = snapshot(p);
      await deleteReferenceLayers(p, ['zones']); // C
      const c = snapshot(p);
      const deposits = () => count(p, 'SELECT count(*) FROM deposits');

      undo(p); // C
      expect(snapshot(p)).toEqual(b);
      undo(p); // B
      expect(snapshot(p)).toEqual(a);
      expect(deposits()).toBe(1);
      expect(undo(p)?.label).toBe('Undo Add deposit Mountain Pass'); // D
      expect(deposits()).toBe(0);
      expect(snapshot(p)).toEqual(a);
      undo(p); // A
      expect(snapshot(p)).toEqual(empty);
      expect(trash(p).layers).toBe(2); // A's import and B's replacement (C's 'after' is no layer)
      expect(undoTarget(p)).toBeUndefined();

      redo(p);
      expect(snapshot(p)).toEqual(a);
      redo(p);
      expect(deposits()).toBe(1);
      redo(p);
      expect(snapshot(p)).toEqual(b);
      redo(p);
      expect(snapshot(p)).toEqual(c);
      expect(redoTarget(p)).toBeUndefined();

      // A new operation after an undo makes the undone one unreachable; its rows stay in the trash (no compaction).
      undo(p); // C again: zones (MRI) back
      await importReferenceLayer(p, ROADS, { role: 'infrastructure', name: 'roads' });
      expect(redoTarget(p)).toBeUndefined();
      expect(layerNames(p)).toEqual(['roads', 'zones']);
    } finally {
      p.close();
    }
    expectSound(file);
  });

  it('a cancelled or refused replacement writes nothing and leaves no trash', async () => {
    const p = Project.open(join(dir, 'p.gpkg'), { create: true });
    try {
      await importReferenceLayer(p, PARKS, { role: 'exclusion', name: 'parks' });
      const stored = snapshot(p);
      const ops = count(p, 'SELECT count(*) FROM outcrop_ops');
      const ac = new AbortController();
      await expect(
        importReferenceLayer(p, PARKS, { role: 'exclusion', name: 'parks', replace: true, signal: ac.signal, onProgress: (x) => x.phase === 'write' && ac.abort() }),
      ).rejects.toThrow(/abort/i);
      // Roads as exclusion zones: refused (lines), after the replaced layer was moved in the open transaction.
      await expect(importReferenceLayer(p, ROADS, { role: 'exclusion', name: 'parks', replace: true })).rejects.toThrow(/exclusion zone must be a Polygon/);
      const ac2 = new AbortController();
      await expect(importReferenceLayer(p, ROADS, { role: 'infrastructure', name: 'roads', signal: ac2.signal, onProgress: (x) => x.phase === 'write' && ac2.abort() })).rejects.toThrow(/abort/i);
      expect(snapshot(p)).toEqual(stored);
      expect(trash(p)).toEqual({ features: 0, layers: 0 });
      expect(count(p, 'SELECT count(*) FROM outcrop_ops')).toBe(ops);
      expect(undoTarget(p)?.label).toBe('Import reference layer parks from sw-us-protected-areas.geojson');
    } finally {
      p.close();
    }
  });

  it('drops from the trash what redo can no longer reach, keeps what undo or redo still can', async () => {
    const p = Project.open(join(dir, 'p.gpkg'), { create: true });
    try {
      await importReferenceLayer(p, PARKS, { role: 'exclusion', name: 'parks' });
      await importReferenceLayer(p, ROADS, { role: 'infrastructure', name: 'roads' });
      const roads = read(ROADS).features.length;
      // Roads undone: redo can bring them back, so the trash keeps them.
      undo(p);
      expect(trash(p)).toEqual({ features: roads, layers: 1 });
      // An unrelated edit (a deposit) cuts redo off: nothing can bring the roads back any more.
      await p.write('edit', 'add a deposit', (w) => w.insertDeposit(emptyDepositFields('After the undo'), { type: 'Point', coordinates: [-110, 32] }));
      expect(redoTarget(p)).toBeUndefined();
      expect(trash(p)).toEqual({ features: 0, layers: 0 });
      // A deletion keeps what it deleted (undo can always walk back to it), also after later edits.
      await deleteReferenceLayers(p, ['parks']);
      const parks = read(PARKS).features.length;
      await p.write('edit', 'another deposit', (w) => w.insertDeposit(emptyDepositFields('Later'), { type: 'Point', coordinates: [-111, 33] }));
      expect(trash(p)).toEqual({ features: parks, layers: 1 });
      undo(p); // the deposit
      undo(p); // the deletion: parks back
      expect(layerNames(p)).toEqual(['parks']);
      expect(trash(p)).toEqual({ features: 0, layers: 0 });
      expect(count(p, 'PRAGMA foreign_key_check')).toBeUndefined();
    } finally {
      p.close();
    }
  });

  it('upgrades a schema-5 project: its trash tables are GeoPackage attributes; an import made before stays out of undo', async () => {
    const file = join(dir, 'v5.gpkg');
    const db = new Database(file);
    registerGpkgFunctions(db);
    db.pragma('application_id = 1196444487');
    db.pragma('user_version = 10300');
    migrate(db, 'v5.gpkg', MIGRATIONS.filter((m) => m.version <= 5));
    expect(readSchemaVersion(db)).toBe(5);
    db.close();
    // A schema-5 import as Outcrop wrote it then: no trash, no revertible mark.
    let p = Project.open(file);
    try {
      expect(readSchemaVersion(p.db)).toBe(SCHEMA_VERSION);
      expect(p.db.prepare(`SELECT table_name, data_type FROM gpkg_contents WHERE table_name LIKE 'outcrop_reference_trash%' ORDER BY 1`).all()).toEqual([
        { table_name: 'outcrop_reference_trash', data_type: 'attributes' },
        { table_name: 'outcrop_reference_trash_layers', data_type: 'attributes' },
      ]);
      await importReferenceLayer(p, PARKS, { role: 'exclusion', name: 'parks' });
      p.db.prepare(`UPDATE outcrop_ops SET details = json_remove(details, '$.referenceRevertible', '$.reference') WHERE kind = 'reference-import'`).run();
      expect(undoTarget(p)).toBeUndefined();
      // A deletion made now is undoable and brings the old layer back.
      const old = snapshot(p);
      await deleteReferenceLayers(p, ['parks']);
      undo(p);
      expect(snapshot(p)).toEqual(old);
      expect(undoTarget(p)).toBeUndefined();
    } finally {
      p.close();
    }
    p = Project.open(file, { readonly: true });
    p.close();
    expectSound(file);
  });
});
