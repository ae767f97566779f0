import type { TFunction } from 'i18next';
import type { ApiError } from '../src/api/contract';
import { englishWords, type PlaceWords, problemLineWith, wordParams, type Words } from '../src/messages/en';

type Problem = NonNullable<ApiError['problems']>[number];

/**
 * Names i18next's t(key, params) reads from params as options, not as values to interpolate
 * (`lng` switches the language; a number there crashes it). No template may use them
 * (tests/unit/renderer/i18n.test.ts), and a core problem's params are passed without them.
 * `count` is not listed: it is meant (plural forms).
 */
export const I18NEXT_OPTION_NAMES: ReadonlySet<string> = new Set([
  'lng', 'lngs', 'ns', 'context', 'defaultValue', 'replace', 'returnObjects', 'returnDetails', 'joinArrays', 'postProcess',
  'interpolation', 'ordinal', 'fallbackLng', 'keyPrefix', 'keySeparator', 'nsSeparator', 'nest', 'skipInterpolation',
]);

/** One of I18NEXT_OPTION_NAMES, or a plural form's default (defaultValue_one, defaultValue_other …). */
export const isI18nextOption = (name: string): boolean => I18NEXT_OPTION_NAMES.has(name) || name.startsWith('defaultValue_');

const withoutOptions = (params: Record<string, string | number>): Record<string, string | number> =>
  Object.fromEntries(Object.entries(params).filter(([k]) => !isI18nextOption(k)));

/** The core's words (src/messages/en.ts WORDS_EN) in the UI's language, from problems.words. */
function uiWords(t: TFunction): Words {
  return (group, key, params = {}) => {
    const en = englishWords(group, key, params);
    if (en === undefined) return undefined;
    return t(`problems.words.${group}.${key}`, { ...params, defaultValue: en });
  };
}

/**
 * The core's descriptions of a found value ("an object", "the text \"x\"", "character 'x'" …,
 * see describeValue and the GeoJSON reader) in the UI's language; anything else (a JSON value,
 * a number) is returned as it is.
 */
function foundText(t: TFunction, s: string): string {
  const exact: Record<string, string> = {
    'an object': 'object',
    'an object { ... }': 'objectBraces',
    'a list': 'list',
    'a list [ ... ]': 'listBrackets',
    'an empty list': 'emptyList',
    nothing: 'nothing',
    'a number too large to represent': 'tooLarge',
  };
  if (Object.prototype.hasOwnProperty.call(exact, s)) return t(`problems.found.${exact[s]}`, { defaultValue: s });
  const m =
    /^the (text|number) ([\s\S]+)$/.exec(s) ?? /^(control character) (U\+[0-9A-F]{4,6})$/.exec(s) ?? /^(character) ('[\s\S]+')$/.exec(s);
  if (!m) return s;
  const key = m[1] === 'control character' ? 'control' : m[1];
  return t(`problems.found.${key}`, { value: m[2], defaultValue: s });
}

/**
 * A core problem in the UI's language: its code's template (renderer/strings/problems.ts) with
 * its params, or the core's English message when the code is missing or unknown. Word params
 * (`kind`, `what`, `axis`, `token`, ring names) come from problems.words; outside English, a
 * `field` parameter is shown with the form's label for that field when there is one, and a
 * `found`/`value` that the core described in words is worded too.
 */
export function problemText(t: TFunction, p: Pick<Problem, 'code' | 'params' | 'message'>, lang = 'en'): string {
  if (!p.code) return p.message;
  const raw = withoutOptions(p.params ?? {});
  if (lang !== 'en') {
    if (typeof raw.field === 'string') raw.field = t(`details.fields.${raw.field}`, { defaultValue: raw.field });
    for (const name of ['found', 'value', 'lonValue', 'latValue']) {
      const v = raw[name];
      if (typeof v === 'string') raw[name] = foundText(t, v);
    }
  }
  return t(`problems.${p.code}`, { ...wordParams(raw, uiWords(t)), defaultValue: p.message });
}

/** "feature 12" / "line 40" in the UI's language, for a problem's location cell. */
export function problemWhere(t: TFunction, p: Pick<Problem, 'featureIndex' | 'line'>): string {
  if (p.featureIndex !== undefined) return t('problems.where.feature', { index: p.featureIndex });
  if (p.line !== undefined) return t('problems.where.line', { line: p.line });
  return '';
}

/**
 * A problem as one line, as the core's formatProblem (src/errors.ts) words it but in the UI's
 * language: `file: feature 12 (id "dep-7"), line 40: "field": message`.
 */
export function problemLine(t: TFunction, p: Problem, lang = 'en'): string {
  const words: PlaceWords = {
    feature: (index) => t('problems.where.feature', { index }),
    featureWithId: (index, id) => t('problems.where.featureWithId', { index, id }),
    line: (line) => t('problems.where.line', { line }),
    lineColumn: (line, column) => t('problems.where.lineColumn', { line, column }),
    and: t('problems.where.and'),
  };
  return problemLineWith(words, p, problemText(t, p, lang));
}

/**
 * A whole-operation error in the UI's language: its key's template, else the core's message.
 * A refused input whose one problem says where (file, line, column) keeps that place in front;
 * the first problem quoted in an import's summary, and an uncoded validation error's problems,
 * are worded in the UI's language too.
 */
export function errorText(t: TFunction, e: Pick<ApiError, 'key' | 'params' | 'message'> & Partial<Pick<ApiError, 'code' | 'problems'>>, lang = 'en'): string {
  const first = e.problems?.[0];
  if (!e.key) {
    if (lang === 'en' || e.code !== 'VALIDATION' || !first) return e.message;
    if (e.problems!.length === 1) return problemLine(t, first, lang);
    return t('problems.where.summary', { count: e.problems!.length, first: problemLine(t, first, lang) });
  }
  if (e.code === 'BAD_INPUT' && e.problems?.length === 1 && first?.code === e.key) return problemLine(t, first, lang);
  const params = { ...(e.params ?? {}) };
  if (lang !== 'en' && typeof params.first === 'string' && first) {
    // The import summary's "feature 3 "name": …" (import-file.ts formatFirst), in this language.
    const where = [first.featureIndex !== undefined ? t('problems.where.feature', { index: first.featureIndex }) : '', first.field ? `"${first.field}"` : ''].filter(Boolean).join(' ');
    params.first = `${where}: ${problemText(t, first, lang)}`;
  }
  // A site's or area's geometry problem quoted whole ("site "A": {{problem}}"), in this language.
  if (lang !== 'en' && typeof params.problem === 'string' && first?.code) params.problem = problemText(t, first, lang);
  return problemText(t, { code: e.key, params, message: e.message }, lang);
}
