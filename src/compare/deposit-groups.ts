import { matchesTarget, type NearbyDeposit, STATUS_ORDINAL, tonnageMt } from './criteria';
import { commodityWeightKey, type Weights } from './weights';

/**
 * A site's deposits summarised per commodity list, for scoring the site again under other
 * commodity weights (the ±20 % commodity sensitivity): a deposit's priority depends on its
 * commodity list alone, so the deposit criteria need, per list, only how many deposits carry it,
 * their best status and their tonnage. Deposits of a comparison share their lists
 * (deposit-index.ts), so a site's thousands of deposits fold into tens or hundreds of groups.
 *
 * Varied weights only scale values, never add or remove entries, so which weight decides each
 * commodity (its own entry, its group's, or "otherCritical": commodityWeightKey) is worked out
 * once here; re-scoring then reads those weights and nothing else.
 */
export interface DepositGroup {
  /** The weights that decide the list's priority (its commodities that match the site's targets). */
  keys: string[];
  count: number;
  /** Best status ordinal among the group's deposits (STATUS_ORDINAL; 0 = none). */
  best: number;
  /** Tonnage (Mt) of estimates that name no commodity: weighted by the deposit's priority. */
  ownMt: number;
  /** Tonnage (Mt) of estimates that name a commodity, by the weight that decides it. */
  namedMt: Map<string, number>;
}

/** Group a site's deposits under the structure of weights `w` (any values) and the site's targets. */
export function groupDeposits(deposits: readonly NearbyDeposit[], w: Weights, targets: string[] = []): DepositGroup[] {
  const groups = new Map<readonly string[], DepositGroup>();
  for (const d of deposits) {
    let g = groups.get(d.commodities);
    if (!g) {
      const keys = new Set<string>();
      for (const c of d.commodities) {
        if (targets.length && !matchesTarget(c, targets)) continue;
        const k = commodityWeightKey(c, w);
        if (k !== null) keys.add(k);
      }
      groups.set(d.commodities, (g = { keys: [...keys], count: 0, best: 0, ownMt: 0, namedMt: new Map() }));
    }
    g.count++;
    g.best = Math.max(g.best, STATUS_ORDINAL[d.status ?? ''] ?? 0);
    for (const r of d.resources) {
      const t = tonnageMt(r);
      if (t === null) continue;
      if (!r.commodity) g.ownMt += t;
      else {
        const k = commodityWeightKey(r.commodity, w);
        if (k !== null) g.namedMt.set(k, (g.namedMt.get(k) ?? 0) + t);
      }
    }
  }
  return [...groups.values()];
}

/** The value of one weight key (a commodity or group code, or "otherCritical"). */
export const weightValue = (w: Weights, key: string) => (key === 'otherCritical' ? w.otherCritical : (w.commodities[key] ?? 0));
const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * The raw values of the deposit criteria (criteria.ts depositCriteria: weighted count, best
 * status, weighted tonnage, rounded alike) from a site's groups under weights `w`, which must
 * have the entries of the weights the groups were made with (values may differ). Sums run in
 * another order than depositCriteria's, so values may differ in the last bits, far below the
 * rounding and the ranks' tie tolerance.
 */
export function depositRaws(groups: readonly DepositGroup[], w: Weights): { deposits: number; development: number; resources: number } {
  let weighted = 0;
  let best = 0;
  let mt = 0;
  for (const g of groups) {
    let p = 0;
    for (const k of g.keys) p = Math.max(p, weightValue(w, k));
    if (!(p > 0)) continue;
    weighted += g.count * p;
    best = Math.max(best, g.best);
    mt += g.ownMt * p;
    for (const [k, t] of g.namedMt) mt += t * weightValue(w, k);
  }
  return { deposits: round(weighted, 4), development: best, resources: round(mt, 6) };
}
