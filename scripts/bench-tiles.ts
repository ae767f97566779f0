/**
 * Vector-tile benchmark (not part of the test suite; nothing asserts a timing).
 *
 *   node --max-old-space-size=8192 --import tsx scripts/bench-tiles.ts [--n 1000000] [--no-baseline]
 *
 * Data: the 110,459 real located MinMod sites (../shared/data), synthesised up to N deposits
 * (default 1,000,000) by jittering: deposit i is a copy of real site i mod 110,459; copy 0 is
 * the site itself, every further copy is moved by a uniform random offset of up to ±0.1° in
 * longitude and latitude (seeded PRNG, so runs are comparable; longitude wrapped at ±180°,
 * latitude clamped at ±90°). That keeps the real geography: dense mining districts stay dense
 * (the densest z8 tile holds ~9 × 7,620 deposits) and oceans stay empty. Name, commodities and
 * country come from the copied site. The rows are bulk-loaded with one prepared INSERT (same row
 * encoding as WriteSession; the R*Tree triggers run; no history), since import is not measured.
 *
 * Measured, for Outcrop's tiles (src/tiles) and for the naive baseline, geojson-vt over one
 * FeatureCollection of every deposit (what a map would do with a plain GeoJSON source), plus
 * geojson-vt with its Supercluster option (MapLibre's clustered GeoJSON source):
 *   1. building: our cluster pyramid / reading all rows into a FeatureCollection + the index
 *   2. cutting and encoding every tile of z0–z4 (341 tiles)
 *   3. 200 random detail tiles (z8–z14, each around a random deposit)
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { GeoJSONVT } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import { markOutcropWrite, unmarkOutcropWrite } from '../src/store/outside-edits';
import { Project } from '../src/store/project';
import { DEPOSIT_COLUMNS, depositRow } from '../src/store/columns';
import { decodePoint } from '../src/store/gpkg/geometry-blob';
import { buildClusterPyramid } from '../src/tiles/cluster-pyramid';
import { clearTileCache, DETAIL_ZOOM, getTile, lngLatToWorld, MAX_POINTS_PER_TILE, tileCacheStats } from '../src/tiles';
import { readMinmodSites, siteFields } from '../tests/unit/tiles/real-data';
import { seededRandom } from '../tests/helpers/random';
import { jitteredSites } from './jittered-sites';

const args = process.argv.slice(2);
const N = args.includes('--n') ? Number(args[args.indexOf('--n') + 1]) : 1_000_000;
const withBaseline = !args.includes('--no-baseline');


const ms = (t0: number) => performance.now() - t0;
const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const mb = (bytes: number) => (bytes >= 10 * 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(0)} MB` : `${(bytes / 1024).toFixed(0)} kB`);

function lowZoomTiles(): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let z = 0; z <= 4; z++) for (let x = 0; x < 2 ** z; x++) for (let y = 0; y < 2 ** z; y++) out.push([z, x, y]);
  return out;
}

async function main() {
  const sites = readMinmodSites();
  const dir = mkdtempSync(join(tmpdir(), 'outcrop-bench-tiles-'));
  const file = join(dir, 'bench.gpkg');
  const project = Project.open(file, { create: true });
  const rand = seededRandom(20261123);

  // --- load ---
  let t0 = performance.now();
  const cols = ['geom', ...DEPOSIT_COLUMNS];
  const insert = project.db.prepare(`INSERT INTO deposits (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`);
  const at = new Date().toISOString();
  const audit = { createdAt: at, updatedAt: at, createdBy: 'bench', updatedBy: 'bench' };
  const fieldsOf = sites.map(siteFields);
  const BATCH = 50_000;
  const points: [number, number][] = [];
  const gen = jitteredSites(sites, N, rand);
  for (let start = 0; start < N; start += BATCH) {
    project.db.transaction(() => {
      markOutcropWrite(project.db); // synthetic rows, not edits made outside Outcrop (src/store/outside-edits.ts)
      for (let i = start; i < Math.min(N, start + BATCH); i++) {
        const { lng, lat } = gen.next().value as { lng: number; lat: number };
        points.push([lng, lat]);
        insert.run(depositRow(randomUUID(), fieldsOf[i % sites.length], audit, { type: 'Point', coordinates: [lng, lat] }));
      }
      unmarkOutcropWrite(project.db);
    })();
  }
  const loadMs = ms(t0);
  console.log(`deposits: ${N.toLocaleString('en')} (${sites.length.toLocaleString('en')} real sites, jittered copies), bulk load ${fmt(loadMs)} ms, file ${mb(statSync(file).size)}`);

  // 200 detail tiles around random deposits, z8–z14 (same list for both sides).
  const detail: [number, number, number][] = [];
  for (let k = 0; k < 200; k++) {
    const [lng, lat] = points[Math.floor(rand() * points.length)];
    const z = DETAIL_ZOOM + Math.floor(rand() * 7);
    const [wx, wy] = lngLatToWorld(lng, lat);
    const n = 2 ** z;
    detail.push([z, Math.min(n - 1, Math.floor(wx * n)), Math.min(n - 1, Math.floor(wy * n))]);
  }
  const low = lowZoomTiles();

  // --- Outcrop ---
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  t0 = performance.now();
  const pyramid = buildClusterPyramid(project, DETAIL_ZOOM - 1);
  const pyramidMs = ms(t0);
  const cells = pyramid.levels.reduce((a, l) => a + l.count.length, 0);
  console.log(`  pyramid: ${cells.toLocaleString('en')} cells over z0–z${DETAIL_ZOOM - 1}, heap +${mb(process.memoryUsage().heapUsed - heap0)}`);

  clearTileCache(project);
  t0 = performance.now();
  getTile(project, 'deposits', 0, 0, 0); // builds the pyramid through the public API
  const firstTileMs = ms(t0);
  t0 = performance.now();
  let lowBytes = 0;
  for (const [z, x, y] of low) lowBytes += getTile(project, 'deposits', z, x, y)?.length ?? 0;
  const lowMs = ms(t0);
  t0 = performance.now();
  for (const [z, x, y] of low) getTile(project, 'deposits', z, x, y);
  const lowCachedMs = ms(t0);

  const detailTimes: number[] = [];
  let detailBytes = 0;
  t0 = performance.now();
  for (const [z, x, y] of detail) {
    const t = performance.now();
    detailBytes += getTile(project, 'deposits', z, x, y)?.length ?? 0;
    detailTimes.push(ms(t));
  }
  const detailMs = ms(t0);
  detailTimes.sort((a, b) => a - b);

  t0 = performance.now();
  getTile(project, 'deposits', 0, 0, 0, { filter: { commodity: ['Li'] } });
  const filteredMs = ms(t0);

  // One edit through the journal, then the low zooms again: the pyramid is replayed, not rebuilt.
  await project.write('edit', 'bench edit', (w) => w.insertDeposit(fieldsOf[0], { type: 'Point', coordinates: [-115.53, 35.48] }));
  const buildsBefore = tileCacheStats(project).pyramidBuilds;
  t0 = performance.now();
  for (const [z, x, y] of low) getTile(project, 'deposits', z, x, y);
  const afterEditMs = ms(t0);
  const rebuilt = tileCacheStats(project).pyramidBuilds !== buildsBefore;

  console.log('\nOutcrop tiles (src/tiles)');
  console.log(`  build cluster pyramid            ${fmt(pyramidMs)} ms   (first z0 tile through getTile, building it: ${fmt(firstTileMs)} ms)`);
  console.log(`  all z0–z4 tiles (${low.length})          ${fmt(lowMs)} ms   ${mb(lowBytes)} total; again from the LRU: ${fmt(lowCachedMs)} ms`);
  console.log(
    `  200 random detail tiles z8–z14   ${fmt(detailMs)} ms   median ${fmt(detailTimes[100])} ms, p95 ${fmt(detailTimes[190])} ms, max ${fmt(detailTimes[199])} ms, ${mb(detailBytes)} total (cap ${MAX_POINTS_PER_TILE.toLocaleString('en')} points/tile)`,
  );
  console.log(`  filtered pyramid (commodity Li) + its z0 tile ${fmt(filteredMs)} ms`);
  console.log(`  one edit, then all z0–z4 tiles again   ${fmt(afterEditMs)} ms (pyramid ${rebuilt ? 'rebuilt' : 'updated from the journal'})`);

  if (withBaseline) {
    console.log('\nNaive baseline: geojson-vt over one FeatureCollection of every deposit');
    t0 = performance.now();
    const features: Feature<Point>[] = [];
    const rows = project.db.prepare('SELECT fid, geom, id, name, commodities_main, status, deposit_type, country FROM deposits').raw().iterate();
    for (const r of rows as IterableIterator<[number, Buffer, string, string, string | null, string | null, string | null, string | null]>) {
      const main = r[4];
      features.push({
        type: 'Feature',
        id: r[0],
        geometry: { type: 'Point', coordinates: decodePoint(r[1]) },
        properties: { id: r[2], name: r[3], commodity: main ? main.split(';', 1)[0] : null, commodities: main, status: r[5], deposit_type: r[6], country: r[7] },
      });
    }
    const fc: FeatureCollection = { type: 'FeatureCollection', features };
    const fcMs = ms(t0);

    for (const cluster of [false, true]) {
      global.gc?.();
      const before = process.memoryUsage().heapUsed;
      t0 = performance.now();
      const index = new GeoJSONVT(fc, {
        maxZoom: 14,
        buffer: 128,
        extent: 4096,
        cluster,
        clusterOptions: { radius: 64, extent: 512, maxZoom: DETAIL_ZOOM - 1 },
      });
      const indexMs = ms(t0);
      const heap = process.memoryUsage().heapUsed - before;
      const cut = (list: [number, number, number][]) => {
        let bytes = 0;
        const t = performance.now();
        for (const [z, x, y] of list) {
          const tile = index.getTile(z, x, y);
          if (tile && tile.features.length) bytes += fromGeojsonVt({ deposits: tile }, { version: 2, extent: 4096 }).length;
        }
        return { ms: ms(t), bytes };
      };
      const lowB = cut(low);
      const detailB = cut(detail);
      const name = cluster ? 'geojson-vt + Supercluster (cluster: true)' : 'geojson-vt (no clustering)';
      console.log(`  ${name}`);
      console.log(`    read all rows → FeatureCollection  ${fmt(fcMs)} ms; index ${fmt(indexMs)} ms (heap +${mb(heap)})`);
      console.log(`    all z0–z4 tiles                    ${fmt(lowB.ms)} ms   ${mb(lowB.bytes)} total`);
      console.log(`    200 detail tiles                   ${fmt(detailB.ms)} ms   ${mb(detailB.bytes)} total`);
      console.log(
        `    ratio baseline / Outcrop: build ${fmt((fcMs + indexMs) / pyramidMs)}×, z0–z4 ${fmt(lowB.ms / lowMs)}×, detail ${fmt(detailB.ms / detailMs)}×, ` +
          `build + z0–z4 + detail ${fmt((fcMs + indexMs + lowB.ms + detailB.ms) / (pyramidMs + lowMs + detailMs))}×`,
      );
    }
  }

  project.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
