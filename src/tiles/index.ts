import type Database from 'better-sqlite3';
import { OutcropError } from '../errors';
import type { Layer } from '../store/columns';
import type { FeatureFilter } from '../store/read';
import type { Project } from '../store/project';
import { buildClusterPyramid, type ClusterPyramid } from './cluster-pyramid';
import { clusterTileFeatures } from './cluster-tile';
import { DataVersionTracker } from './data-version';
import { depositTileFeatures } from './deposit-tile';
import { referenceTileFeatures } from './reference-tile';
import { encodeTile } from './encode-tile';
import { filterKey } from './filter-key';
import { LruCache } from './lru-cache';
import { replayDepositJournal } from './replay-journal';
import { surveyTileFeatures } from './survey-tile';
import { assertTileCoord, TILE_EXTENT } from './tile-math';

export { CLUSTER_CELLS_PER_TILE } from './cluster-pyramid';
export { MVT_VERSION } from './encode-tile';
export * from './tile-math';

/**
 * From this zoom on, deposits are sent one by one; below it, as clusters. At z8 a 512 px tile
 * spans 1.4° of longitude (~120 km at 40° N). The densest z8 tile of the real 110k MinMod set
 * holds 7,620 sites (California), under the per-tile cap; at z7 the densest holds 11,545 and
 * would be an unreadable blob of symbols. So z8 is the first zoom where single symbols are
 * both readable and cheap, and the finest cluster level is z7 (1024 × 1024 cells of 64 px).
 */
export const DETAIL_ZOOM = 8;
/** Most deposits one detail tile carries before it is grid-thinned (see depositTileFeatures). */
export const MAX_POINTS_PER_TILE = 20_000;
/** Buffers in tile units (4096 per tile; 8 units = 1 px at 512 px): symbol radius, cluster circle, outline. */
export const POINT_BUFFER = 128;
export const CLUSTER_BUFFER = 256;
export const SURVEY_BUFFER = 64;
/** geojson-vt simplification tolerance for survey outlines, tile units. */
export const SURVEY_TOLERANCE = 3;
/** Buffer and simplification of reference-layer tiles (roads, ports, protected areas): as for survey outlines. */
export const REFERENCE_BUFFER = SURVEY_BUFFER;
export const REFERENCE_TOLERANCE = SURVEY_TOLERANCE;

/** MVT layer names, for the map style. */
export const TILE_LAYER_NAMES = {
  deposits: 'deposits',
  depositClusters: 'deposit_clusters',
  surveys: 'surveys',
  reference: 'reference',
} as const;

/** The project's feature layers, and 'reference': every stored reference layer in one tile layer. */
export type TileLayer = Layer | 'reference';

export interface TileOptions {
  /** The same attribute filters as export and queries (commodity, status, type, country …). */
  filter?: FeatureFilter;
  /** Cap on point features per detail tile; default MAX_POINTS_PER_TILE. */
  maxPointsPerTile?: number;
}

const TILE_CACHE_ENTRIES = 4096;
const TILE_CACHE_BYTES = 64 * 1024 * 1024;
/** The unfiltered pyramid plus the last few filters the user switched between. */
const PYRAMID_CACHE_ENTRIES = 4;

interface TileState {
  versions: DataVersionTracker;
  lastVersion: Partial<Record<TileLayer, string>>;
  tiles: LruCache<string, Buffer | null>;
  /** Cluster pyramids by filter key, each with the deposits version it reflects. */
  pyramids: LruCache<string, { pyramid: ClusterPyramid; version: string }>;
  stats: { pyramidBuilds: number; pyramidReplays: number };
}

// Keyed by connection, so a re-opened project never sees another connection's stale state.
const states = new WeakMap<Database.Database, TileState>();

function stateOf(project: Project): TileState {
  let s = states.get(project.db);
  if (!s) {
    s = {
      versions: new DataVersionTracker(project.db),
      lastVersion: {},
      tiles: new LruCache(TILE_CACHE_ENTRIES, TILE_CACHE_BYTES, (b) => (b ? b.length : 0) + 64),
      pyramids: new LruCache(PYRAMID_CACHE_ENTRIES),
      stats: { pyramidBuilds: 0, pyramidReplays: 0 },
    };
    states.set(project.db, s);
  }
  return s;
}

/**
 * One Mapbox Vector Tile (MVT 2.1, uncompressed protobuf, extent 4096) for tile z/x/y of the
 * XYZ Web-Mercator scheme, or null when the tile would be empty.
 *
 * - `deposits`, z ≥ DETAIL_ZOOM: layer "deposits", one point per deposit (thinned past the cap).
 * - `deposits`, z < DETAIL_ZOOM: layer "deposit_clusters", one point per 64 px cell with
 *   `count` and `commodity`, cut from a cluster pyramid built once per data version and filter.
 * - `surveys`: layer "surveys", polygons clipped to the tile and simplified for the zoom.
 * - `reference`: layer "reference", the stored reference layers' points, lines and polygons
 *   clipped and simplified the same way, each with its layer name, role and name. No filter.
 *
 * Tiles are cached per project in an LRU keyed by (layer data version, layer, filter, z/x/y);
 * an edit through Project.write changes the version, so the next request sees it. Deposit tiles
 * under a team filter (which reads the survey's team) are keyed by the surveys' version too.
 * Importing, replacing or deleting a reference layer changes the reference tiles' version.
 * Throws OutcropError('USAGE') for a bad layer or z/x/y (z 0–22, x and y 0 … 2^z − 1), and
 * for a filter that does not apply to the layer.
 */
export function getTile(project: Project, layer: TileLayer, z: number, x: number, y: number, opts: TileOptions = {}): Buffer | null {
  if (layer !== 'deposits' && layer !== 'surveys' && layer !== 'reference') {
    throw new OutcropError('USAGE', `tile layer must be "deposits", "surveys" or "reference", got ${JSON.stringify(layer)}`, { layer });
  }
  assertTileCoord(z, x, y);
  const maxPoints = opts.maxPointsPerTile ?? MAX_POINTS_PER_TILE;
  if (!Number.isInteger(maxPoints) || maxPoints < 1) {
    throw new OutcropError('USAGE', `maxPointsPerTile must be a positive integer, got ${String(opts.maxPointsPerTile)}`);
  }
  const filter = opts.filter ?? {};
  const fkey = filterKey(filter);
  if (layer === 'reference' && fkey !== '') throw new OutcropError('USAGE', 'reference tiles take no filter (the map style shows or hides each layer)', { layer });
  const state = stateOf(project);
  const version = state.versions.version(layer);
  if (state.lastVersion[layer] !== version) {
    if (state.lastVersion[layer] !== undefined) state.tiles.deleteWhere((k) => k.startsWith(`${layer}|`));
    state.lastVersion[layer] = version;
  }
  // A team filter picks deposits by their survey's team: those tiles follow the surveys too.
  const dataVersion = layer === 'deposits' && filter.team?.length ? `${version}+${state.versions.version('surveys')}` : version;
  const key = `${layer}|${dataVersion}|${fkey}|${layer === 'deposits' && z >= DETAIL_ZOOM ? maxPoints : ''}|${z}/${x}/${y}`;
  const cached = state.tiles.get(key); // undefined = miss; null = a cached empty tile
  if (cached !== undefined) return cached;

  let tile: Buffer | null;
  if (layer === 'reference') {
    const features = referenceTileFeatures(project, z, x, y, { extent: TILE_EXTENT, buffer: REFERENCE_BUFFER, tolerance: REFERENCE_TOLERANCE });
    tile = encodeTile({ [TILE_LAYER_NAMES.reference]: features }, TILE_EXTENT);
  } else if (layer === 'surveys') {
    const features = surveyTileFeatures(project, z, x, y, filter, {
      extent: TILE_EXTENT,
      buffer: SURVEY_BUFFER,
      tolerance: SURVEY_TOLERANCE,
    });
    tile = encodeTile({ [TILE_LAYER_NAMES.surveys]: features }, TILE_EXTENT);
  } else if (z >= DETAIL_ZOOM) {
    const features = depositTileFeatures(project, z, x, y, filter, { extent: TILE_EXTENT, buffer: POINT_BUFFER, maxPoints });
    tile = encodeTile({ [TILE_LAYER_NAMES.deposits]: features }, TILE_EXTENT);
  } else {
    const pyramid = clusterPyramid(project, state, dataVersion, fkey, filter);
    const features = clusterTileFeatures(pyramid, z, x, y, TILE_EXTENT, CLUSTER_BUFFER);
    tile = encodeTile({ [TILE_LAYER_NAMES.depositClusters]: features }, TILE_EXTENT);
  }
  state.tiles.set(key, tile);
  return tile;
}

/**
 * The cluster pyramid for a filter at the current deposits version. The unfiltered one is
 * brought up to date by replaying the journal when the edits since it was built are known and
 * few; filtered ones (whose membership would need the filter re-evaluated) are rebuilt.
 */
function clusterPyramid(project: Project, state: TileState, version: string, fkey: string, filter: FeatureFilter): ClusterPyramid {
  const entry = state.pyramids.get(fkey);
  if (entry?.version === version) return entry.pyramid;
  if (entry && fkey === '') {
    const range = state.versions.journalSince('deposits', entry.version);
    if (range && replayDepositJournal(project, entry.pyramid, range)) {
      entry.version = version;
      state.stats.pyramidReplays++;
      return entry.pyramid;
    }
  }
  const pyramid = buildClusterPyramid(project, DETAIL_ZOOM - 1, filter);
  state.stats.pyramidBuilds++;
  state.pyramids.set(fkey, { pyramid, version });
  return pyramid;
}

export interface TileCacheStats {
  tiles: number;
  tileBytes: number;
  pyramids: number;
  /** Cluster pyramids built by a full scan, and brought up to date from the journal instead. */
  pyramidBuilds: number;
  pyramidReplays: number;
}

/** What the tile cache of this project holds (for diagnostics and tests). */
export function tileCacheStats(project: Project): TileCacheStats {
  const s = states.get(project.db);
  if (!s) return { tiles: 0, tileBytes: 0, pyramids: 0, pyramidBuilds: 0, pyramidReplays: 0 };
  return { tiles: s.tiles.size, tileBytes: s.tiles.totalSize, pyramids: s.pyramids.size, ...s.stats };
}

/** Forget every cached tile and cluster pyramid of this project (e.g. when closing it). */
export function clearTileCache(project: Project): void {
  states.delete(project.db);
}
