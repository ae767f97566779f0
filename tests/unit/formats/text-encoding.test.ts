import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadInputError, OutcropError } from '../../../src/errors';
import { readCsvFeatures } from '../../../src/formats/csv/read';
import { readGeoJsonFeatures } from '../../../src/formats/geojson/read';
import { openTextInput, type TextInputOptions } from '../../../src/formats/open-input';
import { hasCommand } from '../../helpers/cli';
import { importFile } from '../../../src/import/import-file';
import { importReferenceLayer } from '../../../src/import/reference-layer';
import { Project } from '../../../src/store/project';
import { readSharedJson, sharedPath } from '../../helpers/data';

// Real names: MinMod sites with accented Latin names (Peñasquito, Chihuiña …) and the Japanese
// names of the 47 prefectures, written in the encodings Excel and older tools still produce.
let dir: string;
let latin: { name: string; longitude: string; latitude: string }[];
let japanese: { name: string; longitude: number; latitude: number }[];
const csvOf = (rows: { name: string; longitude: string | number; latitude: string | number }[]) =>
  Papa.unparse(rows.map((r) => ({ name: r.name, longitude: r.longitude, latitude: r.latitude })), { newline: '\n' }) + '\n';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-enc-'));
  const minmod = Papa.parse<Record<string, string>>(gunzipSync(readFileSync(sharedPath('deposits', 'minmod-mineral-sites-located.csv.gz'))).toString('utf8'), { header: true, skipEmptyLines: true }).data;
  // ASCII rows first, so the first non-UTF-8 byte is some way into the file; then Latin-1 names.
  latin = [
    ...minmod.filter((r) => /^[\x20-\x7e]+$/.test(r.name)).slice(0, 40),
    ...minmod.filter((r) => /[À-ÿ]/.test(r.name) && /^[\x20-\x7e À-ÿ]+$/.test(r.name)).slice(0, 200),
  ].map((r) => ({ name: r.name, longitude: r.longitude, latitude: r.latitude }));
  japanese = (readSharedJson('polygons', 'japan-prefectures.geojson').features as { properties: { nam_ja: string } }[]).map((f, i) => ({
    name: f.properties.nam_ja,
    longitude: 130 + (i % 10),
    latitude: 31 + Math.floor(i / 10),
  }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Write `text` in `encoding` with the system's iconv (glibc), as another program would. */
function encoded(name: string, text: string, encoding: string): string {
  const path = join(dir, name);
  writeFileSync(path, execFileSync('iconv', ['-f', 'UTF-8', '-t', encoding], { input: text }));
  return path;
}

async function names(path: string, opts?: TextInputOptions): Promise<string[]> {
  const out: string[] = [];
  for await (const f of readCsvFeatures(await openTextInput(path, opts))) out.push(String(f.properties.name));
  return out;
}

async function failure(path: string, opts?: TextInputOptions): Promise<BadInputError> {
  const err = await names(path, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BadInputError);
  return err as BadInputError;
}

const withIconv = hasCommand('iconv') ? describe : describe.skip;

withIconv('text that is not UTF-8', () => {
  it('Windows-1252 is refused at the first byte UTF-8 cannot hold, naming its line, never read as U+FFFD', async () => {
    const text = csvOf(latin);
    const path = encoded('latin.csv', text, 'WINDOWS-1252');
    const err = await failure(path);
    const firstLine = text.split('\n').findIndex((l) => /[^\x00-\x7f]/.test(l)) + 1;
    expect(firstLine).toBe(42); // header + 40 ASCII rows
    expect(err.problem).toMatchObject({ file: 'latin.csv', line: firstLine, code: 'input.notUtf8' });
    const ch = [...text.split('\n')[firstLine - 1]].find((c) => c.charCodeAt(0) > 0x7f)!;
    expect(err.problem?.params?.bytes).toMatch(new RegExp(`^${ch.charCodeAt(0).toString(16).toUpperCase()}\\b`));
    expect(err.message).toMatch(/latin\.csv: line 42: .*not UTF-8 text.*--encoding windows-1252/);
  });

  it('"ñ" before a letter (bytes F1 61, valid Shift-JIS too) is still taken for Windows-1252', async () => {
    const err = await failure(encoded('penasquito.csv', csvOf([{ name: 'Peñasquito', longitude: '-101.7', latitude: '24.65' }]), 'WINDOWS-1252'));
    expect(err.problem?.params).toMatchObject({ bytes: expect.stringMatching(/^F1 61/), suggest: 'windows-1252' });
  });

  it('Windows-1252 with --encoding reads every name exactly', async () => {
    const path = encoded('latin2.csv', csvOf(latin), 'WINDOWS-1252');
    expect(await names(path, { encoding: 'windows-1252' })).toEqual(latin.map((r) => r.name));
    expect(await names(path, { encoding: 'cp1252' })).toEqual(latin.map((r) => r.name));
  });

  it('Shift-JIS is refused with shift_jis suggested; with --encoding every prefecture name is read exactly', async () => {
    const path = encoded('kozan.csv', csvOf(japanese), 'SHIFT_JIS');
    const err = await failure(path);
    expect(err.problem).toMatchObject({ line: 2, code: 'input.notUtf8', params: expect.objectContaining({ suggest: 'shift_jis' }) });
    expect(await names(path, { encoding: 'shift_jis' })).toEqual(japanese.map((r) => r.name));
    // GeoJSON too.
    const geo = encoded('kozan.geojson', JSON.stringify({ type: 'FeatureCollection', features: japanese.map((r) => ({ type: 'Feature', properties: { name: r.name }, geometry: { type: 'Point', coordinates: [r.longitude, r.latitude] } })) }), 'SHIFT_JIS');
    const read: string[] = [];
    for await (const f of readGeoJsonFeatures(await openTextInput(geo, { encoding: 'shift_jis' }))) read.push(String(f.properties.name));
    expect(read).toEqual(japanese.map((r) => r.name));
    await expect(openTextInput(geo).then(async (i) => { for await (const _ of readGeoJsonFeatures(i)); })).rejects.toMatchObject({ problem: { code: 'input.notUtf8', line: 1 } });
  });

  it('--encoding reaches the import worker (files of 2 MB or more are read there)', async () => {
    const path = encoded('kozan-worker.csv', csvOf(japanese), 'SHIFT_JIS');
    const p = Project.open(join(dir, 'worker.gpkg'), { create: true });
    try {
      await expect(importFile(p, path, { worker: 'always' })).rejects.toMatchObject({ problem: { code: 'input.notUtf8', line: 2 } });
      const r = await importFile(p, path, { worker: 'always', encoding: 'shift_jis' });
      expect(r.written.deposits).toBe(japanese.length);
      expect(p.db.prepare('SELECT name FROM deposits ORDER BY fid').pluck().all()).toEqual(japanese.map((x) => x.name));
    } finally {
      p.close();
    }
  });

  it('a reference layer in Shift-JIS GeoJSON is refused at its line, and read exactly with its encoding', async () => {
    const fc = { type: 'FeatureCollection', features: japanese.slice(0, 5).map((r) => ({ type: 'Feature', properties: { name: `${r.name} 国道` }, geometry: { type: 'LineString', coordinates: [[r.longitude, r.latitude], [r.longitude + 0.5, r.latitude + 0.2]] } })) };
    const path = encoded('roads-sjis.geojson', JSON.stringify(fc), 'SHIFT_JIS');
    const p = Project.open(join(dir, 'layers.gpkg'), { create: true });
    try {
      await expect(importReferenceLayer(p, path, { role: 'infrastructure' })).rejects.toMatchObject({ problem: { code: 'input.notUtf8', line: 1 } });
      const layer = await importReferenceLayer(p, path, { role: 'infrastructure', encoding: 'shift_jis' });
      expect(layer.featureCount).toBe(5);
      expect(p.db.prepare('SELECT name FROM reference_features ORDER BY fid').pluck().all()).toEqual(fc.features.map((f) => f.properties.name));
    } finally {
      p.close();
    }
  });

  it('UTF-16 with a byte-order mark (Excel "Unicode text") is read without being told', async () => {
    const text = csvOf([...japanese, ...latin]);
    const le = join(dir, 'u16le.csv');
    writeFileSync(le, Buffer.from(`\ufeff${text}`, 'utf16le'));
    expect(await names(le)).toEqual([...japanese, ...latin].map((r) => r.name));
    const be = encoded('u16be.csv', `\ufeff${text}`, 'UTF-16BE');
    expect(await names(be)).toEqual([...japanese, ...latin].map((r) => r.name));
  });
});

describe('UTF-8 input', () => {
  it('keeps a U+FFFD the file really holds, and multi-byte characters across read chunks', async () => {
    // Rows of Japanese names past several 256 KiB reads: some character straddles a boundary.
    const rows = Array.from({ length: 40000 }, (_, i) => ({ name: `${japanese[i % japanese.length].name}\ufffd${i}`, longitude: 135, latitude: 35 }));
    const path = join(dir, 'big-utf8.csv');
    writeFileSync(path, csvOf(rows));
    expect(readFileSync(path).length).toBeGreaterThan(3 * 256 * 1024);
    expect(await names(path)).toEqual(rows.map((r) => r.name));
  });

  it('an invalid byte deep in a large file is reported at its own line', async () => {
    const rows = Array.from({ length: 40000 }, (_, i) => ({ name: `${japanese[i % japanese.length].name} ${i}`, longitude: 135, latitude: 35 }));
    const good = Buffer.from(csvOf(rows));
    const lineStart = good.indexOf(`\n${rows[29999].name},`) + 1; // line 30001: header + 30000 rows
    const bad = Buffer.concat([good.subarray(0, lineStart + 3), Buffer.from([0xff]), good.subarray(lineStart + 3)]);
    const path = join(dir, 'bad-deep.csv');
    writeFileSync(path, bad);
    expect(lineStart).toBeGreaterThan(2 * 256 * 1024); // a few reads in
    const err = await failure(path);
    expect(err.problem).toMatchObject({ line: 30001, params: expect.objectContaining({ bytes: expect.stringMatching(/^FF /) }) });
  });

  it('an unknown encoding name is a usage error', async () => {
    const path = join(dir, 'plain.csv');
    writeFileSync(path, csvOf(latin.slice(0, 3)));
    await expect(openTextInput(path, { encoding: 'klingon' })).rejects.toSatisfy((e: unknown) => e instanceof OutcropError && e.code === 'USAGE' && /unknown text encoding "klingon"/.test(e.message));
  });
});
