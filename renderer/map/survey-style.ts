import type { ExpressionSpecification } from '@maplibre/maplibre-gl-style-spec';
import { SURVEY_STATUS_CODES } from '../../src/model/vocab';

/** What the survey areas are coloured by. */
export type SurveyColorBy = { mode: 'status' } | { mode: 'agency'; agencies: readonly string[] };

/** One colour per survey status (colour-blind safe, distinct from the commodity palette's use). */
export const SURVEY_STATUS_COLORS: Record<(typeof SURVEY_STATUS_CODES)[number], string> = {
  planned: '#8e6fbf',
  active: '#1b9e77',
  completed: '#2c6fbb',
  suspended: '#c0762c',
};
/** Agencies, in the order the project has most survey areas of them. */
export const AGENCY_COLORS = ['#2f4b7c', '#d45087', '#ff7c43', '#665191', '#3a7d44', '#8a6d3b', '#a05195', '#f95d6a'];
export const SURVEY_OTHER_COLOR = '#7a8a90';

/** The legend's entries for a colouring: [key (status code or agency; null = other), colour]. */
export function surveyLegend(by: SurveyColorBy): [string | null, string][] {
  if (by.mode === 'status') return [...SURVEY_STATUS_CODES.map((c): [string, string] => [c, SURVEY_STATUS_COLORS[c]]), [null, SURVEY_OTHER_COLOR]];
  const top = by.agencies.slice(0, AGENCY_COLORS.length);
  return [...top.map((a, i): [string, string] => [a, AGENCY_COLORS[i]]), [null, SURVEY_OTHER_COLOR]];
}

/** MapLibre colour expression over the survey tiles' `status` or `agency` property. */
export function surveyColorExpression(by: SurveyColorBy): ExpressionSpecification | string {
  const entries = surveyLegend(by).filter((e): e is [string, string] => e[0] !== null);
  if (!entries.length) return SURVEY_OTHER_COLOR;
  return ['match', ['coalesce', ['get', by.mode], ''], ...entries.flat(), SURVEY_OTHER_COLOR] as unknown as ExpressionSpecification;
}
