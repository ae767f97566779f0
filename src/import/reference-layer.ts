import { basename } from 'node:path';
import { BadInputError, type Problem, ValidationError } from '../errors';
import { readGeoJsonFeatures } from '../formats/geojson/read';
import { inWgs84, legacyGeoJsonCrs } from '../formats/geojson/legacy-crs';
import { readGpkgLayer } from '../formats/gpkg/read';
import { openTextInput } from '../formats/open-input';
import { readShapefile } from '../formats/shapefile/read';
import type { RawFeatureWithProblems } from '../formats/types';
import { validateGeometry } from '../geometry/validate';
import { coded } from '../messages/en';
import type { Project } from '../store/project';
import { type ReferenceFeature, type ReferenceLayerInfo, type ReferenceRole, storeReferenceLayer } from '../store/reference-layers';
import type { TaskOptions } from '../task';
import { detectFormat } from './pipeline';

export interface ImportReferenceOptions extends TaskOptions {
  role: ReferenceRole;
  /** Layer name; default: the file name without its extension. */
  name?: string;
  /** Replace a stored layer of the same name (default: refuse). */
  replace?: boolean;
  /** GeoPackage layer or Shapefile in a .zip, when the file holds several. */
  sourceLayer?: string;
  /** Text encoding of a GeoJSON file (see TextInputOptions.encoding; default UTF-8). */
  encoding?: string;
}

/**
 * Import a file (GeoJSON, a GeoPackage layer, a Shapefile) as a reference layer of the project:
 * read, validated and written feature by feature in one transaction (src/store/reference-layers.ts),
 * so a big protected-areas file is never held whole in memory; any refused feature refuses the
 * whole file (every problem listed, naming file, feature and field) and nothing is written.
 */
export async function importReferenceLayer(project: Project, path: string, opts: ImportReferenceOptions): Promise<ReferenceLayerInfo> {
  const name = opts.name ?? basename(path).replace(/\.gz$/i, '').replace(/\.[^.]+$/, '');
  return storeReferenceLayer(project, { name, role: opts.role, sourceFile: basename(path), replace: opts.replace }, readReferenceFile(path, opts.role, name.trim(), opts), opts);
}

/**
 * The features of a file for a reference layer, validated as they are read: geometries checked
 * and normalised by validateGeometry (winding, split at ±180); exclusion zones must be polygons.
 * Problems are gathered while reading on and thrown together at the end (a ValidationError), so
 * the consumer's transaction rolls back.
 */
export async function* readReferenceFile(path: string, role: ReferenceRole, layer: string, opts: TaskOptions & { sourceLayer?: string; encoding?: string } = {}): AsyncGenerator<ReferenceFeature> {
  const format = detectFormat(path);
  const file = basename(path);
  let reader: AsyncIterable<RawFeatureWithProblems>;
  let input: Awaited<ReturnType<typeof openTextInput>> | undefined;
  if (format === 'geojson') {
    const crs = await legacyGeoJsonCrs(path, opts); // a legacy "crs" member, as GDAL writes
    input = await openTextInput(path, opts);
    reader = inWgs84(readGeoJsonFeatures(input, { signal: opts.signal, onProgress: opts.onProgress }), crs);
  } else if (format === 'gpkg' || format === 'shapefile') {
    const readOpts = { layer: opts.sourceLayer, signal: opts.signal, onProgress: opts.onProgress };
    reader = format === 'gpkg' ? readGpkgLayer(path, readOpts) : readShapefile(path, readOpts);
  } else {
    throw new BadInputError(coded('layer.badFormat', { file, format: format.toUpperCase() }));
  }
  const problems: Problem[] = [];
  try {
    for await (const raw of reader) {
      opts.signal?.throwIfAborted();
      const ctx = { file, featureIndex: raw.index, featureId: raw.id };
      if (raw.problems?.length) {
        problems.push(...raw.problems.map((p) => ({ ...ctx, ...p })));
        continue;
      }
      if (!raw.geometry) {
        problems.push({ ...ctx, field: 'geometry', ...coded('layer.noGeometry') });
        continue;
      }
      const v = validateGeometry(raw.geometry, ctx);
      if (v.problems.length || !v.geometry) {
        problems.push(...v.problems.map((p) => ({ ...ctx, ...p })));
        continue;
      }
      if (role === 'exclusion' && v.geometry.type !== 'Polygon' && v.geometry.type !== 'MultiPolygon') {
        problems.push({ ...ctx, field: 'geometry.type', ...coded('layer.zoneNotPolygon', { type: v.geometry.type }) });
        continue;
      }
      // Once a feature is refused the rest is only checked (their problems listed too), not written.
      if (!problems.length) yield { name: featureName(raw, layer), geometry: v.geometry, properties: raw.properties ?? {} };
    }
  } finally {
    input?.stream.destroy();
  }
  if (problems.length) {
    throw new ValidationError(problems.slice(0, 1000), problems.length === 1 ? undefined : coded('layer.invalidFeatures', { file, count: problems.length, first: new ValidationError([problems[0]]).message }));
  }
}
const NAME_KEYS = ['name', 'NAME', 'Name', 'name_en', 'NAME_EN', 'nam', 'title'];

/** The name a feature is reported by: its "name" property (or NAME …), else its id, else "<layer> feature N". */
function featureName(raw: RawFeatureWithProblems, layer: string): string {
  for (const k of NAME_KEYS) {
    const v = raw.properties?.[k];
    if (typeof v === 'string' && v.trim()) return v.trim();
    if (typeof v === 'number') return String(v);
  }
  if (raw.id !== undefined && raw.id !== null && raw.id !== '') return String(raw.id);
  return `${layer} feature ${raw.index}`;
}
