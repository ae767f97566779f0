import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/import/import-file';
import { Project } from '../../../src/store/project';
import { FIXTURES, readSharedJson, sharedPath } from '../../helpers/data';

describe('an import says which CRS it converted from, and how exactly', () => {
  let dir: string;
  let p: Project;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outcrop-srccrs-'));
    p = Project.open(join(dir, 'p.gpkg'), { create: true, actor: 't' });
  });
  afterEach(() => {
    p.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the .prj CRS of a zipped Shapefile and records it with the operation', async () => {
    const r = await importFile(p, join(FIXTURES, 'shapefile/major-deposits-nad83-utm12n.zip'));
    expect(r.sourceCrs).toEqual({ name: 'NAD83 / UTM zone 12N', code: 26912 });
    const details = JSON.parse((p.db.prepare('SELECT details FROM outcrop_ops WHERE op_id = ?').get(r.opId) as { details: string }).details);
    expect(details.sourceCrs).toEqual({ name: 'NAD83 / UTM zone 12N', code: 26912 });
  });

  it('names the GeoPackage layer’s CRS', async () => {
    const r = await importFile(p, join(FIXTURES, 'gpkg/japan-sites-jgd2011-ix.gpkg'));
    expect(r.sourceCrs).toMatchObject({ code: 6677, name: expect.stringMatching(/Japan Plane Rectangular CS IX/) });
  });

  it('carries the approximation note of NAD27 given with --crs', async () => {
    const r = await importFile(p, join(FIXTURES, 'csv/in/minmod-excerpt.csv'), { crs: 'EPSG:4267', skipInvalid: true });
    expect(r.sourceCrs).toMatchObject({ code: 4267, note: expect.stringMatching(/not the NADCON grids/) });
  });

  it('says nothing for WGS 84 input', async () => {
    const r = await importFile(p, sharedPath('deposits', 'japan-sites.geojson'));
    expect(r.sourceCrs).toBeUndefined();
  });
});

describe('an import lists the fields it kept as extra properties', () => {
  let dir: string;
  let p: Project;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outcrop-extra-'));
    p = Project.open(join(dir, 'p.gpkg'), { create: true, actor: 't' });
  });
  afterEach(() => {
    p.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names every source field with no Outcrop field, with how many features carry it', async () => {
    const r = await importFile(p, sharedPath('deposits', 'japan-sites.geojson'));
    const features: { properties: Record<string, unknown> }[] = readSharedJson('deposits', 'japan-sites.geojson').features;
    // MinMod columns with a field of their own (docs/data-model.md); every other one is extra.
    const mapped = new Set(['dataset', 'source_id', 'record_id', 'country', 'name', 'commodities', 'deposit_type', 'state_or_province', 'aliases']);
    const keys = new Set(features.flatMap((f) => Object.keys(f.properties)));
    const expected = [...keys].filter((k) => !mapped.has(k)).map((name) => ({ name, count: features.filter((f) => Object.hasOwn(f.properties, name)).length }));
    expect(new Set(r.extraFields.map((f) => f.name))).toEqual(new Set(expected.map((f) => f.name)));
    for (const f of expected) expect(r.extraFields).toContainEqual(f);
  });
});
