import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { codedError } from '../errors';
import { coded } from '../messages/en';
import { type Layer, type RecordFeature, rowToFeature } from '../store/columns';
import type { Project } from '../store/project';
import type { WriteSession } from '../store/write-session';
import { newId } from '../model/ids';
import { afterSql } from '../store/history-after';
import type { TaskOptions } from '../task';

export interface MergeOptions extends TaskOptions {
  /** Compute and report, change nothing (the preview of the exchange dialog). */
  dryRun?: boolean;
  /**
   * The plan of a preview (`previewMerge`): applied as it is when neither the project nor the
   * package file changed since it was computed, so a preview then a merge compare once.
   * Recomputed (inside the merge's transaction) otherwise.
   */
  plan?: MergePlan;
}

export interface MergeReport {
  package: string;
  packageUuid: string;
  from: { replica: string; identity: Record<string, unknown> };
  alreadyMerged: boolean;
  /** Features taken from theirs as they are (new there, or changed only there). */
  added: number;
  updated: number;
  deleted: number;
  /** Features where both sides' changes were combined field by field. */
  combined: number;
  /** Features already equal on both sides. */
  unchanged: number;
  conflicts: ConflictInfo[];
  /** Fields the package has that this project cannot store: always empty between Outcrop projects, listed if not. */
  droppedFields: string[];
  opId: number | null;
}

export interface ConflictInfo {
  layer: Layer;
  featureId: string;
  name: string;
  kind: 'field' | 'edit-delete' | 'delete-edit' | 'insert-insert';
  field: string | null;
  base: unknown;
  ours: unknown;
  theirs: unknown;
}

/**
 * What merging one package into one project does, computed without changing anything: the
 * report, and per feature the change to make, the conflicts to record and the package's journal
 * rows to keep. Valid while the project and the package file stay as they were (`stamps`).
 */
export interface MergePlan {
  report: MergeReport;
  packagePath: string;
  /** The package file (size, mtime, uuid) and the project's state (last op, history row, conflict, exchange) it was computed on; project null = changed meanwhile, do not reuse. */
  stamps: { package: string; project: string | null };
  received: boolean;
  /** Their journal rows this project lacks (kept with applied = 0). */
  remoteRows: number;
  steps: FeatureStep[];
}

/** One feature's part of a merge (only features with something to write). */
interface FeatureStep {
  layer: Layer;
  featureId: string;
  /** adopt: take their state as their very version; combine: write `merged` as a new version. */
  action: 'adopt' | 'combine' | null;
  /** The adopted feature does not exist here yet (written first, in bulk mode, see applyPlan). */
  inserts?: boolean;
  version?: string;
  parents?: string[];
  merged?: RecordFeature | null;
  conflicts: ConflictInfo[];
  theirVersion: string;
  /** Package history seqs to append as remote rows. */
  remoteSeqs: number[];
}

/** A history row without its before/after images (those are read only where a merge needs them). */
interface HistRow {
  seq: number;
  layer: Layer;
  feature_id: string;
  action: 'insert' | 'update' | 'delete';
  version: string;
  parents: string;
  applied: number;
  op_uuid: string;
}

/** Audit fields are not compared: the later change's values win. */
const AUDIT = new Set(['updated_at', 'updated_by', 'created_at', 'created_by']);

const LIGHT_COLUMNS = 'h.seq, h.layer, h.feature_id, h.action, h.version, h.parents, h.applied, o.uuid AS op_uuid';

/**
 * Merge an exchange package into the project: a three-way merge per field over each feature's
 * version history (docs/exchange-design.md). Changes made only on one side are applied; both
 * sides changing different fields are combined; the same field changed differently, or an edit
 * against a delete, is recorded in outcrop_conflicts with base, ours and theirs — ours is kept
 * until someone resolves it. One transaction, one undoable operation; merging the same package
 * again changes nothing. Progress: records compared ('compare'), then records written
 * ('write'); cancelling (the signal) at any point rolls the whole merge back.
 */
export async function mergePackage(project: Project, packagePath: string, opts: MergeOptions = {}): Promise<MergeReport> {
  if (opts.dryRun) return (await previewMerge(project, packagePath, opts)).report;
  const pkg = openPackage(packagePath);
  try {
    const meta = packageMeta(pkg, packagePath);
    const pkgStamp = packageStamp(packagePath, meta);
    const given = opts.plan && opts.plan.packagePath === resolve(packagePath) && opts.plan.stamps.package === pkgStamp ? opts.plan : null;
    const team = JSON.parse(meta.package_identity ?? '{}').team;
    let plan: MergePlan | undefined;
    try {
      await project.write('merge', `Merge ${basename(packagePath)}${team ? ` from ${team}` : ''}`, async (w) => {
        // Inside the transaction: the project cannot change between this check and the writes.
        plan = given && given.stamps.project === projectStamp(project, w.opId) ? given : await computePlan(project, pkg, packagePath, meta, pkgStamp, opts);
        if (!hasChanges(plan) && plan.received) throw NOTHING_TO_DO; // merging a package twice writes nothing at all
        await applyPlan(project, pkg, w, plan, meta, opts);
      });
    } catch (err) {
      if (err !== NOTHING_TO_DO) throw err;
    }
    return plan!.report;
  } finally {
    pkg.close();
  }
}

/**
 * The dry run of a merge: its report and its plan, which `mergePackage` reuses (`opts.plan`)
 * when nothing changed in between. Reads only; other writes may go on meanwhile (the plan is then
 * marked stale and the merge computes again).
 */
export async function previewMerge(project: Project, packagePath: string, opts: TaskOptions = {}): Promise<MergePlan> {
  const pkg = openPackage(packagePath);
  try {
    const meta = packageMeta(pkg, packagePath);
    const before = projectStamp(project);
    const plan = await computePlan(project, pkg, packagePath, meta, packageStamp(packagePath, meta), opts);
    if (projectStamp(project) !== before) plan.stamps.project = null;
    return plan;
  } finally {
    pkg.close();
  }
}

const NOTHING_TO_DO = Symbol('nothing to do');
/** From this many new records on, a merge writes them in bulk mode (WriteSession.beginBulk). */
const BULK_MIN = 1000;

const hasChanges = (plan: MergePlan) => {
  const r = plan.report;
  return r.added + r.updated + r.deleted + r.combined + r.conflicts.length + plan.remoteRows > 0;
};

function packageMeta(pkg: Database.Database, packagePath: string): Record<string, string> {
  const meta = Object.fromEntries((pkg.prepare('SELECT key, value FROM outcrop_meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
  if (!meta.package_uuid) throw codedError('BAD_INPUT', coded('package.isProject', { file: basename(packagePath) }));
  return meta;
}

function packageStamp(packagePath: string, meta: Record<string, string>): string {
  const s = statSync(packagePath);
  return `${s.size}|${s.mtimeMs}|${meta.package_uuid}`;
}

/**
 * Changes whenever anything a merge reads changes: every write is an operation; conflicts and
 * exchanges are logged. `ownOp`: the merge's own operation, just begun, does not count.
 */
function projectStamp(project: Project, ownOp = 0): string {
  const r = project.db
    .prepare(
      `SELECT (SELECT coalesce(max(op_id), 0) FROM outcrop_ops WHERE op_id != ?) AS op, (SELECT coalesce(max(seq), 0) FROM outcrop_history) AS seq,
              (SELECT count(*) FROM outcrop_conflicts WHERE status = 'open') AS open, (SELECT coalesce(max(conflict_id), 0) FROM outcrop_conflicts) AS conflict,
              (SELECT coalesce(max(exchange_id), 0) FROM outcrop_exchanges) AS exchange`,
    )
    .get(ownOp) as Record<string, number>;
  return `${project.file}|${r.op}|${r.seq}|${r.open}|${r.conflict}|${r.exchange}`;
}

/** Progress every 1 % (and at the end), a look at the signal for every record, a yield to the event loop with each report. */
function pacer(opts: TaskOptions, phase: string, total: number) {
  const every = Math.max(1, Math.ceil(total / 100));
  return async (done: number): Promise<void> => {
    opts.signal?.throwIfAborted();
    if (done % every !== 0 && done !== total) return;
    opts.onProgress?.({ phase, done, total, unit: 'features' });
    await new Promise<void>((r) => setImmediate(r));
    opts.signal?.throwIfAborted();
  };
}

async function computePlan(
  project: Project,
  pkg: Database.Database,
  packagePath: string,
  meta: Record<string, string>,
  pkgStamp: string,
  opts: TaskOptions,
): Promise<MergePlan> {
  const stampBefore = projectStamp(project);
  const theirReplica = meta.package_origin;
  const report: MergeReport = {
    package: basename(packagePath),
    packageUuid: meta.package_uuid,
    from: { replica: theirReplica, identity: JSON.parse(meta.package_identity ?? '{}') },
    alreadyMerged: false,
    added: 0,
    updated: 0,
    deleted: 0,
    combined: 0,
    unchanged: 0,
    conflicts: [],
    droppedFields: droppedFields(project, pkg),
    opId: null,
  };
  const received = !!project.db.prepare(`SELECT 1 FROM outcrop_exchanges WHERE direction = 'received' AND package_uuid = ?`).get(meta.package_uuid);
  report.alreadyMerged = received;
  const plan: MergePlan = { report, packagePath: resolve(packagePath), stamps: { package: pkgStamp, project: stampBefore }, received, remoteRows: 0, steps: [] };

  const byFeature = new Map<string, HistRow[]>();
  for (const r of pkg.prepare(`SELECT ${LIGHT_COLUMNS} FROM outcrop_history h JOIN outcrop_ops o USING (op_id) ORDER BY h.seq`).iterate() as IterableIterator<HistRow>) {
    const l = byFeature.get(r.feature_id);
    if (l) l.push(r);
    else byFeature.set(r.feature_id, [r]);
  }
  const ourRowsStmt = project.db.prepare(`SELECT ${LIGHT_COLUMNS} FROM outcrop_history h JOIN outcrop_ops o USING (op_id) WHERE h.feature_id = ? ORDER BY h.seq`);
  const oursExists = { deposits: project.db.prepare('SELECT 1 FROM deposits WHERE id = ?').pluck(), surveys: project.db.prepare('SELECT 1 FROM surveys WHERE id = ?').pluck() };
  const theirsExists = { deposits: pkg.prepare('SELECT 1 FROM deposits WHERE id = ?').pluck(), surveys: pkg.prepare('SELECT 1 FROM surveys WHERE id = ?').pluck() };
  const states = stateReader(project, pkg);
  const tick = pacer(opts, 'compare', byFeature.size);
  let done = 0;
  await tick(0);
  for (const [featureId, theirs] of byFeature) {
    const layer = theirs[0].layer;
    const ours = ourRowsStmt.all(featureId) as HistRow[];
    const theirHead = lastApplied(theirs);
    const ourHead = lastApplied(ours);
    const known = new Set(ours.map((r) => `${r.version}|${r.op_uuid}`));
    const remoteSeqs = theirs.filter((r) => !known.has(`${r.version}|${r.op_uuid}`)).map((r) => r.seq);
    const step: FeatureStep = { layer, featureId, action: null, conflicts: [], theirVersion: theirHead?.version ?? '', remoteSeqs };
    if (theirHead) {
      const graph = new VersionGraph([...ours, ...theirs]);
      if (ourHead && (ourHead.version === theirHead.version || graph.isAncestor(theirHead.version, ourHead.version))) {
        report.unchanged++; // we already have their version
      } else if (!ourHead || graph.isAncestor(ourHead.version, theirHead.version)) {
        // Fast-forward: our state becomes theirs, recorded as their very version.
        const hasOurs = !!oursExists[layer].get(featureId);
        const hasTheirs = !!theirsExists[layer].get(featureId);
        if (!hasOurs && !hasTheirs) report.unchanged++;
        else {
          Object.assign(step, { action: 'adopt', version: theirHead.version, parents: JSON.parse(theirHead.parents), inserts: !hasOurs });
          if (!hasOurs) report.added++;
          else if (!hasTheirs) report.deleted++;
          else report.updated++;
        }
      } else {
        const oursNow = states.current(layer, featureId);
        const theirsNow = states.theirs(layer, featureId);
        const baseVersion = graph.commonAncestor(ourHead.version, theirHead.version);
        const base = baseVersion ? states.ofVersion(baseVersion) : null;
        const name = String((oursNow ?? theirsNow ?? states.ofVersion(theirHead.version))?.properties?.name ?? featureId);
        const result = threeWay(layer, featureId, name, base, oursNow, theirsNow, baseVersion === null);
        step.conflicts = result.conflicts.filter((c) => !conflictKnown(project, c, theirHead.version));
        report.conflicts.push(...step.conflicts);
        if (result.merged && !sameFeature(result.merged, oursNow)) {
          // Combined version: descends from both sides only if nothing conflicts, so the other side sees the same conflict.
          Object.assign(step, { action: 'combine', version: newId(), merged: result.merged, parents: result.conflicts.length ? [ourHead.version] : [ourHead.version, theirHead.version] });
          report.combined++;
        } else if (!result.conflicts.length) report.unchanged++;
      }
    }
    plan.remoteRows += remoteSeqs.length;
    if (step.action || step.conflicts.length || remoteSeqs.length) plan.steps.push(step);
    await tick(++done);
  }
  return plan;
}

async function applyPlan(project: Project, pkg: Database.Database, w: WriteSession, plan: MergePlan, meta: Record<string, string>, opts: TaskOptions): Promise<void> {
  const report = plan.report;
  const theirReplica = meta.package_origin;
  const theirTeam = String(report.from.identity.team ?? theirReplica);
  const states = stateReader(project, pkg);
  const resolveOpen = project.db.prepare(`UPDATE outcrop_conflicts SET status = 'resolved', resolution = ?, resolved_by = ?, resolved_at = ? WHERE feature_id = ? AND status = 'open'`);
  const withOpenConflicts = new Set(project.db.prepare(`SELECT DISTINCT feature_id FROM outcrop_conflicts WHERE status = 'open'`).pluck().all() as string[]);
  const remoteRow = pkg.prepare(
    `SELECT h.layer, h.feature_id, h.action, h.before, h.after, h.version, h.parents, o.uuid AS op_uuid, o.kind, o.label, o.actor, o.at, o.origin, o.details
     FROM outcrop_history h JOIN outcrop_ops o USING (op_id) WHERE h.seq = ?`,
  );
  const opIdOf = project.db.prepare('SELECT op_id FROM outcrop_ops WHERE uuid = ?').pluck();
  const insertOp = project.db.prepare('INSERT INTO outcrop_ops (uuid, kind, label, actor, at, details, origin) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const ops = new Map<string, number>();
  const tick = pacer(opts, 'write', plan.steps.length);
  let done = 0;
  await tick(0);
  // Records new here go first, with the R*Tree written directly (bulk mode, as imports do: ~3x
  // faster than its triggers); then bulk mode ends and updates and deletes follow.
  const inserts = plan.steps.filter((s) => s.inserts);
  const bulk = inserts.length >= BULK_MIN ? [...new Set(inserts.map((s) => s.layer))] : [];
  for (const layer of bulk) w.beginBulk(layer);
  const ordered = bulk.length ? [...inserts, ...plan.steps.filter((s) => !s.inserts)] : plan.steps;
  for (const s of ordered) {
    if (bulk.length && !s.inserts) for (const layer of bulk.splice(0)) w.endBulk(layer);
    if (s.action === 'adopt') {
      const theirsNow = states.theirs(s.layer, s.featureId);
      w.asVersion(s.version!, s.parents!, () => w.restore(s.layer, s.featureId, theirsNow));
      // Their version descends from ours: any conflict we still hold on it was resolved there.
      if (withOpenConflicts.has(s.featureId)) resolveOpen.run(JSON.stringify({ adopted: s.version }), theirTeam, w.at, s.featureId);
    } else if (s.action === 'combine') {
      w.asVersion(s.version!, s.parents!, () => w.restore(s.layer, s.featureId, s.merged ?? null));
    }
    for (const c of s.conflicts) recordConflict(project, w.opId, c, theirReplica, meta.package_identity ?? '{}', s.theirVersion);
    // Their journal rows we lack (applied = 0): ancestry for later merges, audit of who did what.
    for (const seq of s.remoteSeqs) {
      const r = remoteRow.get(seq) as HistRow & { before: string | null; after: string | null; kind: string; label: string; actor: string | null; at: string; origin: string | null; details: string };
      let opId = ops.get(r.op_uuid) ?? (opIdOf.get(r.op_uuid) as number | undefined);
      if (opId === undefined) opId = Number(insertOp.run(r.op_uuid, r.kind, r.label, r.actor, r.at, r.details, r.origin ?? theirReplica).lastInsertRowid);
      ops.set(r.op_uuid, opId);
      w.writeHistory({ layer: r.layer, featureId: r.feature_id, action: r.action, before: r.before, after: r.after, version: r.version, parents: JSON.parse(r.parents), applied: false, opId });
    }
    await tick(++done);
  }
  for (const layer of bulk) w.endBulk(layer);
  report.opId = w.opId;
  w.setDetails({ package: report.package, packageUuid: report.packageUuid, from: report.from, conflicts: report.conflicts.length });
  if (!plan.received) {
    project.db
      .prepare(`INSERT INTO outcrop_exchanges (direction, package_uuid, peer, at, up_to_seq, details) VALUES ('received', ?, ?, ?, NULL, ?)`)
      .run(meta.package_uuid, theirReplica, new Date().toISOString(), JSON.stringify({ file: report.package, identity: report.from.identity }));
  }
}

/** Feature states, read when a merge needs them: ours now, theirs now, and the state a version stands for. */
function stateReader(project: Project, pkg: Database.Database) {
  const ours = { deposits: project.db.prepare('SELECT * FROM deposits WHERE id = ?'), surveys: project.db.prepare('SELECT * FROM surveys WHERE id = ?') };
  const theirs = { deposits: pkg.prepare('SELECT * FROM deposits WHERE id = ?'), surveys: pkg.prepare('SELECT * FROM surveys WHERE id = ?') };
  // Of the rows carrying a version, an applied one with its after-image first (null = deleted).
  const ourVersion = project.db
    .prepare(`SELECT a FROM (SELECT h.seq, h.applied, ${afterSql()} AS a FROM outcrop_history h WHERE h.version = ?) ORDER BY a IS NULL, applied DESC, seq LIMIT 1`)
    .pluck();
  const theirVersion = pkg.prepare(`SELECT after FROM outcrop_history WHERE version = ? ORDER BY after IS NULL, applied DESC, seq LIMIT 1`).pluck();
  const feature = (layer: Layer, row: unknown) => (row ? rowToFeature(layer, row as Record<string, unknown>) : null);
  return {
    current: (layer: Layer, id: string): RecordFeature | null => feature(layer, ours[layer].get(id)),
    theirs: (layer: Layer, id: string): RecordFeature | null => feature(layer, theirs[layer].get(id)),
    ofVersion(version: string): RecordFeature | null {
      const mine = ourVersion.get(version) as string | null | undefined;
      const a = mine !== undefined ? mine : (theirVersion.get(version) as string | null | undefined);
      return a ? (JSON.parse(a) as RecordFeature) : null;
    },
  };
}

function openPackage(path: string): Database.Database {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    db.prepare('SELECT 1 FROM outcrop_history LIMIT 1').get();
    db.pragma('cache_size = -65536'); // 64 MiB, as projects: a big package is read all over
    return db;
  } catch (err) {
    throw codedError('BAD_INPUT', coded('package.notPackage', { file: basename(path), detail: (err as Error).message }));
  }
}

function lastApplied(rows: HistRow[]): HistRow | undefined {
  for (let i = rows.length - 1; i >= 0; i--) if (rows[i].applied) return rows[i];
  return undefined;
}

class VersionGraph {
  private parents = new Map<string, string[]>();
  private seqs = new Map<string, number>();

  constructor(rows: HistRow[]) {
    for (const r of rows) {
      if (!r.version) continue;
      if (!this.parents.has(r.version)) this.parents.set(r.version, JSON.parse(r.parents));
      if (!this.seqs.has(r.version) || r.applied) this.seqs.set(r.version, r.seq);
    }
  }

  ancestors(v: string): Set<string> {
    const seen = new Set<string>([v]);
    const stack = [v];
    while (stack.length) {
      for (const p of this.parents.get(stack.pop()!) ?? []) {
        if (!seen.has(p)) {
          seen.add(p);
          stack.push(p);
        }
      }
    }
    return seen;
  }

  /** True if `a` is `b` or one of its ancestors. */
  isAncestor(a: string, b: string): boolean {
    return this.ancestors(b).has(a);
  }

  /** A lowest common ancestor: common to both, with no other common ancestor below it. */
  commonAncestor(a: string, b: string): string | null {
    const aa = this.ancestors(a);
    const common = [...this.ancestors(b)].filter((v) => aa.has(v));
    const lowest = common.filter((c) => !common.some((d) => d !== c && this.ancestors(d).has(c)));
    if (!lowest.length) return null;
    // criss-cross merges can leave several: take the newest (stable choice)
    return lowest.sort((x, y) => (this.seqs.get(y) ?? 0) - (this.seqs.get(x) ?? 0))[0];
  }
}

const json = (v: unknown) => JSON.stringify(v ?? null);
const same = (a: unknown, b: unknown) => json(a) === json(b);

function sameFeature(a: RecordFeature | null, b: RecordFeature | null): boolean {
  if (!a || !b) return a === b;
  if (!same(a.geometry, b.geometry)) return false;
  const keys = new Set([...Object.keys(a.properties), ...Object.keys(b.properties)]);
  for (const k of keys) if (!AUDIT.has(k) && !same(a.properties[k], b.properties[k])) return false;
  return true;
}

/** Per-field three-way merge. `merged` is the state to keep (ours with their clean changes). */
function threeWay(
  layer: Layer,
  featureId: string,
  name: string,
  base: RecordFeature | null,
  ours: RecordFeature | null,
  theirs: RecordFeature | null,
  noBase: boolean,
): { merged: RecordFeature | null; conflicts: ConflictInfo[] } {
  const conflict = (kind: ConflictInfo['kind'], field: string | null, b: unknown, o: unknown, t: unknown): ConflictInfo => ({
    layer, featureId, name, kind, field, base: b, ours: o, theirs: t,
  });
  if (!ours && !theirs) return { merged: null, conflicts: [] };
  if (!ours) {
    // we deleted; they changed it since the base → conflict; else the delete stands
    if (base && theirs && !sameFeature(base, theirs)) return { merged: null, conflicts: [conflict('edit-delete', null, base, null, theirs)] };
    return { merged: null, conflicts: [] };
  }
  if (!theirs) {
    if (base && !sameFeature(base, ours)) return { merged: ours, conflicts: [conflict('delete-edit', null, base, ours, null)] };
    return { merged: null, conflicts: [] }; // they deleted, we did not change it: delete
  }
  const conflicts: ConflictInfo[] = [];
  const merged: RecordFeature = { ...ours, properties: { ...ours.properties } };
  const fields = new Set([...Object.keys(ours.properties), ...Object.keys(theirs.properties)]);
  const pick = (field: string, b: unknown, o: unknown, t: unknown, set: (v: unknown) => void) => {
    if (same(o, t)) return;
    if (!noBase && same(o, b)) return set(t);
    if (!noBase && same(t, b)) return;
    conflicts.push(conflict(noBase ? 'insert-insert' : 'field', field, noBase ? null : b, o, t));
  };
  for (const f of fields) {
    if (AUDIT.has(f)) continue;
    pick(f, base?.properties[f], ours.properties[f], theirs.properties[f], (v) => (merged.properties[f] = v));
  }
  pick('geometry', base?.geometry, ours.geometry, theirs.geometry, (v) => (merged.geometry = v as RecordFeature['geometry']));
  // later change's audit stamp
  if (String(theirs.properties.updated_at) > String(ours.properties.updated_at) && !sameFeature(merged, ours)) {
    merged.properties.updated_at = theirs.properties.updated_at;
    merged.properties.updated_by = theirs.properties.updated_by;
  }
  return { merged, conflicts };
}

function conflictKnown(project: Project, c: ConflictInfo, theirVersion: string): boolean {
  return !!project.db
    .prepare(
      `SELECT 1 FROM outcrop_conflicts WHERE feature_id = ? AND kind = ? AND coalesce(field, '') = coalesce(?, '') AND theirs = ? AND json_extract(their_identity, '$.version') = ?`,
    )
    .get(c.featureId, c.kind, c.field, json(c.theirs), theirVersion);
}

function recordConflict(project: Project, opId: number, c: ConflictInfo, origin: string, identity: string, theirVersion: string): void {
  const who = { ...JSON.parse(identity), version: theirVersion };
  project.db
    .prepare(
      `INSERT INTO outcrop_conflicts (merge_op_id, layer, feature_id, kind, field, base, ours, theirs, their_origin, their_identity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(opId, c.layer, c.featureId, c.kind, c.field, json(c.base), json(c.ours), json(c.theirs), origin, JSON.stringify(who));
}

/** Columns of the package's layers that this project has no column for (none between Outcrop projects of one schema). */
function droppedFields(project: Project, pkg: Database.Database): string[] {
  const out: string[] = [];
  for (const layer of ['deposits', 'surveys']) {
    const ours = new Set(project.db.prepare(`SELECT name FROM pragma_table_info('${layer}')`).pluck().all() as string[]);
    for (const c of pkg.prepare(`SELECT name FROM pragma_table_info('${layer}')`).pluck().all() as string[]) if (!ours.has(c)) out.push(`${layer}.${c}`);
  }
  return out;
}
