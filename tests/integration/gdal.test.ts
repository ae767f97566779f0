import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCommand, runCli } from '../helpers/cli';
import { sharedPath } from '../helpers/data';
import { decodeGeometry } from '../../src/store/gpkg/geometry-blob';

const hasGdal = hasCommand('ogrinfo');
if (!hasGdal) console.warn('gdal-bin not installed: skipping the GDAL reader tests (apt-get install gdal-bin)');

describe.skipIf(!hasGdal)('GDAL (the reference reader) opens Outcrop projects', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'outcrop-gdal-'));
    file = join(dir, 'p.gpkg');
    expect(runCli(['init', file]).code).toBe(0);
    expect(runCli(['import', file, sharedPath('deposits', 'japan-sites.geojson')]).code).toBe(0);
    expect(runCli(['import', file, sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), '--skip-invalid', '--report', join(dir, 'rejected.geojson')]).code).toBe(0);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ogrinfo -al -so lists both layers with their geometry types, fields and counts, without warnings', () => {
    const r = spawnSync('ogrinfo', ['-al', '-so', file], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/Warning|ERROR/);
    const out = r.stdout;
    const layer = (name: string) => out.split('Layer name: ').find((s) => s.startsWith(name + '\n'))!;
    expect(layer('deposits')).toMatch(/Geometry: Point/);
    expect(layer('deposits')).toMatch(/Feature Count: 207\n/); // japan-sites.geojson has 207 points
    expect(layer('deposits')).toMatch(/commodities_main: String/);
    expect(layer('deposits')).toMatch(/source_id: String/);
    expect(layer('surveys')).toMatch(/Geometry: Multi Polygon/);
    expect(layer('surveys')).toMatch(/Feature Count: 12\n/); // 13 Earth MRI project areas, one self-intersecting (rejected)
    expect(layer('surveys')).toMatch(/methods: String/);
    expect(out).toMatch(/Layer name: outcrop_history/);
  });

  it('GDAL reads the same geometry and uses the spatial index', () => {
    // Kamaishi-area bbox query through GDAL's -spat (it uses rtree_deposits_geom)
    const out = execFileSync('ogrinfo', ['-q', '-spat', '141', '38', '143', '40', file, 'deposits'], { encoding: 'utf8' });
    const wkt = [...out.matchAll(/POINT \(([-\d.]+) ([-\d.]+)\)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(wkt.length).toBeGreaterThan(0);
    for (const [x, y] of wkt) {
      expect(x).toBeGreaterThanOrEqual(141);
      expect(x).toBeLessThanOrEqual(143);
      expect(y).toBeGreaterThanOrEqual(38);
      expect(y).toBeLessThanOrEqual(40);
    }
    const count = execFileSync('ogrinfo', ['-q', '-sql', 'SELECT count(*) AS n FROM deposits WHERE ST_X(geom) BETWEEN 141 AND 143 AND ST_Y(geom) BETWEEN 38 AND 40', file], { encoding: 'utf8' });
    expect(count).toContain(`n (Integer) = ${wkt.length}`);
  });

  const validator = '/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py';
  it.skipIf(!require('node:fs').existsSync(validator))("passes GDAL's GeoPackage validator (validate_gpkg.py, python3-gdal)", () => {
    // -k: every failed requirement, not only the first; --extra: checks beyond the strict ones.
    const r = spawnSync('python3', [validator, '-k', '--extra', '--warning-as-error', file], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('ogr2ogr can convert the project back to GeoJSON with every feature', () => {
    const out = join(dir, 'out.geojson');
    execFileSync('ogr2ogr', ['-f', 'GeoJSON', out, file, 'deposits']);
    const fc = JSON.parse(require('node:fs').readFileSync(out, 'utf8'));
    expect(fc.features).toHaveLength(207);
  });
});

describe.skipIf(!hasGdal)('GeoPackage export for QGIS/GDAL', () => {
  it('writes a plain GeoPackage GDAL reads: layers, fields (extras too), counts, coordinates', () => {
    const dir = mkdtempSync(join(tmpdir(), 'outcrop-gpkgx-'));
    try {
      const file = join(dir, 'p.gpkg');
      expect(runCli(['init', file]).code).toBe(0);
      expect(runCli(['import', file, sharedPath('deposits', 'japan-sites.geojson')]).code).toBe(0);
      const out = join(dir, 'for-qgis.gpkg');
      const r = runCli(['export', file, out, '--commodity', 'Cu']);
      expect(r.code, r.stderr).toBe(0);
      const info = spawnSync('ogrinfo', ['-al', '-so', out], { encoding: 'utf8' });
      expect(info.stderr).not.toMatch(/Warning|ERROR/);
      const src = JSON.parse(require('node:fs').readFileSync(sharedPath('deposits', 'japan-sites.geojson'), 'utf8'));
      const expected = src.features.filter((f: any) => /(^|; )(Cu|copper)(;|$)/i.test(f.properties.commodities));
      expect(info.stdout).toMatch(new RegExp(`Layer name: deposits[\\s\\S]*Feature Count: ${expected.length}\\n`));
      expect(info.stdout).toMatch(/commodities_main: String/);
      expect(info.stdout).toMatch(/deposit_type_from: String/); // an extra property of the source, kept as a column
      // coordinates as GDAL reads them equal the source
      const gj = join(dir, 'back.geojson');
      execFileSync('ogr2ogr', ['-f', 'GeoJSON', gj, out, 'deposits']);
      const back = JSON.parse(require('node:fs').readFileSync(gj, 'utf8'));
      const byName = new Map(expected.map((f: any) => [f.properties.record_id, f.geometry.coordinates]));
      for (const f of back.features) {
        const c = byName.get(f.properties.source_id) as number[];
        expect(Math.abs(f.geometry.coordinates[0] - c[0])).toBeLessThan(1e-9);
        expect(Math.abs(f.geometry.coordinates[1] - c[1])).toBeLessThan(1e-9);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasGdal)('edits made with GDAL (as QGIS makes them) reach the other teams', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'outcrop-gdal-edits-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are journaled as an operation of their own, travel in a package and merge', () => {
    const a = join(dir, 'team-a.gpkg');
    const b = join(dir, 'team-b.gpkg');
    expect(runCli(['init', a]).code).toBe(0);
    expect(runCli(['import', a, sharedPath('deposits', 'japan-sites.geojson')]).code).toBe(0);
    // Team B starts from team A's first package.
    expect(runCli(['package', a, '--out', join(dir, 'p1.gpkg')]).code).toBe(0);
    expect(runCli(['init', b]).code).toBe(0);
    expect(runCli(['merge', b, join(dir, 'p1.gpkg')]).code).toBe(0);

    const Database = require('better-sqlite3');
    const read = (file: string, sql: string, ...args: unknown[]) => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare(sql).all(...args);
      } finally {
        db.close();
      }
    };
    const [moved, renamed, deleted] = read(a, 'SELECT id, name FROM deposits ORDER BY fid LIMIT 3') as { id: string; name: string }[];
    // Team A edits the project in QGIS (GDAL underneath), Outcrop closed: a point moved, a name
    // changed, a site deleted, a new one added.
    const gdalSql = (sql: string) => execFileSync('ogrinfo', [a, '-sql', sql], { stdio: 'pipe' });
    gdalSql(`UPDATE deposits SET geom = AsGPB(ST_GeomFromText('POINT(140.5 38.25)', 4326)) WHERE id = '${moved.id}'`);
    gdalSql(`UPDATE deposits SET name = 'Renamed in QGIS' WHERE id = '${renamed.id}'`);
    gdalSql(`DELETE FROM deposits WHERE id = '${deleted.id}'`);
    const added = join(dir, 'added.geojson');
    writeFileSync(added, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'qgis-new-1', name: 'Added in QGIS', created_at: '2026-12-07T00:00:00Z', updated_at: '2026-12-07T00:00:00Z' }, geometry: { type: 'Point', coordinates: [141.25, 39.5] } }] }));
    execFileSync('ogr2ogr', ['-update', '-append', a, added, '-nln', 'deposits'], { stdio: 'pipe' });

    // The next package carries them; team B's merge applies them.
    expect(runCli(['package', a, '--out', join(dir, 'p2.gpkg'), '--since', 'last']).code).toBe(0);
    const merged = runCli(['merge', b, join(dir, 'p2.gpkg')]);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toMatch(/1 added, 2 updated, 1 deleted/);
    const inB = (id: string) => read(b, 'SELECT name, geom FROM deposits WHERE id = ?', id)[0] as { name: string; geom: Buffer } | undefined;
    expect(decodeGeometry(inB(moved.id)!.geom)).toEqual({ type: 'Point', coordinates: [140.5, 38.25] });
    expect(inB(renamed.id)?.name).toBe('Renamed in QGIS');
    expect(inB(deleted.id)).toBeUndefined();
    expect(inB('qgis-new-1')?.name).toBe('Added in QGIS');

    // In team A's history: one operation, by nobody known, with the four changes.
    const ops = read(a, `SELECT o.op_id, o.actor, o.label, count(h.seq) AS changes FROM outcrop_ops o JOIN outcrop_history h USING (op_id) WHERE o.kind = 'outside-edit' GROUP BY o.op_id`) as { actor: string | null; label: string; changes: number }[];
    expect(ops).toEqual([{ op_id: expect.any(Number), actor: null, label: 'Changes made outside Outcrop', changes: 4 }]);
    expect(read(a, 'SELECT count(*) AS n FROM outcrop_outside_edits')).toEqual([{ n: 0 }]);
    // Outcrop's own writes are not logged as outside edits.
    expect(runCli(['import', a, sharedPath('deposits', 'usgs-ree-deposits-world.geojson')]).code).toBe(0);
    expect(read(a, `SELECT count(*) AS n FROM outcrop_ops WHERE kind = 'outside-edit'`)).toEqual([{ n: 1 }]);
    expect(read(a, 'SELECT count(*) AS n FROM outcrop_outside_edits')).toEqual([{ n: 0 }]);
  });
});
