import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutcropError } from '../../src/errors';
import { Project } from '../../src/store/project';
import { runCli } from '../helpers/cli';
import { FIXTURES } from '../helpers/data';

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('a project whose outcrop_meta.schema_version is missing or not a number', () => {
  let dir: string;
  let good: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'outcrop-badver-'));
    good = join(dir, 'good.gpkg');
    expect(runCli(['init', good]).code).toBe(0);
    expect(runCli(['import', good, join(FIXTURES, 'geojson', 'japan-sites-first-3.geojson')]).code).toBe(0);
    expect(existsSync(good + '-wal')).toBe(false); // closed and checkpointed: one file
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A copy of the project with its version row changed by another program (sqlite3, a script). */
  const damaged = (name: string, sql: string): string => {
    const f = join(dir, name);
    copyFileSync(good, f);
    const db = new Database(f);
    db.exec(sql);
    db.pragma('journal_mode = DELETE');
    db.close();
    return f;
  };

  const cases = [
    { name: 'beta.gpkg', sql: `UPDATE outcrop_meta SET value = '9-beta' WHERE key = 'schema_version'`, key: 'project.badSchemaVersion', says: /unreadable Outcrop schema version \("9-beta"/ },
    { name: 'empty.gpkg', sql: `UPDATE outcrop_meta SET value = '' WHERE key = 'schema_version'`, key: 'project.badSchemaVersion', says: /unreadable Outcrop schema version \(""/ },
    { name: 'none.gpkg', sql: `DELETE FROM outcrop_meta WHERE key = 'schema_version'`, key: 'project.noSchemaVersion', says: /has no Outcrop schema version/ },
  ];

  for (const c of cases) {
    it(`${c.name}: refused with a coded message (CLI exit 2), the file left byte-identical`, () => {
      const f = damaged(c.name, c.sql);
      const before = sha(f);
      // Before the fix: "internal error: SqliteError: table gpkg_spatial_ref_sys already exists", exit 1.
      const r = runCli(['import', f, join(FIXTURES, 'geojson', 'japan-sites-first-3.geojson')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(c.says);
      expect(r.stderr).toContain(c.name);
      expect(r.stderr).toMatch(/the file has not been changed/);
      expect(r.stderr).not.toMatch(/internal error|SqliteError|\n\s+at /);
      for (const readonly of [false, true]) {
        let err: unknown;
        try {
          Project.open(f, { readonly }).close();
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(OutcropError);
        expect(err).toMatchObject({ code: 'NOT_A_PROJECT', details: { key: c.key } });
      }
      expect(sha(f)).toBe(before);
      expect(existsSync(f + '-wal')).toBe(false);
    });
  }
});
