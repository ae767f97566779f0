import type { Feature, Point } from 'geojson';
import { booleanPointInPolygon } from '@turf/turf';
import { extname } from 'node:path';
import { fromWgs84, reprojectGeometry, resolveCrs } from '../crs';
import { codedError } from '../errors';
import { coded } from '../messages/en';
import { writeCsv } from '../formats/csv/write';
import { writeGeoJson } from '../formats/geojson/write';
import { exportGeoPackage } from './gpkg-export';
import { isProjectFile } from '../formats/same-file';
import { isRowCrsColumnName } from '../formats/csv/columns';
import { crsOfCell } from '../import/row-crs';
import { withLabels } from './labels';
import { iterateFeatures } from '../spatial/features';
import type { Layer, RecordFeature } from '../store/columns';
import { Project } from '../store/project';
import { countRows, type FeatureFilter, filterForLayer, type getSurvey } from '../store/read';
import { surveyWithOutline } from '../spatial/within-area';
import type { TaskOptions } from '../task';

export type ExportFormat = 'geojson' | 'csv' | 'gpkg';

export interface ExportOptions extends TaskOptions {
  /** Which layers; default: both for GeoJSON, deposits for CSV (one table per CSV file). */
  layers?: Layer[];
  format?: ExportFormat;
  filter?: FeatureFilter;
  /** Deposits of this survey: recorded in it (survey_id) or inside its area; plus the survey itself. */
  surveyId?: string;
  /** CSV geometry encoding. */
  csvGeometry?: 'auto' | 'latlon' | 'wkt';
  /** Write vocabulary labels in this language instead of codes (imports read either). */
  labels?: 'en' | 'ja';
  /**
   * Reproject to this CRS ("EPSG:6677", a +proj string for CSV). CSV and GeoPackage only:
   * GeoJSON is WGS 84 by definition (RFC 7946). Projected CSV points get `x,y` columns.
   */
  crs?: string;
}

export interface ExportResult {
  file: string;
  count: number;
  layers: Layer[];
}

const DEPOSIT_ONLY: (keyof FeatureFilter)[] = ['commodity', 'status', 'depositType'];

/**
 * Export features to GeoJSON (RFC 7946), CSV or GeoPackage, streamed, written atomically.
 * Everything is read from one snapshot, through a read-only connection of the export's own: a
 * write that commits meanwhile (an import, a merge, QGIS) is either wholly in the file or not at
 * all, and the project's connection stays free for the app (tiles, edits) while the export runs.
 */
export async function exportFile(project: Project, outPath: string, opts: ExportOptions = {}): Promise<ExportResult> {
  // Whatever its name (a project may be called p.csv), the project is never an export's target.
  if (isProjectFile(outPath, project.file)) throw codedError('USAGE', coded('export.ontoItself'));
  const reader = Project.open(project.file, { readonly: true });
  try {
    reader.db.exec('BEGIN'); // deferred: the snapshot is taken at the first read and held to the end
    return await exportSnapshot(reader, outPath, opts);
  } finally {
    if (reader.db.inTransaction) reader.db.exec('COMMIT');
    reader.close();
  }
}

async function exportSnapshot(project: Project, outPath: string, opts: ExportOptions): Promise<ExportResult> {
  const format = opts.format ?? formatOf(outPath);
  const filter = opts.filter ?? {};
  const depositOnly = DEPOSIT_ONLY.some((k) => (filter[k] as unknown[] | undefined)?.length);
  let layers: Layer[] = opts.layers ?? (format === 'csv' || depositOnly ? ['deposits'] : ['deposits', 'surveys']);
  if (depositOnly && layers.includes('surveys')) {
    if (opts.layers) throw codedError('USAGE', coded('export.filtersDepositsOnly'));
    layers = ['deposits'];
  }
  const crs = opts.crs ? resolveCrs(opts.crs, '--crs') : undefined;
  if (crs && format === 'geojson') throw codedError('USAGE', coded('export.geojsonCrs'));
  if (crs && format === 'gpkg' && crs.code === undefined) throw codedError('USAGE', coded('export.gpkgCrsCode', { crs: JSON.stringify(opts.crs) }));
  if (format === 'gpkg') {
    if (opts.surveyId) throw codedError('USAGE', coded('export.gpkgSurvey'));
    const r = await exportGeoPackage(project, outPath, { layers, filter, labels: opts.labels, crs, signal: opts.signal, onProgress: opts.onProgress });
    return { file: r.file, count: Object.values(r.counts).reduce((a, b) => a + b, 0), layers };
  }
  if (format === 'csv' && layers.length > 1) {
    throw codedError('USAGE', coded('export.csvOneLayer'));
  }
  const area = opts.surveyId ? surveyWithOutline(project, opts.surveyId) : undefined;
  const total = layers.reduce((n, l) => n + countRows(project, l, filterForLayer(l, filter)), 0);
  const features = function* (): Generator<Feature> {
    for (const layer of layers) {
      const f = filterForLayer(layer, filter);
      for (const feat of iterateFeatures(project, layer, f, { flattenExtra: true, signal: opts.signal })) {
        if (area && !inSurvey(layer, feat, area)) continue;
        let out = (opts.labels ? { ...feat, properties: withLabels(layer, feat.properties, opts.labels) } : feat) as Feature;
        if (format === 'csv') out = withRowCrs(out, crsId);
        else if (format === 'geojson') out = withSourceIdAside(out);
        yield toTarget && out.geometry ? { ...out, geometry: reprojectGeometry(out.geometry, toTarget) } : out;
      }
    }
  };
  const toTarget = crs && crs.code !== 4326 ? fromWgs84(crs) : undefined;
  const crsId = crs?.code ? `EPSG:${crs.code}` : crs ? crs.proj4 : 'EPSG:4326';
  const common = { signal: opts.signal, onProgress: opts.onProgress, total };
  const { count } =
    format === 'geojson'
      ? await writeGeoJson(features(), outPath, common)
      : await writeCsv(features(), outPath, {
          ...common,
          // Survey areas are WKT whatever the first rows hold (the first may all lack an outline,
          // which the look-ahead would take for points).
          geometry: (opts.csvGeometry ?? 'auto') === 'auto' && layers.includes('surveys') ? 'wkt' : (opts.csvGeometry ?? 'auto'),
          ...(crs && !crs.geographic ? { xyColumns: ['x', 'y'] as [string, string] } : {}),
        });
  return { file: outPath, count, layers };
}

/**
 * A source's own `id` property (e.g. USMIN "AR00002") as `extra_id` in GeoJSON: GDAL, and so
 * QGIS, read `properties.id` as the feature's `id` field and drop the Feature's id, Outcrop's
 * UUID, so a copy made with them would come back as new records. The import gives the name back
 * (src/import/pipeline.ts, beside an Outcrop UUID).
 */
function withSourceIdAside(f: Feature): Feature {
  const props = f.properties;
  if (!props || !('id' in props) || 'extra_id' in props) return f;
  const { id, ...rest } = props;
  return { ...f, properties: { ...rest, extra_id: id } };
}

/**
 * A CSV row's CRS column (a `crs` cell kept from the source, as MinMod has) rewritten to the CRS
 * the row's coordinates are written in: an import reads that column row by row, so a stale
 * value would shift the row when the file comes back.
 */
function withRowCrs(f: Feature, crsId: string): Feature {
  const props = f.properties ?? {};
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(props)) {
    // Only a value that names a CRS: a "Datum" column of dates stays as it is.
    if (isRowCrsColumnName(k) && typeof props[k] === 'string' && crsOfCell(props[k] as string)) (out ??= { ...props })[k] = crsId;
  }
  return out ? { ...f, properties: out } : f;
}

function inSurvey(layer: Layer, f: RecordFeature, survey: NonNullable<ReturnType<typeof getSurvey>>): boolean {
  if (layer === 'surveys') return f.id === survey.id;
  return f.properties.survey_id === survey.id || (f.geometry !== null && booleanPointInPolygon((f.geometry as Point).coordinates, survey.geometry));
}

function formatOf(path: string): ExportFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.geojson' || ext === '.json') return 'geojson';
  if (ext === '.csv') return 'csv';
  if (ext === '.gpkg') return 'gpkg';
  throw codedError('USAGE', coded('export.unknownExtension', { ext }));
}
