import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { MultiPolygon, Point, Polygon } from 'geojson';
import { asCancelled, codedError, OutcropError, type Problem, ValidationError } from '../errors';
import { coded } from '../messages/en';
import { exportFile } from '../export/export-file';
import { validateGeometry } from '../geometry/validate';
import { importFile } from '../import/import-file';
import { mapDepositProperties, mapSurveyProperties } from '../model/mapping';
import { validateDepositFields, validateSurveyFields } from '../model/validate-record';
import { isUuid } from '../model/ids';
import { depositHitsWithin, depositsNear, nearestDeposits } from '../spatial';
import { surveyWithOutline } from '../spatial/within-area';
import { snapVertices } from '../spatial/snap-vertices';
import { rtreeExtent } from '../store/gpkg/rtree';
import { BasemapRegistry } from './basemaps';
import { FieldMappingStore } from './field-mappings';
import { FIELD_TARGETS, type FieldMap } from '../import/field-map';
import { inspectFile, schemaSignature } from '../import/inspect';
import type { InputFormat } from '../import/pipeline';
import { filterForLayer } from '../store/read';
import { getFeature } from '../store/read';
import type { RecordFeature } from '../store/columns';
import { featureHistory, redoInSteps, redoTarget, undoInSteps, undoTarget } from '../store/history';
import { Project } from '../store/project';
import { projectStats } from '../store/stats';
import { getTile } from '../tiles';
import { exchangeHandlers } from './exchange-handlers';
import { analysisHandlers } from './analysis-handlers';
import { tablePage } from './table';
import { toApiError } from './api-error';

export { toApiError };
import {
  type ApiError,
  type ApiFeature,
  type ApiFilter,
  filterSchema,
  type ApiResult,
  API_VERSION,
  type JobEvent,
  type JobKind,
  METHODS,
  type MethodName,
  type MethodResults,
  type ProjectInfo,
  type QueryResult,
  type TileLayerName,
} from './contract';
import { plural } from '../messages/plural';

/** How a host (Electron main, web host) lets the user pick files; absent = paths must be given. */
export interface Dialogs {
  openProject(): Promise<string | null>;
  newProject(): Promise<string | null>;
  importFile(): Promise<string | null>;
  exportFile(format: 'geojson' | 'csv' | 'gpkg'): Promise<string | null>;
  /** Where to write an exchange package; which package to merge. */
  savePackage?(): Promise<string | null>;
  openPackage?(): Promise<string | null>;
  /** A local MBTiles / PMTiles basemap. */
  openBasemap?(): Promise<string | null>;
  /** Where to save a comparison report. */
  saveReport?(format: 'html' | 'csv' | 'pdf'): Promise<string | null>;
}

export interface ServiceOptions {
  host: 'electron' | 'web';
  version: string;
  /** Where recent projects are remembered (a JSON file). */
  settingsDir: string;
  dialogs?: Dialogs;
  /** Web host: where exports go when no path is given, and how the browser downloads them. */
  exportDir?: string;
  downloadUrl?: (file: string) => string;
  actor?: string | null;
  /** Electron: render an HTML report to PDF (webContents.printToPDF); absent = no PDF reports. */
  printToPdf?: (html: string) => Promise<Buffer>;
  /** Least time between two progress events of a job passed on to the UI (default 100 ms; tests use 0 to see every step). */
  progressIntervalMs?: number;
}

type Handler<M extends MethodName> = (req: any) => Promise<MethodResults[M]>;
type JobEventBody = JobEvent extends infer E ? (E extends JobEvent ? Omit<E, 'jobId' | 'kind'> : never) : never;

/**
 * The core behind the API contract. One instance per app (Electron) or per web host; holds the
 * open project and the running jobs. `call` validates every request against the contract's
 * schema before it reaches the core, and never throws: errors come back as data.
 */
export class OutcropService {
  private project: Project | null = null;
  private jobs = new Map<string, AbortController>();
  private readonly basemaps: BasemapRegistry;
  private readonly fieldMappings: FieldMappingStore;
  private listeners = new Set<(e: JobEvent) => void>();
  private jobSeq = 0;
  private readonly handlers: { [M in MethodName]: Handler<M> };

  constructor(private readonly opts: ServiceOptions) {
    // What the exchange and analysis handlers may use of this service.
    const host = {
      need: () => this.need(),
      info: () => this.info(),
      startJob: (kind: JobKind) => {
        const { jobId, ac, emit } = this.newJob(kind);
        return { jobId, signal: ac.signal, emit, end: () => void this.jobs.delete(jobId) };
      },
      dialogs: opts.dialogs,
      exportDir: opts.exportDir,
      downloadUrl: opts.downloadUrl,
    };
    this.basemaps = new BasemapRegistry(opts.settingsDir);
    this.fieldMappings = new FieldMappingStore(opts.settingsDir);
    this.handlers = {
      'app.info': async () => ({ version: opts.version, apiVersion: API_VERSION, host: opts.host, dialogs: !!opts.dialogs }),
      'project.open': (r) => this.openProject(r.path, !!r.create),
      'project.current': async () => (this.project ? this.info() : null),
      'project.close': async () => {
        this.closeProject();
        return null;
      },
      'project.recent': () => this.recent(),
      'features.table': async (r) => tablePage(this.need(), r),
      'features.get': async (r) => (getFeature(this.need(), r.layer, r.id) as ApiFeature | undefined) ?? null,
      'features.saveDeposit': (r) => this.saveDeposit(r),
      'features.saveSurvey': (r) => this.saveSurvey(r),
      'features.validate': async (r) => (r.layer === 'deposits' ? this.checkDeposit(r) : this.checkSurvey(r)).problems,
      'features.vertices': async (r) => snapVertices(this.need(), r.bbox, r.limit) as { vertices: [number, number][]; truncated: boolean },
      'features.delete': async (r) => {
        const p = this.need();
        await p.write('edit', r.ids.length === 1 ? `Delete ${r.layer === 'deposits' ? 'deposit' : 'survey'}` : `Delete ${r.ids.length} ${r.layer}`, (w) => {
          for (const id of r.ids) w.delete(r.layer, id);
        });
        return { deleted: r.ids.length, project: this.info() };
      },
      'features.history': async (r) =>
        featureHistory(this.need(), r.id).map((h) => ({
          at: h.at,
          actor: h.actor,
          action: h.action,
          kind: h.kind,
          changed: changedFields(h.before, h.after),
        })),
      // In steps: undoing a large import takes seconds, during which the app keeps answering.
      'edit.undo': async () => {
        await undoInSteps(this.need());
        return this.info();
      },
      'edit.redo': async () => {
        await redoInSteps(this.need());
        return this.info();
      },
      'query.within': async (r) => {
        const p = this.need();
        let area = r.area;
        if (r.surveyId) {
          area = surveyWithOutline(p, r.surveyId).geometry;
        } else {
          const v = validateGeometry(r.area, { file: 'query area' });
          if (v.problems.length || !v.geometry) throw new ValidationError(v.problems);
          area = v.geometry;
        }
        return this.hitsResult(p, depositHitsWithin(p, area, r.filter ?? {}));
      },
      'query.near': async (r) => distanceResult(this.need(), depositsNear(this.need(), r.center, r.km, r.filter ?? {})),
      'query.nearest': async (r) => distanceResult(this.need(), nearestDeposits(this.need(), r.center, r.k, r.filter ?? {})),
      'jobs.import': (r) => this.startImport(r),
      'import.inspect': (r) => this.inspectImport(r),
      'jobs.export': (r) => this.startExport(r),
      'jobs.cancel': async (r) => {
        this.jobs.get(r.jobId)?.abort();
        return null;
      },
      'stats.summary': async () => projectStats(this.need()),
      'basemaps.list': async () => this.basemaps.list(),
      'basemaps.add': async (r) => {
        const path = r.path ?? (await this.opts.dialogs?.openBasemap?.());
        if (!path) {
          if (!this.opts.dialogs) throw codedError('USAGE', coded('basemap.givePath'));
          return null;
        }
        return this.basemaps.add(path);
      },
      'basemaps.remove': async (r) => {
        await this.basemaps.remove(r.id);
        return this.basemaps.list();
      },
      ...exchangeHandlers(host),
      ...analysisHandlers({ ...host, printToPdf: opts.printToPdf }),
    };
  }

  /** Validate and run one API call. Never throws. */
  async call<M extends MethodName>(method: M, payload: unknown): Promise<ApiResult<MethodResults[M]>> {
    const schema = METHODS[method];
    if (!schema) return { ok: false, error: { code: 'USAGE', message: `unknown API method "${String(method)}"` } };
    const parsed = schema.safeParse(payload ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        ok: false,
        error: { code: 'USAGE', message: `${method}: ${issue.path.length ? `"${issue.path.join('.')}" ` : ''}${issue.message}` },
      };
    }
    try {
      const value = await (this.handlers[method] as Handler<M>)(parsed.data);
      return { ok: true, value };
    } catch (err) {
      return { ok: false, error: toApiError(err) };
    }
  }

  onJobEvent(listener: (e: JobEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A vector tile of the open project (served by the custom protocol / web host). `filterJson`
   * is the `filter` query parameter of the tile URL (see OutcropApi.tileUrl), validated by the
   * contract's schema; a bad one is a USAGE error (the hosts answer 400).
   */
  tile(layer: TileLayerName, z: number, x: number, y: number, filterJson?: string | null): Buffer | null {
    if (!this.project) return null;
    let filter: ApiFilter | undefined;
    if (filterJson && layer === 'reference') throw new OutcropError('USAGE', 'reference tiles take no filter');
    if (filterJson && layer !== 'reference') {
      let raw: unknown;
      try {
        raw = JSON.parse(filterJson);
      } catch {
        throw new OutcropError('USAGE', 'tile filter is not JSON');
      }
      const parsed = filterSchema.safeParse(raw);
      if (!parsed.success) throw new OutcropError('USAGE', `tile filter: ${parsed.error.issues[0].message}`);
      filter = filterForLayer(layer, parsed.data);
    }
    return getTile(this.project, layer, z, x, y, { filter });
  }

  get currentProject(): Project | null {
    return this.project;
  }

  async dispose(): Promise<void> {
    for (const ac of this.jobs.values()) ac.abort();
    this.closeProject();
    this.basemaps.dispose();
  }

  /** A tile of a user basemap (`/basemaps/<id>/<z>/<x>/<y>.<ext>`), or null when the file has none there. */
  basemapTile(id: string, z: number, x: number, y: number): Promise<{ data: Buffer; mime: string } | null> {
    return this.basemaps.tile(id, z, x, y);
  }

  // -------------------------------------------------------------------------------------------

  private need(): Project {
    if (!this.project) throw codedError('USAGE', coded('project.noneOpen'));
    return this.project;
  }

  /** Feature counts and the last history row they include (see `counts`). */
  private counted: { project: Project; seq: number; deposits: number; surveys: number } | null = null;

  /**
   * Features per layer, kept up to date from the journal instead of count(*) after every edit
   * (a full index scan: 4–47 ms at 1M deposits). Every change of a layer row is journaled:
   * applied inserts add one, applied deletes of a row that existed (before not null) take one.
   */
  private counts(p: Project): { deposits: number; surveys: number } {
    const db = p.db;
    const n = (t: string) => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
    // Inside a long write (an import or merge between batches), rows and their journal rows are
    // not in step (bulk mode journals in chunks): count, and leave the cache to committed states.
    if (db.inTransaction) return { deposits: n('deposits'), surveys: n('surveys') };
    const seq = db.prepare('SELECT coalesce(max(seq), 0) FROM outcrop_history').pluck().get() as number;
    const c = this.counted;
    if (!c || c.project !== p || seq < c.seq) {
      this.counted = { project: p, seq, deposits: n('deposits'), surveys: n('surveys') };
    } else if (seq > c.seq) {
      const rows = db
        .prepare(
          `SELECT layer, sum(action = 'insert') - sum(action = 'delete' AND before IS NOT NULL) AS delta
           FROM outcrop_history WHERE seq > ? AND applied = 1 GROUP BY layer`,
        )
        .all(c.seq) as { layer: 'deposits' | 'surveys'; delta: number }[];
      for (const r of rows) if (r.layer === 'deposits' || r.layer === 'surveys') c[r.layer] += r.delta;
      c.seq = seq;
    }
    return { deposits: this.counted!.deposits, surveys: this.counted!.surveys };
  }

  private info(): ProjectInfo {
    const p = this.need();
    const db = p.db;
    // From the R*Tree roots: O(1), where a min/max scan costs ~300 ms per edit at 1M deposits.
    const boxes = [rtreeExtent(db, 'rtree_deposits_geom'), rtreeExtent(db, 'rtree_surveys_geom')].filter((x) => x !== null);
    const bbox: [number, number, number, number] | null = boxes.length
      ? [Math.min(...boxes.map((x) => x[0])), Math.min(...boxes.map((x) => x[1])), Math.max(...boxes.map((x) => x[2])), Math.max(...boxes.map((x) => x[3]))]
      : null;
    const u = undoTarget(p);
    const r = redoTarget(p);
    const version = db.prepare('SELECT coalesce(max(op_id), 0) v FROM outcrop_ops').get() as { v: number };
    return {
      path: p.file,
      name: p.name,
      counts: this.counts(p),
      bbox,
      // Labels name the user's operation: "Undo X" / "Redo X" and chains of them collapse to X.
      undo: { canUndo: !!u, canRedo: !!r, undoLabel: u ? plainLabel(u.label) : null, redoLabel: r ? plainLabel(r.label) : null },
      dataVersion: `${version.v}`,
    };
  }

  private async openProject(path: string | undefined, create: boolean): Promise<ProjectInfo | null> {
    let file = path;
    if (!file) {
      if (!this.opts.dialogs) throw codedError('USAGE', coded('project.givePath'));
      file = (await (create ? this.opts.dialogs.newProject() : this.opts.dialogs.openProject())) ?? undefined;
      if (!file) return null;
    }
    const next = Project.open(file, { create, actor: this.opts.actor });
    this.closeProject();
    this.project = next;
    await this.remember(next.file);
    return this.info();
  }

  private closeProject(): void {
    this.project?.close();
    this.project = null;
    this.counted = null;
  }

  private async recent(): Promise<string[]> {
    try {
      const list = JSON.parse(await readFile(join(this.opts.settingsDir, 'recent.json'), 'utf8'));
      return Array.isArray(list) ? list.filter((x) => typeof x === 'string').slice(0, 10) : [];
    } catch {
      return [];
    }
  }

  private async remember(file: string): Promise<void> {
    const list = [file, ...(await this.recent()).filter((f) => f !== file)].slice(0, 10);
    await mkdir(this.opts.settingsDir, { recursive: true });
    await writeFile(join(this.opts.settingsDir, 'recent.json'), JSON.stringify(list, null, 2));
  }

  /** What saving this deposit would write, or the problems that stop it (field by field). */
  private checkDeposit(r: { id?: string; properties: Record<string, unknown>; geometry?: unknown }) {
    const v = r.geometry ? validateGeometry(r.geometry, { featureId: r.id }) : null;
    const mapped = mapDepositProperties(stripAudit(r.properties));
    const problems = [...(v?.problems ?? []), ...mapped.problems, ...(mapped.problems.length ? [] : validateDepositFields(mapped.fields))];
    if (v?.geometry && v.geometry.type !== 'Point') problems.push({ field: 'geometry', message: 'a deposit is a point' });
    return { problems, fields: mapped.fields, geometry: v?.geometry as Point | undefined };
  }

  private checkSurvey(r: { id?: string; properties: Record<string, unknown>; geometry?: unknown }) {
    const v = r.geometry ? validateGeometry(r.geometry, { featureId: r.id }) : null;
    const mapped = mapSurveyProperties(stripAudit(r.properties));
    const problems = [...(v?.problems ?? []), ...mapped.problems, ...(mapped.problems.length ? [] : validateSurveyFields(mapped.fields))];
    const g = v?.geometry;
    if (g && g.type !== 'Polygon' && g.type !== 'MultiPolygon') problems.push({ field: 'geometry', message: 'a survey area must be a polygon' });
    return { problems, fields: mapped.fields, geometry: g as Polygon | MultiPolygon | undefined };
  }

  private async saveDeposit(r: { id?: string; properties: Record<string, unknown>; geometry: Point | null }) {
    const p = this.need();
    const { problems, fields, geometry } = this.checkDeposit(r);
    if (r.geometry === null) this.checkStaysUnlocated(p, 'deposits', r.id, problems);
    if (problems.length || (!geometry && r.geometry !== null)) throw new ValidationError(problems);
    const id = await p.write('edit', r.id ? `Edit deposit ${fields.name}` : `Add deposit ${fields.name}`, (w) => {
      if (r.id && getFeature(p, 'deposits', r.id)) {
        w.updateDeposit(r.id, fields, geometry ?? null);
        return r.id;
      }
      refuseNewNonUuid('deposits', r.id);
      return w.insertDeposit(fields, geometry!, r.id);
    });
    return { feature: getFeature(p, 'deposits', id) as ApiFeature, project: this.info() };
  }

  private async saveSurvey(r: { id?: string; properties: Record<string, unknown>; geometry: unknown }) {
    const p = this.need();
    const { problems, fields, geometry } = this.checkSurvey(r);
    if (r.geometry === null) this.checkStaysUnlocated(p, 'surveys', r.id, problems);
    if (problems.length || (!geometry && r.geometry !== null)) throw new ValidationError(problems);
    const id = await p.write('edit', r.id ? `Edit survey ${fields.name}` : `Add survey ${fields.name}`, (w) => {
      if (r.id && getFeature(p, 'surveys', r.id)) {
        w.updateSurvey(r.id, fields, geometry ?? null);
        return r.id;
      }
      refuseNewNonUuid('surveys', r.id);
      return w.insertSurvey(fields, geometry!, r.id);
    });
    return { feature: getFeature(p, 'surveys', id) as ApiFeature, project: this.info() };
  }

  /** A save without a geometry keeps a stored feature without a location so; anything else needs one. */
  private checkStaysUnlocated(p: Project, layer: 'deposits' | 'surveys', id: string | undefined, problems: Problem[]): void {
    const stored = id ? getFeature(p, layer, id) : undefined;
    if (!stored || stored.geometry !== null) problems.push({ field: 'geometry', ...coded(layer === 'deposits' ? 'feature.needsPoint' : 'feature.needsOutline') });
  }

  private hitsResult(p: Project, hits: { fid: number; id: string; coordinates: [number, number] }[]): QueryResult {
    const name = p.db.prepare('SELECT name FROM deposits WHERE fid = ?').pluck();
    return { count: hits.length, hits: hits.slice(0, 10_000).map((h) => ({ ...h, name: name.get(h.fid) as string })) };
  }

  private newJob(kind: JobKind): { jobId: string; ac: AbortController; emit: (e: JobEventBody) => void } {
    const jobId = `${kind}-${++this.jobSeq}`;
    const ac = new AbortController();
    this.jobs.set(jobId, ac);
    let last = 0;
    const emit = (e: JobEventBody) => {
      // progress at most every progressIntervalMs (100 ms); done/error always
      if ((e as { type: string }).type === 'progress') {
        const now = Date.now();
        if (now - last < (this.opts.progressIntervalMs ?? 100)) return;
        last = now;
      }
      const event = { jobId, kind, ...e } as JobEvent;
      for (const l of this.listeners) l(event);
    };
    return { jobId, ac, emit };
  }

  /** The field mapping step: the file's fields, samples, and the mapping remembered for them. */
  private async inspectImport(r: { path?: string; layer?: 'deposits' | 'surveys'; format?: InputFormat; sourceLayer?: string; crs?: string }) {
    let file = r.path;
    if (!file) {
      if (!this.opts.dialogs) throw codedError('USAGE', coded('import.givePath'));
      file = (await this.opts.dialogs.importFile()) ?? undefined;
      if (!file) return null;
    }
    const res = await inspectFile(file, { layer: r.layer, format: r.format, sourceLayer: r.sourceLayer, crs: r.crs });
    const remembered = await this.fieldMappings.get(res.signature);
    return { ...res, path: file, targets: [...FIELD_TARGETS[res.layer]], remembered: remembered ? { map: remembered.map, file: remembered.file, at: remembered.at } : null };
  }

  private async startImport(r: {
    path?: string;
    layer?: 'deposits' | 'surveys';
    skipInvalid?: boolean;
    format?: InputFormat;
    sourceLayer?: string;
    crs?: string;
    fieldMap?: FieldMap;
  }) {
    const p = this.need();
    let file = r.path;
    if (!file) {
      if (!this.opts.dialogs) throw codedError('USAGE', coded('import.givePath'));
      file = (await this.opts.dialogs.importFile()) ?? undefined;
      if (!file) return null;
    }
    const { jobId, ac, emit } = this.newJob('import');
    const reportPath = r.skipInvalid ? join(dirname(p.file), `${Date.now()}-rejected.geojson`) : undefined;
    const fieldMap = r.fieldMap;
    void importFile(p, file, {
      layer: r.layer,
      skipInvalid: r.skipInvalid,
      format: r.format,
      sourceLayer: r.sourceLayer,
      crs: r.crs,
      fieldMap,
      reportPath,
      signal: ac.signal,
      onProgress: (pr) => emit({ type: 'progress', phase: pr.phase, done: pr.done, total: pr.total, unit: pr.unit }),
    })
      .then(async (res) => {
        // Remember the mapping for the next file with the same fields (the whole field list is the key).
        if (fieldMap && r.layer) await this.fieldMappings.remember(schemaSignature(r.layer, Object.keys(fieldMap)), fieldMap, res.file).catch(() => undefined);
        emit({
          type: 'done',
          summary: `Imported ${plural(res.written.deposits, 'deposit')} and ${plural(res.written.surveys, 'survey')} from ${res.file}${res.rejected ? `; rejected ${res.rejected}` : ''}${res.sourceCrs ? `; converted from ${res.sourceCrs.name}` : ''}`,
          result: { ...res, project: this.info() },
        });
      })
      .catch((err) => emit(asCancelled(err) ? { type: 'cancelled' } : { type: 'error', error: toApiError(err) }))
      .finally(() => this.jobs.delete(jobId));
    return { jobId };
  }

  private async startExport(r: { path?: string; format: 'geojson' | 'csv' | 'gpkg'; layers?: ('deposits' | 'surveys')[]; filter?: object; ids?: string[]; crs?: string }) {
    const p = this.need();
    let file = r.path;
    let downloadUrl: string | undefined;
    if (!file) {
      if (this.opts.dialogs) {
        file = (await this.opts.dialogs.exportFile(r.format)) ?? undefined;
        if (!file) return null;
      } else if (this.opts.exportDir) {
        await mkdir(this.opts.exportDir, { recursive: true });
        const name = `outcrop-export-${new Date().toISOString().replace(/[:.]/g, '-')}.${r.format}`;
        file = join(this.opts.exportDir, name);
        downloadUrl = this.opts.downloadUrl?.(name);
      } else throw codedError('USAGE', coded('export.givePath'));
    }
    const target = resolve(file);
    const { jobId, ac, emit } = this.newJob('export');
    void exportFile(p, target, {
      format: r.format,
      layers: r.layers,
      filter: { ...(r.filter ?? {}), ...(r.ids ? { ids: r.ids } : {}) },
      crs: r.crs,
      signal: ac.signal,
      onProgress: (pr) => emit({ type: 'progress', phase: pr.phase, done: pr.done, total: pr.total, unit: pr.unit }),
    })
      .then((res) => emit({ type: 'done', summary: `Exported ${plural(res.count, 'feature')} to ${target}`, result: { ...res, file: target }, downloadUrl }))
      .catch((err) => emit(asCancelled(err) ? { type: 'cancelled' } : { type: 'error', error: toApiError(err) }))
      .finally(() => this.jobs.delete(jobId));
    return { jobId };
  }
}

/** "Undo Redo Import x.geojson" → "Import x.geojson". */
function plainLabel(label: string): string {
  return label.replace(/^((Undo|Redo) )+/, '');
}

function distanceResult(project: Project, results: { feature: RecordFeature; distanceKm: number }[]): QueryResult {
  const fidOf = project.db.prepare('SELECT fid FROM deposits WHERE id = ?').pluck();
  return {
    count: results.length,
    hits: results.slice(0, 10_000).map((r) => ({
      fid: fidOf.get(r.feature.id) as number,
      id: r.feature.id,
      name: String(r.feature.properties.name),
      coordinates: (r.feature.geometry as Point).coordinates as [number, number],
      distanceKm: r.distanceKm,
    })),
  };
}

/** Audit columns are the core's to set; a form must not forge them. */
function stripAudit(props: Record<string, unknown>): Record<string, unknown> {
  const { created_at, updated_at, created_by, updated_by, ...rest } = props;
  void created_at, updated_at, created_by, updated_by;
  return rest;
}

function changedFields(before: RecordFeature | null, after: RecordFeature | null): string[] {
  if (!before || !after) return [];
  const keys = new Set([...Object.keys(before.properties), ...Object.keys(after.properties)]);
  const out = [...keys].filter((k) => !['updated_at', 'updated_by'].includes(k) && JSON.stringify(before.properties[k]) !== JSON.stringify(after.properties[k]));
  if (JSON.stringify(before.geometry) !== JSON.stringify(after.geometry)) out.push('geometry');
  return out;
}

/**
 * Any stored id can be edited (QGIS and GDAL add features with ids of their own), but a feature
 * made here gets a UUID: an id that is neither stored nor a UUID names no feature.
 */
function refuseNewNonUuid(layer: 'deposits' | 'surveys', id: string | undefined): void {
  if (id !== undefined && !isUuid(id)) throw codedError('NOT_FOUND', coded('feature.notFound', { layer, id }), { layer, id });
}
