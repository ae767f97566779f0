import { SHARED_DATA } from '../../helpers/data';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGeoJsonFeatures } from '../../../src/formats/geojson/read';
import { openTextInput, textInput, type OpenedInput } from '../../../src/formats/open-input';
import type { Progress } from '../../../src/task';

// readGeoJsonFeatures has a fast path (JSON.parse per feature) for inputs it can reopen, and
// the tokenizer path for everything else. These tests read the same input both ways (an
// input without `reopen` takes the tokenizer path) and expect the very same features and
// the very same error, also when the fast path gives up in the middle of the file.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DATA = process.env.OUTCROP_DATA ?? SHARED_DATA;

type Outcome = { features: unknown[]; error?: { name: string; message: string; details: unknown } };

async function outcome(input: OpenedInput): Promise<Outcome> {
  const features: unknown[] = [];
  try {
    for await (const f of readGeoJsonFeatures(input)) features.push(f);
  } catch (err) {
    const e = err as Error & { details?: unknown };
    return { features, error: { name: e.constructor.name, message: e.message, details: e.details } };
  }
  return { features };
}

/** The input without `reopen`, which makes the reader take the tokenizer path. */
const tokenizerOnly = (input: OpenedInput): OpenedInput => ({ ...input, reopen: undefined });

/** Counts how often the reader had to start over on the tokenizer path. */
function counted(input: OpenedInput): { input: OpenedInput; reopened: () => number } {
  let n = 0;
  const reopen = input.reopen!;
  return {
    input: {
      ...input,
      reopen: async () => {
        n++;
        return reopen();
      },
    },
    reopened: () => n,
  };
}

async function bothWays(path: string): Promise<{ fast: Outcome; slow: Outcome; reopened: number }> {
  const c = counted(await openTextInput(path));
  const fast = await outcome(c.input);
  const slow = await outcome(tokenizerOnly(await openTextInput(path)));
  return { fast, slow, reopened: c.reopened() };
}

const point = (i: number) => `{"type":"Feature","id":${i},"properties":{"name":"site ${i}","note":"${'x'.repeat(i % 50)} \\"}]\\u00e9"},"geometry":{"type":"Point","coordinates":[${(i % 360) - 180},${(i % 170) - 85}]}}`;
const collection = (features: string[]) => `{"type":"FeatureCollection","features":[${features.join(',\n')}]}`;

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'outcrop-geojson-fast-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('readGeoJsonFeatures: the fast path reads exactly as the tokenizer path', () => {
  const files = [
    ...readdirSync(join(DATA, 'deposits')).filter((f) => f.endsWith('.geojson')).map((f) => join(DATA, 'deposits', f)),
    ...readdirSync(join(DATA, 'polygons')).map((f) => join(DATA, 'polygons', f)),
    ...readdirSync(join(ROOT, 'tests/fixtures/geojson')).map((f) => join(ROOT, 'tests/fixtures/geojson', f)),
  ];
  it.each(files)('%s', async (path) => {
    const { fast, slow, reopened } = await bothWays(path);
    expect(slow.error).toBeUndefined();
    expect(slow.features.length).toBeGreaterThan(0);
    expect(fast).toEqual(slow);
    expect(reopened).toBe(0); // plain FeatureCollections never need the tokenizer path
  });

  it('a syntax error in feature 5000: the same features before it, the same error, also gzipped', async () => {
    const features = Array.from({ length: 10_000 }, (_, i) => point(i));
    features[5000] = features[5000].replace('"properties":', '"properties" ');
    const text = collection(features);
    for (const [name, body] of [
      ['err.geojson', text],
      ['err.geojson.gz', gzipSync(text)],
    ] as const) {
      writeFileSync(join(tmp, name), body);
      const { fast, slow, reopened } = await bothWays(join(tmp, name));
      expect(slow.error?.message).toMatch(/^err\.geojson(\.gz)?: line 5001, column \d+: not valid JSON: expected ':'/);
      // Features go out a slice (64 Ki characters) at a time, so some before 5000 were handed on.
      expect(slow.features.length).toBeGreaterThan(4000);
      expect(slow.features.length).toBeLessThan(5000);
      expect(fast).toEqual(slow);
      expect(reopened).toBe(1);
    }
  });

  it('a long feature with an early error holds back the features before it in its slice', async () => {
    const features = Array.from({ length: 3000 }, (_, i) => point(i));
    features[2990] = `{"type":"Feature","properties":{"a" 1,"big":"${'y'.repeat(300_000)}"},"geometry":null}`;
    const path = join(tmp, 'long.geojson');
    writeFileSync(path, collection(features));
    const { fast, slow, reopened } = await bothWays(path);
    expect(slow.error?.message).toMatch(/^long\.geojson: line 2991, column 37: not valid JSON: expected ':' after the property name, found the number 1$/);
    expect(fast).toEqual(slow);
    expect(reopened).toBe(1);
  });

  it.each([
    ['truncated mid-feature', (t: string) => t.slice(0, Math.floor(t.length * 0.7))],
    ['a "type" that is not FeatureCollection after the features', (t: string) => t.replace('{"type":"FeatureCollection","features":', '{"features":').replace(/\]\}$/, '],"type":"Feature"}')],
    ['nesting deeper than 64 in feature 2000', (t: string) => t.replace('"name":"site 2000"', `"deep":${'['.repeat(70)}${']'.repeat(70)}`)],
    ['text after the end', (t: string) => `${t} x`],
    ['a feature that is not an object', (t: string) => t.replace(',\n' + point(1500), ',\n7')],
    ['duplicate and escaped keys, foreign members', (t: string) => t.replace('{"type":"FeatureCollection",', '{"type":"FeatureCollection","bbox":[1,2,3,4],"crs":{"a":[1,{"b":null}]},"n":-0.5e3,"t":true,"\\u0074ype":"FeatureCollection",')],
  ])('%s', async (_, mutate) => {
    const text = mutate(collection(Array.from({ length: 3000 }, (_, i) => point(i))));
    const fast = await outcome(textInput(text, 'm.geojson'));
    const slow = await outcome(tokenizerOnly(textInput(text, 'm.geojson')));
    expect(fast).toEqual(slow);
  });

  it('reports bytes read without going back when it starts over', async () => {
    const features = Array.from({ length: 20_000 }, (_, i) => point(i));
    features[19_000] = '{"type":"Feature",}';
    const path = join(tmp, 'progress.geojson');
    writeFileSync(path, collection(features));
    const bytes: number[] = [];
    const featureCounts: number[] = [];
    const onProgress = (p: Progress) => (p.unit === 'bytes' ? bytes : featureCounts).push(p.done);
    const input = await openTextInput(path, { onProgress });
    await expect(async () => {
      for await (const _ of readGeoJsonFeatures(input, { onProgress })) void _;
    }).rejects.toThrow(/progress\.geojson: line 19001, column 19: not valid JSON: a comma right before '}'/);
    expect(bytes.length).toBeGreaterThan(3);
    expect(bytes.every((b, i) => i === 0 || b > bytes[i - 1])).toBe(true);
    expect(featureCounts).toEqual(Array.from({ length: 18 }, (_, i) => (i + 1) * 1000));
  });

  it('leaves one value longer than 64 Mi characters to the tokenizer path instead of joining it', async () => {
    const piece = '[1.5,2.5],'.repeat(100_000); // 1 MB of coordinates
    async function* huge() {
      yield '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"MultiPoint","coordinates":[';
      for (let n = 0; n < 70; n++) yield piece;
      yield '[0,0]]}}]}';
    }
    const { Readable } = await import('node:stream');
    const input: OpenedInput = {
      ...textInput('', 'huge.geojson'),
      stream: Readable.from(huge(), { objectMode: true }),
      reopen: async () => {
        throw new Error('started over on the tokenizer path');
      },
    };
    await expect(async () => {
      for await (const _ of readGeoJsonFeatures(input)) void _;
    }).rejects.toThrow('started over on the tokenizer path');
  });
});
