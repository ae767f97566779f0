import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadInputError } from '../../../src/errors';
import { readZippedShapefile } from '../../../src/formats/shapefile/read';
import { checkFile } from '../../../src/import/pipeline';
import { hasSharedData, readSharedJson } from '../../helpers/data';
import { ARIZONA, hasOgr, NO_PRJ, PREFS, readAll } from '../../helpers/shapefile';
import { distanceM } from '../crs/geodesic';


let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-shp-read-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Rewrite a fixture zip with `edit` applied to its entries. */
function rezip(src: string, name: string, edit: (e: Record<string, Uint8Array>) => void): string {
  const entries = unzipSync(new Uint8Array(readFileSync(src)));
  edit(entries);
  const out = join(dir, name);
  writeFileSync(out, zipSync(entries));
  return out;
}

describe('readZippedShapefile', () => {
  it.skipIf(!hasSharedData)('NAD83 / UTM 12N with an ESRI .prj: back to the source WGS 84 positions within 1 mm', async () => {
    const fc = readSharedJson('deposits', 'usgs-major-deposits-world.geojson');
    const src = new Map<string, number[]>(fc.features.map((f: any) => [String(f.properties.record_id), f.geometry.coordinates]));
    const feats = await readAll(ARIZONA);
    expect(feats).toHaveLength(38);
    let maxM = 0;
    for (const f of feats) maxM = Math.max(maxM, distanceM((f.geometry as any).coordinates, src.get(String(f.properties.record_id))!));
    console.info(`EPSG:26912 Shapefile round trip, 38 points: max ${(maxM * 1000).toExponential(2)} mm`);
    expect(maxM * 1000).toBeLessThan(1);
  });

  it.skipIf(!hasOgr)('counts equal ogrinfo (/vsizip/)', async () => {
    for (const z of [ARIZONA, PREFS]) {
      const out = execFileSync('ogrinfo', ['-ro', '-so', '-al', `/vsizip/${z}`], { encoding: 'utf8' });
      expect((await readAll(z)).length).toBe(Number(/Feature Count: (\d+)/.exec(out)![1]));
    }
  });

  it('decodes Japanese names from CP932 (.cpg) and reads JGD2011 geographic', async () => {
    const feats = await readAll(PREFS);
    expect(feats).toHaveLength(47);
    const names = feats.map((f) => f.properties.nam_ja);
    expect(names[0]).toBe('北海道');
    expect(names).toContain('東京都');
    expect(names).toContain('沖縄県');
    const tokyo = feats.find((f) => f.properties.nam_ja === '東京都')!;
    const [lng, lat] = (tokyo.geometry as any).coordinates;
    // A point on the surface of Tokyo-to (its islands reach far south; the main part is 139–140 E).
    expect(lng).toBeGreaterThan(138);
    expect(lng).toBeLessThan(143);
    expect(lat).toBeGreaterThan(20);
    expect(lat).toBeLessThan(36);
  });

  it('without .cpg, falls back on the dBASE language driver (CP932 → Shift_JIS)', async () => {
    const z = rezip(PREFS, 'no-cpg.zip', (e) => {
      delete e['prefectures_cp932.cpg'];
      e['prefectures_cp932.dbf'][29] = 0x13;
    });
    expect((await readAll(z))[0].properties.nam_ja).toBe('北海道');
  });

  it('a zip of a CSV (USGS ships MRDS as mrds-csv.zip) is refused naming the file inside to import', async () => {
    const csv = join(dir, 'mrds-csv.zip');
    writeFileSync(csv, zipSync({ 'mrds.csv': new TextEncoder().encode('dep_id,site_name,latitude,longitude\n10000001,Bagdad,34.58,-113.2\n') }));
    await expect(readAll(csv)).rejects.toThrow(/mrds-csv\.zip contains no \.shp file, but holds "mrds\.csv": unzip it and import that file \(for example: outcrop import project\.gpkg mrds\.csv\)/);
    const empty = join(dir, 'notes.zip');
    writeFileSync(empty, zipSync({ 'readme.txt': new TextEncoder().encode('field notes') }));
    await expect(readAll(empty)).rejects.toThrow(/^notes\.zip contains no \.shp file$/);
  });

  it('a zip without .prj is refused unless a CRS is given', async () => {
    await expect(readAll(NO_PRJ)).rejects.toThrow(BadInputError);
    await expect(readAll(NO_PRJ)).rejects.toThrow(/no-prj\.zip: major_deposits_az\.shp has no \.prj.*--crs/);
    expect(await readAll(NO_PRJ, { crs: 'EPSG:26912' })).toHaveLength(38);
  });

  it('a .prj with nonsense is refused, naming the .prj', async () => {
    const z = rezip(ARIZONA, 'bad-prj.zip', (e) => {
      e['major_deposits_az.prj'] = new TextEncoder().encode('PROJCS["Somewhere",WHAT[');
    });
    await expect(readAll(z)).rejects.toThrow(/bad-prj\.zip: major_deposits_az\.prj: cannot read the coordinate reference system/);
  });

  it('mismatched .shp/.dbf record counts are refused, naming both counts', async () => {
    const z = rezip(ARIZONA, 'truncated-dbf.zip', (e) => {
      const dbf = e['major_deposits_az.dbf'];
      const recordLength = dbf[10] | (dbf[11] << 8);
      e['major_deposits_az.dbf'] = dbf.subarray(0, dbf.length - 1 - 5 * recordLength);
    });
    await expect(readAll(z)).rejects.toThrow(/truncated-dbf\.zip: major_deposits_az\.shp has 38 shapes but major_deposits_az\.dbf has 33 records \(its header says 38; the file is truncated\)/);
  });

  it('several shapefiles in one zip and none chosen → BadInputError listing them', async () => {
    const prefs = unzipSync(new Uint8Array(readFileSync(PREFS)));
    const z = rezip(ARIZONA, 'two.zip', (e) => Object.assign(e, prefs));
    await expect(readAll(z)).rejects.toThrow(/two\.zip contains 2 shapefiles; choose one with --source-layer: "major_deposits_az", "prefectures_cp932"/);
    expect(await readAll(z, { layer: 'prefectures_cp932' })).toHaveLength(47);
  });

  it('the pipeline detects .zip and checks every deposit', async () => {
    let ok = 0;
    for await (const c of checkFile(ARIZONA)) if (c.ok) ok++;
    expect(ok).toBe(38);
  });
});
