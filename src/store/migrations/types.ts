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
}
