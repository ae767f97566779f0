import type { MultiPolygon, Point, Polygon } from 'geojson';
import type { ApiError } from '../../src/api/contract';

/** One problem the core found: field (or coordinate path) and message. */
export type Problem = NonNullable<ApiError['problems']>[number];

export type FormShape = Point | Polygon | MultiPolygon;

/**
 * The core's problems grouped by the form field they belong to: `resources[0].grade` goes to
 * `resources`, `geometry.coordinates[0][2]` to `geometry`, a problem with no field to ''.
 * Messages (worded by `word`, default the core's English) keep their order and are not repeated.
 */
export function fieldProblems(problems: readonly Problem[], word: (p: Problem) => string = (p) => p.message): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of problems) {
    const key = p.field ? p.field.split(/[.[]/, 1)[0] : '';
    const text = word(p);
    const message = key === 'resources' || key === 'geometry' ? (p.field && p.field !== key ? `${p.field.slice(key.length).replace(/^\./, '')}: ${text}` : text) : text;
    const list = out.get(key) ?? [];
    if (!list.includes(message)) list.push(message);
    out.set(key, list);
  }
  return out;
}
