import type { ProblemCode, ProblemParams, WordOf } from '../messages/en';
import { describeValue, type ProblemList } from './problem-list';

/** What a list of positions (or of lists) is, for messages: a key of WORDS_EN.what. */
export type ListWhat = WordOf<'what'>;

/** A 2D position, `[longitude, latitude]` in degrees (WGS 84), GeoJSON order. */
export type LonLat = [number, number];

/** Shared state while reading the positions of one geometry. */
export interface PositionReader {
  problems: ProblemList;
  /** Set when a position had a third (Z) or further value, which Outcrop drops. */
  droppedZ: boolean;
}

const NAMES = ['longitude', 'latitude'] as const;

/**
 * Read one GeoJSON position into a fresh `[lon, lat]`, or report why it is not one.
 * Extra values (elevation, measures) are dropped; RFC 7946 §3.1.1 allows a third value.
 */
export function readPosition(value: unknown, path: string, r: PositionReader): LonLat | null {
  if (!Array.isArray(value)) {
    r.problems.addCoded('position', path, 'position.notList', { found: describeValue(value) });
    return null;
  }
  if (Array.isArray(value[0])) {
    r.problems.addCoded('position', path, 'position.listOfPositions');
    return null;
  }
  if (value.length < 2) {
    if (value.length === 0) r.problems.addCoded('position', path, 'position.empty');
    else r.problems.addCoded('position', path, 'position.oneValue', { found: describeValue(value[0]) });
    return null;
  }
  const lon = value[0];
  const lat = value[1];
  const lonNum = typeof lon === 'number' && Number.isFinite(lon);
  const latNum = typeof lat === 'number' && Number.isFinite(lat);
  const lonBad = !lonNum || lon < -180 || lon > 180;
  const latBad = !latNum || lat < -90 || lat > 90;
  if (lonBad || latBad) {
    // UTM metres and the like, or latitude and longitude swapped: said in the message.
    const projected = lonNum && latNum && (Math.abs(lon) > 1000 || Math.abs(lat) > 1000);
    const swapped = lonNum && latNum && !projected && latBad && !lonBad && Math.abs(lon) <= 90 && Math.abs(lat) <= 180;
    const p = r.problems;
    if (lonBad && latBad && lonNum && latNum) p.addCoded('position', path, projected ? 'coord.bothOutOfRangeProjected' : 'coord.bothOutOfRange', { lon, lat });
    else if (lonBad && !latBad && lonNum) p.addCoded('position', path, projected ? 'coord.lonOutOfRangeProjected' : 'coord.lonOutOfRange', { value: lon });
    else if (latBad && !lonBad && latNum) {
      p.addCoded('position', path, projected ? 'coord.latOutOfRangeProjected' : swapped ? 'coord.latOutOfRangeSwapped' : 'coord.latOutOfRange', { value: lat });
    } else if (lonBad !== latBad) {
      const [code, params] = numberProblemCode(lonBad ? 'longitude' : 'latitude', lonBad ? lon : lat);
      p.addCoded('position', path, code, params);
    } else {
      // Both bad, at least one not a number (so no hint): each axis as a phrase (WORDS_EN.coord).
      const phrase = (axis: 'longitude' | 'latitude', v: unknown, num: boolean): [string, string | number] => {
        if (num) return [axis === 'longitude' ? 'lonOutOfRange' : 'latOutOfRange', v as number];
        const [code, params] = numberProblemCode(axis, v);
        return [code.slice('coord.'.length), params.value ?? params.found];
      };
      const [lonIs, lonValue] = phrase('longitude', lon, lonNum);
      const [latIs, latValue] = phrase('latitude', lat, latNum);
      p.addCoded('position', path, 'coord.both', { lonIs, lonValue, latIs, latValue });
    }
    return null;
  }
  if (value.length > 2) r.droppedZ = true;
  return [lon, lat];
}

/** Why one coordinate value is not a number, as a code and params. */
function numberProblemCode(axis: 'longitude' | 'latitude', v: unknown): [ProblemCode, ProblemParams] {
  if (typeof v === 'number') return ['coord.notFinite', { axis, value: v }];
  if (v === null || v === undefined) return ['coord.missing', { axis, found: describeValue(v) }];
  if (typeof v === 'string') {
    const numeric = v.trim() !== '' && Number.isFinite(Number(v));
    return [numeric ? 'coord.quotedNumber' : 'coord.text', { axis, found: describeValue(v) }];
  }
  return ['coord.notNumber', { axis, found: describeValue(v) }];
}

/**
 * Read a list of positions into fresh `[lon, lat]` pairs. Returns null when the list or any
 * position in it is broken; every broken position is reported (up to the cap).
 */
export function readPositionList(value: unknown, path: string, r: PositionReader, what: ListWhat): LonLat[] | null {
  if (!Array.isArray(value)) {
    r.problems.addCoded('structure', path, 'geometry.notPositionList', { what, found: describeValue(value) });
    return null;
  }
  const out: LonLat[] = new Array(value.length);
  let ok = true;
  for (let i = 0; i < value.length; i++) {
    const p = readPosition(value[i], `${path}[${i}]`, r);
    if (p) out[i] = p;
    else ok = false;
  }
  return ok ? out : null;
}

/** Read a list of `what` items with `readItem`; null if the list or any item is broken. */
export function readList<T>(
  value: unknown,
  path: string,
  r: PositionReader,
  what: ListWhat,
  readItem: (item: unknown, itemPath: string) => T | null,
): T[] | null {
  if (!Array.isArray(value)) {
    r.problems.addCoded('structure', path, 'geometry.notList', { what, found: describeValue(value) });
    return null;
  }
  const out: T[] = new Array(value.length);
  let ok = true;
  for (let i = 0; i < value.length; i++) {
    const item = readItem(value[i], `${path}[${i}]`);
    if (item) out[i] = item;
    else ok = false;
  }
  return ok ? out : null;
}
