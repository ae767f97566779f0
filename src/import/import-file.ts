import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Crs } from '../crs/resolve';
import { asCancelled, codedError, errorKey, OutcropError, type Problem, ValidationError } from '../errors';
import { AtomicFile } from '../formats/atomic-write';
import { isProjectFile, sameFile } from '../formats/same-file';
import { coded } from '../messages/en';
import type { Project } from '../store/project';
import { insertValuesToFeatureJson } from '../store/columns';
import { decodeGeometry } from '../store/gpkg/geometry-blob';
import type { PreparedInsert } from '../store/write-session';
import { detectFormat, type ReadInputOptions } from './pipeline';
import { prepareFile } from './prepare-file';
import { prepareFileInWorker } from './prepare-in-worker';
import type { RowCrsUse } from './row-crs';

export interface ImportOptions extends ReadInputOptions {
  /** Store the valid features and report the rejected ones (default: reject the whole file). */
  skipInvalid?: boolean;
  /** Where the report of rejected features goes (GeoJSON); only with skipInvalid. */
  reportPath?: string;
  /** Stop collecting problem details after this many (the count stays exact). Default 1000. */
  maxProblems?: number;
  /**
   * Read, validate and map in a worker thread beside the SQLite writer: 'auto' (default) for
   * files of WORKER_MIN_BYTES or more, where it pays for the worker's start-up; 'never' keeps
   * everything in this thread; 'always' is for tests.
   */
  worker?: 'auto' | 'always' | 'never';
}

/** Smallest file (bytes on disk) that 'auto' reads in a worker thread; below, start-up costs more than it saves. */
export const WORKER_MIN_BYTES = 2 * 1024 * 1024;

export interface ImportResult {
  file: string;
  written: { deposits: number; surveys: number };
  rejected: number;
  /** The first `maxProblems` problems. */
  problems: Problem[];
  reportPath?: string;
  opId: number;
  /**
   * The CRS the coordinates were converted from to WGS 84 (GeoPackage/Shapefile srs or .prj,
   * or --crs), with the approximation note when there is one (NAD27 without grids).
   */
  sourceCrs?: { name: string; code?: number; note?: string };
  /** CRSs a CSV's CRS column named for some rows, each converted to WGS 84, with how many rows (see RowCrs). */
  rowCrs?: RowCrsUse[];
  /**
   * Source properties that have no Outcrop field and were kept verbatim in `extra`, with how many
   * written features carry each (most first). Nothing is dropped: this says where it went.
   */
  extraFields: { name: string; count: number }[];
  /** Written features the file gave no location (a null geometry, empty coordinate cells): listed as "(no location)" until placed. */
  unlocated?: number;
  /**
   * A file of the same name and size imported into this project before (the latest such import):
   * likely the same file again, whose features without ids are now in the project twice.
   */
  importedBefore?: { at: string; by: string | null; features: number };
}

/**
 * Import a GeoJSON or CSV file into the project as one operation in one transaction. Without
 * `skipInvalid`, any invalid feature rejects the whole file and the project is unchanged; a
 * cancel (signal) or crash also leaves it unchanged.
 */
export async function importFile(project: Project, path: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const file = basename(path);
  const format = detectFormat(path, opts.format);
  const maxProblems = opts.maxProblems ?? 1000;
  const sizeBytes = (await stat(path).catch(() => undefined))?.size ?? null;
  if (opts.skipInvalid && opts.reportPath) checkReportPath(opts.reportPath, project.file, path);
  const before = project.db
    .prepare(
      `SELECT imported_at AS at, imported_by AS by, features_written AS features FROM outcrop_sources
       WHERE file_name = ? AND size_bytes = ? AND features_written > 0 ORDER BY op_id DESC LIMIT 1`,
    )
    .get(file, sizeBytes) as ImportResult['importedBefore'];
  // The report is made when the first feature is rejected, and put in place before the COMMIT:
  // a report that cannot be written fails the import, so no rejected feature goes unrecorded.
  let report: AtomicFile | undefined;
  let reportCount = 0;
  const reportLine = async (raw: ReportedFeature, problems: Problem[]) => {
    if (!report) {
      report = await AtomicFile.open(opts.reportPath!);
      await report.write('{"type":"FeatureCollection","features":[\n');
    }
    await writeReportLine(report, reportCount++, raw, problems);
  };
  try {
    return await project.write('import', `Import ${file}`, async (w) => {
      w.beginBulk('deposits');
      w.beginBulk('surveys');
      const written = { deposits: 0, surveys: 0 };
      const problems: Problem[] = [];
      let sourceCrs: ImportResult['sourceCrs'];
      let rejected = 0;
      let unlocated = 0;
      let n = 0;
      const onCrs = (crs: Crs) => {
        if (crs.code !== 4326) sourceCrs = { name: crs.name, ...(crs.code ? { code: crs.code } : {}), ...(crs.note ? { note: crs.note } : {}) };
      };
      const useWorker = opts.worker === 'always' || (opts.worker !== 'never' && (sizeBytes ?? 0) >= WORKER_MIN_BYTES);
      const extra = new Map<string, number>();
      const rowCrs: RowCrsUse[] = [];
      const onRowCrs = (use: RowCrsUse) => rowCrs.push(use);
      const prepared = (useWorker ? prepareFileInWorker : prepareFile)(path, { ...opts, onCrs, onRowCrs }, w.auditDefaults(), extra);
      for await (const batch of prepared) {
        for (const c of batch) {
          if (++n % 1000 === 0) {
            opts.signal?.throwIfAborted();
            opts.onProgress?.({ phase: 'import', done: n, unit: 'features' });
          }
          if (!c.ok) {
            rejected++;
            for (const p of c.problems) if (problems.length < maxProblems) problems.push(p);
            if (opts.skipInvalid && opts.reportPath) await reportLine(c.raw, c.problems);
            continue;
          }
          if (rejected && !opts.skipInvalid) {
            // Keep reading to report every problem, including ids the project already has.
            if (!c.insert.minted && idTaken(project, c.insert)) {
              rejected++;
              if (problems.length < maxProblems) problems.push(idClash(file, n - 1, c.insert));
            }
            continue;
          }
          try {
            w.insertPrepared(c.insert);
          } catch (err) {
            // An id the project already has (the file was imported, or exported from here, before):
            // a problem of that feature like any other (SQLite undid just that INSERT).
            if (!(err instanceof OutcropError && errorKey(err)?.key === 'feature.idExists')) throw err;
            rejected++;
            const problem = idClash(file, n - 1, c.insert);
            if (problems.length < maxProblems) problems.push(problem);
            if (opts.skipInvalid && opts.reportPath) await reportLine(rawOfInsert(c.insert, n - 1), [problem]);
            continue;
          }
          written[c.insert.layer]++;
          if (!(c.insert.envelope[0] <= c.insert.envelope[1])) unlocated++; // no geometry (an empty box)
        }
      }
      opts.onProgress?.({ phase: 'import', done: n, total: n, unit: 'features' });
      if (rejected && !opts.skipInvalid) {
        throw new ValidationError(
          problems,
          coded('import.invalidFeatures', { file, rejected, total: n, first: problems.length ? formatFirst(problems[0]) : '' }),
        );
      }
      if (rejected && written.deposits + written.surveys === 0) {
        // Every feature rejected: no operation, no undo step, no source row; the report stays.
        if (report) {
          await report.write('\n]}\n');
          await report.commit();
        }
        throw new ValidationError(
          problems,
          coded('import.allRejected', { file, rejected, first: problems.length ? formatFirst(problems[0]) : '', report: report ? ` (report: ${opts.reportPath})` : '' }),
        );
      }
      // Every ready feature was written (one rejected one stops the import unless skipInvalid).
      const extraFields = [...extra].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
      w.setDetails({ file, format, written, rejected, ...(unlocated ? { unlocated } : {}), ...(sourceCrs ? { sourceCrs } : {}), ...(rowCrs.length ? { rowCrs } : {}), extraFields: extraFields.map((f) => f.name) });
      project.db
        .prepare(
          `INSERT INTO outcrop_sources (op_id, file_name, format, size_bytes, layer, features_written, features_rejected, imported_at, imported_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(w.opId, file, format, sizeBytes, opts.layer ?? null, written.deposits + written.surveys, rejected, w.at, project.actor);
      if (report) {
        await report.write('\n]}\n');
        await report.commit();
      }
      return {
        file,
        written,
        rejected,
        problems,
        reportPath: report ? opts.reportPath : undefined,
        opId: w.opId,
        ...(sourceCrs ? { sourceCrs } : {}),
        ...(rowCrs.length ? { rowCrs } : {}),
        extraFields,
        ...(unlocated ? { unlocated } : {}),
        ...(before && written.deposits + written.surveys > 0 ? { importedBefore: before } : {}),
      };
    });
  } catch (err) {
    throw asCancelled(err) ?? err;
  } finally {
    await report?.abort(); // after a failure or cancel: no report of an import that did not happen
  }
}

/** A report must not land on the project (or its WAL) or on the file being imported. */
function checkReportPath(reportPath: string, projectFile: string, inputPath: string): void {
  if (isProjectFile(reportPath, projectFile)) {
    throw codedError('USAGE', coded('import.reportIsProject', { path: reportPath }), { file: reportPath });
  }
  if (sameFile(reportPath, inputPath)) throw codedError('USAGE', coded('import.reportIsInput', { path: reportPath }), { file: reportPath });
}

function formatFirst(p: Problem): string {
  const where = [p.featureIndex !== undefined ? `feature ${p.featureIndex}` : '', p.field ? `"${p.field}"` : ''].filter(Boolean).join(' ');
  return `${where}: ${p.message}`;
}

/** A feature as the report of rejected features shows it. */
interface ReportedFeature {
  index: number;
  id?: string | number;
  geometry: unknown;
  properties: Record<string, unknown>;
  line?: number;
}

function idTaken(project: Project, p: PreparedInsert): boolean {
  return project.db.prepare(`SELECT 1 FROM ${p.layer} WHERE id = ?`).get(p.id) !== undefined;
}

function idClash(file: string, featureIndex: number, p: PreparedInsert): Problem {
  const msg = coded(p.layer === 'deposits' ? 'import.depositIdExists' : 'import.surveyIdExists', { id: p.id });
  return { file, featureIndex, featureId: p.id, field: 'id', message: msg.message, code: msg.code, params: msg.params };
}

/** A ready feature turned back into the report's form (its fields as an export writes them). */
function rawOfInsert(p: PreparedInsert, index: number): ReportedFeature {
  const f = JSON.parse(insertValuesToFeatureJson(p.layer, p.values, p.values[0] === null ? 'null' : JSON.stringify(decodeGeometry(p.values[0] as Buffer)))) as { id: string; geometry: unknown; properties: Record<string, unknown> };
  return { index, id: f.id, geometry: f.geometry, properties: f.properties };
}

async function writeReportLine(s: AtomicFile, i: number, raw: ReportedFeature, problems: Problem[]) {
  const geometry = reportableGeometry(raw.geometry);
  const f = {
    type: 'Feature',
    ...(raw.id !== undefined ? { id: raw.id } : {}),
    geometry: geometry === undefined ? null : geometry,
    properties: {
      ...raw.properties,
      // What the file had where a geometry belongs, when it is none (the text "POINT(1 2)", a
      // type GeoJSON does not have, coordinates in quotes): kept as JSON text beside the problem,
      // so the report stays GeoJSON that GDAL and QGIS read, and nothing of the feature is lost.
      ...(geometry === undefined ? { outcrop_geometry: jsonText(raw.geometry) } : {}),
      outcrop_feature_index: raw.index,
      outcrop_line: raw.line ?? null,
      outcrop_problems: problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)),
    },
  };
  await s.write((i ? ',\n' : '') + JSON.stringify(f));
}

/** Each geometry type's depth of coordinate lists: a Point's is a list of numbers (1). */
const COORDINATE_DEPTH: Record<string, number> = { Point: 1, MultiPoint: 2, LineString: 2, MultiLineString: 3, Polygon: 3, MultiPolygon: 4 };

/**
 * A rejected feature's geometry as the report can carry it: null stays null, and a geometry
 * GeoJSON readers can parse (a known type; coordinates nested as deep as the type says, finite numbers at the bottom; a
 * collection of such) stays as it was, even if invalid for Outcrop (an open ring, a longitude
 * of 200). Anything else: undefined (see writeReportLine).
 */
function reportableGeometry(g: unknown): unknown {
  if (g === null || g === undefined) return null;
  return isReadableGeometry(g, 0) ? g : undefined;
}

function isReadableGeometry(g: unknown, depth: number): boolean {
  if (typeof g !== 'object' || g === null || Array.isArray(g) || depth > 8) return false; // depth: of collections
  const { type, coordinates, geometries } = g as { type?: unknown; coordinates?: unknown; geometries?: unknown };
  if (type === 'GeometryCollection') return Array.isArray(geometries) && geometries.every((m) => isReadableGeometry(m, depth + 1));
  const lists = typeof type === 'string' && Object.hasOwn(COORDINATE_DEPTH, type) ? COORDINATE_DEPTH[type] : undefined;
  return lists !== undefined && nestedNumbers(coordinates, lists);
}

/** Lists nested exactly `depth` deep with finite numbers at the bottom (a Polygon's [1, 2] is not). */
function nestedNumbers(v: unknown, depth: number): boolean {
  if (!Array.isArray(v)) return false;
  return depth === 1 ? v.every((x) => typeof x === 'number' && Number.isFinite(x)) : v.every((x) => nestedNumbers(x, depth - 1));
}

/** JSON text of anything a reader handed on (it came from JSON, or is plain data); null if it cannot be written. */
function jsonText(v: unknown): string | null {
  try {
    return JSON.stringify(v) ?? null;
  } catch {
    return null;
  }
}

