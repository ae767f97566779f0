import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { area, bbox, booleanPointInPolygon, featureCollection, union } from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Project } from '../../../src/store/project';
import { importFile } from '../../../src/import/import-file';
import { emptySurveyFields } from '../../../src/model/defaults';
import { dissolveSteps, surveyCoverage, unionAreas } from '../../../src/spatial/coverage';
import { areaFromGeoJson, countryArea } from '../../../src/spatial/coverage-aoi';
import { readSharedJson, sharedPath } from '../../helpers/data';

// Real data: the 13 USGS Earth MRI project areas; pid 20047 crosses itself and is skipped on import.
const mri = (readSharedJson('polygons', 'usgs-earthmri-projects-nm-sw.geojson').features as Feature<MultiPolygon>[]).filter(
  (f) => f.properties!.pid !== 20047,
);
const AOI: Polygon = { type: 'Polygon', coordinates: [[[-109, 31.5], [-103, 31.5], [-103, 35], [-109, 35], [-109, 31.5]]] };

function drainSteps<T>(steps: Generator<void, T>): T {
  for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
}

/** Equal-area grid over the AOI box: uniform in longitude and in sin(latitude). */
function samplePoints(n: number): [number, number][] {
  const [w, s, e, nn] = bbox(AOI);
  const out: [number, number][] = [];
  const s0 = Math.sin((s * Math.PI) / 180), s1 = Math.sin((nn * Math.PI) / 180);
  for (let i = 0; i < n; i++) {
    const lat = (Math.asin(s0 + ((i + 0.5) / n) * (s1 - s0)) * 180) / Math.PI;
    for (let j = 0; j < n; j++) out.push([w + ((j + 0.5) / n) * (e - w), lat]);
  }
  return out;
}

let dir: string;
let project: Project;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-coverage-'));
  project = Project.open(join(dir, 'p.gpkg'), { create: true });
  const r = await importFile(project, sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), { skipInvalid: true });
  expect(r.written.surveys).toBe(12);
});
afterAll(() => {
  project.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('surveyCoverage on the Earth MRI areas (New Mexico box)', () => {
  const N = 220;
  const pts = samplePoints(N);
  // For every sample point: the affiliations of the source polygons that contain it (brute force, plain Turf).
  const inside = pts.map((p) => new Set(mri.filter((f) => booleanPointInPolygon(p, f.geometry)).map((f) => String(f.properties!.affiliatio))));

  it('covered % agrees with a grid point-sampling estimate within 1 %', () => {
    const c = surveyCoverage(project, { aoi: AOI });
    const expectedPct = (inside.filter((s) => s.size > 0).length / pts.length) * 100;
    expect(c.coveredPct!).toBeGreaterThan(10);
    expect(Math.abs(c.coveredPct! - expectedPct)).toBeLessThan(1);
    expect(c.aoiKm2).toBeCloseTo(area(AOI) / 1e6, 6);
  });

  it('gaps + covered area = AOI area (1e-6 relative)', () => {
    const c = surveyCoverage(project, { aoi: AOI });
    expect(Math.abs(c.gapsKm2! + c.coveredKm2 - c.aoiKm2!) / c.aoiKm2!).toBeLessThan(1e-6);
    expect(c.gaps!.type).toMatch(/Polygon/);
  });

  it('names overlaps between agencies (affiliatio) and sizes them like the samples do', () => {
    const c = surveyCoverage(project, { aoi: AOI, by: 'agency' });
    const cellKm2 = c.aoiKm2! / pts.length;
    const pairKey = (a: string, b: string) => [a, b].sort().join(' ∩ ');
    const expected = new Map<string, number>();
    for (const s of inside) {
      const list = [...s].sort();
      for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) expected.set(pairKey(list[i], list[j]), (expected.get(pairKey(list[i], list[j])) ?? 0) + 1);
    }
    const got = new Map(c.overlaps.map((o) => [pairKey(o.a, o.b), o.areaKm2]));
    expect(expected.size).toBeGreaterThan(2);
    for (const [k, count] of expected) {
      expect(got.has(k), k).toBe(true);
      expect(Math.abs(got.get(k)! - count * cellKm2)).toBeLessThan(0.005 * c.aoiKm2!);
    }
    // Overlaps the grid did not see are slivers (below 0.5 % of the AOI).
    for (const [k, km2] of got) if (!expected.has(k)) expect(km2).toBeLessThan(0.005 * c.aoiKm2!);
    expect(c.groups.map((g) => g.key)).toContain('New Mexico Bureau of Geology and Mineral Resources');
  });

  it('filters by method and date', () => {
    const geo = surveyCoverage(project, { aoi: AOI, filter: { method: ['geophysics'] } });
    const all = surveyCoverage(project, { aoi: AOI });
    expect(geo.surveyCount).toBeLessThan(all.surveyCount);
    expect(geo.coveredKm2).toBeLessThanOrEqual(all.coveredKm2 + 1e-6);
    const late = surveyCoverage(project, { aoi: AOI, filter: { from: '2024' } });
    expect(late.surveyCount).toBeLessThan(all.surveyCount);
  });

  it('union in batches equals the union of one sweep', () => {
    const geoms = mri.map((f) => f.geometry);
    const batched = unionAreas(geoms);
    const all = mri.reduce((a, f) => a + area(f), 0);
    expect(area(batched!)).toBeLessThan(all);
    expect(area(batched!)).toBeGreaterThan(Math.max(...mri.map((f) => area(f))));
  });

  it('an AOI of overlapping polygons is measured as their union (the 12 Earth MRI areas, all stored)', () => {
    const aoi = areaFromGeoJson({ type: 'FeatureCollection', features: mri }, 'earthmri.geojson');
    const unionKm2 = area(union(featureCollection(mri))!) / 1e6;
    const sumKm2 = mri.reduce((a, f) => a + area(f), 0) / 1e6;
    expect(sumKm2 / unionKm2).toBeGreaterThan(1.2);
    const c = surveyCoverage(project, { aoi });
    expect(Math.abs(c.aoiKm2! - unionKm2) / unionKm2).toBeLessThan(0.005);
    expect(c.coveredPct!).toBeCloseTo(100, 3); // the AOI is exactly the stored surveys
    expect(c.gapsKm2!).toBeLessThan(1e-4 * unionKm2);
  });

  it('dissolveSteps leaves an area whose parts cannot overlap as it is, and a valid area its km²', () => {
    const split: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [
        [[[178, -18.5], [180, -18.5], [180, -17], [178, -17], [178, -18.5]]],
        [[[-180, -18.5], [-179.5, -18.5], [-179.5, -17], [-180, -17], [-180, -18.5]]],
      ],
    };
    expect(drainSteps(dissolveSteps(split))).toBe(split);
    // Fiji's islands have overlapping boxes, so they go through a union: same land, same km².
    const fiji = countryArea('fiji');
    const d = drainSteps(dissolveSteps(fiji));
    expect(Math.abs(area(d) - area(fiji)) / area(fiji)).toBeLessThan(1e-9);
  });

  it('does not modify its inputs, stops when aborted', () => {
    const copy = JSON.stringify(AOI);
    surveyCoverage(project, { aoi: AOI, by: 'method' });
    expect(JSON.stringify(AOI)).toBe(copy);
    const ac = new AbortController();
    ac.abort();
    expect(() => surveyCoverage(project, { aoi: AOI, signal: ac.signal })).toThrow();
  });
});

describe('surveyCoverage across the antimeridian (Fiji)', () => {
  it('a survey split at 180° covers an AOI split at 180°, without wrapping', async () => {
    const p = Project.open(join(dir, 'fiji.gpkg'), { create: true });
    try {
      const east: Polygon['coordinates'] = [[[177, -19], [180, -19], [180, -16], [177, -16], [177, -19]]];
      const west: Polygon['coordinates'] = [[[-180, -19], [-179, -19], [-179, -16], [-180, -16], [-180, -19]]];
      const aoi: MultiPolygon = {
        type: 'MultiPolygon',
        coordinates: [
          [[[178, -18.5], [180, -18.5], [180, -17], [178, -17], [178, -18.5]]],
          [[[-180, -18.5], [-179.5, -18.5], [-179.5, -17], [-180, -17], [-180, -18.5]]],
        ],
      };
      const westAoiKm2 = area({ type: 'Polygon', coordinates: aoi.coordinates[1] }) / 1e6;
      await p.write('test', 'fiji', (w) => w.insertSurvey({ ...emptySurveyFields('west only'), agency: 'GSJ' }, { type: 'Polygon', coordinates: west }));
      const part = surveyCoverage(p, { aoi });
      expect(part.coveredKm2).toBeCloseTo(westAoiKm2, 3);
      expect(part.coveredPct).toBeCloseTo((westAoiKm2 / (area(aoi) / 1e6)) * 100, 4);
      await p.write('test', 'fiji', (w) => w.insertSurvey({ ...emptySurveyFields('both sides'), agency: 'USGS' }, { type: 'MultiPolygon', coordinates: [east, west] }));
      const c = surveyCoverage(p, { aoi, by: 'agency' });
      expect(c.coveredPct).toBeCloseTo(100, 6);
      expect(c.gaps).toBeNull();
      const lons = JSON.stringify(c.union).match(/-?\d+(\.\d+)?(?=,)/g)!.map(Number);
      expect(Math.max(...lons)).toBeLessThanOrEqual(180);
      expect(Math.min(...lons)).toBeGreaterThanOrEqual(-180);
      expect(c.overlaps).toHaveLength(1);
      expect([c.overlaps[0].a, c.overlaps[0].b]).toEqual(['GSJ', 'USGS']);
      expect(c.overlaps[0].areaKm2).toBeCloseTo(westAoiKm2, 3);
    } finally {
      p.close();
    }
  });

  it('resolves --country Fiji from world-atlas, split at 180°, about Fiji’s land area', () => {
    const fiji = countryArea('fiji');
    expect(fiji.type).toBe('MultiPolygon');
    const lons = (fiji as MultiPolygon).coordinates.flat(2).map((p) => p[0]);
    expect(lons.some((x) => x > 179)).toBe(true);
    expect(lons.some((x) => x < -179)).toBe(true);
    expect(area(fiji) / 1e6).toBeGreaterThan(17_000); // 18,274 km² (Fiji Bureau of Statistics); Natural Earth 1:50m is coarser
    expect(area(fiji) / 1e6).toBeLessThan(20_000);
    expect(() => countryArea('Atlantis')).toThrow(/unknown country/);
  });

  it('poles: a polar-cap survey over a polar AOI matches the spherical band formula', async () => {
    const p = Project.open(join(dir, 'pole.gpkg'), { create: true });
    try {
      await p.write('test', 'cap', (w) => w.insertSurvey(emptySurveyFields('Arctic cap'), { type: 'Polygon', coordinates: [[[-180, 85], [180, 85], [180, 90], [-180, 90], [-180, 85]]] }));
      const aoi: Polygon = { type: 'Polygon', coordinates: [[[-180, 80], [180, 80], [180, 90], [-180, 90], [-180, 80]]] };
      const c = surveyCoverage(p, { aoi });
      // Band area on a sphere: 2πR²(sin φ2 − sin φ1), so the ratio needs no radius.
      const rad = Math.PI / 180;
      const expected = ((1 - Math.sin(85 * rad)) / (1 - Math.sin(80 * rad))) * 100;
      expect(Math.abs(c.coveredPct! - expected) / expected).toBeLessThan(1e-6);
      expect(c.aoiKm2).toBeCloseTo((2 * Math.PI * 6371.0088 ** 2 * (1 - Math.sin(80 * rad))), -1);
    } finally {
      p.close();
    }
  });

  it('empty project: nothing covered, the gap is the AOI', () => {
    const p = Project.open(join(dir, 'empty.gpkg'), { create: true });
    try {
      const c = surveyCoverage(p, { aoi: AOI });
      expect(c.surveyCount).toBe(0);
      expect(c.coveredKm2).toBe(0);
      expect(c.gapsKm2).toBeCloseTo(c.aoiKm2!, 6);
    } finally {
      p.close();
    }
  });
});
