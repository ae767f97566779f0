import { describeValue, type ProblemList } from './problem-list';

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
    r.problems.add('position', path, `expected a position [longitude, latitude], found ${describeValue(value)}`);
    return null;
  }
  if (Array.isArray(value[0])) {
    r.problems.add('position', path, 'expected a position [longitude, latitude], found a list of positions (is the geometry "type" right?)');
    return null;
  }
  if (value.length < 2) {
    r.problems.add(
      'position',
      path,
      `a position needs 2 numbers [longitude, latitude], found ${value.length === 0 ? 'an empty list' : `only 1 value (${describeValue(value[0])})`}`,
    );
    return null;
  }
  const lon = value[0];
  const lat = value[1];
  const lonNum = typeof lon === 'number' && Number.isFinite(lon);
  const latNum = typeof lat === 'number' && Number.isFinite(lat);
  const lonBad = !lonNum || lon < -180 || lon > 180;
  const latBad = !latNum || lat < -90 || lat > 90;
  if (lonBad || latBad) {
    const msgs: string[] = [];
    if (lonBad) msgs.push(lonNum ? `longitude ${lon} is outside −180…180` : numberProblem('longitude', lon));
    if (latBad) msgs.push(latNum ? `latitude ${lat} is outside −90…90` : numberProblem('latitude', lat));
    let hint = '';
    if (lonNum && latNum) {
      if (Math.abs(lon) > 1000 || Math.abs(lat) > 1000) {
        hint = ' (these look like projected coordinates, e.g. UTM metres; Outcrop needs WGS 84 longitude and latitude in degrees)';
      } else if (latBad && !lonBad && Math.abs(lon) <= 90 && Math.abs(lat) <= 180) {
        hint = ' (are longitude and latitude swapped? GeoJSON order is [longitude, latitude])';
      }
    }
    if (lonBad && !latBad && lonNum && !hint) r.problems.addCoded('position', path, 'coord.lonOutOfRange', { value: lon });
    else if (latBad && !lonBad && latNum && !hint) r.problems.addCoded('position', path, 'coord.latOutOfRange', { value: lat });
    else if (latBad && !lonBad && latNum && hint.includes('swapped')) r.problems.addCoded('position', path, 'coord.latOutOfRangeSwapped', { value: lat });
    else r.problems.add('position', path, `${msgs.join(' and ')}${hint}`);
    return null;
  }
  if (value.length > 2) r.droppedZ = true;
  return [lon, lat];
}

function numberProblem(name: string, v: unknown): string {
  if (typeof v === 'number') {
    // JSON has no NaN or Infinity; a literal like 1e999 overflows to Infinity when parsed.
    return `${name} is not a finite number (found ${v}, e.g. from a literal like 1e999)`;
  }
  if (v === null || v === undefined) return `${name} is missing (found ${describeValue(v)})`;
  if (typeof v === 'string') {
    const numeric = v.trim() !== '' && Number.isFinite(Number(v));
    return `${name} is ${describeValue(v)}, not a number${numeric ? ' (remove the quotes)' : ''}`;
  }
  return `${name} must be a number, found ${describeValue(v)}`;
}

/**
 * Read a list of positions into fresh `[lon, lat]` pairs. Returns null when the list or any
 * position in it is broken; every broken position is reported (up to the cap).
 */
export function readPositionList(value: unknown, path: string, r: PositionReader, what: string): LonLat[] | null {
  if (!Array.isArray(value)) {
    r.problems.add('structure', path, `${what} must be a list of positions, found ${describeValue(value)}`);
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
  what: string,
  readItem: (item: unknown, itemPath: string) => T | null,
): T[] | null {
  if (!Array.isArray(value)) {
    r.problems.add('structure', path, `${what} must be a list, found ${describeValue(value)}`);
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
