import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutcropService } from '../../src/api/service';
import { encodeGeometry } from '../../src/store/gpkg/geometry-blob';
import { registerGpkgFunctions } from '../../src/store/gpkg/sql-functions';
import { hasCommand, runCli } from '../helpers/cli';
import { sharedPath } from '../helpers/data';

const hasGdal = hasCommand('ogr2ogr');
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const validator = '/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py';

const read = (file: string, sql: string, ...params: unknown[]) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as Record<string, unknown>[];
  } finally {
    db.close();
  }
};

describe.skipIf(!hasGdal)('features appended with GDAL (ogr2ogr -append) with only a name and a geometry', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'outcrop-appends-'));
    file = join(dir, 'p.gpkg');
    expect(runCli(['init', file]).code).toBe(0);
    expect(runCli(['import', file, sharedPath('deposits', 'japan-sites.geojson')]).code).toBe(0);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are stored with a UUIDv4 and ISO timestamps, journaled by Outcrop, and the file stays a valid GeoPackage', () => {
    const fc = (geometry: object, name: string) => JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name }, geometry }] });
    writeFileSync(join(dir, 'point.geojson'), fc({ type: 'Point', coordinates: [141.25, 39.5] }, 'Drawn in QGIS'));
    writeFileSync(join(dir, 'area.geojson'), fc({ type: 'MultiPolygon', coordinates: [[[[141, 39], [142, 39], [142, 40], [141, 40], [141, 39]]]] }, 'Outline drawn in QGIS'));
    // Before the fix: "NOT NULL constraint failed: deposits.id", exit 1.
    const a = spawnSync('ogr2ogr', ['-update', '-append', file, join(dir, 'point.geojson'), '-nln', 'deposits'], { encoding: 'utf8' });
    expect(a.stderr).toBe('');
    expect(a.status).toBe(0);
    const b = spawnSync('ogr2ogr', ['-update', '-append', file, join(dir, 'area.geojson'), '-nln', 'surveys'], { encoding: 'utf8' });
    expect(b.stderr).toBe('');
    expect(b.status).toBe(0);

    const dep = read(file, `SELECT id, created_at, updated_at, created_by, alt_names, resources, extra FROM deposits WHERE name = 'Drawn in QGIS'`);
    expect(dep).toHaveLength(1);
    expect(dep[0].id).toMatch(UUID_V4);
    expect(dep[0].created_at).toMatch(ISO_MS);
    expect(dep[0]).toMatchObject({ created_by: null, alt_names: '[]', resources: '[]', extra: '{}' });
    const sur = read(file, `SELECT id, created_at FROM surveys WHERE name = 'Outline drawn in QGIS'`);
    expect(sur[0].id).toMatch(UUID_V4);
    expect(sur[0].created_at).toMatch(ISO_MS);

    // Outcrop's next write journals both as inserts made outside Outcrop.
    expect(runCli(['import', file, sharedPath('deposits', 'usgs-ree-deposits-world.geojson')]).code).toBe(0);
    const journaled = read(file, `SELECT h.feature_id, h.action FROM outcrop_history h JOIN outcrop_ops o USING (op_id) WHERE o.kind = 'outside-edit' ORDER BY h.seq`);
    expect(journaled).toEqual([
      { feature_id: dep[0].id, action: 'insert' },
      { feature_id: sur[0].id, action: 'insert' },
    ]);

    const info = spawnSync('ogrinfo', ['-al', '-so', file], { encoding: 'utf8' });
    expect(info.status).toBe(0);
    expect(info.stderr).not.toMatch(/Warning|ERROR/);
    const layer = (name: string) => info.stdout.split('Layer name: ').find((s) => s.startsWith(name + '\n'))!;
    expect(layer('deposits')).toMatch(/Geometry: Point/);
    expect(layer('deposits')).toMatch(/^id: String \(0\.0\) UNIQUE NOT NULL DEFAULT \(lower/m);
    expect(layer('deposits')).toMatch(/^created_at: String .*DEFAULT \(strftime/m);
    expect(layer('surveys')).toMatch(/Geometry: Multi Polygon/);
    expect(layer('surveys')).toMatch(/^updated_at: String .*DEFAULT \(strftime/m);
    if (existsSync(validator)) {
      const v = spawnSync('python3', [validator, '-k', '--extra', '--warning-as-error', file], { encoding: 'utf8' });
      expect(v.stdout + v.stderr).toBe('');
      expect(v.status).toBe(0);
    }
  });
});

describe('a feature whose id is not a UUID (added in QGIS as "qgis-new-1") through the typed API', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'outcrop-nonuuid-'));
    file = join(dir, 'p.gpkg');
    expect(runCli(['init', file]).code).toBe(0);
    expect(runCli(['import', file, sharedPath('deposits', 'japan-sites.geojson')]).code).toBe(0);
    // Another program adds a deposit and a survey with ids of its own (as tests/integration/gdal.test.ts does with ogr2ogr).
    const db = new Database(file);
    registerGpkgFunctions(db); // the R*Tree triggers call ST_IsEmpty … (GDAL and QGIS have them too)
    db.prepare(`INSERT INTO deposits (geom, id, name, created_at, updated_at) VALUES (?, 'qgis-new-1', 'Added in QGIS', '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z')`).run(
      encodeGeometry({ type: 'Point', coordinates: [141.25, 39.5] }),
    );
    db.prepare(`INSERT INTO surveys (geom, id, name, created_at, updated_at) VALUES (?, 'survey 7 (QGIS)', 'Drawn in QGIS', '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z')`).run(
      encodeGeometry({ type: 'MultiPolygon', coordinates: [[[[141, 39], [142, 39], [142, 40], [141, 40], [141, 39]]]] }),
    );
    db.close();
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('can be read, edited, listed in history, deleted and put back by undo; new ids are still UUIDs', async () => {
    const svc = new OutcropService({ host: 'web', version: 'test', settingsDir: join(dir, 'settings'), actor: 'test-geologist' });
    const call = async (m: string, p: unknown) => {
      const r = (await svc.call(m as any, p)) as { ok: boolean; value?: any; error?: any };
      if (!r.ok) throw new Error(`${m}: ${JSON.stringify(r.error)}`);
      return r.value;
    };
    try {
      await call('project.open', { path: file });
      const got = await call('features.get', { layer: 'deposits', id: 'qgis-new-1' });
      expect(got).toMatchObject({ id: 'qgis-new-1', properties: { name: 'Added in QGIS' } });
      const saved = await call('features.saveDeposit', { id: 'qgis-new-1', properties: { ...got.properties, name: 'Renamed in the app' }, geometry: { type: 'Point', coordinates: [141.5, 39.75] } });
      expect(saved.feature).toMatchObject({ id: 'qgis-new-1', properties: { name: 'Renamed in the app' }, geometry: { coordinates: [141.5, 39.75] } });
      const history = await call('features.history', { id: 'qgis-new-1' });
      expect(history.map((h: any) => [h.kind, h.action])).toEqual([
        ['outside-edit', 'insert'],
        ['edit', 'update'],
      ]);
      const survey = await call('features.get', { layer: 'surveys', id: 'survey 7 (QGIS)' });
      expect(survey.properties.name).toBe('Drawn in QGIS');
      // A query by that survey's outline finds the deposit inside it.
      const within = await call('query.within', { surveyId: 'survey 7 (QGIS)' });
      expect(within.hits.map((h: any) => h.id)).toContain('qgis-new-1');

      expect((await call('features.delete', { layer: 'deposits', ids: ['qgis-new-1'] })).deleted).toBe(1);
      expect(await call('features.get', { layer: 'deposits', id: 'qgis-new-1' })).toBeNull();
      await call('edit.undo', {});
      expect(await call('features.get', { layer: 'deposits', id: 'qgis-new-1' })).toMatchObject({ properties: { name: 'Renamed in the app' } });
      await call('edit.undo', {});
      expect(await call('features.get', { layer: 'deposits', id: 'qgis-new-1' })).toMatchObject({ properties: { name: 'Added in QGIS' }, geometry: { coordinates: [141.25, 39.5] } });

      // Saving under an id that is neither stored nor a UUID does not mint a feature with it.
      const made = (await svc.call('features.saveDeposit', { id: 'made-up', properties: { name: 'New' }, geometry: { type: 'Point', coordinates: [140, 38] } })) as any;
      expect(made).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      // An empty id is still refused by the contract.
      expect(await svc.call('features.get', { layer: 'deposits', id: '' })).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    } finally {
      await svc.dispose();
    }
  });
});
