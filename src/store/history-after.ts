import type Database from 'better-sqlite3';
import { DEPOSIT_COLUMNS, insertValuesToFeatureJson, type Layer, SURVEY_COLUMNS, type SqlValue } from './columns';
import { decodeStoredGeometry } from './gpkg/geometry-blob';

/**
 * The after-image of an insert is not stored: an `insert` row of `outcrop_history` has `after`
 * NULL, and the state it wrote is the `before` of the feature's next applied change or, when
 * there is none, the feature's row as it is now (every change of a feature row is journaled, so
 * the two cannot differ). Storing it again doubled what an import writes — for the 19 MB MinMod
 * CSV, 98 MB of a 175 MB project — and it was the largest part of an import's SQLite time.
 *
 * Every reader takes after-images through `afterSql` (SQL, so package copies and merges read
 * them in one statement). Updates and deletes keep storing theirs (deletes: NULL = gone).
 */
export function afterSql(h = 'h', schema = 'main'): string {
  return `COALESCE(${h}.after, CASE WHEN ${h}.action = 'insert' AND ${h}.applied = 1 THEN COALESCE(
    (SELECT n.before FROM ${schema}.outcrop_history n WHERE n.feature_id = ${h}.feature_id AND n.applied = 1 AND n.seq > ${h}.seq ORDER BY n.seq LIMIT 1),
    CASE ${h}.layer
      WHEN 'deposits' THEN (SELECT ${ROW_JSON_FN}('deposits', ${rowArgs('deposits')}) FROM ${schema}.deposits r WHERE r.id = ${h}.feature_id)
      WHEN 'surveys' THEN (SELECT ${ROW_JSON_FN}('surveys', ${rowArgs('surveys')}) FROM ${schema}.surveys r WHERE r.id = ${h}.feature_id)
    END) END)`;
}

/** Every column of an `outcrop_history` row aliased `h`, with the after-image resolved. */
export function historyColumnsSql(h = 'h', schema = 'main'): string {
  return `${h}.seq, ${h}.op_id, ${h}.layer, ${h}.feature_id, ${h}.action, ${h}.before, ${afterSql(h, schema)} AS after, ${h}.version, ${h}.parents, ${h}.applied`;
}

/** SQL function: a layer row's history JSON from its columns (no query inside: SQLite is busy then). */
const ROW_JSON_FN = 'outcrop_row_json';

const rowColumns = (layer: Layer) => ['geom', ...(layer === 'deposits' ? DEPOSIT_COLUMNS : SURVEY_COLUMNS)];
const rowArgs = (layer: Layer) => rowColumns(layer).map((c) => `r.${c}`).join(', ');

/** Register what `afterSql` calls; on every connection that reads history (Project.open does). */
export function registerHistoryFunctions(db: Database.Database): void {
  db.function(ROW_JSON_FN, { varargs: true, deterministic: true }, (layer: unknown, ...values: unknown[]) => {
    if (layer !== 'deposits' && layer !== 'surveys') return null;
    // A NULL geometry (cleared in another program, then deleted and put back by an undo) stays null.
    const geometry = values[0] == null ? null : decodeStoredGeometry(values[0] as Buffer, layer, null, values[1]);
    return insertValuesToFeatureJson(layer, values as SqlValue[], JSON.stringify(geometry));
  });
}
