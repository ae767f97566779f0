import type { Position } from 'geojson';
import type { ResourceEstimate } from '../model/deposit';
import { boxesAround, EARTH_RADIUS_KM, haversineKm } from '../spatial/distance';
import { decodeStoredPoint } from '../store/gpkg/geometry-blob';
import type { Project } from '../store/project';
import type { NearbyDeposit } from './criteria';

/**
 * What site comparison reads of every deposit, kept in memory per project and data version, on
 * a grid of CELL_DEG° cells. A comparison asks "deposits within R km" for each site; the R*Tree
 * answers that, but every answer then reads ~10 columns per row from SQLite (about 5 µs a row,
 * measured in scripts/bench-analysis.ts), and planners re-score the same sites again and again
 * while they move weights. Built in one scan on first use (the cost of a single SQL answer
 * for ~100 sites); when the project's data version (last operation id) moves, the deposits the
 * journal names as changed are read again and laid over it (see depositIndex).
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

/** `dataVersion`: PRAGMA data_version when made (other connections' commits move it). */
type Built = DepositIndex & { layout: Layout; overlay: Overlay; answers: Answers; dataVersion?: number };
const cache = new WeakMap<Project, Built>();

/**
 * The project's deposit index, built on first use. When the data version moved since, the
 * deposits the journal names as changed since (outcrop_history of the operations after it) are
 * read again and laid over the built index; an operation that touched no deposit (a site saved,
 * a permit review, a reference layer) costs one query. More than MAX_OVERLAY changed deposits,
 * or a journal that cannot tell, and it is built again.
 */
export function depositIndex(project: Project): DepositIndex {
  const version = (project.db.prepare('SELECT coalesce(max(op_id), 0) FROM outcrop_ops').pluck().get() as number) ?? 0;
  const hit = cache.get(project);
  // Inside a transaction (an import or merge paused between batches on this connection, whose
  // operation is the newest) what it wrote may yet be rolled back, and its op id used again: the
  // answer follows the committed operations before it and nothing of it is kept.
  if (project.db.inTransaction) {
    const committed = version - 1;
    if (hit && hit.version === committed) return hit;
    return (hit && committed > hit.version && updated(project, hit, committed)) || makeIndex(buildLayout(project), EMPTY_OVERLAY, version);
  }
  // Another program (GDAL, QGIS) may edit the file without an operation: the journal says
  // nothing then, but SQLite's data_version moves, and the index is built again.
  const dataVersion = project.db.pragma('data_version', { simple: true }) as number;
  if (hit && hit.version === version && hit.dataVersion === dataVersion) return hit;
  const next = (hit && version > hit.version && updated(project, hit, version)) || makeIndex(buildLayout(project), EMPTY_OVERLAY, version);
  next.dataVersion = dataVersion;
  cache.set(project, next);
  return next;
}

/**
 * The index now, for a caller that can wait (the compare panel opening): its deposit count, or
 * null while a long write holds the transaction and no index was built before it (building one
 * then would read what the write may yet roll back, only to throw it away).
 */
export function prepareDepositIndex(project: Project): number | null {
  if (project.db.inTransaction && !cache.has(project)) return null;
  return depositIndex(project).size;
}

/** At most this many deposits read again over a built index before it is built anew. */
const MAX_OVERLAY = 5_000;

/** A deposit as the index keeps it. */
interface Entry {
  fid: number;
  lng: number;
  lat: number;
  base: Base;
}

/** Deposits changed since the layout was built: `hidden` layout places, and their current rows in `extra`. */
interface Overlay {
  hidden: Uint8Array | null;
  extra: readonly Entry[];
}
const EMPTY_OVERLAY: Overlay = { hidden: null, extra: [] };

/** Every deposit of one full scan, laid out in (cell, fid) order. */
interface Layout {
  size: number;
  sFid: Float64Array;
  sLng: Float64Array;
  sLat: Float64Array;
  sBase: Base[];
  cosLat: Float64Array;
  /** A cell's deposits are start[cell] … start[cell + 1] − 1. */
  start: Int32Array;
  /** Commodity lists shared by every deposit that has the same (see entryOf). */
  lists: Map<string, string[]>;
  /** Layout place by fid (−1: none). */
  placeByFid: Int32Array;
  /** Layout place by deposit id, made when first needed (for deposits deleted since). */
  placeOf?: Map<string, number>;
}

/** Remembered answers by `lng,lat,km`, with what they were asked. */
type Answers = Map<string, { center: Position; km: number; answer: readonly NearbyDeposit[] }>;

type DepositRow = [number, string, string, Buffer, string | null, string | null, string | null, string | null, string];
const DEPOSIT_SQL = 'SELECT fid, id, name, geom, commodities_main, commodities_secondary, commodities_trace, status, resources FROM deposits';
const NO_RESOURCES: ResourceEstimate[] = [];

function entryOf([fid, id, name, geom, main, second, trace, status, resources]: DepositRow, lists: Map<string, string[]>): Entry {
  // Commodity lists repeat a lot (one Cu deposit looks like the next): share the arrays.
  const key = `${main ?? ''}|${second ?? ''}|${trace ?? ''}`;
  let l = lists.get(key);
  if (!l) {
    l = [...(main ? main.split(';') : []), ...(second ? second.split(';') : []), ...(trace ? trace.split(';') : [])];
    Object.freeze(l); // shared by many deposits: nobody may sort it in place
    lists.set(key, l);
  }
  const p = decodeStoredPoint(geom, 'deposits', fid, id);
  return { fid, lng: p[0], lat: p[1], base: { id, name, coordinates: p, commodities: l, status, resources: resources === '[]' ? NO_RESOURCES : JSON.parse(resources) } };
}

function buildLayout(project: Project): Layout {
  const lists = new Map<string, string[]>();
  const entries: Entry[] = [];
  for (const r of project.db.prepare(`${DEPOSIT_SQL} WHERE geom IS NOT NULL ORDER BY fid`).raw().iterate() as IterableIterator<DepositRow>) entries.push(entryOf(r, lists));
  const cellOf = Int32Array.from(entries, (e) => cellKey(e.lng, e.lat));
  // Bucket by cell (a counting sort, stable, so fid order within a cell): everything laid out in
  // (cell, fid) order, so a cell's deposits are read in one sequential sweep from start[cell] to
  // start[cell + 1].
  const start = new Int32Array(COLS * ROWS + 1);
  for (const c of cellOf) start[c + 1]++;
  for (let c = 0; c < COLS * ROWS; c++) start[c + 1] += start[c];
  const next = start.slice(0, COLS * ROWS);
  const order = new Int32Array(entries.length);
  for (let i = 0; i < entries.length; i++) order[next[cellOf[i]]++] = i;
  const sLat = Float64Array.from(order, (i) => entries[i].lat);
  const sFid = Float64Array.from(order, (i) => entries[i].fid);
  const placeByFid = new Int32Array(entries.length ? entries[entries.length - 1].fid + 1 : 0).fill(-1);
  sFid.forEach((fid, i) => (placeByFid[fid] = i));
  return {
    size: entries.length,
    placeByFid,
    sFid,
    sLng: Float64Array.from(order, (i) => entries[i].lng),
    sLat,
    sBase: Array.from(order, (i) => entries[i].base),
    // cos(latitude) of every deposit, as haversineKm computes it (hoisted, so bit for bit the same distance).
    cosLat: Float64Array.from(sLat, (y) => Math.cos(y * RAD)),
    start,
    lists,
  };
}

/**
 * The index at `version` from the one at `from`: the deposits the journal names since are read
 * again (gone ones hidden, the others laid over the layout). Null when too many changed.
 */
function updated(project: Project, prev: Built, version: number): Built | null {
  const { layout, overlay } = prev;
  const ids = project.db
    .prepare(`SELECT DISTINCT feature_id FROM outcrop_history WHERE op_id > ? AND op_id <= ? AND layer = 'deposits' LIMIT ${MAX_OVERLAY + 1}`)
    .pluck()
    .all(prev.version, version) as string[];
  // No deposit changed (a site saved, a permit review …): every answer still holds.
  if (!ids.length) return makeIndex(layout, overlay, version, prev.answers);
  if (ids.length + overlay.extra.length > MAX_OVERLAY) return null;
  const rows = project.db.prepare(`${DEPOSIT_SQL} WHERE geom IS NOT NULL AND id IN (SELECT value FROM json_each(?))`).raw().all(JSON.stringify(ids)) as DepositRow[];
  const hidden = overlay.hidden ? overlay.hidden.slice() : new Uint8Array(layout.size);
  // Where the changed deposits were and are: answers whose circle holds none of them stay.
  const moved: Position[] = [];
  const hide = (at: number | undefined) => {
    if (at === undefined || at < 0 || hidden[at]) return;
    hidden[at] = 1;
    moved.push([layout.sLng[at], layout.sLat[at]]);
  };
  // Each changed deposit's place in the layout, by id: by its fid when that still leads to it
  // (an update keeps the fid), else through the id map (deleted since; or deleted and put back
  // by an undo or redo under a new fid, while its old place still shows).
  const byFid = new Map<string, number>();
  for (const r of rows) {
    const at = r[0] < layout.placeByFid.length ? layout.placeByFid[r[0]] : -1;
    if (at >= 0 && layout.sBase[at].id === r[1]) byFid.set(r[1], at);
  }
  for (const id of ids) {
    let at = byFid.get(id);
    if (at === undefined) {
      if (!layout.placeOf) layout.placeOf = new Map(layout.sBase.map((b, i) => [b.id, i]));
      at = layout.placeOf.get(id);
    }
    hide(at);
  }
  const changed = new Set(ids);
  const extra = overlay.extra.filter((e) => {
    if (!changed.has(e.base.id)) return true;
    moved.push([e.lng, e.lat]);
    return false;
  });
  for (const r of rows) {
    const e = entryOf(r, layout.lists);
    extra.push(e);
    moved.push([e.lng, e.lat]);
  }
  const kept: Answers = new Map();
  for (const [key, a] of prev.answers) {
    // A hair of margin over the search's own `d ≤ km` test.
    if (moved.every((p) => haversineKm(a.center, p) > a.km + 1e-6)) kept.set(key, a);
  }
  return makeIndex(layout, { hidden, extra }, version, kept);
}

function makeIndex(layout: Layout, overlay: Overlay, version: number, answers: Answers = new Map()): Built {
  const { size, sFid, sLng, sLat, sBase, cosLat, start } = layout;
  const { hidden, extra } = overlay;
  const extraCos = Float64Array.from(extra, (e) => Math.cos(e.lat * RAD));
  // Distances of the current answer, by place (layout places, then the overlay's after them; a
  // search is synchronous, so one buffer serves all).
  const dist = new Float64Array(size + extra.length);
  // Which query last took a deposit: the two halves of a box split at ±180 never count one twice.
  const taken = new Int32Array(size + extra.length);
  let query = 0;
  const fidAt = (i: number) => (i < size ? sFid[i] : extra[i - size].fid);
  const baseAt = (i: number) => (i < size ? sBase[i] : extra[i - size].base);
  /** Deposits within km of [lng0, lat0], nearest first (ties by fid). */
  const search = (lng0: number, lat0: number, km: number): readonly NearbyDeposit[] => {
    const center: Position = [lng0, lat0];
    const cos0 = Math.cos(lat0 * RAD);
    const hits: number[] = [];
    query++;
    // haversineKm(center, [px, py]), term for term, with cos(py) hoisted.
    const take = (i: number, px: number, py: number, cosY: number, w: number, s: number, e: number, n: number) => {
      // The box holds every point within km (spatial/distance.ts); the R*Tree asked the same.
      if (px < w - 1e-9 || px > e + 1e-9 || py < s - 1e-9 || py > n + 1e-9) return;
      const dLat = (py - lat0) * RAD;
      const dLon = (px - lng0) * RAD;
      const h = Math.sin(dLat / 2) ** 2 + cos0 * cosY * Math.sin(dLon / 2) ** 2;
      const d = 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
      if (d <= km && taken[i] !== query) {
        taken[i] = query;
        hits.push(i);
        dist[i] = d;
      }
    };
    for (const [w, s, e, n] of boxesAround(center, km)) {
      // A hair wider than the box, so a point on its edge is never lost to rounding.
      const [x0, x1] = [col(w - 1e-9), col(e + 1e-9)];
      const [y0, y1] = [row(s - 1e-9), row(n + 1e-9)];
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const key = y * COLS + x;
          for (let i = start[key], end = start[key + 1]; i < end; i++) if (!hidden || !hidden[i]) take(i, sLng[i], sLat[i], cosLat[i], w, s, e, n);
        }
      }
      for (let k = 0; k < extra.length; k++) take(size + k, extra[k].lng, extra[k].lat, extraCos[k], w, s, e, n);
    }
    hits.sort((a, b) => dist[a] - dist[b] || fidAt(a) - fidAt(b));
    // Literals, not spreads: one object shape for every answer (V8 keeps it fast).
    return Object.freeze(
      hits.map((i) => {
        const b = baseAt(i);
        return Object.freeze({ id: b.id, name: b.name, coordinates: b.coordinates, distanceKm: dist[i], commodities: b.commodities, status: b.status, resources: b.resources });
      }),
    );
  };
  // Each site's answer, kept with the index: re-scoring (weights moved) asks the same sites again.
  let answerHits = 0;
  for (const a of answers.values()) answerHits += a.answer.length;
  let hiddenCount = 0;
  if (hidden) for (const h of hidden) hiddenCount += h;
  return {
    version,
    size: size - hiddenCount + extra.length,
    layout,
    overlay,
    answers,
    near(center: Position, km: number): readonly NearbyDeposit[] {
      const key = `${center[0]},${center[1]},${km}`;
      let answer = answers.get(key)?.answer;
      if (!answer) {
        answer = search(center[0], center[1], km);
        // Bounded: a planner compares tens of sites; a script looping over thousands must not hoard answers.
        if (answerHits + answer.length > MAX_CACHED_HITS) {
          answers.clear();
          answerHits = 0;
        }
        answers.set(key, { center: [center[0], center[1]], km, answer });
        answerHits += answer.length;
      }
      return answer;
    },
  };
}

const col = (lon: number) => Math.max(0, Math.min(COLS - 1, Math.floor((lon + 180) / CELL_DEG)));
const row = (lat: number) => Math.max(0, Math.min(ROWS - 1, Math.floor((lat + 90) / CELL_DEG)));
const cellKey = (lon: number, lat: number) => row(lat) * COLS + col(lon);
