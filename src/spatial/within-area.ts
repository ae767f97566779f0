import type { MultiPolygon, Polygon } from 'geojson';
import { decodeStoredPoint } from '../store/gpkg/geometry-blob';
import { booleanIntersects } from '@turf/turf';
import { PreparedArea } from './prepared-area';
import { codedError } from '../errors';
import { coded } from '../messages/en';
import type { Project } from '../store/project';
import { DEPOSIT_COLUMNS, type RecordFeature, rowToFeature, valuesToFeature } from '../store/columns';
import { type FeatureFilter, getSurvey, iterateGeometries, iterateRows } from '../store/read';
import { partBoxes } from './bbox';

export type Area = Polygon | MultiPolygon;

/** A deposit found by a spatial query, before its record is loaded. */
export interface DepositHit {
  fid: number;
  id: string;
  /** [lng, lat] */
  coordinates: [number, number];
}

/**
 * Ids and positions of the deposits inside an area (edges and vertices count as inside), in
 * fid order. This is what the map highlight and the feature table need; records load on demand.
 * The area must already be normalised (validated; antimeridian-crossing areas split into a
 * MultiPolygon at ±180), so each part has its own R*Tree box and planar tests are right.
 */
export function depositHitsWithin(project: Project, area: Area, filter: FeatureFilter = {}): DepositHit[] {
  const prepared = new PreparedArea(area);
  const hits: DepositHit[] = [];
  for (const [fid, id, geom] of iterateGeometries(project, 'deposits', filter, partBoxes(area))) {
    const p = decodeStoredPoint(geom, 'deposits', fid, id);
    if (prepared.contains(p[0], p[1])) hits.push({ fid, id, coordinates: p });
  }
  return hits.sort((a, b) => a.fid - b.fid);
}

/** Full records of query hits (second phase). */
export function loadHits(project: Project, hits: DepositHit[]): RecordFeature[] {
  // A few hundred records per statement (fid IN a JSON list, each found by its rowid), as raw
  // value arrays: one call per chunk instead of one per record, no row objects, no geometry blob.
  const get = project.db.prepare(`SELECT fid, ${DEPOSIT_COLUMNS.join(', ')} FROM deposits WHERE fid IN (SELECT value FROM json_each(?))`).raw();
  const out: RecordFeature[] = new Array(hits.length);
  const at = new Map<number, number>();
  for (let i = 0; i < hits.length; i += LOAD_CHUNK) {
    const chunk = hits.slice(i, i + LOAD_CHUNK);
    at.clear();
    chunk.forEach((h, k) => at.set(h.fid, i + k));
    for (const row of get.all(JSON.stringify(chunk.map((h) => h.fid))) as unknown[][]) {
      const k = at.get(row[0] as number)!;
      out[k] = valuesToFeature('deposits', row, { type: 'Point', coordinates: hits[k].coordinates }, 1);
    }
  }
  return out;
}
const LOAD_CHUNK = 500;

/** Deposits inside an area, as full records (see depositHitsWithin). */
export function depositsWithin(project: Project, area: Area, filter: FeatureFilter = {}): RecordFeature[] {
  return loadHits(project, depositHitsWithin(project, area, filter));
}

/** The stored survey with this id, which must exist and have an outline (coded errors otherwise). */
export function surveyWithOutline(project: Project, surveyId: string): NonNullable<ReturnType<typeof getSurvey>> & { geometry: Area } {
  const survey = getSurvey(project, surveyId);
  if (!survey) throw codedError('NOT_FOUND', coded('survey.notFound', { id: surveyId }), { surveyId });
  if (!survey.geometry) throw codedError('VALIDATION', coded('survey.noOutline', { id: surveyId, name: survey.name }), { surveyId });
  return survey as NonNullable<ReturnType<typeof getSurvey>> & { geometry: Area };
}

/** Deposits inside the survey with this id. */
export function depositsWithinSurvey(project: Project, surveyId: string, filter: FeatureFilter = {}): RecordFeature[] {
  return depositsWithin(project, surveyWithOutline(project, surveyId).geometry, filter);
}

/** Surveys that touch or overlap an area. */
export function surveysIntersecting(project: Project, area: Area, filter: FeatureFilter = {}): RecordFeature[] {
  const out: RecordFeature[] = [];
  for (const row of iterateRows(project, 'surveys', filter, partBoxes(area))) {
    const f = rowToFeature('surveys', row);
    if (booleanIntersects(f.geometry as Area, area)) out.push(f);
  }
  return out;
}
