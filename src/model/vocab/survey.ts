/**
 * Survey vocabularies: methods of a survey area and its status. Method terms include the
 * USGS Earth MRI data-acquisition `program` values ("Geophysics", "Magnetic and Radiometric",
 * "Geologic mapping", "geochemistry", "Reconnaissance geochemistry", "Hyperspectral",
 * "Mine waste characterization"). Pure data plus lookups (the renderer imports this).
 */

export const SURVEY_METHODS = [
  {
    code: 'geological-mapping', en: 'Geological mapping', ja: '地質図作成',
    synonyms: ['geologic mapping', 'geological mapping', 'geologic map', 'geologic maps', 'mapping', 'field mapping', 'surface mapping', '地質調査', '地質マッピング', '地質図'],
  },
  {
    // Earth MRI "Mine waste characterization" is sampling and chemical analysis of mine
    // wastes, so it is geochemistry.
    code: 'geochemistry', en: 'Geochemistry', ja: '地球化学探査',
    synonyms: ['geochemistry', 'geochemical', 'geochemical survey', 'reconnaissance geochemistry', 'stream sediment sampling', 'soil sampling', 'rock sampling', 'rock chip sampling', 'mine waste characterization', 'chemical analysis', '化学探査', '地化学探査'],
  },
  {
    code: 'geophysics', en: 'Geophysics', ja: '物理探査',
    synonyms: ['geophysics', 'geophysical', 'geophysical survey', 'magnetic and radiometric', 'magnetic', 'magnetics', 'aeromagnetic', 'airborne magnetic', 'radiometric', 'aeroradiometric', 'gamma-ray spectrometry', 'gravity', 'electromagnetic', 'airborne electromagnetic', 'aem', 'magnetotelluric', 'seismic', 'induced polarization', 'resistivity', '空中磁気探査', '重力探査', '電磁探査', '地震探査'],
  },
  {
    code: 'drilling', en: 'Drilling', ja: 'ボーリング',
    synonyms: ['drilling', 'drill', 'drillholes', 'boreholes', 'core drilling', 'diamond drilling', 'rc drilling', 'reverse circulation drilling', '試錐', 'ボーリング調査'],
  },
  {
    code: 'remote-sensing', en: 'Remote sensing', ja: 'リモートセンシング',
    synonyms: ['remote sensing', 'remote-sensing', 'hyperspectral', 'hyperspectral imaging', 'multispectral', 'lidar', 'aviris', 'aster', 'satellite imagery', 'photogrammetry', 'ハイパースペクトル', '航空レーザー測量', '衛星画像'],
  },
] as const;

export type SurveyMethod = (typeof SURVEY_METHODS)[number]['code'];
export const SURVEY_METHOD_CODES: readonly SurveyMethod[] = SURVEY_METHODS.map((m) => m.code);

export const SURVEY_STATUSES = [
  { code: 'planned', en: 'Planned', ja: '計画中', synonyms: ['planned', 'proposed', 'scheduled', '計画', '予定'] },
  { code: 'active', en: 'Active', ja: '実施中', synonyms: ['active', 'ongoing', 'in progress', 'underway', 'current', '進行中', '実施'] },
  { code: 'completed', en: 'Completed', ja: '完了', synonyms: ['completed', 'complete', 'finished', 'done', 'closed', '終了', '完了済み'] },
  { code: 'suspended', en: 'Suspended', ja: '中断', synonyms: ['suspended', 'on hold', 'paused', '休止', '一時中断'] },
] as const;

export type SurveyStatus = (typeof SURVEY_STATUSES)[number]['code'];
export const SURVEY_STATUS_CODES: readonly SurveyStatus[] = SURVEY_STATUSES.map((s) => s.code);

function index<C extends string>(entries: ReadonlyArray<{ code: C; en: string; ja: string; synonyms: readonly string[] }>) {
  const m = new Map<string, C>();
  for (const e of entries) {
    m.set(e.code, e.code);
    m.set(e.en.toLowerCase(), e.code);
    m.set(e.ja, e.code);
    for (const s of e.synonyms) m.set(s, e.code);
  }
  return m;
}
const METHODS = index(SURVEY_METHODS);
const STATUSES = index(SURVEY_STATUSES);

const norm = (s: string) => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

export function isSurveyMethod(x: unknown): x is SurveyMethod {
  return typeof x === 'string' && (SURVEY_METHOD_CODES as readonly string[]).includes(x);
}

export function isSurveyStatus(x: unknown): x is SurveyStatus {
  return typeof x === 'string' && (SURVEY_STATUS_CODES as readonly string[]).includes(x);
}

/** One method term ("Hyperspectral", "LiDAR", "geophysics") → code, or undefined. */
export function parseSurveyMethod(text: string): SurveyMethod | undefined {
  return METHODS.get(norm(text));
}

export interface SurveyMethodListResult {
  /** Codes in source order, without duplicates. */
  methods: SurveyMethod[];
  unknown: string[];
}

/**
 * Parse methods given as an array (Earth MRI `program`: ["Geophysics", "Magnetic and
 * Radiometric"] → ["geophysics"]) or as a string split on `;` `,` `/` `|` `、`.
 */
export function parseSurveyMethods(input: string | readonly unknown[] | null | undefined): SurveyMethodListResult {
  const out: SurveyMethodListResult = { methods: [], unknown: [] };
  if (input === null || input === undefined) return out;
  const items = typeof input === 'string' ? input.split(/[;,/|、\n]/) : input.map((x) => String(x ?? ''));
  for (const raw of items) {
    const t = raw.normalize('NFKC').trim();
    if (t === '') continue;
    const m = parseSurveyMethod(t);
    if (!m) out.unknown.push(t);
    else if (!out.methods.includes(m)) out.methods.push(m);
  }
  return out;
}

/** Survey status from a code or a word ("ongoing" → active); undefined when unrecognised. */
export function parseSurveyStatus(text: string | null | undefined): SurveyStatus | undefined {
  if (typeof text !== 'string') return undefined;
  return STATUSES.get(norm(text));
}
