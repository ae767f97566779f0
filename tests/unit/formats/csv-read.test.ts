import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simplify } from '@turf/turf';
import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../../src/errors';
import { readCsvFeatures, type CsvReadOptions } from '../../../src/formats/csv/read';
import { openTextInput, textInput, type OpenedInput } from '../../../src/formats/open-input';
import type { RawFeatureWithProblems } from '../../../src/formats/types';
import type { Progress } from '../../../src/task';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const IN = resolve(ROOT, 'tests', 'fixtures', 'csv', 'in');
const OUT = resolve(ROOT, 'tests', 'fixtures', 'csv', 'out');
const SHARED = process.env.OUTCROP_SHARED_DATA ?? resolve(ROOT, '..', 'shared', 'data');
const MINMOD = resolve(SHARED, 'deposits', 'minmod-mineral-sites-located.csv.gz');
const LITHIUM = resolve(SHARED, 'deposits', 'usgs-lithium-us-2019');

async function readAll(input: OpenedInput | string, opts?: CsvReadOptions): Promise<RawFeatureWithProblems[]> {
  const opened = typeof input === 'string' ? await openTextInput(input) : input;
  const out: RawFeatureWithProblems[] = [];
  for await (const f of readCsvFeatures(opened, opts)) out.push(f);
  return out;
}

/** Read until the reader throws; return what came before and the error. */
async function readUntilError(input: OpenedInput | string, opts?: CsvReadOptions) {
  const opened = typeof input === 'string' ? await openTextInput(input) : input;
  const before: RawFeatureWithProblems[] = [];
  try {
    for await (const f of readCsvFeatures(opened, opts)) before.push(f);
  } catch (error) {
    return { before, error: error as Error };
  }
  throw new Error('expected the reader to throw');
}

const coords = (f: RawFeatureWithProblems) => (f.geometry as Point).coordinates;
const messages = (f: RawFeatureWithProblems) => (f.problems ?? []).map((p) => p.message);

interface Expected {
  index: number;
  line: number;
  lon: number;
  lat: number;
  properties: Record<string, string>;
}

describe('readCsvFeatures on the real MinMod file (110,459 rows, gzipped)', () => {
  it('reads every row, spot-checks two rows read with zcat/grep, reports progress every 1000 rows', async () => {
    const progress: Progress[] = [];
    const t0 = performance.now();
    let count = 0;
    let withProblems = 0;
    const spot = new Map<number, RawFeatureWithProblems>();
    let last: RawFeatureWithProblems | undefined;
    const rssBase = process.memoryUsage.rss();
    let rssPeak = rssBase;
    const onProgress = (p: Progress) => progress.push(p);
    for await (const f of readCsvFeatures(await openTextInput(MINMOD, { onProgress }), { onProgress })) {
      count++;
      if (f.problems?.length) withProblems++;
      if (f.geometry?.type !== 'Point') throw new Error(`row ${f.index} has no point`);
      if (f.index === 27150 || f.index === 25639) spot.set(f.index, f);
      if (count % 10000 === 0) rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
      last = f;
    }
    const ms = performance.now() - t0;
    const mib = (n: number) => (n / 2 ** 20).toFixed(0);
    console.log(`minmod: ${count} rows in ${ms.toFixed(0)} ms, RSS ${mib(rssBase)} MiB at start, peak ${mib(rssPeak)} MiB`);
    // Holding all 110k features measured about 115 MiB of growth; streaming about 50 (mostly GC
    // headroom). The 300k-row read in csv-write.test.ts checks the bound more sharply.
    expect(rssPeak - rssBase).toBeLessThan(96 * 2 ** 20);

    expect(count).toBe(110459);
    expect(withProblems).toBe(0);
    // zcat ... | sed -n 27152p  (data row 27150 = file line 27152):
    // umn/mrdata_major_deposits,https://mrdata.usgs.gov/major-deposits,291,Hitachi,,,,Japan,,140.6039,36.6272,EPSG:4326,Cu,Hydrothermal,1,record
    const hitachi = spot.get(27150)!;
    expect(hitachi.line).toBe(27152);
    expect(coords(hitachi)).toEqual([140.6039, 36.6272]);
    expect(hitachi.properties).toEqual({
      dataset: 'umn/mrdata_major_deposits',
      source_id: 'https://mrdata.usgs.gov/major-deposits',
      record_id: '291',
      name: 'Hitachi',
      aliases: '',
      site_type: '',
      site_rank: '',
      country: 'Japan',
      state_or_province: '',
      crs: 'EPSG:4326',
      commodities: 'Cu',
      deposit_type: 'Hydrothermal',
      deposit_type_confidence: '1',
      deposit_type_from: 'record',
    });
    // zcat ... | grep -n 'Asbestos 2' -> line 25641: ...,4,"Asbestos 2"""" occurrence",,,,,OR,-117.9093,44.5581,EPSG:4326,...
    const asbestos = spot.get(25639)!;
    expect(asbestos.line).toBe(25641);
    expect(asbestos.properties.name).toBe('Asbestos 2"" occurrence');
    expect(asbestos.properties.state_or_province).toBe('OR');
    expect(coords(asbestos)).toEqual([-117.9093, 44.5581]);
    // tail -1: ...,crystal-graphite,Crystal Graphite,,,,United States,,-112.5053,45.10259,,,,,
    expect(last!.index).toBe(110458);
    expect(last!.properties.name).toBe('Crystal Graphite');
    expect(coords(last!)).toEqual([-112.5053, 45.10259]);

    const rows = progress.filter((p) => p.unit === 'rows');
    expect(rows.every((p) => p.phase === 'read')).toBe(true);
    expect(rows.map((p) => p.done)).toEqual([...Array.from({ length: 110 }, (_, i) => (i + 1) * 1000), 110459]);
    expect(progress.some((p) => p.unit === 'bytes')).toBe(true); // from openTextInput
  });

  it('stops reading and closes the file when aborted between rows', async () => {
    const ac = new AbortController();
    const input = await openTextInput(MINMOD, { signal: ac.signal });
    let n = 0;
    const run = async () => {
      for await (const _ of readCsvFeatures(input, { signal: ac.signal })) {
        if (++n === 5) ac.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ name: 'AbortError' });
    expect(n).toBe(5);
    expect(input.stream.destroyed).toBe(true);
  });

  it('closes the file when the caller stops early', async () => {
    const input = await openTextInput(MINMOD);
    let n = 0;
    for await (const _ of readCsvFeatures(input)) if (++n === 3) break;
    expect(input.stream.destroyed).toBe(true);
  });
});

describe('readCsvFeatures on real excerpts (expected values from Python csv, see scripts/fixtures)', () => {
  it('minmod-excerpt.csv: 200 rows incl. Japan, quotes and odd characters match the Python reading', async () => {
    const expected = JSON.parse(readFileSync(resolve(OUT, 'minmod-excerpt.json'), 'utf8')) as Expected[];
    const got = await readAll(resolve(IN, 'minmod-excerpt.csv'));
    expect(got).toHaveLength(200);
    expect(expected).toHaveLength(200);
    got.forEach((f, i) => {
      const e = expected[i];
      expect({ index: f.index, line: f.line, coordinates: coords(f), properties: f.properties, problems: f.problems }).toEqual({
        index: e.index,
        line: e.line,
        coordinates: [e.lon, e.lat],
        properties: e.properties,
        problems: [],
      });
    });
    // a few by eye, straight from the file
    const byName = (n: string) => got.find((f) => f.properties.name === n)!;
    expect(coords(byName('Konomai'))).toEqual([143.35, 44.1333]);
    expect(byName('Konomai').properties.country).toBe('Japan');
    expect(byName('Springer Mine Property').properties.deposit_type).toBe('Skarn tungsten "+ Mo');
    expect(byName('Mountain King, Mountain Queen').properties.commodities).toBe('Gold; Silver; Lead');
    expect(got.some((f) => f.properties.name === 'Project “81" Area')).toBe(true);
  });

  it('mrds-california-style.csv: the 46 USGS MRDS columns, latitude before longitude', async () => {
    const expected = JSON.parse(readFileSync(resolve(OUT, 'mrds-california-style.json'), 'utf8')) as Expected[];
    const got = await readAll(resolve(IN, 'mrds-california-style.csv'));
    expect(got).toHaveLength(8);
    got.forEach((f, i) => {
      expect(coords(f)).toEqual([expected[i].lon, expected[i].lat]);
      expect(f.properties).toEqual(expected[i].properties);
      expect(Object.keys(f.properties)).toHaveLength(44);
      expect(f.id).toBeUndefined(); // dep_id is not "id"
    });
    // MinMod umn/usgs_mrds_california record 18383 (big file): "Mountain King, Mountain Queen",-120.66071,38.4068
    const mk = got.find((f) => f.properties.dep_id === '18383')!;
    expect(coords(mk)).toEqual([-120.66071, 38.4068]);
    expect(mk.properties.site_name).toBe('Mountain King, Mountain Queen');
    expect(mk.properties.commod1).toBe('Gold, Silver, Lead');
    expect(mk.properties.dev_stat).toBe('');
  });

  it('USGS lithium Loc_Pt.csv: Lat_WGS84/Long_WGS84, not the "Shape *" column', async () => {
    const got = await readAll(resolve(LITHIUM, 'Loc_Pt.csv'));
    expect(got).toHaveLength(61);
    expect(got.every((f) => f.geometry?.type === 'Point' && f.problems!.length === 0)).toBe(true);
    // head -2 Loc_Pt.csv
    expect(coords(got[0])).toEqual([-92.6481, 33.12798]);
    expect(got[0].properties['Ftr_Name']).toBe('Smackover-Lanxess, BSW-4S');
    expect(got[0].properties['Shape *']).toBe('Point');
    expect(got[0].properties['Poly_Def']).toBe('<Null>');
    expect(got[0].properties).not.toHaveProperty('Lat_WGS84');
    expect(got[0].properties).not.toHaveProperty('Long_WGS84');
    // tail -1 Loc_Pt.csv
    expect(coords(got[60])).toEqual([-112.395923, 41.024278]);
    expect(got[60].properties['County']).toBe('Box Elder; Davis; Salt Lake; Tooele; Weber');
  });

  it('USGS lithium Site.csv: Approx_Lon/Approx_Lat', async () => {
    const got = await readAll(resolve(LITHIUM, 'Site.csv'));
    expect(got).toHaveLength(21);
    expect(coords(got[0])).toEqual([-92.7791, 33.1686]);
    expect(got[0].properties['Site_ID *']).toBe('AR00002');
    expect(coords(got[20])).toEqual([-112.799109, 41.402712]);
    expect(got[20].properties['Site_Name']).toBe('Great Salt Lake');
  });

  it('japan-prefectures-wkt.csv: WKT polygons equal the turf.simplify of the source prefectures', async () => {
    const source = JSON.parse(
      readFileSync(resolve(SHARED, 'polygons', 'japan-prefectures.geojson'), 'utf8'),
    ) as FeatureCollection<Polygon | MultiPolygon>;
    const got = await readAll(resolve(IN, 'japan-prefectures-wkt.csv'));
    expect(got.map((f) => f.id)).toEqual(['9', '13', '14', '25', '29']);
    expect(got.map((f) => f.geometry?.type)).toEqual(['Polygon', 'MultiPolygon', 'MultiPolygon', 'Polygon', 'Polygon']);
    for (const f of got) {
      const src = source.features.find((s) => String(s.properties!.id) === f.id)!;
      const want = simplify(src, { tolerance: 0.01, highQuality: false }).geometry;
      expect(f.geometry).toEqual(want);
      expect(f.properties).toEqual({ nam: src.properties!.nam, nam_ja: src.properties!.nam_ja });
      expect(f.problems).toEqual([]);
    }
    expect(got[1].properties.nam_ja).toBe('東京都');
  });
});

describe('readCsvFeatures: file-level errors name file, line and column', () => {
  it('a quote never closed: rows before it are read, then BadInputError at the line where it opens', async () => {
    const { before, error } = await readUntilError(resolve(IN, 'unclosed-quote.csv'));
    expect(before.map((f) => f.properties.name)).toEqual(['Konomai', 'Hitachi']);
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.message).toBe(
      'unclosed-quote.csv: line 4: "name": a quoted field is never closed: a " opens a field here and no closing " follows before the end of the file',
    );
  });

  it('a stray quote in a large file stops at maxRecordBytes, naming the line (812)', async () => {
    const rows = ['name,longitude,latitude'];
    for (let i = 0; i < 5000; i++) rows.push(`${i === 810 ? '"' : ''}site ${i},140.${i},36.5`);
    const { before, error } = await readUntilError(textInput(rows.join('\n'), 'big.csv'), { maxRecordBytes: 64 * 1024 });
    // Rows parsed in the same chunk as the error are dropped with it; never any after it.
    expect(before.length).toBeLessThanOrEqual(810);
    expect(before.every((f, i) => f.properties.name === `site ${i}`)).toBe(true);
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.message).toMatch(/^big\.csv: line 812: "name": the record starting here is too long; usually a quote that is never closed/);
  });

  it('no geometry columns: lists the header and the accepted names', async () => {
    const { error } = await readUntilError(resolve(IN, 'no-geometry-columns.csv'));
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as BadInputError).code).toBe('BAD_INPUT');
    expect(error.message).toMatch(/^no-geometry-columns\.csv: line 1: no geometry columns: the header has "dataset", "name", "country", "commodities"; /);
    for (const name of ['"longitude"', '"lon"', '"long_wgs84"', '"経度"', '"latitude"', '"緯度"', '"approx_lat"', '"wkt"', '"the_geom"']) {
      expect(error.message).toContain(name);
    }
  });

  it('a longitude column without a latitude column', async () => {
    const { error } = await readUntilError(textInput('name,lng\nKonomai,143.35\n', 'half.csv'));
    expect(error.message).toMatch(/^half\.csv: line 1: found longitude column "lng" but no latitude column/);
  });

  it('a named column that is not in the header', async () => {
    const { error } = await readUntilError(textInput('E,N\n143.35,44.1333\n', 'named.csv'), { lon: 'E', lat: 'North' });
    expect(error.message).toBe('named.csv: line 1: column "North" (given for latitude) is not in the header; the header has "E", "N"');
  });

  it('an empty file; a header-only file gives no features', async () => {
    const { error } = await readUntilError(resolve(IN, 'empty.csv'));
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.message).toBe('empty.csv is empty: expected a header line naming the columns');
    const progress: Progress[] = [];
    expect(await readAll(resolve(IN, 'header-only.csv'), { onProgress: (p) => progress.push(p) })).toEqual([]);
    expect(progress.filter((p) => p.unit === 'rows')).toEqual([{ phase: 'read', done: 0, unit: 'rows' }]);
  });
});

/** The text as a stream of `size`-character chunks, as a file is read. */
function chunkedInput(text: string, name: string, size: number): OpenedInput {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return { stream: Readable.from(chunks, { objectMode: true }), name, sizeBytes: Buffer.byteLength(text), gzipped: false };
}

describe('readCsvFeatures: records split across chunks', () => {
  it('a 3 MB quoted cell with line breaks, read in 64 KiB chunks: exact text, exact lines after it', async () => {
    const big = Array.from({ length: 60_000 }, (_, i) => `note ${i}, "quoted" part`).join('\n');
    const cell = `"${big.replace(/"/g, '""')}"`;
    const text = `name,notes,longitude,latitude\nKonomai,short,143.35,44.13\nHitachi,${cell},140.65,36.6\nIkuno,after,134.8,35.17\n`;
    const t0 = performance.now();
    const got = await readAll(chunkedInput(text, 'long-cell.csv', 64 * 1024));
    expect(got.map((f) => f.properties.name)).toEqual(['Konomai', 'Hitachi', 'Ikuno']);
    expect(got[1].properties.notes).toBe(big);
    expect(got.map((f) => f.line)).toEqual([2, 3, 3 + 60_000]);
    // Re-parsing the open record on every chunk would take minutes (O(n²)); this is O(n).
    expect(performance.now() - t0).toBeLessThan(20_000);
  });

  it('CRLF split between chunks and old-Mac CR line breaks are both one line break', async () => {
    const crlf = 'name,longitude,latitude\r\nA,140.1,36.1\r\nB,140.2,36.2\r\nC,140.3,36.3\r\n';
    const got = await readAll(chunkedInput(crlf, 'crlf.csv', 5));
    expect(got.map((f) => [f.properties.name, f.line, coords(f)])).toEqual([
      ['A', 2, [140.1, 36.1]],
      ['B', 3, [140.2, 36.2]],
      ['C', 4, [140.3, 36.3]],
    ]);
    const cr = await readAll(textInput('name,longitude,latitude\rA,140.1,36.1\r\rB,140.2,36.2', 'cr.csv'));
    expect(cr.map((f) => [f.properties.name, f.line])).toEqual([
      ['A', 2],
      ['B', 4],
    ]);
  });

  it('a quoted last cell whose CRLF a chunk splits (as in an export with extra_json) is not a bad closing quote', async () => {
    const text = 'name,longitude,latitude,extra_json\r\nA,140.1,36.1,"{""crs_source"":""EPSG:4267""}"\r\nB,140.2,36.2,"{""k"":""v""}"\r\n';
    // Every chunk ends with a "\r" whose "\n" starts the next one.
    const chunks = text.split(/(?<=\r)/);
    expect(chunks.length).toBe(4);
    const input: OpenedInput = { stream: Readable.from(chunks, { objectMode: true }), name: 'split.csv', sizeBytes: text.length, gzipped: false };
    const got = await readAll(input);
    expect(got.map((f) => [f.properties.name, f.line, coords(f), f.properties.crs_source ?? f.properties.k, f.problems])).toEqual([
      ['A', 2, [140.1, 36.1], 'EPSG:4267', []],
      ['B', 3, [140.2, 36.2], 'v', []],
    ]);
  });

  it('a CRLF header wider than a parse piece (1,100 assay columns, ~20K chars) and one whose CR ends a piece', async () => {
    const assays = Array.from({ length: 1100 }, (_, i) => `assay_element_${i}`);
    const wide = ['name', 'longitude', 'latitude', ...assays].join(',');
    const row = (name: string, lon: number) => [name, lon, 36.5, ...assays.map((_, i) => i)].join(',');
    const text = [wide, row('A', 140.1), row('B', 140.2)].join('\r\n') + '\r\n';
    const got = await readAll(textInput(text, 'wide.csv'));
    expect(got.map((f) => [f.properties.name, f.line, coords(f)])).toEqual([
      ['A', 2, [140.1, 36.5]],
      ['B', 3, [140.2, 36.5]],
    ]);
    // No "\r" left on the last column's name or value.
    expect(got[0].properties.assay_element_1099).toBe('1099');
    // A header of exactly 16,383 characters: its "\r" is the last of the first piece, its "\n" the first of the next.
    let header = 'name,longitude,latitude,';
    header += 'x'.repeat(16_383 - header.length);
    const edge = await readAll(textInput(`${header}\r\nA,140.1,36.1,3\r\nB,140.2,36.2,6\r\n`, 'edge.csv'));
    expect(edge.map((f) => [f.properties.name, f.line, coords(f)])).toEqual([
      ['A', 2, [140.1, 36.1]],
      ['B', 3, [140.2, 36.2]],
    ]);
  });

  it('a closing quote followed by more text stops the read at that record, naming line and column', async () => {
    const text = 'name,longitude,latitude\nKonomai,143.35,44.13\n"Hitachi" mine,140.65,36.6\nIkuno,134.8,35.17\n';
    const { before, error } = await readUntilError(textInput(text, 'bad-quote.csv'));
    expect(before.map((f) => f.properties.name)).toEqual(['Konomai']);
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.message).toMatch(/^bad-quote\.csv: line 3: "name": a quoted field is closed and then followed by more text/);
  });

  it('a quote never closed far into a chunked file: the line where it opens, every row before it', async () => {
    const rows = ['name,longitude,latitude'];
    for (let i = 0; i < 3000; i++) rows.push(`site ${i},140.${i},36.5`);
    rows.push('"Open,140.9,36.9', 'next,140.8,36.8');
    const { before, error } = await readUntilError(chunkedInput(rows.join('\n'), 'open.csv', 4096));
    expect(before).toHaveLength(3000);
    expect(error.message).toMatch(/^open\.csv: line 3002: "name": a quoted field is never closed/);
  });
});

describe('readCsvFeatures: row problems do not stop the read', () => {
  it('ragged rows: a problem with line and counts; extra values kept, missing columns left out', async () => {
    const got = await readAll(resolve(IN, 'ragged-row.csv'));
    expect(got).toHaveLength(4);
    expect(got[0].problems).toEqual([]);
    // "Hitachi, Ibaraki" unquoted: 17 fields, everything after the name shifts one column right
    expect(got[1].line).toBe(3);
    expect(got[1].problems![0]).toMatchObject({
      file: 'ragged-row.csv',
      featureIndex: 1,
      line: 3,
      message: 'expected 16 fields as in the header, found 17; the extra values are kept as "column_17"',
    });
    expect(got[1].properties.name).toBe('Hitachi');
    expect(got[1].properties.aliases).toBe(' Ibaraki');
    expect(got[1].properties.column_17).toBe('record');
    expect(got[1].geometry).toBeNull(); // the longitude cell is now the empty state_or_province
    expect(got[1].problems![1]).toMatchObject({ field: 'longitude', line: 3, message: 'no longitude: the cell is empty' });
    // Ikuno without its last two fields
    expect(got[2].problems).toMatchObject([
      {
        file: 'ragged-row.csv',
        featureIndex: 2,
        line: 4,
        message:
          'expected 16 fields as in the header, found 14; the missing columns ("deposit_type_confidence", "deposit_type_from") are left out',
      },
    ]);
    expect(coords(got[2])).toEqual([134.8256, 35.1689]);
    expect(got[2].properties).not.toHaveProperty('deposit_type_from');
    expect(got[3].problems).toEqual([]);
  });

  it('decimal commas (semicolon-delimited export): a problem per coordinate, no geometry', async () => {
    const got = await readAll(resolve(IN, 'decimal-comma.csv'));
    expect(got).toHaveLength(2);
    expect(got[0].geometry).toBeNull();
    expect(got[0].problems!.map((p) => [p.field, p.message])).toEqual([
      ['longitude', 'longitude "143,35" uses a decimal comma; expected a decimal point, e.g. 143.35'],
      ['latitude', 'latitude "44,1333" uses a decimal comma; expected a decimal point, e.g. 44.1333'],
    ]);
    expect(got[0].properties).toEqual({ name: 'Konomai', country: 'Japan', commodities: 'Au, Ag' });
    expect(coords(got[1])).toEqual([140.6039, 36.6272]);
  });

  it('missing coordinates: null geometry with "no coordinates" / "no latitude"', async () => {
    const got = await readAll(resolve(IN, 'missing-coords.csv'));
    expect(got.map((f) => f.geometry && coords(f))).toEqual([null, null, [134.8256, 35.1689]]);
    expect(got[0].problems).toMatchObject([
      {
        file: 'missing-coords.csv',
        featureIndex: 0,
        line: 2,
        field: 'longitude',
        message: 'no coordinates: "longitude" and "latitude" are empty (only an Outcrop CSV export, with its extra_json column, may hold rows without a location)',
      },
    ]);
    expect(got[1].problems!.map((p) => [p.field, p.message])).toEqual([['latitude', 'no latitude: the cell is empty']]);
    expect(got[2].problems).toEqual([]);
  });

  it('bad WKT: a problem naming the column and row; good rows still parse', async () => {
    const got = await readAll(resolve(IN, 'bad-wkt.csv'));
    const byId = Object.fromEntries(got.map((f) => [f.id, f]));
    expect(got).toHaveLength(9);
    expect(byId.konomai.geometry).toEqual({ type: 'Point', coordinates: [143.35, 44.1333] });
    expect(byId.hitachi.geometry).toEqual({ type: 'Point', coordinates: [140.6039, 36.6272] }); // lower-case keyword
    expect(byId.route.geometry).toEqual({ type: 'LineString', coordinates: [[139.4208, 36.6442], [140.6039, 36.6272]] });
    expect(byId.ewkt.geometry).toEqual({ type: 'Point', coordinates: [139.4208, 36.6442] });
    for (const id of ['konomai', 'hitachi', 'route', 'ewkt']) expect(byId[id].problems).toEqual([]);

    expect(byId.broken.geometry).toBeNull();
    expect(byId.broken.problems).toMatchObject([
      {
        file: 'bad-wkt.csv',
        featureIndex: 3,
        featureId: 'broken',
        line: 5,
        field: 'wkt',
        message: 'not valid WKT: the text ends too early in "POLYGON ((139 35, 140 35, 140 36"',
      },
    ]);
    expect(messages(byId.collection)).toEqual([
      'GeometryCollection is not supported; expected one of Point, MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon',
    ]);
    expect(messages(byId.blank)).toEqual(['no geometry: "wkt" is empty (only an Outcrop CSV export, with its extra_json column, may hold rows without a location)']);
    expect(messages(byId['tokyo-datum'])).toEqual(['SRID 4301 is not supported; expected WGS 84 lon/lat (SRID=4326 or no SRID)']);
    expect(messages(byId.words)[0]).toMatch(/^not valid WKT: unexpected text in "near Ashio"$/);
    // the id column became the feature id and left the properties
    expect(byId.route.properties).toEqual({ name: 'Ashio to Hitachi' });
  });

  it('degree-minute-second coordinates (values worked by hand)', async () => {
    const got = await readAll(resolve(IN, 'dms.csv'));
    const c = got.map((f) => (f.geometry ? coords(f) : null));
    // 44°07'59.9"N = 44 + 7/60 + 59.9/3600 = 44.13330556; 143°21'00"E = 143.35
    expect(c[0]![0]).toBeCloseTo(143.35, 9);
    expect(c[0]![1]).toBeCloseTo(44.13330556, 7);
    // 36°37'37.9"N = 36.62719444; 140°36'14"E = 140.60388889
    expect(c[1]![0]).toBeCloseTo(140.60388889, 7);
    expect(c[1]![1]).toBeCloseTo(36.62719444, 7);
    // N 35° 10.134' = 35.1689; E 134° 49.536' = 134.8256
    expect(c[2]![0]).toBeCloseTo(134.8256, 9);
    expect(c[2]![1]).toBeCloseTo(35.1689, 9);
    // 22°27'00.36" S = -22.4501; 68°55'45.84"W = -68.9294 (MinMod "Arrieros Project")
    expect(c[3]![0]).toBeCloseTo(-68.9294, 9);
    expect(c[3]![1]).toBeCloseTo(-22.4501, 9);
    expect(c[4]![0]).toBeCloseTo(-68.9294, 9);
    expect(c[4]![1]).toBeCloseTo(-22.4501, 9);
    expect(got.slice(0, 5).every((f) => f.problems!.length === 0)).toBe(true);
    expect(c[5]).toBeNull();
    expect(messages(got[5])).toEqual([`latitude "36°75'00\\"N": minutes must be below 60, got 75`]);
    expect(c[6]).toBeNull();
    expect(messages(got[6])).toEqual([
      `longitude "36°37'37.9\\"N": hemisphere "N" does not belong to a longitude (expected E or W)`,
      `latitude "140°36'14\\"E": hemisphere "E" does not belong to a latitude (expected N or S)`,
    ]);
  });
});

describe('readCsvFeatures: delimiters, line ends, encodings', () => {
  it('semicolon-delimited: detected from the header; commas stay inside values', async () => {
    const got = await readAll(resolve(IN, 'semicolon.csv'));
    expect(got.map((f) => f.properties)).toEqual([
      { record_id: '299', name: 'Konomai', country: 'Japan', commodities: 'Au, Ag' },
      { record_id: '291', name: 'Hitachi', country: 'Japan', commodities: 'Cu' },
      { record_id: '310', name: 'Ikuno; Hyogo', country: 'Japan', commodities: 'Ag, Au, Cu' },
    ]);
    expect(coords(got[2])).toEqual([134.8256, 35.1689]);
  });

  it('tab-delimited (.tsv), detected; and an explicit delimiter option', async () => {
    const got = await readAll(resolve(IN, 'tab-delimited.tsv'));
    expect(got.map(coords)).toEqual([
      [-92.7791, 33.1686],
      [-112.799109, 41.402712],
    ]);
    expect(got[1].properties).toEqual({
      'Site_ID *': 'UT00001',
      Site_Name: 'Great Salt Lake',
      Commodity: 'lithium; magnesium; salt; chlorine; sulfate of potash',
    });
    // forced comma: the whole header is one column, so no geometry columns
    const { error } = await readUntilError(resolve(IN, 'tab-delimited.tsv'), { delimiter: ',' });
    expect(error.message).toMatch(/no geometry columns/);
    expect(await readAll(resolve(IN, 'tab-delimited.tsv'), { delimiter: 'tab' })).toHaveLength(2);
  });

  it('pipe-delimited: detected from the header; an undetected delimiter is named in the error with the option to give it', async () => {
    const got = await readAll(textInput('name|lat|lon|note\nA|35.2|139.1|Au, Ag; "old" adit\n', 'pipe.csv'));
    expect(got.map((f) => [coords(f), f.properties])).toEqual([[[139.1, 35.2], { name: 'A', note: 'Au, Ag; "old" adit' }]]);
    // A comma file with a pipe in a cell of its header is still a comma file.
    const comma = await readAll(textInput('name,lat,lon,Li|Co\nA,35.2,139.1,x\n', 'comma.csv'));
    expect(comma[0].properties).toEqual({ name: 'A', 'Li|Co': 'x' });
    // Colons are not detected: the header is one column, and the error says what to do.
    const colon = await readUntilError(textInput('name:lat:lon\nA:35.2:139.1\n', 'colon.csv'));
    expect(colon.error).toBeInstanceOf(BadInputError);
    expect(colon.error.message).toBe(
      'colon.csv: line 1: no geometry columns: split at ",", the header is one column, "name:lat:lon"; its fields look separated by ":": give the delimiter with the delimiter option (--delimiter ":")',
    );
    // A tab file read with a wrong delimiter given: the tab is named.
    const tab = await readUntilError(textInput('name\tlat\tlon\nA\t35.2\t139.1\n', 'tab.csv'), { delimiter: ';' });
    expect(tab.error.message).toMatch(/split at ";", the header is one column, .*separated by tab: give the delimiter with the delimiter option \(--delimiter "tab"\)$/);
    // One column that no delimiter would give geometry columns: the usual message listing the names.
    for (const header of ['name', 'Site Name', 'name:notes']) {
      const { error } = await readUntilError(textInput(`${header}\nA\n`, 'one.csv'));
      expect(error.message, header).toMatch(/^one\.csv: line 1: no geometry columns: the header has "[^"]*"; expected a longitude column/);
    }
  });

  it('CRLF with a BOM: BOM stripped from the first column name, CRLF inside a quoted cell kept, lines counted', async () => {
    const got = await readAll(resolve(IN, 'crlf-bom.csv'));
    expect(got).toHaveLength(2);
    expect(coords(got[0])).toEqual([-92.6481, 33.12798]);
    expect(got[0].line).toBe(2);
    expect(got[0].properties).toEqual({
      Ftr_Name: 'Smackover-Lanxess, BSW-4S',
      Remarks: 'Location coordinates provided by a online database\r\nThe North Arm and South Arm deposits are separated by the Causeway',
    });
    expect(got[1].line).toBe(5); // record 1 spans lines 2-3, line 4 is empty
    expect(got[1].properties.Remarks).toBe('Page 90, Figure 39 "Whelan and Petersen (1976)"');
  });

  it('Japanese, emoji and HTML strings come through verbatim; 経度/緯度 headers are geometry', async () => {
    const got = await readAll(resolve(IN, 'unicode.csv'));
    expect(got.map(coords)).toEqual([
      [143.35, 44.1333],
      [140.6039, 36.6272],
      [134.8256, 35.1689],
      [139.4208, 36.6442],
    ]);
    expect(got.map((f) => f.properties)).toEqual([
      { 名前: 'Konomai 鴻之舞', 備考: '<b>Au</b> &amp; Ag — 金・銀' },
      { 名前: 'Hitachi 日立', 備考: '⛏️ 銅 🇯🇵 👩‍🔬, "quoted", tab\there' },
      { 名前: 'Ikuno 生野', 備考: '<script>alert("x")</script>' },
      { 名前: 'Ashio 足尾', 備考: 'line one\nline two ＆ 全角' },
    ]);
    expect(got.map((f) => f.line)).toEqual([2, 3, 4, 5]);
  });

  it('lines of records after multi-line cells, with CRLF inside quotes in an LF file', async () => {
    const text = 'id,lon,lat,note\n1,1,2,"a\r\nb\nc"\n\n\n2,3,4,x\n3,5,6,"""q"""\n';
    const got = await readAll(textInput(text, 'lines.csv'));
    expect(got.map((f) => [f.id, f.line])).toEqual([
      ['1', 2],
      ['2', 7],
      ['3', 8],
    ]);
    expect(got[0].properties.note).toBe('a\r\nb\nc');
    expect(got[2].properties.note).toBe('"q"');
  });
});

describe('readCsvFeatures: columns', () => {
  it('explicit lon/lat names; explicit wkt wins over lon/lat columns', async () => {
    const got = await readAll(textInput('E,N,name\n143.35,44.1333,Konomai\n', 'en.csv'), { lon: 'E', lat: 'n' });
    expect(got[0].geometry).toEqual({ type: 'Point', coordinates: [143.35, 44.1333] });
    expect(got[0].properties).toEqual({ name: 'Konomai' });
    const w = await readAll(textInput('lon,lat,shape\n1,2,POINT (143.35 44.1333)\n', 'w.csv'), { wkt: 'shape' });
    expect(w[0].geometry).toEqual({ type: 'Point', coordinates: [143.35, 44.1333] });
    expect(w[0].properties).toEqual({ lon: '1', lat: '2' });
  });

  it('lon/lat preferred over a WKT column; header matched ignoring case and spaces', async () => {
    const got = await readAll(textInput(' LONGITUDE ,Latitude,WKT\n143.35,44.1333,POINT (1 2)\n', 'pref.csv'));
    expect(got[0].geometry).toEqual({ type: 'Point', coordinates: [143.35, 44.1333] });
    expect(got[0].properties).toEqual({ WKT: 'POINT (1 2)' });
  });

  it('GBIF/Darwin Core decimalLongitude/decimalLatitude and *_dd headers are geometry', async () => {
    for (const [lon, lat] of [['decimalLongitude', 'decimalLatitude'], ['lon_dd', 'lat_dd'], ['Longitude_DD', 'Latitude_DD']]) {
      const got = await readAll(textInput(`gbifID,${lat},${lon},scientificName\n4011,36.57,137.47,Stibnite\n`, 'gbif.csv'));
      expect(got[0].geometry, lon).toEqual({ type: 'Point', coordinates: [137.47, 36.57] });
      expect(got[0].properties, lon).toEqual({ gbifID: '4011', scientificName: 'Stibnite' });
    }
  });

  it('ArcGIS POINT_X/POINT_Y, and names with a WGS 84 or degrees suffix ("Latitude (WGS84)", "lon (deg)"), are geometry', async () => {
    const cases = [
      ['POINT_X', 'POINT_Y'],
      ['Longitude (WGS84)', 'Latitude (WGS84)'],
      ['lon (deg)', 'lat (deg)'],
      ['LONG [DD]', 'LAT [DD]'],
      ['Longitude (decimal degrees)', 'Latitude (WGS 84)'],
    ];
    for (const [lon, lat] of cases) {
      const got = await readAll(textInput(`name,${lat},${lon}\nA,35.2,139.1\n`, 'named.csv'));
      expect(got[0].geometry, lon).toEqual({ type: 'Point', coordinates: [139.1, 35.2] });
      expect(got[0].properties, lon).toEqual({ name: 'A' });
    }
    // Other units and datums are not WGS 84 degrees: not taken for longitude and latitude.
    for (const header of ['Easting (m),Northing (m)', '経度 (JGD2011),緯度 (JGD2011)', 'x (ft),y (ft)']) {
      const { error } = await readUntilError(textInput(`name,${header}\nA,139.1,35.2\n`, 'units.csv'));
      expect(error.message, header).toMatch(/no geometry columns/);
    }
    // A plain name wins over the same name with a suffix, which stays a property.
    const both = await readAll(textInput('latitude (wgs84),latitude,longitude\n1,35.2,139.1\n', 'both.csv'));
    expect(coords(both[0])).toEqual([139.1, 35.2]);
    expect(both[0].properties).toEqual({ 'latitude (wgs84)': '1' });
    // Named with the lat option, as the header has it or without its suffix.
    const named = await readAll(textInput('name,Lat (WGS84),Lon (WGS84),y\nA,35.2,139.1,9\n', 'opt.csv'), { lat: 'lat', lon: 'Lon (WGS84)' });
    expect(coords(named[0])).toEqual([139.1, 35.2]);
  });

  it('a column named __proto__ is kept as a property like any other (also from extra_json)', async () => {
    const got = await readAll(textInput('name,lat,lon,__proto__,constructor,extra_json\nA,1,2,x,y,"{""toString"":""t""}"\n', 'proto.csv'));
    const props = got[0].properties;
    expect(Object.keys(props)).toEqual(['name', '__proto__', 'constructor', 'toString']);
    expect(Object.getOwnPropertyDescriptor(props, '__proto__')?.value).toBe('x');
    expect(Object.getPrototypeOf(props)).toBe(Object.prototype);
    expect([props.constructor, props.toString]).toEqual(['y', 't']);
    const fromJson = await readAll(textInput('name,lat,lon,extra_json\nA,1,2,"{""__proto__"":{""polluted"":1}}"\n', 'proto2.csv'));
    expect(JSON.stringify(fromJson[0].properties)).toBe('{"name":"A","__proto__":{"polluted":1}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('duplicate and blank header names are renamed, never overwritten; empty id means no id', async () => {
    const got = await readAll(textInput('id,name,name,,lon,lat\n,A,B,C,1,2\n', 'dup.csv'));
    expect(got[0].id).toBeUndefined();
    expect(got[0].properties).toEqual({ name: 'A', name_2: 'B', column_4: 'C' });
  });

  it('all-empty rows are skipped; extra_json is merged back; bad extra_json kept as text with a problem', async () => {
    const text = [
      'id,longitude,latitude,name,extra_json',
      'a,1,2,A,"{""lat"":""x"",""n"":5,""tags"":[""Li"",""Co""]}"',
      ',,,,',
      'b,3,4,B,not json',
      'c,5,6,C,"{""name"":""other""}"',
    ].join('\n');
    const got = await readAll(textInput(text, 'extra.csv'));
    expect(got.map((f) => f.id)).toEqual(['a', 'b', 'c']);
    expect(got[0].properties).toEqual({ name: 'A', lat: 'x', n: 5, tags: ['Li', 'Co'] });
    expect(got[0].problems).toEqual([]);
    expect(got[1].index).toBe(1);
    expect(got[1].line).toBe(4);
    expect(got[1].properties).toEqual({ name: 'B', extra_json: 'not json' });
    expect(messages(got[1])).toEqual(['expected a JSON object of extra properties; kept as text']);
    expect(got[2].properties).toEqual({ name: 'C' });
    expect(messages(got[2])).toEqual(['key "name" is also a column; the column\'s value is kept']);
  });
});
