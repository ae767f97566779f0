/**
 * Planner's analysis benchmark (issue 5), not part of the test suite:
 *   node --import tsx scripts/bench-analysis.ts [naiveLimit]
 *
 * 1. Coverage of the 4,841 Arizona geologic-map polygons stored as surveys: surveyCoverage
 *    (Z-ordered, batched divide-and-conquer union) vs folding turf.union one polygon at a time. The naive
 *    fold is run on the first `naiveLimit` polygons (default 1,000; it is O(n²); 0 skips it) and the batched
 *    union on the same subset, then the batched union on all 4,841.
 * 2. compareSites for 100 sites against the 110k MinMod/USGS deposits vs a naive loop that runs
 *    turf.distance from every site to every deposit (the deposits criterion only).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { area, distance, featureCollection, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { importFile } from '../src/import/import-file';
import { validateGeometry } from '../src/geometry/validate';
import { emptySurveyFields } from '../src/model/defaults';
import { Project } from '../src/store/project';
import { surveyCoverage, unionAreas } from '../src/spatial/coverage';
import { compareSites, type CandidateSite } from '../src/compare/compare-sites';
import { rowToFeature } from '../src/store/columns';
import { iterateRows } from '../src/store/read';
import { commodityWeight, defaultWeights } from '../src/compare/weights';

const DATA = resolve(import.meta.dirname, '../../shared/data');
const dir = mkdtempSync(join(tmpdir(), 'outcrop-bench-analysis-'));
const naiveLimit = Number(process.argv[2] ?? 1000);
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const time = async <T>(fn: () => T | Promise<T>): Promise<[number, T]> => {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
};

try {
  // ---- 1. coverage / union ----
  const azPath = join(DATA, 'polygons/arizona-geology-1m-polygons.geojson.gz');
  const az = JSON.parse(gunzipSync(readFileSync(azPath)).toString('utf8')).features as Feature<Polygon | MultiPolygon>[];
  const p = Project.open(join(dir, 'az.gpkg'), { create: true });
  // The file has no names (the importer requires one), so store them directly, validated, named by poly_index.
  const [tImport, stored] = await time(() =>
    p.write('bench', 'arizona', (w) => {
      let n = 0;
      for (const f of az) {
        const g = validateGeometry(f.geometry, { file: 'arizona', featureIndex: n }).geometry;
        if (g && (g.type === 'Polygon' || g.type === 'MultiPolygon')) {
          w.insertSurvey({ ...emptySurveyFields(`AZ unit ${f.properties?.poly_index}`), agency: 'AZGS' }, g);
          n++;
        }
      }
      return n;
    }),
  );
  console.log(`store Arizona polygons as surveys: ${stored} of ${az.length} in ${fmt(tImport)}`);
  const [tCov, cov] = await time(() => surveyCoverage(p));
  console.log(`surveyCoverage (read + batched union) of ${cov.surveyCount} surveys: ${fmt(tCov)}, union ${cov.coveredKm2.toFixed(0)} km²`);
  const sub = az.slice(0, Math.max(naiveLimit, 2)).map((f) => f.geometry);
  const [tBatch] = await time(() => unionAreas(sub));
  const [tNaive, naive] = await time(() => {
    if (naiveLimit <= 0) return null; // `bench-analysis.ts 0`: skip the slow naive fold
    let acc: Feature<Polygon | MultiPolygon> | null = { type: 'Feature', geometry: sub[0], properties: {} };
    for (let i = 1; i < sub.length; i++) acc = union(featureCollection([acc!, { type: 'Feature', geometry: sub[i], properties: {} } as Feature<Polygon | MultiPolygon>]));
    return acc;
  });
  console.log(`first ${sub.length} polygons: batched union ${fmt(tBatch)} vs naive sequential turf.union ${fmt(tNaive)} → ${(tNaive / tBatch).toFixed(1)}× (naive area ${naive ? (area(naive) / 1e6).toFixed(0) : '—'} km²)`);
  p.close();

  // ---- 2. comparison of 100 sites ----
  const q = Project.open(join(dir, 'dep.gpkg'), { create: true });
  const [tImp2, imp2] = await time(() => importFile(q, join(DATA, 'deposits/minmod-mineral-sites-located.csv.gz'), { skipInvalid: true }));
  console.log(`import 110k deposits: ${imp2.written.deposits} in ${fmt(tImp2)}`);
  // 100 sites: every 800th deposit, moved 0.1° east (real, clustered places).
  const all = [...iterateRows(q, 'deposits')].map((r) => rowToFeature('deposits', r));
  const sites: CandidateSite[] = [];
  for (let i = 0; sites.length < 100; i += 800) {
    const c = (all[i % all.length].geometry as GeoJSON.Point).coordinates;
    sites.push({ id: `s${sites.length}`, name: `site ${sites.length}`, geometry: { type: 'Point', coordinates: [Math.min(179.9, c[0] + 0.1), c[1]] } });
  }
  const [tCmp, cmp] = await time(() => compareSites(q, sites, { radiusKm: 50 }));
  const counted = cmp.contexts.reduce((n, c) => n + c.deposits.length, 0);
  console.log(`compareSites 100 sites × 110k deposits (all criteria, R 50 km): ${fmt(tCmp)}, ${counted} deposit-site pairs`);
  const w = defaultWeights();
  const [tLoop, pairs] = await time(() => {
    let n = 0;
    for (const s of sites) {
      const c = (s.geometry as GeoJSON.Point).coordinates;
      for (const d of all) {
        if (distance(c, (d.geometry as GeoJSON.Point).coordinates, { units: 'kilometers' }) <= 50) {
          n++;
          Math.max(0, ...(d.properties.commodities_main as string[]).map((x) => commodityWeight(x, w)));
        }
      }
    }
    return n;
  });
  console.log(`naive turf.distance loops (deposits criterion only): ${fmt(tLoop)}, ${pairs} pairs → ${(tLoop / tCmp).toFixed(1)}× slower than compareSites with every criterion`);
  q.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
