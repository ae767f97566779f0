import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCommand, runCli } from '../helpers/cli';
import { sharedPath } from '../helpers/data';

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
