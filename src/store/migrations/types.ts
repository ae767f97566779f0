import type Database from 'better-sqlite3';

/** One schema step. Never edit a shipped migration: add the next number instead. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}
