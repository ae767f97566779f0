import { basename } from 'node:path';
import type { MultiPolygon, Polygon } from 'geojson';
import { BadInputError, problemError } from '../../errors';
import { coded } from '../../messages/en';
import { validateGeometry } from '../../geometry/validate';
import { readTextFile, textInput, type TextInputOptions } from '../open-input';
import { readGeoJsonFeatures } from './read';
import { toWgs84InPlace } from './legacy-crs';

/**
 * Small GeoJSON files read whole (query areas, areas of interest, candidate sites), as opposed
 * to imports, which stream. Errors name the file.
 */
export async function readSmallGeoJson(path: string, opts: TextInputOptions = {}): Promise<any> {
  const file = basename(path);
  const text = await readTextFile(path, opts); // its errors (no such file, not text, bad bytes) name the file already
  let json: any;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // JSON.parse says little, and nothing of where: the import's reader words the same mistake
    // with its line and column ("expected ',' or '}', found b"), so let it read the text.
    await throwReaderError(text, file);
    throw new BadInputError(coded('geojson.unreadable', { file, detail: (e as Error).message }));
  }
  toWgs84InPlace(json, file); // a legacy "crs" member (as GDAL writes) names where the coordinates are
  return json;
}

/** Read an AOI file: every polygon of a GeoJSON file, validated and antimeridian-normalised, as one area. */
export async function readAreaFile(path: string, opts: TextInputOptions = {}): Promise<Polygon | MultiPolygon> {
  return areaFromGeoJson(await readSmallGeoJson(path, opts), basename(path));
}

/**
 * Every polygon of a parsed GeoJSON object as one validated area (throws BadInputError on the
 * first problem). The polygons of different features may overlap and are kept as they are: the
 * area means their union (PreparedArea tests "inside any part"; coverage dissolves overlaps
 * before it measures km², see dissolveSteps in spatial/coverage.ts).
 */
export function areaFromGeoJson(json: any, file: string): Polygon | MultiPolygon {
  const geoms: unknown[] =
    json?.type === 'FeatureCollection' ? (json.features ?? []).map((f: any) => f?.geometry) : json?.type === 'Feature' ? [json.geometry] : [json];
  const polys: Polygon['coordinates'][] = [];
  geoms.forEach((g, i) => {
    const r = validateGeometry(g, { file, featureIndex: i });
    if (r.problems.length) throw problemError(r.problems[0]);
    if (r.geometry?.type === 'Polygon') polys.push(r.geometry.coordinates);
    else if (r.geometry?.type === 'MultiPolygon') polys.push(...r.geometry.coordinates);
  });
  if (!polys.length) throw new BadInputError(coded('geojson.noPolygon', { file }));
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
}

/** Read `text` as an import would, for the error it throws (with line and column); returns if it reads. */
async function throwReaderError(text: string, file: string): Promise<void> {
  for await (const _ of readGeoJsonFeatures(textInput(text, file))) {
    // features before the mistake: nothing to do with them here
  }
}
