import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutcropService } from '../../src/api/service';
import { depositIndex } from '../../src/compare/deposit-index';
import { Project } from '../../src/store/project';
import { buildClusterPyramid } from '../../src/tiles/cluster-pyramid';
import { hasCommand, runCli } from '../helpers/cli';
import { sharedPath } from '../helpers/data';

const hasGdal = hasCommand('ogrinfo');

describe.skipIf(!hasGdal)('a geometry another program wrote in its own format (a SpatiaLite blob)', () => {
  let dir: string;
  let file: string;
  let id: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'outcrop-foreign-blob-'));
    file = join(dir, 'p.gpkg');
    expect(runCli(['init', file]).code).toBe(0);
    expect(runCli(['import', file, sharedPath('deposits', 'japan-sites.geojson')]).code).toBe(0);
    // GDAL's SQL dialect: MakePoint makes a SpatiaLite geometry blob, not GeoPackage binary.
    execFileSync('ogrinfo', [file, '-q', '-sql', 'UPDATE deposits SET geom = MakePoint(10.5, 20.25, 4326) WHERE fid = 1'], { stdio: 'pipe' });
    const db = new Database(file, { readonly: true });
    const row = db.prepare('SELECT id, hex(substr(geom, 1, 2)) AS magic FROM deposits WHERE fid = 1').get() as { id: string; magic: string };
    db.close();
    expect(row.magic).not.toBe('4750'); // not "GP"
    id = row.id;
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const namesIt = (text: string) => {
    expect(text).toMatch(/deposits: the geometry of feature fid 1 /);
    expect(text).toContain(`(id "${id}")`);
    expect(text).toMatch(/not a GeoPackage geometry blob \(missing "GP" magic\)/);
  };

  it('query and export stop with a bad-data error naming the layer, fid and id (exit 2), and skip nothing', () => {
    // Before the fix: 'error: not a GeoPackage geometry blob (missing "GP" magic)', naming nothing.
    const q = runCli(['query', file, 'nearest', '10.5', '20.25']);
    expect(q.code).toBe(2);
    namesIt(q.stderr);
    expect(q.stderr).not.toMatch(/internal error|\n\s+at /);
    const out = join(dir, 'out.geojson');
    const e = runCli(['export', file, out]);
    expect(e.code).toBe(2);
    namesIt(e.stderr);
    expect(existsSync(out)).toBe(false);
    // A query whose area does not reach that feature is not affected.
    expect(runCli(['query', file, 'nearest', '139', '35']).code).toBe(0);
  });

  it('the app gets the same coded error for the feature and for a query that reaches it', async () => {
    const svc = new OutcropService({ host: 'web', version: 'test', settingsDir: join(dir, 'settings'), actor: 'test-geologist' });
    try {
      expect((await svc.call('project.open', { path: file })).ok).toBe(true);
      const got = (await svc.call('features.get', { layer: 'deposits', id })) as any;
      expect(got.ok).toBe(false);
      namesIt(got.error.message);
      const near = (await svc.call('query.near', { center: [10.5, 20.25], km: 5 })) as any;
      expect(near.ok).toBe(false);
      namesIt(near.error.message);
    } finally {
      await svc.dispose();
    }
  });

  it('the map leaves that one deposit off instead of failing whole; site comparison names it', () => {
    const p = Project.open(file, { readonly: true });
    try {
      // The cluster pyramid the map's deposit tiles come from: every other located deposit.
      expect(buildClusterPyramid(p, 6).total).toBe(206);
      // The planner's deposit index reads every deposit's position: it stops, naming the feature.
      expect(() => depositIndex(p)).toThrow(new RegExp(`deposits: the geometry of feature fid 1 \\(id "${id}"\\) cannot be read`));
    } finally {
      p.close();
    }
  });
});
