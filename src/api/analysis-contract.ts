/**
 * The planner's analysis part of the API contract (issue 5): survey coverage of an area of
 * interest, candidate sites, their comparison and the report. Spread into METHODS and
 * MethodResults by contract.ts. Browser-safe like the contract: zod schemas, and types only
 * from the core.
 */
import { z } from 'zod';
import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';

const lon = z.number().finite().min(-180).max(180);
const lat = z.number().finite().min(-90).max(90);
const position = z.tuple([lon, lat]);
const ring = z.array(position).min(4).max(1_000_000);
const pointSchema = z.object({ type: z.literal('Point'), coordinates: position });
const polygonSchema = z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1).max(10_000) });
const multiPolygonSchema = z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1).max(10_000) });
const text = z.string().max(200);
const textList = z.array(text).max(300);

/**
 * The scored criteria and one criterion of a site's score, as the renderer sees them (the
 * renderer's compiler cannot follow the core's model; analysis-handlers.ts assigns the core's
 * values to these types, so the compiler keeps both in step).
 */
export type CriterionKey = 'deposits' | 'development' | 'resources' | 'infrastructure' | 'coverage' | 'exclusion' | 'permitting';
export interface ScoredCriterion {
  key: CriterionKey;
  /** Raw value in `unit`; null = could not be measured (normalised to 0). */
  raw: number | null;
  unit: string;
  higherIsBetter: boolean;
  /** false: not assessed in this comparison; its weight is treated as 0. */
  applicable: boolean;
  explanation: string;
  /** 0 … 1 after min–max normalisation across the compared sites (1 = best). */
  normalised: number;
  weight: number;
  /** weight × normalised. */
  contribution: number;
}

export const COVERAGE_GROUPS = ['agency', 'country', 'method'] as const;
export type CoverageGroupKey = (typeof COVERAGE_GROUPS)[number];

/**
 * Area of interest: a country by its Natural Earth name (e.g. "Japan"), a US state by name or
 * postal code ("Nevada", "NV"), a Japanese prefecture by English or Japanese name or JIS code
 * ("Hokkaido", "北海道"), or a drawn polygon.
 */
export const aoiSchema = z.union([
  z.object({ country: z.string().trim().min(1).max(200) }).strict(),
  z.object({ state: z.string().trim().min(1).max(200) }).strict(),
  z.object({ prefecture: z.string().trim().min(1).max(200) }).strict(),
  z.object({ area: z.union([polygonSchema, multiPolygonSchema]), label: text.optional() }).strict(),
]);

/** YYYY, YYYY-MM or YYYY-MM-DD (coverage's date filters compare on the common prefix). */
const isoDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'a date as YYYY, YYYY-MM or YYYY-MM-DD');

export const coverageSchema = z
  .object({
    aoi: aoiSchema.optional(),
    filter: z
      .object({ agency: textList.optional(), country: textList.optional(), method: textList.optional(), from: isoDate.optional(), to: isoDate.optional() })
      .strict()
      .optional(),
    by: z.enum(COVERAGE_GROUPS).optional(),
  })
  .strict();

const weight = z.number().finite().min(0).max(100);
export const weightsSchema = z
  .object({
    criteria: z.record(z.string().max(40), weight).optional(),
    commodities: z.record(z.string().max(40), weight).optional(),
    otherCritical: weight.optional(),
    exclusionMode: z.enum(['hard', 'penalty']).optional(),
  })
  .strict();

const siteId = z.string().min(1).max(200);
const layerName = z.string().trim().min(1).max(200);
export const REFERENCE_ROLES = ['infrastructure', 'exclusion'] as const;
export const layerImportSchema = z
  .object({
    /** Absent: the host asks with a file dialog (Electron). */
    path: z.string().min(1).max(4096).optional(),
    role: z.enum(REFERENCE_ROLES),
    /** Default: the file name without its extension. */
    name: layerName.optional(),
    replace: z.boolean().optional(),
  })
  .strict();
export const layersDeleteSchema = z.object({ names: z.array(layerName).min(1).max(100) }).strict();
export const compareSchema = z
  .object({
    siteIds: z.array(siteId).min(2).max(10),
    weights: weightsSchema.optional(),
    radiusKm: z.number().finite().gt(0).max(2000).optional(),
    /** Stored reference layer to measure distances to; absent = processing plants (deposits with status plant); null = none. */
    infrastructureLayer: layerName.nullable().optional(),
    /** Stored reference layers of exclusion zones (protected areas). */
    exclusionLayers: z.array(layerName).max(50).optional(),
    /** true: `weights.commodities` is the whole priority list (a commodity left out weighs as an unlisted one), not changes over the defaults. */
    replaceCommodities: z.boolean().optional(),
  })
  .strict();
export const reportSchema = compareSchema.extend({ format: z.enum(['html', 'csv', 'pdf']), path: z.string().min(1).max(4096).optional(), title: text.optional() }).strict();

export const saveSiteSchema = z
  .object({
    id: siteId.optional(),
    name: z.string().trim().min(1).max(200),
    geometry: z.union([pointSchema, polygonSchema, multiPolygonSchema]),
    roles: z.array(z.string().max(40)).max(20).optional(),
    targetCommodities: z.array(z.string().max(40)).max(100).optional(),
    permitStage: z.string().max(40).nullable().optional(),
    notes: z.string().max(10_000).nullable().optional(),
  })
  .strict();
export const deleteSitesSchema = z.object({ ids: z.array(siteId).min(1).max(10_000) }).strict();
/** A dated permit review of a stored site; the site's permit stage follows its latest review by date. */
export const permitReviewSchema = z
  .object({
    siteId,
    /** Checked by the store (YYYY[-MM[-DD]], a real date), whose refusal the UI words in its language. */
    date: z.string().trim().min(1).max(40),
    stage: z.string().min(1).max(40),
    note: z.string().max(10_000).nullable().optional(),
  })
  .strict();

/** One group (agency, country or method) of a coverage run. */
export interface CoverageGroupRow {
  key: string;
  surveyCount: number;
  areaKm2: number;
  /** Share of the AOI this group covers (null without an AOI). */
  pctOfAoi: number | null;
}

/** The result of a coverage job (its `done` event's `result`). */
export interface CoverageSummary {
  /** The AOI's label (country name or "drawn area"), null = the union of all surveys. */
  aoiLabel: string | null;
  aoiKm2: number | null;
  surveyCount: number;
  coveredKm2: number;
  coveredPct: number | null;
  gapsKm2: number | null;
  by: CoverageGroupKey | null;
  groups: CoverageGroupRow[];
  overlaps: { a: string; b: string; areaKm2: number }[];
  /** For the map: the AOI outline, the covered union, the gaps (one feature per polygon) and the overlaps (properties a, b, areaKm2). */
  geojson: { aoi: FeatureCollection; covered: FeatureCollection; gaps: FeatureCollection; overlaps: FeatureCollection };
}

export interface AnalysisOptions {
  /** Country names the AOI can be (Natural Earth admin-0). */
  aoiCountries: string[];
  /** US states (and DC, territories) the AOI can be: name and postal code; bbox [w, s, e, n] to fit the map to (east past 180 across the antimeridian: Alaska). */
  aoiStates: { name: string; code: string; bbox: [number, number, number, number] }[];
  /** Japanese prefectures the AOI can be, in JIS order: romanised and Japanese name, JIS code, bbox [w, s, e, n]. */
  aoiPrefectures: { name: string; nameJa: string; code: number; bbox: [number, number, number, number] }[];
  /** Values present in the project's surveys, for the filters. */
  agencies: string[];
  surveyCountries: string[];
  methods: string[];
  criteria: CriterionKey[];
  defaultWeights: { criteria: Record<CriterionKey, number>; commodities: Record<string, number>; otherCritical: number; exclusionMode: 'hard' | 'penalty' };
  roles: { code: string; en: string; ja: string }[];
  permitStages: { code: string; en: string; ja: string }[];
}

export interface SiteItem {
  id: string;
  name: string;
  /** null: another program (QGIS, GDAL) cleared it; the site is listed, and compared only once placed again. */
  geometry: Point | Polygon | MultiPolygon | null;
  roles: string[];
  targetCommodities: string[];
  permitStage: string | null;
  notes: string | null;
  /** Dated permit reviews, oldest first. */
  permitReviews: { date: string; stage: string; note: string | null }[];
  updatedAt: string;
}

/** A reference layer stored in the project (roads, ports, protected areas …). */
export interface ReferenceLayerItem {
  name: string;
  role: (typeof REFERENCE_ROLES)[number];
  featureCount: number;
  geometryTypes: string[];
  sourceFile: string | null;
  importedAt: string;
  importedBy: string | null;
}

export interface ComparedSite {
  id: string;
  name: string;
  score: number;
  rank: number;
  excluded: boolean;
  criteria: ScoredCriterion[];
  /** ±20 % weight sensitivity of this site's rank. */
  minRank: number;
  maxRank: number;
  maxChange: number;
  stable: boolean;
  /** ±20 % sensitivity of the rank to each priority-commodity weight. */
  commodityMinRank: number;
  commodityMaxRank: number;
  commodityStable: boolean;
  /** Deposits counted around / inside the site, and how many carry a priority commodity. */
  depositCount: number;
  priorityCount: number;
  /** The area assessed (the site, or its radius circle). */
  assessedArea: Polygon | MultiPolygon;
  /** The site's small map, as the HTML report draws it. */
  map: SiteMapData;
}

/**
 * A site's small map (the core's src/compare/site-map.ts, mirrored like ScoredCriterion): a
 * local equirectangular projection of the assessed area onto a size × size square, north up.
 */
export interface SiteMapData {
  size: number;
  /** In drawing order: exclusion zones, covered area, assessed area, then the site (drawn over the dots). Closed rings: fill-rule evenodd. */
  paths: { kind: 'exclusion' | 'covered' | 'assessed' | 'site'; d: string; title?: string }[];
  /** The counted deposits, nearest first, at most 400 (px, to 0.1). */
  dots: { x: number; y: number; priority: boolean; name: string }[];
  /** Counted deposits left off the map. */
  omittedDots: number;
  /** A point site's position (px); null for a polygon site. */
  point: { x: number; y: number } | null;
}

export interface ComparisonResult {
  radiusKm: number;
  weights: AnalysisOptions['defaultWeights'];
  infrastructureLabel: string | null;
  /** The exclusion layers used, null when none. */
  exclusionsLabel: string | null;
  /** In the requested order. */
  sites: ComparedSite[];
  variations: { criterion: CriterionKey; factor: number; ranks: number[] }[];
  /** Each priority-commodity weight (code, or "otherCritical") × 0.8 and × 1.2: the ranks. */
  commodityVariations: { commodity: string; factor: number; ranks: number[] }[];
}

export const ANALYSIS_METHODS = {
  'analysis.options': z.object({}).strict(),
  'analysis.prepare': z.object({}).strict(),
  'jobs.coverage': coverageSchema,
  'sites.list': z.object({}).strict(),
  'sites.save': saveSiteSchema,
  'sites.delete': deleteSitesSchema,
  'sites.permitReview': permitReviewSchema,
  'analysis.compare': compareSchema,
  'analysis.report': reportSchema,
  'layers.list': z.object({}).strict(),
  'jobs.layerImport': layerImportSchema,
  'layers.delete': layersDeleteSchema,
} as const;

export interface AnalysisResults<P> {
  'analysis.options': AnalysisOptions;
  /**
   * Build the comparison's deposit index now (the compare panel asks when it opens), so that the
   * first comparison does not wait for the scan of every deposit; the deposits it holds (null:
   * not now, an import or merge holds the project; the comparison will read them itself).
   */
  'analysis.prepare': { deposits: number | null };
  /** Done event result: CoverageSummary. */
  'jobs.coverage': { jobId: string };
  'sites.list': SiteItem[];
  'sites.save': { site: SiteItem; project: P };
  'sites.delete': { deleted: number; project: P };
  /** The site with its reviews (oldest first) and stage after the new review. */
  'sites.permitReview': { site: SiteItem; project: P };
  'analysis.compare': ComparisonResult;
  /** null = the user cancelled the save dialog; web host: downloadUrl of the report. */
  'analysis.report': { file: string; bytes: number; downloadUrl?: string } | null;
  'layers.list': ReferenceLayerItem[];
  /** Done event result: { layer: ReferenceLayerItem, layers: ReferenceLayerItem[] }. null = the user cancelled the file dialog. */
  'jobs.layerImport': { jobId: string } | null;
  /** `project`: the project info after the deletion (undoable: its undo label). */
  'layers.delete': { deleted: number; layers: ReferenceLayerItem[]; project: P };
}
