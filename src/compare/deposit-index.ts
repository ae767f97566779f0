import type { Position } from 'geojson';
import type { ResourceEstimate } from '../model/deposit';
import { boxesAround, EARTH_RADIUS_KM } from '../spatial/distance';
import { decodePoint } from '../store/gpkg/geometry-blob';
import type { Project } from '../store/project';
import type { NearbyDeposit } from './criteria';

/**
 * What site comparison reads of every deposit, kept in memory per project and data version, on
 * a grid of CELL_DEG° cells. A comparison asks "deposits within R km" for each site; the R*Tree
 * answers that, but every answer then reads ~10 columns per row from SQLite (about 5 µs a row,
 * measured in scripts/bench-analysis.ts), and planners re-score the same sites again and again
 * while they move weights. Built in one scan on first use (the cost of a single SQL answer
 * for ~100 sites), rebuilt when the project's data version (last operation id) changes.
 *
 * Answers are the SQL answers exactly: the same haversine on the same stored doubles, the same
 * `d ≤ R` test, nearest first with ties in fid order (as `fid IN (rtree …)` returns them).
 * Each answer is kept with the index (frozen, at most MAX_CACHED_HITS deposits in all): it
 * depends on the data and the radius, never on the weights, so re-scoring reuses it as it is.
 */
const CELL_DEG = 0.25;
const RAD = Math.PI / 180;
const COLS = 360 / CELL_DEG;
const ROWS = 180 / CELL_DEG;

type Base = Omit<NearbyDeposit, 'distanceKm'>;
/** At most this many deposits kept over all remembered answers (~100 bytes each). */
const MAX_CACHED_HITS = 600_000;

export interface DepositIndex {
  version: number;
  size: number;
  /**
   * Deposits within `km` of [lng, lat], nearest first (ties by fid). Frozen and remembered with
   * the index: asking again for the same place and radius (re-scoring after a weight moved)
   * answers the same array without searching or allocating.
   */
  near(center: Position, km: number): readonly NearbyDeposit[];
}

const cache = new WeakMap<Project, DepositIndex>();

/** The project's deposit index, built on first use and whenever the data changed since. */
export function depositIndex(project: Project): DepositIndex {
  const version = (project.db.prepare('SELECT coalesce(max(op_id), 0) FROM outcrop_ops').pluck().get() as number) ?? 0;
  const hit = cache.get(project);
  if (hit && hit.version === version) return hit;
  const built = buildIndex(project, version);
  cache.set(project, built);
  return built;
}

function buildIndex(project: Project, version: number): DepositIndex {
  const rows = project.db
    .prepare('SELECT fid, id, name, geom, commodities_main, commodities_secondary, commodities_trace, status, resources FROM deposits ORDER BY fid')
    .raw()
    .iterate() as IterableIterator<[number, string, string, Buffer, string | null, string | null, string | null, string | null, string]>;
  const fids: number[] = [];
  const lng: number[] = [];
  const lat: number[] = [];
  const base: Base[] = [];
  const cellOf: number[] = [];
  // Commodity lists repeat a lot (one Cu deposit looks like the next): share the arrays.
  const lists = new Map<string, string[]>();
  const codes = (main: string | null, second: string | null, trace: string | null) => {
    const key = `${main ?? ''}|${second ?? ''}|${trace ?? ''}`;
    let l = lists.get(key);
    if (!l) {
      l = [...(main ? main.split(';') : []), ...(second ? second.split(';') : []), ...(trace ? trace.split(';') : [])];
      Object.freeze(l); // shared by many deposits: nobody may sort it in place
      lists.set(key, l);
    }
    return l;
  };
  const none: ResourceEstimate[] = [];
  for (const [fid, id, name, geom, main, second, trace, status, resources] of rows) {
    const p = decodePoint(geom);
    fids.push(fid);
    lng.push(p[0]);
    lat.push(p[1]);
    cellOf.push(cellKey(p[0], p[1]));
    base.push({ id, name, coordinates: p, commodities: codes(main, second, trace), status, resources: resources === '[]' ? none : JSON.parse(resources) });
  }
  // Bucket by cell (a counting sort, stable, so fid order within a cell): everything laid out in
  // (cell, fid) order, so a cell's deposits are read in one sequential sweep from start[cell] to
  // start[cell + 1].
  const start = new Int32Array(COLS * ROWS + 1);
  for (const c of cellOf) start[c + 1]++;
  for (let c = 0; c < COLS * ROWS; c++) start[c + 1] += start[c];
  const next = start.slice(0, COLS * ROWS);
  const order = new Int32Array(fids.length);
  for (let i = 0; i < fids.length; i++) order[next[cellOf[i]]++] = i;
  const sFid = Float64Array.from(order, (i) => fids[i]);
  const sLng = Float64Array.from(order, (i) => lng[i]);
  const sLat = Float64Array.from(order, (i) => lat[i]);
  const sBase = Array.from(order, (i) => base[i]);
  // cos(latitude) of every deposit, as haversineKm computes it (hoisted, so bit for bit the same distance).
  const cosLat = Float64Array.from(sLat, (y) => Math.cos(y * RAD));
  // Distances of the current answer, by deposit index (near() is synchronous, so one buffer serves all calls).
  const dist = new Float64Array(fids.length);
  // Which query last took a deposit: the two halves of a box split at ±180 never count one twice.
  const taken = new Int32Array(fids.length);
  let query = 0;
  /** Deposits within km of [lng0, lat0], nearest first (ties by fid). */
  const search = (lng0: number, lat0: number, km: number): readonly NearbyDeposit[] => {
    const center: Position = [lng0, lat0];
    const cos0 = Math.cos(lat0 * RAD);
    const hits: number[] = [];
    query++;
    for (const [w, s, e, n] of boxesAround(center, km)) {
      // A hair wider than the box, so a point on its edge is never lost to rounding.
      const [x0, x1] = [col(w - 1e-9), col(e + 1e-9)];
      const [y0, y1] = [row(s - 1e-9), row(n + 1e-9)];
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const key = y * COLS + x;
          for (let i = start[key], end = start[key + 1]; i < end; i++) {
            const px = sLng[i];
            const py = sLat[i];
            // The box holds every point within km (spatial/distance.ts); the R*Tree asked the same.
            if (px < w - 1e-9 || px > e + 1e-9 || py < s - 1e-9 || py > n + 1e-9) continue;
            // haversineKm(center, [px, py]), term for term.
            const dLat = (py - lat0) * RAD;
            const dLon = (px - lng0) * RAD;
            const h = Math.sin(dLat / 2) ** 2 + cos0 * cosLat[i] * Math.sin(dLon / 2) ** 2;
            const d = 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
            if (d <= km && taken[i] !== query) {
              taken[i] = query;
              hits.push(i);
              dist[i] = d;
            }
          }
        }
      }
    }
    hits.sort((a, b) => dist[a] - dist[b] || sFid[a] - sFid[b]);
    // Literals, not spreads: one object shape for every answer (V8 keeps it fast).
    return Object.freeze(
      hits.map((i) => {
        const b = sBase[i];
        return Object.freeze({ id: b.id, name: b.name, coordinates: b.coordinates, distanceKm: dist[i], commodities: b.commodities, status: b.status, resources: b.resources });
      }),
    );
  };
  // Each site's answer, kept with the index: re-scoring (weights moved) asks the same sites again.
  const answers = new Map<string, readonly NearbyDeposit[]>();
  let answerHits = 0;
  return {
    version,
    size: fids.length,
    near(center: Position, km: number): readonly NearbyDeposit[] {
      const key = `${center[0]},${center[1]},${km}`;
      let answer = answers.get(key);
      if (!answer) {
        answer = search(center[0], center[1], km);
        // Bounded: a planner compares tens of sites; a script looping over thousands must not hoard answers.
        if (answerHits + answer.length > MAX_CACHED_HITS) {
          answers.clear();
          answerHits = 0;
        }
        answers.set(key, answer);
        answerHits += answer.length;
      }
      return answer;
    },
  };
}

const col = (lon: number) => Math.max(0, Math.min(COLS - 1, Math.floor((lon + 180) / CELL_DEG)));
const row = (lat: number) => Math.max(0, Math.min(ROWS - 1, Math.floor((lat + 90) / CELL_DEG)));
const cellKey = (lon: number, lat: number) => row(lat) * COLS + col(lon);
