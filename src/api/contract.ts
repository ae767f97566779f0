/**
 * Outcrop's API contract: the one typed surface between the renderer and the core.
 * Electron's preload exposes it as `window.outcrop` (IPC), and the loopback web host serves
 * the same methods over HTTP, so the renderer runs unchanged in both.
 *
 * This file is imported by the renderer: types only from the core, plus zod schemas. It must
 * never import Node built-ins or better-sqlite3 (checked by tests/unit/architecture.test.ts).
 */
import { z } from 'zod';
import type { Feature, MultiPolygon, Point, Polygon } from 'geojson';
import type { ErrorCode, Problem } from '../errors';
import { ANALYSIS_METHODS, type AnalysisResults } from './analysis-contract';

export const API_VERSION = 1;

// ---------------------------------------------------------------------------------------------
// Envelope: handlers never throw across the bridge (errors are data, worded by `code`).

export interface ApiError {
  code: ErrorCode;
  message: string;
  /** Per-feature problems of a validation error (file, feature, field, message). */
  problems?: Problem[];
  /** The message's key in src/messages/en.ts and its params, when the core coded it (UI wording). */
  key?: string;
  params?: Record<string, string | number>;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

// ---------------------------------------------------------------------------------------------
// Shared shapes

export const layerSchema = z.enum(['deposits', 'surveys']);
export type ApiLayer = z.infer<typeof layerSchema>;

const lon = z.number().finite().min(-180).max(180);
const lat = z.number().finite().min(-90).max(90);
export const positionSchema = z.tuple([lon, lat]);
const bboxSchema = z.tuple([lon, lat, lon, lat]);
const ring = z.array(positionSchema).min(4).max(1_000_000);
export const pointSchema = z.object({ type: z.literal('Point'), coordinates: positionSchema });
export const polygonSchema = z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1).max(10_000) });
export const multiPolygonSchema = z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1).max(10_000) });
export const areaSchema = z.union([polygonSchema, multiPolygonSchema]);

/**
 * A deposit's or survey's id: Outcrop mints UUIDs, but a feature added in QGIS or with GDAL keeps
 * whatever id it was given ('qgis-new-1'), and the app must still open, edit, delete and undo it.
 */
export const featureIdSchema = z.string().min(1).max(200);
const codeList = z.array(z.string().min(1).max(64)).max(200);
export const filterSchema = z
  .object({
    bbox: bboxSchema.optional(),
    commodity: codeList.optional(),
    mainCommodityOnly: z.boolean().optional(),
    status: codeList.optional(),
    depositType: codeList.optional(),
    country: z.array(z.string().max(200)).max(300).optional(),
    /** Recording agency (provenance); applies to deposits and surveys. */
    agency: z.array(z.string().max(200)).max(300).optional(),
    /** Field team (provenance): surveys of these teams and the deposits recorded in them. */
    team: z.array(z.string().max(200)).max(300).optional(),
    surveyId: featureIdSchema.optional(),
  })
  .strict();
export type ApiFilter = z.infer<typeof filterSchema>;

/**
 * A feature as the UI sees it: snake_case properties (docs/data-model.md), `extra` nested. The
 * geometry is null for a feature without a location (none in the file it was imported from,
 * or cleared in another program: QGIS, GDAL): the UI lists it and lets the user place it.
 */
export type ApiFeature = Feature<Point | MultiPolygon | null, Record<string, unknown>> & { id: string };

export interface UndoState {
  canUndo: boolean;
  canRedo: boolean;
  undoLabel: string | null;
  redoLabel: string | null;
}

export interface ProjectInfo {
  /** Absolute path of the .gpkg (web host: its path on the host machine). */
  path: string;
  name: string;
  counts: { deposits: number; surveys: number };
  /** Extent of all features [w, s, e, n], or null when empty. */
  bbox: [number, number, number, number] | null;
  undo: UndoState;
  /** Changes whenever the data changes (tiles and tables refetch). */
  dataVersion: string;
}

/** One row of the feature table (deposits or surveys), small enough for 100k-row lists. */
export interface TableRow {
  fid: number;
  id: string;
  name: string;
  /** deposits: main commodity codes; surveys: methods. */
  codes: string[];
  status: string | null;
  country: string | null;
  agency: string | null;
  /** deposits: deposit type code; surveys: team. */
  kind: string | null;
  /** [lng, lat] of the point, or the centre of a survey's extent (for "zoom to"); null: no location. */
  center: [number, number] | null;
}

export const tableQuerySchema = z
  .object({
    layer: layerSchema,
    filter: filterSchema.optional(),
    agency: z.array(z.string().max(200)).max(100).optional(),
    /** Case-insensitive text search over name, alternative names, source id. */
    search: z.string().max(500).optional(),
    /** Only features without a location (to find and place them). */
    unlocated: z.boolean().optional(),
    sort: z.object({ column: z.enum(['name', 'status', 'country', 'agency', 'kind', 'codes', 'fid']), dir: z.enum(['asc', 'desc']) }).optional(),
    offset: z.number().int().min(0),
    limit: z.number().int().min(1).max(5000),
  })
  .strict();
export type TableQuery = z.infer<typeof tableQuerySchema>;

export interface TablePage {
  total: number;
  offset: number;
  rows: TableRow[];
}

export interface QueryHit {
  fid: number;
  id: string;
  name: string;
  coordinates: [number, number];
  /** near / nearest only */
  distanceKm?: number;
}

export interface QueryResult {
  count: number;
  hits: QueryHit[];
}

export const withinSchema = z
  .object({ area: areaSchema.optional(), surveyId: featureIdSchema.optional(), filter: filterSchema.optional() })
  .strict()
  .refine((r) => !!r.area !== !!r.surveyId, 'give either an area or a surveyId');
export const nearSchema = z.object({ center: positionSchema, km: z.number().finite().min(0).max(20_038), filter: filterSchema.optional() }).strict();
export const nearestSchema = z.object({ center: positionSchema, k: z.number().int().min(1).max(10_000), filter: filterSchema.optional() }).strict();

const properties = z.record(z.string().max(200), z.unknown());
// geometry null: save the fields of a feature that has no location and keep it so (never for a new one).
export const saveDepositSchema = z.object({ id: featureIdSchema.optional(), properties, geometry: pointSchema.nullable() }).strict();
export const saveSurveySchema = z.object({ id: featureIdSchema.optional(), properties, geometry: areaSchema.nullable() }).strict();
export const deleteSchema = z.object({ layer: layerSchema, ids: z.array(featureIdSchema).min(1).max(100_000) }).strict();
export const getSchema = z.object({ layer: layerSchema, id: featureIdSchema }).strict();
/** Check a form's record without writing it (inline validation while the user types). */
export const validateFeatureSchema = z
  .object({ layer: layerSchema, id: featureIdSchema.optional(), properties, geometry: z.union([pointSchema, areaSchema]).optional() })
  .strict();
export const verticesSchema = z.object({ bbox: bboxSchema, limit: z.number().int().min(1).max(100_000).optional() }).strict();
export const idSchema = z.object({ id: featureIdSchema }).strict();

/** Paths are chosen by the user in a native dialog (Electron) or given to the web host. */
const pathSchema = z.string().min(1).max(4096);
export const openProjectSchema = z.object({ path: pathSchema.optional(), create: z.boolean().optional() }).strict();
const importFormatSchema = z.enum(['geojson', 'csv', 'gpkg', 'shapefile']);
/** Source field → Outcrop field (snake_case), or null = keep it in `extra`. */
const fieldMapSchema = z.record(z.string().min(1).max(200), z.string().min(1).max(64).nullable()).refine((m) => Object.keys(m).length <= 2000, 'at most 2000 fields');
export const importSchema = z
  .object({
    path: pathSchema.optional(),
    layer: layerSchema.optional(),
    skipInvalid: z.boolean().optional(),
    format: importFormatSchema.optional(),
    /** GeoPackage layer / shapefile in a zip, when the file holds several. */
    sourceLayer: z.string().min(1).max(200).optional(),
    /** CRS of the coordinates when the file does not say (CSV) or says wrong: "EPSG:6677", a proj string. */
    crs: z.string().min(1).max(2000).optional(),
    /** The field mapping step's choices; remembered for files with the same fields. */
    fieldMap: fieldMapSchema.optional(),
  })
  .strict();
export const inspectSchema = z
  .object({ path: pathSchema.optional(), layer: layerSchema.optional(), format: importFormatSchema.optional(), sourceLayer: z.string().min(1).max(200).optional(), crs: z.string().min(1).max(2000).optional() })
  .strict();

/** What the field mapping step shows: the source's fields, samples, and where each goes. */
export interface ImportInspection {
  path: string;
  file: string;
  format: 'geojson' | 'csv' | 'gpkg' | 'shapefile';
  layer: ApiLayer;
  sampled: number;
  fields: { name: string; samples: string[]; filled: number; auto: string | null }[];
  /** The Outcrop fields of `layer` a source field can be mapped onto. */
  targets: string[];
  signature: string;
  /** The mapping last used for a source with exactly these fields, if any. */
  remembered: { map: Record<string, string | null>; file: string; at: string } | null;
}
export const exportSchema = z
  .object({
    path: pathSchema.optional(),
    format: z.enum(['geojson', 'csv', 'gpkg']),
    layers: z.array(layerSchema).min(1).max(2).optional(),
    /** Reproject CSV / GeoPackage output ("EPSG:6677"; CSV also takes a +proj string). */
    crs: z.string().min(1).max(2000).optional(),
    filter: filterSchema.optional(),
    /** Export just these deposits (e.g. a query result). */
    ids: z.array(featureIdSchema).max(1_000_000).optional(),
  })
  .strict();
export const jobIdSchema = z.object({ jobId: z.string().min(1).max(100) }).strict();
export const addBasemapSchema = z.object({ path: pathSchema.optional() }).strict();
export const basemapIdSchema = z.object({ id: z.string().regex(/^[0-9a-f]{12}$/) }).strict();

/** A user's offline basemap (local MBTiles / PMTiles), served under the app's own origin. */
export interface BasemapInfo {
  id: string;
  path: string;
  name: string;
  /** null when the remembered file could not be opened (see `error`). */
  format: 'pbf' | 'png' | 'jpg' | 'webp' | null;
  minzoom: number;
  maxzoom: number;
  bounds: [number, number, number, number] | null;
  attribution: string | null;
  /** Vector layers to style (pbf only). */
  vectorLayers: string[];
  /** Tile URL path template under the app's origin, e.g. `/basemaps/<id>/{z}/{x}/{y}.pbf`. */
  tiles: string | null;
  error: string | null;
  /** The error's message key and params (src/messages/en.ts), for the UI to word it in its language. */
  errorKey?: string;
  errorParams?: Record<string, string | number>;
}

export type JobKind = 'import' | 'export' | 'package' | 'preview' | 'merge' | 'coverage' | 'layer-import';

export type JobEvent =
  | { jobId: string; kind: JobKind; type: 'progress'; phase: string; done: number; total?: number; unit?: string }
  | { jobId: string; kind: JobKind; type: 'done'; summary: string; result: unknown; downloadUrl?: string }
  | { jobId: string; kind: JobKind; type: 'error'; error: ApiError }
  | { jobId: string; kind: JobKind; type: 'cancelled' };

export interface HistoryItem {
  at: string;
  actor: string | null;
  action: 'insert' | 'update' | 'delete';
  kind: string;
  /** Fields whose value changed (snake_case). */
  changed: string[];
}

export interface StatsSummary {
  layers: { deposits: number; surveys: number };
  byCommodity: { key: string | null; count: number }[];
  byCountry: { key: string | null; count: number }[];
  byStatus: { key: string | null; count: number }[];
  surveysByAgency: { key: string | null; count: number }[];
  depositsByAgency: { key: string | null; count: number }[];
  surveysByCountry: { key: string | null; count: number }[];
  surveysByTeam: { key: string | null; count: number }[];
}

// ---------------------------------------------------------------------------------------------
// Exchange between teams (issue 6): packages, merge with a preview, conflicts, provenance.

const identityText = z.string().trim().max(200).nullable().optional();
/** Who this project's changes come from (sent with every package); omitted keys stay as they are. */
export const identitySchema = z.object({ team: identityText, agency: identityText, country: identityText, observer: identityText, device: identityText }).strict();
export interface ExchangeIdentity {
  team: string | null;
  agency: string | null;
  country: string | null;
  observer: string | null;
  device: string | null;
  /** This project's replica id (stable, minted by the core). */
  replica: string;
}
export const packageSchema = z.object({ path: pathSchema.optional(), since: z.enum(['last', 'all']) }).strict();
export const packageFileSchema = z.object({ path: pathSchema.optional() }).strict();
export const mergeSchema = z.object({ path: pathSchema }).strict();
export const conflictsSchema = z.object({ status: z.enum(['open', 'resolved', 'all']).optional() }).strict();
/** An edited value: what a field of a record can hold (text, number, list, JSON object) or a geometry. */
const conflictValue = z.union([
  z.null(),
  z.string().max(100_000),
  z.number().finite(),
  z.boolean(),
  pointSchema,
  areaSchema,
  z.array(z.unknown()).max(10_000),
  z.record(z.string().max(200), z.unknown()),
]);
export const resolveSchema = z
  .object({ conflictId: z.number().int().min(1), take: z.enum(['ours', 'theirs']).optional(), value: conflictValue.optional() })
  .strict()
  .refine((r) => (r.take === undefined) !== (r.value === undefined), 'give either take (ours or theirs) or a value');

export type ConflictKind = 'field' | 'edit-delete' | 'delete-edit' | 'insert-insert';

/** A conflict the merge would raise (preview) or raised: `base`/`ours`/`theirs` are field values, or whole features (edit vs delete). */
export interface ConflictPreview {
  layer: ApiLayer;
  featureId: string;
  name: string;
  kind: ConflictKind;
  field: string | null;
  base: unknown;
  ours: unknown;
  theirs: unknown;
}

export interface MergePreview {
  /** The package file (resolved on the host) to pass to jobs.merge. */
  path: string;
  package: string;
  from: Omit<ExchangeIdentity, 'replica'> & { replica: string | null; createdAt: string | null };
  /** Merged before: merging again changes nothing. */
  alreadyMerged: boolean;
  added: number;
  updated: number;
  deleted: number;
  /** Records where both sides' changes to different fields are combined. */
  combined: number;
  unchanged: number;
  conflicts: ConflictPreview[];
  /** Columns of the package that this project cannot store (listed, never dropped silently). */
  droppedFields: string[];
  /** Properties of their records without a field of their own, kept verbatim in `extra` (with how many records have them). */
  extraFields: { layer: ApiLayer; field: string; count: number }[];
}

/** A recorded conflict with every version, and the record's geometries (ours, theirs, base when known) for the map. */
export interface ConflictItem extends ConflictPreview {
  conflictId: number;
  from: Omit<ExchangeIdentity, 'replica'> & { replica: string | null };
  mergedAt: string | null;
  status: 'open' | 'resolved';
  resolution: unknown;
  resolvedBy: string | null;
  resolvedAt: string | null;
  geometry: { ours: Point | MultiPolygon | null; theirs: Point | MultiPolygon | null; base: Point | MultiPolygon | null };
}

export interface ExchangeStatus {
  openConflicts: number;
  resolvedConflicts: number;
  lastSentAt: string | null;
  lastReceivedAt: string | null;
  /** Records changed here since the last package sent (what "since last exchange" would carry). */
  changedSinceLastSent: number;
  changedTotal: number;
}

/** Who made a record and its last change, and under which team's identity (here or received in a package). */
export interface ChangeAuthor {
  at: string;
  actor: string | null;
  team: string | null;
  agency: string | null;
  country: string | null;
  /** false = came in another team's package. */
  here: boolean;
  kind: string;
}
export interface FeatureProvenance {
  created: ChangeAuthor | null;
  lastChanged: ChangeAuthor | null;
  openConflicts: number;
}

// ---------------------------------------------------------------------------------------------
// The methods. Each has a request schema (validated by the IPC bridge and the web host before
// the core sees it) and a response type. `null` from a dialog-backed method = user cancelled.

export const METHODS = {
  'app.info': z.object({}).strict(),
  'project.open': openProjectSchema,
  'project.current': z.object({}).strict(),
  'project.close': z.object({}).strict(),
  'project.recent': z.object({}).strict(),
  'features.table': tableQuerySchema,
  'features.get': getSchema,
  'features.saveDeposit': saveDepositSchema,
  'features.saveSurvey': saveSurveySchema,
  'features.delete': deleteSchema,
  'features.history': idSchema,
  'features.validate': validateFeatureSchema,
  'features.vertices': verticesSchema,
  'edit.undo': z.object({}).strict(),
  'edit.redo': z.object({}).strict(),
  'query.within': withinSchema,
  'query.near': nearSchema,
  'query.nearest': nearestSchema,
  'jobs.import': importSchema,
  'import.inspect': inspectSchema,
  'jobs.export': exportSchema,
  'jobs.cancel': jobIdSchema,
  'stats.summary': z.object({}).strict(),
  'basemaps.list': z.object({}).strict(),
  'basemaps.add': addBasemapSchema,
  'basemaps.remove': basemapIdSchema,
  'exchange.identity': z.object({}).strict(),
  'exchange.setIdentity': identitySchema,
  'exchange.status': z.object({}).strict(),
  'exchange.preview': packageFileSchema,
  'exchange.conflicts': conflictsSchema,
  'exchange.resolve': resolveSchema,
  'exchange.provenance': getSchema,
  'jobs.package': packageSchema,
  'jobs.preview': packageFileSchema,
  'jobs.merge': mergeSchema,
  ...ANALYSIS_METHODS,
} as const;

export type MethodName = keyof typeof METHODS;

/** Analysis methods (coverage, sites, comparison, report): see analysis-contract.ts. */
export interface MethodResults extends AnalysisResults<ProjectInfo> {
  'app.info': { version: string; apiVersion: number; host: 'electron' | 'web'; dialogs: boolean };
  'project.open': ProjectInfo | null;
  'project.current': ProjectInfo | null;
  'project.close': null;
  'project.recent': string[];
  'features.table': TablePage;
  'features.get': ApiFeature | null;
  'features.saveDeposit': { feature: ApiFeature; project: ProjectInfo };
  'features.saveSurvey': { feature: ApiFeature; project: ProjectInfo };
  'features.delete': { deleted: number; project: ProjectInfo };
  'features.history': HistoryItem[];
  /** Problems (field + message) the core would refuse the record with; empty = it would save. */
  'features.validate': Problem[];
  /** Exact survey vertices and deposit points in a box, for snapping while drawing. */
  'features.vertices': { vertices: [number, number][]; truncated: boolean };
  'edit.undo': ProjectInfo;
  'edit.redo': ProjectInfo;
  'query.within': QueryResult;
  'query.near': QueryResult;
  'query.nearest': QueryResult;
  'jobs.import': { jobId: string } | null;
  /** null = the user cancelled the file dialog. */
  'import.inspect': ImportInspection | null;
  'jobs.export': { jobId: string } | null;
  'jobs.cancel': null;
  'stats.summary': StatsSummary;
  'basemaps.list': BasemapInfo[];
  /** null = the user cancelled the dialog. */
  'basemaps.add': BasemapInfo | null;
  'basemaps.remove': BasemapInfo[];
  'exchange.identity': ExchangeIdentity;
  'exchange.setIdentity': ExchangeIdentity;
  'exchange.status': ExchangeStatus;
  /** A dry run of the merge (changes nothing); null = no package chosen in the dialog. */
  'exchange.preview': MergePreview | null;
  'exchange.conflicts': ConflictItem[];
  'exchange.resolve': { conflict: ConflictItem; project: ProjectInfo };
  'exchange.provenance': FeatureProvenance | null;
  /** Done event result: { file, features, historyRows, sinceSeq, upToSeq }; web host: downloadUrl. */
  'jobs.package': { jobId: string } | null;
  /** The preview as a job (progress, cancel); done event result: { preview: MergePreview }. null = no package chosen in the dialog. */
  'jobs.preview': { jobId: string } | null;
  /** Done event result: { report: MergePreview, project: ProjectInfo }. */
  'jobs.merge': { jobId: string };
}

export type MethodRequest<M extends MethodName> = z.input<(typeof METHODS)[M]>;

/** What the renderer calls: `api.call('query.near', {center, km})`, plus job events and tiles. */
export interface OutcropApi {
  call<M extends MethodName>(method: M, request: MethodRequest<M>): Promise<ApiResult<MethodResults[M]>>;
  /** Subscribe to job progress/done/error events; returns an unsubscribe function. */
  onJobEvent(listener: (e: JobEvent) => void): () => void;
  /** Tile URL template for MapLibre, e.g. `outcrop://tiles/deposits/{z}/{x}/{y}.pbf?v=…` ('reference': the stored reference layers, no filter). */
  tileUrl(layer: TileLayerName, dataVersion: string, filter?: ApiFilter): string;
}

/**
 * What Electron's application menu asks the renderer to do. The renderer carries the command out
 * through the ordinary API (`api.call('edit.undo', {})` …) so its own state refreshes as after a
 * click. Here so that the main process, the preload and the renderer share one definition.
 */
export type MenuCommand =
  | { command: 'project.new' }
  | { command: 'project.open'; path?: string }
  | { command: 'jobs.import' }
  | { command: 'jobs.export'; format: 'geojson' | 'csv' | 'gpkg' }
  | { command: 'edit.undo' }
  | { command: 'edit.redo' }
  | { command: 'draw.survey' }
  | { command: 'draw.deposit' }
  | { command: 'basemaps.add' }
  /** The exchange dialog on one of its tabs (issue 6). */
  | { command: 'exchange.open'; tab: 'export' | 'merge' };

/** Channel names (Electron IPC) and URL paths (web host). */
export const IPC_CHANNEL = 'outcrop:call';
export const IPC_JOB_EVENT = 'outcrop:job-event';
export const HTTP_API_PREFIX = '/api/';
export const HTTP_EVENTS_PATH = '/api/events';
export const TILE_PATH_PREFIX = '/tiles/';
/** The layers served under TILE_PATH_PREFIX: the project's deposits and surveys, and its stored reference layers (all in one). */
export const TILE_LAYERS = ['deposits', 'surveys', 'reference'] as const;
export type TileLayerName = (typeof TILE_LAYERS)[number];
export const BASEMAP_PATH_PREFIX = '/basemaps/';

export type { Polygon, MultiPolygon, Point };
export type { AnalysisOptions, ComparedSite, ComparisonResult, CoverageGroupKey, CoverageGroupRow, CoverageSummary, CriterionKey, ScoredCriterion, SiteItem, SiteMapData } from './analysis-contract';
export type { ReferenceLayerItem } from './analysis-contract';
