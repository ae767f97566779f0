import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliAsync } from '../helpers/cli';
import { sharedPath } from '../helpers/data';

// kill -9 at several moments of a large import (the real 110k-site CSV) must leave the project
// either as it was before the import or with the whole import, never in between.
const BIG = sharedPath('deposits', 'minmod-mineral-sites-located.csv.gz');
const SMALL = sharedPath('deposits', 'usgs-major-deposits-world.geojson');
let dir: string;
let completeCount: number;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-crash-'));
  // Reference: the same two imports run to completion give the "after" state.
  const ref = join(dir, 'reference.gpkg');
  expect(runCli(['init', ref]).code).toBe(0);
  expect(runCli(['import', ref, SMALL]).code).toBe(0);
  expect(runCli(['import', ref, BIG, '--skip-invalid', '--report', join(dir, 'ref-report.geojson')]).code).toBe(0);
  completeCount = inspect(ref).deposits;
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function inspect(file: string) {
  const db = new Database(file);
  const integrity = db.pragma('integrity_check', { simple: true });
  const deposits = (db.prepare('SELECT count(*) n FROM deposits').get() as { n: number }).n;
  const rtree = (db.prepare('SELECT count(*) n FROM rtree_deposits_geom').get() as { n: number }).n;
  const history = (db.prepare('SELECT count(*) n FROM outcrop_history').get() as { n: number }).n;
  db.close();
  return { integrity, deposits, rtree, history };
}

describe('kill -9 during a large import', () => {
  for (const delayMs of [400, 1500, 4000]) {
    it(`leaves an intact file, before or after, when killed after ${delayMs} ms`, async () => {
      const file = join(dir, `crash-${delayMs}.gpkg`);
      expect(runCli(['init', file]).code).toBe(0);
      expect(runCli(['import', file, SMALL]).code).toBe(0);
      const before = inspect(file);
      expect(before.deposits).toBe(3161);

      const child = runCliAsync(['import', file, BIG, '--skip-invalid', '--report', join(dir, `r-${delayMs}.geojson`)]);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ? -1 : code)));
      await new Promise((r) => setTimeout(r, delayMs));
      child.kill('SIGKILL');
      const code = await exited;

      const after = inspect(file);
      expect(after.integrity).toBe('ok');
      // the R*Tree and history are in the same transaction as the rows
      expect(after.rtree).toBe(after.deposits);
      // killed mid-way: nothing of the import is there; finished before the kill: all of it
      expect([before.deposits, completeCount]).toContain(after.deposits);
      if (code !== -1) expect(after.deposits).toBe(completeCount);
      if (after.deposits === before.deposits) expect(after.history).toBe(before.history);
      expect(existsSync(file)).toBe(true);
      expect(statSync(file).size).toBeGreaterThan(0);
    });
  }
});
