/**
 * Source properties → model fields, for any input: Outcrop's own exports (snake_case model
 * names), USGS MRDS CSV columns, the MinMod extracts, USGS Earth MRI project polygons, the
 * USGS lithium (USMIN) tables and common human spellings. Pure (no Node built-ins).
 *
 * Rules, in the order they apply:
 * 1. Any string longer than 1 MiB (key or value, nested values included) is refused with a
 *    problem and the property is dropped: hostile-input protection.
 * 2. Property names match case-insensitively, with spaces, dots and hyphens read as "_" and an
 *    ESRI "required" star dropped ("Site_ID *" → site_id). Each field has a list of accepted
 *    names in priority order. When Outcrop's own column is present (even empty) it decides;
 *    otherwise the first non-empty alias does. Every other non-empty alias goes to `extra`.
 * 2a. MinMod's `source_id` is a URL (the record id is `record_id`), so in a MinMod record
 *    (`dataset` and `record_id` present) `source_id` means `source_url`.
 * 3. "", "<Null>", "NULL", "N/A" and empty lists are empty. Free text is stored verbatim (no
 *    trimming, no escaping: HTML, SQL, emoji and Japanese stay as given); codes, ids, URLs and
 *    dates are trimmed. A list field (names, commodities, methods) may also be JSON array text
 *    (`["Li","K"]`, `[]` empty), as GeoPackage TEXT columns hold lists; other text is split.
 * 4. A value the model can hold only in part (commodity lists with minerals or qualifiers,
 *    an unknown status …) keeps its original text in `extra` under its own name, or under
 *    `<name>_original` when the name is one of Outcrop's columns, so nothing is lost.
 * 5. Properties nobody understands go to `extra` verbatim, whatever their value.
 *
 * Problems carry the SOURCE property name in `field`; callers add file and feature index, and
 * should then run validateDepositFields / validateSurveyFields (./validate-record) on the
 * fields for the record-level rules (name length, grade ranges, date order …).
 */
import type { Problem } from '../errors';
import type { DepositFields, ResourceEstimate } from './deposit';
import type { SurveyId } from './ids';
import type { SurveyFields } from './survey';
import { isoDateRange, MAX_FIELD_BYTES, tooLongProblem } from './validate-record';
import { coded, type CodedMessage } from '../messages/en';
import { parseCommodity, parseCommodityList, type CommodityCode } from './vocab/commodities';
import { DEPOSIT_TYPES, isDepositTypeCode, matchDepositType, type DepositTypeCode } from './vocab/deposit-types';
import { DEV_STATUS_CODES, parseDevStatus } from './vocab/statuses';
import { SURVEY_METHOD_CODES, SURVEY_STATUS_CODES, parseSurveyMethods, parseSurveyStatus } from './vocab/survey';

export interface MappedDeposit {
  fields: DepositFields;
  problems: Problem[];
}

export interface MappedSurvey {
  fields: SurveyFields;
  problems: Problem[];
}

/** Source names accepted for each deposit field (normalised: lower case, "_"), in priority order. */
export const DEPOSIT_PROPERTY_ALIASES = {
  name: ['name', 'site_name', 'ftr_name', 'deposit_name', 'mine_name', 'site', 'nam', '名称', '鉱山名', '鉱床名'],
  nameJa: ['name_ja', 'nam_ja', 'name_jp', 'japanese_name', '和名'],
  nameRomaji: ['name_romaji', 'romaji'],
  altNames: ['alt_names', 'aliases', 'names', 'other_name', 'other_names', 'alias', 'alternate_names', '別名'],
  commoditiesMain: ['commodities_main', 'commod1', 'commodities', 'commodity', 'main_commodity', 'main_commodities', 'primary_commodity', 'primary_commodities', '鉱種', '主要鉱種'],
  commoditiesSecondary: ['commodities_secondary', 'commod2', 'secondary_commodity', 'secondary_commodities', '副鉱種'],
  commoditiesTrace: ['commodities_trace', 'commod3', 'trace_commodity', 'trace_commodities', 'minor_commodities'],
  depositType: ['deposit_type'],
  depositTypeText: ['deposit_type_text', 'deposit_type', 'dep_type', 'model', 'deposit_model', 'type', '鉱床型', '鉱床タイプ'],
  status: ['status', 'dev_stat', 'dev_status', 'development_status', 'site_status', '稼行状況'],
  resources: ['resources', 'resource_estimates'],
  hostRock: ['host_rock', 'hrock_type', 'host_rock_type', 'host_rocks', '母岩'],
  hostRockUnit: ['host_rock_unit', 'hrock_unit'],
  oreMinerals: ['ore_minerals', 'ore', '鉱石鉱物'],
  gangueMinerals: ['gangue_minerals', 'gangue', '脈石鉱物'],
  country: ['country', '国'],
  adminArea: ['admin_area', 'state', 'state_or_province', 'province', 'prefecture', '都道府県'],
  county: ['county'],
  region: ['region', '地域'],
  agency: ['agency', 'organization', 'organisation', '機関'],
  observer: ['observer', 'reporter', 'recorded_by', '調査者'],
  surveyId: ['survey_id'],
  notes: ['notes', 'note', 'comments', 'comment', 'remarks', 'remark', '備考'],
  source: ['source', 'dataset', '出典'],
  sourceId: ['source_id', 'record_id', 'dep_id', 'ftr_id', 'site_id'],
  sourceUrl: ['source_url', 'url'],
} as const satisfies Record<keyof Omit<DepositFields, 'extra'>, readonly string[]>;

/** Source names accepted for each survey field, in priority order. */
export const SURVEY_PROPERTY_ALIASES = {
  name: ['name', 'pname', 'project_name', 'survey_name', 'title', 'nam', '名称', '調査名'],
  agency: ['agency', 'affiliatio', 'affiliation', 'organization', 'organisation', '機関', '実施機関'],
  team: ['team', 'party', 'crew', '調査班'],
  country: ['country', '国'],
  methods: ['methods', 'method', 'program', 'programs', 'survey_type', 'survey_method', '手法', '調査手法'],
  startDate: ['start_date', 'yearstart', 'start', 'start_year', 'begin', 'date_start', '開始日', '開始年'],
  endDate: ['end_date', 'yearend', 'end', 'end_year', 'finish', 'date_end', '終了日', '終了年'],
  status: ['status', 'survey_status', '状況'],
  notes: ['notes', 'note', 'comments', 'comment', 'remarks', 'remark', 'description', '備考'],
  source: ['source', 'dataset', '出典'],
  sourceId: ['source_id', 'pid', 'project_id', 'record_id'],
  sourceUrl: ['source_url', 'url'],
} as const satisfies Record<keyof Omit<SurveyFields, 'extra'>, readonly string[]>;

/** Outcrop's own export columns: authoritative when present, and never reused as stash names. */
const DEPOSIT_COLUMNS = new Set([
  'name', 'name_ja', 'name_romaji', 'alt_names', 'commodities_main', 'commodities_secondary', 'commodities_trace',
  'deposit_type', 'deposit_type_text', 'status', 'resources', 'host_rock', 'host_rock_unit', 'ore_minerals',
  'gangue_minerals', 'country', 'admin_area', 'county', 'region', 'agency', 'observer', 'survey_id', 'notes',
  'source', 'source_id', 'source_url', 'extra',
]);
const SURVEY_COLUMNS = new Set([
  'name', 'agency', 'team', 'country', 'methods', 'start_date', 'end_date', 'status', 'notes', 'source',
  'source_id', 'source_url', 'extra',
]);

// Alias lists for special cases, made once (KeyLayout.positions knows lists by identity).
/** Rule 2a: in a MinMod record `source_id` is the URL, not the id. */
const MINMOD_SOURCE_ID = DEPOSIT_PROPERTY_ALIASES.sourceId.filter((a) => a !== 'source_id');
const MINMOD_SOURCE_URL = ['source_url', 'source_id', 'url'] as const;
/** In Outcrop's own layout `deposit_type` is the code, so it is not one of the text's names. */
const DEPOSIT_TYPE_TEXT_OWN = DEPOSIT_PROPERTY_ALIASES.depositTypeText.filter((a) => a !== 'deposit_type');
/** Where `resources` is a USMIN Yes/No flag, only the other names can hold estimates. */
const RESOURCES_NOT_FLAG = DEPOSIT_PROPERTY_ALIASES.resources.filter((a) => a !== 'resources');
const RESOURCES_NAME = ['resources'] as const;

/**
 * Single-class USGS compilations in the MinMod extract: every record is of that class, so a
 * record whose own wording does not name one ("Felsic Copper" in the VMS database, Cox and
 * Singer "17" in the porphyry copper database, class "1"–"3" in the laterite database) gets it.
 */
const DATASET_DEPOSIT_TYPES: Record<string, DepositTypeCode> = {
  'umn/mrdata_vms': 'vms', // Mosier and others (2009), VMS deposits of the world
  'umn/mrdata_porcu': 'porphyry-cu', // Singer and others (2008), porphyry copper deposits of the world
  'umn/mrdata_podchrome': 'podiform-chromite',
  'umn/mrdata_sedcu': 'sediment-hosted-cu',
  'umn/mrdata_sir20105090z': 'sediment-hosted-cu',
  'umn/mrdata_laterite': 'laterite-ni-co',
  'umn/mrdata_carbonatite': 'carbonatite',
};

/** Dataset-specific legends: codes that mean a class only inside one database. */
const DATASET_DEPOSIT_TEXT: Record<string, Record<string, DepositTypeCode>> = {
  // Leach and others (2005): CD = clastic-dominated (SEDEX) Zn-Pb, MVT = Mississippi Valley-type.
  'umn/mrdata_sedexmvt': { cd: 'sedex', mvt: 'mvt' },
  // USGS world phosphate deposits: marine chemical sediments are phosphorites; magmatic
  // deposits are igneous apatite.
  'umn/mrdata_phosphate': {
    'marine chemical sediment': 'sedimentary-phosphate',
    'marine chemical sediment (metamorphosed)': 'sedimentary-phosphate',
    'marine chemical sediment (metamorphosed': 'sedimentary-phosphate',
    'marine chemical sediment (': 'sedimentary-phosphate',
    magmatic: 'igneous-apatite',
  },
};

const NULL_LIKE = /^(?:|<null>|null|n\/a|#n\/a)$/i;

/** "Site_ID *" → "site_id", "Main Commodity" → "main_commodity", "名称" stays. */
const normalizedNames = new Map<string, string>();

/** Memoised: the same few header names repeat for every row of a file. */
export function normalizePropertyName(k: string): string {
  let n = normalizedNames.get(k);
  if (n === undefined) {
    n = normalizeName(k);
    if (normalizedNames.size > 10_000) normalizedNames.clear();
    normalizedNames.set(k, n);
  }
  return n;
}

function normalizeName(k: string): string {
  return k
    .normalize('NFKC')
    .trim()
    .replace(/\s*\*+$/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s.\-]+/g, '_');
}

/** One property of the record being mapped: its position in the row's KeyLayout, name and value. */
interface Entry {
  at: number;
  key: string; // original property name
  value: unknown;
}

/**
 * What the mapping needs to know about one list of property names (Object.keys order), worked
 * out once per distinct list: every row of a CSV file, and most features of a GeoJSON file,
 * have the same names, so normalising them (rule 2), grouping them and finding each alias list's
 * properties is done once, and each row then only looks at its values. Nothing here depends on
 * a value: rules that do (empty values, rule 1's length limit, …) are applied per row by Props.
 */
class KeyLayout {
  /** Positions of the properties with each normalised name; names in first-seen order. */
  readonly byName = new Map<string, number[]>();
  /** Rule 1 for the property names themselves (undefined: the name is fine). */
  readonly keyProblems: (CodedMessage | undefined)[];
  /** Name a value the fields hold only in part is kept under (rule 4). */
  readonly stashNames: string[];
  /** The positions in the order `finishExtra` visits them: grouped by normalised name. */
  readonly extraOrder: number[];
  /** True where the property is a nested `extra` (history form), unpacked by finishExtra. */
  readonly isExtra: boolean[];
  /** Positions each alias list finds, in priority order (alias lists are module constants). */
  private readonly aliasPositions = new Map<readonly string[], readonly number[]>();

  constructor(
    readonly keys: readonly string[],
    readonly columns: ReadonlySet<string>,
  ) {
    this.keyProblems = keys.map((k) => (k.length * 3 > MAX_FIELD_BYTES ? tooLongProblem(k, k.slice(0, 40)) : undefined));
    // An over-long name is not even normalised: its record is mapped without it (see Props).
    const names = keys.map((k, i) => (this.keyProblems[i] ? '' : normalizePropertyName(k)));
    names.forEach((n, i) => {
      const list = this.byName.get(n);
      if (list) list.push(i);
      else this.byName.set(n, [i]);
    });
    this.stashNames = keys.map((k, i) => (columns.has(names[i]) ? `${k}_original` : k));
    this.extraOrder = [...this.byName.values()].flat();
    this.isExtra = names.map((n) => n === 'extra');
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Position of the first property with this normalised name, or -1. */
  first(name: string): number {
    return this.byName.get(name)?.[0] ?? -1;
  }

  /** Positions of the properties an alias list names, aliases in order. */
  positions(aliases: readonly string[]): readonly number[] {
    let p = this.aliasPositions.get(aliases);
    if (p === undefined) {
      p = aliases.flatMap((a) => this.byName.get(a) ?? []);
      // Keyed by identity: a list made per call would only fill the map, so stop caching then.
      if (this.aliasPositions.size < 64) this.aliasPositions.set(aliases, p);
    }
    return p;
  }
}

/** Layouts by name list, for one kind of record; the last one used is checked first. */
class KeyLayouts {
  private last: KeyLayout | undefined;
  private readonly byKeys = new Map<string, KeyLayout>();

  constructor(private readonly columns: ReadonlySet<string>) {}

  get(keys: readonly string[]): KeyLayout {
    if (this.last && sameList(this.last.keys, keys)) return this.last;
    const id = JSON.stringify(keys);
    let layout = this.byKeys.get(id);
    if (layout === undefined) {
      layout = new KeyLayout(keys, this.columns);
      if (this.byKeys.size >= 256) this.byKeys.clear(); // features that all differ: bounded
      // A name over the length limit (rule 1) is hostile input: not worth keeping.
      if (!layout.keyProblems.some(Boolean)) this.byKeys.set(id, layout);
    }
    this.last = layout;
    return layout;
  }

  /** A layout for one record only (some of its properties were dropped by rule 1). */
  uncached(keys: readonly string[]): KeyLayout {
    return new KeyLayout(keys, this.columns);
  }
}

/** Name layouts of the records mapped so far, per kind. */
const DEPOSIT_LAYOUTS = new KeyLayouts(DEPOSIT_COLUMNS);
const SURVEY_LAYOUTS = new KeyLayouts(SURVEY_COLUMNS);

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Shared state of one mapping run: the record's values, laid out by its KeyLayout. */
class Props {
  readonly layout: KeyLayout;
  readonly values: unknown[];
  /** Per position: the property was used by a field (or deliberately kept), so finishExtra skips it. */
  private readonly consumed: boolean[];
  readonly extra: Record<string, unknown> = {};
  readonly problems: Problem[] = [];

  constructor(props: Record<string, unknown>, layouts: KeyLayouts) {
    const source = props ?? {};
    let keys = Object.keys(source);
    let values = Object.values(source);
    let layout = layouts.get(keys);
    // Rule 1: an over-long name or value is reported and the property dropped.
    let dropped: boolean[] | undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const over = layout.keyProblems[i] ?? longestStringProblem(values[i], key);
      if (over) {
        this.problems.push({ field: key.length > 200 ? `${key.slice(0, 40)}…` : key, ...over });
        (dropped ??= new Array<boolean>(keys.length).fill(false))[i] = true;
      }
    }
    if (dropped) {
      keys = keys.filter((_, i) => !dropped[i]);
      values = values.filter((_, i) => !dropped[i]);
      layout = layouts.uncached(keys);
    }
    this.layout = layout;
    this.values = values;
    this.consumed = new Array<boolean>(keys.length).fill(false);
  }

  has(name: string): boolean {
    return this.layout.has(name);
  }

  peek(name: string): unknown {
    const i = this.layout.first(name);
    return i < 0 ? undefined : this.values[i];
  }

  entry(at: number): Entry {
    return { at, key: this.layout.keys[at], value: this.values[at] };
  }

  /** The entries an alias list names (present ones, aliases in priority order). */
  entries(aliases: readonly string[]): Entry[] {
    return this.layout.positions(aliases).map((i) => this.entry(i));
  }

  consume(e: Entry): void {
    this.consumed[e.at] = true;
  }

  /**
   * The entry that decides a field: Outcrop's own column when present, else the first
   * non-empty alias. Every other non-empty alias goes to extra.
   */
  take(aliases: readonly string[], canonical?: string): Entry | undefined {
    const present = this.layout.positions(aliases);
    if (!present.length) return undefined;
    const { keys } = this.layout;
    const values = this.values;
    let used = canonical && this.layout.columns.has(canonical) ? this.layout.first(canonical) : -1;
    // Indexed loops: this runs for every field of every record.
    for (let k = 0; used < 0 && k < present.length; k++) if (!isEmpty(values[present[k]])) used = present[k];
    for (let k = 0; k < present.length; k++) {
      const i = present[k];
      this.consumed[i] = true;
      if (i !== used && !isEmpty(values[i])) this.put(keys[i], values[i]);
    }
    return used < 0 ? undefined : this.entry(used);
  }

  /** Keep a value the fields could hold only in part. */
  stash(e: Entry): void {
    this.put(this.layout.stashNames[e.at], e.value);
  }

  /** Set an extra property once; defineProperty so "__proto__" is data, not a prototype. */
  put(key: string, value: unknown): void {
    if (Object.hasOwn(this.extra, key)) return;
    if (key === '__proto__') Object.defineProperty(this.extra, key, { value, enumerable: true, writable: true, configurable: true });
    else this.extra[key] = value;
  }

  problem(e: Entry | string, message: string | CodedMessage): void {
    this.problems.push({ field: typeof e === 'string' ? e : e.key, ...(typeof message === 'string' ? { message } : message) });
  }

  /** Everything not consumed, verbatim; a nested `extra` object (history form) is unpacked. */
  finishExtra(): Record<string, unknown> {
    const { keys, extraOrder, isExtra } = this.layout;
    for (let j = 0; j < extraOrder.length; j++) {
      const i = extraOrder[j];
      if (this.consumed[i]) continue;
      const value = this.values[i];
      // A number JSON can write but not hold (1e999 reads as Infinity) would be stored as null.
      const overflow = typeof value === 'number' ? (Number.isFinite(value) ? undefined : value) : value !== null && typeof value === 'object' ? nonFinite(value, 0) : undefined;
      if (overflow !== undefined) {
        this.problem(keys[i], coded('mapping.notFinite', { value: String(overflow) }));
        continue;
      }
      if (isExtra[i] && isPlainObject(value)) {
        for (const k of Object.keys(value)) this.put(k, value[k]);
      } else {
        this.put(keys[i], value);
      }
    }
    return this.extra;
  }

  /** Free text, verbatim. Numbers and booleans become text; lists are joined with "; ". */
  text(e: Entry | undefined, trim = false): string | null {
    if (!e || isEmpty(e.value)) return null;
    const v = e.value;
    if (typeof v === 'string') return trim ? v.trim() : v;
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
    if (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object')) {
      this.stash(e);
      return v.filter((x) => !isEmpty(x)).map(String).join('; ');
    }
    this.problem(e, coded('mapping.notText', { value: describe(v) }));
    this.stash(e);
    return null;
  }

  /** Codes, ids, URLs and dates: like `text`, but a string is trimmed (rule 3). */
  trimmedText(e: Entry | undefined): string | null {
    return this.text(e, true);
  }

  /** Names: a list (or its JSON text) or a ";"-joined string. Never split on commas: names contain them. */
  names(e: Entry | undefined): string[] {
    if (!e || isEmpty(e.value)) return [];
    const v = jsonList(e.value) ?? e.value;
    // A list keeps its items as given; a joined string is split and each piece trimmed.
    const split = typeof v === 'string';
    const items = Array.isArray(v) ? v : split ? v.split(/[;；|]/) : [v];
    const out: string[] = [];
    for (const x of items) {
      if (isEmpty(x)) continue;
      if (x !== null && typeof x === 'object') {
        this.problem(e, coded('mapping.namesNotText', { value: describe(x) }));
        this.stash(e);
        continue;
      }
      out.push(split ? String(x).trim() : String(x));
    }
    return out;
  }

  commodities(e: Entry | undefined): CommodityCode[] {
    if (!e || isEmpty(e.value)) return [];
    const v = jsonList(e.value) ?? e.value;
    const r = parseCommodityList(Array.isArray(v) ? v : String(v));
    for (const u of r.unknown) {
      this.problem(e, coded('mapping.unknownCommodity', { value: JSON.stringify(u) }));
    }
    if (!r.exact) this.stash(e);
    return r.codes;
  }
}

// ---------------------------------------------------------------------------------------------
// Deposits
// ---------------------------------------------------------------------------------------------

/**
 * Map one feature's properties onto deposit fields. Geometry and the feature id are the
 * reader's business; coordinates left in the properties are kept in `extra`.
 */
export function mapDepositProperties(props: Record<string, unknown>): MappedDeposit {
  const p = new Props(props, DEPOSIT_LAYOUTS);
  const A = DEPOSIT_PROPERTY_ALIASES;
  const minmod = p.has('record_id') && p.has('dataset');
  const dataset = minmod ? String(p.peek('dataset') ?? '').trim() || null : null;

  // Provenance first: the name fallback needs it.
  const source = p.trimmedText(p.take(A.source, 'source'));
  const sourceId = p.trimmedText(p.take(minmod ? MINMOD_SOURCE_ID : A.sourceId, minmod ? undefined : 'source_id'));
  const sourceUrl = p.trimmedText(p.take(minmod ? MINMOD_SOURCE_URL : A.sourceUrl, 'source_url'));

  const nameEntry = p.take(A.name, 'name');
  let name = p.text(nameEntry);
  if (name !== null && name.trim() === '') name = null;
  const altNames = p.names(p.take(A.altNames, 'alt_names'));
  const fields: DepositFields = {
    name: '',
    nameJa: p.text(p.take(A.nameJa, 'name_ja')),
    nameRomaji: p.text(p.take(A.nameRomaji, 'name_romaji')),
    altNames,
    commoditiesMain: p.commodities(p.take(A.commoditiesMain, 'commodities_main')),
    commoditiesSecondary: p.commodities(p.take(A.commoditiesSecondary, 'commodities_secondary')),
    commoditiesTrace: p.commodities(p.take(A.commoditiesTrace, 'commodities_trace')),
    depositType: null,
    depositTypeText: null,
    status: mapStatus(p, A.status),
    resources: mapResources(p, takeResources(p)),
    hostRock: p.text(p.take(A.hostRock, 'host_rock')),
    hostRockUnit: p.text(p.take(A.hostRockUnit, 'host_rock_unit')),
    oreMinerals: p.text(p.take(A.oreMinerals, 'ore_minerals')),
    gangueMinerals: p.text(p.take(A.gangueMinerals, 'gangue_minerals')),
    country: p.text(p.take(A.country, 'country')),
    adminArea: p.text(p.take(A.adminArea, 'admin_area')),
    county: p.text(p.take(A.county, 'county')),
    region: p.text(p.take(A.region, 'region')),
    agency: p.text(p.take(A.agency, 'agency')),
    observer: p.text(p.take(A.observer, 'observer')),
    surveyId: mapSurveyId(p),
    notes: p.text(p.take(A.notes, 'notes')),
    // MRDS rows carry no source column; the dep_id says where they come from.
    source: source ?? (p.has('dep_id') && sourceId !== null ? 'USGS MRDS' : null),
    sourceId,
    sourceUrl,
    extra: {},
  };
  mapDepositType(p, fields, dataset);

  if (name === null) {
    // 12,482 of the 110,459 MinMod sites have no name (all of the Virginia DMME set, parts of
    // the USGS Ni-Cr-PGE, phosphate and PP 577 sets). They are real sites, so they get a name
    // that says so and still identifies them, in the style MRDS itself uses ("Unnamed (…)").
    const id = [fields.source, fields.sourceId].filter((x) => x !== null && x !== '').join(' ');
    if (fields.sourceId) name = `Unnamed (${id})`;
    else p.problem(nameEntry ?? 'name', coded('mapping.siteNameRequired'));
  }
  fields.name = name ?? '';
  fields.extra = p.finishExtra();
  return { fields, problems: p.problems };
}

function mapStatus(p: Props, aliases: readonly string[]) {
  const e = p.take(aliases, 'status');
  if (!e && p.has('site_type')) {
    // MinMod's site_type holds MRDS-style statuses in some sets ("Past Producer"); it stays in
    // extra as given, and sets the status only when it is one ("Mine" is not: past or present?).
    const guess = parseDevStatus(String(p.peek('site_type') ?? ''));
    return guess ?? null;
  }
  if (!e || isEmpty(e.value)) return null;
  const s = typeof e.value === 'string' ? parseDevStatus(e.value) : undefined;
  if (s === undefined) {
    p.problem(e, coded('mapping.notDevStatus', { value: describe(e.value), codes: DEV_STATUS_CODES.join(', ') }));
    p.stash(e);
    return null;
  }
  return s;
}

function mapDepositType(p: Props, fields: DepositFields, dataset: string | null): void {
  const A = DEPOSIT_PROPERTY_ALIASES;
  if (p.has('deposit_type_text')) {
    // Outcrop's own layout: deposit_type is a code, deposit_type_text the source's words.
    const code = p.take(A.depositType, 'deposit_type');
    if (code && !isEmpty(code.value)) {
      const c = String(code.value).trim();
      // A code, or exactly a vocabulary label in English or Japanese (a labelled Outcrop export).
      const byLabel = DEPOSIT_TYPES.find((t) => t.en.toLowerCase() === c.toLowerCase() || t.ja === c);
      if (isDepositTypeCode(c)) fields.depositType = c;
      else if (byLabel) fields.depositType = byLabel.code;
      else {
        p.problem(code, coded('mapping.notDepositTypeCode', { value: JSON.stringify(c) }));
        p.stash(code);
      }
    }
    fields.depositTypeText = p.text(p.take(DEPOSIT_TYPE_TEXT_OWN, 'deposit_type_text'));
    return;
  }
  // Elsewhere the type is words (MinMod deposit_type, MRDS dep_type then model): the first
  // non-empty one is the text, the first that names a class gives the code.
  let textUsed: Entry | undefined;
  for (const e of p.entries(A.depositTypeText)) {
    p.consume(e);
    if (isEmpty(e.value)) continue;
    const t = typeof e.value === 'string' ? e.value : undefined;
    if (t === undefined) {
      p.problem(e, coded('mapping.notText', { value: describe(e.value) }));
      p.stash(e);
      continue;
    }
    const bare = t.trim();
    if (fields.depositType === null && isDepositTypeCode(bare)) {
      fields.depositType = bare; // a bare code ("vms") says nothing more than the code
      continue;
    }
    if (!textUsed) {
      textUsed = e;
      fields.depositTypeText = t;
    } else {
      p.put(e.key, e.value);
    }
    if (fields.depositType === null) {
      const legends = dataset ? own(DATASET_DEPOSIT_TEXT, dataset) : undefined;
      const legend = legends ? own(legends, bare.toLowerCase()) : undefined;
      fields.depositType = legend ?? matchDepositType(t) ?? null;
    }
  }
  if (fields.depositType === null && dataset) fields.depositType = own(DATASET_DEPOSIT_TYPES, dataset) ?? null;
}

function mapSurveyId(p: Props): SurveyId | null {
  const e = p.take(DEPOSIT_PROPERTY_ALIASES.surveyId, 'survey_id');
  if (!e || isEmpty(e.value)) return null;
  const s = String(e.value).trim().toLowerCase();
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s)) return s as SurveyId;
  p.problem(e, coded('mapping.notSurveyId', { value: describe(e.value) }));
  p.stash(e);
  return null;
}

/**
 * The USGS USMIN tables (lithium Site.csv) have a "Resources" column that is a Yes/No flag
 * saying whether the Resources table has rows: that is not a list of estimates, so it stays in
 * extra as given. In Outcrop's own layout (alt_names present) "Yes" is still reported as bad.
 */
function takeResources(p: Props): Entry | undefined {
  const flag = p.entries(RESOURCES_NAME).find((e) => typeof e.value === 'string' && /^(?:yes|no|y|n)$/i.test(e.value.trim()));
  if (flag && !p.has('alt_names')) {
    p.consume(flag);
    p.put(flag.key, flag.value);
    return p.take(RESOURCES_NOT_FLAG);
  }
  return p.take(DEPOSIT_PROPERTY_ALIASES.resources, 'resources');
}

const RESOURCE_KEYS: Record<string, keyof ResourceEstimate> = {
  tonnage: 'tonnage', tonnage_unit: 'tonnageUnit', tonnageunit: 'tonnageUnit', commodity: 'commodity', grade: 'grade',
  grade_unit: 'gradeUnit', gradeunit: 'gradeUnit', classification: 'classification', year: 'year', source: 'source',
};

/**
 * Resources: a list of estimates, as an array, a JSON string, or the "; "-joined JSON objects
 * a CSV export writes. Keys in camelCase or snake_case; only the keys given are set, so an
 * export reads back identical. Units and ranges are checked by validateDepositFields.
 */
function mapResources(p: Props, e: Entry | undefined): ResourceEstimate[] {
  if (!e || isEmpty(e.value)) return [];
  let items: unknown[] | undefined;
  if (Array.isArray(e.value)) items = e.value;
  else if (isPlainObject(e.value)) items = [e.value];
  else if (typeof e.value === 'string') items = parseJsonObjects(e.value);
  if (!items) {
    p.problem(e, coded('mapping.notResourceList', { value: describe(e.value) }));
    p.stash(e);
    return [];
  }
  const out: ResourceEstimate[] = [];
  let lossy = false;
  items.forEach((item, i) => {
    if (!isPlainObject(item)) {
      p.problem(e, coded('mapping.resourceNotObject', { path: `resources[${i}]`, value: describe(item) }));
      lossy = true;
      return;
    }
    const r: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(item)) {
      const f = own(RESOURCE_KEYS, normalizePropertyName(k));
      if (!f) {
        p.problem(e, coded('mapping.resourceUnknownKey', { path: `resources[${i}]`, key: JSON.stringify(k) }));
        lossy = true;
        continue;
      }
      if (v === null || v === undefined) r[f] = null;
      else if (f === 'tonnage' || f === 'grade' || f === 'year') {
        const n = toNumber(v);
        if (n === undefined) {
          p.problem(e, coded('mapping.resourceNotNumber', { path: `resources[${i}].${k}`, value: describe(v) }));
          lossy = true;
        } else r[f] = n;
      } else if (f === 'commodity') {
        const c = typeof v === 'string' ? parseCommodity(v) : undefined;
        if (!c) {
          p.problem(e, coded('mapping.resourceUnknownCommodity', { path: `resources[${i}].commodity`, value: describe(v) }));
          lossy = true;
        } else r[f] = c;
      } else r[f] = typeof v === 'string' ? v : String(v);
    }
    out.push(r as ResourceEstimate);
  });
  if (lossy) p.stash(e);
  return out;
}

/** A JSON array, one JSON object, or JSON objects joined with ";" (CSV export of a list). */
function parseJsonObjects(s: string): unknown[] | undefined {
  const t = s.trim();
  try {
    const v: unknown = JSON.parse(t);
    if (Array.isArray(v)) return v;
    if (isPlainObject(v)) return [v];
    return undefined;
  } catch {
    // "; "-joined objects: grow each piece until it parses, so a ";" inside a string is safe.
  }
  const out: unknown[] = [];
  let buf = '';
  for (const piece of t.split(/;(?=\s*\{)/)) {
    buf = buf ? `${buf};${piece}` : piece;
    try {
      out.push(JSON.parse(buf));
      buf = '';
    } catch {
      // not complete yet
    }
  }
  return buf === '' && out.length ? out : undefined;
}

// ---------------------------------------------------------------------------------------------
// Surveys
// ---------------------------------------------------------------------------------------------

/** Map one survey-area feature's properties onto survey fields. */
export function mapSurveyProperties(props: Record<string, unknown>): MappedSurvey {
  const p = new Props(props, SURVEY_LAYOUTS);
  const A = SURVEY_PROPERTY_ALIASES;
  const earthMri = p.has('pid') && p.has('pname');
  const nameEntry = p.take(A.name, 'name');
  let name = p.text(nameEntry);
  if (name !== null && name.trim() === '') name = null;
  const sourceId = p.trimmedText(p.take(A.sourceId, 'source_id'));
  const fields: SurveyFields = {
    name: '',
    agency: p.text(p.take(A.agency, 'agency')),
    team: p.text(p.take(A.team, 'team')),
    country: p.text(p.take(A.country, 'country')),
    methods: mapMethods(p, p.take(A.methods, 'methods')),
    startDate: mapDate(p, p.take(A.startDate, 'start_date')),
    endDate: mapDate(p, p.take(A.endDate, 'end_date')),
    status: mapSurveyStatus(p, p.take(A.status, 'status')),
    notes: p.text(p.take(A.notes, 'notes')),
    source: p.trimmedText(p.take(A.source, 'source')),
    sourceId,
    sourceUrl: p.trimmedText(p.take(A.sourceUrl, 'source_url')),
    extra: {},
  };
  if (earthMri) {
    // The USGS Earth MRI project API: each project's page is /project/<pid> (the feature ids
    // in the shared data are exactly these URLs).
    fields.source ??= 'USGS Earth MRI';
    if (fields.sourceUrl === null && sourceId && /^\d+$/.test(sourceId)) {
      fields.sourceUrl = `https://mrdata.usgs.gov/earthmri/data-acquisition/project/${sourceId}`;
    }
  }
  if (name === null) {
    if (sourceId) name = `Unnamed (${[fields.source, sourceId].filter(Boolean).join(' ')})`;
    else p.problem(nameEntry ?? 'name', coded('mapping.surveyNameRequired'));
  }
  fields.name = name ?? '';
  fields.extra = p.finishExtra();
  return { fields, problems: p.problems };
}

function mapMethods(p: Props, e: Entry | undefined) {
  if (!e || isEmpty(e.value)) return [];
  const v = jsonList(e.value) ?? e.value;
  const r = parseSurveyMethods(Array.isArray(v) ? v : String(v));
  for (const u of r.unknown) {
    p.problem(e, coded('mapping.notSurveyMethod', { value: JSON.stringify(u), codes: SURVEY_METHOD_CODES.join(', ') }));
  }
  if (r.unknown.length) p.stash(e);
  return r.methods;
}

function mapSurveyStatus(p: Props, e: Entry | undefined) {
  if (!e || isEmpty(e.value)) return null;
  const s = typeof e.value === 'string' ? parseSurveyStatus(e.value) : undefined;
  if (!s) {
    p.problem(e, coded('mapping.notSurveyStatus', { value: describe(e.value), codes: SURVEY_STATUS_CODES.join(', ') }));
    p.stash(e);
    return null;
  }
  return s;
}

/**
 * A date as ISO YYYY, YYYY-MM or YYYY-MM-DD. Accepts a year as a number (Earth MRI
 * `yearstart: 2020`), "2020/4/1", "2020-4-1", an ISO timestamp (date part) and 2020年4月1日.
 */
export function normalizeDate(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 1000 && v <= 9999 ? String(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const t = v.normalize('NFKC').trim();
  const m =
    /^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?$/.exec(t) ??
    /^(\d{4})-(\d{2})-(\d{2})T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?$/.exec(t) ??
    /^(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?$/.exec(t);
  if (!m) return undefined;
  const iso = [m[1], m[2]?.padStart(2, '0'), m[3]?.padStart(2, '0')].filter(Boolean).join('-');
  return isoDateRange(iso) ? iso : undefined;
}

function mapDate(p: Props, e: Entry | undefined): string | null {
  if (!e || isEmpty(e.value)) return null;
  const d = normalizeDate(e.value);
  if (d === undefined) {
    p.problem(e, coded('mapping.notDate', { value: describe(e.value) }));
    p.stash(e);
    return null;
  }
  return d;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** obj[key] for own keys only: a property named "constructor" must not find Object's. */
function own<T>(obj: Record<string, T> | undefined, key: string): T | undefined {
  return obj && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') {
    const t = v.trim();
    return t.length <= 6 && NULL_LIKE.test(t); // no null-like word is longer than "<null>"
  }
  if (Array.isArray(v)) return v.length === 0;
  return false;
}

/**
 * A list field's value given as JSON array text (`["Li","K"]`, `[]`): how Outcrop's GeoPackage
 * export and GDAL's StringList fields store lists in a TEXT column. Only an array of strings
 * counts (a name such as "[1]" stays a name); any other text is undefined, and is split as before.
 */
function jsonList(v: unknown): string[] | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(t);
  } catch {
    return undefined;
  }
  return Array.isArray(parsed) && parsed.every((x) => typeof x === 'string') ? parsed : undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const t = v.trim().replace(/^([+-]?\d{1,3}(?:,\d{3})+)(\.\d+)?$/, (_, a: string, b = '') => a.replace(/,/g, '') + b);
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(t)) return undefined;
  return Number(t);
}

/** The first over-long string in a value (nested lists and objects included), as a problem. */
function longestStringProblem(v: unknown, field: string, depth = 0): CodedMessage | undefined {
  if (typeof v === 'string') return tooLongProblem(v, field);
  if (v === null || typeof v !== 'object' || depth > 32) return undefined;
  for (const x of Array.isArray(v) ? v : Object.values(v)) {
    const m = longestStringProblem(x, field, depth + 1);
    if (m) return m;
  }
  if (!Array.isArray(v)) {
    for (const k of Object.keys(v)) {
      const m = tooLongProblem(k, field);
      if (m) return m;
    }
  }
  return undefined;
}

/** The first number in a list or object (at any depth up to 32) that is not finite, or undefined. */
function nonFinite(v: object, depth: number): number | undefined {
  if (depth > 32) return undefined;
  for (const x of Array.isArray(v) ? v : Object.values(v)) {
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) return x;
    } else if (x !== null && typeof x === 'object') {
      const found = nonFinite(x, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);
  if (Array.isArray(v)) return 'a list';
  if (v !== null && typeof v === 'object') return 'an object';
  return String(v);
}
