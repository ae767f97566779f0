import type { ConflictPreview } from '../../src/api/contract';
import { vocabLabel, type VocabKind } from '../../src/model/vocab';
import type { Lang } from '../i18n';
import { toDecimal } from '../map/coords';

/** Fields whose values are codes of a vocabulary (shown with their label in the UI's language). */
const VOCAB_FIELDS: Record<string, Partial<Record<ConflictPreview['layer'], VocabKind>>> = {
  status: { deposits: 'devStatus', surveys: 'surveyStatus' },
  deposit_type: { deposits: 'depositType' },
  commodities_main: { deposits: 'commodity' },
  commodities_secondary: { deposits: 'commodity' },
  commodities_trace: { deposits: 'commodity' },
  methods: { surveys: 'surveyMethod' },
};

/**
 * One side of a conflict as text: vocabulary codes with their labels, lists joined, a point as
 * "lat, lon", a polygon by its vertex count, other objects as JSON. `null` / empty = `empty`.
 */
export function formatConflictValue(layer: ConflictPreview['layer'], field: string | null, value: unknown, lang: Lang, empty = '—'): string {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return empty;
  const kind = field ? VOCAB_FIELDS[field]?.[layer] : undefined;
  const label = (v: unknown) => (kind && typeof v === 'string' ? `${vocabLabel(kind, v, lang)}${vocabLabel(kind, v, lang) !== v ? ` (${v})` : ''}` : String(v));
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) return value.map(label).join(', ');
  if (typeof value === 'object') {
    const g = value as { type?: string; coordinates?: unknown };
    if (g.type === 'Point' && Array.isArray(g.coordinates)) {
      const [lng, lat] = g.coordinates as number[];
      return `${toDecimal(lat)}, ${toDecimal(lng)}`;
    }
    if ((g.type === 'Polygon' || g.type === 'MultiPolygon') && Array.isArray(g.coordinates)) {
      return `${g.type} (${countPositions(g.coordinates)} vertices)`;
    }
    return JSON.stringify(value);
  }
  return label(value);
}

function countPositions(c: unknown): number {
  if (!Array.isArray(c)) return 0;
  if (typeof c[0] === 'number') return 1;
  return c.reduce((n: number, x) => n + countPositions(x), 0);
}

/** The text an "edit value" box starts with: plain text for text fields, JSON for the rest. */
export function editableText(value: unknown, other?: unknown): { text: string; json: boolean } {
  // JSON when either side holds something other than text (a list, a number, a geometry).
  const json = [value, other].some((v) => v !== null && v !== undefined && typeof v !== 'string');
  if (value === null || value === undefined) return { text: '', json };
  return { text: typeof value === 'string' && !json ? value : JSON.stringify(value), json };
}
