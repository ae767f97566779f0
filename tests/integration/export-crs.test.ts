/**
 * Export with reprojection, checked against GDAL: the Kantō sites in JGD2011 / Japan Plane
 * Rectangular CS IX (EPSG:6677) and the Arizona sites in NAD83 / UTM 12N (EPSG:26912), whose
 * coordinates GDAL computed for the fixtures (tests/fixtures/crs/README.md).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutcropService } from '../../src/api/service';
import { hasCommand, runCli } from '../helpers/cli';
import { FIXTURES, readSharedJson, sharedPath } from '../helpers/data';

const hasGdal = hasCommand('ogrinfo');
const KANTO = '138.4,34.5,141.2,37.9';
let dir: string;
/** Japanese sites and the USGS world deposits. */
let project: string;
/** The Japanese sites alone (the GDAL fixture's source). */
let japanOnly: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-export-crs-'));
  project = join(dir, 'p.gpkg');
  expect(runCli(['init', project]).code).toBe(0);
  expect(runCli(['import', project, sharedPath('deposits', 'japan-sites.geojson')]).code).toBe(0);
  expect(runCli(['import', project, sharedPath('deposits', 'usgs-major-deposits-world.geojson')]).code).toBe(0);
  japanOnly = join(dir, 'japan.gpkg');
  expect(runCli(['init', japanOnly]).code).toBe(0);
  expect(runCli(['import', japanOnly, sharedPath('deposits', 'japan-sites.geojson')]).code).toBe(0);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('export with --crs', () => {
  it('CSV in EPSG:6677 has x,y equal to GDAL’s to 1 mm for the 21 Kantō sites', () => {
    const out = join(dir, 'kanto.csv');
    const r = runCli(['export', japanOnly, out, '--bbox', KANTO, '--crs', 'EPSG:6677', '--layer', 'deposits']);
    expect(r.code).toBe(0);
    const ours = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    // The fixture (X/Y by GDAL from the same sites) names sites by their MinMod record id.
    const gdal = parse(readFileSync(join(FIXTURES, 'crs/japan-sites-jgd2011-ix-xy.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(Object.keys(ours[0]).slice(0, 3)).toEqual(['id', 'x', 'y']);
    const japanSites = readSharedJson('deposits', 'japan-sites.geojson').features.filter((f: any) => {
      const [x, y] = f.geometry.coordinates;
      return x >= 138.4 && x <= 141.2 && y >= 34.5 && y <= 37.9;
    });
    expect(gdal).toHaveLength(japanSites.length);
    const byRecord = new Map(ours.map((o) => [o.source_id, o]));
    expect(byRecord.size).toBe(ours.length);
    let worst = 0;
    for (const g of gdal) {
      const o = byRecord.get(g.record_id);
      expect(o, `site ${g.record_id}`).toBeDefined();
      worst = Math.max(worst, Math.hypot(Number(o!.x) - Number(g.X), Number(o!.y) - Number(g.Y)));
    }
    expect(worst).toBeLessThan(0.001);
  });

  it.skipIf(!hasGdal)('GeoPackage in EPSG:26912 opens in GDAL as NAD83 / UTM zone 12N, points equal to GDAL’s own conversion', () => {
    const out = join(dir, 'az.gpkg');
    expect(runCli(['export', project, out, '--bbox', '-114,31.33,-108,37', '--crs', 'EPSG:26912', '--layer', 'deposits']).code).toBe(0);
    const info = spawnSync('ogrinfo', ['-so', out, 'deposits'], { encoding: 'utf8' });
    expect(info.stderr).not.toMatch(/Warning|ERROR/);
    expect(info.stdout).toMatch(/PROJCRS\["NAD83 \/ UTM zone 12N"/);
    // GDAL's reading of our file vs GDAL converting the WGS 84 export itself.
    const wgs = join(dir, 'az-wgs84.gpkg');
    expect(runCli(['export', project, wgs, '--bbox', '-114,31.33,-108,37', '--layer', 'deposits']).code).toBe(0);
    const ogrPoints = (args: string[]) =>
      JSON.parse(execFileSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 })).features.map((f: any) => [f.properties.id, f.geometry.coordinates]);
    const ours = new Map(ogrPoints([out, 'deposits']));
    const gdal = ogrPoints(['-t_srs', 'EPSG:26912', wgs, 'deposits']);
    expect(gdal.length).toBeGreaterThan(30);
    let worst = 0;
    for (const [id, [x, y]] of gdal) {
      const [ox, oy] = ours.get(id) as number[];
      worst = Math.max(worst, Math.hypot(ox - x, oy - y));
    }
    expect(worst).toBeLessThan(0.001);
  });

  it('Outcrop imports its own GeoPackage export in EPSG:6677 back: the same 21 Kantō sites, within 1e-7°', () => {
    // The export writes the CRS by organisation and code only (definition "undefined"); the
    // reader once refused that as "no coordinate reference system".
    const out = join(dir, 'kanto-6677.gpkg');
    expect(runCli(['export', japanOnly, out, '--bbox', KANTO, '--crs', 'EPSG:6677', '--layer', 'deposits']).code).toBe(0);
    const back = join(dir, 'kanto-back.gpkg');
    expect(runCli(['init', back]).code).toBe(0);
    const r = runCli(['import', back, out, '--source-layer', 'deposits']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Imported 21 deposits/);
    const exported = JSON.parse(runCli(['export', back, join(dir, 'kanto-back.geojson')]).code === 0 ? readFileSync(join(dir, 'kanto-back.geojson'), 'utf8') : '{}');
    const source = new Map<string, number[]>(readSharedJson('deposits', 'japan-sites.geojson').features.map((f: any) => [String(f.properties.record_id), f.geometry.coordinates]));
    expect(exported.features).toHaveLength(21);
    for (const f of exported.features) {
      const [x, y] = source.get(String(f.properties.source_id))!;
      expect(Math.abs(f.geometry.coordinates[0] - x)).toBeLessThan(1e-7);
      expect(Math.abs(f.geometry.coordinates[1] - y)).toBeLessThan(1e-7);
    }
  });

  it('the API exports a GeoPackage in EPSG:6677 as a job (what the export dialog asks for)', async () => {
    const svc = new OutcropService({ host: 'web', version: 'test', settingsDir: join(dir, 'settings'), exportDir: join(dir, 'exports'), downloadUrl: (f) => `/downloads/${f}` });
    try {
      await svc.call('project.open', { path: japanOnly });
      const started = await svc.call('jobs.export', { format: 'gpkg', layers: ['deposits'], filter: { bbox: [138.4, 34.5, 141.2, 37.9] }, crs: 'EPSG:6677' });
      const jobId = (started as any).value.jobId as string;
      const end = await new Promise<any>((res) => svc.onJobEvent((e) => e.jobId === jobId && e.type !== 'progress' && res(e)));
      expect(end).toMatchObject({ type: 'done', result: { count: 21 }, downloadUrl: expect.stringMatching(/^\/downloads\/outcrop-export-.*\.gpkg$/) });
      const db = new Database(end.result.file, { readonly: true });
      expect(db.prepare("SELECT srs_id FROM gpkg_contents WHERE table_name = 'deposits'").get()).toEqual({ srs_id: 6677 });
      expect(db.prepare('SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = 6677').get()).toEqual({ organization: 'EPSG', organization_coordsys_id: 6677 });
      db.close();
    } finally {
      await svc.dispose();
    }
  });

  it('refuses GeoJSON (WGS 84 by definition) and a GeoPackage CRS without an EPSG code', () => {
    const g = runCli(['export', project, join(dir, 'x.geojson'), '--crs', 'EPSG:6677']);
    expect(g.code).toBe(2);
    expect(g.stderr).toMatch(/RFC 7946/);
    const p = runCli(['export', project, join(dir, 'x.gpkg'), '--crs', '+proj=utm +zone=54 +datum=WGS84']);
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/EPSG code/);
    const u = runCli(['export', project, join(dir, 'x.csv'), '--crs', 'EPSG:99999']);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/unknown CRS "EPSG:99999"/);
  });
});
