import type { Geometry, MultiPolygon, Point, Polygon } from 'geojson';
import type { Deposit, DepositFields } from '../model/deposit';
import type { DepositId, SurveyId } from '../model/ids';
import type { Survey, SurveyFields } from '../model/survey';
import { decodeStoredGeometry, encodeGeometry } from './gpkg/geometry-blob';

/**
 * The one place that knows how model fields map onto GeoPackage columns. Code lists are
 * stored `;`-joined (readable in QGIS, filterable in SQL); free-text lists, resources and
 * `extra` are JSON. Column names are the snake_case field names used in exports too.
 */
export type Layer = 'deposits' | 'surveys';
export type SqlValue = string | number | null | Buffer;


export interface Audit {
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  updatedBy: string | null;
}

/** How a model field is stored: plain value, `;`-joined code list, or JSON text. */
type Kind = 'value' | 'codes' | 'json';
type FieldSpec<F> = readonly (readonly [field: keyof F & string, column: string, kind: Kind])[];

/** Field ↔ column, one table per layer: the only place that pairs them. */
const DEPOSIT_FIELDS: FieldSpec<DepositFields> = [
  ['name', 'name', 'value'], ['nameJa', 'name_ja', 'value'], ['nameRomaji', 'name_romaji', 'value'],
  ['altNames', 'alt_names', 'json'], ['commoditiesMain', 'commodities_main', 'codes'],
  ['commoditiesSecondary', 'commodities_secondary', 'codes'], ['commoditiesTrace', 'commodities_trace', 'codes'],
  ['depositType', 'deposit_type', 'value'], ['depositTypeText', 'deposit_type_text', 'value'], ['status', 'status', 'value'],
  ['resources', 'resources', 'json'], ['hostRock', 'host_rock', 'value'], ['hostRockUnit', 'host_rock_unit', 'value'],
  ['oreMinerals', 'ore_minerals', 'value'], ['gangueMinerals', 'gangue_minerals', 'value'], ['country', 'country', 'value'],
  ['adminArea', 'admin_area', 'value'], ['county', 'county', 'value'], ['region', 'region', 'value'], ['agency', 'agency', 'value'],
  ['observer', 'observer', 'value'], ['surveyId', 'survey_id', 'value'], ['notes', 'notes', 'value'], ['source', 'source', 'value'],
  ['sourceId', 'source_id', 'value'], ['sourceUrl', 'source_url', 'value'], ['extra', 'extra', 'json'],
];

const SURVEY_FIELDS: FieldSpec<SurveyFields> = [
  ['name', 'name', 'value'], ['agency', 'agency', 'value'], ['team', 'team', 'value'], ['country', 'country', 'value'],
  ['methods', 'methods', 'codes'], ['startDate', 'start_date', 'value'], ['endDate', 'end_date', 'value'], ['status', 'status', 'value'],
  ['notes', 'notes', 'value'], ['source', 'source', 'value'], ['sourceId', 'source_id', 'value'], ['sourceUrl', 'source_url', 'value'],
  ['extra', 'extra', 'json'],
];

const AUDIT_FIELDS = [['createdAt', 'created_at'], ['updatedAt', 'updated_at'], ['createdBy', 'created_by'], ['updatedBy', 'updated_by']] as const;

const joinCodes = (a: readonly string[]) => (a.length ? a.join(';') : null);
const splitCodes = (s: string | null) => (s ? s.split(';') : []);

function toRow<F>(spec: FieldSpec<F>, id: string, f: F, a: Audit, geom: Buffer | null): Record<string, SqlValue> {
  const row: Record<string, SqlValue> = { geom, id };
  for (const [field, column, kind] of spec) {
    const v = f[field] as unknown;
    row[column] = kind === 'json' ? JSON.stringify(v) : kind === 'codes' ? joinCodes(v as string[]) : (v as SqlValue);
  }
  for (const [field, column] of AUDIT_FIELDS) row[column] = a[field];
  return row;
}

function fromRow<F>(spec: FieldSpec<F>, r: Record<string, any>): F & Audit & { id: string } {
  const out: Record<string, unknown> = { id: r.id };
  for (const [field, column, kind] of spec) {
    const v = r[column];
    out[field] = kind === 'json' ? JSON.parse(v) : kind === 'codes' ? splitCodes(v) : v;
  }
  for (const [field, column] of AUDIT_FIELDS) out[field] = r[column];
  return out as F & Audit & { id: string };
}

/** `geometry` null: a deposit without a location (its fields edited before anyone places it). */
export function depositRow(id: string, f: DepositFields, a: Audit, geometry: Point | null): Record<string, SqlValue> {
  return toRow(DEPOSIT_FIELDS, id, f, a, geometry ? encodeGeometry(geometry) : null);
}

/**
 * The values of an INSERT in `['geom', ...DEPOSIT_COLUMNS]` / `['geom', ...SURVEY_COLUMNS]`
 * order: what `depositRow` / `surveyRow` hold, without building the row object (imports).
 */
export function insertValues(layer: Layer, id: string, f: DepositFields | SurveyFields, a: Audit, geom: Buffer | null): SqlValue[] {
  const spec = (layer === 'deposits' ? DEPOSIT_FIELDS : SURVEY_FIELDS) as FieldSpec<Record<string, unknown>>;
  const fields = f as unknown as Record<string, unknown>;
  const values = new Array<SqlValue>(spec.length + 6);
  values[0] = geom;
  values[1] = id;
  // Hot path of imports (once per row): indexed loops, no destructuring.
  for (let i = 0; i < spec.length; i++) {
    const s = spec[i];
    const v = fields[s[0]];
    values[i + 2] = s[2] === 'json' ? jsonText(v) : s[2] === 'codes' ? joinCodes(v as string[]) : (v as SqlValue);
  }
  for (let k = 0; k < AUDIT_FIELDS.length; k++) values[spec.length + 2 + k] = a[AUDIT_FIELDS[k][0]];
  return values;
}

/** JSON.stringify, with the empty list most list fields hold as a literal. */
function jsonText(v: unknown): string {
  return Array.isArray(v) && v.length === 0 ? '[]' : JSON.stringify(v);
}

export function rowToDeposit(r: Record<string, any>): Deposit {
  const d = fromRow(DEPOSIT_FIELDS, r);
  return { ...d, id: d.id as DepositId, surveyId: d.surveyId as SurveyId | null, geometry: (r.geom == null ? null : decodeStoredGeometry(r.geom, 'deposits', r.fid, r.id)) as Point };
}

/** Surveys are always stored as MultiPolygon (one geometry type per GeoPackage layer). */
export function toMultiPolygon(g: Polygon | MultiPolygon): MultiPolygon {
  return g.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [g.coordinates] } : g;
}

/** `geometry` null: a survey without an outline (its fields edited before anyone draws it). */
export function surveyRow(id: string, f: SurveyFields, a: Audit, geometry: Polygon | MultiPolygon | null): Record<string, SqlValue> {
  return toRow(SURVEY_FIELDS, id, f, a, geometry ? encodeGeometry(toMultiPolygon(geometry)) : null);
}

export function rowToSurvey(r: Record<string, any>): Survey {
  const s = fromRow(SURVEY_FIELDS, r);
  return { ...s, id: s.id as SurveyId, geometry: (r.geom == null ? null : decodeStoredGeometry(r.geom, 'surveys', r.fid, r.id)) as MultiPolygon };
}

/** A record as a GeoJSON feature with snake_case properties: the export and history form. */
export interface RecordFeature {
  type: 'Feature';
  id: string;
  geometry: Geometry;
  properties: Record<string, unknown>;
}

const JSON_COLUMNS = new Set([...DEPOSIT_FIELDS, ...SURVEY_FIELDS].filter((f) => f[2] === 'json').map((f) => f[1]));
const CODE_LIST_COLUMNS = new Set([...DEPOSIT_FIELDS, ...SURVEY_FIELDS].filter((f) => f[2] === 'codes').map((f) => f[1]));

/** Every non-geometry column of a layer, in table order: id, the fields, the audit columns. */
export const DEPOSIT_COLUMNS: readonly string[] = ['id', ...DEPOSIT_FIELDS.map((f) => f[1]), ...AUDIT_FIELDS.map((f) => f[1])];
export const SURVEY_COLUMNS: readonly string[] = ['id', ...SURVEY_FIELDS.map((f) => f[1]), ...AUDIT_FIELDS.map((f) => f[1])];

/**
 * Row → feature. Lists become arrays, `extra` stays nested unless `flattenExtra` (exports put
 * extra properties beside the model's, so a round trip brings them back as extra).
 */
export function rowToFeature(
  layer: Layer,
  r: Record<string, any>,
  opts: { flattenExtra?: boolean } = {},
  geometry?: Geometry,
): RecordFeature {
  const cols = layer === 'deposits' ? DEPOSIT_COLUMNS : SURVEY_COLUMNS;
  // A NULL geometry (another program cleared it; GeoPackage allows it) reads as null, which the
  // writers keep as GeoJSON's `"geometry": null` or empty coordinates.
  const f = valuesToFeature(layer, cols.map((c) => r[c]), geometry ?? (r.geom == null ? (null as unknown as Geometry) : decodeStoredGeometry(r.geom, layer, r.fid, r.id)));
  const props = f.properties as Record<string, unknown>;
  if (opts.flattenExtra) {
    const extra = props.extra as Record<string, unknown>;
    delete props.extra;
    for (const [k, v] of Object.entries(extra)) {
      // A foreign property that collides with a model column keeps a prefix rather than being lost.
      // A source's own `id` (e.g. "MRDS-10012345") stays `id`: the record's UUID is the feature's
      // id, not a property; each writer puts it where its format has room (GeoJSON: extra_id, see
      // withSourceIdAside in src/export/export-file.ts; CSV: extra_json; GeoPackage: a described column).
      props[k in props ? `extra_${k}` : k] = v;
    }
  }
  return f;
}

/**
 * The history form of a row as JSON text, built without parsing the JSON columns back (hot path
 * of bulk imports). Null properties are left out: in history JSON an absent property is null,
 * which every reader (undo, merge, featureHistory) already treats alike. Equal, after parsing, to
 * `historyJson(rowToFeature(layer, r, {}, geometry))`.
 */
export function rowToFeatureJson(layer: Layer, r: Record<string, SqlValue>, geometry: Geometry): string {
  const cols = layer === 'deposits' ? DEPOSIT_COLUMNS : SURVEY_COLUMNS;
  let props = '';
  for (const c of cols) {
    if (c === 'id') continue;
    const v = r[c];
    let json: string;
    if (JSON_COLUMNS.has(c)) json = v as string;
    else if (CODE_LIST_COLUMNS.has(c)) json = JSON.stringify(splitCodes(v as string | null));
    else if (v === null || v === undefined) continue; // history omits nulls: absent means null
    else json = JSON.stringify(v);
    props += `${props ? ',' : ''}"${c}":${json}`;
  }
  return `{"type":"Feature","id":${JSON.stringify(r.id)},"geometry":${JSON.stringify(geometry)},"properties":{${props}}}`;
}

/** Per column of DEPOSIT_COLUMNS / SURVEY_COLUMNS: 0 plain value, 1 JSON text, 2 code list. */
const COLUMN_KINDS: Record<Layer, readonly number[]> = {
  deposits: DEPOSIT_COLUMNS.map((c) => (JSON_COLUMNS.has(c) ? 1 : CODE_LIST_COLUMNS.has(c) ? 2 : 0)),
  surveys: SURVEY_COLUMNS.map((c) => (JSON_COLUMNS.has(c) ? 1 : CODE_LIST_COLUMNS.has(c) ? 2 : 0)),
};

/**
 * `rowToFeature` from a row's values in DEPOSIT_COLUMNS (or SURVEY_COLUMNS) order, as a raw
 * statement answers them (no row object per record) from index `from` on, with the geometry
 * already known.
 */
export function valuesToFeature(layer: Layer, values: readonly unknown[], geometry: Geometry, from = 0): RecordFeature {
  const cols = layer === 'deposits' ? DEPOSIT_COLUMNS : SURVEY_COLUMNS;
  const kinds = COLUMN_KINDS[layer];
  const props: Record<string, unknown> = {};
  for (let i = 0; i < cols.length; i++) {
    if (i === 0) continue; // id
    const v = values[from + i];
    // '[]' and '{}' are most JSON cells: fresh literals, without the parser.
    if (kinds[i] === 1) props[cols[i]] = v === '[]' ? [] : v === '{}' ? {} : JSON.parse(v as string);
    else if (kinds[i] === 2) props[cols[i]] = splitCodes(v as string | null);
    else props[cols[i]] = v;
  }
  return { type: 'Feature', id: values[from] as string, geometry, properties: props };
}

/**
 * `rowToFeatureJson` from the values of an INSERT in `['geom', ...DEPOSIT_COLUMNS]` (or
 * SURVEY_COLUMNS) order and the geometry's JSON text: the same text, without a row object.
 */
export function insertValuesToFeatureJson(layer: Layer, values: readonly SqlValue[], geometryJson: string): string {
  const cols = layer === 'deposits' ? DEPOSIT_COLUMNS : SURVEY_COLUMNS;
  const kinds = COLUMN_KINDS[layer];
  let props = '';
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i];
    if (c === 'id') continue;
    const v = values[i + 1];
    let json: string;
    if (kinds[i] === 1) json = v as string;
    else if (kinds[i] === 2) json = JSON.stringify(splitCodes(v as string | null));
    else if (v === null || v === undefined) continue; // history omits nulls: absent means null
    else json = JSON.stringify(v);
    props += `${props ? ',' : ''}"${c}":${json}`;
  }
  return `{"type":"Feature","id":${JSON.stringify(values[1])},"geometry":${geometryJson},"properties":{${props}}}`;
}

/** JSON text of a feature for the history table: null properties left out (see rowToFeatureJson). */
export function historyJson(f: RecordFeature): string {
  // Only the feature's own properties lose their nulls; values inside extra/resources stay as they are.
  return JSON.stringify(f, function (this: unknown, _key, value) {
    return value === null && this === f.properties ? undefined : value;
  });
}

/** Feature (history form, extra nested) → row values, for undo/redo re-inserts. */
export function featureToRow(layer: Layer, f: RecordFeature): Record<string, SqlValue> {
  // A null geometry (cleared in another program, carried by history or a package) stays NULL.
  const geometry = f.geometry == null ? null : layer === 'surveys' ? toMultiPolygon(f.geometry as Polygon | MultiPolygon) : f.geometry;
  const row: Record<string, SqlValue> = { geom: geometry ? encodeGeometry(geometry) : null, id: f.id };
  const cols = layer === 'deposits' ? DEPOSIT_COLUMNS : SURVEY_COLUMNS;
  for (const c of cols) {
    if (c === 'id') continue;
    const v = f.properties[c];
    if (JSON_COLUMNS.has(c)) row[c] = JSON.stringify(v ?? (c === 'extra' ? {} : []));
    else if (CODE_LIST_COLUMNS.has(c)) row[c] = joinCodes((v as string[]) ?? []);
    else row[c] = (v ?? null) as SqlValue;
  }
  return row;
}
