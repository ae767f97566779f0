import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { sharedPath } from '../helpers/data';

// Filter values that hold a comma, as real country names do ("Korea, Republic of" has 9 MinMod
// sites): the list is read as one CSV line, so a quoted name stays whole; an unquoted one is cut
// in two, which now gets a note instead of a silent empty result.
let dir: string;
let project: string;
let rows: Record<string, string>[];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-filters-'));
  const all = Papa.parse<Record<string, string>>(gunzipSync(readFileSync(sharedPath('deposits', 'minmod-mineral-sites-located.csv.gz'))).toString('utf8'), { header: true, skipEmptyLines: true }).data;
  rows = [...all.filter((r) => r.country.includes(',')), ...all.filter((r) => r.country === 'Japan').slice(0, 25), ...all.filter((r) => r.country === 'Chile').slice(0, 25)];
  const csv = join(dir, 'subset.csv');
  writeFileSync(csv, Papa.unparse(rows));
  project = join(dir, 'p.gpkg');
  expect(runCli(['init', project]).code).toBe(0);
  expect(runCli(['import', project, csv, '--skip-invalid']).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const exported = (args: string[]) => {
  const out = join(dir, `${Math.random().toString(36).slice(2)}.geojson`);
  const r = runCli(['export', project, out, ...args]);
  expect(r.code, r.stderr).toBe(0);
  return { names: (JSON.parse(readFileSync(out, 'utf8')).features as { properties: { source_id?: string; name: string } }[]).map((f) => f.properties.name).sort(), stderr: r.stderr };
};

describe('--country and --agency lists', () => {
  it('a quoted name with a comma stays whole, beside other names', () => {
    const { names, stderr } = exported(['--country', '"Korea, Republic of",Japan']);
    const expected = rows.filter((r) => r.country === 'Korea, Republic of' || r.country === 'Japan').map((r) => r.name).sort();
    expect(expected.length).toBe(9 + 25);
    expect(names).toEqual(expected);
    expect(stderr).not.toMatch(/note:/);
  });

  it('an unquoted name with a comma is cut in two, and the note says so', () => {
    const { names, stderr } = exported(['--country', 'Korea, Republic of']);
    expect(names).toEqual([]);
    expect(stderr).toMatch(/note: --country "Korea" matches nothing stored .*quote a name that holds a comma/);
    const q = runCli(['query', project, 'nearest', '127', '37', '--country', '"Korea, Republic of"', '-k', '3']);
    expect(q.code).toBe(0);
    expect((JSON.parse(q.stdout).features as unknown[]).length).toBe(3);
  });
});
