import type { Geometry, MultiPolygon, Point, Polygon } from 'geojson';
import { basename, extname } from 'node:path';
import { BadInputError, type Problem } from '../errors';
import { coded, type CodedMessage, shownId } from '../messages/en';
import { type Crs, resolveCrs } from '../crs/resolve';
import { convertFeature, toWgs84 } from '../crs/to-wgs84';
import { RowCrs, type RowCrsUse } from './row-crs';
import { type CsvRawFeature, readCsvFeatureBatches } from '../formats/csv/read';
import { readGeoJsonFeatures } from '../formats/geojson/read';
import { legacyGeoJsonCrs } from '../formats/geojson/legacy-crs';
import { readGpkgLayer } from '../formats/gpkg/read';
import { openTextInput } from '../formats/open-input';
import { readZippedShapefile } from '../formats/shapefile/read';
import type { RawFeatureWithProblems } from '../formats/types';
import { validateGeometry } from '../geometry/validate';
import type { DepositFields } from '../model/deposit';
import { isUuid } from '../model/ids';
import { mapDepositProperties, mapSurveyProperties } from '../model/mapping';
import type { SurveyFields } from '../model/survey';
import { validateDepositFields, validateSurveyFields } from '../model/validate-record';
import type { Layer } from '../store/columns';
import type { AuditIn } from '../store/write-session';
import type { TaskOptions } from '../task';
import { applyFieldMap, checkFieldMap, type FieldMap } from './field-map';
import { UuidSet } from './uuid-set';

export type InputFormat = 'geojson' | 'csv' | 'gpkg' | 'shapefile';

export interface ReadInputOptions extends TaskOptions {
  /** Force every feature into this layer (default: points → deposits, polygons → surveys). */
  layer?: Layer;
  format?: InputFormat;
  /** CSV geometry columns, when auto-detection is not enough. */
  csv?: { lon?: string; lat?: string; wkt?: string; delimiter?: string };
  /**
   * CRS of the input's coordinates ("EPSG:6677", "+proj=…", WKT), converted to WGS 84 on read.
   * CSV: the x/y (or WKT) columns are in this CRS. GeoPackage/Shapefile: used when the file
   * states none (or overrides it). GeoJSON: WGS 84 (RFC 7946), or what a legacy "crs" member names; this overrides it.
   */
  crs?: string;
  /** GeoPackage layer or shapefile (in a .zip) to read, when the file holds several. */
  sourceLayer?: string;
  /** Text encoding of a CSV or GeoJSON file (see TextInputOptions.encoding; default UTF-8). */
  encoding?: string;
  /** The user's mapping of source fields onto Outcrop fields (src/import/field-map.ts). */
  fieldMap?: FieldMap;
  /** Told which CRS the coordinates are converted from, when they are not WGS 84 already. */
  onCrs?(crs: Crs): void;
  /** Told, at the end of a CSV, each CRS its CRS column named for some rows, and how many (see RowCrs). */
  onRowCrs?(use: RowCrsUse): void;
}

/** One feature after the whole validation pipeline: ready to write, or with its problems. */
export type CheckedFeature =
  // geometry null: the feature has no location (see checkFeature).
  | { ok: true; raw: RawFeatureWithProblems; layer: 'deposits'; id: string | undefined; fields: DepositFields; geometry: Point | null; audit: Partial<AuditIn> }
  | { ok: true; raw: RawFeatureWithProblems; layer: 'surveys'; id: string | undefined; fields: SurveyFields; geometry: Polygon | MultiPolygon | null; audit: Partial<AuditIn> }
  | { ok: false; raw: RawFeatureWithProblems; problems: Problem[] };

export function detectFormat(path: string, forced?: InputFormat): InputFormat {
  if (forced) return forced;
  const ext = extname(path.replace(/\.gz$/i, '')).toLowerCase();
  if (ext === '.geojson' || ext === '.json') return 'geojson';
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  if (ext === '.gpkg') return 'gpkg';
  if (ext === '.zip' || ext === '.shp') return 'shapefile'; // zipped, or a .shp beside its .dbf/.prj
  throw new BadInputError(coded('import.unknownExtension', { file: path, ext }));
}

/**
 * Read, validate and map every feature of a file. Nothing is written: `import` writes the ok
 * ones, `validate` just reports. Problems name file, feature index (and id), field and reason.
 */
export async function* checkFile(path: string, opts: ReadInputOptions = {}): AsyncGenerator<CheckedFeature> {
  for await (const batch of checkFileBatches(path, opts)) {
    for (const c of batch) {
      opts.signal?.throwIfAborted(); // the caller may abort between features
      yield c;
    }
  }
}

/**
 * `checkFile` in batches, as the reader hands them over (CSV: about a hundred rows; other
 * formats: one feature each). For bulk work: one async step per batch, not per feature.
 */
export async function* checkFileBatches(path: string, opts: ReadInputOptions = {}): AsyncGenerator<CheckedFeature[]> {
  const format = detectFormat(path, opts.format);
  const seenIds = new UuidSet(); // 16 bytes an id, no strings kept (see uuid-set.ts)
  if (opts.fieldMap) checkFieldMap(opts.layer, opts.fieldMap, basename(path));
  if (format === 'gpkg' || format === 'shapefile') {
    const file = basename(path);
    const readOpts = { layer: opts.sourceLayer, crs: opts.crs, signal: opts.signal, onProgress: opts.onProgress, onCrs: opts.onCrs };
    const reader = format === 'gpkg' ? readGpkgLayer(path, readOpts) : readZippedShapefile(path, readOpts);
    for await (const raw of reader) yield [checkFeature(raw, file, opts.layer, seenIds, opts.fieldMap)];
    return;
  }
  const input = await openTextInput(path, opts);
  const file = input.name;
  let givenCrs: Crs | undefined;
  let fileCrs: Crs | undefined;
  try {
    // --crs (CSV x/y in a projected CRS, or a GeoJSON's): converted here, so validateGeometry range-checks the result.
    givenCrs = opts.crs ? resolveCrs(opts.crs, `${file} (--crs)`) : undefined;
    // A GeoJSON file may name its CRS in a "crs" member (GeoJSON 2008, as GDAL writes for any
    // output not in WGS 84): converted too, so a projected or Tokyo-datum file lands where it should.
    // --crs, given for such a file, says its CRS instead (one the member names that Outcrop does not know).
    fileCrs = givenCrs ?? (format === 'geojson' ? await legacyGeoJsonCrs(path, opts) : undefined);
  } catch (err) {
    input.stream.destroy();
    throw err;
  }
  if (fileCrs) opts.onCrs?.(fileCrs);
  const convert = fileCrs ? toWgs84(fileCrs) : undefined;
  // Without --crs, a CSV may say the CRS row by row (MinMod's "crs" column: NAD27 or WGS 84).
  const rowCrs = format === 'csv' && !givenCrs ? new RowCrs() : undefined;
  const reader =
    format === 'geojson'
      ? oneByOne(readGeoJsonFeatures(input, { signal: opts.signal, onProgress: opts.onProgress }))
      : readCsvFeatureBatches(input, { ...opts.csv, signal: opts.signal, onProgress: opts.onProgress });
  try {
    for await (const raws of reader) {
      const checked: CheckedFeature[] = [];
      try {
        for (const raw of raws) {
          if (fileCrs && convert && raw.geometry) convertFeature(raw, convert, fileCrs);
          else rowCrs?.apply(raw);
          checked.push(checkFeature(raw, file, opts.layer, seenIds, opts.fieldMap));
        }
      } catch (err) {
        if (checked.length) yield checked; // the features before the failure, as one by one
        throw err;
      }
      yield checked;
    }
    for (const use of rowCrs?.uses() ?? []) opts.onRowCrs?.(use);
  } finally {
    input.stream.destroy();
  }
}

/** A problem with the file and feature it belongs to filled in. */
function inContext(p: Problem, raw: RawFeatureWithProblems, file: string): Problem {
  // An id too long to be one (a hostile 60 MB "id") is named by its start and length, as a line shows it.
  const id = typeof raw.id === 'string' ? shownId(raw.id) : raw.id;
  const ctx = { file, featureIndex: raw.index, featureId: id, line: raw.line }; // first, in this order
  return { ...ctx, ...p, file, featureIndex: raw.index, featureId: id ?? p.featureId, line: p.line ?? raw.line };
}

/** Append `found` to `problems`, each with its file and feature (most lists are empty). */
function addInContext(problems: Problem[], found: readonly Problem[] | undefined, raw: RawFeatureWithProblems, file: string): void {
  if (found) for (const p of found) problems.push(inContext(p, raw, file));
}

async function* oneByOne<T>(items: AsyncIterable<T>): AsyncGenerator<T[]> {
  for await (const item of items) yield [item];
}

function checkFeature(raw: RawFeatureWithProblems, file: string, forced: Layer | undefined, seenIds: UuidSet, fieldMap?: FieldMap): CheckedFeature {
  const problems: Problem[] = [];
  addInContext(problems, raw.problems, raw, file);
  const props = fieldMap ? applyFieldMap(raw.properties, fieldMap) : { ...raw.properties };
  // A bare geometry (a drawn area or point saved on its own) has nothing to name it but its file.
  if (raw.bare && props.name === undefined) props.name = fileStem(file);
  // A feature the file says has no location ("geometry": null, a NULL geometry in a GeoPackage,
  // a null shape, empty coordinate cells): stored without one, shown as "(no location)" until
  // someone places it. A missing geometry member is a problem the reader already reported.
  const unlocated = raw.geometry === null || raw.geometry === undefined;
  // A feature of an --skip-invalid report (src/import/import-file.ts) comes back without the
  // report's own properties; one that still has no location was rejected for it, so it still is.
  const reported = takeReportProperties(props);
  if (unlocated && reported !== undefined) {
    problems.push(inContext({ field: 'geometry', ...coded('import.reportedUnlocated', { problems: reported }) }, raw, file));
  }
  // No geometry because the reader refused it (not a feature, unreadable WKT …): its problems say
  // all there is; a guessed layer's record checks would only add noise.
  if (unlocated && problems.length) return { ok: false, raw, problems };
  let geometry: Geometry | null = null;
  let layer: Layer | undefined;
  if (unlocated) {
    // The layer the file declares (a line layer's feature is no more storable without its line),
    // else what its properties are.
    const declared = declaredType(raw.declaredGeometry);
    layer = forced ?? (declared ? layerForType(declared) : layerForUnlocated(props));
    if (!layer) {
      problems.push(inContext({ field: 'geometry.type', ...coded('import.notStorable', { type: declared! }) }, raw, file));
      return { ok: false, raw, problems };
    }
  } else {
    const g = validateGeometry(raw.geometry, { file, featureIndex: raw.index, featureId: raw.id });
    const columns = (raw as CsvRawFeature).coordinateColumns;
    addInContext(problems, columns ? g.problems.map((p) => inCsvColumn(p, columns)) : g.problems, raw, file);
    geometry = g.geometry;
    // Route by the normalised geometry, or by the raw type when it failed validation, so a
    // broken polygon is reported as a survey (not as a deposit with a confusing "name" error).
    layer = forced ?? (geometry ? layerFor(geometry) : layerForType((raw.geometry as { type?: unknown }).type));
  }
  if (geometry && layer) {
    const fit = fitToLayer(geometry, layer);
    if ('code' in fit) problems.push(inContext({ field: 'geometry.type', ...fit }, raw, file));
    else geometry = fit;
  } else if (geometry && !layer) {
    problems.push(inContext({ field: 'geometry.type', ...coded('import.notStorable', { type: geometry.type }) }, raw, file));
  }

  if (raw.geometry?.type === 'Point' && Array.isArray(raw.geometry.coordinates) && raw.geometry.coordinates.length > 2) {
    // Keep the elevation of a 3D point rather than dropping it silently.
    props.z = raw.geometry.coordinates[2];
  }
  let id: string | undefined;
  if (raw.id !== undefined && raw.id !== null && raw.id !== '') {
    const s = String(raw.id);
    if (isUuid(s)) {
      id = s.toLowerCase();
      // Outcrop's GeoJSON export writes a source's own `id` property as `extra_id` (see
      // withSourceIdAside in src/export/export-file.ts): beside an Outcrop id it gets its name back.
      if (props.extra_id !== undefined && props.id === undefined) {
        props.id = props.extra_id;
        delete props.extra_id;
      }
      if (!seenIds.add(id)) problems.push(inContext({ field: 'id', ...coded('import.duplicateId', { id: s }) }, raw, file));
    } else if (props.feature_id === undefined) {
      // Not an Outcrop id (e.g. an Earth MRI project URL): kept as a property, never lost.
      props.feature_id = raw.id;
    }
  }
  const audit = takeAudit(props, raw, file, problems);
  const targetLayer = layer ?? 'deposits';
  const mapped = targetLayer === 'deposits' ? mapDepositProperties(props) : mapSurveyProperties(props);
  addInContext(problems, mapped.problems, raw, file);
  if (!mapped.problems.length) {
    const recordProblems =
      targetLayer === 'deposits'
        ? validateDepositFields(mapped.fields as DepositFields)
        : validateSurveyFields(mapped.fields as SurveyFields);
    addInContext(problems, recordProblems, raw, file);
  }
  if (problems.length || !layer || (!geometry && !unlocated)) return { ok: false, raw, problems };
  return layer === 'deposits'
    ? { ok: true, raw, layer, id, fields: mapped.fields as DepositFields, geometry: geometry as Point | null, audit }
    : { ok: true, raw, layer, id, fields: mapped.fields as SurveyFields, geometry: geometry as Polygon | MultiPolygon | null, audit };
}

/**
 * A problem of a CSV row's point named by the user's column ("lat"), not by the GeoJSON path the
 * checks use: the latitude's column for a latitude out of range, the longitude's for a longitude
 * (and for both at once, as a CSV row without coordinates is).
 */
function inCsvColumn(p: Problem, columns: { lon: string; lat: string }): Problem {
  if (p.field !== 'geometry.coordinates') return p;
  const axis = p.params?.axis;
  const lat = axis === 'latitude' || (axis === undefined && /^coord\.lat/.test(p.code ?? ''));
  return { ...p, field: lat ? columns.lat : columns.lon };
}

/** Properties an import report adds to each rejected feature: removed; their problems as text, if there were any. */
function takeReportProperties(props: Record<string, unknown>): string | undefined {
  if (!('outcrop_problems' in props)) return undefined;
  const listed = props.outcrop_problems;
  delete props.outcrop_problems;
  delete props.outcrop_feature_index;
  delete props.outcrop_line;
  delete props.outcrop_geometry; // what stood where the geometry belongs, kept by the report (import-file.ts)
  return Array.isArray(listed) ? listed.join('; ') : String(listed ?? '');
}

/** A file's name without its folder and extensions (`Kushiro coast.geojson.gz` → `Kushiro coast`). */
function fileStem(file: string): string {
  return basename(file).replace(/(\.gz)?$/i, '').replace(/\.[^.]*$/, '') || basename(file);
}

const DECLARED_TYPES: Record<string, string> = {
  POINT: 'Point', MULTIPOINT: 'MultiPoint', POLYGON: 'Polygon', MULTIPOLYGON: 'MultiPolygon',
  LINESTRING: 'LineString', MULTILINESTRING: 'MultiLineString', POLYLINE: 'LineString',
};

/** A layer's declared geometry type ("MULTIPOLYGON", "POINT Z", "PolyLine") in GeoJSON's spelling; undefined for a generic GEOMETRY. */
function declaredType(declared: string | undefined): string | undefined {
  return declared ? DECLARED_TYPES[declared.trim().split(/\s+/)[0].toUpperCase()] : undefined;
}

/** Property names only a survey has (the survey fields a deposit lacks, as Outcrop exports them). */
const SURVEY_ONLY_PROPERTIES = new Set(['team', 'methods', 'method', 'start_date', 'end_date']);
/** Property names only a deposit has. */
const DEPOSIT_ONLY_PROPERTIES = new Set(['commodities_main', 'commodities_secondary', 'commodities', 'commodity', 'deposit_type', 'resources', 'host_rock']);

/**
 * The layer of a feature without a geometry, without --layer, in a file that declares no
 * geometry type for its layer: surveys when more of its properties are a survey's (team,
 * methods, dates) than a deposit's (commodities, type, resources): an Outcrop survey with a
 * "commodity" extra property is still a survey; deposits otherwise.
 */
function layerForUnlocated(properties: Record<string, unknown>): Layer {
  let survey = 0;
  let deposit = 0;
  for (const key of Object.keys(properties)) {
    const k = key.toLowerCase();
    if (DEPOSIT_ONLY_PROPERTIES.has(k)) deposit++;
    else if (SURVEY_ONLY_PROPERTIES.has(k)) survey++;
  }
  return survey > deposit ? 'surveys' : 'deposits';
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

const AUDIT_TIMES = [['createdAt', 'created_at'], ['updatedAt', 'updated_at']] as const;
const AUDIT_ACTORS = [['createdBy', 'created_by'], ['updatedBy', 'updated_by']] as const;

/**
 * Audit columns of an Outcrop export (created_at … updated_by) come back as audit data, not as
 * extra properties, so export → import → export is exact. Other sources rarely have them.
 */
function takeAudit(props: Record<string, unknown>, raw: RawFeatureWithProblems, file: string, problems: Problem[]): Partial<AuditIn> {
  const audit: Partial<AuditIn> = {};
  for (const [key, prop] of AUDIT_TIMES) {
    const v = props[prop];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string' || !ISO_TIMESTAMP.test(v) || Number.isNaN(Date.parse(v))) {
      problems.push(inContext({ field: prop, ...coded('import.notTimestamp', { value: JSON.stringify(v) }) }, raw, file));
    } else audit[key] = new Date(v).toISOString();
    delete props[prop];
  }
  for (const [key, prop] of AUDIT_ACTORS) {
    const v = props[prop];
    if (v === undefined) continue;
    audit[key] = v === null || v === '' ? null : String(v);
    delete props[prop];
  }
  return audit;
}

function layerForType(t: unknown): Layer | undefined {
  if (t === 'Point' || t === 'MultiPoint') return 'deposits';
  if (t === 'Polygon' || t === 'MultiPolygon') return 'surveys';
  return undefined;
}

function layerFor(g: Geometry): Layer | undefined {
  if (g.type === 'Point' || (g.type === 'MultiPoint' && g.coordinates.length === 1)) return 'deposits';
  if (g.type === 'Polygon' || g.type === 'MultiPolygon') return 'surveys';
  return undefined;
}

/** The geometry in the form the layer stores, or a message saying why it does not fit. */
function fitToLayer(g: Geometry, layer: Layer): Geometry | CodedMessage {
  if (layer === 'deposits') {
    if (g.type === 'Point') return g;
    if (g.type === 'MultiPoint' && g.coordinates.length === 1) return { type: 'Point', coordinates: g.coordinates[0] };
    if (g.type === 'MultiPoint') return coded('import.multiPointDeposit', { count: g.coordinates.length });
    return coded('import.depositNotPoint', { type: g.type });
  }
  if (g.type === 'Polygon' || g.type === 'MultiPolygon') return g;
  return coded('import.surveyNotPolygon', { type: g.type });
}
