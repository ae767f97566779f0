import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';

// Longitude −180 and 180 are one meridian. Deposits on it, near Fiji (Taveuni lies across it),
// are stored at whichever of the two the file gave; a --bbox ending on one side must take both.
let dir: string;
let project: string;
const sites = [
  ['at 180', 180, -16.8],
  ['at -180', -180, -16.9],
  ['east of it', -179.97, -16.7],
  ['west of it', 179.97, -16.6],
] as const;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-meridian-'));
  project = join(dir, 'fiji.gpkg');
  const file = join(dir, 'taveuni.geojson');
  writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: sites.map(([name, lon, lat]) => ({ type: 'Feature', properties: { name, commodities: 'Au' }, geometry: { type: 'Point', coordinates: [lon, lat] } })) }));
  expect(runCli(['init', project]).code).toBe(0);
  expect(runCli(['import', project, file]).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function exported(bbox: string): string[] {
  const out = join(dir, `box-${bbox.replaceAll(',', '_')}.geojson`);
  const r = runCli(['export', project, out, '--bbox', bbox]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(readFileSync(out, 'utf8')).features as { properties: { name: string } }[]).map((f) => f.properties.name).sort();
}

describe('--bbox on the antimeridian', () => {
  it('a box ending at −180 or 180 takes the deposits stored at either', () => {
    expect(exported('-180,-20,-179.95,-15')).toEqual(['at -180', 'at 180', 'east of it']);
    expect(exported('179.95,-20,180,-15')).toEqual(['at -180', 'at 180', 'west of it']);
    expect(exported('179.95,-20,-179.95,-15')).toEqual(['at -180', 'at 180', 'east of it', 'west of it']); // across it
    expect(exported('-179.99,-20,-179.95,-15')).toEqual(['east of it']); // off the meridian: as before
  });
});
