/// <reference path="./shapefile-module.d.ts" />
import type { Geometry } from 'geojson';
import { PassThrough, type Readable } from 'node:stream';
import { openShp } from 'shapefile';
import { type Crs, resolveCrs } from '../../crs/resolve';
import { convertFeature, toWgs84 } from '../../crs/to-wgs84';
import { BadInputError } from '../../errors';
import { type CodedMessage, coded } from '../../messages/en';
import type { TaskOptions } from '../../task';
import type { RawFeatureWithProblems } from '../types';
import { ByteReader } from './byte-reader';
import { DBF_HEAD, decodeDbfRecord, parseDbfFields, parseDbfHead } from './dbf';
import { errText, openShapefileParts, readSmallPart, type ShapefilePart, type ShapefileParts } from './parts';

export interface ShapefileReadOptions extends TaskOptions {
  /** Which shapefile in the zip (its name without .shp); required when there are several. A plain .shp is its own. */
  layer?: string;
  /** CRS when the zip has no .prj (or to override it), e.g. "EPSG:6677". */
  crs?: string;
  /** Told which CRS the coordinates are converted from (once, before the first feature). */
  onCrs?(crs: Crs): void;
}

/**
 * .cpg / dBASE language-driver → WHATWG encoding label for TextDecoder; undefined when the .cpg
 * names an encoding we cannot decode (refused: never a silent guess).
 */
function encodingOf(cpg: string | undefined, ldid: number): string | undefined {
  const c = cpg?.trim().toLowerCase().replace(/[\s_-]/g, '');
  if (c) {
    if (c === 'utf8' || c === '65001') return 'utf-8';
    if (c === 'cp932' || c === '932' || c === 'sjis' || c === 'shiftjis' || c === 'windows31j' || c === 'ms932') return 'shift_jis';
    if (c === '88591' || c === 'iso88591' || c === 'latin1') return 'iso-8859-1';
    if (c === 'eucjp') return 'euc-jp';
    // Windows code pages as ArcGIS and GDAL write them: "1252", "ANSI 1251", "CP1250".
    const cp = /^(?:ansi|cp|windows)?(125[0-8])$/.exec(c);
    if (cp) return `windows-${cp[1]}`;
    try {
      // Any other WHATWG label as written, e.g. "ISO-8859-5", "EUC-KR", "GB18030".
      return new TextDecoder(cpg!.trim()).encoding;
    } catch {
      return undefined;
    }
  }
  // Language driver id at byte 29 of the dBASE header (0x13 = Japanese Shift-JIS, 0x57 = ANSI).
  if (ldid === 0x13 || ldid === 0x7b) return 'shift_jis';
  return ldid === 0 ? 'utf-8' : 'windows-1252';
}

/**
 * Read an ESRI Shapefile (.shp + .dbf + .prj, optional .cpg and .shx), zipped or as a plain
 * .shp beside its siblings, as raw features with geometry reprojected to WGS 84 `[lng, lat]`.
 * Attribute text is decoded with the .cpg encoding (UTF-8, CP932/Shift_JIS …) or the dBASE
 * language driver. Without a .prj it needs `crs`. Memory stays bounded whatever the size: only
 * the zip's central directory is read whole, then the .shp and .dbf are streamed in step, one
 * record of each at a time (never a temporary copy). A .shp/.dbf count mismatch is refused
 * before the first feature when the .shx and the .dbf header tell it, or as soon as it is met,
 * naming both counts.
 */
export async function* readShapefile(path: string, opts: ShapefileReadOptions = {}): AsyncGenerator<RawFeatureWithProblems> {
  const parts = await openShapefileParts(path, opts.layer);
  const { file, where } = parts;
  const open: Readable[] = [];
  try {
    const { shp, shx, dbf, prj, cpg } = parts;
    if (!dbf) throw new BadInputError(coded('shapefile.noDbf', { where }));
    const small = async (p: ShapefilePart) => {
      try {
        return new TextDecoder('utf-8').decode(await readSmallPart(parts, p));
      } catch (e) {
        if (e instanceof BadInputError) throw e;
        throw new BadInputError(coded('shapefile.cannotRead', { where, part: p.name, detail: errText(e) }));
      }
    };
    let crsText: string;
    if (opts.crs) crsText = opts.crs;
    else if (prj) crsText = await small(prj);
    else throw new BadInputError(coded('shapefile.noPrj', { where }));
    const crs = resolveCrs(crsText, opts.crs ? `${where} (--crs)` : `${file}: ${prj!.name}`);
    const cpgText = cpg ? await small(cpg) : undefined;

    // The .dbf header: its record count and layout, checked against the .shx and the sizes.
    const dbfReader = new ByteReader(track(open, await openPart(dbf, where)));
    const head = await readOrFail(dbfReader, DBF_HEAD, dbf, where);
    let layout: ReturnType<typeof parseDbfHead>;
    try {
      layout = parseDbfHead(head);
    } catch (e) {
      throw new BadInputError(coded('shapefile.badDbf', { where, dbf: dbf.name, detail: (e as Error).message }));
    }
    const { headerCount, headerLength, recordLength } = layout;
    const encoding = encodingOf(cpgText, layout.languageDriver);
    if (!encoding) throw new BadInputError(coded('shapefile.unknownEncoding', { where, cpg: cpg!.name, label: cpgText!.trim() }));
    const decoder = new TextDecoder(encoding, { fatal: true });
    const lenient = new TextDecoder(encoding);
    const descriptors = await readOrFail(dbfReader, headerLength - DBF_HEAD, dbf, where);
    if (descriptors.length < headerLength - DBF_HEAD) {
      throw new BadInputError(coded('shapefile.badDbf', { where, dbf: dbf.name, detail: `the file ends inside its ${headerLength}-byte header` }));
    }
    const fields = parseDbfFields(descriptors, lenient);
    const fieldBytes = fields.reduce((n, f) => n + f.length, 1);
    if (fieldBytes > recordLength) {
      throw new BadInputError(
        coded('shapefile.badDbf', { where, dbf: dbf.name, detail: `its fields take ${fieldBytes} bytes per record but its header says records are ${recordLength} bytes long` }),
      );
    }
    const presentCount = Math.min(headerCount, Math.max(0, Math.floor((dbf.size - headerLength) / recordLength)));
    let shxCount: number | undefined;
    if (shx) {
      if (shx.size < 100 || (shx.size - 100) % 8 !== 0) {
        throw new BadInputError(coded('shapefile.badShx', { where, shx: shx.name, size: shx.size }));
      }
      shxCount = (shx.size - 100) / 8;
    }
    const mismatch = (shapes: number) =>
      new BadInputError(
        presentCount !== headerCount
          ? coded('shapefile.dbfTruncated', { where, shapes, dbf: dbf.name, records: presentCount, headerCount })
          : coded('shapefile.countMismatch', { where, shapes, dbf: dbf.name, records: headerCount }),
      );
    if (shxCount !== undefined && (shxCount !== headerCount || presentCount !== headerCount)) throw mismatch(shxCount);
    if (shxCount === undefined && presentCount !== headerCount) throw mismatch(await countShapes(parts, open, opts.signal));

    opts.onCrs?.(crs);
    const convert = toWgs84(crs);
    const shapes = await openShapes(shp, where, open);
    const declared = SHAPE_TYPES[(shapes.source._type ?? 0) % 10];
    const total = headerCount;
    let index = 0;
    for (; ; index++) {
      opts.signal?.throwIfAborted();
      const g = await nextShape(shapes, where, index);
      if (g === END) break;
      if (index >= headerCount) throw mismatch(index + 1 + (await countRest(shapes, where, index + 1, opts.signal)));
      const bytes = await readOrFail(dbfReader, recordLength, dbf, where);
      if (bytes.length < recordLength) {
        throw badAt(coded('shapefile.dbfEndsEarly', { dbf: dbf.name, records: index, headerCount }), where, index);
      }
      const badFields: string[] = [];
      const properties = decodeDbfRecord(bytes, fields, decoder, lenient, badFields);
      const feature: RawFeatureWithProblems = { index, geometry: g, properties };
      if (!g && declared) feature.declaredGeometry = declared;
      if (badFields.length) {
        feature.problems = badFields.map((field) => ({
          field,
          ...coded('shapefile.badText', { encoding, source: cpg ? cpg.name : `${dbf.name} (its language driver byte)` }),
        }));
      }
      convertFeature(feature, convert, crs); // a position the CRS cannot take is a problem naming it
      yield feature;
      if ((index + 1) % 1000 === 0) opts.onProgress?.({ phase: 'read', done: index + 1, total, unit: 'features' });
    }
    if (index !== headerCount) throw mismatch(index);
    opts.onProgress?.({ phase: 'read', done: index, total, unit: 'features' });
  } finally {
    for (const s of open) s.destroy();
    parts.close();
  }
}

/** The name this reader had when it read zips only. */
export const readZippedShapefile = readShapefile;

/** A whole-file error met at one feature: "file.zip: x.shp: feature 12: "geometry": …". */
function badAt(m: CodedMessage, where: string, featureIndex: number, field?: string): BadInputError {
  return new BadInputError(m, { file: where, featureIndex, ...(field ? { field } : {}), message: m.message });
}

const END = Symbol('end');
/** `_type`: the .shp header's shape type (1 Point, 3 PolyLine, 5 Polygon, 8 MultiPoint; +10 Z, +20 M). */
type Source = { read(): Promise<{ done: boolean; value: Geometry | null }>; _type?: number };
const SHAPE_TYPES: Record<number, string> = { 1: 'Point', 3: 'PolyLine', 5: 'Polygon', 8: 'MultiPoint' };
type Shapes = { source: Source; failed(): unknown };

function track<T extends Readable>(open: Readable[], s: T): T {
  open.push(s);
  return s;
}

async function openPart(part: ShapefilePart, where: string): Promise<Readable> {
  try {
    return await part.open();
  } catch (e) {
    throw new BadInputError(coded('shapefile.cannotRead', { where, part: part.name, detail: errText(e) }));
  }
}

async function readOrFail(reader: ByteReader, n: number, dbf: ShapefilePart, where: string): Promise<Uint8Array> {
  try {
    return await reader.read(n);
  } catch (e) {
    throw new BadInputError(coded('shapefile.cannotRead', { where, part: dbf.name, detail: errText(e) }));
  }
}

/**
 * The .shp as records. stream-source (inside `shapefile`) keeps a rejected promise for a stream
 * error that nobody may await (an unhandled rejection), so the stream it gets only ever ends:
 * a read error is kept here and reported by nextShape, naming the feature it was met at.
 */
async function openShapes(shp: ShapefilePart, where: string, open: Readable[]): Promise<Shapes> {
  const src = track(open, await openPart(shp, where));
  const fed = track(open, new PassThrough({ highWaterMark: 64 * 1024 }));
  let failed: unknown;
  src.on('error', (e) => {
    failed ??= e;
    fed.end();
  });
  src.pipe(fed);
  let source: Source;
  try {
    source = await openShp(fed);
  } catch (e) {
    throw new BadInputError(coded('shapefile.badShp', { where, detail: errText(failed ?? e) }));
  }
  if (failed) throw new BadInputError(coded('shapefile.badShp', { where, detail: errText(failed) }));
  return { source, failed: () => failed };
}

async function nextShape(shapes: Shapes, where: string, index: number): Promise<Geometry | null | typeof END> {
  let r: Awaited<ReturnType<Source['read']>>;
  try {
    r = await shapes.source.read();
  } catch (e) {
    throw badAt(coded('shapefile.badShape', { detail: errText(shapes.failed() ?? e) }), where, index, 'geometry');
  }
  const failed = shapes.failed();
  if (failed) throw badAt(coded('shapefile.badShape', { detail: errText(failed) }), where, index, 'geometry');
  return r.done ? END : r.value;
}

/** Shapes left in `shapes` (read and dropped), to name the .shp's count in a mismatch. */
async function countRest(shapes: Shapes, where: string, from: number, signal?: AbortSignal): Promise<number> {
  let n = 0;
  for (;;) {
    if (n % 1000 === 0) signal?.throwIfAborted();
    if ((await nextShape(shapes, where, from + n)) === END) return n;
    n++;
  }
}

/** How many shapes the .shp holds (no .shx to tell it): read through once. */
async function countShapes(parts: ShapefileParts, open: Readable[], signal?: AbortSignal): Promise<number> {
  return countRest(await openShapes(parts.shp, parts.where, open), parts.where, 0, signal);
}
