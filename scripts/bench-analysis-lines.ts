/**
 * The planner's analysis lines of `npm run bench` (issue 5): runs scripts/bench-analysis-child.ts
 * in its own process (so the peak RSS reported is the analysis run's own) and turns its JSON into
 * rows of the summary table:
 *
 *   coverage union (batched) vs folding turf.union one polygon at a time     (target ≥ 20×)
 *   compareSites, 100 sites × 330k deposits, warm / cold, vs turf.distance loops   (target ≥ 20×);
 *   cold counts the naive side's load of the deposits from the project as well
 *   peak RSS of the analysis process (in the last row's name)
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface BenchRow {
  name: string;
  ours: string;
  baseline: string;
  ratio: number;
  target: string;
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

export function analysisBench(results: BenchRow[], args: string[] = []): void {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, 'bench-analysis-child.ts'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`analysis bench failed (exit ${child.status})`);
  const r = JSON.parse(child.stdout.trim().split('\n').pop()!);
  if (!r.identical) throw new Error('compareSites answered other deposits than the R*Tree + SQL reference');
  if (r.unionAreasAgree === false) throw new Error('batched union and naive turf.union disagree on the area');
  console.log(`analysis: coverage of ${r.coverageSurveys} surveys ${fmt(r.coverageMs)}; compareSites 100 × ${r.deposits} deposits cold ${fmt(r.compareColdMs)}, warm ${fmt(r.compareWarmMs)} (${r.pairs} pairs; deposit index + result ${r.indexHeapMb.toFixed(0)} MB of heap); naive ${fmt(r.naiveCompareMs)}; peak RSS ${r.maxRssMb.toFixed(0)} MB (whole run, naive data included)`);
  if (r.unionSubset !== undefined) results.push({ name: `coverage union of ${r.unionSubset} polygons vs sequential turf.union (all ${r.coverageSurveys}: ${fmt(r.coverageMs)})`, ours: fmt(r.unionBatchedMs), baseline: fmt(r.unionNaiveMs), ratio: r.unionNaiveMs / r.unionBatchedMs, target: '≥ 20×' });
  results.push({ name: `compare 100 sites × ${r.deposits} deposits, warm (re-scoring) vs turf.distance loops`, ours: fmt(r.compareWarmMs), baseline: fmt(r.naiveCompareMs), ratio: r.naiveCompareMs / r.compareWarmMs, target: '≥ 20×' });
  results.push({ name: `compare again after moving one deposit (the index follows the journal) vs turf.distance loops; after saving a site ${fmt(r.compareAfterSiteMs)}`, ours: fmt(r.compareAfterEditMs), baseline: fmt(r.naiveCompareMs), ratio: r.naiveCompareMs / r.compareAfterEditMs, target: '≥ 20×' });
  // Cold: both sides read the deposits from the project first (ours builds its index, the naive loop loads positions and commodities).
  const naiveCold = r.naiveLoadMs + r.naiveCompareMs;
  results.push({ name: `compare 100 sites × ${r.deposits} deposits, cold (both read the project first) vs turf.distance loops; index ${r.indexHeapMb.toFixed(0)} MB heap, analysis peak RSS ${r.maxRssMb.toFixed(0)} MB`, ours: fmt(r.compareColdMs), baseline: fmt(naiveCold), ratio: naiveCold / r.compareColdMs, target: '≥ 20×' });
}
