/**
 * Development status of a deposit, after the USGS MRDS `dev_stat` values ("Occurrence",
 * "Prospect", "Past Producer", "Producer", "Plant"; "Unknown" means explicitly unknown).
 * Pure data plus lookups (the renderer imports this).
 */
import { memoizeText } from './memo';

export const DEV_STATUSES = [
  { code: 'occurrence', en: 'Occurrence', ja: '鉱徴地', synonyms: ['occurrence', 'occurrences', 'occurence', 'mineral occurrence', 'showing', '鉱徴', '鉱化帯'] },
  { code: 'prospect', en: 'Prospect', ja: '探鉱地', synonyms: ['prospect', 'prospects', 'exploration prospect', '有望地', '探鉱中'] },
  { code: 'past-producer', en: 'Past producer', ja: '旧稼行鉱山', synonyms: ['past producer', 'past producers', 'past-producer', 'former producer', 'historic producer', 'closed mine', '休廃止鉱山', '旧鉱山', '閉山'] },
  { code: 'producer', en: 'Producer', ja: '稼行鉱山', synonyms: ['producer', 'producers', 'producing', 'operating mine', 'in production', '操業中', '稼行中'] },
  { code: 'plant', en: 'Plant (processing)', ja: '選鉱・製錬施設', synonyms: ['plant', 'plants', 'processing plant', 'mill', 'smelter', '製錬所', '選鉱場'] },
] as const;

export type DevStatus = (typeof DEV_STATUSES)[number]['code'];

export const DEV_STATUS_CODES: readonly DevStatus[] = DEV_STATUSES.map((s) => s.code);

/** Texts that say the status is explicitly not known. */
const UNKNOWN = new Set(['unknown', 'unk', 'not known', 'unclassified', 'undetermined', '不明']);

const LOOKUP = new Map<string, DevStatus>();
for (const s of DEV_STATUSES) {
  LOOKUP.set(s.code, s.code);
  LOOKUP.set(s.en.toLowerCase(), s.code);
  LOOKUP.set(s.ja, s.code);
  for (const x of s.synonyms) LOOKUP.set(x, s.code);
}

export function isDevStatus(x: unknown): x is DevStatus {
  return typeof x === 'string' && (DEV_STATUS_CODES as readonly string[]).includes(x);
}

/**
 * Parse a development status: a code, an MRDS `dev_stat` word or a Japanese term.
 * Returns null when the text says "unknown", undefined when it is not recognised. A trailing
 * "?" or "(?)" is dropped. "Mine", "Active", "Inactive", "Abandoned" are not recognised on
 * purpose: each could be a producer or a past producer.
 */
export function parseDevStatus(text: string | null | undefined): DevStatus | null | undefined {
  return typeof text === 'string' ? parseStatusText(text) : undefined;
}

/** Memoised: imports repeat a handful of status words (or an empty cell) on every row. */
const parseStatusText = memoizeText((text: string): DevStatus | null | undefined => {
  const t = text
    .normalize('NFKC')
    .trim()
    .replace(/\s*\(\?\)$|\s*\?+$/, '')
    .replace(/[\s_]+/g, ' ')
    .toLowerCase();
  if (t === '') return undefined;
  if (UNKNOWN.has(t)) return null;
  return LOOKUP.get(t) ?? LOOKUP.get(t.replace(/-/g, ' '));
});
