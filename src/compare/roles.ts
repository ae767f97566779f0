/**
 * Vocabularies of candidate sites: what a site would be used for (roles) and how far its
 * permitting has got. Pure data with en/ja labels (the renderer may import this).
 */
export const SITE_ROLES = [
  { code: 'mine', en: 'Mine', ja: '鉱山' },
  { code: 'separation', en: 'Separation (e.g. REE solvent extraction)', ja: '分離' },
  { code: 'processing', en: 'Processing / refining', ja: '選鉱・製錬' },
  { code: 'magnet', en: 'Magnet manufacturing', ja: '磁石製造' },
  { code: 'battery', en: 'Battery materials / cells', ja: '電池材料・電池製造' },
  { code: 'catalyst', en: 'Catalyst manufacturing', ja: '触媒製造' },
  { code: 'optical-material', en: 'Optical / semiconductor materials', ja: '光学・半導体材料' },
  { code: 'recycling', en: 'Recycling', ja: 'リサイクル' },
  { code: 'stockpile', en: 'Stockpile', ja: '備蓄' },
] as const;
export type SiteRole = (typeof SITE_ROLES)[number]['code'];
export const SITE_ROLE_CODES: readonly SiteRole[] = SITE_ROLES.map((r) => r.code);

/** Permitting stages, in order: the ordinal is the index (none = 0 … operating = 5). */
export const PERMIT_STAGES = [
  { code: 'none', en: 'No permit', ja: '許認可なし' },
  { code: 'exploration-licence', en: 'Exploration licence', ja: '探査許可' },
  { code: 'applied', en: 'Applied', ja: '申請中' },
  { code: 'environmental-review', en: 'Environmental review', ja: '環境影響評価中' },
  { code: 'granted', en: 'Granted', ja: '許可取得' },
  { code: 'operating', en: 'Operating', ja: '操業中' },
] as const;
export type PermitStage = (typeof PERMIT_STAGES)[number]['code'];
export const PERMIT_STAGE_CODES: readonly PermitStage[] = PERMIT_STAGES.map((s) => s.code);

export function isSiteRole(x: unknown): x is SiteRole {
  return typeof x === 'string' && (SITE_ROLE_CODES as readonly string[]).includes(x);
}
export function isPermitStage(x: unknown): x is PermitStage {
  return typeof x === 'string' && (PERMIT_STAGE_CODES as readonly string[]).includes(x);
}
/** 0 (none) … 5 (operating). */
export function permitOrdinal(stage: PermitStage | null | undefined): number {
  return stage ? PERMIT_STAGE_CODES.indexOf(stage) : 0;
}
