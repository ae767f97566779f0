import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFile } from '../../src/import/pipeline';
import { hasCommand } from '../helpers/cli';
import { readSharedJson } from '../helpers/data';

// Features without a location, as other programs write them: which layer they go to, and what
// is a location and what a problem. Real records (an Earth MRI area, Japanese deposits) with
// their geometry taken away.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-unlocated-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function checked(path: string) {
  const out: { ok: boolean; layer?: string; located?: boolean; problems: string[] }[] = [];
  for await (const c of checkFile(path)) {
    out.push(c.ok ? { ok: true, layer: c.layer, located: c.geometry !== null, problems: [] } : { ok: false, problems: c.problems.map((p) => `${p.field}: ${p.message}`) });
  }
  return out;
}

const mri = readSharedJson('polygons', 'usgs-earthmri-projects-nm-sw.geojson').features[0];
const site = readSharedJson('deposits', 'japan-sites.geojson').features[0];

describe.skipIf(!hasCommand('ogr2ogr'))('a feature without a location in a layer that declares its geometry type', () => {
  it('goes to surveys from a GeoPackage polygon layer or a polygon Shapefile, though its properties are a deposit-like name and agency', async () => {
    const src = join(dir, 'areas.geojson');
    const area = { type: 'Feature', geometry: mri.geometry, properties: { name: mri.properties.pname, agency: 'USGS' } };
    writeFileSync(src, JSON.stringify({ type: 'FeatureCollection', features: [area, { ...area, geometry: null, properties: { name: 'outline lost', agency: 'USGS' } }] }));
    const gpkg = join(dir, 'areas.gpkg');
    execFileSync('ogr2ogr', ['-f', 'GPKG', gpkg, src, '-nlt', 'MULTIPOLYGON', '-nln', 'areas']);
    execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', join(dir, 'areas.shp'), src, '-nlt', 'POLYGON'], { stdio: 'ignore' });
    for (const f of [gpkg, join(dir, 'areas.shp')]) {
      expect((await checked(f)).map((c) => [c.ok, c.layer, c.located])).toEqual([
        [true, 'surveys', true],
        [true, 'surveys', false],
      ]);
    }
  });

  it('in a line layer (roads) is refused like the located lines, not taken for a deposit', async () => {
    const src = join(dir, 'roads.geojson');
    const road = { type: 'Feature', geometry: { type: 'LineString', coordinates: [[-116.5, 36.5], [-116.4, 36.6]] }, properties: { name: 'Haul road' } };
    writeFileSync(src, JSON.stringify({ type: 'FeatureCollection', features: [road, { ...road, geometry: null }] }));
    const gpkg = join(dir, 'roads.gpkg');
    execFileSync('ogr2ogr', ['-f', 'GPKG', gpkg, src, '-nlt', 'LINESTRING', '-nln', 'roads']);
    expect((await checked(gpkg)).map((c) => [c.ok, c.problems])).toEqual([
      [false, ['geometry.type: a LineString cannot be stored: deposits are points and surveys are polygons']],
      [false, ['geometry.type: a LineString cannot be stored: deposits are points and surveys are polygons']],
    ]);
  });

  it('a GeoPackage empty geometry (POLYGON EMPTY, as GDAL writes it) is no location, not a problem', async () => {
    const csv = join(dir, 'empties.csv');
    writeFileSync(csv, `name,WKT\n${mri.properties.pname},POLYGON EMPTY\n`);
    const gpkg = join(dir, 'empties.gpkg');
    execFileSync('ogr2ogr', ['-f', 'GPKG', gpkg, csv, '-oo', 'GEOM_POSSIBLE_NAMES=WKT', '-oo', 'KEEP_GEOM_COLUMNS=NO', '-a_srs', 'EPSG:4326', '-nlt', 'POLYGON', '-nln', 'empties']);
    expect(await checked(gpkg)).toEqual([{ ok: true, layer: 'surveys', located: false, problems: [] }]);
  });
});

describe('a GeoJSON feature without a location', () => {
  it('is a survey when more of its properties are a survey\'s than a deposit\'s (an Outcrop survey with a "commodity" extra property)', async () => {
    const file = join(dir, 'survey-null.geojson');
    const props = { name: mri.properties.pname, team: 'NM Bureau', methods: ['geophysics'], start_date: '2021-01-01', end_date: null, commodity: 'REE' };
    writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: null, properties: props }] }));
    expect((await checked(file)).map((c) => [c.ok, c.layer, c.located])).toEqual([[true, 'surveys', false]]);
  });
});

describe('CSV rows without a location', () => {
  it('in an Outcrop CSV export of points (its extra_json column) are deposits without a location, even with a survey-like "method" column', async () => {
    const [lon, lat] = site.geometry.coordinates;
    const csv = join(dir, 'pits.csv');
    writeFileSync(csv, `name,method,longitude,latitude,extra_json\n${site.properties.name},geochemistry,${lon},${lat},\nSample pit 2,geochemistry,,,\n`);
    expect((await checked(csv)).map((c) => [c.ok, c.layer, c.located])).toEqual([
      [true, 'deposits', true],
      [true, 'deposits', false],
    ]);
  });

  it('in another program\'s CSV are a problem naming the empty cells (a typo or a projected column more likely than no place)', async () => {
    const csv = join(dir, 'field-sheet.csv');
    writeFileSync(csv, `name,easting,northing,longitude,latitude\n${site.properties.name},-9000,12000,,\n`);
    expect(await checked(csv)).toEqual([
      { ok: false, problems: ['longitude: no coordinates: "longitude" and "latitude" are empty (only an Outcrop CSV export, with its extra_json column, may hold rows without a location)'] },
    ]);
  });

  it('take their place from a WKT column beside empty longitude/latitude cells (a QGIS "AS_WKT" export)', async () => {
    const [lon, lat] = site.geometry.coordinates;
    const csv = join(dir, 'wkt-and-lonlat.csv');
    writeFileSync(csv, `WKT,name,longitude,latitude\nPOINT (${lon} ${lat}),${site.properties.name},,\n`);
    const out: unknown[] = [];
    for await (const c of checkFile(csv)) out.push(c.ok ? c.geometry : c.problems);
    expect(out).toEqual([{ type: 'Point', coordinates: [lon, lat] }]);
  });

  it('a row the reader refused (unreadable WKT) reports only that, not a guessed layer\'s missing name', async () => {
    const csv = join(dir, 'bad-wkt.csv');
    writeFileSync(csv, 'name,team,methods,wkt\n,GSJ,geophysics,"POLYGON((139 35,140 35,140 36,139 35)"\n');
    expect(await checked(csv)).toEqual([{ ok: false, problems: ['wkt: not valid WKT: the text ends too early in "POLYGON((139 35,140 35,140 36,139 35)"'] }]);
  });
});
