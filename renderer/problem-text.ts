import type { TFunction } from 'i18next';
import type { ApiError } from '../src/api/contract';

type Problem = NonNullable<ApiError['problems']>[number];

/**
 * A core problem in the UI's language: its code's template (renderer/strings/problems.ts) with
 * its params, or the core's English message when the code is missing or unknown. Outside English,
 * a `field` parameter is shown with the form's label for that field when there is one.
 */
export function problemText(t: TFunction, p: Pick<Problem, 'code' | 'params' | 'message'>, lang = 'en'): string {
  if (!p.code) return p.message;
  const params: Record<string, string | number> = { ...(p.params ?? {}) };
  if (lang !== 'en' && typeof params.field === 'string') {
    params.field = t(`details.fields.${params.field}`, { defaultValue: params.field });
  }
  return t(`problems.${p.code}`, { ...params, defaultValue: p.message });
}

/** "feature 12" / "line 40" in the UI's language, for a problem's location cell. */
export function problemWhere(t: TFunction, p: Pick<Problem, 'featureIndex' | 'line'>): string {
  if (p.featureIndex !== undefined) return t('problems.where.feature', { index: p.featureIndex });
  if (p.line !== undefined) return t('problems.where.line', { line: p.line });
  return '';
}

/** A whole-operation error in the UI's language: its key's template, else the core's message. */
export function errorText(t: TFunction, e: Pick<ApiError, 'key' | 'params' | 'message'>, lang = 'en'): string {
  return problemText(t, { code: e.key, params: e.params, message: e.message }, lang);
}
