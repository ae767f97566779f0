import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MultiPolygon } from 'geojson';
import { codedError, OutcropError } from '../errors';
import { coded } from '../messages/en';
import { validateGeometry } from '../geometry/validate';
import { findAssetsDir } from './assets-dir';
import type { Area } from './within-area';

/**
 * Areas of interest below country level, from the offline basemap's outlines (built by
 * scripts/build-basemap.ts, see assets/basemap/README.md):
 *   - US states (and DC, Puerto Rico and the other territories): us-atlas states-10m, US Census
 *     cartographic boundaries at 1:10 000 000. By name ("Nevada") or postal code ("NV").
 *   - Japanese prefectures: GSI Global Map Japan (via dataofjapan/land), simplified keeping
 *     the shared borders. By romanised name ("Hokkaido", "Hokkai Do", "Kōchi", "Aomori-ken"),
 *     Japanese name ("北海道", "青森県" or "青森") or JIS X 0401 code (1–47).
 * Outlines come back validated like countryArea's. Nothing crosses ±180 in these files: Alaska's
 * Aleutians west of 180° are parts at positive longitudes (as the store keeps areas).
 * Precision (generalised outlines): see docs/ and the README's coverage section.
 */

export interface StateInfo {
  name: string;
  /** Two-letter postal code (NV). */
  code: string;
}

export interface PrefectureInfo {
  /** Romanised, without the -ken/-to/-fu suffix ("Hokkaido", "Tokyo", "Aomori"). */
  name: string;
  /** Japanese name with suffix (北海道, 東京都, 青森県). */
  nameJa: string;
  /** JIS X 0401 code, 1 (Hokkaido) … 47 (Okinawa). */
  code: number;
}

interface Loaded<T> {
  info: T;
  geometry: MultiPolygon;
  keys: string[];
}

const US_FILE = 'basemap/us-state-areas.geojson';
const JP_FILE = 'basemap/jp-prefecture-areas.geojson';

let states: Loaded<StateInfo>[] | undefined;
let prefectures: Loaded<PrefectureInfo>[] | undefined;

function readAsset(file: string): GeoJSON.FeatureCollection<MultiPolygon, Record<string, unknown>> {
  return JSON.parse(readFileSync(join(findAssetsDir(file), file), 'utf8'));
}

/** Lower case, no diacritics (Kōchi → kochi), no spaces, hyphens, dots or apostrophes. */
function norm(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s\-‐.'’・]/g, '');
}

function loadStates(): Loaded<StateInfo>[] {
  if (states) return states;
  states = readAsset(US_FILE).features.map((f) => {
    const info = { name: String(f.properties.name), code: String(f.properties.postal) };
    const keys = [norm(info.name), norm(info.code)];
    if (info.code === 'DC') keys.push('washingtondc', 'dc');
    if (info.code === 'MP') keys.push('northernmarianaislands');
    if (info.code === 'VI') keys.push('virginislands', 'usvirginislands');
    return { info, geometry: f.geometry, keys };
  });
  return states;
}

function loadPrefectures(): Loaded<PrefectureInfo>[] {
  if (prefectures) return prefectures;
  prefectures = readAsset(JP_FILE).features.map((f) => {
    const info = { name: String(f.properties.name), nameJa: String(f.properties.nameJa), code: Number(f.properties.code) };
    const base = norm(info.name);
    const suffix = info.nameJa.endsWith('都') ? 'to' : info.nameJa.endsWith('府') ? 'fu' : info.nameJa.endsWith('県') ? 'ken' : '';
    const keys = [base, `${base}prefecture`, info.nameJa, String(info.code)];
    if (suffix) keys.push(`${base}${suffix}`, info.nameJa.slice(0, -1));
    for (const v of LONG_VOWELS[info.code] ?? []) keys.push(v, suffix ? `${v}${suffix}` : v);
    return { info, geometry: f.geometry, keys: [...new Set(keys.map(norm))] };
  });
  return prefectures;
}

/** Romanisations with the long vowel written out (Hyōgo → Hyougo) or as in common English (Tokyo Metropolis). */
const LONG_VOWELS: Record<number, string[]> = {
  1: ['hokkaidou'],
  13: ['toukyou', 'tokyometropolis'],
  26: ['kyouto'],
  27: ['oosaka', 'ousaka'],
  28: ['hyougo'],
  39: ['kouchi'],
  44: ['ooita', 'ouita'],
};

/** US states, DC and territories, by name (for pick-lists and help). */
export function stateList(): StateInfo[] {
  return loadStates().map((s) => ({ ...s.info }));
}

/** The 47 prefectures in JIS order (Hokkaido first). */
export function prefectureList(): PrefectureInfo[] {
  return loadPrefectures().map((p) => ({ ...p.info }));
}

/** The outline of a US state by name or postal code, case-insensitive ("Nevada", "nv"). */
export function stateArea(nameOrCode: string): Area {
  const hit = find(loadStates(), nameOrCode);
  if (!hit) throw unknown('state', nameOrCode, loadStates().flatMap((s) => [s.info.name, s.info.code]));
  return validated(hit.geometry, `US state ${hit.info.name}`, US_FILE);
}

/** The outline of a Japanese prefecture by romanised or Japanese name or JIS code ("Hokkaido", "北海道", "1"). */
export function prefectureArea(name: string): Area {
  const hit = find(loadPrefectures(), name);
  if (!hit) throw unknown('prefecture', name, loadPrefectures().flatMap((p) => [p.info.name, p.info.nameJa]));
  return validated(hit.geometry, `prefecture ${hit.info.name}`, JP_FILE);
}

/**
 * [west, south, east, north] of a state's outline in degrees, for fitting a map to it. An area
 * whose parts lie on both sides of ±180° (Alaska's Aleutians) is boxed the short way round, with
 * east past 180 (Alaska: about [172.4, 51.2, 230.0, 71.4]), as MapLibre's fitBounds takes it.
 */
export function stateBounds(nameOrCode: string): [number, number, number, number] {
  const hit = find(loadStates(), nameOrCode);
  if (!hit) throw unknown('state', nameOrCode, loadStates().flatMap((s) => [s.info.name, s.info.code]));
  return bounds(hit.geometry);
}

/** [west, south, east, north] of a prefecture's outline in degrees (see stateBounds). */
export function prefectureBounds(name: string): [number, number, number, number] {
  const hit = find(loadPrefectures(), name);
  if (!hit) throw unknown('prefecture', name, loadPrefectures().flatMap((p) => [p.info.name, p.info.nameJa]));
  return bounds(hit.geometry);
}

function bounds(g: MultiPolygon): [number, number, number, number] {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  // The same box with western longitudes moved past 180°, for an area across the antimeridian.
  let [w2, e2] = [Infinity, -Infinity];
  for (const poly of g.coordinates) {
    for (const [x, y] of poly[0]) {
      const x2 = x < 0 ? x + 360 : x;
      if (x < w) w = x;
      if (x > e) e = x;
      if (x2 < w2) w2 = x2;
      if (x2 > e2) e2 = x2;
      if (y < s) s = y;
      if (y > n) n = y;
    }
  }
  return e2 - w2 < e - w ? [w2, s, e2, n] : [w, s, e, n];
}

/** The canonical label of a state or prefecture name as the user typed it ("nv" → "Nevada", "北海道" → "Hokkaido (北海道)"). */
export function stateLabel(nameOrCode: string): string {
  return find(loadStates(), nameOrCode)?.info.name ?? nameOrCode.trim();
}
export function prefectureLabel(name: string): string {
  const p = find(loadPrefectures(), name)?.info;
  return p ? `${p.name} (${p.nameJa})` : name.trim();
}

function find<T>(list: Loaded<T>[], name: string): Loaded<T> | undefined {
  const want = norm(name.trim());
  if (!want) return undefined;
  return list.find((x) => x.keys.includes(want));
}

function validated(g: MultiPolygon, what: string, file: string): Area {
  const r = validateGeometry(g, { file });
  if (!r.geometry || r.problems.length) throw new OutcropError('INTERNAL', `${file}: the outline of ${what} is not valid: ${r.problems[0]?.message}`);
  return r.geometry as Area;
}

/** "unknown US state "Nevda"; did you mean Nevada?" (coded: the UI words it in its language). */
function unknown(what: 'state' | 'prefecture', name: string, names: string[]): OutcropError {
  const want = norm(name);
  const near = names
    .map((n) => ({ n, d: distance(want, norm(n)) - (norm(n).startsWith(want.slice(0, 3)) && want.length >= 3 ? 1 : 0) }))
    .filter((x) => x.d <= (want.length <= 3 ? 1 : Math.max(2, Math.floor(want.length / 3))))
    .sort((a, b) => a.d - b.d)
    .map((x) => x.n);
  const suggestions = [...new Set(near)].slice(0, 4).join(', ');
  if (what === 'state') return codedError('USAGE', near.length ? coded('aoi.unknownState', { name, suggestions }) : coded('aoi.unknownStateExample', { name }));
  return codedError('USAGE', near.length ? coded('aoi.unknownPrefecture', { name, suggestions }) : coded('aoi.unknownPrefectureExample', { name }));
}

/** Levenshtein distance (names are short). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}
