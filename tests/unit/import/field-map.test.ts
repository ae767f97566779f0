import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyFieldMap, autoTarget, checkFieldMap } from '../../../src/import/field-map';
import { importFile } from '../../../src/import/import-file';
import { inspectFile, schemaSignature } from '../../../src/import/inspect';
import { Project } from '../../../src/store/project';
import { FIXTURES, readSharedJson } from '../../helpers/data';

// The fixture's source: a point in each of the 47 prefectures, with `nam` (romanised), `nam_ja`
// (in CP932) and `id` from GSI's Global Map Japan (tests/fixtures/README.md).
const ZIP = join(FIXTURES, 'shapefile/prefectures-cp932-jgd2011.zip');
const prefectures: { nam: string; nam_ja: string; id: number }[] = readSharedJson('polygons', 'japan-prefectures.geojson').features.map((f: any) => f.properties);

describe('where a source field goes by itself', () => {
  it('follows the model mapping rules, per layer', () => {
    expect(autoTarget('deposits', 'nam')).toBe('name');
    expect(autoTarget('deposits', 'NAM_JA')).toBe('name_ja');
    expect(autoTarget('deposits', 'commod1')).toBe('commodities_main');
    expect(autoTarget('deposits', 'dep_type')).toBe('deposit_type_text');
    expect(autoTarget('deposits', 'Site Name')).toBe('name');
    expect(autoTarget('surveys', 'pname')).toBe('name');
    expect(autoTarget('surveys', 'yearstart')).toBe('start_date');
    expect(autoTarget('deposits', 'pname')).toBeNull();
    expect(autoTarget('deposits', 'id')).toBeNull();
  });
});

describe('applying a mapping', () => {
  it('renames mapped fields, keeps extra ones verbatim, and never drops a field pushed aside', () => {
    expect(applyFieldMap({ nam: 'Tokyo To', nam_ja: '東京都', id: 13 }, { nam_ja: 'name', nam: 'name_romaji', id: null })).toEqual({
      name: '東京都',
      name_romaji: 'Tokyo To',
      extra: { id: 13 },
    });
    // "name" is taken by the mapping of "title": the source's own "name" is kept in extra.
    expect(applyFieldMap({ name: 'old', title: 'new', notes: 'n' }, { title: 'name' })).toEqual({ name: 'new', notes: 'n', extra: { name: 'old' } });
    // A hostile key stays data.
    const out = applyFieldMap(JSON.parse('{"__proto__": {"polluted": 1}, "a": 1}'), { a: null });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a target that is no field of the layer, and two fields onto one', () => {
    expect(() => checkFieldMap('deposits', { a: 'nmae' }, 'x.zip')).toThrow(/x\.zip \(field mapping\): "a" → "nmae": not a deposit field; use one of name, name_ja/);
    expect(() => checkFieldMap('surveys', { a: 'commodities_main' }, 'x')).toThrow(/not a survey field/);
    expect(() => checkFieldMap('deposits', { a: 'name', b: 'name' }, 'x')).toThrow(/"a" and "b" are both mapped onto "name"/);
    expect(() => checkFieldMap('deposits', { a: 'name', b: null, c: null }, 'x')).not.toThrow();
  });
});

describe('the mapping step on a real zipped Shapefile (CP932, JGD2011)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'outcrop-fieldmap-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('inspects the fields with samples and where they would go, writing nothing', async () => {
    const r = await inspectFile(ZIP);
    expect(r).toMatchObject({ file: 'prefectures-cp932-jgd2011.zip', format: 'shapefile', layer: 'deposits', sampled: 47 });
    expect(r.fields.map((f) => [f.name, f.auto, f.filled])).toEqual([
      ['id', null, 47],
      ['nam', 'name', 47],
      ['nam_ja', 'name_ja', 47],
    ]);
    // Samples are the decoded CP932 names of the first prefectures.
    expect(r.fields[2].samples).toEqual(prefectures.slice(0, 3).map((p) => p.nam_ja));
    expect(r.signature).toBe(schemaSignature('deposits', ['nam_ja', 'id', 'nam']));
  });

  it('imports with the user mapping: Japanese names as the name, romanised names as name_romaji, the id kept', async () => {
    const p = Project.open(join(dir, 'p.gpkg'), { create: true, actor: 'test' });
    try {
      const res = await importFile(p, ZIP, { layer: 'deposits', fieldMap: { nam_ja: 'name', nam: 'name_romaji', id: null } });
      expect(res.written.deposits).toBe(47);
      const rows = p.db.prepare('SELECT name, name_romaji, name_ja, extra FROM deposits ORDER BY fid').all() as { name: string; name_romaji: string; name_ja: string | null; extra: string }[];
      expect(rows.map((r) => [r.name, r.name_romaji, r.name_ja, JSON.parse(r.extra).id])).toEqual(prefectures.map((q) => [q.nam_ja, q.nam, null, q.id]));
    } finally {
      p.close();
    }
  });

  it('refuses a mapping with a typo before anything is written', async () => {
    const p = Project.open(join(dir, 'q.gpkg'), { create: true, actor: 'test' });
    try {
      await expect(importFile(p, ZIP, { layer: 'deposits', fieldMap: { nam_ja: 'nmae' } })).rejects.toThrow(/prefectures-cp932-jgd2011\.zip \(field mapping\): "nam_ja" → "nmae"/);
      expect((p.db.prepare('SELECT count(*) AS n FROM deposits').get() as { n: number }).n).toBe(0);
    } finally {
      p.close();
    }
  });
});
