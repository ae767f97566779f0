import type { Geometry } from 'geojson';
import type { RawFeatureWithProblems } from '../types';
import { type Crs, resolveCrs } from '../../crs/resolve';
import { conversionProblem, convertFeature, reprojectGeometry, toWgs84 } from '../../crs/to-wgs84';
import { BadInputError } from '../../errors';
import { openTextInput, type TextInputOptions } from '../open-input';

/** The "features" member (not a value "features", as GDAL writes for a layer of that name). */
const FEATURES_MEMBER = /"features"\s*:/;

/** How much of a file's head is searched for a "crs" member before its features. */
const HEAD_CHARS = 64 * 1024;

/**
 * The CRS a GeoJSON file names in a root "crs" member (GeoJSON 2008: `{"type": "name",
 * "properties": {"name": "urn:ogc:def:crs:EPSG::6677"}}`). RFC 7946 dropped the member, but GDAL
 * still writes it for any output not in WGS 84, and files made that way hold eastings and
 * northings, or degrees on another datum (Tokyo: ~400 m off). Undefined when the file names
 * none before its features, or names WGS 84 / CRS84 longitude-latitude. A name no CRS
 * definition matches is a BadInputError naming the file (never silently taken for WGS 84);
 * `--crs` (ReadInputOptions.crs) then says the CRS instead.
 */
export async function legacyGeoJsonCrs(path: string, opts: TextInputOptions = {}): Promise<Crs | undefined> {
  const input = await openTextInput(path, { encoding: opts.encoding });
  let head = '';
  try {
    for await (const chunk of input.stream as AsyncIterable<string>) {
      head += chunk;
      if (head.length >= HEAD_CHARS || FEATURES_MEMBER.test(head)) break;
    }
  } finally {
    input.stream.destroy();
  }
  const cut = head.search(FEATURES_MEMBER);
  const before = cut >= 0 ? head.slice(0, cut) : head.slice(0, HEAD_CHARS);
  const at = before.search(/"crs"\s*:\s*\{/);
  if (at < 0) return undefined;
  return crsNamed(/"properties"\s*:\s*\{[^}]*?"name"\s*:\s*"([^"]{1,300})"/.exec(before.slice(at, at + 600))?.[1], input.name);
}

/** What a "crs" member names, as legacyGeoJsonCrs reads it, for a GeoJSON object parsed whole. */
export function parsedGeoJsonCrs(json: unknown, file: string): Crs | undefined {
  return crsNamed((json as { crs?: { properties?: { name?: unknown } } } | null)?.crs?.properties?.name, file);
}

/** The CRS a member's name gives; undefined for none, or for WGS 84 / CRS84 longitude-latitude. */
function crsNamed(name: unknown, file: string): Crs | undefined {
  if (typeof name !== 'string' || /crs:?84$/i.test(name)) return undefined;
  const crs = resolveCrs(name, `${file} ("crs" member)`);
  return crs.code === 4326 ? undefined : crs;
}

/**
 * A GeoJSON object parsed whole (a query area, sites) with its coordinates in WGS 84: converted
 * in place from the CRS its "crs" member names, if any (see legacyGeoJsonCrs).
 */
export function toWgs84InPlace(json: any, file: string): void {
  const crs = parsedGeoJsonCrs(json, file);
  if (!crs) return;
  const convert = toWgs84(crs);
  // A position the CRS cannot take to WGS 84, or takes far from where it is used, is refused, naming it.
  const fix = (g: unknown, featureIndex?: number) => {
    if (!g || typeof g !== 'object') return g;
    const after = reprojectGeometry(g as Geometry, convert);
    const wrong = conversionProblem(g as Geometry, after, crs);
    if (!wrong) return after;
    const m = wrong.message;
    throw new BadInputError(m, { file, ...(featureIndex !== undefined ? { featureIndex } : {}), field: `geometry${wrong.path}`, message: m.message });
  };
  if (json?.type === 'FeatureCollection' && Array.isArray(json.features)) {
    json.features.forEach((f: any, i: number) => {
      if (f && typeof f === 'object') f.geometry = fix(f.geometry, i);
    });
  } else if (json?.type === 'Feature') json.geometry = fix(json.geometry, 0);
  else if (json && typeof json === 'object' && 'coordinates' in json) Object.assign(json, fix(json));
}

/** Streamed features with their geometry converted to WGS 84 from `crs` (as they are without one). */
export async function* inWgs84(features: AsyncIterable<RawFeatureWithProblems>, crs: Crs | undefined): AsyncGenerator<RawFeatureWithProblems> {
  const convert = crs ? toWgs84(crs) : undefined;
  for await (const f of features) {
    if (convert) convertFeature(f, convert, crs!);
    yield f;
  }
}
