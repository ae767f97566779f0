import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { type Crs, fromWgs84, reprojectGeometry } from '../crs';
import { codedError, ValidationError } from '../errors';
import { coded } from '../messages/en';
import { iterateFeatures } from '../spatial/features';
import type { Layer } from '../store/columns';
import { encodeGeometry, envelopeOf } from '../store/gpkg/geometry-blob';
import { registerGpkgFunctions } from '../store/gpkg/sql-functions';
import { checkOutputTarget, partialPath, sweepStalePartials } from '../formats/atomic-write';
import { rtreeSql } from '../store/gpkg/rtree';
import type { Project } from '../store/project';
import { countRows, type FeatureFilter, filterForLayer } from '../store/read';
import type { TaskOptions } from '../task';
import { withLabels } from './labels';

export interface GpkgExportOptions extends TaskOptions {
  layers?: Layer[];
  filter?: FeatureFilter;
  labels?: 'en' | 'ja';
  /** Reproject into this CRS (it must have an EPSG code: the GeoPackage names it by that). */
  crs?: Crs;
}

/**
 * The OGC GeoPackage core tables, for files Outcrop writes for others (not projects). Migration
 * 0001 keeps its own frozen copy: a shipped migration never changes.
 */
const GPKG_CORE = `
CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
INSERT INTO gpkg_spatial_ref_sys VALUES
 ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
 ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
 ('WGS 84 geodetic', 4326, 'EPSG', 4326,
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]',
  'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
  scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
`;

/**
 * The Schema extension (GeoPackage 1.3 §F.9), written when a column needs describing: which TEXT
 * columns hold JSON (mime_type 'application/json', which GDAL reads as its JSON field subtype) and
 * which property a renamed column holds (`name`). src/formats/gpkg/read.ts reads both back.
 */
const GPKG_SCHEMA = `
CREATE TABLE gpkg_data_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, name TEXT, title TEXT, description TEXT,
  mime_type TEXT, constraint_name TEXT, CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name), CONSTRAINT gdc_tn UNIQUE (table_name, name));
CREATE TABLE gpkg_data_column_constraints (constraint_name TEXT NOT NULL, constraint_type TEXT NOT NULL, value TEXT, min NUMERIC,
  min_is_inclusive BOOLEAN, max NUMERIC, max_is_inclusive BOOLEAN, description TEXT, CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value));
INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) VALUES
 ('gpkg_data_columns', NULL, 'gpkg_schema', 'http://www.geopackage.org/spec130/#extension_schema', 'read-write'),
 ('gpkg_data_column_constraints', NULL, 'gpkg_schema', 'http://www.geopackage.org/spec130/#extension_schema', 'read-write');
`;

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * Export layers to a plain GeoPackage for QGIS, ArcGIS and GDAL: one feature table per layer with
 * the record's UUID as `id` and every property as a column (extra properties included, lists and
 * objects as JSON text, such columns marked JSON in gpkg_data_columns), an R*Tree, EPSG:4326.
 * Written to a temporary file and renamed on success: never a half file.
 */
export async function exportGeoPackage(project: Project, outPath: string, opts: GpkgExportOptions = {}): Promise<{ file: string; counts: Record<string, number> }> {
  const out = resolve(outPath);
  if (existsSync(out)) throw codedError('USAGE', coded('file.exists', { file: basename(out) }));
  checkOutputTarget(out); // a missing or read-only folder: a message naming it, not SQLite's TypeError
  sweepStalePartials(out);
  const tmp = partialPath(out);
  const layers = opts.layers ?? ['deposits', 'surveys'];
  const db = new Database(tmp);
  const counts: Record<string, number> = {};
  try {
    registerGpkgFunctions(db);
    db.pragma('application_id = 1196444487');
    db.pragma('user_version = 10300');
    db.exec(GPKG_CORE);
    const srsId = opts.crs?.code ?? 4326;
    const toTarget = srsId !== 4326 && opts.crs ? fromWgs84(opts.crs) : undefined;
    if (srsId !== 4326) {
      // GDAL and QGIS resolve the CRS from organization + code; the spec's WKT is not known to
      // proj4js, so the definition is "undefined" (as GeoPackage allows for its own rows).
      db.prepare(`INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description) VALUES (?, ?, 'EPSG', ?, 'undefined', ?)`).run(
        opts.crs!.name,
        srsId,
        srsId,
        `${opts.crs!.name} (exported by Outcrop with proj4js${opts.crs!.note ? `; ${opts.crs!.note}` : ''})`,
      );
    }
    const total = layers.reduce((n, l) => n + countRows(project, l, filterForLayer(l, opts.filter ?? {})), 0);
    let done = 0;
    db.exec('BEGIN');
    for (const layer of layers) {
      const filter = filterForLayer(layer, opts.filter ?? {});
      // Columns: the model's, then every extra property seen, each with the type its values
      // share (one pass to collect, one to write).
      const kinds = new Map<string, ValueKind>();
      let seen = 0;
      for (const f of iterateFeatures(project, layer, filter, { flattenExtra: true, signal: opts.signal })) {
        for (const [k, v] of Object.entries(f.properties)) kinds.set(k, joinKind(kinds.get(k) ?? 'none', kindOf(v)));
        if ((++seen & 1023) === 0) await breather(opts.signal);
      }
      const outCols = outputColumns(kinds);
      const geomType = layer === 'deposits' ? 'POINT' : 'MULTIPOLYGON';
      db.exec(`CREATE TABLE ${quoteIdent(layer)} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom ${geomType}, id TEXT NOT NULL UNIQUE${outCols.map((c) => `, ${quoteIdent(c.name)} ${COLUMN_TYPE[c.kind]}`).join('')})`);
      db.prepare(`INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES (?, 'features', ?, ?, ?)`).run(layer, layer, `Outcrop ${layer}, exported ${new Date().toISOString()}`, srsId);
      db.prepare(`INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)`).run(layer, geomType, srsId);
      db.exec(rtreeSql(layer, 'geom'));
      const described = outCols.filter((c) => c.kind === 'json' || c.name !== c.key);
      if (described.length) {
        if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'gpkg_data_columns'").get()) db.exec(GPKG_SCHEMA);
        const describe = db.prepare('INSERT INTO gpkg_data_columns (table_name, column_name, name, mime_type) VALUES (?, ?, ?, ?)');
        for (const c of described) describe.run(layer, c.name, c.name !== c.key ? c.key : null, c.kind === 'json' ? 'application/json' : null);
      }
      const ins = db.prepare(`INSERT INTO ${quoteIdent(layer)} (geom, id${outCols.map((c) => `, ${quoteIdent(c.name)}`).join('')}) VALUES (?, ?${outCols.map(() => ', ?').join('')})`);
      let n = 0;
      const env = [Infinity, -Infinity, Infinity, -Infinity];
      for (const f of iterateFeatures(project, layer, filter, { flattenExtra: true, signal: opts.signal })) {
        if (((n + 1) & 1023) === 0) await breather(opts.signal);
        const props = opts.labels ? withLabels(layer, f.properties, opts.labels) : f.properties;
        const values = [f.id, ...outCols.map((c) => cellValue(props[c.key], c.kind))];
        if (f.geometry) {
          const geometry = toTarget ? reprojectGeometry(f.geometry, toTarget) : f.geometry;
          const e = envelopeOf(geometry);
          if (!e.every(Number.isFinite)) {
            throw new ValidationError([{ featureIndex: n, featureId: f.id, field: 'geometry', ...(opts.crs?.name ? coded('export.outsideCrs', { crs: opts.crs.name }) : coded('export.outsideTargetCrs')) }]);
          }
          ins.run(encodeGeometry(geometry, srsId), ...values); // the blob's SRS is the table's (GeoPackage Req 33)
          env[0] = Math.min(env[0], e[0]);
          env[1] = Math.max(env[1], e[1]);
          env[2] = Math.min(env[2], e[2]);
          env[3] = Math.max(env[3], e[3]);
        } else {
          ins.run(null, ...values); // no geometry (another program cleared it): NULL, as GeoPackage allows
        }
        if ((++done & 1023) === 0) opts.onProgress?.({ phase: 'write', done, total, unit: 'features' });
        n++;
      }
      if (env[0] <= env[1]) db.prepare('UPDATE gpkg_contents SET min_x = ?, max_x = ?, min_y = ?, max_y = ? WHERE table_name = ?').run(env[0], env[1], env[2], env[3], layer);
      counts[layer] = n;
    }
    opts.signal?.throwIfAborted(); // a cancel in the last rows still leaves no file
    db.exec('COMMIT');
    db.close();
    await rename(tmp, out);
  } catch (err) {
    if (db.open) db.close();
    await Promise.all([tmp, `${tmp}-journal`].map((f) => rm(f, { force: true })));
    throw err;
  }
  opts.onProgress?.({ phase: 'write', done: Object.values(counts).reduce((a, b) => a + b, 0), unit: 'features' });
  return { file: out, counts };
}

/**
 * Let the event loop run (a Ctrl-C's handler, the app's other calls: the export reads through a
 * connection of its own) and stop if cancelled. Every ~1,000 rows: a 110k-row export held the
 * thread for 5–7 s and could not be cancelled.
 */
async function breather(signal: AbortSignal | undefined): Promise<void> {
  await new Promise((r) => setImmediate(r));
  signal?.throwIfAborted();
}

/**
 * What a column's values have in common: its GeoPackage type (none: only nulls so far). A column
 * with any list or object is 'json': every value in it is JSON text, so that a string stays a
 * string beside the lists ("x" is written `"x"`) and the import gets back each value as it was.
 */
type ValueKind = 'none' | 'integer' | 'real' | 'boolean' | 'text' | 'json';
type ColumnType = 'TEXT' | 'INTEGER' | 'REAL' | 'BOOLEAN';

function kindOf(v: unknown): ValueKind {
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'real';
  if (typeof v === 'boolean') return 'boolean';
  return typeof v === 'object' && !(v instanceof Date) ? 'json' : 'text';
}

function joinKind(a: ValueKind, b: ValueKind): ValueKind {
  if (a === b || b === 'none') return a;
  if (a === 'none') return b;
  if (a === 'json' || b === 'json') return 'json';
  if ((a === 'integer' && b === 'real') || (a === 'real' && b === 'integer')) return 'real';
  return 'text';
}

const COLUMN_TYPE: Record<ValueKind, ColumnType> = { none: 'TEXT', integer: 'INTEGER', real: 'REAL', boolean: 'BOOLEAN', text: 'TEXT', json: 'TEXT' };

/**
 * The table's columns after `id` (the record's UUID): one per property, named as the property
 * unless SQLite would take the name for another (column names are case-insensitive: `depth` and
 * `Depth`), or it is the table's own `fid`, `geom` or `id` (a source's own id, e.g.
 * "MRDS-10012345"); such a property gets `extra_<name>`, then a number, and gpkg_data_columns
 * names the property it holds.
 */
function outputColumns(kinds: Map<string, ValueKind>): { key: string; name: string; kind: ValueKind }[] {
  const used = new Set(['fid', 'geom', 'id']);
  const out: { key: string; name: string; kind: ValueKind }[] = [];
  for (const [key, kind] of kinds) {
    let name = used.has(key.toLowerCase()) ? `extra_${key}` : key;
    for (let i = 2; used.has(name.toLowerCase()); i++) name = `extra_${key}_${i}`;
    used.add(name.toLowerCase());
    out.push({ key, name, kind });
  }
  return out;
}

/** A property's value as its column stores it: JSON text in a JSON column, numbers as numbers. */
function cellValue(v: unknown, kind: ValueKind): string | number | null {
  if (v === undefined || v === null) return null;
  if (kind === 'boolean') return v ? 1 : 0;
  if (kind === 'integer' || kind === 'real') return v as number;
  if (kind === 'json') return JSON.stringify(v);
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
