import type Database from 'better-sqlite3';
import { DEPOSIT_COLUMNS, insertValuesToFeatureJson, type Layer, type SqlValue, SURVEY_COLUMNS } from './columns';
import { decodeGeometry } from './gpkg/geometry-blob';
import type { WriteSession } from './write-session';

/**
 * Edits made to a project by other programs (QGIS, GDAL, sqlite3) go around Outcrop's history, so
 * on their own they would never reach another team: a package would carry the new state under the
 * old version, and a merge would call both sides "already equal". Triggers on the feature tables
 * (installed by migration 7) log every change made while no Outcrop write is running, with the
 * row as it was; the next Outcrop write (or opening the project for writing) turns the log into
 * history rows of one operation, "Changes made outside Outcrop", like any other: new versions
 * that travel, an audit trail, and undo.
 *
 * Outcrop's own writes mark themselves with a row in `outcrop_meta` inside their transaction,
 * which no other connection ever sees (it is deleted before COMMIT, or rolled back with it).
 */
export const OUTCROP_WRITING_KEY = 'outcrop_writing';

const columnsOf = (layer: Layer) => (layer === 'deposits' ? DEPOSIT_COLUMNS : SURVEY_COLUMNS);

/** The logging triggers of one feature table (migration 7; again whenever its columns change). */
export function outsideEditTriggersSql(layer: Layer, columns: readonly string[] = columnsOf(layer)): string {
  const old = `json_array(${columns.map((c) => `OLD."${c}"`).join(', ')})`;
  const when = `WHEN NOT EXISTS (SELECT 1 FROM outcrop_meta WHERE key = '${OUTCROP_WRITING_KEY}')`;
  return `
CREATE TRIGGER outcrop_outside_insert_${layer} AFTER INSERT ON ${layer} ${when}
BEGIN
  INSERT INTO outcrop_outside_edits (layer, action, fid, feature_id) VALUES ('${layer}', 'insert', NEW.fid, NEW.id);
END;
CREATE TRIGGER outcrop_outside_update_${layer} AFTER UPDATE ON ${layer} ${when}
BEGIN
  INSERT INTO outcrop_outside_edits (layer, action, fid, feature_id, geom, vals) VALUES ('${layer}', 'update', OLD.fid, OLD.id, OLD.geom, ${old});
END;
CREATE TRIGGER outcrop_outside_delete_${layer} AFTER DELETE ON ${layer} ${when}
BEGIN
  INSERT INTO outcrop_outside_edits (layer, action, fid, feature_id, geom, vals) VALUES ('${layer}', 'delete', OLD.fid, OLD.id, OLD.geom, ${old});
END;`;
}

export function dropOutsideEditTriggersSql(layer: Layer): string {
  return ['insert', 'update', 'delete'].map((a) => `DROP TRIGGER IF EXISTS outcrop_outside_${a}_${layer};`).join('\n');
}

/** Mark the open transaction as Outcrop's own (see OUTCROP_WRITING_KEY). */
export function markOutcropWrite(db: Database.Database, schema = 'main'): void {
  db.prepare(`INSERT OR REPLACE INTO ${schema}.outcrop_meta (key, value) VALUES (?, '1')`).run(OUTCROP_WRITING_KEY);
}

export function unmarkOutcropWrite(db: Database.Database, schema = 'main'): void {
  db.prepare(`DELETE FROM ${schema}.outcrop_meta WHERE key = ?`).run(OUTCROP_WRITING_KEY);
}

export function hasOutsideEdits(db: Database.Database): boolean {
  return db.prepare('SELECT EXISTS (SELECT 1 FROM outcrop_outside_edits)').pluck().get() === 1;
}

interface LoggedEdit {
  layer: Layer;
  action: 'insert' | 'update' | 'delete';
  fid: number;
  feature_id: string | null;
  geom: Buffer | null;
  vals: string | null;
}

/**
 * Journal the logged outside edits, in the order they were made, as changes of the session's
 * operation, and empty the log. An update's after-image is the row as the next logged edit of
 * the same feature found it, or as it is now; an update that changed the id is a delete of the
 * old id and an insert of the new one. Returns how many edits were adopted.
 */
export function adoptOutsideEdits(w: WriteSession): { adopted: number; skipped: number } {
  const db = w.project.db;
  const log = db.prepare('SELECT layer, action, fid, feature_id, geom, vals FROM outcrop_outside_edits ORDER BY id').all() as LoggedEdit[];
  // History form of a row from its values (as the log keeps them): a geometry another program
  // left NULL is a null geometry, not an error.
  const stateFrom = (layer: Layer, geom: Buffer | null, values: SqlValue[]) =>
    insertValuesToFeatureJson(layer, [geom, ...values] as SqlValue[], geom ? JSON.stringify(decodeGeometry(geom)) : 'null');
  const current = (layer: Layer, fid: number): string | null => {
    const row = db.prepare(`SELECT geom, ${columnsOf(layer).join(', ')} FROM ${layer} WHERE fid = ?`).raw().get(fid) as SqlValue[] | undefined;
    return row ? stateFrom(layer, row[0] as Buffer | null, row.slice(1)) : null;
  };
  const stateOf = (e: LoggedEdit): string => stateFrom(e.layer, e.geom, JSON.parse(e.vals ?? '[]') as SqlValue[]);
  const idOf = (state: string | null) => (state === null ? null : (JSON.parse(state) as { id: string | null }).id);
  // For each logged edit, the next update or delete of the same row (-1: none), in one pass from
  // the end: a field calculated over 110k rows in QGIS logs 110k updates.
  const next = new Int32Array(log.length).fill(-1);
  const laterOf = new Map<string, number>();
  for (let i = log.length - 1; i >= 0; i--) {
    const key = `${log[i].layer}:${log[i].fid}`;
    next[i] = laterOf.get(key) ?? -1;
    if (log[i].action !== 'insert') laterOf.set(key, i);
  }
  let skipped = 0;
  for (let i = 0; i < log.length; i++) {
    try {
      adoptOne(i);
    } catch {
      // A row this version cannot read back (a geometry blob GDAL would not write …): left out of
      // the journal rather than blocking every write of the project; counted in the operation.
      skipped++;
    }
  }
  db.prepare('DELETE FROM outcrop_outside_edits').run();
  // The tables changed, journaled or not: their gpkg_contents rows (extent, last_change) are brought up to date.
  for (const layer of new Set(log.map((e) => e.layer))) w.markChanged(layer);
  return { adopted: log.length - skipped, skipped };

  function adoptOne(i: number): void {
    const e = log[i];
    if (e.action === 'insert') {
      if (e.feature_id !== null) w.journalOutsideEdit(e.layer, e.feature_id, 'insert', null, null);
      return;
    }
    const before = stateOf(e);
    const oldId = e.feature_id;
    if (oldId === null) return; // a row without an id (NOT NULL forbids it): nothing to journal
    if (e.action === 'delete') {
      w.journalOutsideEdit(e.layer, oldId, 'delete', before, null);
      return;
    }
    const after = next[i] >= 0 ? stateOf(log[next[i]]) : current(e.layer, e.fid);
    const newId = idOf(after);
    if (after === null || newId === null) return;
    if (newId === oldId) {
      w.journalOutsideEdit(e.layer, oldId, 'update', before, after);
    } else {
      w.journalOutsideEdit(e.layer, oldId, 'delete', before, null);
      w.journalOutsideEdit(e.layer, newId, 'insert', null, null);
    }
  }
}
