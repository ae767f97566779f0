import type { CriterionValue } from './criteria';
import type { CriterionKey } from './weights';

export interface ScoredCriterion extends CriterionValue {
  /** 0 … 1 after min–max normalisation across the compared sites (1 = best). */
  normalised: number;
  /** Weight used (0 when the criterion is not applicable). */
  weight: number;
  /** weight × normalised: this criterion's share of the score. */
  contribution: number;
}

export interface SiteInput {
  id: string;
  name: string;
  criteria: CriterionValue[];
  /** Hard constraint hit (exclusion zone): ranked after every other site whatever its score. */
  excluded?: boolean;
}

export interface SiteScore {
  id: string;
  name: string;
  criteria: ScoredCriterion[];
  score: number;
  /** 1 = best; equal scores share a rank (1, 1, 3). */
  rank: number;
  excluded: boolean;
}

/** Scores within this distance are a tie (floating-point sums of the same terms in another order). */
export const TIE_EPSILON = 1e-9;

/**
 * Min–max normalise each criterion across the sites, then score = Σ wᵢ·normᵢ.
 * norm = (v − min)/(max − min), reversed for "smaller is better" criteria, so the best site
 * gets 1 and the worst 0. When every site has the same value (max = min) the criterion cannot
 * tell them apart: all get 0, so it adds nothing to any score (it would add the same to all).
 * A value that could not be measured (null) gets 0, the worst. Excluded sites take part in the
 * min–max (their values are real) but are ranked last.
 */
export function scoreSites(sites: SiteInput[], weights: Record<CriterionKey, number>): SiteScore[] {
  const keys = [...new Set(sites.flatMap((s) => s.criteria.map((c) => c.key)))];
  const range = new Map<CriterionKey, [number, number]>();
  for (const k of keys) {
    const vals = sites.map((s) => s.criteria.find((c) => c.key === k)?.raw).filter((v): v is number => typeof v === 'number');
    range.set(k, vals.length ? [Math.min(...vals), Math.max(...vals)] : [0, 0]);
  }
  const scored = sites.map((s) => {
    const criteria = s.criteria.map((c): ScoredCriterion => {
      const [min, max] = range.get(c.key)!;
      let normalised = 0;
      if (c.raw !== null && max > min) normalised = c.higherIsBetter ? (c.raw - min) / (max - min) : (max - c.raw) / (max - min);
      const weight = c.applicable ? (weights[c.key] ?? 0) : 0;
      // A literal, not `{ ...c, … }`: V8 copies a spread followed by more keys on a slow path
      // (µs per object), and the commodity sensitivity scores every site dozens of times.
      return { key: c.key, raw: c.raw, unit: c.unit, higherIsBetter: c.higherIsBetter, applicable: c.applicable, explanation: c.explanation, normalised, weight, contribution: weight * normalised };
    });
    return { id: s.id, name: s.name, criteria, score: criteria.reduce((a, c) => a + c.contribution, 0), rank: 0, excluded: !!s.excluded };
  });
  assignRanks(scored);
  return scored;
}

/** Rank in place: not excluded before excluded, then by score (higher first); ties share a rank. */
export function assignRanks<T extends { score: number; excluded: boolean; rank: number }>(items: T[]): void {
  const order = [...items].sort((a, b) => Number(a.excluded) - Number(b.excluded) || b.score - a.score);
  order.forEach((s, i) => {
    const prev = order[i - 1];
    s.rank = prev && prev.excluded === s.excluded && Math.abs(prev.score - s.score) <= TIE_EPSILON ? prev.rank : i + 1;
  });
}

/** Ranks the sites would get with other weights (normalised values do not depend on weights). */
export function ranksWith(scores: SiteScore[], weights: Record<CriterionKey, number>): number[] {
  const items = scores.map((s) => ({
    score: s.criteria.reduce((a, c) => a + (c.applicable ? (weights[c.key] ?? 0) : 0) * c.normalised, 0),
    excluded: s.excluded,
    rank: 0,
  }));
  assignRanks(items);
  return items.map((i) => i.rank);
}
