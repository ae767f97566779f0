import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { codedError, environmentError } from '../errors';
import { partialPath, sweepStalePartials } from '../formats/atomic-write';
import { coded } from '../messages/en';
import { Project } from '../store/project';
import { type Identity, projectIdentity, replicaId } from './identity';
import { historyColumnsSql, registerHistoryFunctions } from '../store/history-after';
import { markOutcropWrite, unmarkOutcropWrite } from '../store/outside-edits';
import { registerGpkgFunctions } from '../store/gpkg/sql-functions';
import type { TaskOptions } from '../task';

export interface PackageOptions extends TaskOptions {
  /** Only features changed after this point: 'last' (the last package sent), an ISO date, or a history seq. */
  since?: string;
  /** Overrides of the project's identity (team, agency, country, observer, device). */
  identity?: Identity;
  /** Replace an existing file at the path (the new package is written beside it and renamed over it at the end). */
  overwrite?: boolean;
}

export interface PackageResult {
  file: string;
  packageUuid: string;
  features: number;
  historyRows: number;
  sinceSeq: number;
  upToSeq: number;
  /**
   * Why the package, though complete and in place, could not be recorded as sent (the project
   * locked by another program, a full disk): the next package "since the last" then includes
   * these changes again, which a merge takes as already seen.
   */
  notRecorded?: string;
}

/**
 * Write an exchange package: a self-describing Outcrop GeoPackage holding the current state of
 * every feature changed since `since`, the complete history of those features (versions and
 * parents, so the receiver can find common ancestors) and the operations they belong to, with
 * the sender's replica id and identity. A long task: the package is written by its own
 * connection, which reads the project in one snapshot (edits made meanwhile are left for the
 * next package), in chunks with progress ('records', then 'history') and a look at the signal
 * between them. Written to a temporary file and renamed: never half; a cancel leaves no file
 * and the project unchanged.
 */
export async function createPackage(project: Project, outPath: string, opts: PackageOptions = {}): Promise<PackageResult> {
  const out = resolve(outPath);
  if (out === project.file) throw codedError('USAGE', coded('package.isTheProject'));
  if (existsSync(out) && !opts.overwrite) throw codedError('USAGE', coded('package.exists', { file: basename(out) }));
  // Edits another program made meanwhile become history first, so that they travel too.
  project.adoptOutsideEdits();
  const sinceSeq = resolveSince(project, opts.since);
  const origin = replicaId(project);
  const identity = { ...projectIdentity(project), ...(opts.identity ?? {}) };
  const packageUuid = randomUUID();
  sweepStalePartials(out);
  const tmp = partialPath(out);

  // An empty Outcrop project of the same schema is the container.
  Project.open(tmp, { create: true }).close();
  const db = new Database(tmp);
  registerGpkgFunctions(db);
  registerHistoryFunctions(db);
  let features = 0;
  let historyRows = 0;
  let upToSeq = 0;
  try {
    db.prepare('ATTACH DATABASE ? AS src').run(project.file);
    db.exec('BEGIN');
    markOutcropWrite(db); // the container's copies are Outcrop's, not outside edits
    // The first read of src starts the snapshot every later chunk reads.
    upToSeq = db.prepare('SELECT coalesce(max(seq), 0) FROM src.outcrop_history').pluck().get() as number;
    db.exec(`CREATE TEMP TABLE changed AS SELECT DISTINCT layer, feature_id FROM src.outcrop_history WHERE seq > ${sinceSeq}`);
    db.exec('CREATE INDEX temp.changed_feature ON changed(feature_id, layer)');
    const total = db.prepare('SELECT count(*) FROM temp.changed').pluck().get() as number;
    const records = pacer(opts, 'records', total, 'features');
    await records(0);
    for (const layer of ['deposits', 'surveys'] as const) {
      const cols = (db.prepare(`SELECT name FROM pragma_table_info('${layer}') WHERE name != 'fid'`).pluck().all() as string[]).join(', ');
      const copy = db.prepare(
        `INSERT INTO main.${layer} (${cols}) SELECT ${cols} FROM src.${layer} r
         WHERE r.fid > ? AND r.fid <= ? AND EXISTS (SELECT 1 FROM temp.changed c WHERE c.feature_id = r.id AND c.layer = '${layer}') ORDER BY r.fid`,
      );
      const maxFid = (db.prepare(`SELECT coalesce(max(fid), 0) FROM src.${layer}`).pluck().get() as number) ?? 0;
      for (let from = 0; from < maxFid; from += CHUNK) {
        features += copy.run(from, from + CHUNK).changes;
        await records(features);
      }
    }
    await records(total); // deleted features have history only
    db.exec(`
      INSERT INTO main.outcrop_ops (op_id, uuid, kind, label, actor, at, undoes, undone_by, details, origin)
        SELECT op_id, uuid, kind, label, actor, at, NULL, NULL, details, coalesce(origin, '${origin}') FROM src.outcrop_ops
        WHERE op_id IN (SELECT op_id FROM src.outcrop_history WHERE feature_id IN (SELECT feature_id FROM temp.changed));
    `);
    // EXISTS, not IN: SQLite would otherwise probe the history index once per changed feature in every chunk (40x slower).
    const inChanged = 'EXISTS (SELECT 1 FROM temp.changed c WHERE c.feature_id = h.feature_id)';
    const rows = db.prepare(`SELECT count(*) FROM src.outcrop_history h WHERE ${inChanged}`).pluck().get() as number;
    const history = pacer(opts, 'history', rows, 'rows');
    await history(0);
    const copyHistory = db.prepare(
      `INSERT INTO main.outcrop_history (seq, op_id, layer, feature_id, action, before, after, version, parents, applied)
       SELECT ${historyColumnsSql('h', 'src')} FROM src.outcrop_history h
       WHERE h.seq > ? AND h.seq <= ? AND ${inChanged} ORDER BY h.seq`,
    );
    for (let from = 0; from < upToSeq; from += CHUNK) {
      historyRows += copyHistory.run(from, from + CHUNK).changes;
      await history(historyRows);
    }
    const meta = db.prepare(`INSERT INTO main.outcrop_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
    meta.run('package_uuid', packageUuid);
    meta.run('package_origin', origin);
    meta.run('package_identity', JSON.stringify(identity));
    meta.run('package_created_at', new Date().toISOString());
    meta.run('package_created_by', project.actor ?? '');
    meta.run('package_since_seq', String(sinceSeq));
    meta.run('package_up_to_seq', String(upToSeq));
    meta.run('replica_id', origin);
    // The container's own file identity: whoever opens a package for writing gets a replica id of their own.
    db.prepare(`DELETE FROM main.outcrop_meta WHERE key = 'replica_file'`).run();
    unmarkOutcropWrite(db);
    db.exec('COMMIT');
    db.exec('DETACH DATABASE src');
    // Leave a standalone single file (no -wal beside it) before it is handed over.
    db.pragma('journal_mode = DELETE');
    db.close();
    await rename(tmp, out);
  } catch (err) {
    if (db.open) {
      if (db.inTransaction) db.exec('ROLLBACK');
      db.close();
    }
    await rm(tmp, { force: true });
    await rm(`${tmp}-wal`, { force: true });
    await rm(`${tmp}-shm`, { force: true });
    throw err;
  }
  // Sent: the next package "since the last" starts after what this one holds.
  // Logged after the file is in place under its name, in a transaction of its own (never inside a merge running meanwhile).
  let notRecorded: string | undefined;
  try {
    await project.writeMeta(() =>
      project.db
        .prepare(`INSERT INTO outcrop_exchanges (direction, package_uuid, peer, at, up_to_seq, details) VALUES ('sent', ?, NULL, ?, ?, ?)`)
        .run(packageUuid, new Date().toISOString(), upToSeq, JSON.stringify({ file: basename(out), features, sinceSeq })),
    );
  } catch (err) {
    const env = environmentError(err);
    if (!env) throw err;
    notRecorded = env.message; // the package is good; only the bookkeeping of "sent" is missing
  }
  return { file: out, packageUuid, features, historyRows, sinceSeq, upToSeq, ...(notRecorded ? { notRecorded } : {}) };
}

/** Rows per statement between two looks at the signal. */
const CHUNK = 10000;

/** Progress after each chunk, with a yield to the event loop and a look at the signal. */
function pacer(opts: TaskOptions, phase: string, total: number, unit: 'features' | 'rows') {
  return async (done: number): Promise<void> => {
    opts.signal?.throwIfAborted();
    opts.onProgress?.({ phase, done, total, unit });
    await new Promise<void>((r) => setImmediate(r));
    opts.signal?.throwIfAborted();
  };
}

function resolveSince(project: Project, since: string | undefined): number {
  if (!since) return 0;
  const db = project.db;
  if (since === 'last') {
    return (db.prepare(`SELECT coalesce(max(up_to_seq), 0) FROM outcrop_exchanges WHERE direction = 'sent'`).pluck().get() as number) ?? 0;
  }
  if (/^\d+$/.test(since)) return Number(since);
  const t = Date.parse(since);
  if (Number.isNaN(t)) throw codedError('USAGE', coded('package.badSince', { since }));
  const iso = new Date(t).toISOString();
  return (
    (db.prepare(`SELECT coalesce(max(h.seq), 0) FROM outcrop_history h JOIN outcrop_ops o USING (op_id) WHERE o.at < ?`).pluck().get(iso) as number) ?? 0
  );
}
