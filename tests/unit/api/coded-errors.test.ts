import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeatureCollection, Polygon } from 'geojson';
import i18next, { type TFunction } from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, ApiResult, JobEvent, MethodName, MethodRequest, MethodResults } from '../../../src/api/contract';
import { OutcropService } from '../../../src/api/service';
import { Project } from '../../../src/store/project';
import { RESOURCES } from '../../../renderer/i18n';
import { errorText } from '../../../renderer/problem-text';

// Issue 6 §3: the errors of the analysis, site, exchange, export and basemap calls reach the UI
// with a key and params (not only the core's English), and the renderer words them in Japanese.
// Each English sentence is the wording the core always had; each Japanese one is written here.
const fixtures = join(__dirname, '../../fixtures');
const bowTie = (JSON.parse(readFileSync(join(fixtures, 'validation/self-intersection/bad.geojson'), 'utf8')) as FeatureCollection).features[0].geometry as Polygon;

let dir: string;
let file: string;
let svc: OutcropService;
let en: TFunction;
let ja: TFunction;

async function translator(lng: 'en' | 'ja'): Promise<TFunction> {
  const i = i18next.createInstance();
  await i.init({ lng, resources: RESOURCES, interpolation: { escapeValue: false } });
  return i.t;
}

async function ok<M extends MethodName>(method: M, req: MethodRequest<M>): Promise<MethodResults[M]> {
  const r: ApiResult<MethodResults[M]> = await svc.call(method, req);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

/** The error of a call that must fail. */
async function refused<M extends MethodName>(method: M, req: MethodRequest<M>): Promise<ApiError> {
  const r = await svc.call(method, req);
  expect(r.ok, method).toBe(false);
  return (r as { ok: false; error: ApiError }).error;
}

/** Every job event since the start (a job may fail before its id is back to the caller). */
const events: JobEvent[] = [];

/** The error a job ends with. */
async function jobError(jobId: string): Promise<ApiError> {
  for (let i = 0; i < 500; i++) {
    const end = events.find((e) => e.jobId === jobId && e.type !== 'progress');
    if (end?.type === 'error') return end.error;
    if (end) throw new Error(`job ended with ${end.type}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the job did not end');
}

/** Checks the English (word for word the core's message) and returns the Japanese. */
function japanese(e: ApiError): string {
  expect(e.key, e.message).toBeTruthy();
  expect(errorText(en, e, 'en')).toBe(e.message);
  return errorText(ja, e, 'ja');
}

beforeAll(async () => {
  en = await translator('en');
  ja = await translator('ja');
  dir = mkdtempSync(join(tmpdir(), 'outcrop-coded-errors-'));
  file = join(dir, 'plan.gpkg');
  Project.open(file, { create: true, actor: 'planner' }).close();
  svc = new OutcropService({ host: 'web', version: 'test', settingsDir: join(dir, 'settings'), exportDir: join(dir, 'exports'), actor: 'planner' });
  svc.onJobEvent((e) => events.push(e));
  await ok('project.open', { path: file });
});
afterAll(async () => {
  await svc?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('coverage areas and dates', () => {
  it('an unknown prefecture through jobs.coverage: suggestions kept, sentence in Japanese', async () => {
    const e = await refused('jobs.coverage', { aoi: { prefecture: 'Hokaido' } });
    expect(e).toMatchObject({ code: 'USAGE', key: 'aoi.unknownPrefecture', params: { name: 'Hokaido', suggestions: 'Hokkaido' } });
    expect(e.message).toBe('unknown Japanese prefecture "Hokaido"; did you mean Hokkaido?');
    expect(japanese(e)).toBe('都道府県「Hokaido」が見つかりません。次のいずれかではありませんか？ Hokkaido');
  });

  it('an unknown state, and a country with nothing near it', async () => {
    const state = await refused('jobs.coverage', { aoi: { state: 'Nevda' } });
    expect(state.message).toBe('unknown US state "Nevda"; did you mean Nevada?');
    expect(japanese(state)).toBe('米国の州「Nevda」が見つかりません。次のいずれかではありませんか？ Nevada');
    const country = await refused('jobs.coverage', { aoi: { country: 'Atlantis' } });
    expect(country.message).toBe('unknown country "Atlantis" (use the Natural Earth name, e.g. "Japan")');
    expect(japanese(country)).toBe('国「Atlantis」が見つかりません（Natural Earth の英語名を使ってください。例: "Japan"）');
  });

  it('dates the wrong way round', async () => {
    const e = await refused('jobs.coverage', { filter: { from: '2025-06', to: '2024' } });
    expect(e).toMatchObject({ code: 'VALIDATION', key: 'coverage.datesReversed', message: 'coverage dates: from 2025-06 is after to 2024' });
    expect(japanese(e)).toBe('網羅範囲の期間: 開始 2025-06 が終了 2024 より後です');
  });

  it('a date that is no day of the calendar', async () => {
    for (const bad of ['2026-13', '2026-02-30']) {
      const e = await refused('jobs.coverage', { filter: { from: bad } });
      expect(e).toMatchObject({ code: 'VALIDATION', key: 'coverage.badDate', message: `coverage dates: "${bad}" is not a date; use YYYY, YYYY-MM or YYYY-MM-DD` });
      expect(japanese(e)).toBe(`網羅範囲の期間: "${bad}" は日付ではありません。YYYY、YYYY-MM または YYYY-MM-DD の形式で入力してください`);
    }
    // A leap day is a day.
    expect((await svc.call('jobs.coverage', { filter: { from: '2024-02-29' } })).ok).toBe(true);
  });
});

describe('sites', () => {
  it('a bow-tie site: the geometry problem inside the sentence is worded in Japanese too', async () => {
    const e = await refused('sites.save', { name: 'Bow tie', geometry: bowTie as never });
    expect(e.message).toBe('site "Bow tie": outline crosses itself near [1, 1] (a bow-tie)');
    expect(e.key).toBe('site.badGeometry');
    expect(japanese(e)).toBe('候補地「Bow tie」: 外周が [1, 1] 付近で自己交差しています（8 の字形）');
  });

  it('an unknown target commodity', async () => {
    const e = await refused('sites.save', { name: 'Mill', geometry: { type: 'Point', coordinates: [140.1, 36.2] }, targetCommodities: ['Nd', 'unobtainium'] });
    expect(e.message).toBe('site "Mill": "unobtainium" is not a known commodity (use a symbol like Nd or a name like lithium)');
    expect(japanese(e)).toBe('候補地「Mill」: 「unobtainium」は既知の鉱種ではありません（Nd のような元素記号か lithium のような名称を使ってください）');
  });

  it('a bad permit-review date through sites.permitReview, and a review of a site that is not there', async () => {
    const { site } = await ok('sites.save', { name: 'Kashima separation', geometry: { type: 'Point', coordinates: [140.65, 35.95] } });
    const date = await refused('sites.permitReview', { siteId: site.id, date: 'soon', stage: 'applied' });
    expect(date).toMatchObject({ code: 'VALIDATION', key: 'permit.notDate', message: 'permit review: date must be a date YYYY[-MM[-DD]], got "soon"' });
    expect(japanese(date)).toBe('許認可の審査: 日付は YYYY[-MM[-DD]] の形式で入力してください（入力値: "soon"）');
    // Too short or too long for a date: the same worded refusal, not the request schema's.
    for (const bad of ['26', '2026-03-01T09:00']) {
      const e = await refused('sites.permitReview', { siteId: site.id, date: bad, stage: 'applied' });
      expect(japanese(e)).toBe(`許認可の審査: 日付は YYYY[-MM[-DD]] の形式で入力してください（入力値: "${bad}"）`);
    }
    const stage = await refused('sites.permitReview', { siteId: site.id, date: '2026-04-01', stage: 'approved-ish' });
    expect(japanese(stage)).toBe('許認可の審査: 段階 "approved-ish" は許認可段階ではありません');
    const gone = '0123456789abcdef0123456789abcdef';
    const missing = await refused('sites.permitReview', { siteId: gone, date: '2026-04-01', stage: 'applied' });
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: `no site with id "${gone}"` });
    expect(japanese(missing)).toBe(`ID「${gone}」の候補地はありません`);
  });
});

describe('exchange, export and basemaps', () => {
  it('the exchange preview of a file that is not a package (a job error keeps its key)', async () => {
    const text = join(dir, 'notes.gpkg');
    writeFileSync(text, 'field notes, not a database\n'.repeat(50));
    const e = await jobError((await ok('jobs.preview', { path: text }))!.jobId);
    expect(e).toMatchObject({ code: 'BAD_INPUT', key: 'package.notPackage', params: { file: 'notes.gpkg' } });
    // SQLite's own words for a file that is not a database.
    expect(e.message).toBe('notes.gpkg is not an Outcrop exchange package: file is not a database');
    expect(japanese(e)).toBe('notes.gpkg は Outcrop の交換パッケージではありません（SQLite の報告: file is not a database）');
  });

  it('the exchange preview of a project instead of a package', async () => {
    const other = join(dir, 'other-team.gpkg');
    Project.open(other, { create: true, actor: 'them' }).close();
    const e = await jobError((await ok('jobs.preview', { path: other }))!.jobId);
    expect(e.message).toBe('other-team.gpkg is an Outcrop project, not an exchange package (make one with "outcrop package")');
    expect(japanese(e)).toBe('other-team.gpkg は Outcrop のプロジェクトで、交換パッケージではありません（"outcrop package" で作成してください）');
  });

  it('an export of GeoJSON in another CRS (a job error)', async () => {
    const e = await jobError((await ok('jobs.export', { format: 'geojson', crs: 'EPSG:6677' }))!.jobId);
    expect(e.message).toBe('GeoJSON is WGS 84 longitude/latitude by definition (RFC 7946); export CSV or GeoPackage to reproject');
    expect(japanese(e)).toBe('GeoJSON は定義上 WGS 84 の経度・緯度です（RFC 7946）。座標系を変換するには CSV か GeoPackage で書き出してください');
  });

  it('an export to a CRS Outcrop does not know (typed in the export dialog)', async () => {
    const e = await jobError((await ok('jobs.export', { format: 'csv', crs: 'EPSG:9999' }))!.jobId);
    expect(e).toMatchObject({ code: 'BAD_INPUT', key: 'crs.unknownEpsg', params: { source: '--crs', given: '"EPSG:9999"' } });
    expect(e.message.startsWith('--crs: unknown CRS "EPSG:9999": Outcrop knows EPSG:4326, 4269')).toBe(true);
    expect(japanese(e)).toBe(
      '--crs: 未対応の座標参照系 "EPSG:9999" です。Outcrop が扱えるのは EPSG:4326、4269、4267、4301（旧日本測地系）、4612、6668、4258（ETRS89）、4283/7844（GDA94/2020）、4167、4617、4674、4490、6669〜6687（JGD2011 平面直角座標系 I〜XIX）、2443〜2461（JGD2000）、32601〜32660/32701〜32760（WGS 84 UTM）、26901〜26923（NAD83 UTM）、3857 です。それ以外は +proj 文字列か WKT で指定してください',
    );
  });

  it('remembered basemaps that have gone since: listed with a worded reason', async () => {
    const settings = join(dir, 'settings-gone');
    mkdirSync(settings);
    const [pm, mb] = [join(dir, 'moved-away.pmtiles'), join(dir, 'deleted.mbtiles')];
    writeFileSync(join(settings, 'basemaps.json'), JSON.stringify([pm, mb]));
    const other = new OutcropService({ host: 'web', version: 'test', settingsDir: settings, actor: 'planner' });
    try {
      const r = await other.call('basemaps.list', {});
      if (!r.ok) throw new Error(r.error.message);
      const [a, b] = r.value;
      expect(a).toMatchObject({ name: 'moved-away.pmtiles', tiles: null, errorKey: 'basemap.gone' });
      // Node's own words for a file that is not there.
      expect(a.error).toBe(`moved-away.pmtiles: ENOENT: no such file or directory, open '${pm}'`);
      const asError = (x: typeof a) => ({ message: x.error!, key: x.errorKey, params: x.errorParams });
      expect(errorText(en, asError(a), 'en')).toBe(a.error);
      expect(errorText(ja, asError(a), 'ja')).toBe(`moved-away.pmtiles がありません。移動または削除されていませんか？（ENOENT: no such file or directory, open '${pm}'）`);
      expect(b).toMatchObject({ name: 'deleted.mbtiles', errorKey: 'basemap.mbtilesGone', error: 'deleted.mbtiles is not an MBTiles file: unable to open database file' });
      expect(errorText(ja, asError(b), 'ja')).toBe('deleted.mbtiles がありません。移動または削除されていませんか？（SQLite の報告: unable to open database file）');
    } finally {
      await other.dispose();
    }
  });

  it('a basemap with the wrong extension', async () => {
    const e = await refused('basemaps.add', { path: join(dir, 'tiles.zip') });
    expect(e).toMatchObject({ code: 'USAGE', key: 'basemap.wrongExtension', message: 'tiles.zip: a basemap must be an .mbtiles or .pmtiles file' });
    expect(japanese(e)).toBe('tiles.zip: ベースマップは .mbtiles か .pmtiles ファイルでなければなりません');
  });
});
