import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors';
import { emptyDepositFields } from '../../../src/model/defaults';
import { migrate, readSchemaVersion, SCHEMA_VERSION } from '../../../src/store/migrations';
import { MIGRATIONS } from '../../../src/store/migrations';
import { registerGpkgFunctions } from '../../../src/store/gpkg/sql-functions';
import { undoTarget } from '../../../src/store/history';
import { Project } from '../../../src/store/project';
import { importReferenceLayer } from '../../../src/import/reference-layer';
import { deleteReferenceLayers, listReferenceLayers, referenceFeatures, referenceZones } from '../../../src/store/reference-layers';
import { hasCommand } from '../../helpers/cli';
import { distance as turfDistance, lineChunk } from '@turf/turf';
import type { LineString } from 'geojson';
import { prepareInfrastructure, storedInfrastructure } from '../../../src/compare/infrastructure';

const FIX = resolve(__dirname, '../../fixtures/reference');
const ROADS = join(FIX, 'sw-us-infrastructure.geojson');
const PARKS = join(FIX, 'sw-us-protected-areas.geojson');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-ref-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const count = (p: Project, sql: string) => p.db.prepare(sql).pluck().get() as number;

describe('reference layers (migration 0005)', () => {
  it('a fresh project registers reference_features as a GeoPackage feature layer with an R*Tree', () => {
    const p = Project.open(join(dir, 'p.gpkg'), { create: true });
    try {
      expect(readSchemaVersion(p.db)).toBe(SCHEMA_VERSION);
      expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(5);
      expect(p.db.prepare(`SELECT data_type, srs_id FROM gpkg_contents WHERE table_name = 'reference_features'`).get()).toEqual({ data_type: 'features', srs_id: 4326 });
      expect(p.db.prepare(`SELECT geometry_type_name FROM gpkg_geometry_columns WHERE table_name = 'reference_features'`).pluck().get()).toBe('GEOMETRY');
      expect(p.db.prepare(`SELECT extension_name FROM gpkg_extensions WHERE table_name = 'reference_features'`).pluck().get()).toBe('gpkg_rtree_index');
      expect(p.db.prepare(`SELECT data_type FROM gpkg_contents WHERE table_name = 'outcrop_reference_layers'`).pluck().get()).toBe('attributes');
    } finally {
      p.close();
    }
  });

  it('upgrades a schema-4 project (before reference layers) to the current schema', () => {
    const file = join(dir, 'v4.gpkg');
    const db = new Database(file);
    registerGpkgFunctions(db);
    db.pragma('application_id = 1196444487');
    db.pragma('user_version = 10300');
    migrate(db, 'v4.gpkg', MIGRATIONS.filter((m) => m.version <= 4));
    expect(readSchemaVersion(db)).toBe(4);
    db.close();
    const p = Project.open(file);
    try {
      expect(readSchemaVersion(p.db)).toBe(SCHEMA_VERSION);
      expect(listReferenceLayers(p)).toEqual([]);
      expect(p.db.prepare(`SELECT count(*) FROM gpkg_contents WHERE table_name IN ('reference_features', 'outcrop_reference_layers')`).pluck().get()).toBe(2);
    } finally {
      p.close();
    }
  });

  it('imports a GeoJSON layer in one operation: features, names, properties, R*Tree; lists and deletes it', async () => {
    const p = Project.open(join(dir, 'p.gpkg'), { create: true, actor: 'planner' });
    try {
      const phases = new Set<string>();
      const info = await importReferenceLayer(p, ROADS, { role: 'infrastructure', onProgress: (x) => phases.add(x.phase) });
      expect(phases.has('write')).toBe(true);
      expect(info).toMatchObject({ name: 'sw-us-infrastructure', role: 'infrastructure', featureCount: 4, sourceFile: 'sw-us-infrastructure.geojson', importedBy: 'planner' });
      expect(info.geometryTypes).toEqual(['LineString', 'MultiLineString', 'Point']);
      const feats = referenceFeatures(p, 'sw-us-infrastructure');
      expect(feats.map((f) => f.name)).toEqual([
        'Interstate 15 (Barstow–Las Vegas, simplified)',
        'Interstate 10 (Phoenix–Las Cruces, simplified)',
        'Port of Long Beach',
        'Hidalgo–Greenlee 345 kV line (simplified)', // from "NAME"
      ]);
      expect(feats[2]).toMatchObject({ geometry: { type: 'Point', coordinates: [-118.21, 33.75] }, properties: { kind: 'port' } });
      expect(count(p, 'SELECT count(*) FROM rtree_reference_features_geom')).toBe(4);
      // The R*Tree box of the I-15 line is its extent (GeoPackage triggers ran).
      const box = p.db.prepare('SELECT minx, maxx, miny, maxy FROM rtree_reference_features_geom ORDER BY id LIMIT 1').get() as Record<string, number>;
      expect(box.minx).toBeCloseTo(-117.02, 4);
      expect(box.maxy).toBeCloseTo(36.1, 4);
      expect(count(p, `SELECT count(*) FROM outcrop_ops WHERE kind = 'reference-import'`)).toBe(1);
      // An import is an undo target (its undo/redo: tests/unit/store/reference-undo.test.ts).
      expect(undoTarget(p)?.kind).toBe('reference-import');

      await importReferenceLayer(p, PARKS, { role: 'exclusion', name: 'parks' });
      expect(listReferenceLayers(p).map((l) => [l.name, l.role, l.featureCount])).toEqual([
        ['parks', 'exclusion', 2],
        ['sw-us-infrastructure', 'infrastructure', 4],
      ]);
      // The same name again is refused unless replacing.
      await expect(importReferenceLayer(p, PARKS, { role: 'exclusion', name: 'parks' })).rejects.toThrow(/already stored/);
      await importReferenceLayer(p, PARKS, { role: 'exclusion', name: 'parks', replace: true });
      expect(count(p, `SELECT count(*) FROM reference_features WHERE layer = 'parks'`)).toBe(2);
      // A layer of the other role is refused where a role is expected.
      expect(() => referenceZones(p, ['sw-us-infrastructure'])).toThrow(/holds infrastructure, not exclusion zones/);
      expect(() => referenceZones(p, ['roads'])).toThrow(/no reference layer "roads".*stored: parks, sw-us-infrastructure/);

      expect(await deleteReferenceLayers(p, ['sw-us-infrastructure'])).toBe(1);
      expect(listReferenceLayers(p).map((l) => l.name)).toEqual(['parks']);
      expect(count(p, 'SELECT count(*) FROM reference_features')).toBe(2);
      expect(count(p, 'SELECT count(*) FROM rtree_reference_features_geom')).toBe(2);
      await expect(deleteReferenceLayers(p, ['parks', 'nope'])).rejects.toThrow(/no reference layer "nope"/);
      expect(listReferenceLayers(p).map((l) => l.name)).toEqual(['parks']); // one transaction: parks kept
    } finally {
      p.close();
    }
  });

  it('one bad feature refuses the whole file, naming file, feature and field; nothing is written', async () => {
    const p = Project.open(join(dir, 'p.gpkg'), { create: true });
    try {
      const bad = join(dir, 'bad-parks.geojson');
      writeFileSync(
        bad,
        JSON.stringify({
          type: 'FeatureCollection',
          features: [
            { type: 'Feature', properties: { name: 'ok' }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] } },
            // a bow-tie: the outline crosses itself
            { type: 'Feature', id: 'z2', properties: { name: 'bow-tie' }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] } },
          ],
        }),
      );
      const err = await importReferenceLayer(p, bad, { role: 'exclusion' }).catch((e) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect(err.message).toMatch(/^bad-parks\.geojson: feature 1 \(id "z2"\): "geometry\.coordinates\[0\]\[2\]": outline crosses itself near \[0\.5, 0\.5\]/);
      // An exclusion zone must be a polygon.
      const line = await importReferenceLayer(p, ROADS, { role: 'exclusion' }).catch((e) => e);
      expect(line.message).toMatch(/sw-us-infrastructure\.geojson: 4 features have problems; nothing was imported\. First: sw-us-infrastructure\.geojson: feature 0: "geometry\.type": an exclusion zone must be a Polygon or MultiPolygon, found LineString/);
      expect(line.problems.map((x: { featureIndex: number }) => x.featureIndex)).toEqual([0, 1, 2, 3]);
      expect(listReferenceLayers(p)).toEqual([]);
      expect(count(p, 'SELECT count(*) FROM reference_features')).toBe(0);
      expect(count(p, `SELECT count(*) FROM outcrop_ops WHERE kind LIKE 'reference-%'`)).toBe(0);
    } finally {
      p.close();
    }
  });

  it('a cancelled import writes nothing', async () => {
    const p = Project.open(join(dir, 'p.gpkg'), { create: true });
    try {
      const ac = new AbortController();
      ac.abort();
      await expect(importReferenceLayer(p, ROADS, { role: 'infrastructure', signal: ac.signal })).rejects.toThrow(/abort/i);
      // Cancel during the write (after the first progress event of the write phase): rolled back.
      const ac2 = new AbortController();
      await expect(
        importReferenceLayer(p, ROADS, { role: 'infrastructure', signal: ac2.signal, onProgress: (x) => x.phase === 'write' && ac2.abort() }),
      ).rejects.toThrow(/abort/i);
      expect(listReferenceLayers(p)).toEqual([]);
      expect(count(p, 'SELECT count(*) FROM reference_features')).toBe(0);
    } finally {
      p.close();
    }
  });

  it('splits a zone that crosses the antimeridian, as stored areas are', async () => {
    const p = Project.open(join(dir, 'p.gpkg'), { create: true });
    try {
      const f = join(dir, 'fiji.geojson');
      writeFileSync(f, JSON.stringify({ type: 'Feature', properties: { name: 'Across 180' }, geometry: { type: 'Polygon', coordinates: [[[179, -17], [-179, -17], [-179, -16], [179, -16], [179, -17]]] } }));
      await importReferenceLayer(p, f, { role: 'exclusion' });
      const [z] = referenceZones(p, ['fiji']);
      expect(z.geometry.type).toBe('MultiPolygon');
      const lons = (z.geometry.coordinates as number[][][][]).flat(2).map((c) => c[0]);
      expect(Math.max(...lons)).toBe(180);
      expect(Math.min(...lons)).toBe(-180);
    } finally {
      p.close();
    }
  });

  it('the nearest stored feature (R*Tree search) is the brute-force Turf nearest, across ±180 and near a pole', async () => {
    const p = Project.open(join(dir, 'p.gpkg'), { create: true });
    try {
      const f = join(dir, 'far.geojson');
      const feats = [
        { type: 'Feature', properties: { name: 'Suva port' }, geometry: { type: 'Point', coordinates: [178.42, -18.13] } },
        { type: 'Feature', properties: { name: 'Dateline road' }, geometry: { type: 'LineString', coordinates: [[179.95, -16.5], [179.99, -16.0]] } },
        { type: 'Feature', properties: { name: 'Alert airstrip' }, geometry: { type: 'Point', coordinates: [-62.33, 82.5] } },
        { type: 'Feature', properties: { name: 'Longyearbyen port' }, geometry: { type: 'Point', coordinates: [15.63, 78.23] } },
        { type: 'Feature', properties: { name: 'Honolulu port' }, geometry: { type: 'Point', coordinates: [-157.87, 21.31] } },
      ];
      writeFileSync(f, JSON.stringify({ type: 'FeatureCollection', features: feats }));
      await importReferenceLayer(p, f, { role: 'infrastructure' });
      const nearest = prepareInfrastructure(p, storedInfrastructure(p, 'far'));
      // Brute force with Turf: points exactly; the short line by 10 m pieces.
      const brute = (q: [number, number]) => {
        let best = { km: Infinity, name: '' };
        for (const x of feats) {
          const pts = x.geometry.type === 'Point' ? [x.geometry.coordinates as number[]] : lineChunk(x.geometry as LineString, 0.01, { units: 'kilometers' }).features.flatMap((c) => c.geometry.coordinates);
          for (const c of pts) {
            const d = turfDistance(q, c, { units: 'kilometers' });
            if (d < best.km) best = { km: d, name: x.properties.name };
          }
        }
        return best;
      };
      for (const q of [[-179.9, -16.2], [179.5, -17.5], [100, 89.5], [-150, 85], [0, 0], [-157.8, 21.3]] as [number, number][]) {
        const got = nearest(q)!;
        const want = brute(q);
        expect(got.name, `from ${q}`).toBe(want.name);
        expect(Math.abs(got.distanceKm - want.km), `from ${q}`).toBeLessThan(0.02);
      }
      // From -179.9 the nearest is the line just across ±180 (about 12 km), not Suva (about 280 km).
      expect(nearest([-179.9, -16.2])!.name).toBe('Dateline road');
      expect(() => storedInfrastructure(p, 'nope')).toThrow(/no reference layer "nope"/);
    } finally {
      p.close();
    }
  });

  it.skipIf(!hasCommand('ogrinfo'))('GDAL opens the project and reads the reference layer', async () => {
    const file = join(dir, 'gdal.gpkg');
    const p = Project.open(file, { create: true });
    await p.write('edit', 'one deposit', (w) => w.insertDeposit(emptyDepositFields('x'), { type: 'Point', coordinates: [1, 2] }));
    await importReferenceLayer(p, PARKS, { role: 'exclusion', name: 'parks' });
    p.close();
    const r = spawnSync('ogrinfo', ['-al', '-so', file, 'reference_features'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/Warning|ERROR/);
    expect(r.stdout).toMatch(/Feature Count: 2/);
    expect(r.stdout).toMatch(/layer: String/);
    const all = spawnSync('ogrinfo', ['-q', file], { encoding: 'utf8' });
    expect(all.status).toBe(0);
    expect(all.stdout).toMatch(/reference_features/);
  });
});
