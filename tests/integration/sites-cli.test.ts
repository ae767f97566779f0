import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';

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
