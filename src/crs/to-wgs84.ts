import type { Geometry, Position } from 'geojson';
import proj4 from 'proj4';
import type { Crs, CrsArea } from './resolve';
import { haversineKm } from '../spatial/distance';
import { type CodedMessage, coded } from '../messages/en';
import type { RawFeatureWithProblems } from '../formats/types';

const WGS84 = '+proj=longlat +datum=WGS84 +no_defs';

/** A conversion of one position to WGS 84 `[lng, lat]` degrees; extra ordinates (z) are kept. */
export type ToWgs84 = (xy: Position) => Position;

/**
 * A function converting `[x, y]` in `crs` (easting, northing in metres, or lon, lat in
 * degrees — always x first, as GeoPackage, Shapefile and GeoJSON store them, whatever the
 * EPSG axis order says) to WGS 84 `[lng, lat]`. A position proj4 cannot convert comes back
 * as [NaN, NaN] so geometry validation reports it for that feature.
 */
export function toWgs84(crs: Crs): ToWgs84 {
  return crs.code === 4326 ? (p) => p.slice() : converter(crs.proj4, WGS84);
}

/**
 * The inverse: WGS 84 `[lng, lat]` to `[x, y]` in `crs` (x first, as files store it). Export
 * uses it; a position proj4 cannot convert comes back as [NaN, NaN].
 */
export function fromWgs84(crs: Crs): ToWgs84 {
  return crs.code === 4326 ? (p) => p.slice() : converter(WGS84, crs.proj4);
}

/** proj4 from → to on [x, y], extra ordinates kept; what it cannot convert becomes [NaN, NaN]. */
function converter(from: string, to: string): ToWgs84 {
  const c = proj4(from, to);
  return (p) => {
    let out: number[];
    try {
      out = c.forward([p[0], p[1]]);
    } catch {
      out = [NaN, NaN];
    }
    const xy = Number.isFinite(out[0]) && Number.isFinite(out[1]) ? [out[0], out[1]] : [NaN, NaN];
    return p.length > 2 ? [...xy, ...p.slice(2)] : xy;
  };
}

/** A copy of `g` with every position passed through `convert` (input is not mutated). */
export function reprojectGeometry<G extends Geometry>(g: G, convert: ToWgs84): G {
  const walk = (c: unknown): unknown =>
    Array.isArray(c) && typeof c[0] === 'number' ? convert(c as Position) : Array.isArray(c) ? c.map(walk) : c;
  if (g.type === 'GeometryCollection') {
    // A collection without a geometries list is left as it is, for validation to name.
    return Array.isArray(g.geometries) ? { ...g, geometries: g.geometries.map((x) => reprojectGeometry(x, convert)) } : g;
  }
  return { ...g, coordinates: walk((g as { coordinates: unknown }).coordinates) } as G;
}

/** A position of a geometry found by `firstPosition`: its path, e.g. ".coordinates[0][3]", as given (x, y) and converted. */
interface FoundPosition {
  path: string;
  x: number;
  y: number;
  converted: Position;
}

/**
 * The first position of `before` for which `bad(given, converted)` holds, `after` being its
 * reprojection, with its path in the geometry. The path is built only for the position found
 * (no string per position of a large polygon).
 */
function firstPosition(before: Geometry, after: Geometry, bad: (given: Position, converted: Position) => boolean): FoundPosition | undefined {
  const walk = (a: unknown, b: unknown): FoundPosition | undefined => {
    if (!Array.isArray(a) || !Array.isArray(b)) return undefined;
    if (typeof a[0] === 'number') return bad(a as Position, b as Position) ? { path: '', x: a[0], y: a[1], converted: b as Position } : undefined;
    for (let i = 0; i < a.length; i++) {
      const found = walk(a[i], b[i]);
      if (found) return { ...found, path: `[${i}]${found.path}` };
    }
    return undefined;
  };
  if (before.type === 'GeometryCollection' || after.type === 'GeometryCollection') {
    const bs = before.type === 'GeometryCollection' && Array.isArray(before.geometries) ? before.geometries : [];
    const as = after.type === 'GeometryCollection' && Array.isArray(after.geometries) ? after.geometries : [];
    for (let i = 0; i < bs.length; i++) {
      const found = bs[i] && as[i] && firstPosition(bs[i], as[i], bad);
      if (found) return { ...found, path: `.geometries[${i}]${found.path}` };
    }
    return undefined;
  }
  const found = walk(before.coordinates, after.coordinates);
  return found && { ...found, path: `.coordinates${found.path}` };
}

const finite = (p: Position) => Number.isFinite(p[0]) && Number.isFinite(p[1]);

/**
 * The first position of `before` that was finite but that `convert` could not take to WGS 84
 * (NaN in `after`, its reprojection: outside the area the CRS is defined for): for a problem
 * that names it, where validation would only see "not a finite number".
 */
function unconvertedPosition(before: Geometry, after: Geometry): FoundPosition | undefined {
  return firstPosition(before, after, (given, converted) => finite(given) && !finite(converted));
}

/**
 * Kilometres a converted position may lie from its CRS's area of use (src/crs/areas.ts: for a
 * zone of a national datum, the country, offshore included; for a WGS 84 UTM zone, its 6° strip).
 * Data is often kept in one zone beyond its strip, exactly reversible, so only a place no such use
 * explains is refused: what coordinates in centimetres or millimetres, or UTM eastings and
 * northings swapped, give. An area that spans every longitude is the projection's whole domain
 * (Web Mercator to 85.06°): no margin in latitude there.
 */
export const AREA_MARGIN_KM = 1500;

/**
 * About how far [lng, lat] lies from `area`, in km: 0 inside, else the great-circle distance to
 * the box's nearest corner or edge point found by clamping (never less than the true distance).
 */
export function kmFromCrsArea(p: Position, area: CrsArea): number {
  const lat = Math.min(Math.max(p[1], area.south), area.north);
  const width = area.east >= area.west ? area.east - area.west : area.east - area.west + 360; // west > east: across 180°
  const fromWest = (((p[0] - area.west) % 360) + 360) % 360;
  const lng = width >= 360 || fromWest <= width ? p[0] : fromWest - width < 360 - fromWest ? area.east : area.west;
  return haversineKm(p, [lng, lat]);
}

/** EPSG's area description up to its first full stop or colon: "Japan - onshore and offshore", "North America - onshore and offshore". */
const firstSentence = (text: string) => text.split(/\.(?:\s|$)|:/)[0];

/** Whether the area spans every longitude (then it is the projection's whole domain). */
const allLongitudes = (a: CrsArea) => a.east - a.west >= 360;

const deg = (v: number, pos: string, neg: string) => `${+Math.abs(v).toFixed(2)}°${v < 0 ? neg : pos}`;

/**
 * What is wrong with the positions of a geometry converted from `crs` (`after`, from
 * `before`): the first one the CRS cannot take to WGS 84, else the first that lands
 * far from the CRS's area of use (see AREA_MARGIN_KM); undefined when every one is fine.
 */
export function conversionProblem(before: Geometry, after: Geometry, crs: Crs): { path: string; message: CodedMessage } | undefined {
  const lost = unconvertedPosition(before, after);
  if (lost) return { path: lost.path, message: coded('crs.outsideArea', { x: lost.x, y: lost.y, crs: crs.name }) };
  const area = crs.area;
  if (!area || crs.geographic) return undefined;
  const tooFar = (p: Position) =>
    kmFromCrsArea(p, area) > AREA_MARGIN_KM || (allLongitudes(area) && (p[1] > area.north + 1e-6 || p[1] < area.south - 1e-6));
  const far = firstPosition(before, after, (_, converted) => finite(converted) && tooFar(converted));
  if (!far) return undefined;
  const [lng, lat] = far.converted;
  const km = kmFromCrsArea(far.converted, area);
  return {
    path: far.path,
    message: coded('crs.outsideUse', {
      x: far.x,
      y: far.y,
      crs: crs.name,
      lon: +lng.toFixed(4),
      lat: +lat.toFixed(4),
      km: (Math.ceil(km / 10) * 10).toLocaleString('en-US'), // up: never "about 1,500" for a refused 1,504
      bounds: `${deg(area.south, 'N', 'S')}–${deg(area.north, 'N', 'S')}, ${deg(area.west, 'E', 'W')}–${deg(area.east, 'E', 'W')}`,
      area: firstSentence(area.name),
    }),
  };
}

/**
 * Convert a raw feature's geometry to WGS 84 in place. A position the CRS cannot take there
 * (outside the area it is defined for), or takes to a place far from where the CRS is used
 * (see conversionProblem), leaves the feature without a geometry and with a problem naming the
 * position as given and the CRS, instead of NaN that validation would call "not a finite
 * number", or a deposit on the wrong continent. `field`: the geometry's name in the problem
 * (a GeoPackage's geometry column).
 */
export function convertFeature(raw: RawFeatureWithProblems, convert: ToWgs84, crs: Crs, field = 'geometry'): void {
  if (!raw.geometry) return;
  const before = raw.geometry;
  raw.geometry = reprojectGeometry(before, convert);
  const wrong = conversionProblem(before, raw.geometry, crs);
  if (!wrong) return;
  raw.geometry = null;
  const msg = wrong.message;
  (raw.problems ??= []).push({ field: `${field}${wrong.path}`, message: msg.message, code: msg.code, params: msg.params });
}
