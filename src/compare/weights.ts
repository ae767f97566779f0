import { z } from 'zod';
import { codedError } from '../errors';
import { coded } from '../messages/en';
import { commodityEntry, isCommodityCode } from '../model/vocab/commodities';

/**
 * Default priority of commodities for the joint US–Japan planning focus (magnets and
 * batteries), 0 … 1. Sources: the USGS Final 2025 List of Critical Minerals (DOI, Fed. Reg.
 * 7 Nov 2025) and Japan's 特定重要物資「重要鉱物」 list (Cabinet Order 20 Dec 2022, METI) —
 * the `criticalUS`/`criticalJP` flags in src/model/vocab/commodities.ts. On both lists: the
 * magnet REEs (Nd, Pr, Dy, Tb) weigh 1, battery metals (Li, graphite, Co, Ni) 0.9–0.8, then
 * Ga, Ge, W, Sb, PGE, Mn. Copper is on the US 2025 list only. Any other commodity on either
 * list gets DEFAULT_OTHER_CRITICAL; non-critical commodities weigh 0. These are a planner's
 * starting point, not policy: override them with a weights JSON (see parseWeightsJson).
 */
export const DEFAULT_COMMODITY_WEIGHTS: Readonly<Record<string, number>> = {
  Nd: 1, Pr: 1, Dy: 1, Tb: 1,
  REE: 0.8, HREE: 0.9, LREE: 0.7, Sm: 0.6, Y: 0.5,
  Li: 0.9, graphite: 0.9, Co: 0.8, Ni: 0.8, Mn: 0.6,
  Cu: 0.6, Ga: 0.7, Ge: 0.7, W: 0.7, Sb: 0.6,
  PGE: 0.6, Pt: 0.6, Pd: 0.6,
};
/** Weight of a commodity on the US or Japanese list that DEFAULT_COMMODITY_WEIGHTS does not name. */
export const DEFAULT_OTHER_CRITICAL = 0.2;

/** The scored criteria (see criteria.ts). */
export const CRITERIA = ['deposits', 'development', 'resources', 'infrastructure', 'coverage', 'exclusion', 'permitting'] as const;
export type CriterionKey = (typeof CRITERIA)[number];

/** Default criterion weights; they sum to 1, so a score lies in 0 … 1. */
export const DEFAULT_CRITERION_WEIGHTS: Readonly<Record<CriterionKey, number>> = {
  deposits: 0.25,
  development: 0.15,
  resources: 0.15,
  infrastructure: 0.15,
  coverage: 0.1,
  exclusion: 0.1,
  permitting: 0.1,
};

export interface Weights {
  criteria: Record<CriterionKey, number>;
  commodities: Record<string, number>;
  /** Weight for a critical commodity not listed in `commodities`. */
  otherCritical: number;
  /** 'hard': a site touching an exclusion zone is excluded; 'penalty': the overlap fraction lowers its score. */
  exclusionMode: 'hard' | 'penalty';
}

export function defaultWeights(): Weights {
  return {
    criteria: { ...DEFAULT_CRITERION_WEIGHTS },
    commodities: { ...DEFAULT_COMMODITY_WEIGHTS },
    otherCritical: DEFAULT_OTHER_CRITICAL,
    exclusionMode: 'hard',
  };
}

const weight = z.number().min(0).max(100);
const weightsSchema = z
  .object({
    criteria: z.partialRecord(z.enum(CRITERIA), weight).optional(),
    commodities: z.record(z.string(), weight).optional(),
    otherCritical: weight.optional(),
    exclusionMode: z.enum(['hard', 'penalty']).optional(),
  })
  .strict();

/**
 * Parse a weights JSON (`{"criteria": {"deposits": 0.4}, "commodities": {"Li": 1}, "exclusionMode": "penalty"}`)
 * over the defaults. Errors name the file and the key: `weights.json: "criteria.depsits": …`.
 */
export function parseWeightsJson(json: unknown, file = 'weights'): Weights {
  const r = weightsSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    const key = i.path.join('.');
    const extra = (i as { keys?: string[] }).keys;
    throw codedError('BAD_INPUT', extra?.length ? coded('weights.unknownKey', { file, key: [key, extra[0]].filter(Boolean).join('.'), detail: i.message }) : coded('weights.badValue', { file, key, detail: i.message }));
  }
  for (const code of Object.keys(r.data.commodities ?? {})) {
    if (!isCommodityCode(code)) throw codedError('BAD_INPUT', coded('weights.notCommodity', { file, code }));
  }
  const w = defaultWeights();
  return {
    criteria: { ...w.criteria, ...(r.data.criteria ?? {}) },
    commodities: { ...w.commodities, ...(r.data.commodities ?? {}) },
    otherCritical: r.data.otherCritical ?? w.otherCritical,
    exclusionMode: r.data.exclusionMode ?? w.exclusionMode,
  };
}

/** Priority of one commodity code under these weights (0 = not a priority). */
export function commodityWeight(code: string, w: Weights): number {
  if (code in w.commodities) return w.commodities[code];
  const e = commodityEntry(code);
  if (!e) return 0;
  if (e.group && e.group in w.commodities) return w.commodities[e.group];
  return e.criticalUS || e.criticalJP ? w.otherCritical : 0;
}

/**
 * Which weight decides a commodity's priority: its own entry in `commodities`, its group's
 * (Dy → HREE when Dy is not listed), "otherCritical" for an unlisted critical commodity, or
 * null when it weighs nothing.
 */
export function commodityWeightKey(code: string, w: Weights): string | null {
  if (code in w.commodities) return code;
  const e = commodityEntry(code);
  if (!e) return null;
  if (e.group && e.group in w.commodities) return e.group;
  return e.criticalUS || e.criticalJP ? 'otherCritical' : null;
}
