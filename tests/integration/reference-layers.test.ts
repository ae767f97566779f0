import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { sharedPath } from '../helpers/data';

// `outcrop layers import|list|delete` and `outcrop compare` with stored layers, as a user runs them.
const FIX = resolve(__dirname, '../fixtures/reference');
let dir: string;
let file: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-cli-layers-'));
  file = join(dir, 'p.gpkg');
  expect(runCli(['init', file]).code).toBe(0);
  expect(runCli(['import', file, sharedPath('deposits', 'usgs-major-deposits-world.geojson')]).code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CLI: reference layers', () => {
  it('imports, lists, compares with stored layers by name, refuses bad input, deletes', () => {
    let r = runCli(['layers', 'import', file, join(FIX, 'sw-us-infrastructure.geojson'), '--role', 'infrastructure', '--name', 'roads']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Stored 4 infrastructure features \(LineString, MultiLineString, Point\) as reference layer "roads"/);
    expect(runCli(['layers', 'import', file, join(FIX, 'sw-us-protected-areas.geojson'), '--role', 'exclusion', '--name', 'parks']).code).toBe(0);
    r = runCli(['layers', 'list', file]);
    expect(r.stdout.trim().split('\n').map((l) => l.split('\t').slice(0, 3))).toEqual([
      ['parks', 'exclusion', '2'],
      ['roads', 'infrastructure', '4'],
    ]);
    // Lines are no exclusion zones: exit 2, every feature named, nothing stored.
    r = runCli(['layers', 'import', file, join(FIX, 'sw-us-infrastructure.geojson'), '--role', 'exclusion', '--name', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sw-us-infrastructure\.geojson: feature 3: "geometry\.type": an exclusion zone must be a Polygon or MultiPolygon, found MultiLineString/);
    expect(runCli(['layers', 'import', file, join(FIX, 'sw-us-protected-areas.geojson'), '--role', 'park']).code).toBe(2);

    const sites = join(dir, 'sites.geojson');
    writeFileSync(
      sites,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { name: 'Mountain Pass' }, geometry: { type: 'Point', coordinates: [-115.53, 35.48] } },
          { type: 'Feature', properties: { name: 'Tucson' }, geometry: { type: 'Point', coordinates: [-110.97, 32.0] } },
        ],
      }),
    );
    r = runCli(['compare', file, '--sites', sites, '--infrastructure', 'roads', '--exclusions', 'parks', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect([j.infrastructure, j.exclusions]).toEqual(['roads', 'parks']);
    expect(j.scores.map((s: { name: string; excluded: boolean; rank: number }) => [s.name, s.excluded, s.rank])).toEqual([
      ['Mountain Pass', true, 2],
      ['Tucson', false, 1],
    ]);
    expect(j.commoditySensitivity.sites).toHaveLength(2);
    r = runCli(['compare', file, '--sites', sites, '--exclusions', 'parks', '--exclusion-mode', 'penalty']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/exclusion zones: parks \(penalty\)/);
    expect(runCli(['compare', file, '--sites', sites, '--infrastructure', 'railways']).stderr).toMatch(/no reference layer "railways"/);

    expect(runCli(['layers', 'delete', file, 'parks']).code).toBe(0);
    expect(runCli(['layers', 'list', file]).stdout.trim().split('\n').map((l) => l.split('\t')[0])).toEqual(['roads']);
    expect(runCli(['layers', 'delete', file, 'parks']).code).toBe(2);
    r = runCli(['layers', 'import', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Examples:/);
  });
});
