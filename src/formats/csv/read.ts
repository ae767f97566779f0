import type { Geometry } from 'geojson';
import { BadInputError, codedError, type Problem } from '../../errors';
import { coded, type CodedMessage } from '../../messages/en';
import type { TaskOptions } from '../../task';
import type { OpenedInput } from '../open-input';
import type { RawFeatureWithProblems } from '../types';
import {
  EXTRA_JSON_COLUMN,
  ID_COLUMN,
  LATITUDE_COLUMNS,
  LONGITUDE_COLUMNS,
  WKT_COLUMNS,
  findColumn,
  findNamedColumn,
} from './columns';
import { parseCoordinate, type CoordinateAxis } from './coordinate';
import { parseWkt } from './wkt';
import { csvRecords, CsvSyntaxError } from './records';

export interface CsvReadOptions extends TaskOptions {
  /** Longitude column name (default: detected from the header, see LONGITUDE_COLUMNS). */
  lon?: string;
  /** Latitude column name (default: detected). */
  lat?: string;
  /** WKT column name; when given, lon/lat columns are ignored (default: detected). */
  wkt?: string;
  /** Field delimiter; "tab" means "\t" (default: detected from the header among , ; tab |). */
  delimiter?: string;
  /** Longest record accepted, in bytes; longer ones stop the read (default 16 MiB). */
  maxRecordBytes?: number;
}

const DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;
/** How much text is read ahead to find the header line for delimiter detection. */
const HEAD_LIMIT_CHARS = 1 << 20;
const PROGRESS_EVERY_ROWS = 1000;
const DETECTED_DELIMITERS = [',', ';', '\t', '|'] as const;

type GeometryPlan =
  // wkt: a WKT column beside the lon/lat pair, read for a row whose lon/lat cells are both empty.
  | { kind: 'lonlat'; lon: number; lat: number; lonName: string; latName: string; columns: { lon: string; lat: string }; wkt?: number; wktName?: string }
  | { kind: 'wkt'; wkt: number; wktName: string };

interface ColumnPlan {
  /** Property name for each header column (duplicates and blanks renamed). */
  names: string[];
  nameSet: Set<string>;
  geometry: GeometryPlan;
  idCol: number;
  extraCol: number;
  /** Columns that do not become properties (geometry, id, extra_json). */
  skip: Set<number>;
  /** Per header column: it becomes a property (not in `skip`). */
  isProperty: boolean[];
}

/** A row as the reader gives it. */
export interface CsvRawFeature extends RawFeatureWithProblems {
  /**
   * The header names of the longitude and latitude columns, when the row's point was read from
   * them: a problem the geometry checks find in its coordinates (latitude 95) names them.
   */
  coordinateColumns?: { lon: string; lat: string };
}

/** Problems of one row, each with the row's file, feature index, id and line. */
class RowProblems {
  readonly list: Problem[] = [];

  constructor(
    private readonly file: string,
    private readonly index: number,
    private readonly id: string | undefined,
    private readonly line: number,
  ) {}

  add(message: CodedMessage, field?: string): void {
    const { file, index, id, line } = this;
    this.list.push({ file, featureIndex: index, ...(id !== undefined ? { featureId: id } : {}), line, ...(field !== undefined ? { field } : {}), code: message.code, params: message.params, message: message.message });
  }
}

/**
 * Stream a CSV file as raw features, one per data row, in file order with bounded memory.
 *
 * Geometry comes from a longitude/latitude column pair (decimal degrees or DMS, WGS 84,
 * written as a Point `[lng, lat]`) or from a WKT column; both are detected from the header
 * unless named in `opts`. The geometry columns and an `id` column (which becomes the feature
 * id) are left out of the properties; every other column is kept as a string property, "" for
 * an empty cell. An `extra_json` column (as written by `writeCsv`) is merged back into the
 * properties. Rows with every cell empty are skipped.
 *
 * Row-level trouble (bad coordinates, bad WKT, a wrong number of fields) is reported in the
 * feature's `problems`; a file that cannot be read as CSV at all (no header, no geometry
 * columns, a quote never closed, a record over `maxRecordBytes`) throws BadInputError naming
 * the file, the line where the record starts and the column.
 */
export async function* readCsvFeatures(
  input: OpenedInput,
  opts: CsvReadOptions = {},
): AsyncGenerator<RawFeatureWithProblems> {
  for await (const batch of readCsvFeatureBatches(input, opts)) {
    for (const f of batch) {
      opts.signal?.throwIfAborted(); // the caller may abort between rows
      yield f;
    }
  }
}

/**
 * `readCsvFeatures`, one batch per parsed piece of text (about a hundred rows): an async step
 * per row costs more than the rest of reading it, and imports take rows in bulk anyway.
 */
export async function* readCsvFeatureBatches(
  input: OpenedInput,
  opts: CsvReadOptions = {},
): AsyncGenerator<RawFeatureWithProblems[]> {
  const file = input.name;
  const source = input.stream[Symbol.asyncIterator]() as AsyncIterator<string | Buffer>;
  let plan: ColumnPlan | undefined;
  let header: string[] | undefined;
  let index = 0;
  try {
    const head = await readHead(source);
    const delimiter = resolveDelimiter(opts.delimiter, head, file);
    const records = csvRecords(prepend(head, source), { delimiter, maxRecordChars: opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES });
    for await (const batch of records) {
      const features: RawFeatureWithProblems[] = [];
      for (const { record, line } of batch) {
        if (!plan) {
          if (record.length === 1 && record[0] === '') continue; // empty lines before the header
          header = record;
          plan = planColumns(record, line, file, opts, delimiter);
          continue;
        }
        if (isBlank(record)) continue;
        if (opts.signal?.aborted) {
          if (features.length) yield features; // the rows before the abort, as row by row
          opts.signal.throwIfAborted();
        }
        features.push(toFeature(record, index, line, plan, file));
        index++;
        if (index % PROGRESS_EVERY_ROWS === 0) opts.onProgress?.({ phase: 'read', done: index, unit: 'rows' });
      }
      if (features.length) yield features;
    }
    if (!plan) throw new BadInputError(coded('csv.empty', { file }));
    if (index % PROGRESS_EVERY_ROWS !== 0 || index === 0) opts.onProgress?.({ phase: 'read', done: index, unit: 'rows' });
  } catch (err) {
    throw translateParseError(err, file, plan?.names ?? header);
  } finally {
    input.stream.destroy();
  }
}

/** Read text until the first line is complete (or HEAD_LIMIT_CHARS), to detect the delimiter. */
async function readHead(source: AsyncIterator<string | Buffer>): Promise<string> {
  let head = '';
  while (head.length < HEAD_LIMIT_CHARS && firstLine(head) === undefined) {
    const r = await source.next();
    if (r.done) break;
    head += String(r.value);
  }
  return head;
}

async function* prepend(head: string, source: AsyncIterator<string | Buffer>): AsyncGenerator<string> {
  try {
    if (head) yield head;
    for (;;) {
      const r = await source.next();
      if (r.done) return;
      yield String(r.value);
    }
  } finally {
    await source.return?.();
  }
}

/** The first line outside quotes, or undefined when it is not complete yet. */
function firstLine(text: string): string | undefined {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) return text.slice(0, i);
  }
  return undefined;
}

function resolveDelimiter(given: string | undefined, head: string, file: string): string {
  if (given !== undefined) {
    const d = given.toLowerCase() === 'tab' ? '\t' : given;
    if (d === '' || /["\r\n]/.test(d)) {
      throw codedError('USAGE', coded('csv.badDelimiter', { file, delimiter: JSON.stringify(given) }));
    }
    return d;
  }
  const line = firstLine(head) ?? head;
  const counts = new Map<string, number>(DETECTED_DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best: string = ',';
  for (const d of DETECTED_DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

function planColumns(header: string[], line: number, file: string, opts: CsvReadOptions, delimiter: string): ColumnPlan {
  const names: string[] = [];
  const nameSet = new Set<string>();
  header.forEach((cell, i) => {
    const base = cell === '' ? `column_${i + 1}` : cell;
    let name = base;
    for (let k = 2; nameSet.has(name); k++) name = `${base}_${k}`;
    names.push(name);
    nameSet.add(name);
  });

  const fail = (message: CodedMessage): never => {
    throw new BadInputError(message, { file, line, message: message.message });
  };
  const listed = (cols: readonly string[]) => cols.map((c) => JSON.stringify(c)).join(', ');
  const headerList = header.length > 40 ? `${listed(header.slice(0, 40))}, ... (${header.length} columns)` : listed(header);
  const named = (name: string, axis: 'wkt' | 'longitude' | 'latitude'): number => {
    const i = findNamedColumn(header, name);
    return i >= 0 ? i : fail(coded('csv.columnNotInHeader', { column: JSON.stringify(name), axis, header: headerList }));
  };

  let geometry: GeometryPlan;
  const lonDetected = findColumn(header, LONGITUDE_COLUMNS);
  const latDetected = findColumn(header, LATITUDE_COLUMNS);
  const wktDetected = findColumn(header, WKT_COLUMNS);
  const lonLat = (lon: number, lat: number): GeometryPlan => ({ kind: 'lonlat', lon, lat, lonName: header[lon], latName: header[lat], columns: { lon: header[lon], lat: header[lat] } });
  if (opts.wkt !== undefined) {
    const wkt = named(opts.wkt, 'wkt');
    geometry = { kind: 'wkt', wkt, wktName: header[wkt] };
  } else if (opts.lon !== undefined || opts.lat !== undefined) {
    const lon = opts.lon !== undefined ? named(opts.lon, 'longitude') : lonDetected;
    const lat = opts.lat !== undefined ? named(opts.lat, 'latitude') : latDetected;
    if (lon < 0) fail(coded('csv.noLonColumn', { header: headerList, expected: listed(LONGITUDE_COLUMNS) }));
    if (lat < 0) fail(coded('csv.noLatColumn', { header: headerList, expected: listed(LATITUDE_COLUMNS) }));
    geometry = lonLat(lon, lat);
  } else if (lonDetected >= 0 && latDetected >= 0) {
    // A WKT column too (QGIS "Save as CSV, GEOMETRY=AS_WKT" of a layer with empty lon/lat fields): kept as a property, and the place of rows without lon/lat.
    geometry = wktDetected >= 0 ? { ...lonLat(lonDetected, latDetected), wkt: wktDetected, wktName: header[wktDetected] } : lonLat(lonDetected, latDetected);
  } else if (wktDetected >= 0) {
    geometry = { kind: 'wkt', wkt: wktDetected, wktName: header[wktDetected] };
  } else if (lonDetected >= 0 || latDetected >= 0) {
    geometry = fail(
      lonDetected >= 0
        ? coded('csv.lonWithoutLat', { column: JSON.stringify(header[lonDetected]), expected: listed(LATITUDE_COLUMNS) })
        : coded('csv.latWithoutLon', { column: JSON.stringify(header[latDetected]), expected: listed(LONGITUDE_COLUMNS) }),
    );
  } else {
    // One column only: likelier a delimiter that is not one detected (or not the one given).
    const likely = header.length === 1 ? likelyDelimiter(header[0], delimiter) : undefined;
    geometry = fail(
      likely !== undefined
        ? coded('csv.oneColumnHeader', { header: headerList, delimiter: delimiterName(delimiter), likely: delimiterName(likely), option: likely === '\t' ? 'tab' : likely })
        : coded('csv.noGeometryColumns', { header: headerList, lonNames: listed(LONGITUDE_COLUMNS), latNames: listed(LATITUDE_COLUMNS), wktNames: listed(WKT_COLUMNS) }),
    );
  }

  const skip = new Set<number>(geometry.kind === 'lonlat' ? [geometry.lon, geometry.lat] : [geometry.wkt]);
  let idCol = findColumn(header, [ID_COLUMN]);
  if (skip.has(idCol)) idCol = -1;
  let extraCol = findColumn(header, [EXTRA_JSON_COLUMN]);
  if (skip.has(extraCol) || extraCol === idCol) extraCol = -1;
  if (idCol >= 0) skip.add(idCol);
  if (extraCol >= 0) skip.add(extraCol);
  const isProperty = names.map((_, i) => !skip.has(i));
  return { names, nameSet, geometry, idCol, extraCol, skip, isProperty };
}

/**
 * The character (not a letter, digit, "_", "-", ".", quote or bracket) of a one-column header
 * that, as the delimiter, gives it geometry columns; the most frequent such one.
 */
function likelyDelimiter(cell: string, used: string): string | undefined {
  const counts = new Map<string, number>();
  for (const c of cell.trim()) {
    if (c === used || /[\p{L}\p{N}_\-."'()[\]]/u.test(c)) continue;
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const geometryColumns = (h: string[]) =>
    (findColumn(h, LONGITUDE_COLUMNS) >= 0 && findColumn(h, LATITUDE_COLUMNS) >= 0) || findColumn(h, WKT_COLUMNS) >= 0;
  return [...counts].sort((a, b) => b[1] - a[1]).find(([c]) => geometryColumns(cell.split(c)))?.[0];
}

function delimiterName(d: string): string {
  return d === '\t' ? 'tab' : d === ' ' ? 'space' : JSON.stringify(d);
}

function isBlank(record: string[]): boolean {
  for (const v of record) if (v !== '') return false;
  return true;
}

function toFeature(record: string[], index: number, line: number, plan: ColumnPlan, file: string): RawFeatureWithProblems {
  const idText = plan.idCol >= 0 ? record[plan.idCol] : undefined;
  const id = idText === undefined || idText === '' ? undefined : idText;
  const problems = new RowProblems(file, index, id, line);

  const width = plan.names.length;
  const properties: Record<string, unknown> = {};
  const n = Math.min(record.length, width);
  for (let i = 0; i < n; i++) if (plan.isProperty[i]) setProperty(properties, plan.names[i], record[i]);
  if (record.length !== width) {
    const overflowNames: string[] = [];
    for (let i = width; i < record.length; i++) {
      let name = `column_${i + 1}`;
      for (let k = 2; plan.nameSet.has(name) || name in properties; k++) name = `column_${i + 1}_${k}`;
      overflowNames.push(name);
      setProperty(properties, name, record[i]);
    }
    problems.add(
      record.length > width
        ? coded('csv.extraFields', { width, count: record.length, names: overflowNames.map((n) => JSON.stringify(n)).join(', ') })
        : coded('csv.missingFields', { width, count: record.length, names: plan.names.slice(record.length).map((n) => JSON.stringify(n)).join(', ') }),
    );
  }
  if (plan.extraCol >= 0) mergeExtraJson(record[plan.extraCol], properties, problems);
  // Empty geometry cells are a row without a location only in Outcrop's own export (it writes
  // extra_json, and writes a feature without a location so); elsewhere they are a mistake more
  // likely than a choice (a typo'd or projected column, a missing value), and a problem.
  const geometry = readGeometry(record, plan.geometry, problems, plan.extraCol >= 0);
  const feature: CsvRawFeature =
    id !== undefined ? { index, line, id, geometry, properties, problems: problems.list } : { index, line, geometry, properties, problems: problems.list };
  // A point read from the longitude/latitude cells (not from a WKT column beside them).
  if (geometry?.type === 'Point' && plan.geometry.kind === 'lonlat' && (record[plan.geometry.lon] ?? '').trim() !== '') {
    feature.coordinateColumns = plan.geometry.columns;
  }
  // Longitude/latitude columns hold points: a row without them is a point without a location.
  if (!geometry && plan.geometry.kind === 'lonlat' && plan.geometry.wkt === undefined) feature.declaredGeometry = 'POINT';
  return feature;
}

function readGeometry(record: string[], plan: GeometryPlan, problems: RowProblems, unlocatedOk: boolean): Geometry | null {
  if (plan.kind === 'wkt') return readWkt(record[plan.wkt] ?? '', plan.wktName, problems, unlocatedOk);
  const lonText = (record[plan.lon] ?? '').trim();
  const latText = (record[plan.lat] ?? '').trim();
  if (lonText === '' && latText === '') {
    // A WKT column beside them may have the place.
    if (plan.wkt !== undefined && (record[plan.wkt] ?? '').trim() !== '') return readWkt(record[plan.wkt], plan.wktName!, problems, unlocatedOk);
    if (!unlocatedOk) problems.add(coded('csv.noCoordinates', { lon: JSON.stringify(plan.lonName), lat: JSON.stringify(plan.latName) }), plan.lonName);
    return null;
  }
  const lon = readCoordinate(lonText, 'longitude', plan.lonName, problems);
  const lat = readCoordinate(latText, 'latitude', plan.latName, problems);
  return lon === undefined || lat === undefined ? null : { type: 'Point', coordinates: [lon, lat] };
}

function readWkt(text: string, column: string, problems: RowProblems, unlocatedOk: boolean): Geometry | null {
  if (text.trim() === '') {
    if (!unlocatedOk) problems.add(coded('csv.wktCellEmpty', { column: JSON.stringify(column) }), column);
    return null;
  }
  const parsed = parseWkt(text);
  if (!parsed.ok) {
    problems.add(parsed, column);
    return null;
  }
  if (parsed.geometry === null) problems.add(coded('csv.wktEmpty'), column);
  return parsed.geometry;
}

function readCoordinate(text: string, axis: CoordinateAxis, name: string, problems: RowProblems): number | undefined {
  if (text === '') {
    problems.add(coded('csv.cellEmpty', { axis }), name);
    return undefined;
  }
  const parsed = parseCoordinate(text, axis);
  if (parsed.ok) return parsed.value;
  problems.add(parsed, name);
  return undefined;
}

function mergeExtraJson(text: string | undefined, properties: Record<string, unknown>, problems: RowProblems): void {
  if (text === undefined || text.trim() === '') return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    properties[EXTRA_JSON_COLUMN] = text;
    problems.add(coded('csv.extraNotObject'), EXTRA_JSON_COLUMN);
    return;
  }
  for (const [key, value] of Object.entries(parsed)) {
    if (Object.prototype.hasOwnProperty.call(properties, key)) {
      problems.add(coded('csv.extraKeyIsColumn', { key: JSON.stringify(key) }), EXTRA_JSON_COLUMN);
    } else {
      setProperty(properties, key, value);
    }
  }
}

/**
 * properties[key] = value, also for a key "__proto__" (a column may be called that): a plain
 * assignment would set the object's prototype, or do nothing, and the column would be lost.
 */
function setProperty(properties: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(properties, key, { value, enumerable: true, writable: true, configurable: true });
  else properties[key] = value;
}

/** Turn a CSV syntax error into a BadInputError naming the line where the bad record starts. */
function translateParseError(err: unknown, file: string, columnNames: string[] | undefined): unknown {
  if (!(err instanceof CsvSyntaxError)) return err;
  const { line, column: col } = err;
  const field = col === undefined ? undefined : columnNames?.[col] || `field ${col + 1}`;
  const message = coded(
    err.kind === 'quote-not-closed' ? 'csv.quoteNotClosed' : err.kind === 'record-too-long' ? 'csv.recordTooLong' : 'csv.badClosingQuote',
  );
  return new BadInputError(message, { file, line, ...(field !== undefined ? { field } : {}), message: message.message });
}
