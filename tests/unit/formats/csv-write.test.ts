import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Feature as GeoJsonFeature, Geometry } from 'geojson';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors';
import { readCsvFeatures } from '../../../src/formats/csv/read';
import { writeCsv } from '../../../src/formats/csv/write';
import { openTextInput } from '../../../src/formats/open-input';
import type { RawFeature, RawFeatureWithProblems } from '../../../src/formats/types';
import type { Progress } from '../../../src/task';

type Feature = GeoJsonFeature<Geometry | null>;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const IN = resolve(ROOT, 'tests', 'fixtures', 'csv', 'in');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-csv-write-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const toFeature = (f: RawFeature): Feature => ({
  type: 'Feature',
  ...(f.id !== undefined ? { id: f.id } : {}),
  geometry: f.geometry,
  properties: f.properties as Feature['properties'],
});

async function readAll(path: string): Promise<RawFeatureWithProblems[]> {
  const out: RawFeatureWithProblems[] = [];
  for await (const f of readCsvFeatures(await openTextInput(path))) out.push(f);
  return out;
}

const point = (id: string, lon: number, lat: number, properties: Record<string, unknown> = {}): Feature => ({
  type: 'Feature',
  id,
  geometry: { type: 'Point', coordinates: [lon, lat] },
  properties,
});

// A real remark (usgs-lithium-us-2019/Loc_Pt.csv), repeated to make the 300k-feature file large.
const REMARK = Array(5).fill('The North Arm and South Arm deposits are separated by the Causeway').join('; ');

function* generated(n: number, onEach?: (i: number) => void, remarks?: string): Generator<Feature> {
  for (let i = 0; i < n; i++) {
    onEach?.(i);
    yield point(`dep-${i}`, -180 + (i % 36000) / 100, -60 + (i % 12000) / 100, {
      name: `Site ${i}, "quoted"`,
      commodities: ['Li', 'Co'],
      grade_pct: i / 7,
      ...(remarks !== undefined ? { remarks } : {}),
    });
  }
}

/** The same features, as a reader gives them back: properties compared, geometry exact. */
function expectSameFeatures(got: RawFeatureWithProblems[], want: RawFeatureWithProblems[]) {
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => {
    expect({ id: g.id, geometry: g.geometry, properties: g.properties, problems: g.problems }).toEqual({
      id: want[i].id,
      geometry: want[i].geometry,
      properties: want[i].properties,
      problems: want[i].problems,
    });
  });
}

describe('writeCsv: round trips through readCsvFeatures', () => {
  it('real MinMod excerpt: write, read back, equal; quoting of a real row checked by hand', async () => {
    const original = await readAll(resolve(IN, 'minmod-excerpt.csv'));
    const out = join(dir, 'excerpt.csv');
    const { count } = await writeCsv(original.map(toFeature), out);
    expect(count).toBe(200);
    expectSameFeatures(await readAll(out), original);

    const lines = readFileSync(out, 'utf8').split('\r\n');
    expect(lines[0]).toBe(
      'id,longitude,latitude,dataset,source_id,record_id,name,aliases,site_type,site_rank,country,' +
        'state_or_province,crs,commodities,deposit_type,deposit_type_confidence,deposit_type_from,extra_json',
    );
    // big file line 25641: umn/mrdata_asbestos,https://mrdata.usgs.gov/asbestos,4,"Asbestos 2"""" occurrence",,,,,OR,-117.9093,44.5581,EPSG:4326,tremolite; ...,,,
    expect(lines).toContain(
      ',-117.9093,44.5581,umn/mrdata_asbestos,https://mrdata.usgs.gov/asbestos,4,"Asbestos 2"""" occurrence",,,,,OR,EPSG:4326,' +
        'tremolite; talc; carbonate; anthophyllite; chlorite,,,,',
    );
    expect(lines).toHaveLength(1 + 200 + 1); // header, rows, "" after the last CRLF
  });

  it('real prefecture polygons: auto chooses wkt; every coordinate comes back exactly', async () => {
    const original = await readAll(resolve(IN, 'japan-prefectures-wkt.csv'));
    const out = join(dir, 'jp.csv');
    await writeCsv(original.map(toFeature), out);
    expect(readFileSync(out, 'utf8').split('\r\n')[0]).toBe('id,wkt,nam,nam_ja,extra_json');
    expectSameFeatures(await readAll(out), original);
  });

  it('Japanese, emoji, HTML, tabs and line breaks come back verbatim', async () => {
    const original = await readAll(resolve(IN, 'unicode.csv'));
    const out = join(dir, 'u.csv');
    await writeCsv(original.map(toFeature), out);
    const back = await readAll(out);
    expectSameFeatures(back, original);
    expect(back[1].properties['備考']).toBe('⛏️ 銅 🇯🇵 👩‍🔬, "quoted", tab\there');
  });

  it('a UTF-8 BOM when asked (for Excel); it reads back the same', async () => {
    const original = await readAll(resolve(IN, 'unicode.csv'));
    const out = join(dir, 'bom.csv');
    await writeCsv(original.map(toFeature), out, { bom: true });
    expect([...readFileSync(out).subarray(0, 5)]).toEqual([0xef, 0xbb, 0xbf, 0x69, 0x64]); // BOM, "id"
    expectSameFeatures(await readAll(out), original);
  });

  it('keys without a column go to extra_json with their JSON values; names the reader would misread too', async () => {
    const features: Feature[] = [
      point('a', 143.35, 44.1333, {
        name: 'Konomai',
        lat: 'x',
        Geometry: 'shape?',
        id: 'inner',
        commodities: ['Au', 'Ag'],
        grade: { au_gpt: 5.2 },
        count: 3,
        flag: true,
        none: null,
      }),
      point('b', 140.6039, 36.6272, { name: 'Hitachi', discovered: 1905 }),
    ];
    const copy = structuredClone(features);
    const out = join(dir, 'extra.csv');
    await writeCsv(features, out, { columns: ['name', 'commodities', 'grade', 'count', 'flag', 'none', 'lat'] });
    expect(features).toEqual(copy); // not mutated
    expect(readFileSync(out, 'utf8')).toBe(
      'id,longitude,latitude,name,commodities,grade,count,flag,none,extra_json\r\n' +
        'a,143.35,44.1333,Konomai,Au; Ag,"{""au_gpt"":5.2}",3,true,,"{""lat"":""x"",""Geometry"":""shape?"",""id"":""inner""}"\r\n' +
        'b,140.6039,36.6272,Hitachi,,,,,,"{""discovered"":1905}"\r\n',
    );
    const back = await readAll(out);
    expect(back.map((f) => f.id)).toEqual(['a', 'b']);
    expect(back[0].properties).toEqual({
      name: 'Konomai',
      commodities: 'Au; Ag',
      grade: '{"au_gpt":5.2}',
      count: '3',
      flag: 'true',
      none: '',
      lat: 'x',
      Geometry: 'shape?',
      id: 'inner',
    });
    expect(back[1].properties).toEqual({ name: 'Hitachi', commodities: '', grade: '', count: '', flag: '', none: '', discovered: 1905 });
    expect(back.every((f) => f.problems!.length === 0)).toBe(true);
  });

  it('properties named as coordinate columns the reader also knows (POINT_Y, "Latitude (WGS84)", "lat (deg)") go to extra_json and read back as properties', async () => {
    const props = { name: 'Ikuno', POINT_X: '500000', POINT_Y: '3900000', 'Latitude (WGS84)': '35.17', 'lon (deg)': '134.8', 'Easting (m)': '512000' };
    const square: Feature = { type: 'Feature', id: 's', geometry: { type: 'Polygon', coordinates: [[[134, 35], [135, 35], [135, 36], [134, 35]]] }, properties: props };
    const out = join(dir, 'coordinate-names.csv');
    await writeCsv([square], out, { geometry: 'wkt' });
    // Easting (m) is no coordinate column: a column of its own; the others would be read as coordinates.
    expect(readFileSync(out, 'utf8').split('\r\n')[0]).toBe('id,wkt,name,Easting (m),extra_json');
    const back = await readAll(out);
    expect(back[0].geometry).toEqual(square.geometry);
    expect(back[0].properties).toEqual(props);
  });

  it('without `columns`, the keys of the first features make the header; later new keys go to extra_json', async () => {
    const features = [...generated(300), point('late', 1, 2, { name: 'Late', assay: '1.2 g/t' })];
    const out = join(dir, 'late.csv');
    await writeCsv(features, out);
    const text = readFileSync(out, 'utf8');
    expect(text.split('\r\n')[0]).toBe('id,longitude,latitude,name,commodities,grade_pct,extra_json');
    expect(text).toContain('\r\nlate,1,2,Late,,,"{""assay"":""1.2 g/t""}"\r\n');
    const back = await readAll(out);
    expect(back[300].properties).toEqual({ name: 'Late', commodities: '', grade_pct: '', assay: '1.2 g/t' });
    expect(back[299].properties).toEqual({ name: 'Site 299, "quoted"', commodities: 'Li; Co', grade_pct: String(299 / 7) });
  });
});

describe('writeCsv: geometry columns', () => {
  it('3-D points and mixed geometries go to WKT; 3-D points read back with z', async () => {
    const features: Feature[] = [
      { type: 'Feature', id: 'z', geometry: { type: 'Point', coordinates: [139.4208, 36.6442, 512.5] }, properties: {} },
      point('p', 140.6039, 36.6272),
    ];
    const out = join(dir, 'z.csv');
    await writeCsv(features, out);
    expect(readFileSync(out, 'utf8')).toBe('id,wkt,extra_json\r\nz,POINT Z (139.4208 36.6442 512.5),\r\np,POINT (140.6039 36.6272),\r\n');
    expect((await readAll(out)).map((f) => f.geometry)).toEqual(features.map((f) => f.geometry));
  });

  it('latlon: a null geometry is two empty cells; a later polygon stops the export with no file', async () => {
    const out = join(dir, 'mixed.csv');
    await writeCsv([point('a', 1.5, -2.25), { type: 'Feature', id: 'n', geometry: null, properties: {} }], out);
    expect(readFileSync(out, 'utf8')).toBe('id,longitude,latitude,extra_json\r\na,1.5,-2.25,\r\nn,,,\r\n');
    const back = await readAll(out);
    expect([back[1].geometry, back[1].problems]).toEqual([null, []]); // read back as a feature without a location

    const poly: Feature = {
      type: 'Feature',
      id: 'poly',
      geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] },
      properties: {},
    };
    const late = join(dir, 'late-polygon.csv');
    const err = await writeCsv([...generated(300), poly], late).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toBe(
      'feature 300 (id "poly"): "geometry": geometry is a Polygon, but this CSV has longitude/latitude columns (2-D points only); export with geometry "wkt"',
    );
    expect(readdirSync(dir)).toEqual(['mixed.csv']);
    await writeCsv([...generated(3), poly], late, { geometry: 'wkt' });
    expect((await readAll(late))[3].geometry).toEqual(poly.geometry);
  });
});

describe('writeCsv: RFC 4180 and spreadsheet safety', () => {
  const tricky: Feature = point('t-1', 0, 0, {
    comma: 'Au, Ag',
    quote: 'Project "81" Area',
    lf: 'line one\nline two',
    crlf: 'a\r\nb',
    lead: ' padded ',
    formula: '=HYPERLINK("http://x")',
    plus: '+81 3 1234',
    minus: '-12.5',
    dash: '-- note',
    at: '@SUM(A1)',
    plain: 'Konomai',
  });

  it('quotes fields with commas, quotes, line breaks or edge spaces, doubling quotes; reads back exactly', async () => {
    const out = join(dir, 'q.csv');
    await writeCsv([tricky], out);
    const header = 'id,longitude,latitude,comma,quote,lf,crlf,lead,formula,plus,minus,dash,at,plain,extra_json\r\n';
    expect(readFileSync(out, 'utf8')).toBe(
      header +
        't-1,0,0,"Au, Ag","Project ""81"" Area","line one\nline two","a\r\nb"," padded ",' +
        '"=HYPERLINK(""http://x"")",+81 3 1234,-12.5,-- note,@SUM(A1),Konomai,\r\n',
    );
    expect((await readAll(out))[0].properties).toEqual(tricky.properties);
  });

  it('excelSafe: an apostrophe before cells a spreadsheet would run as formulas (not before numbers)', async () => {
    const out = join(dir, 'safe.csv');
    await writeCsv([{ ...tricky, id: '=1+1' }], out, { excelSafe: true });
    expect(readFileSync(out, 'utf8').split('\r\n').slice(1).join('\r\n')).toBe(
      `'=1+1,0,0,"Au, Ag","Project ""81"" Area","line one\nline two","a\r\nb"," padded ",` +
        `"'=HYPERLINK(""http://x"")",'+81 3 1234,-12.5,'-- note,'@SUM(A1),Konomai,\r\n`,
    );
  });
});

describe('writeCsv: progress, cancel, errors, memory', () => {
  it('empty input writes just the header; progress every 1000 and at the end', async () => {
    const out = join(dir, 'empty.csv');
    expect(await writeCsv([], out)).toEqual({ count: 0 });
    expect(readFileSync(out, 'utf8')).toBe('id,longitude,latitude,extra_json\r\n');
    expect(await readAll(out)).toEqual([]);

    const progress: Progress[] = [];
    await writeCsv(generated(2001), join(dir, 'p.csv'), { total: 2001, onProgress: (p) => progress.push(p) });
    expect(progress).toEqual([
      { phase: 'write', done: 1000, total: 2001, unit: 'features' },
      { phase: 'write', done: 2000, total: 2001, unit: 'features' },
      { phase: 'write', done: 2001, total: 2001, unit: 'features' },
    ]);
  });

  it('cancel half way: no file at outPath, no partial file, an existing file is left as it was', async () => {
    const out = join(dir, 'cancel.csv');
    writeFileSync(out, 'previous export');
    const ac = new AbortController();
    await expect(
      writeCsv(generated(200_000, (i) => i === 100_000 && ac.abort()), out, { signal: ac.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(readdirSync(dir)).toEqual(['cancel.csv']);
    expect(readFileSync(out, 'utf8')).toBe('previous export');
    // cancelled inside the look-ahead window too
    const ac2 = new AbortController();
    await expect(writeCsv(generated(1000, (i) => i === 100 && ac2.abort()), join(dir, 'early.csv'), { signal: ac2.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(readdirSync(dir)).toEqual(['cancel.csv']);
  });

  it('closes the source when it stops early', async () => {
    let closed = false;
    function* source(): Generator<Feature> {
      try {
        yield* generated(10_000);
      } finally {
        closed = true;
      }
    }
    const bad: Feature = { type: 'Feature', geometry: { type: 'Point', coordinates: [Infinity, 0] }, properties: {} };
    const err = await writeCsv(
      (function* () {
        yield* generated(500);
        yield bad;
        yield* source();
      })(),
      join(dir, 'x.csv'),
    ).catch((e: unknown) => e);
    expect((err as Error).message).toBe('feature 500: "geometry": a coordinate must be a finite number, got Infinity');
    expect(closed).toBe(false); // never started
    const ac = new AbortController();
    await expect(writeCsv(source(), join(dir, 'y.csv'), { signal: ac.signal, onProgress: () => ac.abort() })).rejects.toThrow();
    expect(closed).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes 300k features with bounded memory', async () => {
    const out = join(dir, 'big.csv');
    const base = process.memoryUsage.rss();
    const rss: number[] = []; // one sample per 1000 features
    const t0 = performance.now();
    const { count } = await writeCsv(generated(300_000, undefined, REMARK), out, {
      onProgress: () => {
        rss.push(process.memoryUsage.rss());
      },
    });
    const ms = performance.now() - t0;
    const size = statSync(out).size;
    const mib = (n: number) => (n / 2 ** 20).toFixed(0);
    const firstHalf = Math.max(...rss.slice(0, 150));
    const secondHalf = Math.max(...rss.slice(150));
    console.log(
      `csv 300k: ${ms.toFixed(0)} ms, ${(size / 2 ** 20).toFixed(1)} MiB file, RSS ${mib(base)} MiB at start, ` +
        `peak ${mib(firstHalf)} MiB in the first 150k, ${mib(secondHalf)} MiB in the last 150k`,
    );
    // A writer that held the output (or the features) would grow by more than the file size.
    expect(size).toBeGreaterThan(96 * 2 ** 20);
    expect(Math.max(firstHalf, secondHalf) - base).toBeLessThan(64 * 2 ** 20);
    expect(count).toBe(300_000);

    // ... and read it back, streaming: growth measured 30-65 MiB (GC headroom); holding the 300k
    // features would take several hundred MiB.
    const readBase = process.memoryUsage.rss();
    let readPeak = readBase;
    let n = 0;
    let last: RawFeatureWithProblems | undefined;
    const r0 = performance.now();
    for await (const f of readCsvFeatures(await openTextInput(out))) {
      if (++n % 1000 === 0) readPeak = Math.max(readPeak, process.memoryUsage.rss());
      last = f;
    }
    console.log(`csv 300k read back: ${(performance.now() - r0).toFixed(0)} ms, RSS ${mib(readBase)} -> peak ${mib(readPeak)} MiB`);
    expect(n).toBe(300_000);
    expect(readPeak - readBase).toBeLessThan(96 * 2 ** 20);
    expect(last!.id).toBe('dep-299999');
    expect(last!.geometry).toEqual({ type: 'Point', coordinates: [-180 + 11999 / 100, -60 + 11999 / 100] });
    expect(last!.properties).toEqual({ name: 'Site 299999, "quoted"', commodities: 'Li; Co', grade_pct: String(299999 / 7), remarks: REMARK });
  });
});
