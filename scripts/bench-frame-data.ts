/**
 * The data of scripts/bench-frame.ts, built once and cached under .bench/ (git-ignored):
 *
 *   frame-<n>-v1.gpkg      a project with n deposits, jittered copies of the 110k real MinMod
 *                          sites (scripts/jittered-sites.ts, the bench-tiles set), written through
 *                          the core's write path as one import operation (WriteSession bulk mode,
 *                          the path importFile takes after validation; parsing and validation are
 *                          skipped because import time is not what this benchmark measures)
 *   frame-<n>-v1.geojson   the same points read back from that project as one FeatureCollection
 *                          with the properties the map styles need: id, commodity (first main code)
 *   frame-<n>-v1.json      counts and the densest z10 tile; written last, so it marks a complete cache
 */
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Project } from '../src/store/project';
import { decodePoint } from '../src/store/gpkg/geometry-blob';
import { readMinmodSites, siteFields } from '../tests/unit/tiles/real-data';
import { seededRandom } from '../tests/helpers/random';
import { jitteredSites } from './jittered-sites';
import { TileCounter } from './bench-frame-report';

/** Same seed as scripts/bench-tiles.ts: the same million points. */
export const FRAME_SEED = 20261123;
/** Zoom of the "dense" pan: the tile with most deposits at this zoom. */
export const DENSE_ZOOM = 10;
const CACHE_VERSION = 'v1';

export interface FrameData {
  gpkg: string;
  geojson: string;
  count: number;
  realSites: number;
  gpkgBytes: number;
  geojsonBytes: number;
  /** Densest tile at DENSE_ZOOM, its centre [lng, lat] and deposit count. */
  dense: { z: number; x: number; y: number; count: number; center: [number, number] };
  /** How long building the cache took (0 when it was reused). */
  buildMs: number;
}

/** Returns the cached data set of `n` deposits under `cacheDir`, building it first when missing. */
export async function ensureFrameData(cacheDir: string, n: number, log: (s: string) => void = console.log): Promise<FrameData> {
  mkdirSync(cacheDir, { recursive: true });
  const base = join(cacheDir, `frame-${n}-${CACHE_VERSION}`);
  const gpkg = `${base}.gpkg`;
  const geojson = `${base}.geojson`;
  const metaFile = `${base}.json`;
  if (existsSync(metaFile) && existsSync(gpkg) && existsSync(geojson)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as FrameData;
    return { ...meta, gpkg, geojson, gpkgBytes: statSync(gpkg).size, geojsonBytes: statSync(geojson).size, buildMs: 0 };
  }
  const t0 = performance.now();
  log(`bench-frame: building ${n.toLocaleString('en')} deposits into ${gpkg} (once; cached) …`);
  for (const f of [gpkg, `${gpkg}-wal`, `${gpkg}-shm`, geojson, metaFile]) rmSync(f, { force: true });
  const tmpGpkg = `${base}.tmp.gpkg`;
  const tmpGeojson = `${base}.tmp.geojson`;
  for (const f of [tmpGpkg, `${tmpGpkg}-wal`, `${tmpGpkg}-shm`, tmpGeojson]) rmSync(f, { force: true });

  const sites = readMinmodSites();
  const project = Project.open(tmpGpkg, { create: true });
  try {
    const fields = sites.map(siteFields);
    const index = new Map(sites.map((s, i) => [s, i]));
    await project.write('import', `bench-frame: ${n} jittered MinMod sites`, (w) => {
      w.beginBulk('deposits');
      for (const d of jitteredSites(sites, n, seededRandom(FRAME_SEED))) {
        w.insertDeposit(fields[index.get(d.site)!], { type: 'Point', coordinates: [d.lng, d.lat] });
      }
    });
    log(`bench-frame: project written in ${((performance.now() - t0) / 1000).toFixed(1)} s; writing the GeoJSON …`);

    // The GeoJSON is read back from the project, so both sides draw exactly the same points.
    const counter = new TileCounter(DENSE_ZOOM);
    const out = createWriteStream(tmpGeojson);
    const write = async (s: string) => {
      if (!out.write(s)) await once(out, 'drain');
    };
    await write('{"type":"FeatureCollection","features":[\n');
    let count = 0;
    let chunk = '';
    const rows = project.db.prepare('SELECT id, commodities_main, geom FROM deposits ORDER BY fid').raw().iterate() as IterableIterator<[string, string | null, Buffer]>;
    for (const [id, main, geom] of rows) {
      const [lng, lat] = decodePoint(geom);
      counter.add(lng, lat);
      const commodity = main ? main.split(';', 1)[0] : null;
      // 7 decimals (~1 cm), as exporters write them; the project keeps full precision.
      chunk +=
        `${count ? ',\n' : ''}{"type":"Feature","geometry":{"type":"Point","coordinates":[${+lng.toFixed(7)},${+lat.toFixed(7)}]},` +
        `"properties":{"id":${JSON.stringify(id)},"commodity":${JSON.stringify(commodity)}}}`;
      count++;
      if (chunk.length > 1 << 20) {
        await write(chunk);
        chunk = '';
      }
    }
    await write(`${chunk}\n]}\n`);
    out.end();
    await once(out, 'finish');
    if (count !== n) throw new Error(`bench-frame: expected ${n} deposits in ${tmpGpkg}, found ${count}`);
    project.db.pragma('wal_checkpoint(TRUNCATE)');
    project.close();
    renameSync(tmpGpkg, gpkg);
    for (const f of [`${tmpGpkg}-wal`, `${tmpGpkg}-shm`]) rmSync(f, { force: true });
    renameSync(tmpGeojson, geojson);
    const dense = counter.densest()!;
    const buildMs = performance.now() - t0;
    const meta: FrameData = { gpkg, geojson, count, realSites: sites.length, gpkgBytes: statSync(gpkg).size, geojsonBytes: statSync(geojson).size, dense, buildMs };
    writeFileSync(metaFile, JSON.stringify(meta, null, 2));
    log(`bench-frame: data built in ${(buildMs / 1000).toFixed(1)} s`);
    return meta;
  } catch (err) {
    if (project.db.open) project.close();
    throw err;
  }
}
