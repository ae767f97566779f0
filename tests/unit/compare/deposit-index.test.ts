import { mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { registerGpkgFunctions } from '../../../src/store/gpkg/sql-functions';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature, Point } from 'geojson';
import { distance } from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { depositIndex, prepareDepositIndex } from '../../../src/compare/deposit-index';
import { importFile } from '../../../src/import/import-file';
import { emptyDepositFields } from '../../../src/model/defaults';
import { redo, undo } from '../../../src/store/history';
import { getDeposit } from '../../../src/store/read';
import { insertSites } from '../../../src/store/sites';
import { Project } from '../../../src/store/project';
import { readSharedJson, sharedPath } from '../../helpers/data';

// The in-memory deposit index of site comparison against brute force over the source file.
let dir: string;
let p: Project;
const source = readSharedJson('deposits', 'usgs-major-deposits-world.geojson').features as Feature<Point>[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-deposit-index-'));
  p = Project.open(join(dir, 'idx.gpkg'), { create: true });
  await importFile(p, sharedPath('deposits', 'usgs-major-deposits-world.geojson'));
});
afterAll(() => {
  p.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('depositIndex', () => {
  it('finds exactly the deposits brute-force turf.distance finds, nearest first', () => {
    const idx = depositIndex(p);
    expect(idx.size).toBe(source.length);
    for (const [center, km] of [[[-115.53, 35.48], 100], [[141.9, 39.3], 250], [[-70.4, -24.2], 75], [[0, 0], 10]] as [[number, number], number][]) {
      const got = idx.near(center, km);
      const want = source.filter((f) => distance(center, f.geometry.coordinates, { units: 'kilometers' }) <= km);
      expect(got.map((d) => d.name).sort(), `${center} ${km} km`).toEqual(want.map((f) => String(f.properties!.name)).sort());
      for (let i = 1; i < got.length; i++) expect(got[i].distanceKm).toBeGreaterThanOrEqual(got[i - 1].distanceKm);
      for (const d of got) expect(d.distanceKm).toBeCloseTo(distance(center, d.coordinates, { units: 'kilometers' }), 6);
    }
  });

  it('follows the data: a new deposit is found, and gone again after undo; across the antimeridian and near a pole', async () => {
    const before = depositIndex(p);
    await p.write('edit', 'add', (w) => {
      w.insertDeposit({ ...emptyDepositFields('East of the line'), commoditiesMain: ['Cu'] }, { type: 'Point', coordinates: [-179.98, -16.5] });
      w.insertDeposit({ ...emptyDepositFields('Near the pole'), commoditiesMain: ['Ni'] }, { type: 'Point', coordinates: [100, 89.9] });
    });
    const after = depositIndex(p);
    expect(after).not.toBe(before);
    expect(after.size).toBe(before.size + 2);
    // 179.98° E to 179.98° W is ~4.3 km at 16.5° S.
    expect(after.near([179.98, -16.5], 10).map((d) => d.name)).toContain('East of the line');
    expect(after.near([-80, 89.95], 30).map((d) => d.name)).toContain('Near the pole');
    expect(depositIndex(p)).toBe(after); // unchanged data: the same index
    undo(p);
    const undone = depositIndex(p);
    expect(undone.size).toBe(before.size);
    expect(undone.near([179.98, -16.5], 10).map((d) => d.name)).not.toContain('East of the line');
  });

  it('follows edits by reading again only what the journal names: answers equal a fresh full build after each step', async () => {
    const places: [[number, number], number][] = [[[-115.53, 35.48], 100], [[141.9, 39.3], 250], [[-70.4, -24.2], 75], [[179.9, -16.5], 40], [[-110.9, 32.2], 300]];
    /** The same questions asked of an index built from scratch (a second connection to the file). */
    const fresh = () => {
      const q = Project.open(p.file, { readonly: true });
      try {
        return places.map(([c, km]) => depositIndex(q).near(c, km));
      } finally {
        q.close();
      }
    };
    const check = (step: string) => {
      const idx = depositIndex(p);
      const got = places.map(([c, km]) => idx.near(c, km));
      expect(JSON.stringify(got), step).toBe(JSON.stringify(fresh()));
      expect(idx.size, step).toBe(p.db.prepare('SELECT count(*) FROM deposits').pluck().get());
      return idx as unknown as { layout: object };
    };
    const built = check('as built');
    const original = JSON.stringify(places.map(([c, km]) => depositIndex(p).near(c, km)));
    // An operation that touches no deposit (a site saved): the same layout, no scan.
    const chile = depositIndex(p).near(places[2][0], places[2][1]);
    await insertSites(p, [{ fields: { name: 'Kingman', roles: ['mine'], targetCommodities: ['Cu'], permitStage: null, notes: null, extra: {} }, geometry: { type: 'Point', coordinates: [-114.05, 35.19] } }]);
    expect(check('site saved').layout).toBe(built.layout);
    // Every answer still holds: the same arrays.
    expect(depositIndex(p).near(places[2][0], places[2][1])).toBe(chile);
    // Deposits added (one across the antimeridian), one moved and renamed, one deleted.
    const [moved, gone] = p.db.prepare(`SELECT id FROM deposits WHERE name IN ('Mountain Pass', 'Bagdad') ORDER BY name`).pluck().all() as string[];
    expect(gone && moved).toBeTruthy();
    await p.write('edit', 'add two', (w) => {
      w.insertDeposit({ ...emptyDepositFields('Fiji east'), commoditiesMain: ['Cu'], status: 'prospect' }, { type: 'Point', coordinates: [-179.95, -16.45] });
      w.insertDeposit({ ...emptyDepositFields('Near Tucson'), commoditiesMain: ['Cu', 'Mo'] }, { type: 'Point', coordinates: [-110.95, 32.25] });
    });
    const d = getDeposit(p, moved)!;
    await p.write('edit', 'move', (w) => w.updateDeposit(moved, { ...d, name: 'Mountain Pass (moved)' }, { type: 'Point', coordinates: [-115.2, 35.3] }));
    await p.write('edit', 'delete', (w) => w.delete('deposits', gone));
    const edited = check('added, moved, deleted');
    expect(edited.layout).toBe(built.layout);
    // The answer in Chile is far from every change: kept as it was; the one at Mountain Pass is new.
    expect(depositIndex(p).near(places[2][0], places[2][1])).toBe(chile);
    expect(depositIndex(p).near([-115.53, 35.48], 100).map((x) => x.name)).toContain('Mountain Pass (moved)');
    expect(depositIndex(p).near([-113.3, 34.6], 50).map((x) => x.name)).not.toContain('Bagdad');
    // Undone one by one: back to the original answers.
    undo(p);
    check('delete undone');
    undo(p);
    undo(p);
    check('all undone');
    expect(JSON.stringify(places.map(([c, km]) => depositIndex(p).near(c, km)))).toBe(original);
    // Deleted and put back (under a new fid) with no comparison between: counted once.
    await p.write('edit', 'delete again', (w) => w.delete('deposits', gone));
    undo(p);
    check('deleted and undone in one go');
  });

  it('while a long write holds the transaction: answers from the committed operations, keeps nothing of the open one', async () => {
    const q = Project.open(join(dir, 'tx.gpkg'), { create: true });
    try {
      await importFile(q, sharedPath('deposits', 'usgs-ree-deposits-world.geojson'));
      const at: [number, number] = [-115.53, 35.48];
      const names = () => depositIndex(q).near(at, 30).map((d) => d.name);
      expect(names()).not.toContain('Committed before');
      // Committed, then an import-like write opens its transaction and pauses (no comparison between).
      await q.write('edit', 'add', (w) => w.insertDeposit({ ...emptyDepositFields('Committed before'), commoditiesMain: ['REE'] }, { type: 'Point', coordinates: [-115.5, 35.5] }));
      let release!: () => void;
      const paused = new Promise<void>((r) => (release = r));
      let inside!: () => void;
      const entered = new Promise<void>((r) => (inside = r));
      const writing = q.write('import', 'long import', async (w) => {
        w.insertDeposit({ ...emptyDepositFields('Not yet committed'), commoditiesMain: ['REE'] }, { type: 'Point', coordinates: [-115.52, 35.47] });
        inside();
        await paused;
      });
      await entered;
      expect(q.db.inTransaction).toBe(true);
      expect(names()).toContain('Committed before');
      expect(names()).not.toContain('Not yet committed');
      expect(prepareDepositIndex(q)).toBe(depositIndex(q).size);
      release();
      await writing;
      expect(names()).toEqual(expect.arrayContaining(['Committed before', 'Not yet committed']));
    } finally {
      q.close();
    }
    // A project never compared before: prepare does not build from a half-written table.
    const r = Project.open(join(dir, 'tx2.gpkg'), { create: true });
    try {
      let release!: () => void;
      const paused = new Promise<void>((res) => (release = res));
      let inside!: () => void;
      const entered = new Promise<void>((res) => (inside = res));
      const writing = r.write('import', 'long import', async (w) => {
        w.insertDeposit(emptyDepositFields('Half'), { type: 'Point', coordinates: [0, 0] });
        inside();
        await paused;
      });
      await entered;
      expect(prepareDepositIndex(r)).toBeNull();
      release();
      await writing;
      expect(prepareDepositIndex(r)).toBe(1);
    } finally {
      r.close();
    }
  });

  it('notices an edit made by another program without an operation (the file\'s data_version moves)', async () => {
    const q = Project.open(join(dir, 'foreign.gpkg'), { create: true });
    try {
      await importFile(q, sharedPath('deposits', 'usgs-ree-deposits-world.geojson'));
      const first = depositIndex(q).near([-115.53, 35.48], 30);
      expect(first.length).toBeGreaterThan(0);
      // As QGIS would: a plain UPDATE from another connection, no outcrop_ops row.
      const other = new Database(q.file);
      registerGpkgFunctions(other); // the GeoPackage's R*Tree triggers call ST_IsEmpty (GDAL and QGIS have their own)
      other.prepare('UPDATE deposits SET name = ? WHERE id = ?').run('Renamed elsewhere', first[0].id);
      other.close();
      expect(depositIndex(q).near([-115.53, 35.48], 30)[0].name).toBe('Renamed elsewhere');
    } finally {
      q.close();
    }
  });

  it('counts each deposit once after an import is undone and redone with no comparison between', async () => {
    const q = Project.open(join(dir, 'undo-redo.gpkg'), { create: true });
    try {
      await importFile(q, sharedPath('deposits', 'usgs-ree-deposits-world.geojson'));
      const n = q.db.prepare('SELECT count(*) FROM deposits').pluck().get() as number;
      const before = JSON.stringify(depositIndex(q).near([-115.53, 35.48], 500));
      undo(q);
      redo(q);
      expect(depositIndex(q).size).toBe(n);
      expect(JSON.stringify(depositIndex(q).near([-115.53, 35.48], 500))).toBe(before);
    } finally {
      q.close();
    }
  });

  it('remembers an answer frozen (nobody can change what the next comparison reads) and answers nothing on an empty project', () => {
    const a = depositIndex(p).near([-115.53, 35.48], 100);
    expect(a.length).toBeGreaterThan(0);
    expect(() => ((a[0] as any).priority = 1)).toThrow(TypeError);
    expect(() => (a as any).push(a[0])).toThrow(TypeError);
    // Asked again (re-scoring): the same answer, not a new search.
    expect(depositIndex(p).near([-115.53, 35.48], 100)).toBe(a);
    expect((depositIndex(p).near([-115.53, 35.48], 100)[0] as any).priority).toBeUndefined();
    const empty = Project.open(join(dir, 'empty.gpkg'), { create: true });
    try {
      expect(depositIndex(empty).near([0, 0], 20_000)).toEqual([]);
    } finally {
      empty.close();
    }
  });
});
