import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { area as turfArea, bbox as turfBbox, booleanPointInPolygon, polygon } from '@turf/turf';
import type { Feature, Point, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { readSharedJson, sharedPath } from '../helpers/data';

// An area edge more than 180° wide is a straight line in lon/lat (RFC 7946 §3.1.1) unless both
// its ends lie near the antimeridian (Fiji drawn 177° → −178°). Before, every such edge was read
// as crossing ±180: a "Eurasia" box −10…175 answered for the Americas, and the whole world and
// an Arctic cap box (edges from −180 to 180) were refused as having no area. Real data: the
// USGS major deposits of the world (3,161 points, Fiji and Chukotka among them); the expected
// answers are Turf's planar point-in-polygon on the polygons as drawn, or on the two halves of
// a box across 180° drawn by hand.
let dir: string;
let project: string;
let deposits: Feature<Point>[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-wide-'));
  project = join(dir, 'p.gpkg');
  deposits = readSharedJson('deposits', 'usgs-major-deposits-world.geojson').features;
  expect(runCli(['init', project]).code).toBe(0);
  const imp = runCli(['import', project, sharedPath('deposits', 'usgs-major-deposits-world.geojson')]);
  expect(imp.code).toBe(0);
  expect(imp.stdout).toMatch(new RegExp(`Imported ${deposits.length} deposits`));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const key = (c: number[], name: unknown) => `${c[0]} ${c[1]} ${name}`;
const ring = (w: number, s: number, e: number, n: number) => [[w, s], [e, s], [e, n], [w, n], [w, s]];

/** `query within` an area file holding `geometry`: the keys of the deposits it returns, sorted. */
function within(name: string, geometry: Polygon): string[] {
  const file = join(dir, `${name}.geojson`);
  writeFileSync(file, JSON.stringify({ type: 'Feature', properties: {}, geometry }));
  const r = runCli(['query', project, 'within', file]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).features.map((f: Feature<Point>) => key(f.geometry.coordinates, f.properties!.name)).sort();
}

function expected(test: (c: number[]) => boolean): string[] {
  return deposits.filter((f) => test(f.geometry.coordinates)).map((f) => key(f.geometry.coordinates, f.properties!.name)).sort();
}

describe('query within an area wider than 180°', () => {
  it('a Eurasia box −10…175 is the box as drawn (Turf, planar), not the other side of the globe', () => {
    const eurasia: Polygon = { type: 'Polygon', coordinates: [ring(-10, 30, 175, 75)] };
    const want = expected((c) => booleanPointInPolygon(c, eurasia));
    expect(want.length).toBeGreaterThan(1000);
    expect(want.some((k) => k.endsWith(' Kukenei'))).toBe(true); // 174.1° E, 69.1° N: inside, near the east edge
    expect(want.some((k) => k.endsWith(' Iultin'))).toBe(false); // 178.7° W: the other side of 180°
    const got = within('eurasia', eurasia);
    expect(got).toEqual(want);
    expect(got.every((k) => +k.split(' ')[0] >= -10 && +k.split(' ')[0] <= 175)).toBe(true);
  });

  it('the whole world contains every deposit', () => {
    const got = within('world', { type: 'Polygon', coordinates: [ring(-180, -90, 180, 90)] });
    expect(got).toHaveLength(deposits.length);
    expect(got).toEqual(expected(() => true));
  });

  it('an Arctic box −180…180 × 60…90 contains exactly the deposits at 60° N or more', () => {
    const want = expected((c) => c[1] >= 60);
    expect(want.length).toBeGreaterThan(100);
    expect(within('arctic', { type: 'Polygon', coordinates: [ring(-180, 60, 180, 90)] })).toEqual(want);
  });
});

describe('query within an area drawn across 180° (unsplit)', () => {
  it('Fiji 177 → −178: Namosi and Emperor, as Turf on the two halves', () => {
    const halves = [polygon([ring(177, -20, 180, -15)]), polygon([ring(-180, -20, -178, -15)])];
    const want = expected((c) => halves.some((h) => booleanPointInPolygon(c, h)));
    expect(want.map((k) => k.split(' ').slice(2).join(' ')).sort()).toEqual(['Emperor', 'Namosi']);
    expect(within('fiji', { type: 'Polygon', coordinates: [[[177, -20], [-178, -20], [-178, -15], [177, -15], [177, -20]]] })).toEqual(want);
  });

  it('Chukotka 165 → −170: deposits on both sides of 180°, as Turf on the two halves', () => {
    const halves = [polygon([ring(165, 60, 180, 72)]), polygon([ring(-180, 60, -170, 72)])];
    const want = expected((c) => halves.some((h) => booleanPointInPolygon(c, h)));
    expect(want.some((k) => +k.split(' ')[0] < 0)).toBe(true); // Iultin, 178.7° W
    expect(want.some((k) => +k.split(' ')[0] > 0)).toBe(true);
    expect(within('chukotka', { type: 'Polygon', coordinates: [[[165, 60], [-170, 60], [-170, 72], [165, 72], [165, 60]]] })).toEqual(want);
  });
});

describe('import of a survey wider than 180°', () => {
  it('stores a survey drawn over −10…175 as drawn, not split into 175…180 and −180…−10', () => {
    const drawn: Polygon = { type: 'Polygon', coordinates: [ring(-10, 30, 175, 75)] };
    const src = join(dir, 'survey.geojson');
    writeFileSync(src, JSON.stringify({ type: 'Feature', properties: { name: 'Eurasia reconnaissance' }, geometry: drawn }));
    expect(runCli(['import', project, src]).code).toBe(0);
    const out = join(dir, 'surveys.geojson');
    expect(runCli(['export', project, out, '--layer', 'surveys']).code).toBe(0);
    const fc = JSON.parse(readFileSync(out, 'utf8'));
    const f = fc.features.find((x: Feature) => x.properties!.name === 'Eurasia reconnaissance');
    const polys: number[][][][] = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    expect(polys).toHaveLength(1);
    expect(turfBbox(f)).toEqual([-10, 30, 175, 75]);
    expect(turfArea(f)).toBeCloseTo(turfArea(drawn), 0);
    expect(booleanPointInPolygon([2.35, 48.85], f)).toBe(true); // Paris
    expect(booleanPointInPolygon([-104.99, 39.74], f)).toBe(false); // Denver
  });
});
