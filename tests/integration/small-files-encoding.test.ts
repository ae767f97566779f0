import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateGeometry } from '../../src/geometry/validate';
import { hasCommand, runCli } from '../helpers/cli';
import { readSharedJson, sharedPath } from '../helpers/data';

// The small GeoJSON files the CLI reads whole (a query area, an area of interest, candidate
// sites, exclusion zones) follow the import's text rules: bytes that are not UTF-8 stop the read
// with the line and the likely encoding, and --encoding reads them. Before, they were decoded
// leniently: Shift-JIS site names came out as U+FFFD. Data: the real prefecture outlines (with
// their Japanese names) and the real Japanese deposit points.
let dir: string;
let project: string;
let prefectures: Feature<Polygon | MultiPolygon, { nam: string; nam_ja: string }>[];
let sites: Feature<Point, { name: string }>[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-small-enc-'));
  project = join(dir, 'p.gpkg');
  expect(runCli(['init', project]).code).toBe(0);
  expect(runCli(['import', project, sharedPath('deposits', 'japan-sites.geojson')]).code).toBe(0);
  const all = readSharedJson<FeatureCollection<Polygon | MultiPolygon, { nam: string; nam_ja: string }>>('polygons', 'japan-prefectures.geojson').features;
  sites = readSharedJson<FeatureCollection<Point, { name: string }>>('deposits', 'japan-sites.geojson').features;
  // The three prefectures holding the most sites, counted here with Turf, among those whose
  // outline is valid as it is (Hokkaido's crosses itself at one islet, and is refused).
  const counted = all.filter((p) => validateGeometry(p.geometry, { file: 'japan-prefectures.geojson' }).problems.length === 0).map((p) => ({ p, n: sites.filter((s) => booleanPointInPolygon(s.geometry, p)).length }));
  prefectures = counted.sort((a, b) => b.n - a.n).slice(0, 3).map((c) => c.p);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Write `text` in `encoding` with the system's iconv, as another program would. */
function encoded(name: string, text: string, encoding: string): string {
  const path = join(dir, name);
  writeFileSync(path, execFileSync('iconv', ['-f', 'UTF-8', '-t', encoding], { input: text }));
  return path;
}

const withIconv = hasCommand('iconv') ? describe : describe.skip;

withIconv('small GeoJSON inputs in Shift-JIS', () => {
  it('query within: refused without --encoding (file, line, suggestion), read with it; the same deposits as Turf finds', () => {
    const aoi = encoded('aoi-sjis.geojson', JSON.stringify({ type: 'FeatureCollection', features: prefectures }), 'SHIFT_JIS');
    const refused = runCli(['query', project, 'within', aoi]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/aoi-sjis\.geojson: line 1: .*not UTF-8 text.*--encoding shift_jis/);

    const r = runCli(['query', project, 'within', aoi, '--encoding', 'shift_jis']);
    expect(r.code, r.stderr).toBe(0);
    const got = (JSON.parse(r.stdout) as FeatureCollection).features.map((f) => f.properties!.name).sort();
    const expected = sites.filter((s) => prefectures.some((p) => booleanPointInPolygon(s.geometry, p))).map((s) => s.properties.name).sort();
    expect(expected.length).toBeGreaterThan(10);
    expect(got).toEqual(expected);
  });

  it('compare --sites: Japanese site names arrive intact with --encoding shift_jis', () => {
    const candidates = prefectures.map((p) => ({ type: 'Feature', geometry: p.geometry, properties: { name: `${p.properties.nam_ja}候補地` } }));
    const file = encoded('sites-sjis.geojson', JSON.stringify({ type: 'FeatureCollection', features: candidates }), 'SHIFT_JIS');
    const refused = runCli(['compare', project, '--sites', file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/sites-sjis\.geojson: line 1: .*--encoding shift_jis/);

    const r = runCli(['compare', project, '--sites', file, '--encoding', 'shift_jis', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const names = (JSON.parse(r.stdout) as { scores: { name: string }[] }).scores.map((s) => s.name);
    expect(names.sort()).toEqual(candidates.map((c) => c.properties.name).sort());
    expect(names.join('')).not.toContain('\uFFFD');
  });

  it('sites add and coverage --aoi take --encoding too; a UTF-16 file with a byte-order mark needs none', () => {
    const candidates = prefectures.map((p) => ({ type: 'Feature', geometry: p.geometry, properties: { name: p.properties.nam_ja } }));
    const sjis = encoded('add-sjis.geojson', JSON.stringify({ type: 'FeatureCollection', features: candidates }), 'SHIFT_JIS');
    const added = runCli(['sites', 'add', project, sjis, '--encoding', 'shift_jis']);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout.trim().split('\n').map((l) => l.split('\t')[1])).toEqual(prefectures.map((p) => p.properties.nam_ja));

    // iconv writes UTF-16 with a byte-order mark.
    const utf16 = encoded('aoi-utf16.geojson', JSON.stringify({ type: 'FeatureCollection', features: prefectures }), 'UTF-16');
    const cov = runCli(['coverage', project, '--aoi', utf16, '--json']);
    expect(cov.code, cov.stderr).toBe(0);
    const fromSjis = runCli(['coverage', project, '--aoi', encoded('aoi2-sjis.geojson', JSON.stringify({ type: 'FeatureCollection', features: prefectures }), 'SHIFT_JIS'), '--encoding', 'shift_jis', '--json']);
    expect(fromSjis.code, fromSjis.stderr).toBe(0);
    // The same area either way (the AOI's km² is in the result).
    expect(JSON.parse(fromSjis.stdout).aoiKm2).toBeGreaterThan(1000);
    expect(JSON.parse(cov.stdout).aoiKm2).toBe(JSON.parse(fromSjis.stdout).aoiKm2);
  });
});
