/**
 * The exchange methods of the API contract (issue 6): identity, packages, merge preview and
 * merge jobs, conflicts and provenance. OutcropService spreads these handlers into its own; they
 * reach the open project, jobs and dialogs only through the small `ExchangeHost` it passes in.
 */
import { mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Geometry, MultiPolygon, Point, Polygon } from 'geojson';
import { asCancelled, codedError, ValidationError, type Problem } from '../errors';
import { coded } from '../messages/en';
import { toApiError } from './api-error';
import { type ConflictRecord, listConflicts, resolveConflict } from '../exchange/conflicts';
import { type Identity, projectIdentity, replicaId } from '../exchange/identity';
import { mergePackage, type MergePlan, type MergeReport, previewMerge } from '../exchange/merge';
import { createPackage } from '../exchange/package';
import { readPackageInfo } from '../exchange/package-info';
import { validateGeometry } from '../geometry/validate';
import { mapDepositProperties, mapSurveyProperties } from '../model/mapping';
import { validateDepositFields, validateSurveyFields } from '../model/validate-record';
import { depositRow, type Layer, rowToFeature, surveyRow } from '../store/columns';
import type { Project } from '../store/project';
import { getFeature } from '../store/read';
import { afterSql } from '../store/history-after';
import type { Progress } from '../task';
import type {
  ChangeAuthor,
  ConflictItem,
  ExchangeIdentity,
  FeatureProvenance,
  JobEvent,
  JobKind,
  MergePreview,
  MethodResults,
  ProjectInfo,
} from './contract';

type JobEventBody = JobEvent extends infer E ? (E extends JobEvent ? Omit<E, 'jobId' | 'kind'> : never) : never;

/** What the exchange handlers need of the service that hosts them. */
export interface ExchangeHost {
  need(): Project;
  info(): ProjectInfo;
  /** A new job: its id, abort signal, event emitter, and `end()` once it finished. */
  startJob(kind: JobKind): { jobId: string; signal: AbortSignal; emit(e: JobEventBody): void; end(): void };
  /** Native dialogs (Electron); absent in the web host, where paths are typed. */
  dialogs?: { savePackage?(): Promise<string | null>; openPackage?(): Promise<string | null> };
  /** Web host: where packages go when no path is given, and their download URL. */
  exportDir?: string;
  downloadUrl?: (file: string) => string;
}

type ExchangeMethod =
  | 'exchange.identity'
  | 'exchange.setIdentity'
  | 'exchange.status'
  | 'exchange.preview'
  | 'exchange.conflicts'
  | 'exchange.resolve'
  | 'exchange.provenance'
  | 'jobs.package'
  | 'jobs.preview'
  | 'jobs.merge';

const IDENTITY_KEYS = ['team', 'agency', 'country', 'observer', 'device'] as const;

export function exchangeHandlers(host: ExchangeHost): { [M in ExchangeMethod]: (req: any) => Promise<MethodResults[M]> } {
  /**
   * The last preview's plan: the merge that follows applies it without comparing again when
   * neither the project nor the package changed in between (mergePackage checks that inside its
   * transaction and compares afresh otherwise).
   */
  let lastPlan: MergePlan | null = null;
  return {
    'exchange.identity': async () => identityOf(host.need()),
    'exchange.setIdentity': async (r: Partial<Record<(typeof IDENTITY_KEYS)[number], string | null>>) => {
      const p = host.need();
      const next: Identity = { ...projectIdentity(p) };
      for (const k of IDENTITY_KEYS) if (r[k] !== undefined) next[k] = r[k] ? r[k] : null;
      await p.setSetting('identity', next);
      return identityOf(p);
    },
    'exchange.status': async () => exchangeStatus(host.need()),
    'exchange.preview': async (r: { path?: string }) => {
      const p = host.need();
      const file = await choosePackage(host, r.path);
      if (!file) return null;
      lastPlan = null;
      const plan = await previewMerge(p, file);
      lastPlan = plan;
      return toPreview(plan.report, file);
    },
    'exchange.conflicts': async (r: { status?: 'open' | 'resolved' | 'all' }) => {
      const p = host.need();
      const status = r.status ?? 'open';
      return listConflicts(p, { all: status !== 'open' })
        .filter((c) => status === 'all' || c.status === status)
        .map((c) => conflictItem(p, c));
    },
    'exchange.resolve': async (r: { conflictId: number; take?: 'ours' | 'theirs'; value?: unknown }) => {
      const p = host.need();
      const c = listConflicts(p, { all: true }).find((x) => x.conflictId === r.conflictId);
      if (!c) throw codedError('NOT_FOUND', coded('conflict.notFound', { id: r.conflictId }));
      const resolution = r.take ? { take: r.take } : { value: checkedValue(p, c, r.value) };
      const resolved = await resolveConflict(p, r.conflictId, resolution);
      return { conflict: conflictItem(p, resolved), project: host.info() };
    },
    'exchange.provenance': async (r: { layer: Layer; id: string }) => provenance(host.need(), r.layer, r.id),
    'jobs.package': async (r: { path?: string; since: 'last' | 'all' }) => {
      const p = host.need();
      let file = r.path;
      let downloadUrl: string | undefined;
      /** The user confirmed replacing this file in the save dialog. */
      let replace = false;
      if (!file) {
        if (host.dialogs?.savePackage) {
          file = (await host.dialogs.savePackage()) ?? undefined;
          if (!file) return null;
          replace = true;
        } else if (host.exportDir) {
          await mkdir(host.exportDir, { recursive: true });
          const team = (projectIdentity(p).team ?? '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
          const name = `outcrop-package-${team ? `${team}-` : ''}${new Date().toISOString().replace(/[:.]/g, '-')}.gpkg`;
          file = join(host.exportDir, name);
          downloadUrl = host.downloadUrl?.(name);
        } else throw codedError('USAGE', coded('package.givePath'));
      }
      const target = resolve(file);
      const job = host.startJob('package');
      void (async () => {
        await tick();
        const since = r.since === 'last' ? 'last' : undefined;
        // Records, then their history, in chunks; a cancel leaves no file and the project as it was.
        const task = { since, signal: job.signal, onProgress: (e: Progress) => job.emit({ type: 'progress', phase: e.phase, done: e.done, total: e.total, unit: e.unit }) };
        // With replace: written beside the old file and renamed over it at the end, so the old file stays whole if anything fails.
        const res = await createPackage(p, target, { ...task, overwrite: replace });
        job.emit({
          type: 'done',
          summary: `Wrote ${basename(res.file)}: ${res.features} records and ${res.historyRows} history entries${res.notRecorded ? ` (not recorded as sent: ${res.notRecorded})` : ''}`,
          result: { ...res, project: host.info() },
          downloadUrl,
        });
      })()
        .catch((err) => job.emit(asCancelled(err) || job.signal.aborted ? { type: 'cancelled' } : { type: 'error', error: errorOf(err) }))
        .finally(job.end);
      return { jobId: job.jobId };
    },
    'jobs.preview': async (r: { path?: string }) => {
      const p = host.need();
      const file = await choosePackage(host, r.path);
      if (!file) return null;
      lastPlan = null;
      const job = host.startJob('preview');
      void (async () => {
        await tick();
        // Reads only: a cancel just stops comparing.
        const plan = await previewMerge(p, file, {
          signal: job.signal,
          onProgress: (e) => job.emit({ type: 'progress', phase: e.phase, done: e.done, total: e.total, unit: e.unit }),
        });
        lastPlan = plan;
        const preview = toPreview(plan.report, file);
        job.emit({ type: 'done', summary: `Compared ${preview.package}`, result: { preview } });
      })()
        .catch((err) => job.emit(asCancelled(err) || job.signal.aborted ? { type: 'cancelled' } : { type: 'error', error: errorOf(err) }))
        .finally(job.end);
      return { jobId: job.jobId };
    },
    'jobs.merge': async (r: { path: string }) => {
      const p = host.need();
      const file = resolve(r.path);
      const job = host.startJob('merge');
      const plan = lastPlan?.packagePath === file ? lastPlan : undefined;
      lastPlan = null;
      void (async () => {
        await tick();
        // One transaction: records compared (unless the preview's plan still holds), then written;
        // a cancel at any point rolls all of it back. Undo takes a finished merge back.
        const merged = await mergePackage(p, file, {
          plan,
          signal: job.signal,
          onProgress: (e) => job.emit({ type: 'progress', phase: e.phase, done: e.done, total: e.total, unit: e.unit }),
        });
        const report = toPreview(merged, file);
        job.emit({
          type: 'done',
          summary: `Merged ${report.package}: ${report.added} added, ${report.updated} updated, ${report.deleted} deleted, ${report.combined} combined, ${report.conflicts.length} conflicts`,
          result: { report, project: host.info() },
        });
      })()
        .catch((err) => job.emit(asCancelled(err) || job.signal.aborted ? { type: 'cancelled' } : { type: 'error', error: errorOf(err) }))
        .finally(job.end);
      return { jobId: job.jobId };
    },
  };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

/** A job's error as the API returns it (key and params included, for the UI's wording). */
const errorOf = toApiError;

async function choosePackage(host: ExchangeHost, path: string | undefined): Promise<string | null> {
  if (path) return resolve(path);
  if (!host.dialogs?.openPackage) throw codedError('USAGE', coded('package.giveMergePath'));
  const file = await host.dialogs.openPackage();
  return file ? resolve(file) : null;
}

function identityOf(p: Project): ExchangeIdentity {
  const i = projectIdentity(p);
  return {
    team: i.team ?? null,
    agency: i.agency ?? null,
    country: i.country ?? null,
    observer: i.observer ?? null,
    device: i.device ?? null,
    replica: replicaId(p),
  };
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

function toPreview(r: MergeReport, file: string): MergePreview {
  const info = readPackageInfo(file);
  const id = r.from.identity;
  return {
    path: file,
    package: r.package,
    from: {
      team: str(id.team),
      agency: str(id.agency),
      country: str(id.country),
      observer: str(id.observer),
      device: str(id.device),
      replica: r.from.replica ?? null,
      createdAt: info.createdAt,
    },
    alreadyMerged: r.alreadyMerged,
    added: r.added,
    updated: r.updated,
    deleted: r.deleted,
    combined: r.combined,
    unchanged: r.unchanged,
    conflicts: r.conflicts.map((c) => ({ layer: c.layer, featureId: c.featureId, name: c.name, kind: c.kind, field: c.field, base: c.base, ours: c.ours, theirs: c.theirs })),
    droppedFields: r.droppedFields,
    extraFields: info.extraFields,
  };
}

function exchangeStatus(p: Project): MethodResults['exchange.status'] {
  const db = p.db;
  const n = (status: string) => db.prepare('SELECT count(*) FROM outcrop_conflicts WHERE status = ?').pluck().get(status) as number;
  const last = (direction: string) => (db.prepare('SELECT max(at) FROM outcrop_exchanges WHERE direction = ?').pluck().get(direction) as string | null) ?? null;
  const sentUpTo = (db.prepare(`SELECT coalesce(max(up_to_seq), 0) FROM outcrop_exchanges WHERE direction = 'sent'`).pluck().get() as number) ?? 0;
  // The same rows createPackage takes: every feature with a history row after the point.
  const changed = (after: number) => db.prepare('SELECT count(DISTINCT feature_id) FROM outcrop_history WHERE seq > ?').pluck().get(after) as number;
  return {
    openConflicts: n('open'),
    resolvedConflicts: n('resolved'),
    lastSentAt: last('sent'),
    lastReceivedAt: last('received'),
    changedSinceLastSent: changed(sentUpTo),
    changedTotal: changed(0),
  };
}

type Geom = Point | MultiPolygon | null;
const geometryOf = (f: unknown): Geom => ((f as { geometry?: Geometry } | null)?.geometry as Geom) ?? null;

function conflictItem(p: Project, c: ConflictRecord): ConflictItem {
  const current = getFeature(p, c.layer, c.featureId);
  const theirVersion = typeof c.theirIdentity.version === 'string' ? c.theirIdentity.version : null;
  const theirState = theirVersion
    ? (p.db.prepare(`SELECT a FROM (SELECT h.seq, ${afterSql()} AS a FROM outcrop_history h WHERE h.version = ?) WHERE a IS NOT NULL ORDER BY seq DESC LIMIT 1`).pluck().get(theirVersion) as string | undefined)
    : undefined;
  const theirFeature = theirState ? (JSON.parse(theirState) as { geometry: Geometry; properties: Record<string, unknown> }) : null;
  let geometry: ConflictItem['geometry'];
  if (c.kind === 'field' || c.kind === 'insert-insert') {
    geometry =
      c.field === 'geometry'
        ? { ours: c.ours as Geom, theirs: c.theirs as Geom, base: c.base as Geom }
        : { ours: geometryOf(current), theirs: geometryOf(theirFeature) ?? geometryOf(current), base: null };
  } else {
    // Whole-feature conflicts keep whole features: ours / theirs / base are records (or null = deleted).
    geometry = { ours: geometryOf(c.ours), theirs: geometryOf(c.theirs), base: geometryOf(c.base) };
  }
  const nameOf = (f: unknown) => str((f as { properties?: Record<string, unknown> } | null)?.properties?.name);
  const mergedAt = (p.db.prepare('SELECT at FROM outcrop_ops WHERE op_id = ?').pluck().get(c.mergeOpId) as string | undefined) ?? null;
  const id = c.theirIdentity;
  return {
    conflictId: c.conflictId,
    layer: c.layer,
    featureId: c.featureId,
    name: nameOf(current) ?? nameOf(c.ours) ?? nameOf(c.theirs) ?? nameOf(theirFeature) ?? c.featureId,
    kind: c.kind,
    field: c.field,
    base: c.base,
    ours: c.ours,
    theirs: c.theirs,
    from: { team: str(id.team), agency: str(id.agency), country: str(id.country), observer: str(id.observer), device: str(id.device), replica: c.theirOrigin },
    mergedAt,
    status: c.status,
    resolution: c.resolution,
    resolvedBy: c.resolvedBy,
    resolvedAt: c.resolvedAt,
    geometry,
  };
}

/**
 * An edited value for a field conflict, checked like a form save and normalised to how the
 * project stores it (e.g. a commodity typed as 銅 becomes Cu). Only problems the edit brings
 * are refused: an old record's own quirks must not block resolving one of its fields.
 */
function checkedValue(p: Project, c: ConflictRecord, value: unknown): unknown {
  if (c.kind !== 'field' && c.kind !== 'insert-insert') return value; // resolveConflict refuses it with its own message
  const f = getFeature(p, c.layer, c.featureId);
  if (!f) throw codedError('USAGE', coded('conflict.recordGone', { id: c.conflictId }));
  if (c.field === 'geometry') {
    const v = validateGeometry(value, { featureId: c.featureId });
    const problems = [...v.problems];
    const type = v.geometry?.type;
    if (v.geometry && c.layer === 'deposits' && type !== 'Point') problems.push({ field: 'geometry', ...coded('conflict.depositNotPoint') });
    if (v.geometry && c.layer === 'surveys' && type !== 'Polygon' && type !== 'MultiPolygon') problems.push({ field: 'geometry', ...coded('conflict.surveyNotPolygon') });
    if (problems.length || !v.geometry) throw new ValidationError(problems);
    return v.geometry;
  }
  const field = c.field!;
  const check = (props: Record<string, unknown>) => {
    const { created_at, updated_at, created_by, updated_by, ...rest } = props;
    void created_at, updated_at, created_by, updated_by;
    if (c.layer === 'deposits') {
      const m = mapDepositProperties(rest);
      const problems: Problem[] = [...m.problems, ...(m.problems.length ? [] : validateDepositFields(m.fields))];
      return { problems, row: depositRow(c.featureId, m.fields, AUDIT, f.geometry as Point) };
    }
    const m = mapSurveyProperties(rest);
    const problems: Problem[] = [...m.problems, ...(m.problems.length ? [] : validateSurveyFields(m.fields))];
    return { problems, row: surveyRow(c.featureId, m.fields, AUDIT, f.geometry as Polygon | MultiPolygon) };
  };
  const key = (x: Problem) => `${x.field}|${x.message}`;
  const before = new Set(check(f.properties).problems.map(key));
  const after = check({ ...f.properties, [field]: value });
  const added = after.problems.filter((x) => !before.has(key(x)));
  if (added.length) throw new ValidationError(added);
  return rowToFeature(c.layer, after.row).properties[field];
}

const AUDIT = { createdAt: '', updatedAt: '', createdBy: null, updatedBy: null };

/**
 * Who made a record and who changed it last. A change received in a package is credited to the
 * team that made it (their operation travels with the package), not to the merge that brought it.
 */
function provenance(p: Project, layer: Layer, id: string): FeatureProvenance | null {
  const rows = p.db
    .prepare(
      `SELECT h.seq, h.version, o.kind, o.actor, o.at, o.origin, o.details FROM outcrop_history h JOIN outcrop_ops o USING (op_id)
       WHERE h.feature_id = ? AND h.layer = ? AND h.applied = 1 ORDER BY h.seq`,
    )
    .all(id, layer) as { seq: number; version: string | null; kind: string; actor: string | null; at: string; origin: string | null; details: string }[];
  if (!rows.length) return null;
  const ours = projectIdentity(p);
  const remoteOp = p.db.prepare(
    `SELECT o.kind, o.actor, o.at, o.origin FROM outcrop_history h JOIN outcrop_ops o USING (op_id) WHERE h.version = ? AND o.origin IS NOT NULL ORDER BY h.seq LIMIT 1`,
  );
  const peerIdentity = p.db.prepare(`SELECT details FROM outcrop_exchanges WHERE direction = 'received' AND peer = ? ORDER BY exchange_id DESC LIMIT 1`).pluck();
  const author = (r: (typeof rows)[number]): ChangeAuthor => {
    const remote = r.version ? (remoteOp.get(r.version) as { kind: string; actor: string | null; at: string; origin: string } | undefined) : undefined;
    if (!remote) return { at: r.at, actor: r.actor, team: ours.team ?? null, agency: ours.agency ?? null, country: ours.country ?? null, here: true, kind: r.kind };
    // The merge that applied it names the package's team; the exchange log by peer (each project
    // file exchanges under its own replica id, copies too: exchange/identity.ts) is the fallback.
    const merged = r.kind === 'merge' ? (JSON.parse(r.details).from?.identity as Identity | undefined) : undefined;
    const details = merged ? undefined : (peerIdentity.get(remote.origin) as string | undefined);
    const who = merged ?? (details ? (JSON.parse(details).identity as Identity | undefined) : undefined) ?? {};
    return { at: remote.at, actor: remote.actor, team: who.team ?? null, agency: who.agency ?? null, country: who.country ?? null, here: false, kind: remote.kind };
  };
  const open = p.db.prepare(`SELECT count(*) FROM outcrop_conflicts WHERE feature_id = ? AND status = 'open'`).pluck().get(id) as number;
  return { created: author(rows[0]), lastChanged: author(rows[rows.length - 1]), openConflicts: open };
}
