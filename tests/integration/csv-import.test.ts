import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/import/import-file';
import { checkFile } from '../../src/import/pipeline';
import { Project } from '../../src/store/project';
import { getFeature, countRows } from '../../src/store/read';
import { FIXTURES } from '../helpers/data';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-csvimp-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CSV imports end to end', () => {
  it('an MRDS-format CSV imports without hand work, MRDS columns mapped one to one', async () => {
    const file = join(FIXTURES, 'csv/in/mrds-california-style.csv');
    const rows = parse(readFileSync(file), { columns: true }) as Record<string, string>[];
    const p = Project.open(join(dir, 'mrds.gpkg'), { create: true });
    const r = await importFile(p, file);
    expect(r.written.deposits).toBe(rows.length);
    expect(r.rejected).toBe(0);
    const all = p.db.prepare('SELECT id FROM deposits ORDER BY fid').all() as { id: string }[];
    rows.forEach((row, i) => {
      const f = getFeature(p, 'deposits', all[i].id)!;
      expect(f.properties.name).toBe(row.site_name);
      expect(f.properties.source_id).toBe(row.dep_id);
      expect(f.properties.source_url).toBe(row.url || null);
      expect(f.properties.admin_area).toBe(row.state || null);
      expect(f.properties.country).toBe(row.country || null);
      expect(f.properties.deposit_type_text).toBe(row.dep_type || row.model || null);
      // the geometry comes from latitude/longitude (latitude first in MRDS files)
      expect((f.geometry as any).coordinates).toEqual([Number(row.longitude), Number(row.latitude)]);
      // commod1 → main commodities: "Iron" → Fe, "Gypsum-Anhydrite" → gypsum …
      if (row.commod1) expect((f.properties.commodities_main as string[]).length).toBeGreaterThan(0);
    });
    const iron = getFeature(p, 'deposits', all[0].id)!;
    expect(iron.properties.commodities_main).toEqual(['Fe']);
    p.close();
  });

  it('a CSV with a WKT column imports its polygons as surveys', async () => {
    const file = join(FIXTURES, 'csv/in/japan-prefectures-wkt.csv');
    const rows = parse(readFileSync(file), { columns: true }) as Record<string, string>[];
    const p = Project.open(join(dir, 'wkt.gpkg'), { create: true });
    const r = await importFile(p, file, { skipInvalid: true });
    expect(r.written.surveys + r.rejected).toBe(rows.length);
    expect(r.written.surveys).toBeGreaterThan(0);
    expect(countRows(p, 'surveys')).toBe(r.written.surveys);
    const names = (p.db.prepare('SELECT name FROM surveys').all() as { name: string }[]).map((x) => x.name);
    // every stored name is a prefecture from the file (nam column)
    for (const n of names) expect(rows.map((x) => x.nam)).toContain(n);
    p.close();
  });
});

describe('CSV coordinates and column names in problems and properties', () => {
  it('a coordinate out of range is reported under the user\'s column ("lat"), not "geometry.coordinates"', async () => {
    const file = join(dir, 'range.csv');
    writeFileSync(file, 'id,name,lat,lon\nSITE-7,A,95,139\nSITE-8,B,35,200\nSITE-9,C,500,500\nSITE-10,D,35,1e999\n');
    const problems = [];
    for await (const c of checkFile(file)) if (!c.ok) problems.push(...c.problems);
    expect(problems.map((p) => [p.featureIndex, p.featureId, p.line, p.field, p.message])).toEqual([
      [0, 'SITE-7', 2, 'lat', 'latitude 95 is outside −90…90'],
      [1, 'SITE-8', 3, 'lon', 'longitude 200 is outside −180…180'],
      [2, 'SITE-9', 4, 'lon', 'longitude 500 is outside −180…180 and latitude 500 is outside −90…90'],
      [3, 'SITE-10', 5, 'lon', 'longitude is not a finite number (found Infinity, e.g. from a literal like 1e999)'],
    ]);
    // A point from a WKT column is still named by its GeoJSON path.
    const wkt = join(dir, 'range-wkt.csv');
    writeFileSync(wkt, 'name,wkt\nA,POINT (139 95)\n');
    const fields = [];
    for await (const c of checkFile(wkt)) if (!c.ok) fields.push(...c.problems.map((p) => p.field));
    expect(fields).toEqual(['geometry.coordinates']);
  });

  it('a column named __proto__ is imported as an extra property, as from GeoJSON', async () => {
    const file = join(dir, 'proto.csv');
    writeFileSync(file, 'name,lat,lon,__proto__,constructor\nA,1,2,x,y\n');
    const p = Project.open(join(dir, 'proto.gpkg'), { create: true });
    const r = await importFile(p, file);
    expect(r.extraFields.map((f) => f.name).sort()).toEqual(['__proto__', 'constructor']);
    const row = p.db.prepare('SELECT extra FROM deposits').get() as { extra: string };
    expect(row.extra).toBe('{"__proto__":"x","constructor":"y"}');
    p.close();
  });
});
