import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simplify } from '@turf/turf';
import type { Feature as GeoJsonFeature, FeatureCollection, Geometry, MultiPolygon, Point, Polygon } from 'geojson';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors';
import { readCsvFeatures } from '../../../src/formats/csv/read';
import { writeGeoJson } from '../../../src/formats/geojson/write';
import { openTextInput } from '../../../src/formats/open-input';
import type { RawFeature } from '../../../src/formats/types';
import type { Progress } from '../../../src/task';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const IN = resolve(ROOT, 'tests', 'fixtures', 'csv', 'in');
const OUT = resolve(ROOT, 'tests', 'fixtures', 'csv', 'out');
const SHARED = process.env.OUTCROP_SHARED_DATA ?? resolve(ROOT, '..', 'shared', 'data');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-geojson-write-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Feature = GeoJsonFeature<Geometry | null>;

const toFeature = (f: RawFeature): Feature => ({
  type: 'Feature',
  ...(f.id !== undefined ? { id: f.id } : {}),
  geometry: f.geometry,
  properties: f.properties as Feature['properties'],
});

async function* csvFeatures(path: string): AsyncGenerator<Feature> {
  for await (const f of readCsvFeatures(await openTextInput(path))) yield toFeature(f);
}

// A real remark (usgs-lithium-us-2019/Loc_Pt.csv), repeated to make the 300k-feature file large.
const REMARK = Array(5).fill('The North Arm and South Arm deposits are separated by the Causeway').join('; ');

function* generated(n: number, onEach?: (i: number) => void, remarks?: string): Generator<Feature> {
  for (let i = 0; i < n; i++) {
    onEach?.(i);
    yield {
      type: 'Feature',
      id: `dep-${i}`,
      geometry: { type: 'Point', coordinates: [-180 + (i % 36000) / 100, -60 + (i % 12000) / 100] },
      properties: {
        name: `Site ${i}`,
        commodities: ['Li', 'Co'],
        grade_pct: i / 7,
        status: 'prospect',
        ...(remarks !== undefined ? { remarks } : {}),
      },
    };
  }
}

describe('writeGeoJson', () => {
  it('round trip: real CSV excerpt -> GeoJSON -> JSON.parse equals the Python reading (coords to 1e-7)', async () => {
    const expected = JSON.parse(readFileSync(resolve(OUT, 'minmod-excerpt.json'), 'utf8')) as {
      lon: number;
      lat: number;
      properties: Record<string, string>;
    }[];
    const out = join(dir, 'excerpt.geojson');
    const { count } = await writeGeoJson(csvFeatures(resolve(IN, 'minmod-excerpt.csv')), out);
    expect(count).toBe(200);
    const text = readFileSync(out, 'utf8');
    const fc = JSON.parse(text) as FeatureCollection<Point>;
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(200);
    fc.features.forEach((f, i) => {
      expect(f.type).toBe('Feature');
      expect(f.geometry.type).toBe('Point');
      expect(Math.abs(f.geometry.coordinates[0] - expected[i].lon)).toBeLessThanOrEqual(1e-7);
      expect(Math.abs(f.geometry.coordinates[1] - expected[i].lat)).toBeLessThanOrEqual(1e-7);
      expect(f.properties).toEqual(expected[i].properties);
    });
    // one feature per line between the opening and closing lines
    const lines = text.split('\n');
    expect(lines[0]).toBe('{"type":"FeatureCollection","features":[');
    expect(lines.slice(-2)).toEqual([']}', '']);
    expect(lines).toHaveLength(200 + 3);
    expect(JSON.parse(lines[1].replace(/,$/, '')).properties.dataset).toBe(expected[0].properties.dataset);
    expect(readdirSync(dir)).toEqual(['excerpt.geojson']);
  });

  it('round trip of real prefecture polygons (WKT CSV) keeps every vertex to 1e-9', async () => {
    const source = JSON.parse(
      readFileSync(resolve(SHARED, 'polygons', 'japan-prefectures.geojson'), 'utf8'),
    ) as FeatureCollection<Polygon | MultiPolygon>;
    const out = join(dir, 'jp.geojson');
    await writeGeoJson(csvFeatures(resolve(IN, 'japan-prefectures-wkt.csv')), out);
    const fc = JSON.parse(readFileSync(out, 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
    expect(fc.features.map((f) => f.id)).toEqual(['9', '13', '14', '25', '29']);
    for (const f of fc.features) {
      const src = source.features.find((s) => String(s.properties!.id) === f.id)!;
      const want = simplify(src, { tolerance: 0.01, highQuality: false }).geometry;
      expect(f.geometry.type).toBe(want.type);
      const a = (f.geometry.coordinates as unknown[]).flat(3) as number[];
      const b = (want.coordinates as unknown[]).flat(3) as number[];
      expect(a).toHaveLength(b.length);
      a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(1e-9));
      expect(f.properties).toEqual({ nam: src.properties!.nam, nam_ja: src.properties!.nam_ja });
    }
  });

  it('rounds coordinates to 9 decimals by default, or to `precision`; does not touch properties', async () => {
    const f: Feature = {
      type: 'Feature',
      id: 7,
      geometry: { type: 'LineString', coordinates: [[139.123456789123, 35.987654321987], [-0.0000000001, 1e-12]] },
      properties: { grade: 1.23456789012345, nested: { a: [1, 2] }, note: null },
    };
    const copy = structuredClone(f);
    const out = join(dir, 'p.geojson');
    await writeGeoJson([f], out);
    const line = readFileSync(out, 'utf8').split('\n')[1];
    expect(line).toBe(
      '{"type":"Feature","id":7,"geometry":{"type":"LineString","coordinates":[[139.123456789,35.987654322],[0,0]]},' +
        '"properties":{"grade":1.23456789012345,"nested":{"a":[1,2]},"note":null}}',
    );
    expect(f).toEqual(copy); // input not mutated
    await writeGeoJson([f], out, { precision: 6 });
    expect(readFileSync(out, 'utf8')).toContain('"coordinates":[[139.123457,35.987654],[0,0]]');
  });

  it('writes null geometry, missing properties, GeometryCollection; empty input gives an empty collection', async () => {
    const out = join(dir, 'misc.geojson');
    await writeGeoJson(
      [
        { type: 'Feature', geometry: null, properties: { name: '足尾 <b>&</b> "Ashio" ⛏️' } },
        { type: 'Feature', geometry: { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1.5, 2] }] }, properties: null },
      ],
      out,
    );
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: null, properties: { name: '足尾 <b>&</b> "Ashio" ⛏️' } },
        { type: 'Feature', geometry: { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1.5, 2] }] }, properties: null },
      ],
    });
    const empty = join(dir, 'empty.geojson');
    expect(await writeGeoJson([], empty)).toEqual({ count: 0 });
    expect(JSON.parse(readFileSync(empty, 'utf8'))).toEqual({ type: 'FeatureCollection', features: [] });
  });

  it('reports progress every 1000 features with the total, and once at the end', async () => {
    const progress: Progress[] = [];
    await writeGeoJson(generated(2500), join(dir, 'g.geojson'), { total: 2500, onProgress: (p) => progress.push(p) });
    expect(progress).toEqual([
      { phase: 'write', done: 1000, total: 2500, unit: 'features' },
      { phase: 'write', done: 2000, total: 2500, unit: 'features' },
      { phase: 'write', done: 2500, total: 2500, unit: 'features' },
    ]);
  });

  it('cancel half way: no file at outPath, no partial file, an existing file is left as it was', async () => {
    const out = join(dir, 'cancel.geojson');
    writeFileSync(out, 'previous export');
    const ac = new AbortController();
    const run = writeGeoJson(
      generated(200_000, (i) => {
        if (i === 100_000) ac.abort();
      }),
      out,
      { signal: ac.signal },
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(readdirSync(dir)).toEqual(['cancel.geojson']);
    expect(readFileSync(out, 'utf8')).toBe('previous export');

    const fresh = join(dir, 'fresh.geojson');
    const ac2 = new AbortController();
    await expect(
      writeGeoJson(generated(5000, (i) => i === 2500 && ac2.abort()), fresh, { signal: ac2.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(readdirSync(dir)).toEqual(['cancel.geojson']);
  });

  it('an error from the source or a bad coordinate leaves no file', async () => {
    async function* failing(): AsyncGenerator<Feature> {
      yield* generated(3000);
      throw new Error('database went away');
    }
    await expect(writeGeoJson(failing(), join(dir, 'x.geojson'))).rejects.toThrow('database went away');
    const bad: Feature = { type: 'Feature', id: 'dep-9', geometry: { type: 'Point', coordinates: [NaN, 1] }, properties: {} };
    const err = await writeGeoJson([...generated(3), bad], join(dir, 'y.geojson')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toBe('feature 3 (id "dep-9"): "geometry.coordinates[0]": a coordinate must be a finite number, got NaN');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an output folder that does not exist fails cleanly', async () => {
    await expect(writeGeoJson(generated(3), join(dir, 'no', 'such', 'dir.geojson'))).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/^cannot write .*dir\.geojson: the folder .*such does not exist$/),
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes 300k features with bounded memory', async () => {
    const out = join(dir, 'big.geojson');
    const base = process.memoryUsage.rss();
    const rss: number[] = []; // one sample per 1000 features
    const t0 = performance.now();
    const { count } = await writeGeoJson(generated(300_000, undefined, REMARK), out, {
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
      `geojson 300k: ${ms.toFixed(0)} ms, ${(size / 2 ** 20).toFixed(1)} MiB file, RSS ${mib(base)} MiB at start, ` +
        `peak ${mib(firstHalf)} MiB in the first 150k, ${mib(secondHalf)} MiB in the last 150k`,
    );
    // A writer that held the output (or the features) would grow by more than the file size.
    expect(size).toBeGreaterThan(96 * 2 ** 20);
    expect(Math.max(firstHalf, secondHalf) - base).toBeLessThan(64 * 2 ** 20);
    expect(count).toBe(300_000);
    // Holding the output in memory would take more than the file size (JS strings are UTF-16).
    const text = readFileSync(out, 'utf8');
    expect(text.split('\n')).toHaveLength(300_000 + 3);
    const last = JSON.parse(text.split('\n')[300_000]) as Feature;
    expect(last.id).toBe('dep-299999');
  });
});
