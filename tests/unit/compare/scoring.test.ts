import { describe, expect, it } from 'vitest';
import type { CriterionValue } from '../../../src/compare/criteria';
import { depositCriteria, exclusionCriterion, permittingCriterion } from '../../../src/compare/criteria';
import { scoreSites } from '../../../src/compare/scoring';
import { weightSensitivity } from '../../../src/compare/sensitivity';
import { defaultWeights, parseWeightsJson, type CriterionKey } from '../../../src/compare/weights';

const crit = (key: CriterionKey, raw: number | null, higherIsBetter = true): CriterionValue => ({ key, raw, unit: 'u', higherIsBetter, applicable: true, explanation: '' });
const W = (w: Partial<Record<CriterionKey, number>>) => ({ ...defaultWeights().criteria, deposits: 0, development: 0, resources: 0, infrastructure: 0, coverage: 0, exclusion: 0, permitting: 0, ...w });

describe('scoreSites: normalisation and contributions, by hand', () => {
  it('2 sites: min–max, reversed for distances, equal values give 0', () => {
    // A: 3 deposits, 30 km to a plant; B: 1 deposit, 10 km; both permit stage 2.
    const s = scoreSites(
      [
        { id: 'a', name: 'A', criteria: [crit('deposits', 3), crit('infrastructure', 30, false), crit('permitting', 2)] },
        { id: 'b', name: 'B', criteria: [crit('deposits', 1), crit('infrastructure', 10, false), crit('permitting', 2)] },
      ],
      W({ deposits: 0.6, infrastructure: 0.4, permitting: 0.5 }),
    );
    const [a, b] = s;
    expect(a.criteria.map((c) => c.normalised)).toEqual([1, 0, 0]); // (3−1)/(3−1); (30−30)/(30−10); no spread
    expect(b.criteria.map((c) => c.normalised)).toEqual([0, 1, 0]);
    expect(a.criteria.map((c) => c.contribution)).toEqual([0.6, 0, 0]);
    expect(b.criteria[1].contribution).toBeCloseTo(0.4, 12);
    expect(a.score).toBeCloseTo(0.6, 12);
    expect(b.score).toBeCloseTo(0.4, 12);
    expect([a.rank, b.rank]).toEqual([1, 2]);
  });

  it('3 sites: a middle value normalises linearly; null is the worst; ties share a rank', () => {
    const s = scoreSites(
      [
        { id: 'a', name: 'A', criteria: [crit('deposits', 10), crit('coverage', null)] },
        { id: 'b', name: 'B', criteria: [crit('deposits', 4), crit('coverage', 0.5)] },
        { id: 'c', name: 'C', criteria: [crit('deposits', 4), crit('coverage', 0.5)] },
        { id: 'd', name: 'D', criteria: [crit('deposits', 2.5), crit('coverage', 1)] },
      ],
      W({ deposits: 1, coverage: 1 }),
    );
    expect(s[1].criteria[0].normalised).toBeCloseTo((4 - 2.5) / 7.5, 12);
    expect(s[0].criteria[1].normalised).toBe(0);
    expect(s[1].criteria[1].normalised).toBeCloseTo(0, 12); // (0.5 − 0.5)/(1 − 0.5)
    expect(s.map((x) => x.rank)).toEqual([1, 3, 3, 1]); // A = 1 + 0, D = 0 + 1: a tie; B = C = 0.2 + 0
  });

  it('an excluded site ranks last whatever its score', () => {
    const s = scoreSites(
      [
        { id: 'a', name: 'A', criteria: [crit('deposits', 10)], excluded: true },
        { id: 'b', name: 'B', criteria: [crit('deposits', 1)] },
      ],
      W({ deposits: 1 }),
    );
    expect(s[0].score).toBe(1);
    expect(s.map((x) => x.rank)).toEqual([2, 1]);
  });
});

describe('weightSensitivity', () => {
  it('detects a constructed rank flip and a stable site', () => {
    // A: best deposits, worst distance; B: the reverse; C: worst at both.
    // Baseline A = 0.5, B = 0.45, C = 0. deposits × 0.8 → A 0.4 < B; infrastructure × 1.2 → B 0.54 > A.
    const scores = scoreSites(
      [
        { id: 'a', name: 'A', criteria: [crit('deposits', 3), crit('infrastructure', 30, false)] },
        { id: 'b', name: 'B', criteria: [crit('deposits', 1), crit('infrastructure', 10, false)] },
        { id: 'c', name: 'C', criteria: [crit('deposits', 1), crit('infrastructure', 30, false)] },
      ],
      W({ deposits: 0.5, infrastructure: 0.45 }),
    );
    expect(scores.map((s) => s.rank)).toEqual([1, 2, 3]);
    const sens = weightSensitivity(scores, W({ deposits: 0.5, infrastructure: 0.45 }));
    expect(sens.variations).toHaveLength(4);
    const flip = sens.variations.find((v) => v.criterion === 'deposits' && v.factor === 0.8)!;
    expect(flip.ranks).toEqual([2, 1, 3]);
    expect(sens.variations.find((v) => v.criterion === 'deposits' && v.factor === 1.2)!.ranks).toEqual([1, 2, 3]);
    expect(sens.sites.map((s) => s.stable)).toEqual([false, false, true]);
    expect(sens.sites.map((s) => s.maxChange)).toEqual([1, 1, 0]);
  });
});

describe('criteria', () => {
  const w = defaultWeights();
  it('deposits: weighted count, best status, tonnage in Mt by commodity priority', () => {
    const [count, dev, res] = depositCriteria(
      [
        { id: '1', name: 'Nd mine', coordinates: [0, 0], distanceKm: 1, commodities: ['Nd', 'Fe'], status: 'producer', resources: [{ tonnage: 2, tonnageUnit: 'Mt', commodity: 'Nd' }] },
        { id: '2', name: 'Li prospect', coordinates: [0, 0], distanceKm: 2, commodities: ['Li'], status: 'prospect', resources: [{ tonnage: 500, tonnageUnit: 'kt' }] },
        { id: '3', name: 'gravel pit', coordinates: [0, 0], distanceKm: 3, commodities: ['sand-gravel'], status: 'producer', resources: [{ tonnage: 9, tonnageUnit: 'Mt' }] },
      ],
      w,
      'within 50 km',
    );
    expect(count.raw).toBeCloseTo(1 + 0.9, 12); // Nd 1, Li 0.9, gravel 0
    expect(dev.raw).toBe(5);
    expect(res.raw).toBeCloseTo(2 * 1 + 0.5 * 0.9, 9);
    expect(count.explanation).toMatch(/3 deposits within 50 km, 2 with priority/);
  });
  it('targets restrict the priority commodities', () => {
    const [count, , res] = depositCriteria([{ id: '1', name: 'x', coordinates: [0, 0], distanceKm: 1, commodities: ['Nd', 'Li'], status: null, resources: [{ tonnage: 3, tonnageUnit: 'Mt' }] }], w, 'here', ['Li']);
    expect(count.raw).toBeCloseTo(0.9, 12);
    // One of each: said in the singular.
    expect(count.explanation).toMatch(/^1 deposit here, 1 with priority/);
    expect(res.explanation).toMatch(/^1 priority deposit here reports tonnage/);
  });
  it('exclusion and permitting', () => {
    expect(exclusionCriterion({ fraction: 0.25, zones: ['Park'] }, 'hard').excludes).toBe(true);
    expect(exclusionCriterion({ fraction: 0.25, zones: ['Park'] }, 'penalty').excludes).toBe(false);
    expect(exclusionCriterion(null, 'hard').applicable).toBe(false);
    expect(permittingCriterion('environmental-review').raw).toBe(3);
    expect(permittingCriterion(null).raw).toBe(0);
  });
});

describe('parseWeightsJson', () => {
  it('merges over the defaults', () => {
    const w = parseWeightsJson({ criteria: { deposits: 0.4 }, commodities: { Li: 1 }, exclusionMode: 'penalty' });
    expect(w.criteria.deposits).toBe(0.4);
    expect(w.criteria.permitting).toBe(defaultWeights().criteria.permitting);
    expect(w.commodities.Li).toBe(1);
    expect(w.commodities.Nd).toBe(1);
    expect(w.exclusionMode).toBe('penalty');
  });
  it('errors name the key', () => {
    expect(() => parseWeightsJson({ criteria: { depsits: 1 } }, 'w.json')).toThrow(/w\.json: .*criteria/);
    expect(() => parseWeightsJson({ criteria: { deposits: -1 } }, 'w.json')).toThrow(/"criteria\.deposits"/);
    expect(() => parseWeightsJson({ commodities: { lithium: 1 } }, 'w.json')).toThrow(/"commodities\.lithium": not a commodity code/);
    expect(() => parseWeightsJson({ colour: 'red' }, 'w.json')).toThrow(/unknown key "colour"/);
  });
});
