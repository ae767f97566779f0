import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadInputError } from '../../../src/errors';
import { listGpkgLayers, readGpkgLayer } from '../../../src/formats/gpkg/read';
import type { RawFeature } from '../../../src/formats/types';
import { importFile } from '../../../src/import/import-file';
import { checkFile } from '../../../src/import/pipeline';
import { iterateRows } from '../../../src/store/read';
import { Project } from '../../../src/store/project';
import { decodePoint, encodeGeometry } from '../../../src/store/gpkg/geometry-blob';
import { FIXTURES, hasSharedData, readSharedJson } from '../../helpers/data';
import { japanGpkgWithScaledSite } from '../../helpers/japan-gpkg';
import { distanceM } from '../crs/geodesic';

const GPKG = join(FIXTURES, 'gpkg');
const JAPAN = join(GPKG, 'japan-sites-jgd2011-ix.gpkg');
const ARIZONA = join(GPKG, 'major-deposits-nad83-utm12n.gpkg');
const TWO = join(GPKG, 'two-layers.gpkg');
const hasOgr = spawnSync('ogrinfo', ['--version']).status === 0;

async function readAll(path: string, opts = {}): Promise<RawFeature[]> {
  const out: RawFeature[] = [];
  for await (const f of readGpkgLayer(path, opts)) out.push(f);
  return out;
}

/** WGS 84 source positions by record_id, from the GeoJSON the fixtures were made from. */
function sourcePositions(file: string): Map<string, number[]> {
  const fc = readSharedJson('deposits', file);
  return new Map(fc.features.map((f: any) => [String(f.properties.record_id), f.geometry.coordinates]));
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-gpkg-read-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('listGpkgLayers', () => {
  it('lists feature layers with geometry column, type and CRS', () => {
    const layers = listGpkgLayers(TWO);
    expect(layers.map((l) => [l.name, l.geometryColumn, l.geometryType, l.srsId, l.organization, l.organizationCoordsysId, l.featureCount])).toEqual([
      ['japan_sites_ix', 'geom', 'POINT', 6677, 'EPSG', 6677, 21],
      ['major_deposits_az', 'geom', 'POINT', 26912, 'EPSG', 26912, 38],
    ]);
    expect(layers[0].definition).toMatch(/Japan Plane Rectangular CS IX/);
  });

  it.skipIf(!hasOgr)('counts equal ogrinfo', () => {
    for (const f of [JAPAN, ARIZONA]) {
      const out = execFileSync('ogrinfo', ['-ro', '-so', '-al', f], { encoding: 'utf8' });
      const n = Number(/Feature Count: (\d+)/.exec(out)![1]);
      expect(listGpkgLayers(f)[0].featureCount).toBe(n);
    }
  });
});

describe('readGpkgLayer', () => {
  it.skipIf(!hasSharedData)('JGD2011 Plane Rectangular IX: back to the source WGS 84 positions within 1 mm', async () => {
    const src = sourcePositions('japan-sites.geojson');
    const feats = await readAll(JAPAN);
    expect(feats).toHaveLength(21);
    expect(feats[0].properties).toMatchObject({ name: 'Hitachi', commodities: 'Cu', record_id: '291' });
    expect(feats[0].properties).not.toHaveProperty('fid');
    expect(feats[0].properties).not.toHaveProperty('geom');
    let maxM = 0;
    for (const f of feats) {
      const p = (f.geometry as any).coordinates;
      maxM = Math.max(maxM, distanceM(p, src.get(String(f.properties.record_id))!));
    }
    // GDAL/PROJ forward (ogr2ogr) then proj4 inverse; measured ≈ 1e-5 mm.
    console.info(`EPSG:6677 GeoPackage round trip, 21 points: max ${(maxM * 1000).toExponential(2)} mm`);
    expect(maxM * 1000).toBeLessThan(1);
  });

  it.skipIf(!hasSharedData)('NAD83 / UTM 12N: back to the source positions within 1 mm', async () => {
    const src = sourcePositions('usgs-major-deposits-world.geojson');
    const feats = await readAll(ARIZONA);
    expect(feats).toHaveLength(38);
    let maxM = 0;
    for (const f of feats) maxM = Math.max(maxM, distanceM((f.geometry as any).coordinates, src.get(String(f.properties.record_id))!));
    console.info(`EPSG:26912 GeoPackage round trip, 38 points: max ${(maxM * 1000).toExponential(2)} mm`);
    expect(maxM * 1000).toBeLessThan(1);
  });

  it('NAD83 / UTM 12N: agrees with GDAL/PROJ (ogr2ogr to EPSG:4326) within 1 mm', async () => {
    const gdal = readFileSync(join(FIXTURES, 'crs', 'major-deposits-nad83-utm12n-gdal-wgs84.txt'), 'utf8').trim().split('\n');
    const feats = await readAll(ARIZONA);
    expect(gdal).toHaveLength(feats.length);
    let maxM = 0;
    feats.forEach((f, i) => {
      maxM = Math.max(maxM, distanceM((f.geometry as any).coordinates, gdal[i].split(' ').map(Number)));
    });
    console.info(`EPSG:26912 → 4326, proj4 vs ogr2ogr, 38 points: max ${(maxM * 1000).toExponential(2)} mm`);
    expect(maxM * 1000).toBeLessThan(1);
  });

  it('several feature layers and none chosen → BadInputError listing them', async () => {
    await expect(readAll(TWO)).rejects.toThrow(BadInputError);
    await expect(readAll(TWO)).rejects.toThrow(/two-layers\.gpkg has 2 feature layers; choose one with --source-layer: "japan_sites_ix" \(POINT, 21 features\), "major_deposits_az" \(POINT, 38 features\)/);
    await expect(readAll(TWO, { layer: 'nope' })).rejects.toThrow(/has no feature layer "nope"/);
    expect(await readAll(TWO, { layer: 'major_deposits_az' })).toHaveLength(38);
  });

  it('a layer without a CRS needs --crs; a CRS Outcrop does not know is refused', async () => {
    const f = join(dir, 'no-srs.gpkg');
    copyFileSync(JAPAN, f);
    const db = new Database(f);
    db.prepare("UPDATE gpkg_geometry_columns SET srs_id = 0").run();
    db.close();
    await expect(readAll(f)).rejects.toThrow(/no-srs\.gpkg: layer "japan_sites_ix" has no coordinate reference system \(srs_id 0\); give one with --crs/);
    expect(await readAll(f, { crs: 'EPSG:6677' })).toHaveLength(21);
    const g = join(dir, 'odd-srs.gpkg');
    copyFileSync(JAPAN, g);
    const db2 = new Database(g);
    db2.prepare("UPDATE gpkg_spatial_ref_sys SET organization_coordsys_id = 99999, definition = 'PROJCS[\"made up\",BAR[' WHERE srs_id = 6677").run();
    db2.close();
    await expect(readAll(g)).rejects.toThrow(/odd-srs\.gpkg: layer "japan_sites_ix": cannot read the coordinate reference system/);
  });

  it('an empty layer yields nothing; an abort half way stops the read', async () => {
    const f = join(dir, 'empty.gpkg');
    copyFileSync(JAPAN, f);
    const db = new Database(f);
    db.prepare('DELETE FROM japan_sites_ix').run();
    db.close();
    expect(await readAll(f)).toEqual([]);
    const ac = new AbortController();
    const seen: RawFeature[] = [];
    await expect(
      (async () => {
        for await (const x of readGpkgLayer(JAPAN, { signal: ac.signal })) {
          seen.push(x);
          if (seen.length === 5) ac.abort();
        }
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toHaveLength(5);
  });

  it('a file that is not a GeoPackage is refused by name', async () => {
    await expect(readAll(join(FIXTURES, 'crs', 'japan-sites-jgd2011-ix-xy.csv'))).rejects.toThrow(/japan-sites-jgd2011-ix-xy\.csv is not a GeoPackage/);
  });
});

describe('pipeline', () => {
  it('detects .gpkg and checks every feature', async () => {
    let ok = 0;
    for await (const c of checkFile(JAPAN)) if (c.ok) ok++;
    expect(ok).toBe(21);
  });

  it('a position its CRS cannot take to WGS 84 is a problem naming file, feature index and id, coordinate and reason', async () => {
    // The JGD2011 / IX sites with an id column, and the fifth site's position in millimetres
    // instead of metres: a thousand times too far, where the projection is not defined.
    const file = join(dir, 'ix-mm.gpkg');
    const { given: position, recordId } = japanGpkgWithScaledSite(file, 1000);
    const bad = [];
    for await (const c of checkFile(file)) if (!c.ok) bad.push(...c.problems);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ file: 'ix-mm.gpkg', featureIndex: 4, featureId: recordId, field: 'geom.coordinates', code: 'crs.outsideArea' });
    expect(bad[0].message).toBe(
      `position [${position[0]}, ${position[1]}] cannot be converted from JGD2011 / Japan Plane Rectangular CS IX to WGS 84: it lies outside the area that CRS is defined for`,
    );
    if (!hasOgr) return;
    // The same layer as a Shapefile (GDAL writes it): the same problem, for the same feature.
    const shp = join(dir, 'ix-mm.shp');
    execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', shp, file]);
    const fromShp = [];
    for await (const c of checkFile(shp)) if (!c.ok) fromShp.push(...c.problems);
    expect(fromShp.map((p) => [p.file, p.featureIndex, p.field, p.message])).toEqual([['ix-mm.shp', 4, 'geometry.coordinates', bad[0].message]]);
  });

  it.skipIf(!hasSharedData)('importFile of the JGD2011 GeoPackage puts the sites within 1e-7° of the source', async () => {
    const src = sourcePositions('japan-sites.geojson');
    const project = Project.open(join(dir, 'p.gpkg'), { create: true, actor: 'tester' });
    try {
      const r = await importFile(project, JAPAN);
      expect(r.written.deposits).toBe(21);
      let n = 0;
      for (const row of iterateRows(project, 'deposits')) {
        const [lng, lat] = decodePoint(row.geom);
        const want = src.get(String(row.source_id));
        expect(want, `record ${row.name}`).toBeDefined();
        expect(Math.abs(lng - want![0])).toBeLessThan(1e-7);
        expect(Math.abs(lat - want![1])).toBeLessThan(1e-7);
        n++;
      }
      expect(n).toBe(21);
    } finally {
      project.close();
    }
  });
});
