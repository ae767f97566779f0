import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Papa from 'papaparse';
import { area as turfArea, booleanPointInPolygon, featureCollection, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { readSharedJson, sharedPath } from '../helpers/data';

// An area file may hold polygons that overlap: `query within` and `coverage --aoi` take the
// area as their union. Before, a point in two polygons counted as outside (even-odd over all
// rings of all features) and the AOI km² was the sum of the polygons. Real data: USGS Earth MRI
// projects 1034 (NM porphyry Cu belt, magnetics) and 20033 (porphyry Cu AZ+NM, geochemistry),
// which overlap, over the MinMod deposit points of the South-West.
type Row = Record<string, string>;
let dir: string;
let project: string;
let areaFile: string;
let features: Feature<MultiPolygon>[];
let rows: Row[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-overlap-'));
  project = join(dir, 'p.gpkg');
  features = readSharedJson('polygons', 'usgs-earthmri-projects-nm-sw.geojson').features.filter((f: Feature) => [1034, 20033].includes(f.properties!.pid));
  expect(features.map((f) => f.properties!.pid)).toEqual([1034, 20033]);
  areaFile = join(dir, 'mri-1034-20033.geojson');
  writeFileSync(areaFile, JSON.stringify(featureCollection(features)));
  // The MinMod sites in a box round New Mexico and Arizona (all WGS 84 there), as a CSV.
  const all = Papa.parse<Row>(gunzipSync(readFileSync(sharedPath('deposits', 'minmod-mineral-sites-located.csv.gz'))).toString('utf8'), { header: true, skipEmptyLines: true }).data;
  rows = all.filter((r) => +r.longitude > -115 && +r.longitude < -103 && +r.latitude > 31 && +r.latitude < 37.1);
  expect(rows.every((r) => ['', 'EPSG:4326', 'WGS84'].includes(r.crs))).toBe(true);
  const csv = join(dir, 'sw-sites.csv');
  writeFileSync(csv, Papa.unparse(rows));
  expect(runCli(['init', project]).code).toBe(0);
  const imp = runCli(['import', project, csv]);
  expect(imp.code).toBe(0);
  expect(imp.stdout).toMatch(new RegExp(`Imported ${rows.length} deposits`));
  // The surveys, so that coverage has something to measure (20047 crosses itself: skipped).
  expect(runCli(['import', project, sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), '--skip-invalid', '--report', join(dir, 'rej.geojson')]).code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const key = (lon: number, lat: number, name: string) => `${lon} ${lat} ${name}`;

describe('an area file of overlapping polygons', () => {
  it('query within finds every deposit inside any of the polygons, the overlap included (as Turf, feature by feature)', () => {
    const inside = rows.map((r) => features.map((f) => booleanPointInPolygon([+r.longitude, +r.latitude], f)));
    const expected = rows.filter((_, i) => inside[i].some(Boolean)).map((r) => key(+r.longitude, +r.latitude, r.name)).sort();
    const inBoth = inside.filter((x) => x.every(Boolean)).length;
    expect(inBoth).toBeGreaterThan(10); // the case that was lost
    expect(inside.filter((x) => x[0] && !x[1]).length).toBeGreaterThan(0);
    const r = runCli(['query', project, 'within', areaFile]);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout).features.map((f: any) => key(f.geometry.coordinates[0], f.geometry.coordinates[1], f.properties.name)).sort();
    expect(got).toEqual(expected);
  });

  it('coverage --aoi measures the union of the polygons, not their sum', () => {
    const u = union(featureCollection<Polygon | MultiPolygon>(features))!;
    const unionKm2 = turfArea(u) / 1e6;
    const sumKm2 = features.reduce((s, f) => s + turfArea(f), 0) / 1e6;
    expect(sumKm2 / unionKm2).toBeGreaterThan(1.02); // the overlap is big enough to tell them apart
    const r = runCli(['coverage', project, '--aoi', areaFile, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Math.abs(j.aoiKm2 - unionKm2) / unionKm2).toBeLessThan(0.005);
    // both projects are stored surveys: the AOI is fully covered, no gaps
    expect(j.coveredPct).toBeGreaterThan(99.99);
    expect(j.coveredPct).toBeLessThanOrEqual(100.0001);
    expect(j.gapsKm2).toBeLessThan(0.01 * unionKm2 / 100);
  });
});

describe('overlapping polygons across the antimeridian', () => {
  // Two boxes over Fiji, each crossing 180°: stored split in two at ±180, overlapping in both halves.
  const a: Polygon = { type: 'Polygon', coordinates: [[[172, -22], [-172, -22], [-172, -12], [172, -12], [172, -22]]] };
  const b: Polygon = { type: 'Polygon', coordinates: [[[176, -18], [-176, -18], [-176, -8], [176, -8], [176, -18]]] };
  /** The same box in one continuous frame (east of 180° as 180…360), where plain Turf is right. */
  const unwrap = (p: Polygon): Polygon => ({ type: 'Polygon', coordinates: p.coordinates.map((r) => r.map(([x, y]) => [x < 0 ? x + 360 : x, y])) });

  it('query within and coverage --aoi see the union on both sides of 180°', () => {
    const file = join(dir, 'fiji-boxes.geojson');
    writeFileSync(file, JSON.stringify(featureCollection([a, b].map((g) => ({ type: 'Feature', properties: {}, geometry: g })))));
    const pts: [number, number][] = [];
    for (let x = 170; x <= 190; x += 1.5) for (let y = -24; y <= -6; y += 1.5) pts.push([x > 180 ? x - 360 : x, y]);
    const fp = join(dir, 'fiji-pts.geojson');
    writeFileSync(fp, JSON.stringify(featureCollection(pts.map((c, i) => ({ type: 'Feature', properties: { name: `fiji-${i}` }, geometry: { type: 'Point', coordinates: c } })))));
    const p2 = join(dir, 'fiji.gpkg');
    expect(runCli(['init', p2]).code).toBe(0);
    expect(runCli(['import', p2, fp]).code).toBe(0);

    const shifted = (c: [number, number]) => [c[0] < 0 ? c[0] + 360 : c[0], c[1]];
    const inA = pts.map((c) => booleanPointInPolygon(shifted(c), unwrap(a)));
    const inB = pts.map((c) => booleanPointInPolygon(shifted(c), unwrap(b)));
    expect(pts.filter((c, i) => inA[i] && inB[i] && c[0] > 0).length).toBeGreaterThan(0);
    expect(pts.filter((c, i) => inA[i] && inB[i] && c[0] < 0).length).toBeGreaterThan(0);
    const expected = pts.map((_, i) => `fiji-${i}`).filter((_, i) => inA[i] || inB[i]).sort();
    const r = runCli(['query', p2, 'within', file]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).features.map((f: any) => f.properties.name).sort()).toEqual(expected);

    const unionKm2 = turfArea(union(featureCollection([unwrap(a), unwrap(b)].map((g) => ({ type: 'Feature' as const, properties: {}, geometry: g }))))!) / 1e6;
    const c = runCli(['coverage', p2, '--aoi', file, '--json']);
    expect(c.code).toBe(0);
    const j = JSON.parse(c.stdout);
    expect(Math.abs(j.aoiKm2 - unionKm2) / unionKm2).toBeLessThan(0.005);
    expect(j.gapsKm2).toBeCloseTo(j.aoiKm2, 3);
  });
});
