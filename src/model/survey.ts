import type { MultiPolygon, Polygon } from 'geojson';
import type { SurveyId } from './ids';
import type { SurveyMethod, SurveyStatus } from './vocab/survey';

/** The editable fields of a survey area. */
export interface SurveyFields {
  name: string;
  agency: string | null;
  team: string | null;
  country: string | null;
  /** One or more methods, e.g. ["geophysics", "remote-sensing"]. */
  methods: SurveyMethod[];
  /** ISO dates (YYYY, YYYY-MM or YYYY-MM-DD). */
  startDate: string | null;
  endDate: string | null;
  status: SurveyStatus | null;
  notes: string | null;
  source: string | null;
  sourceId: string | null;
  sourceUrl: string | null;
  extra: Record<string, unknown>;
}

export interface Survey extends SurveyFields {
  id: SurveyId;
  /** EPSG:4326, RFC 7946 winding, always a MultiPolygon (polygons are promoted); antimeridian-crossing areas are split at ±180. */
  geometry: MultiPolygon;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  updatedBy: string | null;
}
