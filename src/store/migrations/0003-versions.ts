import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Migration } from './types';

/**
 * Versions for merging between teams (docs/exchange-design.md). Every history row now names the
 * feature state it produced (`version`) and the states it was made from (`parents`), so two
 * projects can find the common ancestor of a feature and merge per field. `applied` = 0 marks
 * rows received from another project that describe their changes, not ours. Also: the
 * project's replica id, remote op origins, the conflicts table and the exchange log.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'feature versions, conflicts and exchanges for merging between teams',
  up(db: Database.Database) {
    db.exec(`
ALTER TABLE outcrop_history ADD COLUMN version TEXT;
ALTER TABLE outcrop_history ADD COLUMN parents TEXT NOT NULL DEFAULT '[]';
ALTER TABLE outcrop_history ADD COLUMN applied INTEGER NOT NULL DEFAULT 1;
ALTER TABLE outcrop_ops ADD COLUMN origin TEXT;
CREATE INDEX outcrop_history_version ON outcrop_history(version);

CREATE TABLE outcrop_conflicts (
  conflict_id INTEGER PRIMARY KEY,
  merge_op_id INTEGER NOT NULL REFERENCES outcrop_ops(op_id),
  layer TEXT NOT NULL,
  feature_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('field', 'edit-delete', 'delete-edit', 'insert-insert')),
  field TEXT,
  base TEXT,
  ours TEXT,
  theirs TEXT,
  their_origin TEXT,
  their_identity TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  resolution TEXT,
  resolved_by TEXT,
  resolved_at TEXT
) STRICT;
CREATE INDEX outcrop_conflicts_feature ON outcrop_conflicts(feature_id);

CREATE TABLE outcrop_exchanges (
  exchange_id INTEGER PRIMARY KEY,
  direction TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
  package_uuid TEXT NOT NULL,
  peer TEXT,
  at TEXT NOT NULL,
  up_to_seq INTEGER,
  details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
) STRICT;

INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES
 ('outcrop_conflicts', 'attributes', 'outcrop_conflicts', 'Outcrop merge conflicts: base, ours and theirs kept until resolved'),
 ('outcrop_exchanges', 'attributes', 'outcrop_exchanges', 'Outcrop exchange packages sent and received');
`);
    // Backfill: each existing row produces a new version whose parent is the previous row's.
    const rows = db.prepare('SELECT seq, feature_id FROM outcrop_history ORDER BY seq').all() as { seq: number; feature_id: string }[];
    const last = new Map<string, string>();
    const upd = db.prepare('UPDATE outcrop_history SET version = ?, parents = ? WHERE seq = ?');
    for (const r of rows) {
      const v = randomUUID();
      const prev = last.get(r.feature_id);
      upd.run(v, JSON.stringify(prev ? [prev] : []), r.seq);
      last.set(r.feature_id, v);
    }
    db.prepare(`INSERT INTO outcrop_meta (key, value) VALUES ('replica_id', ?) ON CONFLICT(key) DO NOTHING`).run(randomUUID());
  },
};
