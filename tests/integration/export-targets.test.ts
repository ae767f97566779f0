import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, linkSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { sharedPath } from '../helpers/data';
import { exportFile } from '../../src/export/export-file';
import { encodeGeometry } from '../../src/store/gpkg/geometry-blob';
import { registerGpkgFunctions } from '../../src/store/gpkg/sql-functions';
import { Project } from '../../src/store/project';

// Where an export may not go, found by an audit: a project whose name does not end in .gpkg was
// overwritten by its own CSV export (the check covered GeoPackage only), a read-only file was
// replaced, a GeoPackage into a missing folder was an internal error, and a projected GeoPackage
// export stamped its geometries EPSG:4326 (GeoPackage Req 33). Data: the real Japanese sites.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-export-targets-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function project(name: string, data = 'japan-sites.geojson'): string {
  const file = join(dir, name);
  expect(runCli(['init', file]).code).toBe(0);
  expect(runCli(['import', file, sharedPath('deposits', data)]).code).toBe(0);
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

  it('reads one snapshot: a change another program commits during the export is wholly absent from it', async () => {
    const file = project('snapshot.gpkg', 'usgs-major-deposits-world.geojson'); // 3,161: progress comes mid-way
    const p = Project.open(file);
    const out = join(dir, 'snapshot.geojson');
    let wrote = false;
    try {
      await exportFile(p, out, {
        onProgress: () => {
          if (wrote) return;
          wrote = true;
          // Mid-export, another connection (as QGIS would) deletes a deposit and adds a survey.
          const other = new Database(file);
          registerGpkgFunctions(other);
          try {
            other.transaction(() => {
              other.prepare('DELETE FROM deposits WHERE fid = (SELECT max(fid) FROM deposits)').run();
              other
                .prepare("INSERT INTO surveys (geom, id, name, created_at, updated_at) VALUES (?, 'mid-export', 'Added during the export', '2026-12-07', '2026-12-07')")
                .run(encodeGeometry({ type: 'MultiPolygon', coordinates: [[[[139, 35], [140, 35], [140, 36], [139, 36], [139, 35]]]] }));
            })();
          } finally {
            other.close();
          }
        },
      });
    } finally {
      p.close();
    }
    expect(wrote).toBe(true);
    const fc = JSON.parse(readFileSync(out, 'utf8')) as { features: { id: string; geometry: { type: string } }[] };
    // The state before the change: all 3,161 deposits, no survey.
    expect(fc.features.filter((f) => f.geometry?.type === 'Point')).toHaveLength(3161);
    expect(fc.features.map((f) => f.id)).not.toContain('mid-export');
    expect(deposits(file)).toBe(3160); // and the change did land in the project
  });

  it('a project another program holds locked is a plain message with exit 2, not an internal error', () => {
    const file = project('locked.gpkg');
    const holder = new Database(file);
    try {
      holder.exec('BEGIN IMMEDIATE'); // as a long import, a merge or QGIS saving would
      const r = runCli(['import', file, sharedPath('deposits', 'usgs-ree-deposits-world.geojson')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/the project is locked by another program or Outcrop process/);
      expect(r.stderr).not.toMatch(/internal error|SqliteError/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(deposits(file)).toBe(207);
  }, 30_000);

  it('sweeps what a killed export left beside its target, never a live writer\'s file here or elsewhere', () => {
    const file = project('sweep.gpkg');
    // A process that has ended: its pid names the leftovers of a kill -9.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const out = join(dir, 'swept.geojson');
    const stale = [`${out}.partial-${dead}-0a1b2c`, `${join(dir, 'swept.gpkg')}.partial-${dead}-9f8e7d`, `${join(dir, 'swept.gpkg')}.partial-${dead}-9f8e7d-journal`];
    const live = `${out}.partial-${process.pid}-ffffff`; // this test's own process: alive
    // A pid unknown here but written to a moment ago: another machine's writer on a shared folder.
    const elsewhere = `${out}.partial-${dead}-e1e2e3`;
    for (const f of [...stale, live, elsewhere]) writeFileSync(f, 'left over');
    const hourAgo = new Date(Date.now() - 3600_000);
    for (const f of [...stale, live]) utimesSync(f, hourAgo, hourAgo);
    expect(runCli(['export', file, out]).code).toBe(0);
    expect(runCli(['export', file, join(dir, 'swept.gpkg')]).code).toBe(0);
    for (const f of stale) expect(existsSync(f), f).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(elsewhere)).toBe(true);
  });
});
