import { decodePoint } from '../store/gpkg/geometry-blob';
import { type FeatureFilter, filterSql } from '../store/read';
import type { Project } from '../store/project';
import { latToWorldY, lngToWorldX } from './tile-math';

/**
 * Grid cells per tile side for deposit clusters. MapLibre draws vector tiles 512 px wide, so a
 * cell is 64 px (32 px if a style sets tileSize 256): one cluster circle per cell never crowds.
 */
export const CLUSTER_CELLS_PER_TILE = 8;

/** One zoom level: the non-empty cells of a 2^z·8 × 2^z·8 grid over the world, as running sums. */
export interface ClusterLevel {
  z: number;
  /** Cells per world side. */
  grid: number;
  /** Cell key (cy · grid + cx) → row in the arrays below. Rows are never removed (count may reach 0). */
  index: Map<number, number>;
  /** Members per cell. */
  count: number[];
  /** Sums of the members' world coordinates (0…1, y down); the cluster sits at sum / count. */
  sx: number[];
  sy: number[];
  /** Members per first main commodity. */
  commodities: Map<string, number>[];
  /** Winning commodity per row, computed on first use; undefined = not yet, null = none. */
  top: (string | null | undefined)[];
}

/**
 * Deposit counts, mean positions and commodity votes for z = 0 … maxZoom. Every quantity is a
 * sum, so a coarse cell is exactly what binning its points directly would give, and a deposit
 * can be added or taken away later without a rescan (see `add`).
 *
 * Positions are averaged in world (Mercator) coordinates, the space the map draws in. Points
 * beyond ±85.0511° are clamped onto the map's top or bottom edge, like everything in Web Mercator.
 */
export class ClusterPyramid {
  readonly levels: ClusterLevel[];
  /** Deposits counted (those with a located geometry). */
  total = 0;

  constructor(readonly maxZoom: number) {
    this.levels = [];
    for (let z = 0; z <= maxZoom; z++) {
      this.levels.push({ z, grid: 2 ** z * CLUSTER_CELLS_PER_TILE, index: new Map(), count: [], sx: [], sy: [], commodities: [], top: [] });
    }
  }

  /**
   * Add (sign +1) or remove (sign −1) one deposit at [lng, lat] with this first main commodity
   * (null for none) on every level.
   */
  add(lng: number, lat: number, commodity: string | null, sign: 1 | -1): void {
    if (!Number.isFinite(lng) || !Number.isFinite(lat)) return;
    const wx = lngToWorldX(lng);
    const wy = latToWorldY(lat);
    for (let z = this.maxZoom; z >= 0; z--) addToLevel(this.levels[z], wx, wy, commodity, sign);
    this.total += sign;
  }

  /**
   * The most frequent first main commodity of a cell; ties go to the code that sorts first
   * (UTF-16 order), so the answer does not depend on row order. null when no member has one.
   */
  topCommodity(level: ClusterLevel, row: number): string | null {
    let top = level.top[row];
    if (top === undefined) {
      top = null;
      let best = 0;
      for (const [code, n] of level.commodities[row]) {
        if (n > best || (n === best && top !== null && code < top)) {
          best = n;
          top = code;
        }
      }
      level.top[row] = top;
    }
    return top;
  }
}

function rowFor(level: ClusterLevel, key: number): number {
  let row = level.index.get(key);
  if (row === undefined) {
    row = level.count.length;
    level.index.set(key, row);
    level.count.push(0);
    level.sx.push(0);
    level.sy.push(0);
    level.commodities.push(new Map());
    level.top.push(undefined);
  }
  return row;
}

function cellKey(level: ClusterLevel, wx: number, wy: number): number {
  const g = level.grid;
  const cx = Math.min(g - 1, Math.max(0, Math.floor(wx * g)));
  const cy = Math.min(g - 1, Math.max(0, Math.floor(wy * g)));
  return cy * g + cx;
}

function addToLevel(level: ClusterLevel, wx: number, wy: number, commodity: string | null, sign: 1 | -1): void {
  const row = rowFor(level, cellKey(level, wx, wy));
  level.count[row] += sign;
  if (level.count[row] === 0) {
    // Exactly zero rather than the float residue of adding and subtracting.
    level.sx[row] = 0;
    level.sy[row] = 0;
  } else {
    level.sx[row] += sign * wx;
    level.sy[row] += sign * wy;
  }
  if (commodity) {
    const m = level.commodities[row];
    const n = (m.get(commodity) ?? 0) + sign;
    if (n > 0) m.set(commodity, n);
    else m.delete(commodity);
    level.top[row] = undefined;
  }
}

/**
 * Build the pyramid in one pass over the deposits: every located point is binned into the
 * finest level (maxZoom), then each coarser level is summed from the one below (a cell's four
 * children), so the cost is one table scan plus work proportional to the non-empty cells.
 */
export function buildClusterPyramid(project: Project, maxZoom: number, filter: FeatureFilter = {}): ClusterPyramid {
  const { where, params } = filterSql('deposits', filter);
  const sql =
    `SELECT geom, substr(commodities_main, 1, instr(commodities_main || ';', ';') - 1) FROM deposits` +
    (where.length ? ` WHERE ${where.join(' AND ')}` : '');
  const pyramid = new ClusterPyramid(maxZoom);
  const finest = pyramid.levels[maxZoom];
  for (const [geom, first] of project.db.prepare(sql).raw().iterate(...params) as IterableIterator<[Buffer | null, string | null]>) {
    if (!geom) continue;
    // A blob another program wrote in a format of its own is left off the map (opening that
    // feature, a query or an export names it: decodeStoredGeometry), not the whole map with it.
    let lng: number;
    let lat: number;
    try {
      [lng, lat] = decodePoint(geom);
    } catch {
      continue;
    }
    if (!Number.isFinite(lng) || !Number.isFinite(lat)) continue;
    const wx = lngToWorldX(lng);
    const wy = latToWorldY(lat);
    addToLevel(finest, wx, wy, first || null, 1);
    pyramid.total++;
  }
  for (let z = maxZoom - 1; z >= 0; z--) coarsen(pyramid.levels[z + 1], pyramid.levels[z]);
  return pyramid;
}

/** Sum each 2 × 2 block of child cells into the parent level. */
function coarsen(child: ClusterLevel, parent: ClusterLevel): void {
  const cg = child.grid;
  const pg = parent.grid;
  for (const [key, row] of child.index) {
    const cx = key % cg;
    const cy = (key - cx) / cg;
    const prow = rowFor(parent, (cy >> 1) * pg + (cx >> 1));
    parent.count[prow] += child.count[row];
    parent.sx[prow] += child.sx[row];
    parent.sy[prow] += child.sy[row];
    const pm = parent.commodities[prow];
    for (const [code, n] of child.commodities[row]) pm.set(code, (pm.get(code) ?? 0) + n);
  }
}
