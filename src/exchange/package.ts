import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { OutcropError } from '../errors';
import { Project } from '../store/project';
import { type Identity, projectIdentity, replicaId } from './identity';
import { historyColumnsSql } from '../store/history-after';

export interface PackageOptions {
  /** Only features changed after this point: 'last' (the last package sent), an ISO date, or a history seq. */
  since?: string;
  /** Overrides of the project's identity (team, agency, country, observer, device). */
  identity?: Identity;
}

export interface PackageResult {
  file: string;
  packageUuid: string;
  features: number;
  historyRows: number;
  sinceSeq: number;
  upToSeq: number;
}

/**
 * Write an exchange package: a self-describing Outcrop GeoPackage holding the current state of
 * every feature changed since `since`, the complete history of those features (versions and
 * parents, so the receiver can find common ancestors) and the operations they belong to, with
 * the sender's replica id and identity. Written to a temporary file and renamed: never half.
 */
export async function createPackage(project: Project, outPath: string, opts: PackageOptions = {}): Promise<PackageResult> {
  const out = resolve(outPath);
  if (out === project.file) throw new OutcropError('USAGE', 'the package cannot be the project itself');
  if (existsSync(out)) throw new OutcropError('USAGE', `${basename(out)} already exists; choose a new name for the package`);
  const db = project.db;
  const sinceSeq = resolveSince(project, opts.since);
  const upToSeq = (db.prepare('SELECT coalesce(max(seq), 0) FROM outcrop_history').pluck().get() as number) ?? 0;
  const origin = replicaId(project);
  const identity = { ...projectIdentity(project), ...(opts.identity ?? {}) };
  const packageUuid = randomUUID();
  const tmp = `${out}.partial-${packageUuid.slice(0, 8)}`;

  // An empty Outcrop project of the same schema is the container.
  Project.open(tmp, { create: true }).close();
  db.prepare('ATTACH DATABASE ? AS pkg').run(tmp);
  let features = 0;
  let historyRows = 0;
  try {
    db.transaction(() => {
      db.exec(`CREATE TEMP TABLE changed AS SELECT DISTINCT layer, feature_id FROM main.outcrop_history WHERE seq > ${sinceSeq}`);
      for (const layer of ['deposits', 'surveys']) {
        const cols = (db.prepare(`SELECT name FROM pragma_table_info('${layer}') WHERE name != 'fid'`).pluck().all() as string[]).join(', ');
        features += db
          .prepare(`INSERT INTO pkg.${layer} (${cols}) SELECT ${cols} FROM main.${layer} WHERE id IN (SELECT feature_id FROM temp.changed WHERE layer = ?) ORDER BY fid`)
          .run(layer).changes;
      }
      db.exec(`
        INSERT INTO pkg.outcrop_ops (op_id, uuid, kind, label, actor, at, undoes, undone_by, details, origin)
          SELECT op_id, uuid, kind, label, actor, at, NULL, NULL, details, coalesce(origin, '${origin}') FROM main.outcrop_ops
          WHERE op_id IN (SELECT op_id FROM main.outcrop_history WHERE feature_id IN (SELECT feature_id FROM temp.changed));
      `);
      historyRows = db
        .prepare(
          `INSERT INTO pkg.outcrop_history (seq, op_id, layer, feature_id, action, before, after, version, parents, applied)
           SELECT ${historyColumnsSql()} FROM main.outcrop_history h
           WHERE h.feature_id IN (SELECT feature_id FROM temp.changed) ORDER BY h.seq`,
        )
        .run().changes;
      const meta = db.prepare(`INSERT INTO pkg.outcrop_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
      meta.run('package_uuid', packageUuid);
      meta.run('package_origin', origin);
      meta.run('package_identity', JSON.stringify(identity));
      meta.run('package_created_at', new Date().toISOString());
      meta.run('package_created_by', project.actor ?? '');
      meta.run('package_since_seq', String(sinceSeq));
      meta.run('package_up_to_seq', String(upToSeq));
      meta.run('replica_id', origin);
      db.prepare(
        `INSERT INTO main.outcrop_exchanges (direction, package_uuid, peer, at, up_to_seq, details) VALUES ('sent', ?, NULL, ?, ?, ?)`,
      ).run(packageUuid, new Date().toISOString(), upToSeq, JSON.stringify({ file: basename(out), features, sinceSeq }));
      db.exec('DROP TABLE temp.changed');
    })();
  } catch (err) {
    db.exec('DETACH DATABASE pkg');
    await rm(tmp, { force: true });
    throw err;
  }
  db.exec('DETACH DATABASE pkg');
  // Leave a standalone single file (no -wal beside it) before it is handed over.
  const { default: Database } = await import('better-sqlite3');
  const p = new Database(tmp);
  p.pragma('journal_mode = DELETE');
  p.close();
  await rename(tmp, out);
  return { file: out, packageUuid, features, historyRows, sinceSeq, upToSeq };
}

function resolveSince(project: Project, since: string | undefined): number {
  if (!since) return 0;
  const db = project.db;
  if (since === 'last') {
    return (db.prepare(`SELECT coalesce(max(up_to_seq), 0) FROM outcrop_exchanges WHERE direction = 'sent'`).pluck().get() as number) ?? 0;
  }
  if (/^\d+$/.test(since)) return Number(since);
  const t = Date.parse(since);
  if (Number.isNaN(t)) throw new OutcropError('USAGE', `--since must be "last", a date like 2026-11-01 or a history number; got "${since}"`);
  const iso = new Date(t).toISOString();
  return (
    (db.prepare(`SELECT coalesce(max(h.seq), 0) FROM outcrop_history h JOIN outcrop_ops o USING (op_id) WHERE o.at < ?`).pluck().get(iso) as number) ?? 0
  );
}
