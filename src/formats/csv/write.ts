import type { Feature, Geometry, Point } from 'geojson';
import { codedError, ValidationError, type Problem } from '../../errors';
import { coded } from '../../messages/en';
import type { TaskOptions } from '../../task';
import { writeFileAtomically } from '../atomic-write';
import { EXTRA_JSON_COLUMN, ID_COLUMN, isReservedColumnName } from './columns';
import { formatWkt } from './wkt';

export type CsvGeometryMode = 'auto' | 'latlon' | 'wkt';

export interface CsvWriteOptions extends TaskOptions {
  /**
   * 'latlon': `longitude,latitude` columns (2-D points only); 'wkt': one `wkt` column;
   * 'auto' (default): latlon when the first features (up to 256) are all 2-D points or have no
   * geometry, else wkt. A later feature that does not fit latlon stops the export with a
   * ValidationError (nothing is written); pass 'wkt' for mixed geometries.
   */
  geometry?: CsvGeometryMode;
  /**
   * Names of the two point columns: `longitude,latitude` (default) for degrees; `x,y` for a
   * projected CRS, whose eastings and northings are not longitudes and latitudes.
   */
  xyColumns?: [string, string];
  /**
   * Property columns, in order. Default: every key seen in the first features (up to 256),
   * in first-seen order. Keys without a column go, with their JSON values, into `extra_json`.
   */
  columns?: string[];
  /**
   * Guard spreadsheet users against formula injection: a cell starting with = + - @ tab or CR
   * (that is not a plain number) gets a leading apostrophe, which Excel and LibreOffice hide.
   * Off by default because it changes the data: a file written with it does not read back
   * exactly. Turn it on for files meant to be opened in a spreadsheet, not re-imported.
   */
  excelSafe?: boolean;
  /** Start the file with a UTF-8 BOM so Excel detects UTF-8 (e.g. for Japanese names). Default off. */
  bom?: boolean;
  /** Number of features expected, for progress (optional). */
  total?: number;
}

const LOOKAHEAD = 256;
const PROGRESS_EVERY = 1000;
const EOL = '\r\n'; // RFC 4180
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Write features as CSV (RFC 4180: comma, CRLF, quotes doubled), streamed with backpressure
 * and written atomically like writeGeoJson (a cancel via `opts.signal`, checked between
 * features, or an error leaves no file and no partial file).
 *
 * Columns: `id`, then the geometry (`longitude,latitude` in decimal degrees WGS 84 with full
 * precision, or `wkt`), then the property columns, then `extra_json`, which always exists and
 * holds, as a JSON object, every property that has no column of its own: keys first seen after
 * the header was written, and keys the reader would take for id or geometry (e.g. "lat", "x",
 * "geometry", "id"). So no value is dropped, and `readCsvFeatures` merges it back.
 * Cell values: strings as they are; numbers and booleans with String(); null/undefined as an
 * empty cell (CSV cannot tell them from ""); lists joined with "; ", or as a JSON array when
 * joining would not read back as the same list (see listCell); objects as JSON. Coordinates
 * are written in full, so a re-read is exact.
 */
export async function writeCsv(
  features: AsyncIterable<Feature<Geometry | null>> | Iterable<Feature<Geometry | null>>,
  outPath: string,
  opts: CsvWriteOptions = {},
): Promise<{ count: number }> {
  const mode = opts.geometry ?? 'auto';
  if (mode !== 'auto' && mode !== 'latlon' && mode !== 'wkt') {
    throw codedError('USAGE', coded('export.csvGeometryMode', { mode: JSON.stringify(mode) }));
  }
  const report = (done: number) => opts.onProgress?.({ phase: 'write', done, ...(opts.total !== undefined ? { total: opts.total } : {}), unit: 'features' });
  const source = (async function* () {
    yield* features;
  })();
  try {
    return await writeFileAtomically(outPath, async (out) => {
      opts.signal?.throwIfAborted();
      // Look ahead to choose the header; bounded, so memory does not grow with the file.
      const window: Feature<Geometry | null>[] = [];
      while (window.length < LOOKAHEAD) {
        const r = await source.next();
        if (r.done) break;
        window.push(r.value);
      }
      const geometryMode: 'latlon' | 'wkt' =
        mode !== 'auto' ? mode : window.every((f) => f.geometry == null || isPoint2D(f.geometry)) ? 'latlon' : 'wkt';
      const columns = chooseColumns(opts.columns ?? keysInOrder(window));
      const columnSet = new Set(columns);
      const cell = (text: string) => quote(opts.excelSafe ? defuse(text) : text);

      const header = [ID_COLUMN, ...(geometryMode === 'latlon' ? (opts.xyColumns ?? ['longitude', 'latitude']) : ['wkt']), ...columns, EXTRA_JSON_COLUMN];
      await out.write((opts.bom ? '\uFEFF' : '') + header.map(cell).join(',') + EOL);

      let count = 0;
      const writeOne = async (f: Feature<Geometry | null>) => {
        opts.signal?.throwIfAborted();
        await out.write(formatRow(f, count, geometryMode, columns, columnSet, cell) + EOL);
        count++;
        if (count % PROGRESS_EVERY === 0) report(count);
      };
      for (const f of window) await writeOne(f);
      window.length = 0;
      for await (const f of source) await writeOne(f);
      opts.signal?.throwIfAborted();
      if (count % PROGRESS_EVERY !== 0 || count === 0) report(count);
      return { count };
    });
  } finally {
    await source.return(undefined);
  }
}

function formatRow(
  f: Feature<Geometry | null>,
  index: number,
  mode: 'latlon' | 'wkt',
  columns: string[],
  columnSet: Set<string>,
  cell: (text: string) => string,
): string {
  const id = f.id === undefined || f.id === null ? '' : String(f.id);
  const where: Problem = { featureIndex: index, ...(id !== '' ? { featureId: id } : {}), field: 'geometry', message: '' };
  const cells: string[] = [cell(id)];
  const g = f.geometry;
  if (g) assertFinite(g, where);
  if (mode === 'latlon') {
    if (g && !isPoint2D(g)) {
      const what = g.type === 'Point' ? coded('export.csvPointWithCoordinates', { count: g.coordinates.length }) : coded('export.csvNotPoint', { type: g.type });
      throw new ValidationError([{ ...where, ...what }]);
    }
    const xy = g ? (g as Point).coordinates : undefined;
    cells.push(xy ? String(xy[0]) : '', xy ? String(xy[1]) : '');
  } else {
    cells.push(g ? quote(formatWkt(g)) : '');
  }
  const props = (f.properties ?? {}) as Record<string, unknown>;
  for (const c of columns) cells.push(cell(formatValue(props[c])));
  let extra: Record<string, unknown> | undefined;
  for (const key of Object.keys(props)) {
    if (columnSet.has(key) || props[key] === undefined) continue;
    (extra ??= {})[key] = props[key];
  }
  cells.push(extra ? quote(JSON.stringify(extra)) : '');
  return cells.join(',');
}

function isPoint2D(g: Geometry): boolean {
  return g.type === 'Point' && g.coordinates.length === 2;
}

function assertFinite(g: Geometry, where: Problem): void {
  const check = (c: unknown): void => {
    if (Array.isArray(c)) c.forEach(check);
    else if (typeof c !== 'number' || !Number.isFinite(c)) {
      throw new ValidationError([{ ...where, ...coded('export.notFinite', { number: String(c) }) }]);
    }
  };
  if (g.type === 'GeometryCollection') g.geometries.forEach((x) => assertFinite(x, where));
  else check(g.coordinates);
}

/** Unique names, without those the reader would take for id, geometry or extra_json. */
function chooseColumns(names: string[]): string[] {
  return [...new Set(names)].filter((n) => n !== '' && !isReservedColumnName(n));
}

function keysInOrder(features: Feature<Geometry | null>[]): string[] {
  const keys = new Set<string>();
  for (const f of features) for (const k of Object.keys(f.properties ?? {})) keys.add(k);
  return [...keys];
}

function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return listCell(v);
  return JSON.stringify(v);
}

/**
 * A list in one cell: "; "-joined, as lists are written by hand and as imports split them
 * (src/model/mapping.ts `names`: on ; ； or |, each piece trimmed), when that reads back as the
 * same list; otherwise (an item holding a separator, with edge spaces or empty, an object such as
 * a resource estimate, or a cell that would look like JSON) the list as one JSON array, which
 * imports read as the list it is.
 */
function listCell(v: readonly unknown[]): string {
  const plain = v.every((x) => (typeof x === 'string' && x !== '' && !/[;；|]|^\s|\s$/.test(x)) || typeof x === 'number' || typeof x === 'boolean');
  const joined = plain ? v.map(String).join('; ') : '';
  return plain && !joined.startsWith('[') ? joined : JSON.stringify(v);
}

function quote(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** OWASP CSV-injection advice: prefix a quote to cells a spreadsheet would run as a formula. */
function defuse(text: string): string {
  return /^[=+\-@\t\r]/.test(text) && !NUMBER.test(text) ? `'${text}` : text;
}
