import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runComparison } from '../../../src/api/analysis-handlers';
import { compareSites } from '../../../src/compare/compare-sites';
import { comparisonToHtml } from '../../../src/compare/report-html';
import { defaultWeights } from '../../../src/compare/weights';
import { emptyDepositFields } from '../../../src/model/defaults';
import { Project } from '../../../src/store/project';
import { emptySiteFields, insertSites } from '../../../src/store/sites';

// Two polygon sites with known deposits, all weight on the weighted deposit count, so every rank
// below is worked out by hand from the default weights Cu 0.6 and Li 0.9:
//   X: 5 copper deposits → 5 × 0.6 = 3.0;  Y: 3 lithium deposits → 3 × 0.9 = 2.7  → X first.
//   Cu × 0.8 → X 2.4 < 2.7: swap.  Cu × 1.2 → 3.6: no change.
//   Li × 0.8 → Y 2.16: no change.  Li × 1.2 → Y 3.24 > 3.0: swap.
const square = (x: number, y: number): Polygon => ({ type: 'Polygon', coordinates: [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]] });
let dir: string;
let p: Project;
let ids: string[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-csens-'));
  p = Project.open(join(dir, 'p.gpkg'), { create: true });
  await p.write('test', 'deposits', (w) => {
    for (let i = 0; i < 5; i++) w.insertDeposit({ ...emptyDepositFields(`Cu ${i}`), commoditiesMain: ['Cu'] }, { type: 'Point', coordinates: [10.1 + i * 0.1, 10.5] });
    for (let i = 0; i < 3; i++) w.insertDeposit({ ...emptyDepositFields(`Li ${i}`), commoditiesMain: ['Li'] }, { type: 'Point', coordinates: [20.1 + i * 0.1, 20.5] });
  });
  ids = await insertSites(p, [
    { fields: emptySiteFields('X copper'), geometry: square(10, 10) },
    { fields: emptySiteFields('Y lithium'), geometry: square(20, 20) },
  ]);
});
afterAll(() => {
  p.close();
  rmSync(dir, { recursive: true, force: true });
});

const onlyDeposits = () => {
  const w = defaultWeights();
  for (const k of Object.keys(w.criteria) as (keyof typeof w.criteria)[]) w.criteria[k] = k === 'deposits' ? 1 : 0;
  return w;
};

describe('commodity-weight sensitivity', () => {
  it('varies each commodity weight that counts ±20 % and re-ranks from the deposits', () => {
    const c = compareSites(p, [
      { id: 'x', name: 'X copper', geometry: square(10, 10) },
      { id: 'y', name: 'Y lithium', geometry: square(20, 20) },
    ], { weights: onlyDeposits() });
    expect(c.scores.map((s) => s.criteria.find((k) => k.key === 'deposits')!.raw)).toEqual([3, 2.7]);
    expect(c.scores.map((s) => s.rank)).toEqual([1, 2]);
    expect(c.commoditySensitivity.variations).toEqual([
      { commodity: 'Li', factor: 0.8, ranks: [1, 2] },
      { commodity: 'Li', factor: 1.2, ranks: [2, 1] },
      { commodity: 'Cu', factor: 0.8, ranks: [2, 1] },
      { commodity: 'Cu', factor: 1.2, ranks: [1, 2] },
    ]);
    expect(c.commoditySensitivity.sites).toEqual([
      { minRank: 1, maxRank: 2, maxChange: 1, stable: false },
      { minRank: 1, maxRank: 2, maxChange: 1, stable: false },
    ]);
    // Moving the one criterion weight ±20 % cannot reorder two sites scored on it alone.
    expect(c.sensitivity.sites.map((s) => s.stable)).toEqual([true, true]);
    const html = comparisonToHtml(c);
    expect(html).toContain('<tr><td>Cu 0.6 × 0.8</td><td class="n ex">2</td><td class="n ex">1</td></tr>');
  });

  it('an edited priority list replaces the defaults when asked: Cu left out weighs as an unlisted critical commodity (0.2)', () => {
    const w = onlyDeposits();
    const c = runComparison(p, { siteIds: ids, weights: { criteria: w.criteria, commodities: { Li: 1 } }, replaceCommodities: true });
    // X: 5 × 0.2 = 1.0; Y: 3 × 1 = 3.0.
    expect(c.scores.map((s) => s.criteria.find((k) => k.key === 'deposits')!.raw)).toEqual([1, 3]);
    expect(c.weights.commodities).toEqual({ Li: 1 });
    expect(c.commoditySensitivity.variations.map((v) => v.commodity)).toEqual(['Li', 'Li', 'otherCritical', 'otherCritical']);
    // Without replaceCommodities the list is merged over the defaults (Cu stays 0.6).
    const merged = runComparison(p, { siteIds: ids, weights: { criteria: w.criteria, commodities: { Li: 1 } } });
    expect(merged.scores.map((s) => s.criteria.find((k) => k.key === 'deposits')!.raw)).toEqual([3, 3]);
  });
});
