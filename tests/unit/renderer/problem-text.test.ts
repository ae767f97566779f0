import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureCollection } from 'geojson';
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { toApiError } from '../../../src/api/service';
import { BadInputError, ValidationError, type Problem } from '../../../src/errors';
import { parseCoordinate } from '../../../src/formats/csv/coordinate';
import { readCsvFeatures } from '../../../src/formats/csv/read';
import { readGeoJsonFeatures } from '../../../src/formats/geojson/read';
import { openTextInput } from '../../../src/formats/open-input';
import { validateGeometry } from '../../../src/geometry/validate';
import { importFile } from '../../../src/import/import-file';
import { PROBLEM_EN, WORDS_EN } from '../../../src/messages/en';
import { emptyDepositFields } from '../../../src/model/defaults';
import { validateDepositFields } from '../../../src/model/validate-record';
import { Project } from '../../../src/store/project';
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
      fc.features.forEach((f, i) => coded.push(...validateGeometry(f.geometry, { file: 'bad.geojson', featureIndex: i }).problems));
    }
    // Every problem of every rule is coded now (issue 6): none is left to English only.
    expect(coded.length).toBeGreaterThan(40);
    expect(coded.filter((p) => !p.code).map((p) => p.message)).toEqual([]);
    expect(new Set(coded.map((p) => p.code))).toContain('geometry.holeOutside');
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

  it('a problem whose params carry a name i18next takes as an option (lng, ns, context …) still reads in its language, not in another or as a crash', () => {
    // The core's params come from data; i18next would take these as the language, namespace or
    // context (a number as lng throws "lng?.toLowerCase is not a function").
    const p = { code: 'record.gradeOverWhole', message: '150 % is more than the whole rock; the most is 100 %', params: { grade: 150, unit: '%', max: 100, lng: 139.8, ns: 'x', context: 'y', lngs: 'z' } };
    expect(problemText(ja, p, 'ja')).toBe('品位 150 % は岩石全体を超えています。上限は 100 % です');
    expect(problemText(en, p, 'en')).toBe(p.message);
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

describe('geometry, reader and import problems in Japanese (issue 6)', () => {
  let en: TFunction;
  let ja: TFunction;
  beforeAll(async () => {
    en = await translator('en');
    ja = await translator('ja');
  });

  const fixture = (rule: string) => JSON.parse(readFileSync(join(FIXTURES, 'validation', rule, 'bad.geojson'), 'utf8')) as FeatureCollection;
  const problemsOf = (rule: string, feature: number) => validateGeometry(fixture(rule).features[feature].geometry, { file: 'bad.geojson', featureIndex: feature }).problems;

  it('every word a message inserts (ring names, kinds, list names, axes), every found-value word and every place word has a Japanese form with the same placeholders', () => {
    const enP = RESOURCES.en.translation.problems as unknown as Record<string, Record<string, unknown>>;
    const jaP = RESOURCES.ja.translation.problems as unknown as Record<string, Record<string, unknown>>;
    expect(Object.keys(enP.words)).toEqual(Object.keys(WORDS_EN));
    for (const [group, table] of Object.entries(WORDS_EN)) {
      for (const [key, text] of Object.entries(table)) {
        const j = (jaP.words[group] as Record<string, string>)[key];
        expect(typeof j, `${group}.${key}`).toBe('string');
        expect(placeholders(j), `${group}.${key}`).toEqual(placeholders(text));
      }
    }
    for (const table of ['found', 'where']) {
      expect(Object.keys(jaP[table]).sort(), table).toEqual(Object.keys(enP[table]).sort());
      for (const [key, text] of Object.entries(enP[table])) expect(placeholders(jaP[table][key] as string), `${table}.${key}`).toEqual(placeholders(text as string));
    }
  });

  it('ring names, parts and holes of the fixtures read in Japanese; in English exactly as the core wrote them', () => {
    const notClosed = problemsOf('ring-not-closed', 0)[0];
    expect(problemText(en, notClosed, 'en')).toBe(notClosed.message);
    expect(problemText(ja, notClosed, 'ja')).toBe('外周リング（リング 0）が閉じていません。始点 [0,0] と終点 [0,1] が異なります（末尾に始点を繰り返してください）');
    const holeNotClosed = problemsOf('ring-not-closed', 1)[0];
    expect(holeNotClosed.message).toMatch(/^part 0: ring 1 \(a hole\) is not closed/);
    expect(problemText(ja, holeNotClosed, 'ja')).toBe('パーツ 0 のリング 1（穴）が閉じていません。始点 [2,2] と終点 [2,2.5] が異なります（末尾に始点を繰り返してください）');
    expect(problemText(ja, problemsOf('multipolygon-overlap', 1)[0], 'ja')).toBe('パーツ 1 がパーツ 0 の内側にあります。MultiPolygon のパーツどうしは重なってはいけません');
    expect(problemText(ja, problemsOf('ring-crossing', 0)[0], 'ja')).toBe('リング 1（穴）が外周リング（リング 0）と [4, 2] 付近で交差しています');
    expect(problemText(ja, problemsOf('ring-crossing', 1)[0], 'ja')).toBe('リング 2（穴）が別の穴のリング 1 と [2, 3] 付近で交差しています');
    expect(problemText(ja, problemsOf('ring-too-short', 0)[0], 'ja')).toBe(
      '外周リング（リング 0）の位置は 3 点だけです。閉じたリングには 4 点以上（3 つの頂点と、末尾に繰り返す始点）が必要です',
    );
  });

  it('positions, structure and described values of the fixtures read in Japanese', () => {
    expect(problemText(ja, problemsOf('non-finite', 0)[0], 'ja')).toBe('経度が数値ではなく、文字列 "12.3" です（引用符を外してください）');
    expect(problemText(ja, problemsOf('non-finite', 1)[0], 'ja')).toBe('緯度がありません（入力値: null）');
    const both = problemsOf('non-finite', 5)[0];
    expect(both.message).toBe('longitude is the text "east", not a number and latitude is the text "north", not a number');
    expect(problemText(en, both, 'en')).toBe(both.message);
    expect(problemText(ja, both, 'ja')).toBe('経度が数値ではなく、文字列 "east" です。また、緯度が数値ではなく、文字列 "north" です');
    expect(problemText(ja, problemsOf('non-finite', 4)[0], 'ja')).toBe('経度は数値で指定してください（入力値: true）');
    expect(problemText(ja, problemsOf('coordinates-not-arrays', 1)[0], 'ja')).toBe('LineStringは位置のリストで指定してください（入力値: オブジェクト）');
    expect(problemText(ja, problemsOf('geometry-type', 0)[0], 'ja')).toBe(
      'ジオメトリタイプ "Pointt" は不明です。Point, MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon のいずれかを指定してください',
    );
    expect(problemText(ja, problemsOf('geometry-collection', 1)[0], 'ja')).toBe('GeometryCollection には対応していません。ジオメトリごとに別の地物にしてください');
    // UTM metres given as degrees: the hint names projected coordinates.
    const utm = validateGeometry({ type: 'Point', coordinates: [500000, 4000000] }, {}).problems[0];
    expect(utm.message).toBe(
      'longitude 500000 is outside −180…180 and latitude 4000000 is outside −90…90 (these look like projected coordinates, e.g. UTM metres; Outcrop needs WGS 84 longitude and latitude in degrees)',
    );
    expect(problemText(ja, utm, 'ja')).toBe(
      '経度 500000 は −180〜180、緯度 4000000 は −90〜90 の範囲外です（UTM のメートル値のような投影座標に見えます。Outcrop には WGS 84 の経度・緯度（度単位）が必要です）',
    );
  });

  it('the "… and N more" line names the kind of problem in Japanese', () => {
    const far = Array.from({ length: 12 }, (_, i) => [181 + i, 0]);
    const problems = validateGeometry({ type: 'MultiPoint', coordinates: far }, {}).problems;
    expect(problems).toHaveLength(11);
    const more = problems[10];
    expect(more.message).toBe('… and 2 more position problems in this geometry (only the first 10 are listed)');
    expect(problemText(en, more, 'en')).toBe(more.message);
    expect(problemText(ja, more, 'ja')).toBe('… このジオメトリには、ほかに位置の問題が 2 件あります（最初の 10 件のみ表示）');
  });

  it('CSV reader problems: a broken WKT cell, a missing latitude and a decimal comma', async () => {
    const file = join(FIXTURES, 'csv', 'in', 'bad-wkt.csv');
    const features = [];
    for await (const f of readCsvFeatures(await openTextInput(file))) features.push(f);
    const broken = features.find((f) => f.id === 'broken')!.problems![0];
    expect(problemText(en, broken, 'en')).toBe(broken.message);
    expect(problemText(ja, broken, 'ja')).toBe('有効な WKT ではありません: "POLYGON ((139 35, 140 35, 140 36" が途中で終わっています');
    const comma = parseCoordinate('36,5', 'latitude');
    expect(comma.ok).toBe(false);
    if (!comma.ok) expect(problemText(ja, comma, 'ja')).toBe('緯度 "36,5" は小数点にカンマを使っています。ピリオドを使ってください（例: 36.5）');
  });

  it('a CSV with an unclosed quote is refused with its place worded in Japanese (status bar and dialog message)', async () => {
    const file = join(FIXTURES, 'csv', 'in', 'unclosed-quote.csv');
    const err = await (async () => {
      for await (const _ of readCsvFeatures(await openTextInput(file))) void _;
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BadInputError);
    const api = toApiError(err);
    expect(errorText(en, api, 'en')).toBe(api.message);
    // The " before Ikuno on line 4 (the name column) is never closed.
    expect(errorText(ja, api, 'ja')).toBe(
      'unclosed-quote.csv: 4 行目: "name": 引用符で囲んだフィールドが閉じていません。ここで " が開き、ファイルの終わりまで閉じる " がありません',
    );
  });

  it('a refused import names its first problem in Japanese, and an uncoded validation error is worded from its problems', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outcrop-problem-text-'));
    try {
      const project = Project.open(join(dir, 'p.gpkg'), { create: true, actor: 'test' });
      const err = await importFile(project, join(FIXTURES, 'validation', 'ring-not-closed', 'bad.geojson')).then(
        () => undefined,
        (e: unknown) => e,
      );
      project.close();
      const api = toApiError(err);
      expect(api.code).toBe('VALIDATION');
      expect(api.key).toBe('import.invalidFeatures');
      expect(errorText(en, api, 'en')).toBe(api.message);
      expect(errorText(ja, api, 'ja')).toBe(
        'bad.geojson: 2 件中 2 件の地物に問題があるため、何も読み込んでいません。最初の問題: 地物 0 "geometry.coordinates[0]": 外周リング（リング 0）が閉じていません。始点 [0,0] と終点 [0,1] が異なります（末尾に始点を繰り返してください）',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const many = toApiError(new ValidationError(problemsOf('ring-crossing', 0)));
    expect(many.key).toBeUndefined();
    expect(errorText(en, many, 'en')).toBe(many.message);
    expect(errorText(ja, many, 'ja')).toBe(
      '問題が 2 件あります。最初の問題: bad.geojson: 地物 0: "geometry.coordinates[1][1]": リング 1（穴）が外周リング（リング 0）と [4, 2] 付近で交差しています',
    );
  });

  it('GeoJSON root and feature structure, and a cut-off file', async () => {
    const readText = async (name: string, text: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'outcrop-problem-text-'));
      try {
        writeFileSync(join(dir, name), text);
        const out = [];
        for await (const f of readGeoJsonFeatures(await openTextInput(join(dir, name)))) out.push(f);
        return out;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const features = await readText('f.geojson', '{"type": "FeatureCollection", "features": [{"type": "Point", "coordinates": [1, 2]}]}');
    expect(problemText(ja, features[0].problems![0], 'ja')).toBe(
      'これは地物ではなくジオメトリだけです（"type": "Point"）。{"type": "Feature", "geometry": {...}, "properties": {...}} で包んでください',
    );
    const cut = await readText('cut.geojson', '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "Kono').then(
      () => undefined,
      (e: unknown) => e,
    );
    const api = toApiError(cut);
    expect(api.key).toBe('geojson.cutInFeatureToken');
    expect(errorText(en, api, 'en')).toBe(api.message);
    expect(errorText(ja, api, 'ja')).toMatch(/^cut\.geojson: 1 行目、\d+ 列目: ファイルが地物 0（1 行目から）の文字列の途中で終わっています。/);
    // A trailing comma: the '}' at column 46 of line 1.
    const comma = toApiError(await readText('comma.geojson', '{"type": "FeatureCollection", "features": [],}').then(() => undefined, (e: unknown) => e));
    expect(comma.key).toBe('geojson.jsonTrailingCommaBrace');
    expect(errorText(en, comma, 'en')).toBe(comma.message);
    expect(errorText(ja, comma, 'ja')).toBe("comma.geojson: 1 行目、46 列目: 有効な JSON ではありません: '}' の直前にカンマがあります（JSON では末尾のカンマは使えません）");
  });
});
