import Database from 'better-sqlite3';
import { promises as fsp } from 'node:fs';
import { basename } from 'node:path';
import { resolveCrs, type Crs } from '../../crs/resolve';
import { convertFeature, toWgs84 } from '../../crs/to-wgs84';
import { BadInputError } from '../../errors';
import { coded } from '../../messages/en';
import { plural } from '../../messages/plural';
import { decodeGeometry } from '../../store/gpkg/geometry-blob';
import type { TaskOptions } from '../../task';
import type { RawFeatureWithProblems } from '../types';

/** One feature layer of a GeoPackage, as listed in gpkg_contents / gpkg_geometry_columns. */
export interface GpkgLayerInfo {
  name: string;
  geometryColumn: string;
  geometryType: string;
  srsId: number;
  /** gpkg_spatial_ref_sys organization + id, e.g. "EPSG", 6677. */
  organization?: string;
  organizationCoordsysId?: number;
  /** WKT definition from gpkg_spatial_ref_sys ("undefined" for srs_id 0 / -1). */
  definition?: string;
  featureCount: number;
}

export interface GpkgReadOptions extends TaskOptions {
  /** The layer to read; required when the file has more than one feature layer. */
  layer?: string;
  /** CRS to assume when the layer's is undefined (srs_id 0 or -1), or to override it. */
  crs?: string;
  /** Told which CRS the coordinates are converted from (once, before the first feature). */
  onCrs?(crs: Crs): void;
}

const PROGRESS_EVERY = 1000;

function openReadOnly(path: string): Database.Database {
  const name = basename(path);
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    db.prepare('SELECT 1 FROM gpkg_contents LIMIT 1').all();
    return db;
  } catch (e) {
    throw new BadInputError(coded('gpkg.notGeoPackage', { file: name, detail: (e as Error).message }));
  }
}

/** Every feature layer of the GeoPackage at `path`, in gpkg_contents order. Read-only. */
export function listGpkgLayers(path: string): GpkgLayerInfo[] {
  const db = openReadOnly(path);
  try {
    return listLayers(db);
  } finally {
    db.close();
  }
}

function listLayers(db: Database.Database): GpkgLayerInfo[] {
  const rows = db
    .prepare(
      `SELECT c.table_name AS name, g.column_name AS geometryColumn, g.geometry_type_name AS geometryType,
              g.srs_id AS srsId, s.organization AS organization, s.organization_coordsys_id AS orgId, s.definition AS definition
         FROM gpkg_contents c
         JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
         LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id
        WHERE c.data_type = 'features'
        ORDER BY c.rowid`,
    )
    .all() as Array<{ name: string; geometryColumn: string; geometryType: string; srsId: number; organization: string | null; orgId: number | null; definition: string | null }>;
  return rows.map((r) => ({
    name: r.name,
    geometryColumn: r.geometryColumn,
    geometryType: r.geometryType,
    srsId: r.srsId,
    organization: r.organization ?? undefined,
    organizationCoordsysId: r.orgId ?? undefined,
    definition: r.definition ?? undefined,
    featureCount: (db.prepare(`SELECT count(*) AS n FROM ${quoteId(r.name)}`).get() as { n: number }).n,
  }));
}

/** The layer's CRS: the given override, else EPSG organisation code, else its WKT definition. */
function layerCrs(layer: GpkgLayerInfo, file: string, override?: string): Crs {
  const where = `${file}: layer "${layer.name}"`;
  if (override) return resolveCrs(override, `${where} (--crs)`);
  if (layer.srsId === 0 || layer.srsId === -1) throw new BadInputError(coded('gpkg.noCrs', { file, layer: layer.name, srsId: layer.srsId }));
  const wkt = layer.definition && layer.definition !== 'undefined' ? layer.definition : undefined;
  if (layer.organization?.toUpperCase() === 'EPSG' && layer.organizationCoordsysId) {
    try {
      // The organisation's code is enough (GDAL reads it so; Outcrop's own exports write no WKT).
      return resolveCrs(`EPSG:${layer.organizationCoordsysId}`, where);
    } catch (e) {
      // Not in Outcrop's table: the WKT definition stored in the file, if any, says it.
      if (!wkt) throw e;
    }
  }
  if (!wkt) throw new BadInputError(coded('gpkg.noCrs', { file, layer: layer.name, srsId: layer.srsId }));
  return resolveCrs(wkt, where);
}

/**
 * Read one feature layer of any GeoPackage (QGIS, GDAL, ArcGIS or Outcrop's own), read-only,
 * as raw features with geometry reprojected to WGS 84 `[lng, lat]`. Properties are every
 * column except the geometry and the integer primary key; an `id` column becomes the
 * feature id. With several feature layers and none chosen → BadInputError listing them.
 */
export async function* readGpkgLayer(path: string, opts: GpkgReadOptions = {}): AsyncGenerator<RawFeatureWithProblems> {
  const file = basename(path);
  try {
    await fsp.access(path);
  } catch {
    throw new BadInputError(coded('gpkg.noSuchFile', { file }));
  }
  const db = openReadOnly(path);
  try {
    const layers = listLayers(db);
    if (!layers.length) throw new BadInputError(coded('gpkg.noLayers', { file }));
    const describe = (l: GpkgLayerInfo) => `"${l.name}" (${l.geometryType}, ${plural(l.featureCount, 'feature')})`;
    let layer: GpkgLayerInfo | undefined;
    if (opts.layer !== undefined) {
      layer = layers.find((l) => l.name === opts.layer);
      if (!layer) throw new BadInputError(coded('gpkg.noSuchLayer', { file, layer: opts.layer, layers: layers.map(describe).join(', ') }));
    } else if (layers.length === 1) {
      layer = layers[0];
    } else {
      throw new BadInputError(coded('gpkg.chooseLayer', { file, count: layers.length, layers: layers.map(describe).join(', ') }));
    }
    const crs = layerCrs(layer, file, opts.crs);
    opts.onCrs?.(crs);
    const convert = toWgs84(crs);
    const columns = db.prepare(`PRAGMA table_info(${quoteId(layer.name)})`).all() as Array<{ name: string; type: string; pk: number }>;
    const pkCols = columns.filter((c) => c.pk > 0);
    const fid = pkCols.length === 1 && /^INT/i.test(pkCols[0].type) ? pkCols[0].name : undefined;
    const propCols = columns.filter((c) => c.name !== layer!.geometryColumn && c.name !== fid).map((c) => c.name);
    // GeoPackage BOOLEAN columns hold 0/1 (Req. 5): read back as the booleans they were.
    const booleans = new Set(columns.filter((c) => /^BOOLEAN$/i.test(c.type)).map((c) => c.name));
    const described = describedColumns(db, layer.name, propCols);
    const order = fid ? ` ORDER BY ${quoteId(fid)}` : '';
    const stmt = db.prepare(`SELECT * FROM ${quoteId(layer.name)}${order}`);
    let index = 0;
    for (const row of stmt.iterate() as Iterable<Record<string, unknown>>) {
      opts.signal?.throwIfAborted();
      const properties: Record<string, unknown> = {};
      let id: string | number | undefined;
      for (const c of propCols) {
        const v = row[c];
        if (c === 'id' && (typeof v === 'string' || typeof v === 'number')) id = v;
        else if (described.json.has(c) && typeof v === 'string') properties[described.names.get(c) ?? c] = parseJsonCell(v);
        else properties[described.names.get(c) ?? c] = Buffer.isBuffer(v) ? v.toString('base64') : booleans.has(c) && (v === 0 || v === 1) ? v === 1 : v;
      }
      const feature: RawFeatureWithProblems = { index, id, geometry: null, properties, declaredGeometry: layer.geometryType };
      const blob = row[layer.geometryColumn];
      if (blob instanceof Uint8Array && blob.length) {
        try {
          const g = decodeGeometry(blob);
          // Empty (the header's flag, as GDAL and QGIS write POLYGON EMPTY, or a NaN point): no location.
          const empty = (Buffer.isBuffer(blob) && blob.length > 3 && (blob[3] & 0x10) !== 0) || (g.type === 'Point' && Number.isNaN(g.coordinates[0]));
          feature.geometry = empty ? null : g;
          // A position the CRS cannot take to WGS 84 is a problem naming it, not "not a finite number".
          convertFeature(feature, convert, crs, layer.geometryColumn);
        } catch (e) {
          feature.problems = [{ field: layer.geometryColumn, ...coded('gpkg.badGeometry', { detail: (e as Error).message }) }];
        }
      }
      yield feature;
      index++;
      if (index % PROGRESS_EVERY === 0) opts.onProgress?.({ phase: 'read', done: index, total: layer.featureCount });
    }
    opts.onProgress?.({ phase: 'read', done: index, total: layer.featureCount });
  } finally {
    db.close();
  }
}

/**
 * What gpkg_data_columns (the Schema extension) says of a table's columns: which hold JSON
 * (mime_type application/json: GDAL's JSON subtype, and Outcrop's export of lists and objects),
 * and which property a column renamed by Outcrop's export holds (`extra_id` → `id`, `extra_fid`
 * → `fid`). Only that renaming (`extra_<name>`, `extra_<name>_<n>`) is undone: another program's
 * `name` is a label, not the property's name.
 */
function describedColumns(db: Database.Database, table: string, propCols: string[]): { json: Set<string>; names: Map<string, string> } {
  const json = new Set<string>();
  const names = new Map<string, string>();
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_data_columns'").get()) return { json, names };
  const rows = db.prepare('SELECT column_name AS col, name, mime_type AS mime FROM gpkg_data_columns WHERE table_name = ?').all(table) as { col: string; name: unknown; mime: unknown }[];
  for (const { col, name, mime } of rows) {
    if (typeof mime === 'string' && mime.trim().toLowerCase() === 'application/json') json.add(col);
    if (typeof name !== 'string' || name === '' || name === '__proto__') continue;
    const prefix = `extra_${name}`;
    if (col === prefix || (col.startsWith(`${prefix}_`) && /^\d+$/.test(col.slice(prefix.length + 1)))) names.set(col, name);
  }
  // A name another column keeps (one not renamed itself) is not given twice: `id` and `extra_id`
  // properties come as columns extra_id → id and extra_extra_id → extra_id.
  for (const [col, name] of names) if (name !== 'id' && propCols.includes(name) && !names.has(name)) names.delete(col);
  return { json, names };
}

/** A JSON column's text as the value it holds; text that is not JSON (edited by hand) stays text. */
function parseJsonCell(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function quoteId(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
