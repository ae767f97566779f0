/**
 * The analysis lines of `npm run bench` (issue 5), run in a child process so its peak RSS is its
 * own (see bench-analysis-lines.ts). Prints one JSON line at the end. Not a test.
 *
 *   node --import tsx scripts/bench-analysis-child.ts [--deposits 330000] [--naive-union 400]
 *
 * 1. Coverage of 10k survey polygons: the 4,841 Arizona geologic-map polygons (../shared/data)
 *    plus copies moved 0.05° north-east (then 0.1° east, 0.05° south) so they overlap their originals (a real union), stored
 *    as surveys; surveyCoverage over all of them. The naive fold of turf.union one polygon at a
 *    time is O(n²): it runs on the first `--naive-union` polygons, and so does our batched union,
 *    for the ratio.
 * 2. 100 sites against 330k deposits: the 110k MinMod/USGS sites plus jittered copies (±0.1°,
 *    scripts/jittered-sites.ts, seeded); compareSites cold (the deposit index built in the run)
 *    and warm (re-scoring, as when a planner moves a weight), against the naive loop of
 *    turf.distance from every site to every deposit (deposits criterion only, data in memory).
 *    The deposits each site counts are checked against the R*Tree + SQL answer of before
 *    (`depositsBySql`): the same ids in the same order with the same distances.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { distance, featureCollection, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { importFile } from '../src/import/import-file';
import { markOutcropWrite, unmarkOutcropWrite } from '../src/store/outside-edits';
import { validateGeometry } from '../src/geometry/validate';
import { emptySurveyFields } from '../src/model/defaults';
import { Project } from '../src/store/project';
import { filterSql, getDeposit } from '../src/store/read';
import { insertSites } from '../src/store/sites';
import { surveyCoverage, unionAreas } from '../src/spatial/coverage';
import { compareSites, type CandidateSite } from '../src/compare/compare-sites';
import { commodityWeight, defaultWeights, type Weights } from '../src/compare/weights';
import { boxesAround, haversineKm } from '../src/spatial/distance';
import { decodePoint, encodeGeometry } from '../src/store/gpkg/geometry-blob';
import { jitteredSites } from './jittered-sites';

const DATA = resolve(import.meta.dirname, '../../shared/data');
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const DEPOSITS = arg('deposits', 330_000);
const NAIVE_UNION = arg('naive-union', 400);
const dir = mkdtempSync(join(tmpdir(), 'outcrop-bench-analysis-'));
const time = <T>(fn: () => T): [number, T] => {
  const t0 = performance.now();
  const r = fn();
  return [performance.now() - t0, r];
};
const log = (s: string) => process.stderr.write(`${s}\n`);

/** The R*Tree + SQL answer compareSites used before the in-memory index (the reference). */
function depositsBySql(project: Project, center: Position, km: number) {
  const { where, params } = filterSql('deposits', {}, boxesAround(center, km));
  const out: { id: string; d: number }[] = [];
  for (const [id, geom] of project.db.prepare(`SELECT id, geom FROM deposits WHERE ${where.join(' AND ')}`).raw().iterate(...params) as IterableIterator<[string, Buffer]>) {
    const d = haversineKm(center, decodePoint(geom));
    if (d <= km) out.push({ id, d });
  }
  return out.sort((a, b) => a.d - b.d);
}

async function main() {
  const out: Record<string, number | string | boolean> = { unionAreasAgree: true };
  if (!process.argv.includes('--no-coverage')) await coverageBench(out);
  await compareBench(out);
  console.log(JSON.stringify(out));
}

/** 1. coverage of 10k polygons */
async function coverageBench(out: Record<string, number | string | boolean>) {
  const az = (JSON.parse(gunzipSync(readFileSync(join(DATA, 'polygons/arizona-geology-1m-polygons.geojson.gz'))).toString('utf8')).features as Feature<Polygon | MultiPolygon>[])
    .map((f, i) => validateGeometry(f.geometry, { file: 'arizona', featureIndex: i }).geometry)
    .filter((g): g is Polygon | MultiPolygon => !!g && (g.type === 'Polygon' || g.type === 'MultiPolygon'));
  const shift = (g: Polygon | MultiPolygon, dx = 0.05, dy = 0.05): Polygon | MultiPolygon => {
    const mv = (r: Position[]) => r.map((p) => [p[0] + dx, p[1] + dy]);
    return g.type === 'Polygon' ? { type: 'Polygon', coordinates: g.coordinates.map(mv) } : { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(mv)) };
  };
  const polys = [...az, ...az.map((g) => shift(g)), ...az.map((g) => shift(g, 0.1, -0.05))].slice(0, 10_000);
  const p = Project.open(join(dir, 'cov.gpkg'), { create: true });
  await p.write('bench', 'surveys', (w) => {
    polys.forEach((g, i) => w.insertSurvey({ ...emptySurveyFields(`AZ ${i}`), agency: i < az.length ? 'AZGS' : 'AZGS copy' }, g));
  });
  const [tCov, cov] = time(() => surveyCoverage(p));
  log(`coverage: ${cov.surveyCount} surveys, union ${cov.coveredKm2.toFixed(0)} km² in ${tCov.toFixed(0)} ms`);
  const sub = polys.slice(0, NAIVE_UNION);
  const [tBatch, ours] = time(() => unionAreas(sub));
  const [tNaive, naive] = time(() => {
    let acc: Feature<Polygon | MultiPolygon> = { type: 'Feature', geometry: sub[0], properties: {} };
    for (let i = 1; i < sub.length; i++) acc = union(featureCollection([acc, { type: 'Feature', geometry: sub[i], properties: {} } as Feature<Polygon | MultiPolygon>]))!;
    return acc;
  });
  const { area } = await import('@turf/turf');
  log(`union of the first ${sub.length}: batched ${tBatch.toFixed(0)} ms (${(area(ours!) / 1e6).toFixed(0)} km²) vs naive fold ${tNaive.toFixed(0)} ms (${(area(naive) / 1e6).toFixed(0)} km²)`);
  Object.assign(out, { coverageSurveys: cov.surveyCount, coverageMs: tCov, unionSubset: sub.length, unionBatchedMs: tBatch, unionNaiveMs: tNaive, unionAreasAgree: Math.abs(area(ours!) - area(naive)) / area(naive) < 1e-6 });
  p.close();
}

/** 2. 100 sites × 330k deposits */
async function compareBench(out: Record<string, number | string | boolean>) {
  const q = Project.open(join(dir, 'dep.gpkg'), { create: true });
  await importFile(q, join(DATA, 'deposits/minmod-mineral-sites-located.csv.gz'), { skipInvalid: true });
  const real = (q.db.prepare('SELECT fid, geom FROM deposits ORDER BY fid').raw().all() as [number, Buffer][]).map(([fid, g]) => {
    const [lng, lat] = decodePoint(g);
    return { fid, lng, lat };
  });
  // Copies of real rows (all columns) at jittered positions, straight into the table (the R*Tree triggers index them).
  let seed = 20261123;
  const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const cols = (q.db.prepare(`SELECT name FROM pragma_table_info('deposits') WHERE name NOT IN ('fid', 'geom', 'id')`).pluck().all() as string[]).join(', ');
  const copy = q.db.prepare(`INSERT INTO deposits (geom, id, ${cols}) SELECT ?, ?, ${cols} FROM deposits WHERE fid = ?`);
  q.db.transaction(() => {
    // Marked as Outcrop's own write, or the outside-edit triggers would log the 220k copies and
    // the next operation would journal them (src/store/outside-edits.ts). They stay unjournaled.
    markOutcropWrite(q.db);
    let i = 0;
    for (const j of jitteredSites(real, DEPOSITS, rand)) {
      if (i++ < real.length) continue;
      copy.run(encodeGeometry({ type: 'Point', coordinates: [j.lng, j.lat] }), `bench-${i}`, j.site.fid);
    }
    unmarkOutcropWrite(q.db);
  })();
  const n = q.db.prepare('SELECT count(*) FROM deposits').pluck().get() as number;
  log(`deposits: ${n}`);
  // The naive side's own load of what it reads (positions, main commodities), timed for the cold line.
  const [tNaiveLoad, all] = time(() => (q.db.prepare('SELECT geom, commodities_main FROM deposits').raw().all() as [Buffer, string | null][]).map(([g, m]) => ({ c: decodePoint(g), main: m ? m.split(';') : [] })));
  const sites: CandidateSite[] = [];
  for (let i = 0; sites.length < 100; i += 800) {
    const c = all[i % real.length].c;
    sites.push({ id: `s${sites.length}`, name: `site ${sites.length}`, geometry: { type: 'Point', coordinates: [Math.min(179.9, c[0] + 0.1), c[1]] } });
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const [tCold, cmp] = time(() => compareSites(q, sites, { radiusKm: 50 }));
  gc?.();
  // What stays: the deposit index (the comparison's own result is small next to it, but counted too).
  const indexMb = (process.memoryUsage().heapUsed - heap0) / 1048576;
  // Re-scoring as a planner does it: each run moves a criterion weight and a commodity weight
  // (the deposits each site counts stay; their scores change). Best of 3, like the naive loops
  // below (load on a shared machine); the last run goes back to the defaults for the check below.
  const moved = (k: number): Weights => {
    const w0 = defaultWeights();
    return { ...w0, criteria: { ...w0.criteria, infrastructure: w0.criteria.infrastructure * (1.5 + k) }, commodities: { ...w0.commodities, Cu: (w0.commodities.Cu ?? 0.5) * (0.5 + k / 4) } };
  };
  let tWarm = Infinity;
  for (let k = 0; k < 2; k++) tWarm = Math.min(tWarm, time(() => compareSites(q, sites, { radiusKm: 50, weights: moved(k) }))[0]);
  let [tLast, cmp2] = time(() => compareSites(q, sites, { radiusKm: 50 }));
  tWarm = Math.min(tWarm, tLast);
  const pairs = cmp.contexts.reduce((s, c) => s + c.deposits.length, 0);
  log(`compareSites 100 sites × ${n}: cold ${tCold.toFixed(0)} ms, warm (best of 3) ${tWarm.toFixed(0)} ms, ${pairs} pairs; heap kept after the first run ${indexMb.toFixed(0)} MB`);
  // Same deposits, order and distances as the R*Tree + SQL answer.
  let identical = JSON.stringify(cmp.scores) === JSON.stringify(cmp2.scores);
  const [tSql] = time(() => {
    for (const [i, s] of sites.entries()) {
      const ref = depositsBySql(q, (s.geometry as GeoJSON.Point).coordinates, 50);
      const got = cmp.contexts[i].deposits;
      if (ref.length !== got.length || ref.some((r, k) => r.id !== got[k].id || r.d !== got[k].distanceKm)) identical = false;
    }
  });
  log(`R*Tree + SQL reference (ids and distances only): ${tSql.toFixed(0)} ms; identical: ${identical}`);
  // A planner's next steps: save one more site, then move one deposit; each time compare again
  // (the index follows the journal instead of scanning again) and check against the SQL answer.
  await insertSites(q, [{ fields: { name: 'one more', roles: ['mine'], targetCommodities: [], permitStage: null, notes: null, extra: {} }, geometry: sites[0].geometry }]);
  const [tAfterSite] = time(() => compareSites(q, sites, { radiusKm: 50 }));
  const movedId = cmp.contexts[0].deposits[0].id;
  const d = getDeposit(q, movedId)!;
  await q.write('bench', 'move one deposit', (w) => w.updateDeposit(movedId, d, { type: 'Point', coordinates: [d.geometry.coordinates[0] + 0.05, d.geometry.coordinates[1]] }));
  const [tAfterEdit, cmp3] = time(() => compareSites(q, sites, { radiusKm: 50 }));
  for (const [i, s] of sites.entries()) {
    const ref = depositsBySql(q, (s.geometry as GeoJSON.Point).coordinates, 50);
    const got = cmp3.contexts[i].deposits;
    if (ref.length !== got.length || ref.some((r, k) => r.id !== got[k].id || r.d !== got[k].distanceKm)) identical = false;
  }
  log(`compare again after saving a site: ${tAfterSite.toFixed(0)} ms; after moving a deposit: ${tAfterEdit.toFixed(0)} ms; identical: ${identical}`);
  const w = defaultWeights();
  const naiveLoop = () => {
    let m = 0;
    for (const s of sites) {
      const c = (s.geometry as GeoJSON.Point).coordinates;
      for (const d of all) {
        if (distance(c, d.c, { units: 'kilometers' }) <= 50) {
          m++;
          Math.max(0, ...d.main.map((x) => commodityWeight(x, w)));
        }
      }
    }
    return m;
  };
  let [tLoop, naivePairs] = time(naiveLoop);
  for (let k = 0; k < 2; k++) tLoop = Math.min(tLoop, time(naiveLoop)[0]);
  log(`naive turf.distance loops (best of 3): ${tLoop.toFixed(0)} ms, ${naivePairs} pairs`);
  Object.assign(out, { indexHeapMb: indexMb, deposits: n, naiveLoadMs: tNaiveLoad, compareColdMs: tCold, compareWarmMs: tWarm, compareAfterSiteMs: tAfterSite, compareAfterEditMs: tAfterEdit, pairs, naivePairs, naiveCompareMs: tLoop, sqlReferenceMs: tSql, identical, maxRssMb: process.resourceUsage().maxRSS / 1024 });
  q.close();
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
