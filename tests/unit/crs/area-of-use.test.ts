import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { epsgAreaEntries } from '../../../scripts/build-crs-areas';
import { fromWgs84, kmFromCrsArea, resolveCrs } from '../../../src/crs';
import { EPSG_AREAS } from '../../../src/crs/areas';
import { BadInputError } from '../../../src/errors';
import { checkFile, type CheckedFeature } from '../../../src/import/pipeline';
import { readAreaFile } from '../../../src/formats/geojson/small-file';
import { FIXTURES, hasSharedData, readSharedJson } from '../../helpers/data';
import { japanGpkgWithScaledSite } from '../../helpers/japan-gpkg';
import { distanceM } from './geodesic';

const hasGdal = spawnSync('gdaltransform', ['--version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'outcrop-area-of-use-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function problemsOf(path: string, opts = {}): Promise<{ ok: number; problems: Array<Record<string, unknown>> }> {
  let ok = 0;
  const problems: Array<Record<string, unknown>> = [];
  for await (const c of checkFile(path, opts) as AsyncIterable<CheckedFeature>) {
    if (c.ok) ok++;
    else problems.push(...(c.problems as unknown as Array<Record<string, unknown>>));
  }
  return { ok, problems };
}

describe('areas of use of the projected CRSs Outcrop knows', () => {
  it('src/crs/areas.ts is what scripts/build-crs-areas.ts makes from the installed epsg-index', () => {
    const fresh = Object.fromEntries(epsgAreaEntries().map(([code, a]) => [code, [a.south, a.west, a.north, a.east, a.name]]));
    expect(EPSG_AREAS).toEqual(fresh);
    // Every Japan Plane Rectangular zone (JGD2000 and JGD2011), UTM zone (WGS 84 north and south, NAD83) and Web Mercator.
    expect(Object.keys(EPSG_AREAS)).toHaveLength(19 + 19 + 120 + 23 + 1);
  });

  it('says what EPSG says: a WGS 84 UTM zone is its 6° strip, a zone of a national datum its country', () => {
    // UTM zone 54N: 138°E–144°E, equator to 84°N (the zone's definition, not a lookup).
    expect(resolveCrs('EPSG:32654').area).toMatchObject({ south: 0, west: 138, north: 84, east: 144 });
    expect(resolveCrs('EPSG:32754').area).toMatchObject({ south: -80, west: 138, north: 0, east: 144 });
    // JGD2011 and JGD2000 zones: Japan with its offshore islands (Yonaguni 123°E, Minamitorishima 154°E, Okinotorishima 20°N).
    for (const code of ['EPSG:6677', 'EPSG:6683', 'EPSG:2451']) {
      const a = resolveCrs(code).area!;
      expect(a.name).toMatch(/^Japan - onshore and offshore/);
      expect(a.west).toBeLessThan(123);
      expect(a.east).toBeGreaterThan(154);
      expect(a.south).toBeLessThan(20.4);
    }
    expect(resolveCrs('EPSG:26910').area?.name).toMatch(/^North America - onshore and offshore/);
    expect(resolveCrs('EPSG:3857').area).toMatchObject({ south: -85.06, west: -180, north: 85.06, east: 180 });
    // Geographic CRSs carry none: a wrong datum moves a point metres, not continents.
    expect(resolveCrs('EPSG:4267').area).toBeUndefined();
  });

  it('measures how far a place lies from an area, across 180° too', () => {
    const z1 = resolveCrs('EPSG:32601').area!; // 180°W–174°W, equator to 84°N
    expect(kmFromCrsArea([-176, 60], z1)).toBe(0);
    // 2° of longitude at 60°N: 2 × 111.2 km × cos 60° ≈ 111 km, west of 180° as east of −174°.
    expect(kmFromCrsArea([178, 60], z1)).toBeCloseTo(111.2, 0);
    expect(kmFromCrsArea([-172, 60], z1)).toBeCloseTo(111.2, 0);
    // 2° of latitude south of the equator: 222 km.
    expect(kmFromCrsArea([-176, -2], z1)).toBeCloseTo(222.4, 0);
    const z60 = resolveCrs('EPSG:32760').area!; // 174°E–180°E, south
    expect(kmFromCrsArea([-179, -40], z60)).toBeCloseTo(85.2, 0); // 1° at 40°S: 111.2 × cos 40°
    expect(kmFromCrsArea([0, 85], resolveCrs('EPSG:3857').area!)).toBe(0);
  });
});

describe('a position that lands far from where its CRS is used', () => {
  it('the real Kantō GeoPackage (EPSG:6677) with one site in centimetres: that site is refused, naming file, index, id, field and where it landed', async () => {
    const file = join(dir, 'ix-cm.gpkg');
    const { given, recordId } = japanGpkgWithScaledSite(file, 100);
    const { ok, problems } = await problemsOf(file);
    expect(ok).toBe(20);
    expect(problems).toHaveLength(1);
    const p = problems[0];
    expect(p).toMatchObject({ file: 'ix-cm.gpkg', featureIndex: 4, featureId: recordId, field: 'geom.coordinates', code: 'crs.outsideUse' });
    expect(p.message).toMatch(
      new RegExp(
        `^position \\[${given[0]}, ${given[1]}\\] in JGD2011 / Japan Plane Rectangular CS IX lands at longitude -?[0-9.]+, latitude -?[0-9.]+, about [0-9,]+ km from where that CRS is used \\(Japan - onshore and offshore; 17\\.09°N–46\\.05°N, 122\\.38°E–157\\.65°E\\): check that the file is in that CRS, that easting and northing are not swapped, and that they are in metres$`,
      ),
    );
    const params = p.params as { lon: number; lat: number };
    if (hasGdal) {
      // Where GDAL/PROJ puts the same position (EPSG:4326 prints latitude first).
      const [lat, lng] = execFileSync('gdaltransform', ['-s_srs', 'EPSG:6677', '-t_srs', 'EPSG:4326', '-output_xy'], { input: `${given[0]} ${given[1]}\n`, encoding: 'utf8' })
        .trim()
        .split(/\s+/)
        .map(Number)
        .reverse();
      // Within 100 m: the message rounds to 4 decimals, and this far from the central meridian
      // proj4's transverse Mercator and PROJ's differ by metres (6 m here).
      expect(distanceM([params.lon, params.lat], [lng, lat])).toBeLessThan(100);
    }
    // Thousands of kilometres from Takatama, where the site is.
    expect(distanceM([params.lon, params.lat], [140.2925, 37.5075])).toBeGreaterThan(1_000_000);
  });

  it.skipIf(!hasSharedData)('every Japanese site kept in zone IX imports (Hokkaido, Kyushu, the Daito islands); the same file in millimetres does not, nor nearly all in centimetres', async () => {
    const sites = readSharedJson('deposits', 'japan-sites.geojson').features as Array<{ geometry: { coordinates: number[] } }>;
    const toIx = fromWgs84(resolveCrs('EPSG:6677'));
    const write = (name: string, scale: number) => {
      const file = join(dir, name);
      writeFileSync(file, ['X,Y,name', ...sites.map((f, i) => [...toIx(f.geometry.coordinates).map((v) => v * scale), `site ${i}`].join(','))].join('\n') + '\n');
      return file;
    };
    const opts = { crs: 'EPSG:6677', csv: { lon: 'X', lat: 'Y' } };
    expect(await problemsOf(write('japan-ix.csv', 1), opts)).toEqual({ ok: sites.length, problems: [] });
    const mm = await problemsOf(write('japan-ix-mm.csv', 1000), opts);
    expect(mm.ok).toBe(0);
    expect(mm.problems.every((p) => p.code === 'crs.outsideUse' || p.code === 'crs.outsideArea')).toBe(true);
    // In centimetres some land in the ocean off Japan, within the margin; nearly all do not.
    const cm = await problemsOf(write('japan-ix-cm.csv', 100), opts);
    expect(cm.ok).toBeLessThan(sites.length / 20);
    expect(cm.problems.filter((p) => p.code === 'crs.outsideUse').length).toBeGreaterThan(sites.length / 4);
  });

  it.skipIf(!hasGdal)('the 47 prefectures in zone IX as ogr2ogr writes them import, Okinawa (Yaeyama, 1,500 km from Tokyo) included', async () => {
    const gpkg = join(dir, 'prefectures-ix.gpkg');
    execFileSync('ogr2ogr', ['-f', 'GPKG', '-t_srs', 'EPSG:6677', gpkg, `/vsizip/${join(FIXTURES, 'shapefile', 'prefectures-cp932-jgd2011.zip')}`]);
    expect(await problemsOf(gpkg)).toEqual({ ok: 47, problems: [] });
  });

  it('Web Mercator in centimetres does not put deposits at the poles', async () => {
    // Real positions (Mountain Pass, Bayan Obo) in EPSG:3857 metres, written ×100: beyond the
    // projection's 85.06° they would convert to latitude 90.
    const toMerc = fromWgs84(resolveCrs('EPSG:3857'));
    const csv = join(dir, 'merc-cm.csv');
    writeFileSync(csv, ['x,y,name', ...[[-115.53, 35.48, 'Mountain Pass'], [109.97, 41.78, 'Bayan Obo']].map(([x, y, n]) => [...toMerc([x as number, y as number]).map((v) => v * 100), n].join(','))].join('\n') + '\n');
    const { ok, problems } = await problemsOf(csv, { crs: 'EPSG:3857', csv: { lon: 'x', lat: 'y' } });
    expect(ok).toBe(0);
    expect(problems.map((p) => p.code)).toEqual(['crs.outsideUse', 'crs.outsideUse']);
  });

  it('malformed geometries in a file with a "crs" member are named by validation, not an internal error', async () => {
    const file = join(dir, 'malformed-ix.geojson');
    const crs = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::6677' } };
    const geometries = [{ type: 'GeometryCollection' }, { type: 'Polygon', coordinates: 'oops' }, { type: 'Point', coordinates: [] }];
    writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', crs, features: geometries.map((geometry, i) => ({ type: 'Feature', properties: { name: `f${i}` }, geometry })) }));
    const { ok, problems } = await problemsOf(file);
    expect(ok).toBe(0);
    expect(problems.map((p) => [p.featureIndex, p.field])).toEqual([[0, 'geometry.type'], [1, 'geometry.coordinates'], [2, 'geometry.coordinates']]);
  });

  it('a query area with a "crs" member and coordinates in the wrong unit is refused, naming file, feature and position', async () => {
    const file = join(dir, 'area-cm.geojson');
    // A rectangle of 100 km around zone IX's origin (Kantō) in EPSG:6677, written in centimetres.
    const ring = [[-50000, -50000], [50000, -50000], [50000, 50000], [-50000, 50000], [-50000, -50000]].map(([x, y]) => [x * 100, y * 100]);
    writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::6677' } }, features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } }] }));
    const err = await readAreaFile(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as BadInputError).message).toMatch(/area-cm\.geojson.*feature 0.*geometry\.coordinates\[0\]\[0\].*position \[-5000000, -5000000\] in JGD2011 \/ Japan Plane Rectangular CS IX lands at longitude -?[0-9.]+, latitude -?[0-9.]+, about [0-9,]+ km from where that CRS is used/s);
    // In metres, the same rectangle is accepted.
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('5000000', '50000'));
    await expect(readAreaFile(file)).resolves.toMatchObject({ type: 'Polygon' });
  });
});
