import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distance } from '@turf/turf';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGeometry } from '../../src/store/gpkg/geometry-blob';
import { hasCommand, runCli } from '../helpers/cli';
import { readSharedJson, sharedPath } from '../helpers/data';

// GeoJSON files with a "crs" member (GeoJSON 2008), as GDAL writes them for any output not in
// WGS 84: the real Japanese deposit points reprojected by ogr2ogr to JGD2011 plane IX (metres)
// and to the old Tokyo datum (degrees ~400 m from WGS 84's). Before, the first was refused as
// out of range and the second imported ~400 m off, silently.
let dir: string;
let source: Map<string, number[]>;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-legacy-crs-'));
  const fc = readSharedJson<{ features: { properties: { record_id: string }; geometry: { coordinates: number[] } }[] }>('deposits', 'japan-sites.geojson');
  source = new Map(fc.features.map((f) => [f.properties.record_id, f.geometry.coordinates]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function importedAt(file: string): { r: ReturnType<typeof runCli>; at: Map<string, number[]> } {
  const project = join(dir, `${Math.random().toString(36).slice(2)}.gpkg`);
  expect(runCli(['init', project]).code).toBe(0);
  const r = runCli(['import', project, file]);
  const db = new Database(project, { readonly: true });
  try {
    const rows = db.prepare("SELECT source_id AS rid, geom FROM deposits").all() as { rid: string; geom: Buffer }[];
    return { r, at: new Map(rows.map((x) => [x.rid, (decodeGeometry(x.geom) as { coordinates: number[] }).coordinates])) };
  } finally {
    db.close();
  }
}

describe.skipIf(!hasCommand('ogr2ogr'))('a GeoJSON "crs" member', () => {
  // The last: the layer named "features" (ogr2ogr -nln), which GDAL writes as "name": "features" before the member.
  for (const [code, name, tolerance, layer] of [
    [6677, 'JGD2011 / Japan Plane Rectangular CS IX', 0.05, 'sites'],
    [4301, 'Tokyo', 1, 'sites'],
    [4283, 'GDA94', 0.05, 'sites'],
    [4301, 'Tokyo', 1, 'features'],
  ] as const) {
    it(`EPSG:${code} (${name}), layer "${layer}": converted back to where the source file has each deposit`, () => {
      const out = join(dir, `sites-${code}-${layer}.geojson`);
      execFileSync('ogr2ogr', ['-f', 'GeoJSON', '-t_srs', `EPSG:${code}`, '-nln', layer, out, sharedPath('deposits', 'japan-sites.geojson')]);
      const { r, at } = importedAt(out);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`Coordinates converted to WGS 84 from ${name} (EPSG:${code})`);
      expect(at.size).toBe(source.size);
      for (const [rid, xy] of source) expect(distance(at.get(rid)!, xy, { units: 'meters' }), rid).toBeLessThan(tolerance);
    });
  }

  it('WGS 84 named either way changes nothing; an unknown CRS is refused, naming the file', () => {
    const fc = readSharedJson('deposits', 'japan-sites.geojson') as Record<string, unknown>;
    const crs84 = join(dir, 'crs84.geojson');
    writeFileSync(crs84, JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } }, features: fc.features }));
    const { r, at } = importedAt(crs84);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/converted/);
    for (const [rid, xy] of source) expect(at.get(rid), rid).toEqual(xy);
    const odd = join(dir, 'odd.geojson');
    writeFileSync(odd, JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::2000' } }, features: fc.features }));
    const refused = importedAt(odd).r;
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/odd\.geojson \("crs" member\): unknown CRS/);
  });

  it('small inputs too: a query area, sites and a reference layer written in EPSG:6677 act as the WGS 84 originals', () => {
    const project = join(dir, 'small.gpkg');
    expect(runCli(['init', project]).code).toBe(0);
    expect(runCli(['import', project, sharedPath('deposits', 'japan-sites.geojson')]).code).toBe(0);
    // A real prefecture outline (Akita, JIS 5) as given and as ogr2ogr writes it in metres.
    const pref = join(dir, 'akita.geojson');
    execFileSync('ogr2ogr', ['-f', 'GeoJSON', '-where', 'id = 5', pref, sharedPath('polygons', 'japan-prefectures.geojson')]);
    const prefIx = join(dir, 'akita-6677.geojson');
    execFileSync('ogr2ogr', ['-f', 'GeoJSON', '-t_srs', 'EPSG:6677', prefIx, pref]);
    const ids = (f: string) => {
      const r = runCli(['query', project, 'within', f]);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout).features as { id: string }[]).map((x) => x.id).sort();
    };
    const inWgs84 = ids(pref);
    expect(inWgs84.length).toBeGreaterThan(0);
    expect(ids(prefIx)).toEqual(inWgs84);

    const roads = join(dir, 'points-6677.geojson');
    execFileSync('ogr2ogr', ['-f', 'GeoJSON', '-t_srs', 'EPSG:6677', roads, sharedPath('deposits', 'japan-sites.geojson')]);
    const stored = runCli(['layers', 'import', project, roads, '--role', 'infrastructure', '--name', 'pts']);
    expect(stored.code, stored.stderr).toBe(0);
    const db = new Database(project, { readonly: true });
    try {
      const rows = db.prepare("SELECT json_extract(properties, '$.record_id') AS rid, geom FROM reference_features WHERE layer = 'pts'").all() as { rid: string; geom: Buffer }[];
      expect(rows).toHaveLength(source.size);
      for (const r of rows) expect(distance((decodeGeometry(r.geom) as { coordinates: number[] }).coordinates, source.get(r.rid)!, { units: 'meters' }), r.rid).toBeLessThan(0.05);
    } finally {
      db.close();
    }
  });

  it('a position the named CRS cannot take to WGS 84 is refused, naming file, feature and position, in small inputs and reference layers too', () => {
    const project = join(dir, 'outside.gpkg');
    expect(runCli(['init', project]).code).toBe(0);
    const pointsIx = join(dir, 'points-6677-all.geojson');
    execFileSync('ogr2ogr', ['-f', 'GeoJSON', '-t_srs', 'EPSG:6677', pointsIx, sharedPath('deposits', 'japan-sites.geojson')]);
    const fc = JSON.parse(readFileSync(pointsIx, 'utf8'));
    // Feature 3's point far outside any Japanese plane (a unit slip gone very wrong).
    fc.features[3].geometry.coordinates = [1e12, 1e12];
    const bad = join(dir, 'points-6677-outside.geojson');
    writeFileSync(bad, JSON.stringify(fc));
    const layer = runCli(['layers', 'import', project, bad, '--role', 'infrastructure', '--name', 'bad']);
    expect(layer.code).toBe(2);
    expect(layer.stderr).toMatch(/points-6677-outside\.geojson: feature 3\b.*position \[1000000000000, 1000000000000\] cannot be converted from JGD2011/);
    // A query area (parsed whole): the same words, not "not a finite number".
    const area = { ...fc, features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1e12, 0], [1e12, 1e12], [0, 0]]] } }] };
    const areaFile = join(dir, 'area-6677-outside.geojson');
    writeFileSync(areaFile, JSON.stringify(area));
    const q = runCli(['query', project, 'within', areaFile]);
    expect(q.code).toBe(2);
    expect(q.stderr).toMatch(/area-6677-outside\.geojson: feature 0\b.*cannot be converted from JGD2011/);
  });
});
