import { codedError } from '../errors';
import { coded } from '../messages/en';
import { newId } from '../model/ids';
import type { Layer, RecordFeature } from '../store/columns';
import { rowToFeature } from '../store/columns';
import type { Project } from '../store/project';

export interface ConflictRecord {
  conflictId: number;
  mergeOpId: number;
  layer: Layer;
  featureId: string;
  kind: 'field' | 'edit-delete' | 'delete-edit' | 'insert-insert';
  field: string | null;
  base: unknown;
  ours: unknown;
  theirs: unknown;
  theirOrigin: string | null;
  theirIdentity: Record<string, unknown>;
  status: 'open' | 'resolved';
  resolution: unknown;
  resolvedBy: string | null;
  resolvedAt: string | null;
}

const toRecord = (r: any): ConflictRecord => ({
  conflictId: r.conflict_id,
  mergeOpId: r.merge_op_id,
  layer: r.layer,
  featureId: r.feature_id,
  kind: r.kind,
  field: r.field,
  base: JSON.parse(r.base ?? 'null'),
  ours: JSON.parse(r.ours ?? 'null'),
  theirs: JSON.parse(r.theirs ?? 'null'),
  theirOrigin: r.their_origin,
  theirIdentity: JSON.parse(r.their_identity),
  status: r.status,
  resolution: r.resolution ? JSON.parse(r.resolution) : null,
  resolvedBy: r.resolved_by,
  resolvedAt: r.resolved_at,
});

export function listConflicts(project: Project, opts: { all?: boolean; featureId?: string } = {}): ConflictRecord[] {
  const where = [opts.all ? '' : `status = 'open'`, opts.featureId ? 'feature_id = ?' : ''].filter(Boolean);
  const rows = project.db
    .prepare(`SELECT * FROM outcrop_conflicts ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY conflict_id`)
    .all(...(opts.featureId ? [opts.featureId] : []));
  return rows.map(toRecord);
}

/** Keep ours, take theirs, or (field conflicts) set a value of your own. */
export type Resolution = { take: 'ours' } | { take: 'theirs' } | { value: unknown };

/**
 * Resolve a merge conflict as one undoable operation. The resolved state is recorded as a
 * version descending from both sides, so when the other team merges it they adopt the
 * resolution and their own copy of the conflict closes.
 */
export async function resolveConflict(project: Project, conflictId: number, resolution: Resolution): Promise<ConflictRecord> {
  const row = project.db.prepare('SELECT * FROM outcrop_conflicts WHERE conflict_id = ?').get(conflictId);
  if (!row) throw codedError('NOT_FOUND', coded('conflict.notFound', { id: conflictId }));
  const c = toRecord(row);
  if (c.status === 'resolved') throw codedError('USAGE', coded('conflict.resolved', { id: conflictId }));
  if ('value' in resolution && c.kind !== 'field' && c.kind !== 'insert-insert') {
    throw codedError('USAGE', coded('conflict.wholeFeature', { id: conflictId, conflictKind: c.kind }));
  }
  const theirVersion = String(c.theirIdentity.version ?? '');
  await project.write('resolve', `Resolve conflict on ${c.field ?? c.featureId}`, (w) => {
    const current = project.db.prepare(`SELECT * FROM ${c.layer} WHERE id = ?`).get(c.featureId) as Record<string, unknown> | undefined;
    const ours = current ? rowToFeature(c.layer, current) : null;
    let next: RecordFeature | null = ours;
    if (c.kind === 'field' || c.kind === 'insert-insert') {
      if (!ours) throw codedError('USAGE', coded('conflict.featureGone', { id: conflictId }));
      const value = 'value' in resolution ? resolution.value : resolution.take === 'theirs' ? c.theirs : c.ours;
      next = { ...ours, properties: { ...ours.properties } };
      if (c.field === 'geometry') next.geometry = value as RecordFeature['geometry'];
      else next.properties[c.field!] = value;
    } else if ('take' in resolution && resolution.take === 'theirs') {
      next = c.kind === 'edit-delete' ? (c.theirs as RecordFeature) : null; // they edited what we deleted / they deleted what we edited
    }
    const head = w.headVersion(c.featureId);
    const parents = [head, theirVersion].filter((v): v is string => !!v);
    w.asVersion(newId(), parents, () => {
      if (next === null && ours === null) {
        // stays deleted: still record a version joining both sides, so the other team adopts the delete
        w.writeHistory({ layer: c.layer, featureId: c.featureId, action: 'delete', before: null, after: null, version: newId(), parents, applied: true });
      } else w.restore(c.layer, c.featureId, next);
    });
    project.db
      .prepare(`UPDATE outcrop_conflicts SET status = 'resolved', resolution = ?, resolved_by = ?, resolved_at = ? WHERE conflict_id = ?`)
      .run(JSON.stringify(resolution), project.actor, w.at, conflictId);
  });
  return listConflicts(project, { all: true }).find((x) => x.conflictId === conflictId)!;
}
