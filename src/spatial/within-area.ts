import type { MultiPolygon, Polygon } from 'geojson';
import { decodePoint } from '../store/gpkg/geometry-blob';
import { booleanIntersects } from '@turf/turf';
import { PreparedArea } from './prepared-area';
import { codedError } from '../errors';
import { coded } from '../messages/en';
import type { Project } from '../store/project';
import { type RecordFeature, rowToFeature } from '../store/columns';
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
    const p = decodePoint(geom);
    if (prepared.contains(p[0], p[1])) hits.push({ fid, id, coordinates: p });
  }
  return hits.sort((a, b) => a.fid - b.fid);
}

/** Full records of query hits (second phase). */
export function loadHits(project: Project, hits: DepositHit[]): RecordFeature[] {
  const get = project.db.prepare('SELECT * FROM deposits WHERE fid = ?');
  return hits.map((h) => rowToFeature('deposits', get.get(h.fid) as Record<string, unknown>, {}, { type: 'Point', coordinates: h.coordinates }));
}

/** Deposits inside an area, as full records (see depositHitsWithin). */
export function depositsWithin(project: Project, area: Area, filter: FeatureFilter = {}): RecordFeature[] {
  return loadHits(project, depositHitsWithin(project, area, filter));
}

/** Deposits inside the survey with this id. */
export function depositsWithinSurvey(project: Project, surveyId: string, filter: FeatureFilter = {}): RecordFeature[] {
  const survey = getSurvey(project, surveyId);
  if (!survey) throw codedError('NOT_FOUND', coded('survey.notFound', { id: surveyId }), { surveyId });
  return depositsWithin(project, survey.geometry, filter);
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
