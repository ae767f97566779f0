import type Database from 'better-sqlite3';

/** One schema step. Never edit a shipped migration: add the next number instead. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
  /**
   * Run with foreign key enforcement off (SQLite's table rebuild: a DROP of a parent table
   * would otherwise cascade); `PRAGMA foreign_key_check` must find nothing before it commits.
   */
  foreignKeysOff?: boolean;
  /**
   * A file of the schema before this one can be read as it is: the migration adds nothing a
   * reader uses (column DEFAULTs, say). Such a file in a place Outcrop cannot write (an archive
   * on a read-only disk) is then still read, where it would otherwise be refused unreadable.
   */
  readersNeedNothing?: boolean;
}
