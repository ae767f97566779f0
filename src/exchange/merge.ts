import Database from 'better-sqlite3';
import { basename } from 'node:path';
import { OutcropError } from '../errors';
import { type Layer, type RecordFeature, rowToFeature } from '../store/columns';
import type { Project } from '../store/project';
import type { WriteSession } from '../store/write-session';
import { newId } from '../model/ids';
import { historyColumnsSql } from '../store/history-after';

export interface MergeOptions {
  /** Compute and report, change nothing (the preview of the exchange dialog). */
  dryRun?: boolean;
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

interface HistRow {
  seq: number;
  layer: Layer;
  feature_id: string;
  action: 'insert' | 'update' | 'delete';
  before: string | null;
  after: string | null;
  version: string;
  parents: string;
  applied: number;
  op_uuid: string;
  kind: string;
  label: string;
  actor: string | null;
  at: string;
  origin: string | null;
  details: string;
}

/** Audit fields are not compared: the later change's values win. */
const AUDIT = new Set(['updated_at', 'updated_by', 'created_at', 'created_by']);

/**
 * Merge an exchange package into the project: a three-way merge per field over each feature's
 * version history (docs/exchange-design.md). Changes made only on one side are applied; both
 * sides changing different fields are combined; the same field changed differently, or an edit
 * against a delete, is recorded in outcrop_conflicts with base, ours and theirs — ours is kept
 * until someone resolves it. One transaction, one undoable operation; merging the same package
 * again changes nothing.
 */
export async function mergePackage(project: Project, packagePath: string, opts: MergeOptions = {}): Promise<MergeReport> {
  const pkg = openPackage(packagePath);
  try {
    const meta = Object.fromEntries((pkg.prepare('SELECT key, value FROM outcrop_meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    if (!meta.package_uuid) throw new OutcropError('BAD_INPUT', `${basename(packagePath)} is an Outcrop project, not an exchange package (make one with "outcrop package")`);
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
    const theirRows = pkg
      .prepare(
        `SELECT h.*, o.uuid AS op_uuid, o.kind, o.label, o.actor, o.at, o.origin, o.details FROM outcrop_history h JOIN outcrop_ops o USING (op_id) ORDER BY h.seq`,
      )
      .all() as HistRow[];
    const byFeature = new Map<string, HistRow[]>();
    for (const r of theirRows) {
      const l = byFeature.get(r.feature_id);
      if (l) l.push(r);
      else byFeature.set(r.feature_id, [r]);
    }
    const theirState = (layer: Layer, id: string): RecordFeature | null => {
      const row = pkg.prepare(`SELECT * FROM ${layer} WHERE id = ?`).get(id) as Record<string, unknown> | undefined;
      return row ? rowToFeature(layer, row) : null;
    };

    let remoteRows = 0;
    const run = (w: WriteSession | null) => {
      const ourRowsStmt = project.db.prepare(
        `SELECT ${historyColumnsSql()}, o.uuid AS op_uuid, o.kind, o.label, o.actor, o.at, o.origin, o.details FROM outcrop_history h JOIN outcrop_ops o USING (op_id) WHERE h.feature_id = ? ORDER BY h.seq`,
      );
      for (const [featureId, theirs] of byFeature) {
        const layer = theirs[0].layer;
        const ours = ourRowsStmt.all(featureId) as HistRow[];
        const theirHead = lastApplied(theirs);
        const ourHead = lastApplied(ours);
        if (!theirHead) continue;
        const graph = new VersionGraph([...ours, ...theirs]);
        const oursNow = currentState(project, layer, featureId);
        const theirsNow = theirState(layer, featureId);
        const name = String((oursNow ?? theirsNow ?? stateOf(graph, theirHead.version))?.properties?.name ?? featureId);
        const adopt = () => {
          if (!oursNow && !theirsNow) return void report.unchanged++;
          // Fast-forward: our state becomes theirs, recorded as their very version.
          if (w) {
            w.asVersion(theirHead.version, JSON.parse(theirHead.parents), () => w.restore(layer, featureId, theirsNow));
            // Their version descends from ours: any conflict we still hold on it was resolved there.
            project.db
              .prepare(`UPDATE outcrop_conflicts SET status = 'resolved', resolution = ?, resolved_by = ?, resolved_at = ? WHERE feature_id = ? AND status = 'open'`)
              .run(JSON.stringify({ adopted: theirHead.version }), String(report.from.identity.team ?? theirReplica), w.at, featureId);
          }
          if (!oursNow && theirsNow) report.added++;
          else if (oursNow && !theirsNow) report.deleted++;
          else report.updated++;
        };
        if (ourHead && (ourHead.version === theirHead.version || graph.isAncestor(theirHead.version, ourHead.version))) {
          report.unchanged++; // we already have their version
        } else if (!ourHead || graph.isAncestor(ourHead.version, theirHead.version)) {
          adopt();
        } else {
          const baseVersion = graph.commonAncestor(ourHead.version, theirHead.version);
          const base = baseVersion ? stateOf(graph, baseVersion) : null;
          const result = threeWay(layer, featureId, name, base, oursNow, theirsNow, baseVersion === null);
          const newConflicts = result.conflicts.filter((c) => !conflictKnown(project, c, theirHead.version));
          report.conflicts.push(...newConflicts);
          if (w) {
            for (const c of newConflicts) recordConflict(project, w.opId, c, theirReplica, meta.package_identity ?? '{}', theirHead.version);
          }
          if (result.merged && !sameFeature(result.merged, oursNow)) {
            // Combined version: descends from both sides only if nothing conflicts, so the other side sees the same conflict.
            const parents = result.conflicts.length ? [ourHead.version] : [ourHead.version, theirHead.version];
            if (w) w.asVersion(newId(), parents, () => w.restore(layer, featureId, result.merged));
            report.combined++;
          } else if (!result.conflicts.length) report.unchanged++;
        }
        remoteRows += unknownRows(ours, theirs).length;
        if (w) appendRemoteRows(project, w, ours, theirs, theirReplica);
      }
    };

    const received = project.db.prepare(`SELECT 1 FROM outcrop_exchanges WHERE direction = 'received' AND package_uuid = ?`).get(meta.package_uuid);
    run(null);
    report.alreadyMerged = !!received;
    const changes = report.added + report.updated + report.deleted + report.combined + report.conflicts.length + remoteRows;
    // Dry run (the preview), or nothing to do: merging a package twice writes nothing at all.
    if (opts.dryRun || (changes === 0 && received)) return report;
    Object.assign(report, { added: 0, updated: 0, deleted: 0, combined: 0, unchanged: 0, conflicts: [] });
    await project.write('merge', `Merge ${report.package}${report.from.identity.team ? ` from ${report.from.identity.team}` : ''}`, (w) => {
      run(w);
      report.opId = w.opId;
      w.setDetails({ package: report.package, packageUuid: report.packageUuid, from: report.from, conflicts: report.conflicts.length });
      if (!received) {
        project.db
          .prepare(`INSERT INTO outcrop_exchanges (direction, package_uuid, peer, at, up_to_seq, details) VALUES ('received', ?, ?, ?, NULL, ?)`)
          .run(meta.package_uuid, theirReplica, new Date().toISOString(), JSON.stringify({ file: report.package, identity: report.from.identity }));
      }
    });
    report.alreadyMerged = !!received;
    return report;
  } finally {
    pkg.close();
  }
}

function openPackage(path: string): Database.Database {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    db.prepare('SELECT 1 FROM outcrop_history LIMIT 1').get();
    return db;
  } catch (err) {
    throw new OutcropError('BAD_INPUT', `${basename(path)} is not an Outcrop exchange package: ${(err as Error).message}`);
  }
}

function lastApplied(rows: HistRow[]): HistRow | undefined {
  for (let i = rows.length - 1; i >= 0; i--) if (rows[i].applied) return rows[i];
  return undefined;
}

function currentState(project: Project, layer: Layer, id: string): RecordFeature | null {
  const row = project.db.prepare(`SELECT * FROM ${layer} WHERE id = ?`).get(id) as Record<string, unknown> | undefined;
  return row ? rowToFeature(layer, row) : null;
}

/** The feature state a version stands for (null = deleted). */
function stateOf(graph: VersionGraph, version: string): RecordFeature | null {
  const row = graph.rowOf(version);
  if (!row) return null;
  return row.after ? (JSON.parse(row.after) as RecordFeature) : null;
}

class VersionGraph {
  private parents = new Map<string, string[]>();
  private rows = new Map<string, HistRow>();

  constructor(rows: HistRow[]) {
    for (const r of rows) {
      if (!r.version) continue;
      if (!this.parents.has(r.version)) this.parents.set(r.version, JSON.parse(r.parents));
      if (!this.rows.has(r.version) || (r.applied && r.after)) this.rows.set(r.version, r);
    }
  }

  rowOf(v: string): HistRow | undefined {
    return this.rows.get(v);
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
    return lowest.sort((x, y) => (this.rows.get(y)?.seq ?? 0) - (this.rows.get(x)?.seq ?? 0))[0];
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

/** Keep their journal rows we lack (applied = 0): ancestry for later merges, audit of who did what. */
function unknownRows(ours: HistRow[], theirs: HistRow[]): HistRow[] {
  const known = new Set(ours.map((r) => `${r.version}|${r.op_uuid}`));
  return theirs.filter((r) => !known.has(`${r.version}|${r.op_uuid}`));
}

function appendRemoteRows(project: Project, w: WriteSession, ours: HistRow[], theirs: HistRow[], theirReplica: string): void {
  const opIdOf = project.db.prepare('SELECT op_id FROM outcrop_ops WHERE uuid = ?').pluck();
  const insertOp = project.db.prepare('INSERT INTO outcrop_ops (uuid, kind, label, actor, at, details, origin) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const r of unknownRows(ours, theirs)) {
    let opId = opIdOf.get(r.op_uuid) as number | undefined;
    if (opId === undefined) opId = Number(insertOp.run(r.op_uuid, r.kind, r.label, r.actor, r.at, r.details, r.origin ?? theirReplica).lastInsertRowid);
    w.writeHistory({
      layer: r.layer, featureId: r.feature_id, action: r.action, before: r.before, after: r.after,
      version: r.version, parents: JSON.parse(r.parents), applied: false, opId,
    });
  }
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
