/**
 * The planner's analysis methods of the API contract (issue 5): survey coverage as a job, the
 * candidate sites, their comparison and the report. OutcropService spreads these handlers into
 * its own; they reach the open project, jobs and dialogs only through `AnalysisHost`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { asCancelled, codedError, ValidationError } from '../errors';
import { coded } from '../messages/en';
import { toApiError } from './api-error';
import { candidateOf, compareSites, type CandidateSite, type Comparison } from '../compare/compare-sites';
import { prepareDepositIndex } from '../compare/deposit-index';
import { PLANTS_LAYER, storedInfrastructure } from '../compare/infrastructure';
import { comparisonToCsv } from '../compare/report-csv';
import { comparisonToHtml } from '../compare/report-html';
import { PERMIT_STAGES, SITE_ROLES } from '../compare/roles';
import { siteMapShapes } from '../compare/site-map';
import { CRITERIA, defaultWeights, parseWeightsJson, type Weights } from '../compare/weights';
import { validateGeometry } from '../geometry/validate';
import { parseCommodityList } from '../model/vocab/commodities';
import { checkCoverageDates, surveyCoverageAsync, type CoverageResult } from '../spatial/coverage';
import { countryArea, countryNames, prefectureArea, prefectureBounds, prefectureLabel, prefectureList, stateArea, stateBounds, stateLabel, stateList } from '../spatial/coverage-aoi';
import type { Area } from '../spatial/within-area';
import type { Project } from '../store/project';
import { addPermitReview, deleteSites, emptySiteFields, getSite, insertSites, listSites, permitHistory, type PermitReview, type Site, type SiteFields, type SiteGeometry, updateSite } from '../store/sites';
import { importReferenceLayer } from '../import/reference-layer';
import { deleteReferenceLayers, listReferenceLayers, referenceZones, type ReferenceRole } from '../store/reference-layers';
import type { AnalysisResults, ComparisonResult, CoverageSummary, SiteItem } from './analysis-contract';
import type { JobEvent, JobKind, ProjectInfo } from './contract';

type JobEventBody = JobEvent extends infer E ? (E extends JobEvent ? Omit<E, 'jobId' | 'kind'> : never) : never;

/** What the analysis handlers need of the service that hosts them. */
export interface AnalysisHost {
  need(): Project;
  info(): ProjectInfo;
  startJob(kind: JobKind): { jobId: string; signal: AbortSignal; emit(e: JobEventBody): void; end(): void };
  /** Electron: where to save a report (native dialog). */
  dialogs?: { saveReport?(format: 'html' | 'csv' | 'pdf'): Promise<string | null>; importFile?(): Promise<string | null> };
  /** Web host: where reports go, and their download URL. */
  exportDir?: string;
  downloadUrl?: (file: string) => string;
  /** Electron: render HTML to PDF (webContents.printToPDF); absent in the web host. */
  printToPdf?: (html: string) => Promise<Buffer>;
}

type Handlers = { [M in keyof AnalysisResults<ProjectInfo>]: (req: any) => Promise<AnalysisResults<ProjectInfo>[M]> };

export function analysisHandlers(host: AnalysisHost): Handlers {
  return {
    'analysis.options': async () => analysisOptions(host.need()),
    'analysis.prepare': async () => ({ deposits: prepareDepositIndex(host.need()) }),
    'jobs.coverage': async (r) => startCoverage(host, r),
    'sites.list': async () => {
      const p = host.need();
      return listSites(p).map((s) => siteItem(p, s));
    },
    'sites.save': async (r) => {
      const p = host.need();
      const { fields, geometry } = checkSite(r);
      let id = r.id as string | undefined;
      if (id && getSite(p, id)) await updateSite(p, id, fields, geometry);
      else [id] = await insertSites(p, [{ fields, geometry, id }], `add site ${fields.name}`);
      return { site: siteItem(p, getSite(p, id!)!), project: host.info() };
    },
    'sites.delete': async (r: { ids: string[] }) => {
      const p = host.need();
      const deleted = await deleteSites(p, r.ids);
      return { deleted, project: host.info() };
    },
    'sites.permitReview': async (r: { siteId: string; date: string; stage: string; note?: string | null }) => {
      const p = host.need();
      await addPermitReview(p, { siteId: r.siteId, date: r.date.trim(), stage: r.stage as PermitReview['stage'], note: r.note ?? null });
      return { site: siteItem(p, getSite(p, r.siteId)!), project: host.info() };
    },
    'analysis.compare': async (r) => toComparisonResult(runComparison(host.need(), r)),
    'analysis.report': async (r) => writeReport(host, r),
    'layers.list': async () => listReferenceLayers(host.need()),
    'jobs.layerImport': async (r) => startLayerImport(host, r),
    'layers.delete': async (r: { names: string[] }) => {
      const p = host.need();
      const deleted = await deleteReferenceLayers(p, r.names);
      return { deleted, layers: listReferenceLayers(p), project: host.info() };
    },
  };
}

// ---------------------------------------------------------------------------------------------

function analysisOptions(p: Project) {
  const distinct = (col: string) => (p.db.prepare(`SELECT DISTINCT ${col} FROM surveys WHERE ${col} IS NOT NULL AND ${col} != '' ORDER BY 1`).pluck().all() as string[]);
  const methods = new Set<string>();
  for (const m of distinct('methods')) for (const x of m.split(';')) if (x) methods.add(x);
  const w = defaultWeights();
  return {
    aoiCountries: countryNames(),
    aoiStates: stateList().map((s) => ({ ...s, bbox: stateBounds(s.code) })),
    aoiPrefectures: prefectureList().map((p) => ({ ...p, bbox: prefectureBounds(String(p.code)) })),
    agencies: distinct('agency'),
    surveyCountries: distinct('country'),
    methods: [...methods].sort(),
    criteria: [...CRITERIA],
    defaultWeights: w,
    roles: SITE_ROLES.map((r) => ({ ...r })),
    permitStages: PERMIT_STAGES.map((s) => ({ ...s })),
  };
}

interface CoverageRequest {
  aoi?: { country: string } | { state: string } | { prefecture: string } | { area: Polygon | MultiPolygon; label?: string };
  filter?: { agency?: string[]; country?: string[]; method?: string[]; from?: string; to?: string };
  by?: 'agency' | 'country' | 'method';
}

/** Resolve the AOI before the job starts, so a bad country or polygon is an error of the call. */
function resolveAoi(aoi: CoverageRequest['aoi']): { area: Area; label: string } | undefined {
  if (!aoi) return undefined;
  if ('country' in aoi) return { area: countryArea(aoi.country), label: aoi.country };
  if ('state' in aoi) return { area: stateArea(aoi.state), label: stateLabel(aoi.state) };
  if ('prefecture' in aoi) return { area: prefectureArea(aoi.prefecture), label: prefectureLabel(aoi.prefecture) };
  const v = validateGeometry(aoi.area, { file: 'area of interest' });
  if (v.problems.length) throw new ValidationError(v.problems.slice(0, 1), coded('aoi.badGeometry', { problem: v.problems[0].message }));
  if (!v.geometry) throw codedError('VALIDATION', coded('aoi.notPolygon'));
  if (v.geometry.type !== 'Polygon' && v.geometry.type !== 'MultiPolygon') throw codedError('VALIDATION', coded('aoi.mustBePolygon'));
  return { area: v.geometry, label: aoi.label ?? 'drawn area' };
}

function startCoverage(host: AnalysisHost, r: CoverageRequest): { jobId: string } {
  const p = host.need();
  const aoi = resolveAoi(r.aoi);
  const { from, to } = r.filter ?? {};
  checkCoverageDates(from, to);
  const job = host.startJob('coverage');
  void (async () => {
    // Let the caller get its job id first; the union then yields between batches (progress, cancel).
    await new Promise((res) => setImmediate(res));
    job.signal.throwIfAborted();
    const res = await surveyCoverageAsync(p, {
      aoi: aoi?.area,
      filter: r.filter,
      by: r.by,
      signal: job.signal,
      onProgress: (pr) => job.emit({ type: 'progress', phase: pr.phase, done: pr.done, total: pr.total, unit: pr.unit }),
    });
    const summary = coverageSummary(res, aoi, r.by ?? null);
    job.emit({
      type: 'done',
      summary: summary.coveredPct === null ? `${res.surveyCount} surveys cover ${Math.round(res.coveredKm2)} km²` : `${res.surveyCount} surveys cover ${summary.coveredPct.toFixed(2)} % of ${aoi!.label}`,
      result: summary,
    });
  })()
    .catch((err) => job.emit(asCancelled(err) ? { type: 'cancelled' } : { type: 'error', error: toApiError(err) }))
    .finally(() => job.end());
  return { jobId: job.jobId };
}

/** The numbers of a coverage run, and its polygons as GeoJSON for the map (one feature per polygon). */
export function coverageSummary(res: CoverageResult, aoi: { area: Area; label: string } | undefined, by: CoverageSummary['by']): CoverageSummary {
  return {
    aoiLabel: aoi?.label ?? null,
    aoiKm2: res.aoiKm2,
    surveyCount: res.surveyCount,
    coveredKm2: res.coveredKm2,
    coveredPct: res.coveredPct,
    gapsKm2: res.gapsKm2,
    by,
    groups: res.groups.map((g) => ({ key: g.key, surveyCount: g.surveyCount, areaKm2: g.areaKm2, pctOfAoi: res.aoiKm2 ? (g.areaKm2 / res.aoiKm2) * 100 : null })),
    overlaps: res.overlaps.map((o) => ({ a: o.a, b: o.b, areaKm2: o.areaKm2 })),
    geojson: {
      aoi: polygons(aoi?.area ?? null, { label: aoi?.label ?? null }),
      covered: polygons(res.union, {}),
      gaps: polygons(res.gaps, {}),
      overlaps: { type: 'FeatureCollection', features: res.overlaps.flatMap((o) => polygons(o.geometry, { a: o.a, b: o.b, areaKm2: o.areaKm2 }).features) },
    },
  };
}

/** A (Multi)Polygon as single-Polygon features (map styles filter on geometry type "Polygon"). */
function polygons(g: Area | null, properties: Record<string, unknown>): FeatureCollection<Polygon> {
  const parts = !g ? [] : g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return { type: 'FeatureCollection', features: parts.map((coordinates): Feature<Polygon> => ({ type: 'Feature', geometry: { type: 'Polygon', coordinates }, properties })) };
}

// ---------------------------------------------------------------------------------------------

interface SiteRequest {
  name: string;
  geometry: SiteGeometry;
  roles?: string[];
  targetCommodities?: string[];
  permitStage?: string | null;
  notes?: string | null;
}

/** Validate a site from a form: geometry (split at ±180 like stored areas), commodity codes or names. */
function checkSite(r: SiteRequest): { fields: SiteFields; geometry: SiteGeometry } {
  const v = validateGeometry(r.geometry, { file: 'site' });
  if (v.problems.length) throw new ValidationError(v.problems.slice(0, 1), coded('site.badGeometry', { name: r.name, problem: v.problems[0].message }));
  if (!v.geometry) throw codedError('VALIDATION', coded('site.noGeometry', { name: r.name }));
  const commodities = parseCommodityList(r.targetCommodities ?? []);
  if (commodities.unknown.length) throw codedError('VALIDATION', coded('site.unknownCommodity', { name: r.name, commodity: commodities.unknown[0] }));
  const fields: SiteFields = {
    ...emptySiteFields(r.name.trim()),
    roles: (r.roles ?? []) as SiteFields['roles'],
    targetCommodities: commodities.codes,
    permitStage: (r.permitStage || null) as SiteFields['permitStage'],
    notes: r.notes?.trim() ? r.notes : null,
  };
  return { fields, geometry: v.geometry as SiteGeometry };
}

function siteItem(p: Project, s: Site): SiteItem {
  return {
    id: s.id,
    name: s.name,
    geometry: s.geometry,
    roles: s.roles,
    targetCommodities: s.targetCommodities,
    permitStage: s.permitStage,
    notes: s.notes,
    permitReviews: permitHistory(p, s.id).map((x) => ({ date: x.date, stage: x.stage, note: x.note })),
    updatedAt: s.updatedAt,
  };
}

// ---------------------------------------------------------------------------------------------

interface CompareRequest {
  siteIds: string[];
  weights?: { criteria?: Record<string, number>; commodities?: Record<string, number>; otherCritical?: number; exclusionMode?: 'hard' | 'penalty' };
  radiusKm?: number;
  infrastructureLayer?: string | null;
  exclusionLayers?: string[];
  replaceCommodities?: boolean;
}

/**
 * Compare stored sites with the planner's weights over the defaults. Infrastructure: a stored
 * reference layer, or (absent) processing plants among the deposits as the CLI, or (null) none;
 * exclusion zones: the polygons of the stored exclusion layers named.
 */
export function runComparison(p: Project, r: CompareRequest): Comparison {
  if (new Set(r.siteIds).size !== r.siteIds.length) throw codedError('USAGE', coded('compare.siteTwice'));
  const weights: Weights = r.weights ? parseWeightsJson(r.weights, 'weights') : defaultWeights();
  if (r.replaceCommodities && r.weights?.commodities) weights.commodities = { ...r.weights.commodities };
  const sites: CandidateSite[] = listSites(p, r.siteIds).map(candidateOf);
  const infrastructure = r.infrastructureLayer === undefined ? PLANTS_LAYER : r.infrastructureLayer === null ? undefined : storedInfrastructure(p, r.infrastructureLayer);
  const names = [...new Set(r.exclusionLayers ?? [])];
  const exclusions = names.length ? referenceZones(p, names) : undefined;
  return compareSites(p, sites, { radiusKm: r.radiusKm, weights, infrastructure, exclusions, exclusionsLabel: names.length ? names.join(', ') : undefined });
}

/** Import a file as a stored reference layer, as a job (progress, cancel); the layer is written in one transaction. */
async function startLayerImport(host: AnalysisHost, r: { path?: string; role: ReferenceRole; name?: string; replace?: boolean }): Promise<{ jobId: string } | null> {
  const p = host.need();
  let file = r.path;
  if (!file) {
    if (!host.dialogs?.importFile) throw codedError('USAGE', coded('layer.givePath'));
    file = (await host.dialogs.importFile()) ?? undefined;
    if (!file) return null;
  }
  const job = host.startJob('layer-import');
  void (async () => {
    await new Promise((res) => setImmediate(res));
    const layer = await importReferenceLayer(p, file, {
      role: r.role,
      name: r.name,
      replace: r.replace,
      signal: job.signal,
      onProgress: (pr) => job.emit({ type: 'progress', phase: pr.phase, done: pr.done, total: pr.total, unit: pr.unit }),
    });
    job.emit({
      type: 'done',
      summary: `Imported ${layer.featureCount} ${layer.role === 'exclusion' ? 'exclusion zones' : 'infrastructure features'} as layer "${layer.name}" from ${layer.sourceFile}`,
      result: { layer, layers: listReferenceLayers(p), project: host.info() },
    });
  })()
    .catch((err) =>
      job.emit(
        asCancelled(err) || job.signal.aborted
          ? { type: 'cancelled' }
          : { type: 'error', error: toApiError(err) },
      ),
    )
    .finally(() => job.end());
  return { jobId: job.jobId };
}

export function toComparisonResult(c: Comparison): ComparisonResult {
  return {
    radiusKm: c.radiusKm,
    weights: c.weights,
    infrastructureLabel: c.infrastructureLabel,
    exclusionsLabel: c.exclusionsLabel,
    sites: c.scores.map((s, i) => {
      const sens = c.sensitivity.sites[i];
      const ctx = c.contexts[i];
      return {
        id: s.id,
        name: s.name,
        score: s.score,
        rank: s.rank,
        excluded: s.excluded,
        criteria: s.criteria,
        minRank: sens.minRank,
        maxRank: sens.maxRank,
        maxChange: sens.maxChange,
        stable: sens.stable,
        commodityMinRank: c.commoditySensitivity.sites[i].minRank,
        commodityMaxRank: c.commoditySensitivity.sites[i].maxRank,
        commodityStable: c.commoditySensitivity.sites[i].stable,
        depositCount: ctx.deposits.length,
        priorityCount: ctx.priorities.filter((p) => p > 0).length,
        assessedArea: ctx.assessedArea,
        map: siteMapShapes(ctx),
      };
    }),
    variations: c.sensitivity.variations.map((v) => ({ criterion: v.criterion, factor: v.factor, ranks: v.ranks })),
    commodityVariations: c.commoditySensitivity.variations.map((v) => ({ commodity: v.commodity, factor: v.factor, ranks: v.ranks })),
  };
}

async function writeReport(host: AnalysisHost, r: CompareRequest & { format: 'html' | 'csv' | 'pdf'; path?: string; title?: string }) {
  const p = host.need();
  if (r.format === 'pdf' && !host.printToPdf) throw codedError('USAGE', coded('report.pdfNeedsDesktop'));
  // Compute first: a comparison that fails should not leave the user with a dialog for nothing.
  const c = runComparison(p, r);
  let file = r.path;
  let downloadUrl: string | undefined;
  if (!file) {
    if (host.dialogs?.saveReport) {
      file = (await host.dialogs.saveReport(r.format)) ?? undefined;
      if (!file) return null;
    } else if (host.exportDir) {
      await mkdir(host.exportDir, { recursive: true });
      const name = `outcrop-comparison-${new Date().toISOString().replace(/[:.]/g, '-')}.${r.format}`;
      file = join(host.exportDir, name);
      downloadUrl = host.downloadUrl?.(name);
    } else throw codedError('USAGE', coded('report.givePath'));
  }
  const html = () => comparisonToHtml(c, { title: r.title, project: basename(p.file) });
  const data: string | Buffer = r.format === 'csv' ? comparisonToCsv(c) : r.format === 'html' ? html() : await host.printToPdf!(html());
  const target = resolve(file);
  await writeFile(target, data);
  return { file: target, bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.length, ...(downloadUrl ? { downloadUrl } : {}) };
}
