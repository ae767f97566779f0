import type { Geometry, Position } from 'geojson';
import proj4 from 'proj4';
import type { Crs } from './resolve';
import { coded } from '../messages/en';
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
  if (g.type === 'GeometryCollection') return { ...g, geometries: g.geometries.map((x) => reprojectGeometry(x, convert)) };
  return { ...g, coordinates: walk((g as { coordinates: unknown }).coordinates) } as G;
}

/**
 * The first position of `before` that was finite but that `convert` could not take to WGS 84
 * (NaN in `after`, its reprojection: outside the area the CRS is defined for), with its path in
 * the geometry, e.g. ".coordinates[0][3]": for a problem that names it, where validation would
 * only see "not a finite number".
 */
export function unconvertedPosition(before: Geometry, after: Geometry): { path: string; x: number; y: number } | undefined {
  // The path is built only for the position found (no string per position of a large polygon).
  const walk = (a: unknown, b: unknown): { path: string; x: number; y: number } | undefined => {
    if (!Array.isArray(a) || !Array.isArray(b)) return undefined;
    if (typeof a[0] === 'number') {
      return Number.isFinite(a[0]) && Number.isFinite(a[1]) && !(Number.isFinite(b[0]) && Number.isFinite(b[1])) ? { path: '', x: a[0], y: a[1] } : undefined;
    }
    for (let i = 0; i < a.length; i++) {
      const found = walk(a[i], b[i]);
      if (found) return { ...found, path: `[${i}]${found.path}` };
    }
    return undefined;
  };
  if (before.type === 'GeometryCollection' || after.type === 'GeometryCollection') {
    const bs = before.type === 'GeometryCollection' ? before.geometries : [];
    const as = after.type === 'GeometryCollection' ? after.geometries : [];
    for (let i = 0; i < bs.length; i++) {
      const found = as[i] && unconvertedPosition(bs[i], as[i]);
      if (found) return { ...found, path: `.geometries[${i}]${found.path}` };
    }
    return undefined;
  }
  const found = walk(before.coordinates, after.coordinates);
  return found && { ...found, path: `.coordinates${found.path}` };
}

/**
 * Convert a raw feature's geometry to WGS 84 in place. A position the CRS cannot take there
 * (outside the area it is defined for) leaves the feature without a geometry and with a problem
 * naming the position as given and the CRS, instead of NaN that validation would call "not a
 * finite number". `field`: the geometry's name in the problem (a GeoPackage's geometry column).
 */
export function convertFeature(raw: RawFeatureWithProblems, convert: ToWgs84, crs: Crs, field = 'geometry'): void {
  if (!raw.geometry) return;
  const before = raw.geometry;
  raw.geometry = reprojectGeometry(before, convert);
  const lost = unconvertedPosition(before, raw.geometry);
  if (!lost) return;
  raw.geometry = null;
  const msg = coded('crs.outsideArea', { x: lost.x, y: lost.y, crs: crs.name });
  (raw.problems ??= []).push({ field: `${field}${lost.path}`, message: msg.message, code: msg.code, params: msg.params });
}
