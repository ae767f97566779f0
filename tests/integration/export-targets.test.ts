import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, linkSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { sharedPath } from '../helpers/data';

// Where an export may not go, found by an audit: a project whose name does not end in .gpkg was
// overwritten by its own CSV export (the check covered GeoPackage only), a read-only file was
// replaced, a GeoPackage into a missing folder was an internal error, and a projected GeoPackage
// export stamped its geometries EPSG:4326 (GeoPackage Req 33). Data: the real Japanese sites.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-export-targets-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function project(name: string): string {
  const file = join(dir, name);
  expect(runCli(['init', file]).code).toBe(0);
  expect(runCli(['import', file, sharedPath('deposits', 'japan-sites.geojson')]).code).toBe(0);
  return file;
}
const deposits = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM deposits').pluck().get();
  } finally {
    db.close();
  }
};

describe('export targets', () => {
  it('never writes over the project, whatever its name, or through a link to it', () => {
    const file = project('survey.csv');
    const r = runCli(['export', file, file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot export a project onto itself/);
    const link = join(dir, 'other-name.geojson');
    linkSync(file, link);
    expect(runCli(['export', file, link]).code).toBe(2);
    expect(runCli(['export', file, `${file}-wal`]).code).toBe(2);
    expect(deposits(file)).toBe(207);
  });

  it('refuses a read-only file instead of replacing it, and names a missing folder', () => {
    const file = project('p.gpkg');
    const ro = join(dir, 'kept.geojson');
    writeFileSync(ro, 'the previous export');
    chmodSync(ro, 0o444);
    const r = runCli(['export', file, ro]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write .*kept\.geojson: the file is read-only/);
    expect(readFileSync(ro, 'utf8')).toBe('the previous export');
    expect(statSync(ro).mode & 0o777).toBe(0o444);

    const missing = runCli(['export', file, join(dir, 'no-such-folder', 'x.gpkg')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/the folder .*no-such-folder does not exist/);
    expect(missing.stderr).not.toMatch(/internal error/);
  });

  it('stamps a projected GeoPackage export\'s geometries with the table\'s CRS (GDAL reads the same CRS for both)', () => {
    const file = project('jgd.gpkg');
    const out = join(dir, 'jgd2011-ix.gpkg');
    expect(runCli(['export', file, out, '--crs', 'EPSG:6677']).code).toBe(0);
    const db = new Database(out, { readonly: true });
    try {
      expect(db.prepare("SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = 'deposits'").pluck().get()).toBe(6677);
      // GeoPackage binary header: magic, version, flags, then the SRS id (int32, byte order of the flags: little-endian here).
      const srids = db.prepare('SELECT DISTINCT substr(geom, 5, 4) FROM deposits').pluck().all() as Buffer[];
      expect(srids.map((b) => b.readInt32LE(0))).toEqual([6677]);
    } finally {
      db.close();
    }
    const validator = '/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py';
    if (existsSync(validator)) expect(() => execFileSync('python3', [validator, '-k', '--extra', '--warning-as-error', out], { stdio: 'pipe' })).not.toThrow();
  });
});
