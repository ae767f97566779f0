import type Database from 'better-sqlite3';
import { OutcropError } from '../../errors';
import type { Migration } from './types';

/*
 * Both expressions are wrapped in two pairs of parentheses: SQLite reports a DEFAULT (expr) as
 * `expr` (PRAGMA table_info), and GDAL (3.6) takes a String column's default that does not start
 * with "(" for a literal, which ogr2ogr -append then writes as the value ("lower(hex(..." as the
 * id). With ((expr)) GDAL sees "(expr)", an expression it leaves to SQLite.
 */

/**
 * A random UUID (version 4, lower-case 8-4-4-4-12) in SQL, as a column DEFAULT: the version
 * nibble is 4, the variant nibble one of 8, 9, a, b (random() & 3 never overflows, as abs() can).
 */
export const SQL_UUID_V4 =
  "((lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || " +
  "substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))))";

/** The current UTC time as Outcrop writes timestamps (Date.toISOString: 2026-12-07T23:15:00.123Z). */
export const SQL_NOW_ISO = "((strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))";

/** The DEFAULT each feature-table column gets. */
export const FEATURE_COLUMN_DEFAULTS: Readonly<Record<string, string>> = {
  id: SQL_UUID_V4,
  created_at: SQL_NOW_ISO,
  updated_at: SQL_NOW_ISO,
};

/**
 * The CREATE TABLE text with ` DEFAULT <expr>` added to each named column that has none.
 * A column definition runs from its name to the next comma or closing parenthesis outside
 * parentheses and quotes. A column not found as written (another program rebuilt the table
 * in its own words) is left as it is.
 */
export function withColumnDefaults(sql: string, defaults: Readonly<Record<string, string>>): { sql: string; added: string[] } {
  const added: string[] = [];
  for (const [column, expr] of Object.entries(defaults)) {
    const name = new RegExp(`([(,]\\s*)(?:"${column}"|\`${column}\`|\\[${column}\\]|${column})(?=\\s)`, 'gi');
    const m = name.exec(sql);
    if (!m) continue;
    const start = m.index + m[0].length;
    let depth = 0;
    let quote: string | null = null;
    let end = start;
    for (; end < sql.length; end++) {
      const ch = sql[end];
      if (quote) {
        if (ch === quote) quote = null;
        continue;
      }
      if (ch === "'" || ch === '"' || ch === '`') quote = ch;
      else if (ch === '(') depth++;
      else if (ch === ')') {
        if (depth === 0) break;
        depth--;
      } else if (ch === ',' && depth === 0) break;
    }
    const def = sql.slice(start, end);
    if (/\bDEFAULT\b/i.test(def.replace(/'[^']*'/g, "''"))) continue;
    const trimmed = def.replace(/\s+$/, '');
    sql = sql.slice(0, start) + trimmed + ` DEFAULT ${expr}` + def.slice(trimmed.length) + sql.slice(end);
    added.push(column);
  }
  return { sql, added };
}

/**
 * Features added by other programs (QGIS's "add feature" with only a name typed, `ogr2ogr
 * -append` of a file without Outcrop's columns) get an id and timestamps from SQL DEFAULTs
 * instead of failing "NOT NULL constraint failed: deposits.id". SQLite cannot ALTER a column's
 * DEFAULT, but documents that changing it leaves the stored format as it is and may be done by
 * editing the table's text in sqlite_schema (https://www.sqlite.org/lang_altertable.html,
 * "Making Other Kinds Of Table Schema Changes"): with writable_schema, the schema version bumped,
 * then an integrity check. better-sqlite3 opens connections in SQLite's defensive mode, which
 * forbids that; its unsafe mode lifts it for the length of the edit only. All of it inside the
 * runner's transaction: an error rolls the schema text back with everything else.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'DEFAULTs for id, created_at, updated_at of deposits and surveys (features added in QGIS/GDAL)',
  readersNeedNothing: true, // DEFAULTs matter to writers only
  up(db: Database.Database) {
    const edits: { table: string; sql: string }[] = [];
    for (const table of ['deposits', 'surveys']) {
      const sql = db.prepare(`SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?`).pluck().get(table) as string;
      const next = withColumnDefaults(sql, FEATURE_COLUMN_DEFAULTS);
      if (next.added.length) edits.push({ table, sql: next.sql });
    }
    if (!edits.length) return;
    const version = db.pragma('schema_version', { simple: true }) as number;
    db.unsafeMode(true);
    try {
      db.pragma('writable_schema = ON');
      try {
        const put = db.prepare(`UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?`);
        for (const e of edits) put.run(e.sql, e.table);
        db.pragma(`schema_version = ${version + 1}`);
      } finally {
        // RESET: off again, and this connection reads the schema anew.
        db.pragma('writable_schema = RESET');
      }
    } finally {
      db.unsafeMode(false);
    }
    for (const e of edits) {
      const result = db.pragma(`integrity_check(${e.table})`) as { integrity_check: string }[];
      if (result.length !== 1 || result[0].integrity_check !== 'ok') {
        throw new OutcropError('INTERNAL', `migration 9: integrity check of ${e.table} failed: ${result.map((r) => r.integrity_check).join('; ')}`);
      }
    }
  },
};
