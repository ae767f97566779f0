import { ranksWith, type SiteScore } from './scoring';
import type { CriterionKey, Weights } from './weights';

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

/** The weight of one priority commodity (or of every critical commodity not listed: "otherCritical") moved ±20 %. */
export interface CommodityVariation {
  commodity: string;
  factor: number;
  ranks: number[];
}

export interface SiteCommoditySensitivity {
  minRank: number;
  maxRank: number;
  maxChange: number;
  /** true: the rank never changes when any one commodity weight moves ±20 %. */
  stable: boolean;
}

export interface CommoditySensitivity {
  /** Commodity weights that count for at least one compared site's deposits, varied one at a time. */
  variations: CommodityVariation[];
  sites: SiteCommoditySensitivity[];
}

/**
 * One-at-a-time sensitivity of the ranks to the priority-commodity weights: each weight that
 * decides some counted deposit's priority (`keys`: commodity codes, or "otherCritical") is
 * multiplied by 0.8 and 1.2 and the sites are scored again from their deposits (`ranksFor`
 * recomputes the deposit criteria and re-normalises). Not capped at 1: a weight of 1 × 1.2 is
 * "this commodity counts 20 % more than the others at 1".
 */
export function commoditySensitivity(
  baseRanks: number[],
  weights: Weights,
  keys: string[],
  ranksFor: (w: Weights) => number[],
  factors = [0.8, 1.2],
): CommoditySensitivity {
  const variations: CommodityVariation[] = [];
  for (const k of keys) {
    for (const f of factors) {
      const w: Weights =
        k === 'otherCritical'
          ? { ...weights, otherCritical: weights.otherCritical * f }
          : { ...weights, commodities: { ...weights.commodities, [k]: weights.commodities[k] * f } };
      variations.push({ commodity: k, factor: f, ranks: ranksFor(w) });
    }
  }
  const sites = baseRanks.map((rank, i) => {
    const ranks = variations.map((v) => v.ranks[i]);
    const maxChange = Math.max(0, ...ranks.map((r) => Math.abs(r - rank)));
    return { minRank: Math.min(rank, ...ranks), maxRank: Math.max(rank, ...ranks), maxChange, stable: maxChange === 0 };
  });
  return { variations, sites };
}
