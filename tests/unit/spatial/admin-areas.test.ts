/**
 * US states and Japanese prefectures as areas of interest (src/spatial/admin-areas.ts), from the
 * offline basemap's outlines. Expected values: official areas (US Census, GSI), the full-detail
 * GSI source in ../shared/data, the spherical box formula, and Turf on the asset file read here.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { area, bbox as turfBBox, booleanPointInPolygon, featureCollection, intersect } from '@turf/turf';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateGeometry } from '../../../src/geometry/validate';
import { emptySurveyFields } from '../../../src/model/defaults';
import { prefectureArea, prefectureBounds, prefectureLabel, prefectureList, stateArea, stateBounds, stateLabel, stateList } from '../../../src/spatial/admin-areas';
import { surveyCoverage } from '../../../src/spatial/coverage';
import { Project } from '../../../src/store/project';
import { readSharedJson } from '../../helpers/data';

const ROOT = resolve(__dirname, '../../..');
const asset = (name: string) => JSON.parse(readFileSync(join(ROOT, 'assets/basemap', name), 'utf8')) as FeatureCollection<MultiPolygon, Record<string, any>>;
const km2 = (g: Polygon | MultiPolygon | Feature) => area(g) / 1e6;
/** Spherical area of a lon/lat box, R = 6 371 008.8 m: R² · Δλ · (sin φ2 − sin φ1). */
const boxKm2 = (w: number, s: number, e: number, n: number) => (6371.0088 ** 2 * ((e - w) * Math.PI) / 180) * (Math.sin((n * Math.PI) / 180) - Math.sin((s * Math.PI) / 180));
const box = (w: number, s: number, e: number, n: number): Polygon => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });

describe('areas of the outlines against official figures', () => {
  it('Nevada (NV): 286,380 km² total area (US Census); the 1:10m outline is within 0.5 %', () => {
    // Inland state: the Census total area has no coastal water, so it compares with the outline.
    const nv = km2(stateArea('NV'));
    expect(Math.abs(nv - 286_380) / 286_380).toBeLessThan(0.005);
  });

  it('Hokkaido includes the Northern Territories: 83,424 km² (GSI), not 78,421, within 0.5 %', () => {
    const h = prefectureArea('北海道');
    expect(Math.abs(km2(h) - 83_424) / 83_424).toBeLessThan(0.005);
    // Etorofu (Iturup) and Kunashiri are inside.
    expect(booleanPointInPolygon([147.6, 45.0], h)).toBe(true);
    expect(booleanPointInPolygon([145.9, 44.1], h)).toBe(true);
  });

  it('every prefecture is within 1 % of the full-detail GSI outline (the simplification keeps 30 % of the points)', () => {
    const full = readSharedJson('polygons', 'japan-prefectures.geojson') as FeatureCollection<Polygon | MultiPolygon, { id: number; nam_ja: string }>;
    const list = prefectureList();
    expect(list).toHaveLength(47);
    for (const f of full.features) {
      const p = list.find((x) => x.code === f.properties.id)!;
      expect(p.nameJa).toBe(f.properties.nam_ja);
      const rel = (km2(prefectureArea(String(p.code))) - km2(f)) / km2(f);
      expect(Math.abs(rel), `${p.name}: ${(rel * 100).toFixed(2)} %`).toBeLessThan(0.01);
    }
  });
});

describe('bounds (to fit the map to an area of interest)', () => {
  const near = (got: number[], want: number[], tol: number) => got.every((v, i) => Math.abs(v - want[i]) <= tol);

  it('Nevada: 120.0° W – 114.04° W, 35.0° N – 42.0° N (its surveyed borders)', () => {
    const b = stateBounds('NV');
    expect(near(b, [-120.0, 35.0, -114.04, 42.0], 0.05), JSON.stringify(b)).toBe(true);
    expect(stateBounds('Nevada')).toEqual(b);
  });

  it('Hokkaido with the Northern Territories: Okushiri 139.4° E – Etorofu 148.9° E, Cape Shirakami 41.4° N – Bentenjima 45.5° N', () => {
    const b = prefectureBounds('北海道');
    expect(near(b, [139.4, 41.4, 148.9, 45.5], 0.15), JSON.stringify(b)).toBe(true);
  });

  it('Alaska across the antimeridian: the short way round, from Attu (172.4° E) east to 130° W (as 230)', () => {
    const b = stateBounds('AK');
    expect(near(b, [172.4, 51.2, 230.0, 71.4], 0.2), JSON.stringify(b)).toBe(true);
  });

  it("every prefecture's box is Turf's box of the asset outline", () => {
    const fc = asset('jp-prefecture-areas.geojson');
    for (const f of fc.features) expect(prefectureBounds(String(f.properties.code)), f.properties.name).toEqual(turfBBox(f));
  });
});

describe('names', () => {
  it('a prefecture by English, Japanese (with or without 県/都/府) or romaji with long vowels, or JIS code', () => {
    for (const n of ['Hokkaido', 'hokkai do', 'Hokkaido Prefecture', '北海道', '1']) expect(prefectureLabel(n)).toBe('Hokkaido (北海道)');
    for (const n of ['Kōchi', 'Kouchi', 'kochi-ken', '高知', '高知県', '39']) expect(prefectureLabel(n)).toBe('Kochi (高知県)');
    for (const n of ['Tokyo', 'Tōkyō', 'Tokyo-to', '東京都', '東京']) expect(prefectureLabel(n)).toBe('Tokyo (東京都)');
    expect(prefectureList().slice(0, 2)).toEqual([
      { name: 'Hokkaido', nameJa: '北海道', code: 1 },
      { name: 'Aomori', nameJa: '青森県', code: 2 },
    ]);
  });

  it('a state by name or postal code, any case; DC and territories too', () => {
    expect(stateLabel('nv')).toBe('Nevada');
    expect(stateLabel('NEVADA')).toBe('Nevada');
    expect(stateArea('nv')).toEqual(stateArea('Nevada'));
    expect(stateList()).toHaveLength(56);
    expect(stateList()).toContainEqual({ name: 'District of Columbia', code: 'DC' });
    expect(stateLabel('PR')).toBe('Puerto Rico');
  });

  it('an unknown name is a usage error with suggestions', () => {
    expect(() => prefectureArea('Hokaido')).toThrow(/unknown Japanese prefecture "Hokaido"; did you mean Hokkaido/);
    expect(() => prefectureArea('北海')).toThrow(/unknown Japanese prefecture "北海"; did you mean 北海道/);
    expect(() => stateArea('Nevda')).toThrow(/unknown US state "Nevda"; did you mean Nevada/);
    expect(() => stateArea('Atlantis')).toThrow(/unknown US state "Atlantis" \(e\.g\. "Nevada" or "NV"\)/);
    let err: unknown;
    try {
      stateArea('XX');
    } catch (e) {
      err = e;
    }
    expect((err as { code?: string } | undefined)?.code).toBe('USAGE');
    expect(String(err)).toMatch(/unknown US state "XX"; did you mean TX\?$/);
  });
});

describe('Alaska across 180°', () => {
  it('the Aleutians west of 180° are parts at positive longitudes; Semisopochnoi (179.6° E) is inside', () => {
    const ak = stateArea('Alaska') as MultiPolygon;
    const lons = ak.coordinates.flat(2).map((p) => p[0]);
    expect(Math.max(...lons)).toBeGreaterThan(179.5);
    expect(Math.max(...lons)).toBeLessThanOrEqual(180);
    expect(Math.min(...lons)).toBeGreaterThanOrEqual(-180);
    // No part wraps round the globe: each lies on one side of 180° (the mainland is 38° wide).
    for (const part of ak.coordinates) {
      const xs = part[0].map((p) => p[0]);
      expect(Math.min(...xs) >= 0 || Math.max(...xs) <= 0).toBe(true);
      expect(Math.max(...xs) - Math.min(...xs)).toBeLessThan(60);
    }
    expect(booleanPointInPolygon([179.6, 51.97], ak)).toBe(true); // Semisopochnoi Island
    expect(booleanPointInPolygon([172.9, 52.85], ak)).toBe(true); // Attu Island
    expect(booleanPointInPolygon([-150, 64], ak)).toBe(true); // Interior
    expect(booleanPointInPolygon([179.6, 51.5], ak)).toBe(false); // sea south of it
  });

  it('coverage of Alaska by a survey drawn across 180° counts the islands on both sides', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outcrop-ak-'));
    const p = Project.open(join(dir, 'ak.gpkg'), { create: true });
    try {
      // Drawn continuously from 179.3° E to 178.5° W (−178.5): validated as every import and edit is, it is split at 180°.
      const drawn: Polygon = { type: 'Polygon', coordinates: [[[179.3, 51.3], [-178.5, 51.3], [-178.5, 52.2], [179.3, 52.2], [179.3, 51.3]]] };
      const stored = validateGeometry(drawn, { file: 'test' }).geometry as MultiPolygon;
      expect(stored.type).toBe('MultiPolygon');
      await p.write('test', 'add', (w) => w.insertSurvey({ ...emptySurveyFields('Rat and Delarof Islands'), agency: 'USGS' }, stored));
      const c = surveyCoverage(p, { aoi: stateArea('AK') });
      // Expected: the asset's Alaska ∩ the two halves of the box, by Turf.
      const akFile = asset('us-state-areas.geojson').features.find((f) => f.properties.postal === 'AK')!;
      const east = intersect(featureCollection<Polygon | MultiPolygon>([akFile, { type: 'Feature', properties: {}, geometry: box(179.3, 51.3, 180, 52.2) }]));
      const west = intersect(featureCollection<Polygon | MultiPolygon>([akFile, { type: 'Feature', properties: {}, geometry: box(-180, 51.3, -178.5, 52.2) }]));
      const expected = (east ? km2(east) : 0) + (west ? km2(west) : 0);
      expect(east).not.toBeNull();
      expect(west).not.toBeNull();
      expect(c.surveyCount).toBe(1);
      expect(c.coveredKm2).toBeCloseTo(expected, 3);
      expect(c.aoiKm2).toBeCloseTo(km2(akFile), 3);
    } finally {
      p.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('coverage of a prefecture', () => {
  let dir: string;
  let p: Project;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'outcrop-pref-'));
    p = Project.open(join(dir, 'jp.gpkg'), { create: true });
    await p.write('test', 'add', (w) => {
      // Inland central Hokkaido (Furano–Tokachi), entirely inside the prefecture.
      w.insertSurvey({ ...emptySurveyFields('Tokachi inland'), agency: 'GSJ', startDate: '2019-05-01', endDate: '2019-09-30' }, box(142.2, 43.0, 142.9, 43.5));
      // Across the Pacific coast at Kushiro: part sea.
      w.insertSurvey({ ...emptySurveyFields('Kushiro coast'), agency: 'JOGMEC', startDate: '2023-04-01', endDate: '2024-03-31' }, box(144.0, 42.6, 145.0, 43.3));
      // In Aomori, outside Hokkaido.
      w.insertSurvey({ ...emptySurveyFields('Aomori'), agency: 'GSJ', startDate: '2023-06-01' }, box(140.5, 40.5, 141.0, 40.8));
    });
  });
  afterAll(() => {
    p.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const hokkaidoFile = () => asset('jp-prefecture-areas.geojson').features.find((f) => f.properties.nameJa === '北海道')!;

  it('an inland box: covered = the spherical box formula; a coastal box: its intersection with the outline by Turf', () => {
    const c = surveyCoverage(p, { aoi: prefectureArea('Hokkaido'), by: 'agency' });
    const inland = boxKm2(142.2, 43.0, 142.9, 43.5);
    const coastal = intersect(featureCollection<Polygon | MultiPolygon>([hokkaidoFile(), { type: 'Feature', properties: {}, geometry: box(144.0, 42.6, 145.0, 43.3) }]))!;
    expect(km2(coastal)).toBeLessThan(boxKm2(144.0, 42.6, 145.0, 43.3) * 0.9); // really cut by the coast
    const aoiKm2 = km2(hokkaidoFile());
    expect(c.surveyCount).toBe(2);
    expect(c.aoiKm2).toBeCloseTo(aoiKm2, 3);
    expect(c.coveredKm2).toBeCloseTo(inland + km2(coastal), 1);
    expect(c.coveredPct!).toBeCloseTo(((inland + km2(coastal)) / aoiKm2) * 100, 4);
    expect(c.gapsKm2!).toBeCloseTo(aoiKm2 - inland - km2(coastal), 1);
    expect(c.groups.map((g) => [g.key, g.surveyCount])).toEqual([['GSJ', 1], ['JOGMEC', 1]]);
    expect(c.groups[0].areaKm2).toBeCloseTo(inland, 1);
  });

  it('date filters: from 2022 keeps only the 2023–24 survey; to 2020 only the 2019 one', () => {
    const aoi = prefectureArea('1');
    const late = surveyCoverage(p, { aoi, filter: { from: '2022' } });
    expect(late.surveyCount).toBe(1);
    expect(late.coveredKm2).toBeLessThan(boxKm2(144.0, 42.6, 145.0, 43.3));
    const early = surveyCoverage(p, { aoi, filter: { to: '2020-12-31' } });
    expect(early.surveyCount).toBe(1);
    expect(early.coveredKm2).toBeCloseTo(boxKm2(142.2, 43.0, 142.9, 43.5), 1);
  });
});

describe('finding the assets', () => {
  it('from an Electron-style CommonJS bundle (no import.meta.url) two folders below the root', async () => {
    // Lay out <tmp>/dist/electron/entry.cjs with <tmp>/assets and <tmp>/node_modules as in the packaged app.
    const tmp = mkdtempSync(join(tmpdir(), 'outcrop-bundle-'));
    try {
      mkdirSync(join(tmp, 'dist/electron'), { recursive: true });
      symlinkSync(join(ROOT, 'assets'), join(tmp, 'assets'));
      symlinkSync(join(ROOT, 'node_modules'), join(tmp, 'node_modules'));
      await build({
        stdin: {
          contents: `import { stateArea, prefectureArea, countryArea } from './src/spatial/coverage-aoi';
            console.log(JSON.stringify([stateArea('NV').type, prefectureArea('北海道').type, countryArea('Japan').type]));`,
          resolveDir: ROOT,
          loader: 'ts',
        },
        bundle: true,
        platform: 'node',
        format: 'cjs',
        outfile: join(tmp, 'dist/electron/entry.cjs'),
        logLevel: 'silent',
        external: ['better-sqlite3'],
      });
      const env = { ...process.env };
      delete env.OUTCROP_ASSETS_DIR;
      const outp = execFileSync(process.execPath, [join(tmp, 'dist/electron/entry.cjs')], { encoding: 'utf8', env, cwd: tmp });
      expect(JSON.parse(outp)).toEqual(['MultiPolygon', 'MultiPolygon', 'MultiPolygon']);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});
