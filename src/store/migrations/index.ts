import type Database from 'better-sqlite3';
import { codedError, OutcropError } from '../../errors';
import { coded } from '../../messages/en';
import { migration0001 } from './0001-initial';
import { migration0003 } from './0003-versions';
import { migration0004 } from './0004-sites';
import { migration0005 } from './0005-reference-layers';
import { migration0006 } from './0006-reference-trash';
import { migration0007 } from './0007-outside-edits';
import { migration0008 } from './0008-integer-keys';
import { migration0009 } from './0009-feature-defaults';
import type { Migration } from './types';

/** Every schema step, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009];
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** The oldest schema a reader can read as it is: the version of the last migration readers need. */
export const READABLE_FROM_VERSION = [...MIGRATIONS].reverse().find((m) => !m.readersNeedNothing)!.version;

/**
 * Outcrop's schema version lives in `outcrop_meta.schema_version`, not in PRAGMA user_version:
 * the GeoPackage standard (Req. 2) reserves user_version for the GeoPackage version (10300),
 * and GDAL/QGIS warn on any other value. The runner has the same contract as a user_version
 * runner: numbered steps, each in one transaction together with the version bump, and a file
 * from a newer Outcrop is refused before anything is touched.
 */
export function readSchemaVersion(db: Database.Database, file?: string): number {
  const hasMeta = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outcrop_meta'`)
    .get();
  if (!hasMeta) return 0;
  const row = db.prepare(`SELECT value FROM outcrop_meta WHERE key = 'schema_version'`).get() as
    | { value: unknown }
    | undefined;
  // outcrop_meta is made in the same transaction as the first version row, so a missing or
  // unreadable version is a damaged file (or one another program edited), not a new one:
  // migrating it from 0 would run every step again over the existing tables.
  const value = row ? String(row.value) : null;
  if (value === null || !/^[1-9][0-9]{0,8}$/.test(value)) throw badSchemaVersion(file, value);
  return Number(value);
}

function badSchemaVersion(file: string | undefined, value: string | null): OutcropError {
  const name = file ?? 'the project';
  return value === null
    ? codedError('NOT_A_PROJECT', coded('project.noSchemaVersion', { file: name }), { file: name })
    : codedError('NOT_A_PROJECT', coded('project.badSchemaVersion', { file: name, value: value.slice(0, 40) }), { file: name, value });
}

/** Throw SCHEMA_TOO_NEW if the file was written by a newer Outcrop. Touches nothing. */
export function assertNotTooNew(db: Database.Database, file: string): number {
  const version = readSchemaVersion(db, file);
  if (version > SCHEMA_VERSION) {
    throw codedError('SCHEMA_TOO_NEW', coded('project.tooNew', { file, fileVersion: version, maxVersion: SCHEMA_VERSION }), {
      file,
      fileVersion: version,
      maxVersion: SCHEMA_VERSION,
    });
  }
  return version;
}

interface FkViolation {
  table: string;
  rowid: number;
  parent: string;
  fkid: number;
}

/** Apply pending migrations, each in its own transaction with the version bump. */
export function migrate(db: Database.Database, file: string, migrations: readonly Migration[] = MIGRATIONS): number {
  let version = assertNotTooNew(db, file);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i].version <= migrations[i - 1].version) {
      throw new OutcropError('INTERNAL', `migrations out of order at ${migrations[i].version}`);
    }
  }
  for (const m of migrations) {
    if (m.version <= version) continue;
    // Only outside a transaction does the pragma take effect.
    const fkBefore = m.foreignKeysOff ? (db.pragma('foreign_keys', { simple: true }) as number) : undefined;
    if (m.foreignKeysOff) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        // Rows another program left orphaned (GDAL and QGIS write with foreign keys off) are the
        // file's own; only a violation the migration makes stops it.
        const violations = () => new Set((db.pragma('foreign_key_check') as FkViolation[]).map((v) => `${v.table}:${v.rowid}:${v.parent}:${v.fkid}`));
        const before = m.foreignKeysOff ? violations() : undefined;
        m.up(db);
        if (before && [...violations()].some((v) => !before.has(v))) {
          throw new OutcropError('INTERNAL', `migration ${m.version} would break foreign keys`);
        }
        db.prepare(`INSERT INTO outcrop_meta (key, value) VALUES ('schema_version', ?)
                    ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(String(m.version));
      }).immediate();
    } finally {
      if (fkBefore !== undefined) db.pragma(`foreign_keys = ${fkBefore ? 'ON' : 'OFF'}`);
    }
    version = m.version;
  }
  return version;
}
