import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureCollection } from 'geojson';
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { toApiError } from '../../../src/api/service';
import { BadInputError, type Problem } from '../../../src/errors';
import { openTextInput } from '../../../src/formats/open-input';
import { validateGeometry } from '../../../src/geometry/validate';
import { PROBLEM_EN } from '../../../src/messages/en';
import { emptyDepositFields } from '../../../src/model/defaults';
import { validateDepositFields } from '../../../src/model/validate-record';
import { RESOURCES } from '../../../renderer/i18n';
import { errorText, problemText, problemWhere } from '../../../renderer/problem-text';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

function lookup(lang: 'en' | 'ja', code: string): unknown {
  let o: unknown = RESOURCES[lang].translation.problems;
  for (const k of code.split('.')) o = (o as Record<string, unknown> | undefined)?.[k];
  return o;
}

const placeholders = (s: string) => [...new Set([...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]))].sort();

async function translator(lng: 'en' | 'ja'): Promise<TFunction> {
  const i = i18next.createInstance();
  await i.init({ lng, resources: RESOURCES, interpolation: { escapeValue: false } });
  return i.t;
}

describe("the core's problem codes in the UI", () => {
  let en: TFunction;
  let ja: TFunction;
  beforeAll(async () => {
    en = await translator('en');
    ja = await translator('ja');
  });

  it('every code the core can emit has an English and a Japanese template with the same placeholders', () => {
    const codes = Object.keys(PROBLEM_EN);
    expect(codes.length).toBeGreaterThan(40);
    for (const code of codes) {
      const e = lookup('en', code);
      const j = lookup('ja', code);
      expect(typeof e, code).toBe('string');
      expect(typeof j, code).toBe('string');
      expect(placeholders(j as string), code).toEqual(placeholders(PROBLEM_EN[code as keyof typeof PROBLEM_EN]));
      expect(e, code).toBe(PROBLEM_EN[code as keyof typeof PROBLEM_EN]);
      expect(j, code).not.toBe(e);
    }
  });

  it('worded in English by the renderer, every coded problem of the validation fixtures reads as the core wrote it', () => {
    const coded: Problem[] = [];
    for (const rule of readdirSync(join(FIXTURES, 'validation'))) {
      let fc: FeatureCollection;
      try {
        fc = JSON.parse(readFileSync(join(FIXTURES, 'validation', rule, 'bad.geojson'), 'utf8')) as FeatureCollection;
      } catch {
        continue; // a rule without bad.geojson (silent fixes)
      }
      fc.features.forEach((f, i) => coded.push(...validateGeometry(f.geometry, { file: 'bad.geojson', featureIndex: i }).problems.filter((p) => p.code)));
    }
    expect(new Set(coded.map((p) => p.code))).toEqual(new Set(['coord.latOutOfRangeSwapped', 'coord.lonOutOfRange', 'geometry.holeOutside', 'geometry.outlineCrossesItself']));
    for (const p of coded) expect(problemText(en, p, 'en')).toBe(p.message);
    const lat = coded.find((p) => p.code === 'coord.latOutOfRangeSwapped')!;
    expect(problemText(ja, lat, 'ja')).toBe('緯度 91 は −90〜90 の範囲外です（経度と緯度が逆ではありませんか？ GeoJSON の順序は [経度, 緯度] です）');
    const far = validateGeometry({ type: 'Point', coordinates: [120, -95] }, {}).problems[0];
    expect(far).toMatchObject({ code: 'coord.latOutOfRange', message: 'latitude -95 is outside −90…90' });
    expect(problemText(ja, far, 'ja')).toBe('緯度 -95 は −90〜90 の範囲外です');
    expect(problemWhere(ja, lat)).toBe('地物 0');
    expect(problemWhere(ja, { line: 40 })).toBe('40 行目');
  });

  it('words record problems (a 150 % grade, a missing name) in both languages', () => {
    const f = emptyDepositFields('');
    f.resources = [{ commodity: 'Li', grade: 150, gradeUnit: '%' } as never];
    const problems = validateDepositFields(f, { now: new Date('2026-11-01') });
    expect(problems.every((p) => p.code)).toBe(true);
    for (const p of problems) expect(problemText(en, p, 'en')).toBe(p.message);
    const grade = problems.find((p) => p.code === 'record.gradeOverWhole')!;
    expect(grade.message).toBe('150 % is more than the whole rock; the most is 100 %');
    expect(problemText(ja, grade, 'ja')).toBe('品位 150 % は岩石全体を超えています。上限は 100 % です');
    const name = problems.find((p) => p.code === 'record.required')!;
    expect(name.message).toBe('name is required');
    expect(problemText(ja, name, 'ja')).toBe(`${RESOURCES.ja.translation.details.fields.name} は必須です`);
  });

  it('a binary file refused as a whole carries its key across the API and reads in Japanese', async () => {
    const err = await openTextInput(join(FIXTURES, 'gpkg', 'two-layers.gpkg')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BadInputError);
    const api = toApiError(err);
    expect(api.code).toBe('BAD_INPUT');
    expect(api.key).toMatch(/^input\.binary/);
    expect(api.params).toEqual({ file: 'two-layers.gpkg' });
    expect(errorText(en, api, 'en')).toBe(api.message);
    expect(errorText(ja, api, 'ja')).toMatch(/^two-layers\.gpkg はテキストではなくバイナリファイル/);
    // An uncoded error falls back to the core's English.
    expect(errorText(ja, { message: 'something else' }, 'ja')).toBe('something else');
  });

  it('a GeoJSON parse error keeps its line and column as a coded problem', () => {
    const err = new BadInputError({ code: 'geojson.empty', params: {}, message: PROBLEM_EN['geojson.empty'] }, { file: 'x.geojson', line: 1, column: 1, message: '' });
    const api = toApiError(err);
    expect(api.key).toBe('geojson.empty');
    expect(api.problems?.[0]).toMatchObject({ file: 'x.geojson', line: 1, code: 'geojson.empty', message: PROBLEM_EN['geojson.empty'] });
    expect(api.message).toBe(`x.geojson: line 1, column 1: ${PROBLEM_EN['geojson.empty']}`);
  });
});
