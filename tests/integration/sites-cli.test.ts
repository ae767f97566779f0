import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { registerGpkgFunctions } from '../../src/store/gpkg/sql-functions';
import { Project } from '../../src/store/project';
import { deleteSites, getSite, listSites } from '../../src/store/sites';
import { undo } from '../../src/store/history';

// `outcrop sites review` / `sites history` (issue 5) on sites made from the real Japanese deposit
// points of tests/fixtures; the project file is checked with SQL here.
let dir: string;
let file: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-sites-cli-'));
  file = join(dir, 'p.gpkg');
  const fc = JSON.parse(readFileSync(join(__dirname, '../fixtures/geojson/japan-sites-first-3.geojson'), 'utf8'));
  const sites = {
    type: 'FeatureCollection',
    features: fc.features.map((f: any) => ({ type: 'Feature', geometry: f.geometry, properties: { name: f.properties.name, roles: 'mine', target_commodities: f.properties.commodities } })),
  };
  writeFileSync(join(dir, 'sites.geojson'), JSON.stringify(sites));
  expect(runCli(['init', file]).code).toBe(0);
  expect(runCli(['sites', 'add', file, join(dir, 'sites.geojson')]).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows = () => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT s.name, p.date, p.stage, p.note FROM outcrop_site_permits p JOIN sites s ON s.id = p.site_id ORDER BY p.permit_id').all();
  } finally {
    db.close();
  }
};
const stageOf = (name: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT permit_stage FROM sites WHERE name = ?').pluck().get(name);
  } finally {
    db.close();
  }
};

describe('outcrop sites review / history', () => {
  it('adds dated reviews by site name or id, with the stage as a code or a Japanese label; history lists them oldest first', () => {
    let r = runCli(['sites', 'review', file, 'Hitachi', '--date', '2026-03-01', '--stage', 'applied', '--note', '茨城県に申請']);
    expect(r.code).toBe(0);
    const id = (runCli(['sites', 'list', file]).stdout.split('\n').find((l) => l.includes('\tHitachi\t')) ?? '').split('\t')[0];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    r = runCli(['sites', 'review', file, id, '--date', '2025-10', '--stage', '探査許可']);
    expect(r.code).toBe(0);
    expect(rows()).toEqual([
      { name: 'Hitachi', date: '2026-03-01', stage: 'applied', note: '茨城県に申請' },
      { name: 'Hitachi', date: '2025-10', stage: 'exploration-licence', note: null },
    ]);
    expect(stageOf('Hitachi')).toBe('applied'); // the latest by date, not the last entered
    r = runCli(['sites', 'history', file, 'Hitachi']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['Hitachi\tpermit stage: applied', '2025-10\texploration-licence\t', '2026-03-01\tapplied\t茨城県に申請']);
  });

  it('refuses an unknown site, stage or date with exit 2 and a message naming it; nothing is written', () => {
    const before = rows();
    for (const [args, msg] of [
      [['Nowhere', '--date', '2026-01-01', '--stage', 'applied'], /no site with id or name "Nowhere"/],
      [['Konomai', '--date', '2026-01-01', '--stage', 'approved'], /--stage: "approved" is not a permit stage \(none, exploration-licence/],
      [['Konomai', '--date', '2026-02-30', '--stage', 'granted'], /date must be a date YYYY\[-MM\[-DD\]\], got "2026-02-30"/],
    ] as const) {
      const r = runCli(['sites', 'review', file, ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
    expect(rows()).toEqual(before);
  });

  it('has --help with examples', () => {
    for (const sub of ['review', 'history']) {
      const r = runCli(['sites', sub, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`\\$ outcrop sites ${sub} project\\.gpkg`));
    }
  });
});

describe('a site whose geometry another program cleared (QGIS, ogrinfo -sql)', () => {
  it('is listed; comparing it says which site and why (exit 2), the others still compare; undo of its delete puts it back without a location', async () => {
    const cleared = join(dir, 'cleared.gpkg');
    expect(runCli(['init', cleared]).code).toBe(0);
    expect(runCli(['sites', 'add', cleared, join(dir, 'sites.geojson')]).code).toBe(0);
    // Another program's connection: the GeoPackage SQL functions its R*Tree triggers call.
    const db = new Database(cleared);
    registerGpkgFunctions(db);
    const all = db.prepare('SELECT id, name FROM sites ORDER BY fid').all() as { id: string; name: string }[];
    db.prepare('UPDATE sites SET geom = NULL WHERE id = ?').run(all[0].id);
    expect(db.prepare('SELECT count(*) FROM rtree_sites_geom').pluck().get()).toBe(2); // the trigger took its box away
    db.close();

    const listed = runCli(['sites', 'list', cleared]);
    expect(listed.code, listed.stderr).toBe(0);
    const places = Object.fromEntries(listed.stdout.trim().split('\n').map((l) => [l.split('\t')[1], l.split('\t')[4]]));
    expect(places).toEqual(Object.fromEntries(all.map((s, i) => [s.name, i === 0 ? 'no location' : 'point'])));

    const refused = runCli(['compare', cleared, '--sites', all.map((s) => s.id).join(',')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`site "${all[0].name}" (${all[0].id}) has no location`);
    const others = runCli(['compare', cleared, '--sites', all.slice(1).map((s) => s.id).join(','), '--json']);
    expect(others.code, others.stderr).toBe(0);
    expect(JSON.parse(others.stdout).scores.map((x: { name: string }) => x.name).sort()).toEqual(all.slice(1).map((s) => s.name).sort());

    const p = Project.open(cleared);
    try {
      expect(getSite(p, all[0].id)?.geometry).toBeNull();
      await deleteSites(p, [all[0].id]);
      expect(getSite(p, all[0].id)).toBeUndefined();
      undo(p);
      const byName = (a: [string, boolean], b: [string, boolean]) => (a[0] < b[0] ? -1 : 1);
      expect(listSites(p).map((s): [string, boolean] => [s.name, s.geometry === null]).sort(byName)).toEqual(all.map((s, i): [string, boolean] => [s.name, i === 0]).sort(byName));
    } finally {
      p.close();
    }
  });
});
