/**
 * Outcrop's controlled vocabularies, with English and Japanese labels. Pure: safe for the
 * renderer to import.
 */
import { COMMODITIES, type CommodityCode } from './commodities';
import { DEPOSIT_TYPES, type DepositTypeCode } from './deposit-types';
import { DEV_STATUSES, type DevStatus } from './statuses';
import { SURVEY_METHODS, SURVEY_STATUSES, type SurveyMethod, type SurveyStatus } from './survey';

export * from './commodities';
export * from './deposit-types';
export * from './statuses';
export * from './survey';
export { classifyNonCommodity, nonCommodityTerms, type NonCommodityKind } from './non-commodities';

export type VocabKind = 'commodity' | 'depositType' | 'devStatus' | 'surveyMethod' | 'surveyStatus';
export type VocabLang = 'en' | 'ja';

interface VocabCodes {
  commodity: CommodityCode;
  depositType: DepositTypeCode;
  devStatus: DevStatus;
  surveyMethod: SurveyMethod;
  surveyStatus: SurveyStatus;
}

const LABELS: Record<VocabKind, ReadonlyMap<string, { en: string; ja: string }>> = {
  commodity: new Map(COMMODITIES.map((e) => [e.code, e])),
  depositType: new Map(DEPOSIT_TYPES.map((e) => [e.code, e])),
  devStatus: new Map(DEV_STATUSES.map((e) => [e.code, e])),
  surveyMethod: new Map(SURVEY_METHODS.map((e) => [e.code, e])),
  surveyStatus: new Map(SURVEY_STATUSES.map((e) => [e.code, e])),
};

/**
 * The label of a code in English or Japanese, e.g. vocabLabel('commodity', 'Nd', 'ja') →
 * "ネオジム". An unknown code (data from a newer Outcrop) comes back as the code itself.
 */
export function vocabLabel<K extends VocabKind>(kind: K, code: VocabCodes[K] | string, lang: VocabLang): string {
  const e = LABELS[kind].get(code);
  return e ? e[lang] : code;
}
