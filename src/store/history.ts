import { codedError, OutcropError } from '../errors';
import { coded } from '../messages/en';
import type { TaskOptions } from '../task';
import type { WriteSession } from './write-session';
import type { Layer, RecordFeature } from './columns';
import { historyColumnsSql } from './history-after';
import type { Project } from './project';
import { REFERENCE_REVERTIBLE, type ReferenceSwap, swapReferenceState } from './reference-layers';
import { revertSiteChanges, SITES_REVERTIBLE, type SiteChange } from './sites';

export interface OpRecord {
  opId: number;
  uuid: string;
  kind: string;
  label: string;
  actor: string | null;
  at: string;
  undoes: number | null;
  undoneBy: number | null;
  /** Replica id of the project the operation was made in; null = made here. */
  origin: string | null;
  details: Record<string, unknown>;
}

export interface HistoryEntry {
  seq: number;
  opId: number;
  layer: Layer;
  featureId: string;
  action: 'insert' | 'update' | 'delete';
  before: RecordFeature | null;
  after: RecordFeature | null;
  actor: string | null;
  at: string;
  kind: string;
}

const toOp = (r: any): OpRecord => ({
  opId: r.op_id,
  uuid: r.uuid,
  kind: r.kind,
  label: r.label,
  actor: r.actor,
  at: r.at,
  undoes: r.undoes,
  undoneBy: r.undone_by,
  origin: r.origin ?? null,
  details: JSON.parse(r.details),
});

/** Operations, newest first. */
export function listOps(project: Project, limit = 100): OpRecord[] {
  return (project.db.prepare('SELECT * FROM outcrop_ops ORDER BY op_id DESC LIMIT ?').all(limit) as any[]).map(toOp);
}

/** Every recorded change of one feature, oldest first (the audit trail). */
export function featureHistory(project: Project, featureId: string): HistoryEntry[] {
  const rows = project.db
    .prepare(
      `SELECT ${historyColumnsSql()}, o.actor, o.at, o.kind FROM outcrop_history h JOIN outcrop_ops o USING (op_id)
       WHERE h.feature_id = ? AND h.applied = 1 ORDER BY h.seq`,
    )
    .all(featureId) as any[];
  return rows.map((r) => ({
    seq: r.seq,
    opId: r.op_id,
    layer: r.layer,
    featureId: r.feature_id,
    action: r.action,
    before: r.before ? JSON.parse(r.before) : null,
    after: r.after ? JSON.parse(r.after) : null,
    actor: r.actor,
    at: r.at,
    kind: r.kind,
  }));
}

/**
 * Site operations are journalled in their details (`SiteChange`s, see src/store/sites.ts), not in
 * outcrop_history. Those written before the journal was complete (no SITES_REVERTIBLE mark)
 * cannot be reverted, so they are not offered for undo (rather than "undone" while unchanged).
 */
// Reference-layer imports/deletions (kind 'reference-*', src/store/reference-layers.ts) keep the
// rows they take out in a trash table (migration 0006) and say so in their details; those written
// before that (no REFERENCE_REVERTIBLE mark) deleted them and cannot be reverted.
const UNDOABLE_SITE_OP = `((kind NOT LIKE 'reference-%' OR json_extract(details, '$.${REFERENCE_REVERTIBLE}') = 1) AND (kind NOT LIKE 'site-%' OR json_extract(details, '$.${SITES_REVERTIBLE}') = 1))`;

/**
 * Linear undo: the newest operation that is in effect and is not itself an undo. A new edit
 * after an undo makes the undone operations unreachable for redo (as in every editor).
 */
export function undoTarget(project: Project): OpRecord | undefined {
  const row = project.db
    .prepare(`SELECT * FROM outcrop_ops WHERE kind != 'undo' AND ${UNDOABLE_SITE_OP} AND undone_by IS NULL AND origin IS NULL ORDER BY op_id DESC LIMIT 1`)
    .get();
  return row ? toOp(row) : undefined;
}

/** The newest operation that cuts redo off: an undoable, local operation that is no undo or redo. */
const LAST_REGULAR_OP = `COALESCE((SELECT max(op_id) FROM outcrop_ops WHERE kind NOT IN ('undo', 'redo') AND ${UNDOABLE_SITE_OP} AND origin IS NULL), 0)`;

/**
 * Drop from the reference trash (migration 0006) what neither undo nor redo can bring back: the
 * rows an operation wrote that its undo took out, once that undo can no longer be redone (an
 * operation made since cut redo off, as redoTarget says). What an operation replaced or deleted
 * ('before') stays: undo can always walk back to it. Called as each operation ends.
 */
export function purgeUnreachableReferenceTrash(db: Project['db']): void {
  // Most operations find no undone reference import (the layers' trash is a row per layer).
  if (!db.prepare(`SELECT 1 FROM outcrop_reference_trash_layers WHERE state = 'after' LIMIT 1`).get()) return;
  const redoable = `SELECT json_extract(details, '$.reference.op') FROM outcrop_ops WHERE kind = 'undo' AND undone_by IS NULL AND origin IS NULL
      AND op_id > ${LAST_REGULAR_OP} AND json_extract(details, '$.${REFERENCE_REVERTIBLE}') = 1 AND json_extract(details, '$.reference.op') IS NOT NULL`;
  const gone = db.prepare(`SELECT DISTINCT op_id FROM outcrop_reference_trash_layers WHERE state = 'after' AND op_id NOT IN (${redoable})`).pluck().all() as number[];
  for (const op of gone) {
    db.prepare(`DELETE FROM outcrop_reference_trash WHERE op_id = ? AND state = 'after'`).run(op);
    db.prepare(`DELETE FROM outcrop_reference_trash_layers WHERE op_id = ? AND state = 'after'`).run(op);
  }
}

export function redoTarget(project: Project): OpRecord | undefined {
  const last = project.db.prepare(`SELECT * FROM outcrop_ops ORDER BY op_id DESC LIMIT 1`).get() as any;
  if (!last) return undefined;
  // Only a run of undos at the top of the stack can be redone; redo replays the newest one.
  const row = project.db
    .prepare(
      `SELECT * FROM outcrop_ops WHERE kind = 'undo' AND undone_by IS NULL AND origin IS NULL AND op_id > ${LAST_REGULAR_OP}
       ORDER BY op_id DESC LIMIT 1`,
    )
    .get();
  return row ? toOp(row) : undefined;
}

/** Undo the newest operation in effect. Returns the new 'undo' operation, or undefined if none. */
export function undo(project: Project): OpRecord | undefined {
  // Edits another program made since are an operation of their own, newer than any here: journal
  // them first, so that undo takes back the newest change and never writes over one unseen.
  project.adoptOutsideEdits();
  const target = undoTarget(project);
  if (!target) return undefined;
  return revertNow(project, target, 'undo', `Undo ${target.label}`);
}

/** Redo the newest undone operation (reverting its undo). */
export function redo(project: Project): OpRecord | undefined {
  // As for undo: an outside edit is a new operation, which cuts redo off (see undo).
  project.adoptOutsideEdits();
  const target = redoTarget(project);
  if (!target) return undefined;
  return revertNow(project, target, 'redo', target.label.replace(/^Undo /, 'Redo '));
}

/**
 * `undo` for the app: the same operation, written in steps with a turn of the event loop
 * between them, so that undoing a 100,000-feature import (several seconds) leaves the app
 * answering (and reporting progress) instead of freezing; a cancel rolls it all back.
 */
export async function undoInSteps(project: Project, opts: TaskOptions = {}): Promise<OpRecord | undefined> {
  refuseWhileWriting(project);
  project.adoptOutsideEdits();
  const target = undoTarget(project);
  return target ? revertInSteps(project, target, 'undo', `Undo ${target.label}`, () => undoTarget(project), opts) : undefined;
}

/** `redo` in steps (see undoInSteps). */
export async function redoInSteps(project: Project, opts: TaskOptions = {}): Promise<OpRecord | undefined> {
  refuseWhileWriting(project);
  project.adoptOutsideEdits();
  const target = redoTarget(project);
  return target ? revertInSteps(project, target, 'redo', target.label.replace(/^Undo /, 'Redo '), () => redoTarget(project), opts) : undefined;
}

/**
 * An undo asked for while a long write (an import, a merge, another undo) is still running would
 * take back that operation once it ends, which is not what was clicked: refused, as writeSync does.
 */
function refuseWhileWriting(project: Project): void {
  if (project.db.inTransaction) throw codedError('USAGE', coded('project.busy', { project: project.name }));
}

function revertNow(project: Project, target: OpRecord, kind: 'undo' | 'redo', label: string): OpRecord {
  return project.writeSync(kind, label, (w) => {
    const steps = revertSteps(project, target, w);
    for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
  });
}

async function revertInSteps(
  project: Project,
  target: OpRecord,
  kind: 'undo' | 'redo',
  label: string,
  current: () => OpRecord | undefined,
  opts: TaskOptions,
): Promise<OpRecord> {
  return project.write(kind, label, async (w) => {
    // A write queued before this one (an import) may have made another operation the one to revert.
    if (current()?.opId !== target.opId) throw codedError('USAGE', coded('project.busy', { project: project.name }));
    const steps = revertSteps(project, target, w);
    for (let r = steps.next(); ; r = steps.next()) {
      if (r.done) return r.value;
      opts.onProgress?.({ phase: kind, done: r.value.done, total: r.value.total, unit: 'features' });
      opts.signal?.throwIfAborted();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  });
}

/** Changes reverted between turns of the event loop (revertInSteps). */
const REVERT_STEP = 2000;

/**
 * Apply the inverse of `target`'s changes, newest first, as one new operation (in the open
 * transaction of `w`), yielding how far it got every REVERT_STEP changes.
 */
function* revertSteps(project: Project, target: OpRecord, w: WriteSession): Generator<{ done: number; total: number }, OpRecord> {
  // Another team's operation (received in a package) is theirs: only the merge that brought it is undone here.
  if (target.origin !== null) throw new OutcropError('INTERNAL', `operation ${target.opId} came from another project and cannot be reverted here`);
  const changes = project.db
    .prepare('SELECT layer, feature_id, before FROM outcrop_history WHERE op_id = ? AND applied = 1 ORDER BY seq DESC')
    .all(target.opId) as { layer: Layer; feature_id: string; before: string | null }[];
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i];
    w.restore(c.layer, c.feature_id, c.before ? (JSON.parse(c.before) as RecordFeature) : null);
    if ((i + 1) % REVERT_STEP === 0 && i + 1 < changes.length) yield { done: i + 1, total: changes.length };
  }
  // Site changes (of a site operation, or of the undo/redo of one): reverted from the details,
  // and the inverse journalled in this operation's details so that it can be reverted in turn.
  const sites = target.details[SITES_REVERTIBLE] === true ? (target.details.sites as SiteChange[] | undefined) : undefined;
  if (sites?.length) w.setDetails({ layer: 'sites', sites: revertSiteChanges(project, sites), [SITES_REVERTIBLE]: true });
  // Reference layers (of an import/deletion, or of the undo/redo of one): their two states swapped.
  const reference = target.details[REFERENCE_REVERTIBLE] === true ? (target.details.reference as ReferenceSwap | undefined) : undefined;
  if (reference) w.setDetails({ layer: 'reference_features', reference: swapReferenceState(project, reference, w.opId), [REFERENCE_REVERTIBLE]: true });
  project.db.prepare('UPDATE outcrop_ops SET undoes = ? WHERE op_id = ?').run(target.opId, w.opId);
  const upd = project.db.prepare('UPDATE outcrop_ops SET undone_by = ? WHERE op_id = ? AND undone_by IS NULL').run(w.opId, target.opId);
  if (upd.changes !== 1) throw new OutcropError('INTERNAL', `operation ${target.opId} was already reverted`);
  w.setDetails({ reverted: target.opId });
  const row = project.db.prepare('SELECT * FROM outcrop_ops WHERE op_id = ?').get(w.opId);
  return toOp(row);
}
