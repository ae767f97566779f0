import { SHARED_DATA } from '../../helpers/data';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { booleanClockwise } from '@turf/turf';
import type { FeatureCollection, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../../src/errors';
import { readGeoJsonFeatures } from '../../../src/formats/geojson/read';
import { openTextInput } from '../../../src/formats/open-input';
import { validateGeometry } from '../../../src/geometry/validate';

/**
 * The real datasets in ../shared/data (see its README) through the reader and the
 * validator. The expected failures were checked outside this code: GEOS 3.11 (ogrinfo with
 * SpatiaLite IsValidReason) and a brute-force pair check agree with every one. GEOS also
 * flags self-touching rings ("Ring Self-intersection") and zero-width spikes, which Outcrop
 * accepts on purpose (they add no area and break no query); Arizona 2462 is such a ring.
 */
const DATA = process.env.OUTCROP_DATA ?? SHARED_DATA;
const FIXTURES = fileURLToPath(new URL('../../fixtures/geojson/', import.meta.url));

interface Result {
  count: number;
  failing: Map<number, Problem[]>;
  types: Set<string>;
  ms: number;
}

async function validateFile(path: string): Promise<Result> {
  const t0 = performance.now();
  const input = await openTextInput(path);
  const failing = new Map<number, Problem[]>();
  const types = new Set<string>();
  let count = 0;
  for await (const raw of readGeoJsonFeatures(input)) {
    count++;
    expect(raw.problems ?? []).toEqual([]);
    const r = validateGeometry(raw.geometry, { file: input.name, featureIndex: raw.index, featureId: raw.id });
    if (r.problems.length) failing.set(raw.index, r.problems);
    if (r.geometry) types.add(r.geometry.type);
  }
  return { count, failing, types, ms: performance.now() - t0 };
}

describe.skipIf(!existsSync(DATA))('real data', () => {
  it('Arizona geologic map: 4 841 polygons, ~502k vertices, in a few seconds; one bow-tie (unit 3049)', async () => {
    const r = await validateFile(join(DATA, 'polygons/arizona-geology-1m-polygons.geojson.gz'));
    console.info(`arizona-geology-1m-polygons: read + validate ${r.count} features in ${Math.round(r.ms)} ms`);
    expect(r.count).toBe(4841);
    expect(r.ms).toBeLessThan(10_000);
    expect([...r.failing.keys()]).toEqual([3049]);
    // GEOS: "Self-intersection[-109.398809641052 33.1499179448827]".
    expect(r.failing.get(3049)).toMatchObject([
      {
        file: 'arizona-geology-1m-polygons.geojson.gz',
        featureIndex: 3049,
        field: 'geometry.coordinates[0][16]',
        message: 'outline crosses itself near [-109.39881, 33.149918] (a bow-tie)',
      },
    ]);
  });

  it('Earth MRI project areas: only pid 20047 fails, with two small loops on the Los Angeles coast', async () => {
    const r = await validateFile(join(DATA, 'polygons/usgs-earthmri-projects-nm-sw.geojson'));
    expect(r.count).toBe(13);
    expect([...r.failing.keys()]).toEqual([9]);
    const problems = r.failing.get(9)!;
    expect(problems[0].featureId).toBe('https://mrdata.usgs.gov/earthmri/data-acquisition/project/20047');
    // Each loop crosses the outline twice: edge 5158→5159 pokes below edge 5163→5164 and back.
    expect(problems.map((p) => p.field).sort()).toEqual([
      'geometry.coordinates[15][0][4735]',
      'geometry.coordinates[15][0][4735]',
      'geometry.coordinates[15][0][5163]',
      'geometry.coordinates[15][0][5163]',
    ]);
    expect(problems.every((p) => p.message.startsWith('part 15: outline crosses itself near [-118.'))).toBe(true);
  });

  it('Japan prefectures (from quantised TopoJSON): 27 of 47 have real crossings or overlaps', async () => {
    const r = await validateFile(join(DATA, 'polygons/japan-prefectures.geojson'));
    expect(r.count).toBe(47);
    expect([...r.failing.keys()]).toEqual([0, 1, 3, 6, 11, 12, 13, 14, 15, 22, 23, 27, 29, 31, 32, 33, 34, 35, 36, 37, 39, 40, 41, 42, 43, 45, 46]);
    // Fukushima (index 6) crosses itself where vertex 242 sits on edge 245→246.
    expect(r.failing.get(6)!.map((p) => p.message)).toContain('outline crosses itself near [141.030103, 37.322416] (a bow-tie)');
    // Ishikawa (16) only has spikes and self-touches: accepted.
    expect(r.failing.has(16)).toBe(false);
  });

  const deposits: [string, number][] = [
    ['earthmri-focus-sites-us.geojson', 683],
    ['japan-sites.geojson', 207],
    ['ni43101-report-sites-world.geojson', 873],
    ['usgs-major-deposits-world.geojson', 3161],
    ['usgs-ree-deposits-world.geojson', 578],
  ];
  for (const [name, n] of deposits) {
    it(`deposits/${name}: ${n} valid points`, async () => {
      const r = await validateFile(join(DATA, 'deposits', name));
      expect(r.count).toBe(n);
      expect([...r.failing.keys()]).toEqual([]);
      expect([...r.types]).toEqual(['Point']);
    });
  }
});

describe('real-data excerpts (tests/fixtures/geojson)', () => {
  const load = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as FeatureCollection;

  it('arizona-geology-1m-polygons-3049: the bow-tie, at the point GEOS reports', () => {
    const f = load('arizona-geology-1m-polygons-3049.geojson').features[0];
    const r = validateGeometry(f.geometry, {});
    expect(r.problems.map((p) => [p.field, p.message])).toEqual([
      ['geometry.coordinates[0][16]', 'outline crosses itself near [-109.39881, 33.149918] (a bow-tie)'],
    ]);
  });

  it('arizona-geology-1m-polygons-2462: vertex 37 lies on edge 40→41 but the ring does not cross there', () => {
    const f = load('arizona-geology-1m-polygons-2462.geojson').features[0];
    const r = validateGeometry(f.geometry, {});
    expect(r.problems).toEqual([]);
    // The file has it clockwise (ogr2ogr keeps the source winding); stored reversed.
    const ring = (f.geometry as Polygon).coordinates[0];
    expect(booleanClockwise(ring)).toBe(true);
    expect(r.geometry).toEqual({ type: 'Polygon', coordinates: [ring.slice().reverse()] });
  });
});
