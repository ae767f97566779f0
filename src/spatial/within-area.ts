import type { MultiPolygon, Polygon } from 'geojson';
import { decodePoint } from '../store/gpkg/geometry-blob';
import { booleanIntersects, booleanPointInPolygon } from '@turf/turf';
import { OutcropError } from '../errors';
import type { Project } from '../store/project';
import { type RecordFeature, rowToFeature } from '../store/columns';
import { type FeatureFilter, getSurvey, iterateRows } from '../store/read';
import { partBoxes } from './bbox';

export type Area = Polygon | MultiPolygon;

/**
 * Deposits inside an area (edges and vertices count as inside). The area must already be
 * normalised (validated; antimeridian-crossing areas split into a MultiPolygon at ±180), so
 * each part has its own R*Tree box and planar point-in-polygon is right.
 */
export function depositsWithin(project: Project, area: Area, filter: FeatureFilter = {}): RecordFeature[] {
  const out: RecordFeature[] = [];
  for (const row of iterateRows(project, 'deposits', filter, partBoxes(area))) {
    const p = decodePoint(row.geom);
    if (booleanPointInPolygon(p, area)) out.push(rowToFeature('deposits', row, {}, { type: 'Point', coordinates: p }));
  }
  return out;
}

/** Deposits inside the survey with this id. */
export function depositsWithinSurvey(project: Project, surveyId: string, filter: FeatureFilter = {}): RecordFeature[] {
  const survey = getSurvey(project, surveyId);
  if (!survey) throw new OutcropError('NOT_FOUND', `no survey with id "${surveyId}"`, { surveyId });
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
