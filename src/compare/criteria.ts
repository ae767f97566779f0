import type { ResourceEstimate } from '../model/deposit';
import { commodityEntry } from '../model/vocab/commodities';
import { permitOrdinal, PERMIT_STAGES, type PermitStage } from './roles';
import { commodityWeight, type CriterionKey, type Weights } from './weights';
import { plural } from '../messages/plural';

/**
 * The criteria of a site comparison, each a pure function of data already gathered (see
 * gather.ts) that returns its raw value and a sentence a planner can read out.
 */

/** A deposit near (or inside) a site, as the criteria need it. */
export interface NearbyDeposit {
  id: string;
  name: string;
  /** [lng, lat] */
  coordinates: [number, number];
  /** 0 inside a polygon site. */
  distanceKm: number;
  commodities: string[];
  status: string | null;
  resources: ResourceEstimate[];
}

export interface CriterionValue {
  key: CriterionKey;
  /** Raw value in `unit`; null = could not be measured (normalised to 0, the worst). */
  raw: number | null;
  unit: string;
  /** false: smaller raw values are better (distance, exclusion overlap). */
  higherIsBetter: boolean;
  /** false: not assessed in this comparison (no layer given); its weight is treated as 0. */
  applicable: boolean;
  explanation: string;
}

/** producer > past-producer > plant > prospect > occurrence (> nothing = 0). */
export const STATUS_ORDINAL: Readonly<Record<string, number>> = { producer: 5, 'past-producer': 4, plant: 3, prospect: 2, occurrence: 1 };

/** Priority of a deposit: the highest weight among its commodities (restricted to a site's targets when it names any). */
export function depositPriority(d: Pick<NearbyDeposit, 'commodities'>, w: Weights, targets: string[] = []): number {
  let best = 0;
  for (const c of d.commodities) {
    if (targets.length && !matchesTarget(c, targets)) continue;
    best = Math.max(best, commodityWeight(c, w));
  }
  return best;
}

/**
 * depositPriority for one site's deposits, remembered per commodity list: deposits of a
 * comparison share their lists (compare/deposit-index.ts), so most are answered from the memo.
 */
export function priorityFn(w: Weights, targets: string[] = []): (d: Pick<NearbyDeposit, 'commodities'>) => number {
  const memo = new Map<readonly string[], number>();
  return (d) => {
    let p = memo.get(d.commodities);
    if (p === undefined) memo.set(d.commodities, (p = depositPriority(d, w, targets)));
    return p;
  };
}

export function matchesTarget(code: string, targets: string[]): boolean {
  if (targets.includes(code)) return true;
  const g = commodityEntry(code)?.group;
  return !!g && targets.includes(g);
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
/** "1 deposit", "3 deposits". */

/**
 * (a) Priority-commodity deposits within R km of the site (inside a polygon site): the count
 * weighted by each deposit's commodity priority, the best development status among them, and
 * their summed resource tonnage (Mt, where known) weighted by the priority of the estimate's
 * commodity (the deposit's priority when the estimate names none).
 *
 * `priorities`, when given, are the deposits' priorities in the same order, computed with the same
 * weights and targets (compare-sites.ts has them already).
 */
export function depositCriteria(deposits: readonly NearbyDeposit[], w: Weights, where: string, targets: string[] = [], priorities?: readonly number[]): CriterionValue[] {
  // One pass in the deposits' order (sums add up in the same order as ever: identical values).
  // Hot for many sites × many deposits: per-list answers are remembered (lists are shared, see deposit-index.ts).
  const priorityOf = priorityFn(w, targets);
  // Priority deposits per commodity list (lists are shared), expanded to per-commodity counts after the loop.
  const perList = new Map<readonly string[], number>();
  let count = 0;
  let weighted = 0;
  let best = 0;
  let bestName = '';
  let mt = 0;
  let withTonnage = 0;
  for (let i = 0; i < deposits.length; i++) {
    const d = deposits[i];
    const p = priorities ? priorities[i] : priorityOf(d);
    if (!(p > 0)) continue;
    count++;
    weighted += p;
    perList.set(d.commodities, (perList.get(d.commodities) ?? 0) + 1);
    const o = STATUS_ORDINAL[d.status ?? ''] ?? 0;
    if (o > best) [best, bestName] = [o, d.name];
    let any = false;
    for (const r of d.resources) {
      const t = tonnageMt(r);
      if (t === null) continue;
      any = true;
      mt += t * (r.commodity ? commodityWeight(r.commodity, w) : p);
    }
    if (any) withTonnage++;
  }
  const byCommodity = new Map<string, number>();
  for (const [list, n] of perList) for (const c of new Set(list)) if (commodityWeight(c, w) > 0) byCommodity.set(c, (byCommodity.get(c) ?? 0) + n);
  const top = [...byCommodity].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 6).map(([c, n]) => `${c} ${n}`).join(', ');
  const statusName = Object.entries(STATUS_ORDINAL).find(([, o]) => o === best)?.[0] ?? 'none';
  return [
    {
      key: 'deposits',
      raw: round(weighted, 4),
      unit: 'weighted deposits',
      higherIsBetter: true,
      applicable: true,
      explanation:
        `${plural(deposits.length, 'deposit')} ${where}, ${count} with priority commodities` +
        (top ? ` (${top})` : '') +
        `; each counts its highest commodity weight, sum ${round(weighted)}`,
    },
    {
      key: 'development',
      raw: best,
      unit: 'status ordinal (producer 5 … occurrence 1)',
      higherIsBetter: true,
      applicable: true,
      explanation: best ? `best status among priority deposits ${where}: ${statusName} (${bestName})` : `no priority deposit ${where} has a development status`,
    },
    {
      key: 'resources',
      raw: round(mt, 6),
      unit: 'Mt × commodity weight',
      higherIsBetter: true,
      applicable: true,
      explanation: withTonnage
        ? `${plural(withTonnage, 'priority deposit')} ${where} ${withTonnage === 1 ? 'reports' : 'report'} tonnage: ${round(mt, 3)} Mt weighted by commodity priority`
        : `no priority deposit ${where} reports a resource tonnage`,
    },
  ];
}

/** Ore tonnage of an estimate in Mt, or null when not given. */
export function tonnageMt(r: ResourceEstimate): number | null {
  if (typeof r.tonnage !== 'number' || !Number.isFinite(r.tonnage)) return null;
  const f = r.tonnageUnit === 't' ? 1e-6 : r.tonnageUnit === 'kt' ? 1e-3 : 1; // Mt when unstated, as the importer reads it
  return r.tonnage * f;
}

/** (b) Distance to the nearest feature of an infrastructure layer (smaller is better). */
export function infrastructureCriterion(nearest: { distanceKm: number; name: string } | null, layerLabel: string | null, from: string | null = null): CriterionValue {
  if (layerLabel === null) return notAssessed('infrastructure', 'km', false, 'no infrastructure layer given');
  return {
    key: 'infrastructure',
    raw: nearest ? round(nearest.distanceKm, 3) : null,
    unit: 'km',
    higherIsBetter: false,
    applicable: true,
    explanation: nearest
      ? `nearest ${layerLabel}: ${nearest.name}, ${nearest.distanceKm === 0 && from ? `touching ${from}` : `${round(nearest.distanceKm, 1)} km${from ? ` from ${from}` : ''}`}`
      : `no ${layerLabel} found at all (scored as the worst)`,
  };
}

/** (c) Fraction of the assessed area covered by surveys: confidence in the data. */
export function coverageCriterion(fraction: number, what: string): CriterionValue {
  return {
    key: 'coverage',
    raw: round(fraction, 6),
    unit: 'fraction covered',
    higherIsBetter: true,
    applicable: true,
    explanation: `${round(fraction * 100, 1)} % of ${what} lies in surveyed areas`,
  };
}

/** (d) Overlap with exclusion zones (0 … 1 of the site; a point site is 0 or 1). */
export function exclusionCriterion(overlap: { fraction: number; zones: string[] } | null, mode: 'hard' | 'penalty'): CriterionValue & { excludes: boolean } {
  if (overlap === null) return { ...notAssessed('exclusion', 'fraction', false, 'no exclusion zones given'), excludes: false };
  const hit = overlap.fraction > 0;
  return {
    key: 'exclusion',
    raw: round(overlap.fraction, 6),
    unit: 'fraction inside exclusion zones',
    higherIsBetter: false,
    applicable: true,
    excludes: hit && mode === 'hard',
    explanation: hit
      ? `${round(overlap.fraction * 100, 1)} % of the site lies in ${overlap.zones.join(', ')}` + (mode === 'hard' ? ' — excluded (hard constraint)' : ' — penalised')
      : 'outside every exclusion zone',
  };
}

/** (e) Permitting stage as an ordinal (none 0 … operating 5). */
export function permittingCriterion(stage: PermitStage | null): CriterionValue {
  const label = PERMIT_STAGES.find((s) => s.code === stage)?.en ?? 'not recorded (as none)';
  return { key: 'permitting', raw: permitOrdinal(stage), unit: 'stage (none 0 … operating 5)', higherIsBetter: true, applicable: true, explanation: `permit stage: ${label}` };
}

function notAssessed(key: CriterionKey, unit: string, higherIsBetter: boolean, why: string): CriterionValue {
  return { key, raw: null, unit, higherIsBetter, applicable: false, explanation: `not assessed: ${why}` };
}
