import { describe, expect, it } from 'vitest';
import { formatMb, formatMs, formatRatio, frameTable, speedRatio, TileCounter } from '../../../scripts/bench-frame-report';
import { jitteredSites } from '../../../scripts/jittered-sites';
import { seededRandom } from '../../helpers/random';

describe('speedRatio and formatting (bench-frame)', () => {
  it('is baseline / ours, > 1 when Outcrop is faster', () => {
    expect(speedRatio(9000, 3000)).toBe(3);
    expect(speedRatio(1000, 4000)).toBe(0.25);
  });

  it('is null when a side is missing or not positive', () => {
    expect(speedRatio(null, 100)).toBeNull();
    expect(speedRatio(100, undefined)).toBeNull();
    expect(speedRatio(100, 0)).toBeNull();
    expect(speedRatio(Number.NaN, 100)).toBeNull();
  });

  it('formats milliseconds, bytes and ratios', () => {
    expect(formatMs(850.4)).toBe('850 ms');
    expect(formatMs(12_345)).toBe('12.35 s');
    expect(formatMs(123_456)).toBe('123 s');
    expect(formatMs(null)).toBe('—');
    expect(formatMs(Number.POSITIVE_INFINITY)).toBe('—');
    expect(formatMb(512 * 1024 * 1024)).toBe('512 MB');
    expect(formatMb(null)).toBe('—');
    expect(formatRatio(1.8421)).toBe('1.84×');
    expect(formatRatio(32.49)).toBe('32.5×');
    expect(formatRatio(null)).toBe('—');
  });
});

describe('frameTable', () => {
  it('lists every step with each baseline and its ratio; missing values as —', () => {
    const rows = [
      { step: 'first frame', ours: { ms: 5000, features: 43 }, baselines: { cluster: { ms: 10_000, features: 17 }, plain: null } },
      { step: 'pan', ours: null, baselines: { cluster: { ms: 700, features: 1200 }, plain: { ms: 900, features: 5 } } },
    ];
    const input = JSON.stringify(rows);
    expect(frameTable(rows).split('\n')).toEqual([
      '| step | Outcrop | cluster | ratio | plain | ratio |',
      '|---|---|---|---|---|---|',
      '| first frame | 5.00 s (43) | 10.00 s (17) | 2.00× | — | — |',
      '| pan | — | 700 ms (1,200) | — | 900 ms (5) | — |',
    ]);
    expect(JSON.stringify(rows)).toBe(input); // not mutated
  });

  it('is only the header without rows', () => {
    expect(frameTable([])).toBe('| step | Outcrop |\n|---|---|');
  });
});

describe('TileCounter', () => {
  it('names the tile with most points and its centre', () => {
    const c = new TileCounter(1);
    c.add(-100, 40); // north-west quadrant: tile 0/0
    c.add(10, -30); // south-east: tile 1/1
    c.add(20, -40);
    expect(c.densest()).toEqual({ z: 1, x: 1, y: 1, count: 2, center: [90, expect.closeTo(-66.513, 3)] });
  });

  it('keeps the antimeridian and the poles inside the grid', () => {
    const c = new TileCounter(2);
    c.add(180, 90);
    c.add(180, 89.9);
    const d = c.densest()!;
    expect([d.x, d.y, d.count]).toEqual([3, 0, 2]);
  });

  it('returns null when empty and refuses a bad zoom', () => {
    expect(new TileCounter(10).densest()).toBeNull();
    expect(() => new TileCounter(1.5)).toThrow(/1\.5/);
  });
});

describe('jitteredSites (the 1M-deposit set of bench-tiles and bench-frame)', () => {
  const sites = [
    { lng: 179.95, lat: 89.95, name: 'a' },
    { lng: -179.95, lat: -89.95, name: 'b' },
  ];

  it('copies each real site once unchanged, then jitters copies within ±0.1°, wrapped and clamped', () => {
    const out = [...jitteredSites(sites, 1000, seededRandom(1))];
    expect(out).toHaveLength(1000);
    expect(out.slice(0, 2).map((d) => [d.lng, d.lat])).toEqual([
      [179.95, 89.95],
      [-179.95, -89.95],
    ]);
    out.forEach((d, i) => {
      expect(d.site).toBe(sites[i % 2]);
      expect(Math.abs(d.lng)).toBeLessThanOrEqual(180);
      expect(Math.abs(d.lat)).toBeLessThanOrEqual(90);
      const dLng = Math.abs(((d.lng - d.site.lng + 540) % 360) - 180);
      expect(dLng).toBeLessThanOrEqual(0.1 + 1e-9);
      expect(Math.abs(d.lat - d.site.lat)).toBeLessThanOrEqual(0.1 + 1e-9);
    });
    expect(out.some((d) => d.site === sites[0] && d.lng < 0)).toBe(true); // wrapped across ±180
  });

  it('gives the same points for the same seed, and nothing for n = 0', () => {
    const a = [...jitteredSites(sites, 50, seededRandom(7))];
    const b = [...jitteredSites(sites, 50, seededRandom(7))];
    expect(a).toEqual(b);
    expect([...jitteredSites([], 0, seededRandom(7))]).toEqual([]);
    expect(() => [...jitteredSites([], 3, seededRandom(7))]).toThrow(/3 deposits/);
  });
});
