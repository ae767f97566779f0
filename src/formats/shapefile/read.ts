/// <reference path="./shapefile-module.d.ts" />
import { unzipSync } from 'fflate';
import type { Geometry } from 'geojson';
import { promises as fsp } from 'node:fs';
import { basename } from 'node:path';
import { openShp } from 'shapefile';
import { type Crs, resolveCrs } from '../../crs/resolve';
import { reprojectGeometry, toWgs84 } from '../../crs/to-wgs84';
import { BadInputError } from '../../errors';
import type { TaskOptions } from '../../task';
import type { RawFeatureWithProblems } from '../types';
import { readDbf } from './dbf';

export interface ShapefileReadOptions extends TaskOptions {
  /** Which shapefile in the zip (its name without .shp); required when there are several. */
  layer?: string;
  /** CRS when the zip has no .prj (or to override it), e.g. "EPSG:6677". */
  crs?: string;
  /** Told which CRS the coordinates are converted from (once, before the first feature). */
  onCrs?(crs: Crs): void;
}

/** .cpg / dBASE language-driver → WHATWG encoding label for TextDecoder. */
function encodingOf(cpg: string | undefined, dbf: Uint8Array): string {
  const c = cpg?.trim().toLowerCase().replace(/[\s_-]/g, '');
  if (c) {
    if (c === 'utf8' || c === '65001') return 'utf-8';
    if (c === 'cp932' || c === '932' || c === 'sjis' || c === 'shiftjis' || c === 'windows31j' || c === 'ms932') return 'shift_jis';
    if (c === '1252' || c === 'cp1252' || c === 'windows1252' || c === 'ansi1252') return 'windows-1252';
    if (c === '88591' || c === 'iso88591' || c === 'latin1') return 'iso-8859-1';
    if (c === 'eucjp') return 'euc-jp';
    try {
      // Any other WHATWG label as written, e.g. "ISO-8859-5", "EUC-KR", "GB18030".
      return new TextDecoder(cpg!.trim()).encoding;
    } catch {
      // fall through to the dBASE language driver id
    }
  }
  // Language driver id at byte 29 of the dBASE header (0x13 = Japanese Shift-JIS, 0x57 = ANSI).
  const ldid = dbf[29];
  if (ldid === 0x13 || ldid === 0x7b) return 'shift_jis';
  return ldid === 0 ? 'utf-8' : 'windows-1252';
}

/**
 * Read a zipped ESRI Shapefile (.shp + .dbf + .prj, optional .cpg) as raw features with
 * geometry reprojected to WGS 84 `[lng, lat]`. Attribute text is decoded with the .cpg
 * encoding (UTF-8, CP932/Shift_JIS …) or the dBASE language driver. A zip without .prj
 * needs `crs`; .shp and .dbf with different record counts are refused, naming both counts.
 */
export async function* readZippedShapefile(path: string, opts: ShapefileReadOptions = {}): AsyncGenerator<RawFeatureWithProblems> {
  const file = basename(path);
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(new Uint8Array(await fsp.readFile(path)));
  } catch (e) {
    throw new BadInputError(`cannot read ${file} as a zip file: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const byLower = new Map(Object.entries(entries).filter(([n]) => !n.startsWith('__MACOSX/')).map(([n, d]) => [n.toLowerCase(), { name: n, data: d }]));
  const shps = [...byLower.keys()].filter((n) => n.endsWith('.shp')).map((n) => n.slice(0, -4));
  if (!shps.length) throw new BadInputError(`${file} contains no .shp file`);
  let stem: string;
  if (opts.layer !== undefined) {
    const want = opts.layer.toLowerCase().replace(/\.shp$/, '');
    const found = shps.find((s) => s === want || basename(s) === want);
    if (!found) throw new BadInputError(`${file} has no shapefile "${opts.layer}"; it contains ${shps.map((s) => `"${basename(byLower.get(s + '.shp')!.name, '.shp')}"`).join(', ')}`);
    stem = found;
  } else if (shps.length === 1) {
    stem = shps[0];
  } else {
    throw new BadInputError(`${file} contains ${shps.length} shapefiles; choose one with --source-layer: ${shps.map((s) => `"${basename(byLower.get(s + '.shp')!.name, '.shp')}"`).join(', ')}`);
  }
  const shp = byLower.get(stem + '.shp')!;
  const dbf = byLower.get(stem + '.dbf');
  const where = `${file}: ${shp.name}`;
  if (!dbf) throw new BadInputError(`${where} has no .dbf (attribute table) beside it in the zip`);
  const prj = byLower.get(stem + '.prj');
  const cpg = byLower.get(stem + '.cpg');
  let crsText: string;
  if (opts.crs) crsText = opts.crs;
  else if (prj) crsText = new TextDecoder('utf-8').decode(prj.data);
  else throw new BadInputError(`${where} has no .prj, so its coordinate reference system is unknown; give one with --crs (e.g. --crs EPSG:6677)`);
  const crs = resolveCrs(crsText, opts.crs ? `${where} (--crs)` : `${file}: ${prj!.name}`);
  opts.onCrs?.(crs);
  const convert = toWgs84(crs);

  const geometries: Array<Geometry | null> = [];
  try {
    const src = await openShp(shp.data);
    for (let r = await src.read(); !r.done; r = await src.read()) geometries.push(r.value);
  } catch (e) {
    throw new BadInputError(`${where}: cannot read the shapes: ${(e as Error).message}`);
  }
  const encoding = encodingOf(cpg ? new TextDecoder('utf-8').decode(cpg.data) : undefined, dbf.data);
  let table;
  try {
    table = readDbf(dbf.data, encoding);
  } catch (e) {
    throw new BadInputError(`${where}: cannot read ${dbf.name}: ${(e as Error).message}`);
  }
  if (table.presentCount !== geometries.length || table.headerCount !== geometries.length) {
    throw new BadInputError(
      `${where} has ${geometries.length} shapes but ${dbf.name} has ${table.presentCount} records${table.headerCount !== table.presentCount ? ` (its header says ${table.headerCount}; the file is truncated)` : ''}; the two must match one to one`,
    );
  }
  for (let index = 0; index < geometries.length; index++) {
    opts.signal?.throwIfAborted();
    const properties = table.record(index) ?? {};
    const g = geometries[index];
    yield { index, geometry: g ? reprojectGeometry(g, convert) : null, properties };
    if ((index + 1) % 1000 === 0) opts.onProgress?.({ phase: 'read', done: index + 1, total: geometries.length, unit: 'features' });
  }
  opts.onProgress?.({ phase: 'read', done: geometries.length, total: geometries.length, unit: 'features' });
}
