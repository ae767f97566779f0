import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Project, GPKG_APPLICATION_ID, GPKG_USER_VERSION } from '../../src/store/project';
import { migrate, readSchemaVersion, SCHEMA_VERSION } from '../../src/store/migrations';
import { migration0001 } from '../../src/store/migrations/0001-initial';
import { registerGpkgFunctions } from '../../src/store/gpkg/sql-functions';
import { encodeGeometry } from '../../src/store/gpkg/geometry-blob';
import { addPermitReview, emptySiteFields, getSite, insertSites, listSites, permitHistory, updateSite } from '../../src/store/sites';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { area as turfArea, featureCollection, intersect, union } from '@turf/turf';
import { hasCommand, ROOT, runCli } from '../helpers/cli';
import { readSharedJson, sharedPath } from '../helpers/data';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-analysis-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Tables, indexes, triggers and GeoPackage registrations: what "the same schema" means. */
function structure(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return {
      master: db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`).all(),
      contents: db.prepare('SELECT table_name, data_type, identifier, description, srs_id FROM gpkg_contents ORDER BY table_name').all(),
      geometryColumns: db.prepare('SELECT * FROM gpkg_geometry_columns ORDER BY table_name').all(),
      extensions: db.prepare('SELECT * FROM gpkg_extensions ORDER BY table_name, extension_name').all(),
    };
  } finally {
    db.close();
  }
}

describe('migration 0002 (sites)', () => {
  it('upgrades a schema-1 file to the same structure as a fresh file, keeping its data', async () => {
    const old = join(dir, 'schema1.gpkg');
    const db = new Database(old);
    registerGpkgFunctions(db);
    db.pragma(`application_id = ${GPKG_APPLICATION_ID}`);
    db.pragma(`user_version = ${GPKG_USER_VERSION}`);
    migrate(db, 'schema1.gpkg', [migration0001]);
    expect(readSchemaVersion(db)).toBe(1);
    // a deposit written under schema 1
    db.prepare(`INSERT INTO deposits (geom, id, name, created_at, updated_at) VALUES (?, 'd1', 'Old deposit', '2026-01-01', '2026-01-01')`).run(
      encodeGeometry({ type: 'Point', coordinates: [141.88, 39.27] }),
    );
    db.close();
    const p1 = Project.open(old); // migrates 1 → latest
    expect(readSchemaVersion(p1.db)).toBe(SCHEMA_VERSION);
    expect(p1.db.prepare('SELECT name FROM deposits').pluck().all()).toEqual(['Old deposit']);
    expect(p1.db.prepare('SELECT count(*) FROM rtree_deposits_geom').pluck().get()).toBe(1);
    expect(listSites(p1)).toEqual([]);
    p1.close();

    const fresh = join(dir, 'fresh.gpkg');
    Project.open(fresh, { create: true }).close();
    expect(structure(old)).toEqual(structure(fresh));
    const s = structure(fresh);
    expect(s.contents.map((c: any) => c.table_name)).toEqual(expect.arrayContaining(['sites', 'outcrop_site_permits']));
    expect(s.geometryColumns).toContainEqual({ table_name: 'sites', column_name: 'geom', geometry_type_name: 'GEOMETRY', srs_id: 4326, z: 0, m: 0 });
  });

  it.skipIf(!hasCommand('ogrinfo'))('GDAL opens the sites layer without warnings', async () => {
    const file = join(dir, 'gdal.gpkg');
    const p = Project.open(file, { create: true });
    await insertSites(p, [
      { fields: { ...emptySiteFields('Point site'), roles: ['mine'] }, geometry: { type: 'Point', coordinates: [-115.53, 35.48] } },
      { fields: emptySiteFields('Polygon site'), geometry: { type: 'Polygon', coordinates: [[[-116, 35], [-115, 35], [-115, 36], [-116, 35]]] } },
    ]);
    p.close();
    const r = spawnSync('ogrinfo', ['-al', '-so', file, 'sites'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/Warning|ERROR/);
    expect(r.stdout).toMatch(/Feature Count: 2/);
    expect(r.stdout).toMatch(/roles: String/);
  });
});

describe('sites store', () => {
  it('insert, update and permit reviews are one operation each, recorded in the op details', async () => {
    const p = Project.open(join(dir, 'sites.gpkg'), { create: true });
    try {
      const [id] = await insertSites(p, [{ fields: { ...emptySiteFields('Kamaishi separation'), roles: ['separation'], targetCommodities: ['Nd', 'Dy'] }, geometry: { type: 'Point', coordinates: [141.88, 39.27] } }]);
      const s = getSite(p, id)!;
      expect(s.roles).toEqual(['separation']);
      expect(s.targetCommodities).toEqual(['Nd', 'Dy']);
      await updateSite(p, id, { ...s, notes: 'near the port' }, s.geometry);
      await addPermitReview(p, { siteId: id, date: '2026-03-01', stage: 'applied', note: null });
      await addPermitReview(p, { siteId: id, date: '2026-09-15', stage: 'environmental-review', note: '環境アセス' });
      expect(getSite(p, id)!.permitStage).toBe('environmental-review');
      expect(permitHistory(p, id).map((r) => r.stage)).toEqual(['applied', 'environmental-review']);
      const ops = p.db.prepare(`SELECT kind, details FROM outcrop_ops WHERE kind LIKE 'site-%' ORDER BY op_id`).all() as { kind: string; details: string }[];
      expect(ops.map((o) => o.kind)).toEqual(['site-add', 'site-edit', 'site-permit', 'site-permit']);
      expect(JSON.parse(ops[1].details).sites[0].before.notes).toBeNull();
      // a batch with one bad site stores nothing
      await expect(
        insertSites(p, [
          { fields: emptySiteFields('ok'), geometry: { type: 'Point', coordinates: [0, 0] } },
          { fields: { ...emptySiteFields('bad'), roles: ['smelter' as never] }, geometry: { type: 'Point', coordinates: [0, 0] } },
        ]),
      ).rejects.toThrow(/unknown role "smelter"/);
      expect(listSites(p)).toHaveLength(1);
    } finally {
      p.close();
    }
  });
});

describe('CLI: coverage, sites, compare', () => {
  let file: string;
  beforeAll(() => {
    file = join(dir, 'cli.gpkg');
    expect(runCli(['init', file]).code).toBe(0);
    expect(runCli(['import', file, sharedPath('deposits', 'usgs-ree-deposits-world.geojson')]).code).toBe(0);
    expect(runCli(['import', file, sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), '--skip-invalid', '--report', join(dir, 'rej.geojson')]).code).toBe(0);
  }, 120_000);

  it('coverage prints a table, writes gaps and overlaps, exits 2 on bad input', () => {
    const aoi = join(dir, 'aoi.geojson');
    writeFileSync(aoi, JSON.stringify({ type: 'Polygon', coordinates: [[[-109, 31.5], [-103, 31.5], [-103, 35], [-109, 35], [-109, 31.5]]] }));
    const r = runCli(['coverage', file, '--aoi', aoi, '--by', 'agency', '--gaps', join(dir, 'gaps.geojson'), '--overlaps', join(dir, 'ov.geojson')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/covered .* km²\s+\(\d+\.\d+ %\)/);
    expect(r.stdout).toMatch(/∩/);
    expect(JSON.parse(readFileSync(join(dir, 'ov.geojson'), 'utf8')).features.length).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(dir, 'gaps.geojson'), 'utf8')).features).toHaveLength(1);
    expect(runCli(['coverage', file, '--by', 'colour']).code).toBe(2);
    expect(runCli(['coverage', file, '--country', 'Atlantis']).code).toBe(2);
    expect(runCli(['coverage', '--help']).code).toBe(0);
  });

  it('coverage of a US state (--state NM) or a prefecture (--prefecture 北海道), with date filters: numbers as Turf gives them', () => {
    // Independent: Turf union of the source outlines the importer keeps (20047 crosses itself) ∩ the shipped New Mexico outline.
    const mri = (readSharedJson('polygons', 'usgs-earthmri-projects-nm-sw.geojson').features as Feature<Polygon | MultiPolygon>[]).filter((f) => f.properties!.pid !== 20047);
    const states = JSON.parse(readFileSync(join(ROOT, 'assets/basemap/us-state-areas.geojson'), 'utf8')) as FeatureCollection<MultiPolygon, { postal: string }>;
    const nm = states.features.find((f) => f.properties.postal === 'NM')!;
    const coverage = (surveys: Feature<Polygon | MultiPolygon>[]) => {
      let u = surveys[0];
      for (const f of surveys.slice(1)) u = union(featureCollection([u, f]))!;
      return turfArea(intersect(featureCollection([u, nm]))!) / 1e6;
    };
    const gaps = join(dir, 'nm-gaps.geojson');
    const r = runCli(['coverage', file, '--state', 'nm', '--json', '--gaps', gaps]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.aoi).toBe('New Mexico');
    expect(j.aoiKm2).toBeCloseTo(turfArea(nm) / 1e6, 3);
    expect(Math.abs(j.aoiKm2 - 314_917) / 314_917).toBeLessThan(0.005); // US Census total area of New Mexico
    const all = coverage(mri);
    expect(j.coveredKm2).toBeCloseTo(all, 0);
    expect(j.coveredPct).toBeCloseTo((all / (turfArea(nm) / 1e6)) * 100, 3);
    expect(j.surveyCount).toBe(mri.filter((f) => intersect(featureCollection([f, nm]))).length);
    expect(JSON.parse(readFileSync(gaps, 'utf8')).features[0].properties.area_km2).toBeCloseTo(j.aoiKm2 - j.coveredKm2, 0);
    // Still running in 2024 or later (no end year = still running).
    const late = mri.filter((f) => f.properties!.yearend === null || f.properties!.yearend >= 2024);
    const r2 = runCli(['coverage', file, '--state', 'New Mexico', '--from', '2024', '--json']);
    expect(r2.code).toBe(0);
    const j2 = JSON.parse(r2.stdout);
    expect(j2.surveyCount).toBe(late.filter((f) => intersect(featureCollection([f, nm]))).length);
    expect(j2.surveyCount).toBeLessThan(j.surveyCount);
    expect(j2.coveredKm2).toBeCloseTo(coverage(late), 0);
    // A prefecture with no surveys: 0 %, named in the table.
    const h = runCli(['coverage', file, '--prefecture', '北海道']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/Hokkaido \(北海道\)/);
    expect(h.stdout).toMatch(/covered\s+0 km²\s+\(0\.00 %\)/);
    const bad = runCli(['coverage', file, '--prefecture', 'Hokaido']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown Japanese prefecture "Hokaido"; did you mean Hokkaido\?/);
    expect(runCli(['coverage', file, '--state', 'NM', '--country', 'Japan']).code).toBe(2);
    expect(runCli(['coverage', file, '--state', 'NM', '--from', '2024', '--to', '2020']).code).toBe(2);
    const help = runCli(['coverage', '--help']);
    expect(help.stdout).toMatch(/--state <name\|code>/);
    expect(help.stdout).toMatch(/--prefecture 北海道/);
  }, 120_000);

  it('sites add, then compare by ids with HTML and CSV reports', () => {
    const sites = join(dir, 'sites.geojson');
    writeFileSync(
      sites,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { name: 'Mountain Pass area', roles: 'mine;separation', permit_stage: 'operating' }, geometry: { type: 'Point', coordinates: [-115.53, 35.48] } },
          { type: 'Feature', properties: { name: '<script>alert(1)</script>', permit_stage: 'applied' }, geometry: { type: 'Point', coordinates: [-106.0, 34.0] } },
        ],
      }),
    );
    const add = runCli(['sites', 'add', file, sites]);
    expect(add.code).toBe(0);
    const ids = add.stdout.trim().split('\n').map((l) => l.split('\t')[0]);
    expect(ids).toHaveLength(2);
    const html = join(dir, 'r.html');
    const r = runCli(['compare', file, '--sites', ids.join(','), '--report', html, '--csv', join(dir, 'r.csv')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rank\s+score/);
    const text = readFileSync(html, 'utf8');
    expect(text).toContain('&lt;script&gt;');
    expect(text).not.toMatch(/https?:\/\//);
    expect(readFileSync(join(dir, 'r.csv'), 'utf8').split('\r\n')[0]).toMatch(/^rank,site_id,site_name,score/);
    const bad = join(dir, 'bad-sites.geojson');
    writeFileSync(bad, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'x', permit_stage: 'maybe' }, geometry: { type: 'Point', coordinates: [0, 0] } }] }));
    const e = runCli(['compare', file, '--sites', bad]);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/bad-sites\.geojson: feature 0: "permit_stage": "maybe" is not a permit stage/);
    expect(runCli(['compare', file, '--sites', 'no-such-id']).code).toBe(2);
    expect(runCli(['compare', file, '--sites', sites, '--radius-km', '-3']).code).toBe(2);
    for (const help of [['compare', '--help'], ['sites', 'add', '--help']]) {
      const h = runCli(help);
      expect(h.code).toBe(0);
      expect(h.stdout).toMatch(/Example/);
    }
  });
});
