import { SHARED_DATA } from '../../helpers/data';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadInputError } from '../../../src/errors';
import { readGeoJsonFeatures, type ReadGeoJsonOptions } from '../../../src/formats/geojson/read';
import { openTextInput, textInput, type OpenedInput } from '../../../src/formats/open-input';
import type { RawFeatureWithProblems } from '../../../src/formats/types';
import type { Progress } from '../../../src/task';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURES = join(ROOT, 'tests/fixtures/geojson');
const DATA = process.env.OUTCROP_DATA ?? SHARED_DATA;

async function readAll(input: OpenedInput, opts?: ReadGeoJsonOptions): Promise<RawFeatureWithProblems[]> {
  const out: RawFeatureWithProblems[] = [];
  for await (const f of readGeoJsonFeatures(input, opts)) out.push(f);
  return out;
}

const read = (text: string, opts?: ReadGeoJsonOptions) => readAll(textInput(text, 'test.geojson'), opts);

/** An input that arrives in the given pieces, as a file read in chunks would. */
function chunked(chunks: Iterable<string>, name = 'test.geojson'): OpenedInput {
  return { stream: Readable.from(chunks, { objectMode: true }), name, sizeBytes: 0, gzipped: false };
}

async function readError(text: string, opts?: ReadGeoJsonOptions): Promise<BadInputError> {
  try {
    await read(text, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(BadInputError);
    return err as BadInputError;
  }
  throw new Error(`no error for ${text.slice(0, 80)}`);
}

/** Line and column (1-based, UTF-16 units) of the n-th occurrence of `needle`, found the plain way. */
function where(text: string, needle: string, nth = 1): { line: number; column: number } {
  let at = -1;
  for (let i = 0; i < nth; i++) at = text.indexOf(needle, at + 1);
  const before = text.slice(0, at);
  return { line: before.split('\n').length, column: at - before.lastIndexOf('\n') };
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'outcrop-geojson-read-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('readGeoJsonFeatures: what it yields', () => {
  it('reads a FeatureCollection of real sites with index, geometry, properties and line', async () => {
    const features = await readAll(await openTextInput(join(FIXTURES, 'japan-sites-first-3.geojson')));
    expect(features.map((f) => [f.index, f.line, f.properties.name, f.geometry])).toEqual([
      [0, 2, 'Konomai', { type: 'Point', coordinates: [143.35, 44.1333] }],
      [1, 3, 'Hitachi', { type: 'Point', coordinates: [140.6039, 36.6272] }],
      [2, 4, 'Ikuno', { type: 'Point', coordinates: [134.8256, 35.1689] }],
    ]);
    expect(features[0].properties.commodities).toBe('Au; Ag');
    expect(features.every((f) => f.problems === undefined && f.id === undefined)).toBe(true);
  });

  it('tolerates a UTF-8 BOM and CRLF line ends; lines count CRLF once', async () => {
    const path = join(tmp, 'bom-crlf.geojson');
    const text = '{"type": "FeatureCollection", "features": [\r\n{"type": "Feature", "id": 1, "geometry": null, "properties": {"name": "Kōnomai"}},\r\n{"type": "Feature", "id": 2, "geometry": null, "properties": {}}\r\n]}\r\n';
    writeFileSync(path, `\uFEFF${text}`);
    const features = await readAll(await openTextInput(path));
    expect(features.map((f) => [f.id, f.line, f.properties])).toEqual([
      [1, 2, { name: 'Kōnomai' }],
      [2, 3, {}],
    ]);
  });

  it('keeps 3D coordinates as parsed (validation drops Z later)', async () => {
    const [f] = await read('{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[-115.5322,35.4781,1440]},"properties":{}}]}');
    expect(f.geometry).toEqual({ type: 'Point', coordinates: [-115.5322, 35.4781, 1440] });
  });

  it('ignores foreign members on the root and on features; null or missing properties become {}', async () => {
    const features = await read(
      JSON.stringify({
        type: 'FeatureCollection',
        name: 'sites',
        crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } },
        bbox: [0, 0, 1, 1],
        features: [
          { type: 'Feature', title: 'foreign', geometry: null, properties: null },
          { type: 'Feature', geometry: null },
        ],
      }),
    );
    expect(features).toEqual([
      { index: 0, geometry: null, properties: {}, line: 1 },
      { index: 1, geometry: null, properties: {}, line: 1 },
    ]);
  });

  it('gives the line where each feature starts in a pretty-printed file with non-ASCII text and escapes', async () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', id: 'a', properties: { name: 'Ōkuchi "gold" 鉱山 😀', note: 'tab\there\nnew line' }, geometry: { type: 'Point', coordinates: [130.6, 32.05] } },
        { type: 'Feature', id: 'b', properties: { name: '\u0001 control, \\ backslash' }, geometry: null },
        { type: 'Feature', id: 'c', properties: {}, geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] } },
      ],
    };
    const text = JSON.stringify(fc, null, 2);
    // Features start where a line is exactly "    {" (indent 4 inside "features").
    const expectedLines = text.split('\n').flatMap((l, i) => (l === '    {' ? [i + 1] : []));
    expect(expectedLines).toHaveLength(3);
    const features = await read(text);
    expect(features.map((f) => f.line)).toEqual(expectedLines);
    expect(features[0].properties.name).toBe('Ōkuchi "gold" 鉱山 😀');
  });

  it('gives the same result whatever the chunk boundaries (even inside a surrogate pair)', async () => {
    const text = JSON.stringify(
      {
        type: 'FeatureCollection',
        features: Array.from({ length: 20 }, (_, i) => ({
          type: 'Feature',
          id: i,
          properties: { name: `😀 site ${i} — 鉱山`, depth_m: i * 12.5 },
          geometry: { type: 'Point', coordinates: [139 + i / 10, 35 - i / 10] },
        })),
      },
      null,
      1,
    );
    const whole = await read(text);
    expect(whole).toHaveLength(20);
    for (const size of [1, 2, 3, 7, 64]) {
      const pieces: string[] = [];
      for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size)); // splits 😀 when size is odd
      expect(await readAll(chunked(pieces))).toEqual(whole);
    }
  });

  it('reads a single Feature as one feature', async () => {
    const text = '\n\n{"type": "Feature", "id": "dep-7", "geometry": {"type": "Point", "coordinates": [1, 2]}, "properties": {"name": "x"}, "foo": 1}\n';
    expect(await read(text)).toEqual([{ index: 0, id: 'dep-7', geometry: { type: 'Point', coordinates: [1, 2] }, properties: { name: 'x' }, line: 3 }]);
  });

  it('reads a bare geometry as one feature with empty properties, marked bare', async () => {
    expect(await read('{"coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]], "type": "Polygon"}')).toEqual([
      { index: 0, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, properties: {}, line: 1, bare: true },
    ]);
    // A GeometryCollection is passed on as it is; validation rejects it.
    const [gc] = await read('{"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [1, 2]}]}');
    expect(gc.geometry).toEqual({ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 2] }] });
  });

  it('reads features listed before the root "type"', async () => {
    const features = await read('{"features": [{"type": "Feature", "geometry": null, "properties": {}}], "type": "FeatureCollection"}');
    expect(features).toHaveLength(1);
  });

  it('streams a 60 MB property value without trouble', async () => {
    const size = 60 * 1024 * 1024;
    function* pieces(): Generator<string> {
      yield '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": null, "properties": {"note": "';
      const block = 'abcdefghij'.repeat(6554); // 65 540 chars
      let left = size;
      while (left > 0) {
        const n = Math.min(left, block.length);
        yield block.slice(0, n);
        left -= n;
      }
      yield '"}}, {"type": "Feature", "geometry": null, "properties": {"n": 2}}]}';
    }
    const features = await readAll(chunked(pieces()));
    expect(features).toHaveLength(2);
    expect((features[0].properties.note as string).length).toBe(size);
    expect(features[1]).toEqual({ index: 1, geometry: null, properties: { n: 2 }, line: 1 });
  });
});

describe('readGeoJsonFeatures: problems of one feature are attached, not thrown', () => {
  const cases: [string, string, { field?: string; message: string }[], Partial<RawFeatureWithProblems>?][] = [
    ['not an object', '42', [{ message: 'expected a feature {"type": "Feature", "geometry": ..., "properties": {...}}, found the number 42' }]],
    ['a list', '[1, 2]', [{ message: 'found a list' }]],
    ['null', 'null', [{ message: 'found null' }]],
    ['a bare geometry in the list', '{"type": "Point", "coordinates": [1, 2]}', [{ field: 'type', message: 'this is a bare geometry ("type": "Point"), not a feature' }]],
    ['no type', '{"geometry": null, "properties": {}}', [{ field: 'type', message: 'the feature has no "type"' }]],
    ['wrong type', '{"type": "feature", "geometry": null, "properties": {}}', [{ field: 'type', message: '"type" must be "Feature", found the text "feature"' }]],
    ['no geometry member', '{"type": "Feature", "properties": {}}', [{ field: 'geometry', message: 'the feature has no "geometry" member; use "geometry": null' }]],
    ['properties is a list', '{"type": "Feature", "geometry": null, "properties": [1]}', [{ field: 'properties', message: '"properties" must be an object {...} or null, found a list' }]],
    ['properties is text', '{"type": "Feature", "geometry": null, "properties": "Li"}', [{ field: 'properties', message: 'found the text "Li"' }]],
    ['id is an object', '{"type": "Feature", "id": {"a": 1}, "geometry": null, "properties": {}}', [{ field: 'id', message: 'a feature "id" must be text or a number, found an object' }]],
  ];
  for (const [name, json, expected] of cases) {
    it(name, async () => {
      const text = `{"type": "FeatureCollection", "features": [\n{"type": "Feature", "id": 7, "geometry": null, "properties": {}},\n${json}\n]}`;
      const [ok, bad] = await read(text);
      expect(ok).toEqual({ index: 0, id: 7, geometry: null, properties: {}, line: 2 });
      expect(bad.index).toBe(1);
      expect(bad.line).toBe(3);
      expect(bad.geometry).toBeNull();
      expect(bad.problems).toHaveLength(expected.length);
      bad.problems!.forEach((p, i) => {
        expect(p.file).toBe('test.geojson');
        expect(p.featureIndex).toBe(1);
        expect(p.line).toBe(3);
        expect(p.field).toBe(expected[i].field);
        expect(p.message).toContain(expected[i].message);
      });
    });
  }

  it('passes an invalid geometry through untouched, for the validator to judge', async () => {
    const [f] = await read('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Pointt", "coordinates": "x"}, "properties": {}}]}');
    expect(f.geometry).toEqual({ type: 'Pointt', coordinates: 'x' });
    expect(f.problems).toBeUndefined();
  });

  it('keeps numeric and text ids, and carries the id into problems', async () => {
    const [a, b] = await read('{"type": "FeatureCollection", "features": [{"type": "Feature", "id": 12.5, "geometry": null, "properties": {}}, {"type": "Feature", "id": "dep-7", "properties": {}}]}');
    expect(a.id).toBe(12.5);
    expect(b.id).toBe('dep-7');
    expect(b.problems![0].featureId).toBe('dep-7');
  });
});

describe('readGeoJsonFeatures: files that are unusable as a whole throw BadInputError with line and column', () => {
  const cases: [string, string, string, string][] = [
    // [name, text, text to locate (first occurrence), message]
    ['syntax error', '{"type": "FeatureCollection", "features": [\n  {"type": "Feature", x}\n]}', 'x', 'not valid JSON: unexpected character \'x\''],
    ['curly quotes from a word processor', '{“type”: "Feature"}', '“', "unexpected character '“' (a curly quote; JSON needs straight double quotes \")"],
    ['single quotes', "{'type': 'Feature'}", "'", 'JSON needs double quotes'],
    ['NaN', '{"type": "Point", "coordinates": [NaN, 1]}', 'NaN', 'NaN and Infinity are not allowed in JSON'],
    ['a comment', '{"type": "Point", // here\n "coordinates": [1, 2]}', '//', 'comments are not allowed in JSON'],
    ['trailing comma in a list', '{"type": "FeatureCollection", "features": [\n  {"type": "Feature", "geometry": null, "properties": {}},\n]}', ']}', "a comma right before ']'"],
    ['trailing comma in an object', '{"type": "Point", "coordinates": [1, 2],\n}', '}', "a comma right before '}'"],
    ['missing comma', '{"type": "FeatureCollection"\n  "features": []}', '"features"', 'expected \',\' or \'}\', found the text "features" (is a comma missing?)'],
    ['a line break inside text', '{"type": "Feature", "properties": {"name": "Hit\nachi"}}', '\n', 'a line break or control character inside a text value'],
    ['non-ASCII before the error: columns count characters', '{"name": "日本語", x}', 'x', "unexpected character 'x'"],
    ['more JSON after the end', '{"type": "FeatureCollection", "features": []}\n{"type": "Feature"}', '{"type": "Feature"}', 'after the end of the GeoJSON object'],
    ['the root is a list', '[{"type": "Feature"}]', '[', 'the file holds a list [ ... ] at the top level, not a GeoJSON object'],
    ['the root is text', '  "hello"', '"hello"', 'the file holds the text "hello" at the top level'],
    ['"features" is not a list', '{"type": "FeatureCollection", "features": {"a": 1}}', '{"a"', '"features" must be a list [ ... ] of features, found an object'],
    ['"features" is null', '{"type": "FeatureCollection",\n"features": null}', 'null', '"features" must be a list [ ... ] of features, found null'],
    ['TopoJSON', '{"type": "Topology", "objects": {}}', '"Topology"', 'this is TopoJSON ("type": "Topology"), not GeoJSON'],
    ['unknown root type', '{"type": "FeatureCollectio", "features": []}', '"FeatureCollectio"', 'unknown top-level "type" "FeatureCollectio"'],
  ];
  for (const [name, text, locate, message] of cases) {
    it(name, async () => {
      const err = await readError(text);
      const { line, column } = where(text, locate);
      expect(err.code).toBe('BAD_INPUT');
      expect(err.problem).toMatchObject({ file: 'test.geojson', line, column });
      expect(err.problem!.message).toContain(message);
      expect(err.message).toBe(`test.geojson: line ${line}, column ${column}: ${err.problem!.message}`);
    });
  }

  const atEnd: [string, string, string][] = [
    // A number can end at the end of the file, so only the open brackets tell it was cut.
    ['cut off after a number', '{"type": "FeatureCollection", "features": [\n{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [1', 'the file ends in the middle of feature 0 (which starts at line 2)'],
    ['cut off inside true', '{"type": "FeatureCollection", "features": [\n{"type": "Feature", "properties": {"a": tr', 'the file ends in the middle of a word (true, false or null) in feature 0'],
    ['cut off inside text', '{"type": "FeatureCollection", "features": [\n{"type": "Feature", "geometry": null},\n{"type": "Feature", "properties": {"name": "Hita', 'the file ends in the middle of a text value in feature 1 (which starts at line 3)'],
    ['cut off between features', '{"type": "FeatureCollection", "features": [\n{"type": "Feature", "geometry": null, "properties": {}},', 'the file ends in the middle of the "features" list'],
    ['cut off after the list', '{"type": "FeatureCollection", "features": []', 'the file ends in the middle of the GeoJSON object'],
    ['empty', '', 'the file is empty'],
    ['only white space', ' \n\t\n', 'the file is empty'],
    ['no root type', '{"features": []}', 'the top-level object has no "type"'],
    ['a FeatureCollection without features', '{"type": "FeatureCollection"}', 'the FeatureCollection has no "features" list'],
  ];
  for (const [name, text, message] of atEnd) {
    it(`${name}: reported at the end of the file`, async () => {
      const err = await readError(text);
      const lines = text.split('\n');
      expect(err.problem).toMatchObject({ line: lines.length, column: lines[lines.length - 1].length + 1 });
      expect(err.problem!.message).toContain(message);
    });
  }

  it('says "cut off" for a truncated real file', async () => {
    const full = `{"type": "FeatureCollection", "features": [\n${'{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}, "properties": {}},\n'.repeat(5)}`;
    const err = await readError(full.slice(0, full.length - 30));
    expect(err.problem!.message).toMatch(/^the file ends in the middle of feature 4 \(which starts at line 6\): it looks cut off/);
  });
});

describe('readGeoJsonFeatures: hostile nesting', () => {
  /** Position of the first bracket that opens level `depth + 1`, counted the plain way. */
  function firstTooDeep(text: string, depth: number): { line: number; column: number } {
    let open = 0;
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '{' || text[i] === '[') {
        if (++open > depth) return { line: 1, column: i + 1 };
      } else if (text[i] === '}' || text[i] === ']') open--;
    }
    throw new Error('never too deep');
  }

  it('stops 100 000 nested GeometryCollections at 64 levels, quickly and without a stack overflow', async () => {
    const text = '{"type": "GeometryCollection", "geometries": ['.repeat(100_000);
    const t0 = performance.now();
    const err = await readError(text);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(err.problem!.message).toContain('nested deeper than 64 levels');
    expect(err.problem).toMatchObject(firstTooDeep(text, 64));
  });

  it('stops [[[[…]]]] 100 000 deep inside coordinates', async () => {
    const text = `{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": ${'['.repeat(100_000)}1${']'.repeat(100_000)}}}`;
    const err = await readError(text);
    expect(err.problem!.message).toContain('nested deeper than 64 levels');
    expect(err.problem).toMatchObject(firstTooDeep(text, 64));
  });

  it('lets the caller set the limit: a FeatureCollection of MultiPolygons needs exactly 8', async () => {
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]]] } }],
    });
    expect(await read(text, { maxDepth: 8 })).toHaveLength(1);
    const err = await readError(text, { maxDepth: 7 });
    expect(err.problem!.message).toContain('nested deeper than 7 levels');
    expect(err.problem).toMatchObject(firstTooDeep(text, 7));
  });
});

describe('readGeoJsonFeatures: progress, cancellation, early exit', () => {
  function* features(n: number): Generator<string> {
    yield '{"type": "FeatureCollection", "features": [';
    for (let i = 0; i < n; i++) yield `${i ? ',' : ''}{"type": "Feature", "id": ${i}, "geometry": {"type": "Point", "coordinates": [${i % 180}, 0]}, "properties": {}}\n`;
    yield ']}';
  }

  it('reports features read every 1000, and once at the end', async () => {
    const seen: Progress[] = [];
    const out = await readAll(chunked(features(2500)), { onProgress: (p) => seen.push(p) });
    expect(out).toHaveLength(2500);
    expect(seen).toEqual([
      { phase: 'read', done: 1000, unit: 'features' },
      { phase: 'read', done: 2000, unit: 'features' },
      { phase: 'read', done: 2500, unit: 'features' },
    ]);
  });

  it('stops half way when aborted, with the AbortError, and destroys the stream', async () => {
    const ac = new AbortController();
    const input = chunked(features(10_000));
    const got: number[] = [];
    const run = async () => {
      for await (const f of readGeoJsonFeatures(input, { signal: ac.signal })) {
        got.push(f.index);
        if (f.index === 2999) ac.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ name: 'AbortError' });
    expect(got).toHaveLength(3000);
    expect(input.stream.destroyed).toBe(true);
  });

  it('does not start when already aborted', async () => {
    await expect(readAll(chunked(features(10)), { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('destroys the stream when the caller stops early', async () => {
    const input = chunked(features(10_000));
    for await (const f of readGeoJsonFeatures(input)) if (f.index === 5) break;
    expect(input.stream.destroyed).toBe(true);
  });

  it('destroys the stream on a bad file', async () => {
    const input = chunked(['{"type": "FeatureCollection", "features": [', 'x', ']}']);
    await expect(readAll(input)).rejects.toBeInstanceOf(BadInputError);
    expect(input.stream.destroyed).toBe(true);
  });
});

describe.skipIf(!existsSync(DATA))('readGeoJsonFeatures: real files', () => {
  it('reads the Earth MRI project areas with their ids', async () => {
    const features = await readAll(await openTextInput(join(DATA, 'polygons/usgs-earthmri-projects-nm-sw.geojson')));
    expect(features).toHaveLength(13);
    expect(features[0].id).toBe('https://mrdata.usgs.gov/earthmri/data-acquisition/project/1014');
    expect(features[0].properties.pid).toBe(1014);
    expect(features.every((f) => f.geometry?.type === 'MultiPolygon' && !f.problems)).toBe(true);
  });

  it('reads the gzipped Arizona map: 4 841 polygons in file order', async () => {
    const features = await readAll(await openTextInput(join(DATA, 'polygons/arizona-geology-1m-polygons.geojson.gz')));
    expect(features).toHaveLength(4841);
    expect(features.every((f) => f.properties.poly_index === f.index)).toBe(true);
  });
});

// Slow (~12 s on 2 cores): writes a ~200 MB file. Skip with OUTCROP_SKIP_SLOW=1.
describe.skipIf(process.env.OUTCROP_SKIP_SLOW === '1')('readGeoJsonFeatures: a 200 MB FeatureCollection (slow)', () => {
  it('streams it in bounded memory: a process whose heap is capped at 32 MB reads it all', () => {
    const path = join(tmp, 'big.geojson');
    const n = writeBigFile(path, 200 * 1024 * 1024);
    const size = statSync(path).size;
    let read: Measured;
    let drain: Measured;
    try {
      read = measureInFreshNode('read', path, n);
      drain = measureInFreshNode('drain', path, n);
    } finally {
      rmSync(path, { force: true });
    }
    const mb = (b: number) => Math.round(b / 1e6);
    console.info(
      `200 MB read: ${read.count} features, ${mb(size)} MB in ${read.seconds.toFixed(1)} s (${(size / 1e6 / read.seconds).toFixed(1)} MB/s) ` +
        `with a 32 MB old-space cap; rss growth ${mb(read.rssGrowth)} MB (just reading the text: ${mb(drain.rssGrowth)} MB); ` +
        `retained heap after gc at each quarter ${read.retained.map(mb).join(', ')} MB`,
    );
    expect(read.count).toBe(n);
    // What is really kept alive is small and does not grow with the amount read.
    expect(read.retained).toHaveLength(4);
    expect(Math.max(...read.retained)).toBeLessThan(24e6);
    // RSS also counts garbage V8 has not collected yet (decoded 1 MiB chunks, read buffers),
    // a fixed budget rather than a share of the file; most of it comes with reading the text
    // at all, before any parsing.
    expect(read.rssGrowth).toBeLessThan(size * 0.75);
    expect(read.rssGrowth - drain.rssGrowth).toBeLessThan(80e6);
    expect(read.seconds).toBeLessThan(45);
  }, 120_000);
});

interface Measured {
  count: number;
  seconds: number;
  rssGrowth: number;
  retained: number[];
}

/**
 * Read `path` in a fresh Node whose old generation is capped far below the file size:
 * holding the file, or anything growing with the amount read, would end in "heap out of
 * memory". Mode "drain" only pulls the decoded text through openTextInput, for comparison.
 */
function measureInFreshNode(mode: 'read' | 'drain', path: string, n: number): Measured {
  const reader = pathToFileURL(join(ROOT, 'src/formats/geojson/read.ts')).href;
  const opener = pathToFileURL(join(ROOT, 'src/formats/open-input.ts')).href;
  const script = `
    const { readGeoJsonFeatures } = await import(${JSON.stringify(reader)});
    const { openTextInput } = await import(${JSON.stringify(opener)});
    const [mode, path, n] = [process.argv[1], process.argv[2], Number(process.argv[3])];
    gc();
    const base = process.memoryUsage();
    let peak = base.rss, count = 0;
    const retained = [];
    const t0 = performance.now();
    const input = await openTextInput(path);
    if (mode === 'drain') {
      for await (const chunk of input.stream) peak = Math.max(peak, process.memoryUsage().rss);
    } else {
      for await (const f of readGeoJsonFeatures(input)) {
        if (f.index !== count) throw new Error('feature ' + count + ' came as ' + f.index);
        count++;
        if (count % 2000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
        if (count % Math.floor(n / 4) === 0 && retained.length < 4) { gc(); retained.push(process.memoryUsage().heapUsed - base.heapUsed); }
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    process.stdout.write(JSON.stringify({ count, seconds, rssGrowth: peak - base.rss, retained }));
  `;
  const stdout = execFileSync(
    process.execPath,
    ['--max-old-space-size=32', '--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script, mode, path, String(n)],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout) as Measured;
}

/**
 * Stream-write a FeatureCollection of 24-gon polygons of about `bytes` bytes and return its
 * feature count. Runs in a child process so that writing does not inflate this process's
 * memory before the reader is measured.
 */
function writeBigFile(path: string, bytes: number): number {
  const script = `
    const fs = require('node:fs');
    const [path, bytes] = [process.argv[1], Number(process.argv[2])];
    const fd = fs.openSync(path, 'w');
    let written = 0, n = 0, buf = '{"type": "FeatureCollection", "name": "synthetic units", "features": [\\n';
    while (written + buf.length < bytes) {
      const x = -114 + (n % 600) / 100, y = 31 + (Math.floor(n / 600) % 600) / 100;
      const ring = [];
      for (let k = 0; k <= 24; k++) {
        const a = (2 * Math.PI * (k % 24)) / 24;
        ring.push('[' + (x + 0.004 * Math.cos(a)).toFixed(6) + ',' + (y + 0.004 * Math.sin(a)).toFixed(6) + ']');
      }
      buf += (n ? ',\\n' : '') + '{"type":"Feature","id":"u-' + n + '","properties":{"name":"Unit ' + n + ' — Tertiary volcanic rocks","code":"Tv","note":"' + 'x'.repeat(200) + '"},"geometry":{"type":"Polygon","coordinates":[[' + ring.join(',') + ']]}}';
      n++;
      if (buf.length > 1 << 20) { written += buf.length; fs.writeSync(fd, buf); buf = ''; }
    }
    fs.writeSync(fd, buf + '\\n]}\\n');
    fs.closeSync(fd);
    process.stdout.write(String(n));
  `;
  return Number(execFileSync(process.execPath, ['-e', script, path, String(bytes)], { encoding: 'utf8' }));
}
