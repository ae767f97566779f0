import type { Comparison } from './compare-sites';

/**
 * One row per site × criterion (long form: easy to pivot in a spreadsheet): rank, score,
 * raw value, unit, normalised value, weight, contribution, explanation, and the sensitivity
 * verdicts (criterion weights and commodity weights ±20 %), and the layers used. RFC 4180 quoting; cells that a spreadsheet would run as a formula (= + - @) get a
 * leading apostrophe (OWASP CSV injection).
 */
export function comparisonToCsv(c: Comparison): string {
  const header = ['rank', 'site_id', 'site_name', 'score', 'excluded', 'criterion', 'raw', 'unit', 'normalised', 'weight', 'contribution', 'explanation', 'rank_stable', 'max_rank_change', 'commodity_rank_stable', 'commodity_max_rank_change', 'infrastructure_layer', 'exclusion_layers', 'exclusion_mode'];
  const lines = [header.join(',')];
  const order = c.scores.map((s, i) => ({ s, i })).sort((a, b) => a.s.rank - b.s.rank || a.s.name.localeCompare(b.s.name));
  for (const { s, i } of order) {
    const sens = c.sensitivity.sites[i];
    const cs = c.commoditySensitivity.sites[i];
    for (const k of s.criteria) {
      lines.push(
        [s.rank, s.id, s.name, num(s.score), s.excluded, k.key, k.raw ?? '', k.unit, num(k.normalised), num(k.weight), num(k.contribution), k.explanation, sens.stable, sens.maxChange, cs.stable, cs.maxChange, c.infrastructureLabel ?? '', c.exclusionsLabel ?? '', c.exclusionsLabel ? c.weights.exclusionMode : '']
          .map(cell)
          .join(','),
      );
    }
  }
  return lines.join('\r\n') + '\r\n';
}

const num = (x: number) => Math.round(x * 1e6) / 1e6;

function cell(v: unknown): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
