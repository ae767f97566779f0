import type { Geometry, MultiPolygon, Point, Polygon } from 'geojson';
import type { Deposit, DepositFields } from '../model/deposit';
import type { DepositId, SurveyId } from '../model/ids';
import type { Survey, SurveyFields } from '../model/survey';
import type { CommodityCode } from '../model/vocab/commodities';
import { decodeGeometry, encodeGeometry } from './gpkg/geometry-blob';

/**
 * The one place that knows how model fields map onto GeoPackage columns. Code lists are
 * stored `;`-joined (readable in QGIS, filterable in SQL); free-text lists, resources and
 * `extra` are JSON. Column names are the snake_case field names used in exports too.
 */
export type Layer = 'deposits' | 'surveys';
export type SqlValue = string | number | null | Buffer;

export const DEPOSIT_COLUMNS = [
  'id', 'name', 'name_ja', 'name_romaji', 'alt_names', 'commodities_main', 'commodities_secondary',
  'commodities_trace', 'deposit_type', 'deposit_type_text', 'status', 'resources', 'host_rock',
  'host_rock_unit', 'ore_minerals', 'gangue_minerals', 'country', 'admin_area', 'county', 'region',
  'agency', 'observer', 'survey_id', 'notes', 'source', 'source_id', 'source_url', 'extra',
  'created_at', 'updated_at', 'created_by', 'updated_by',
] as const;

export const SURVEY_COLUMNS = [
  'id', 'name', 'agency', 'team', 'country', 'methods', 'start_date', 'end_date', 'status', 'notes',
  'source', 'source_id', 'source_url', 'extra', 'created_at', 'updated_at', 'created_by', 'updated_by',
] as const;

export interface Audit {
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  updatedBy: string | null;
}

const joinCodes = (a: readonly string[]) => (a.length ? a.join(';') : null);
const splitCodes = (s: string | null) => (s ? s.split(';') : []);

export function depositRow(id: string, f: DepositFields, a: Audit, geometry: Point): Record<string, SqlValue> {
  return {
    geom: encodeGeometry(geometry),
    id,
    name: f.name,
    name_ja: f.nameJa,
    name_romaji: f.nameRomaji,
    alt_names: JSON.stringify(f.altNames),
    commodities_main: joinCodes(f.commoditiesMain),
    commodities_secondary: joinCodes(f.commoditiesSecondary),
    commodities_trace: joinCodes(f.commoditiesTrace),
    deposit_type: f.depositType,
    deposit_type_text: f.depositTypeText,
    status: f.status,
    resources: JSON.stringify(f.resources),
    host_rock: f.hostRock,
    host_rock_unit: f.hostRockUnit,
    ore_minerals: f.oreMinerals,
    gangue_minerals: f.gangueMinerals,
    country: f.country,
    admin_area: f.adminArea,
    county: f.county,
    region: f.region,
    agency: f.agency,
    observer: f.observer,
    survey_id: f.surveyId,
    notes: f.notes,
    source: f.source,
    source_id: f.sourceId,
    source_url: f.sourceUrl,
    extra: JSON.stringify(f.extra),
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    created_by: a.createdBy,
    updated_by: a.updatedBy,
  };
}

export function rowToDeposit(r: Record<string, any>): Deposit {
  return {
    id: r.id as DepositId,
    geometry: decodeGeometry(r.geom) as Point,
    name: r.name,
    nameJa: r.name_ja,
    nameRomaji: r.name_romaji,
    altNames: JSON.parse(r.alt_names),
    commoditiesMain: splitCodes(r.commodities_main) as CommodityCode[],
    commoditiesSecondary: splitCodes(r.commodities_secondary) as CommodityCode[],
    commoditiesTrace: splitCodes(r.commodities_trace) as CommodityCode[],
    depositType: r.deposit_type,
    depositTypeText: r.deposit_type_text,
    status: r.status,
    resources: JSON.parse(r.resources),
    hostRock: r.host_rock,
    hostRockUnit: r.host_rock_unit,
    oreMinerals: r.ore_minerals,
    gangueMinerals: r.gangue_minerals,
    country: r.country,
    adminArea: r.admin_area,
    county: r.county,
    region: r.region,
    agency: r.agency,
    observer: r.observer,
    surveyId: r.survey_id as SurveyId | null,
    notes: r.notes,
    source: r.source,
    sourceId: r.source_id,
    sourceUrl: r.source_url,
    extra: JSON.parse(r.extra),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    createdBy: r.created_by,
    updatedBy: r.updated_by,
  };
}

/** Surveys are always stored as MultiPolygon (one geometry type per GeoPackage layer). */
export function toMultiPolygon(g: Polygon | MultiPolygon): MultiPolygon {
  return g.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [g.coordinates] } : g;
}

export function surveyRow(id: string, f: SurveyFields, a: Audit, geometry: Polygon | MultiPolygon): Record<string, SqlValue> {
  return {
    geom: encodeGeometry(toMultiPolygon(geometry)),
    id,
    name: f.name,
    agency: f.agency,
    team: f.team,
    country: f.country,
    methods: joinCodes(f.methods),
    start_date: f.startDate,
    end_date: f.endDate,
    status: f.status,
    notes: f.notes,
    source: f.source,
    source_id: f.sourceId,
    source_url: f.sourceUrl,
    extra: JSON.stringify(f.extra),
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    created_by: a.createdBy,
    updated_by: a.updatedBy,
  };
}

export function rowToSurvey(r: Record<string, any>): Survey {
  return {
    id: r.id as SurveyId,
    geometry: decodeGeometry(r.geom) as MultiPolygon,
    name: r.name,
    agency: r.agency,
    team: r.team,
    country: r.country,
    methods: splitCodes(r.methods) as Survey['methods'],
    startDate: r.start_date,
    endDate: r.end_date,
    status: r.status,
    notes: r.notes,
    source: r.source,
    sourceId: r.source_id,
    sourceUrl: r.source_url,
    extra: JSON.parse(r.extra),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    createdBy: r.created_by,
    updatedBy: r.updated_by,
  };
}

/** A record as a GeoJSON feature with snake_case properties: the export and history form. */
export interface RecordFeature {
  type: 'Feature';
  id: string;
  geometry: Geometry;
  properties: Record<string, unknown>;
}

const JSON_COLUMNS = new Set(['alt_names', 'resources', 'extra']);
const CODE_LIST_COLUMNS = new Set(['commodities_main', 'commodities_secondary', 'commodities_trace', 'methods']);

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
  const props: Record<string, unknown> = {};
  const cols = layer === 'deposits' ? DEPOSIT_COLUMNS : SURVEY_COLUMNS;
  for (const c of cols) {
    if (c === 'id') continue;
    const v = r[c];
    if (JSON_COLUMNS.has(c)) props[c] = JSON.parse(v);
    else if (CODE_LIST_COLUMNS.has(c)) props[c] = splitCodes(v);
    else props[c] = v;
  }
  if (opts.flattenExtra) {
    const extra = props.extra as Record<string, unknown>;
    delete props.extra;
    for (const [k, v] of Object.entries(extra)) {
      // A foreign property that collides with a model column keeps a prefix rather than being lost.
      props[k in props || k === 'id' ? `extra_${k}` : k] = v;
    }
  }
  return { type: 'Feature', id: r.id, geometry: geometry ?? decodeGeometry(r.geom), properties: props };
}

/**
 * The history form of a row as JSON text, built without parsing the JSON columns back
 * (hot path of bulk imports: equal to JSON.stringify(rowToFeature(layer, r, {}, geometry))).
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
    else json = v === undefined ? 'null' : JSON.stringify(v);
    props += `${props ? ',' : ''}"${c}":${json}`;
  }
  return `{"type":"Feature","id":${JSON.stringify(r.id)},"geometry":${JSON.stringify(geometry)},"properties":{${props}}}`;
}

/** Feature (history form, extra nested) → row values, for undo/redo re-inserts. */
export function featureToRow(layer: Layer, f: RecordFeature): Record<string, SqlValue> {
  const geometry = layer === 'surveys' ? toMultiPolygon(f.geometry as Polygon | MultiPolygon) : f.geometry;
  const row: Record<string, SqlValue> = { geom: encodeGeometry(geometry), id: f.id };
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
