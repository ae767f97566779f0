import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { undo } from '../../src/store/history';
import { Project } from '../../src/store/project';
import { getDeposit } from '../../src/store/read';
import { hasCommand, runCli } from '../helpers/cli';
import { sharedPath } from '../helpers/data';

const hasGdal = hasCommand('ogrinfo');
const GPKG_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

type Box = [minx: number, miny: number, maxx: number, maxy: number];

/** The layer's true extent, computed by GDAL (its own ST_MinX … over every geometry), not by Outcrop. */
function trueExtent(file: string, layer: string): Box | null {
  const out = execFileSync('ogrinfo', ['-q', '-ro', file, '-sql', `SELECT min(ST_MinX(geom)) AS a, min(ST_MinY(geom)) AS b, max(ST_MaxX(geom)) AS c, max(ST_MaxY(geom)) AS d FROM ${layer}`], { encoding: 'utf8' });
  const v = ['a', 'b', 'c', 'd'].map((k) => out.match(new RegExp(`\\b${k} \\(Real\\) = (\\S+)`))?.[1]);
  if (v.some((x) => x === undefined || x === '(null)')) return null;
  return v.map(Number) as Box;
}

function contents(p: Project, layer: string): { last_change: string; box: Box | null } {
  const r = p.db.prepare('SELECT last_change, min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?').get(layer) as Record<string, any>;
  return { last_change: r.last_change, box: r.min_x === null ? null : [r.min_x, r.min_y, r.max_x, r.max_y] };
}

/**
 * gpkg_contents holds the true extent rounded outward to 32-bit floats (an R*Tree box): never
 * inside it, and no further out than float32 rounding (ogrinfo prints 15 significant digits).
 */
function expectExtent(stored: Box | null, truth: Box | null): void {
  if (truth === null) return void expect(stored).toBeNull();
  expect(stored).not.toBeNull();
  // SQLite's R*Tree rounds a double to float32 and, when that lands inside, multiplies by (1 ± 2^-23) and
  // rounds again (rtree.c, rtreeValueDown/Up): at most two float32 steps out.
  const step = (x: number) => Math.abs(x) * 2 ** -22 + 1e-12;
  for (const i of [0, 1]) {
    expect(stored![i]).toBeLessThanOrEqual(truth[i] + 1e-12);
    expect(stored![i]).toBeGreaterThanOrEqual(truth[i] - step(truth[i]));
  }
  for (const i of [2, 3]) {
    expect(stored![i]).toBeGreaterThanOrEqual(truth[i] - 1e-12);
    expect(stored![i]).toBeLessThanOrEqual(truth[i] + step(truth[i]));
  }
}

describe.skipIf(!hasGdal)('gpkg_contents: last_change and extent follow every Outcrop write', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'outcrop-contents-'));
    file = join(dir, 'p.gpkg');
    expect(runCli(['init', file]).code).toBe(0);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('after import, edit, delete, undo, survey writes and a GDAL append followed by an Outcrop write', async () => {
    const initial = (() => {
      const p = Project.open(file, { readonly: true });
      try {
        return contents(p, 'deposits');
      } finally {
        p.close();
      }
    })();
    expect(initial.box).toBeNull();
    expect(runCli(['import', file, sharedPath('deposits', 'japan-sites.geojson')]).code).toBe(0);
    expect(runCli(['import', file, sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), '--skip-invalid', '--report', join(dir, 'rejected.geojson')]).code).toBe(0);

    let p = Project.open(file);
    let last = initial.last_change;
    /** Check both layers against GDAL, and that the write moved last_change on. */
    const check = (changed: string[]) => {
      for (const layer of ['deposits', 'surveys']) {
        const c = contents(p, layer);
        expect(c.last_change).toMatch(GPKG_TIME);
        expectExtent(c.box, trueExtent(file, layer));
        if (changed.includes(layer)) {
          expect(c.last_change > last || c.last_change === last).toBe(true);
          const opAt = p.db.prepare('SELECT max(at) FROM outcrop_ops').pluck().get() as string;
          expect(c.last_change >= opAt).toBe(true);
        }
      }
      last = contents(p, changed[0]).last_change;
    };
    try {
      // Before the fix: NULL extent and the last_change of `init` after the imports.
      expect(contents(p, 'deposits').last_change > initial.last_change).toBe(true);
      check(['surveys']); // the latest operation: the survey import
      const west = p.db.prepare('SELECT id FROM deposits ORDER BY ST_MinX(geom) LIMIT 1').pluck().get() as string;
      const d = getDeposit(p, west)!;
      // Edit: the westmost deposit moves further west; the extent grows.
      p.writeSync('edit', 'move', (w) => w.updateDeposit(west, d, { type: 'Point', coordinates: [120.125, 24.5] }));
      check(['deposits']);
      expect(contents(p, 'deposits').box![0]).toBe(120.125);
      // Delete it: the extent shrinks to the rest.
      p.writeSync('edit', 'delete', (w) => w.delete('deposits', west));
      check(['deposits']);
      expect(contents(p, 'deposits').box![0]).toBeGreaterThan(120.125);
      // Undo the delete: back again.
      undo(p);
      check(['deposits']);
      expect(contents(p, 'deposits').box![0]).toBe(120.125);
      // Every survey deleted: the surveys extent is NULL.
      const surveyIds = p.db.prepare('SELECT id FROM surveys').pluck().all() as string[];
      p.writeSync('edit', 'delete surveys', (w) => surveyIds.forEach((id) => w.delete('surveys', id)));
      check(['surveys']);
      expect(contents(p, 'surveys').box).toBeNull();
      undo(p);
      check(['surveys']);
    } finally {
      p.close();
    }

    // GDAL appends a deposit far from the others and stores that one point as the layer's extent ...
    const add = join(dir, 'add.geojson');
    writeFileSync(add, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'Added with ogr2ogr' }, geometry: { type: 'Point', coordinates: [1.5, -2.25] } }] }));
    const r = spawnSync('ogr2ogr', ['-update', '-append', file, add, '-nln', 'deposits'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    // ... Outcrop's next write (opening the project journals the outside edit) corrects it.
    p = Project.open(file);
    try {
      expect(p.db.prepare(`SELECT count(*) FROM outcrop_ops WHERE kind = 'outside-edit'`).pluck().get()).toBe(1);
      check(['deposits']);
      expect(contents(p, 'deposits').box!.slice(0, 2)).toEqual([1.5, -2.25]);
    } finally {
      p.close();
    }
    // GDAL reads the same extent back (its -so Extent comes from gpkg_contents).
    const so = execFileSync('ogrinfo', ['-so', '-ro', file, 'deposits'], { encoding: 'utf8' });
    const m = so.match(/Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)/)!;
    expect(Number(m[1])).toBeCloseTo(1.5, 6);
    expect(Number(m[2])).toBeCloseTo(-2.25, 6);
    expect(Number(m[3])).toBeCloseTo(trueExtent(file, 'deposits')![2], 4);
  }, 120_000);

  it('after a large import, whose R*Tree is packed in one go (3,161 USGS major deposits)', () => {
    const big = join(dir, 'world.gpkg');
    expect(runCli(['init', big]).code).toBe(0);
    expect(runCli(['import', big, sharedPath('deposits', 'japan-sites.geojson')]).code).toBe(0);
    expect(runCli(['import', big, sharedPath('deposits', 'usgs-major-deposits-world.geojson')]).code).toBe(0);
    const p = Project.open(big, { readonly: true });
    try {
      expect(p.db.prepare('SELECT count(*) FROM deposits').pluck().get()).toBe(207 + 3161);
      expectExtent(contents(p, 'deposits').box, trueExtent(big, 'deposits'));
      expect(contents(p, 'surveys').box).toBeNull();
    } finally {
      p.close();
    }
  }, 120_000);
});
