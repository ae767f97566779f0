import { ranksWith, type SiteScore } from './scoring';
import type { CriterionKey } from './weights';

export interface WeightVariation {
  criterion: CriterionKey;
  /** 0.8 or 1.2 (±20 %). */
  factor: number;
  /** Rank of each site (same order as the scores) under the varied weight. */
  ranks: number[];
}

export interface SiteSensitivity {
  id: string;
  name: string;
  rank: number;
  minRank: number;
  maxRank: number;
  /** Largest |rank change| over all variations. */
  maxChange: number;
  /** true: the rank never changes under any single ±20 % weight change. */
  stable: boolean;
}

export interface Sensitivity {
  variations: WeightVariation[];
  sites: SiteSensitivity[];
}

/**
 * One-at-a-time sensitivity: each applicable criterion weight is multiplied by 0.8 and by 1.2
 * (the others kept), the sites re-ranked. Weights are not renormalised, so a change is exactly
 * "this criterion matters 20 % more/less". Normalised values do not depend on weights.
 */
export function weightSensitivity(scores: SiteScore[], weights: Record<CriterionKey, number>, factors = [0.8, 1.2]): Sensitivity {
  const keys = [...new Set(scores.flatMap((s) => s.criteria.filter((c) => c.applicable && c.weight > 0).map((c) => c.key)))];
  const variations: WeightVariation[] = [];
  for (const k of keys) {
    for (const f of factors) variations.push({ criterion: k, factor: f, ranks: ranksWith(scores, { ...weights, [k]: weights[k] * f }) });
  }
  const sites = scores.map((s, i) => {
    const ranks = variations.map((v) => v.ranks[i]);
    const minRank = Math.min(s.rank, ...ranks);
    const maxRank = Math.max(s.rank, ...ranks);
    const maxChange = Math.max(0, ...ranks.map((r) => Math.abs(r - s.rank)));
    return { id: s.id, name: s.name, rank: s.rank, minRank, maxRank, maxChange, stable: maxChange === 0 };
  });
  return { variations, sites };
}
