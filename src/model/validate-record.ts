/**
 * Record-level validation for deposits and surveys, whoever wrote them: an import (after
 * ./mapping), the UI form or the API. Pure (no Node built-ins) so the renderer can validate a
 * form before sending it. Problems name the snake_case column (`commodities_main`,
 * `resources[2].grade`), say what was expected and what was found.
 */
import type { Problem } from '../errors';
import { coded } from '../messages/en';
import type { DepositFields, ResourceEstimate } from './deposit';
import type { SurveyFields } from './survey';
import { isCommodityCode } from './vocab/commodities';
import { isDepositTypeCode } from './vocab/deposit-types';
import { DEV_STATUS_CODES, isDevStatus } from './vocab/statuses';
import { SURVEY_METHOD_CODES, SURVEY_STATUS_CODES, isSurveyMethod, isSurveyStatus } from './vocab/survey';

/** Longest name, in characters (code points). */
export const MAX_NAME_CHARS = 500;
/** Longest string in any field, `extra` included, in UTF-8 bytes: protection against hostile input. */
export const MAX_FIELD_BYTES = 1024 * 1024;
/** Earliest year accepted for a resource estimate. */
export const MIN_RESOURCE_YEAR = 1800;

export const TONNAGE_UNITS = ['t', 'kt', 'Mt'] as const;
export const GRADE_UNITS = ['%', 'g/t', 'ppm', 'kg/t', 'mg/L'] as const;
/** Physical upper bound of a grade in each unit (the whole rock is the commodity). */
const GRADE_MAX: Record<(typeof GRADE_UNITS)[number], number> = { '%': 100, 'g/t': 1_000_000, ppm: 1_000_000, 'kg/t': 1000, 'mg/L': 1_000_000 };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HTTP_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/i;

export interface ValidateOptions {
  /** "Now", for the latest accepted estimate year (current year + 1). Default: the clock. */
  now?: Date;
}

/** Check a deposit's editable fields. An empty list means the record can be stored. */
export function validateDepositFields(f: DepositFields, opts: ValidateOptions = {}): Problem[] {
  const p: Problem[] = [];
  checkName(f.name, 'name', true, p);
  checkName(f.nameJa, 'name_ja', false, p);
  checkName(f.nameRomaji, 'name_romaji', false, p);
  checkStringList(f.altNames, 'alt_names', p);
  checkCodes(f.commoditiesMain, 'commodities_main', p);
  checkCodes(f.commoditiesSecondary, 'commodities_secondary', p);
  checkCodes(f.commoditiesTrace, 'commodities_trace', p);
  if (f.depositType !== null && !isDepositTypeCode(f.depositType)) {
    p.push({ field: 'deposit_type', ...coded('record.notDepositType', { value: show(f.depositType) }) });
  }
  if (f.status !== null && !isDevStatus(f.status)) {
    p.push({ field: 'status', ...coded('record.notDevStatus', { value: show(f.status), codes: DEV_STATUS_CODES.join(', ') }) });
  }
  checkResources(f.resources, opts, p);
  if (f.surveyId !== null && !(typeof f.surveyId === 'string' && UUID_RE.test(f.surveyId))) {
    p.push({ field: 'survey_id', ...coded('record.notSurveyId', { value: show(f.surveyId) }) });
  }
  checkText(f.depositTypeText, 'deposit_type_text', p);
  checkText(f.hostRock, 'host_rock', p);
  checkText(f.hostRockUnit, 'host_rock_unit', p);
  checkText(f.oreMinerals, 'ore_minerals', p);
  checkText(f.gangueMinerals, 'gangue_minerals', p);
  checkText(f.country, 'country', p);
  checkText(f.adminArea, 'admin_area', p);
  checkText(f.county, 'county', p);
  checkText(f.region, 'region', p);
  checkText(f.agency, 'agency', p);
  checkText(f.observer, 'observer', p);
  checkText(f.notes, 'notes', p);
  checkText(f.source, 'source', p);
  checkText(f.sourceId, 'source_id', p);
  checkUrl(f.sourceUrl, p);
  checkExtra(f.extra, p);
  return p;
}

/** Check a survey's editable fields. An empty list means the record can be stored. */
export function validateSurveyFields(f: SurveyFields): Problem[] {
  const p: Problem[] = [];
  checkName(f.name, 'name', true, p);
  if (!Array.isArray(f.methods)) {
    p.push({ field: 'methods', ...coded('record.notMethodList', { value: show(f.methods) }) });
  } else {
    const seen = new Set<string>();
    for (const m of f.methods) {
      if (!isSurveyMethod(m)) p.push({ field: 'methods', ...coded('record.notMethod', { value: show(m), codes: SURVEY_METHOD_CODES.join(', ') }) });
      else if (seen.has(m)) p.push({ field: 'methods', ...coded('record.listedTwice', { value: m }) });
      seen.add(m);
    }
  }
  const start = checkDate(f.startDate, 'start_date', p);
  const end = checkDate(f.endDate, 'end_date', p);
  if (start && end && start.first > end.last) {
    p.push({ field: 'end_date', ...coded('record.endsBeforeStart', { end: String(f.endDate), start: String(f.startDate) }) });
  }
  if (f.status !== null && !isSurveyStatus(f.status)) {
    p.push({ field: 'status', ...coded('record.notSurveyStatus', { value: show(f.status), codes: SURVEY_STATUS_CODES.join(', ') }) });
  }
  for (const [field, v] of [['agency', f.agency], ['team', f.team], ['country', f.country], ['notes', f.notes], ['source', f.source], ['source_id', f.sourceId]] as const) {
    checkText(v, field, p);
  }
  checkUrl(f.sourceUrl, p);
  checkExtra(f.extra, p);
  return p;
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

export interface IsoDateRange {
  /** First and last day covered, as YYYY-MM-DD (so "2020" covers 2020-01-01 … 2020-12-31). */
  first: string;
  last: string;
}

/** A date in ISO form YYYY, YYYY-MM or YYYY-MM-DD (a real calendar day), else undefined. */
export function isoDateRange(s: string): IsoDateRange | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(s);
  if (!m) return undefined;
  const [, y, mo, d] = m;
  const year = Number(y);
  if (mo === undefined) return { first: `${y}-01-01`, last: `${y}-12-31` };
  const month = Number(mo);
  if (month < 1 || month > 12) return undefined;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (d === undefined) return { first: `${y}-${mo}-01`, last: `${y}-${mo}-${String(days).padStart(2, '0')}` };
  const day = Number(d);
  if (day < 1 || day > days) return undefined;
  return { first: s, last: s };
}

function checkDate(v: unknown, field: string, p: Problem[]): IsoDateRange | undefined {
  if (v === null || v === undefined) return undefined;
  const r = typeof v === 'string' ? isoDateRange(v) : undefined;
  if (!r) p.push({ field, ...coded('record.notDate', { value: show(v) }) });
  return r;
}

// ---------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------

function checkResources(list: unknown, opts: ValidateOptions, p: Problem[]): void {
  if (!Array.isArray(list)) {
    p.push({ field: 'resources', ...coded('record.notResourceList', { value: show(list) }) });
    return;
  }
  if (!list.length) return;
  const maxYear = (opts.now ?? new Date()).getUTCFullYear() + 1;
  list.forEach((r: ResourceEstimate, i) => {
    const at = (k: string) => `resources[${i}].${k}`;
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      p.push({ field: `resources[${i}]`, ...coded('record.notResource', { value: show(r) }) });
      return;
    }
    if (has(r.tonnage)) {
      if (typeof r.tonnage !== 'number' || !Number.isFinite(r.tonnage) || r.tonnage < 0) {
        p.push({ field: at('tonnage'), ...coded('record.notNonNegative', { value: show(r.tonnage) }) });
      } else if (!has(r.tonnageUnit)) {
        p.push({ field: at('tonnage_unit'), ...coded('record.tonnageNeedsUnit', { codes: TONNAGE_UNITS.join(', ') }) });
      }
    }
    if (has(r.tonnageUnit) && !(TONNAGE_UNITS as readonly unknown[]).includes(r.tonnageUnit)) {
      p.push({ field: at('tonnage_unit'), ...coded('record.notTonnageUnit', { value: show(r.tonnageUnit), codes: TONNAGE_UNITS.join(', ') }) });
    }
    const unitOk = has(r.gradeUnit) && (GRADE_UNITS as readonly unknown[]).includes(r.gradeUnit);
    if (has(r.gradeUnit) && !unitOk) {
      p.push({ field: at('grade_unit'), ...coded('record.notGradeUnit', { value: show(r.gradeUnit), codes: GRADE_UNITS.join(', ') }) });
    }
    if (has(r.grade)) {
      if (typeof r.grade !== 'number' || !Number.isFinite(r.grade) || r.grade < 0) {
        p.push({ field: at('grade'), ...coded('record.notNonNegative', { value: show(r.grade) }) });
      } else if (!has(r.gradeUnit)) {
        p.push({ field: at('grade_unit'), ...coded('record.gradeNeedsUnit', { codes: GRADE_UNITS.join(', ') }) });
      } else if (unitOk) {
        const max = GRADE_MAX[r.gradeUnit as (typeof GRADE_UNITS)[number]];
        if (r.grade > max) p.push({ field: at('grade'), ...coded('record.gradeOverWhole', { grade: r.grade, unit: String(r.gradeUnit), max }) });
      }
    }
    if (has(r.commodity) && !isCommodityCode(r.commodity)) {
      p.push({ field: at('commodity'), ...coded('record.notCommodity', { value: show(r.commodity) }) });
    }
    if (has(r.year) && !(typeof r.year === 'number' && Number.isInteger(r.year) && r.year >= MIN_RESOURCE_YEAR && r.year <= maxYear)) {
      p.push({ field: at('year'), ...coded('record.notYear', { min: MIN_RESOURCE_YEAR, max: maxYear, value: show(r.year) }) });
    }
    checkText(r.classification, at('classification'), p);
    checkText(r.source, at('source'), p);
  });
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function checkName(v: unknown, field: string, required: boolean, p: Problem[]): void {
  if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) {
    if (required) p.push({ field, ...coded('record.required', { field }) });
    return;
  }
  if (typeof v !== 'string') {
    p.push({ field, ...coded('record.notText', { value: show(v) }) });
    return;
  }
  if (v.length <= MAX_NAME_CHARS) return; // never more code points than UTF-16 units
  const n = codePoints(v);
  if (n > MAX_NAME_CHARS) p.push({ field, ...coded('record.nameTooLong', { length: n, limit: MAX_NAME_CHARS }) });
}

function checkCodes(list: unknown, field: string, p: Problem[]): void {
  if (!Array.isArray(list)) {
    p.push({ field, ...coded('record.notCodeList', { value: show(list) }) });
    return;
  }
  const seen = list.length > 1 ? new Set<unknown>() : undefined; // one code cannot repeat
  for (const c of list) {
    if (!isCommodityCode(c)) p.push({ field, ...coded('record.notCommodity', { value: show(c) }) });
    else if (seen?.has(c)) p.push({ field, ...coded('record.listedTwice', { value: String(c) }) });
    seen?.add(c);
  }
}

function checkStringList(list: unknown, field: string, p: Problem[]): void {
  if (!Array.isArray(list)) {
    p.push({ field, ...coded('record.notNameList', { value: show(list) }) });
    return;
  }
  list.forEach((s, i) => {
    if (typeof s !== 'string') p.push({ field: `${field}[${i}]`, ...coded('record.notText', { value: show(s) }) });
    else checkText(s, `${field}[${i}]`, p);
  });
}

function checkText(v: unknown, field: string, p: Problem[]): void {
  if (v === null || v === undefined) return;
  if (typeof v !== 'string') {
    p.push({ field, ...coded('record.notText', { value: show(v) }) });
    return;
  }
  const over = tooLongProblem(v, field);
  if (over) p.push({ field, ...over });
}

function checkUrl(v: unknown, p: Problem[]): void {
  if (v === null || v === undefined) return;
  checkText(v, 'source_url', p);
  // Links are rendered as clickable in the UI: only http(s), never javascript: or file:.
  if (typeof v === 'string' && !HTTP_URL.test(v)) {
    p.push({ field: 'source_url', ...coded('record.notUrl', { value: show(v) }) });
  }
}

function checkExtra(v: unknown, p: Problem[]): void {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    p.push({ field: 'extra', ...coded('record.notExtraObject', { value: show(v) }) });
    return;
  }
  const extra = v as Record<string, unknown>;
  for (const k of Object.keys(extra)) checkExtraValue(extra[k], k, 0, p);
}

/** Every string in one extra value (nested ones too) within the length limit. */
function checkExtraValue(x: unknown, key: string, depth: number, p: Problem[]): void {
  if (typeof x === 'string') {
    if (x.length * 3 <= MAX_FIELD_BYTES) return; // cannot be over the limit (tooLongProblem's own test)
    const field = `extra.${key}`;
    const over = tooLongProblem(x, field);
    if (over) p.push({ field, ...over });
  } else if (x && typeof x === 'object' && depth < 32) {
    for (const y of Object.values(x)) checkExtraValue(y, key, depth + 1, p);
  }
}

/** "\"notes\" is 60.0 MiB long; the limit is 1 MiB per field", or undefined when it fits. */
export function tooLongMessage(s: string, field: string): string | undefined {
  return tooLongProblem(s, field)?.message;
}

/** The coded problem behind tooLongMessage, or undefined when the string fits. */
export function tooLongProblem(s: string, field: string): ReturnType<typeof coded> | undefined {
  if (s.length * 3 <= MAX_FIELD_BYTES) return undefined;
  const bytes = utf8Length(s);
  if (bytes <= MAX_FIELD_BYTES) return undefined;
  return coded('record.fieldTooLong', { field, mib: (bytes / MAX_FIELD_BYTES).toFixed(1) });
}

/** UTF-8 length of a string without allocating it (no TextEncoder needed). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function has(v: unknown): boolean {
  return v !== null && v !== undefined;
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);
  if (v === undefined) return 'nothing';
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(v);
  }
}
