import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { SiteContext } from '../../../src/compare/compare-sites';
import { siteMap } from '../../../src/compare/report-html';
import { MAX_MAP_DOTS, siteMapShapes } from '../../../src/compare/site-map';

/**
 * The small site map's shapes on a hand-made context. Expected pixels are worked out by hand from
 * the projection (site-map.ts): a point site at 10°E 45°N whose assessed area is the box
 * 9…11°E, 44…46°N.
 *   lon0 = 10, lat0 = 45, k = cos 45° = 0.707107
 *   box in (Δlon·k, lat): x −0.707107 … 0.707107, y 44 … 46 → cx = 0, cy = 45
 *   span = max(1.414214, 2) × (1 + 2 × 0.08) = 2.32 degrees
 *   x = (Δlon·k / 2.32 + 0.5) × 260,  y = (0.5 − (lat − 45) / 2.32) × 260
 */
const box = (w: number, s: number, e: number, n: number): Polygon => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const deposit = (name: string, coordinates: [number, number], priority: number) => ({ id: name, name, coordinates, distanceKm: 0, commodities: [], status: null, resources: [], priority });

function context(lon: number, area: Polygon, deposits: ReturnType<typeof deposit>[], extra: Partial<SiteContext> = {}): SiteContext {
  const site = { id: 's', name: 'Site <1>', geometry: { type: 'Point' as const, coordinates: [lon, 45] } };
  return { site, assessedArea: area, coveredArea: null, deposits, priorities: deposits.map((d) => d.priority), exclusionZones: [], ...extra };
}

describe('siteMapShapes', () => {
  // A (10.5°E, 45.5°N), priority: x = (0.5 × 0.707107 / 2.32 + 0.5) × 260 = (0.152394 + 0.5) × 260 = 169.62
  //                                  y = (0.5 − 0.5 / 2.32) × 260 = (0.5 − 0.215517) × 260 = 73.97
  // B (9.0°E, 44.2°N), other:        x = (−0.707107 / 2.32 + 0.5) × 260 = (−0.304787 + 0.5) × 260 = 50.76
  //                                  y = (0.5 + 0.8 / 2.32) × 260 = (0.5 + 0.344828) × 260 = 219.66
  const A = { x: 169.6, y: 74.0 };
  const B = { x: 50.8, y: 219.7 };

  it('projects a point site and two deposits at known offsets', () => {
    const covered = box(10, 44, 11, 46);
    const zone = { name: 'Park "N"', geometry: box(9.5, 45, 10.5, 46) };
    const m = siteMapShapes(context(10, box(9, 44, 11, 46), [deposit('A', [10.5, 45.5], 0.8), deposit('B', [9, 44.2], 0)], { coveredArea: covered, exclusionZones: [zone] }));
    expect(m.size).toBe(260);
    expect(m.dots).toEqual([
      { ...A, priority: true, name: 'A' },
      { ...B, priority: false, name: 'B' },
    ]);
    expect(m.omittedDots).toBe(0);
    // The site: the middle of the box.
    expect(m.point).toEqual({ x: 130, y: 130 });
    expect(m.paths.map((p) => p.kind)).toEqual(['exclusion', 'covered', 'assessed', 'site']);
    // Box corners: 9°E → 50.8, 11°E → (0.304787 + 0.5) × 260 = 209.2; 44°N → (0.5 + 1 / 2.32) × 260 = 242.1, 46°N → 17.9.
    expect(m.paths[2].d).toBe('M50.8 242.1L209.2 242.1L209.2 17.9L50.8 17.9L50.8 242.1Z');
    // The covered box 10…11°E: 10°E → 130.
    expect(m.paths[1].d).toBe('M130.0 242.1L209.2 242.1L209.2 17.9L130.0 17.9L130.0 242.1Z');
    // The zone 9.5…10.5°E (Δlon ±0.5 → 130 ∓ 39.62 = 90.4 / 169.6), 45…46°N (130 / 17.9).
    expect(m.paths[0]).toEqual({ kind: 'exclusion', d: 'M90.4 130.0L169.6 130.0L169.6 17.9L90.4 17.9L90.4 130.0Z', title: 'Park "N"' });
    expect(m.paths[3].d).toBe('M124 130L136 130M130 124L130 136');
  });

  it('keeps an area across the antimeridian in one piece', () => {
    // The same box shifted by 170°: 179°E … 179°W (181°E); A at 179.5°W is 0.5° east of the site at 180°.
    const m = siteMapShapes(context(180, box(179, 44, -179, 46), [deposit('A', [-179.5, 45.5], 1), deposit('B', [179, 44.2], 0)]));
    expect(m.dots.map(({ x, y }) => ({ x, y }))).toEqual([A, B]);
    expect(m.paths.find((p) => p.kind === 'assessed')!.d).toBe('M50.8 242.1L209.2 242.1L209.2 17.9L50.8 17.9L50.8 242.1Z');
  });

  it('draws at most the nearest MAX_MAP_DOTS deposits and counts the rest', () => {
    const many = Array.from({ length: MAX_MAP_DOTS + 7 }, (_, i) => deposit(`d${i}`, [10 + (i % 50) / 100, 45], 0));
    const m = siteMapShapes(context(10, box(9, 44, 11, 46), many));
    expect(m.dots).toHaveLength(400);
    expect(m.dots[399].name).toBe('d399');
    expect(m.omittedDots).toBe(7);
  });

  it('a polygon site: no point, the site drawn as its outline', () => {
    const ctx: SiteContext = { site: { id: 'p', name: 'P', geometry: box(9, 44, 11, 46) }, assessedArea: box(9, 44, 11, 46), coveredArea: null, deposits: [], priorities: [], exclusionZones: [] };
    const m = siteMapShapes(ctx);
    expect(m.point).toBeNull();
    // lon0 is the ring's first vertex (9°E): the box still fills the middle of the map.
    expect(m.paths.map((p) => [p.kind, p.d])).toEqual([
      ['assessed', 'M50.8 242.1L209.2 242.1L209.2 17.9L50.8 17.9L50.8 242.1Z'],
      ['site', 'M50.8 242.1L209.2 242.1L209.2 17.9L50.8 17.9L50.8 242.1Z'],
    ]);
  });

  it('the report draws the same shapes', () => {
    const svg = siteMap(context(10, box(9, 44, 11, 46), [deposit('A & B', [10.5, 45.5], 0.8), deposit('B', [9, 44.2], 0)]));
    expect(svg).toContain('aria-label="map of Site &lt;1&gt;"');
    expect(svg).toContain('<circle cx="169.6" cy="74.0" r="3" fill="#1a3d8f"><title>A &amp; B</title></circle>');
    expect(svg).toContain('<circle cx="50.8" cy="219.7" r="2" fill="#9aa"><title>B</title></circle>');
    expect(svg).toMatch(/<path d="M124 130L136 130M130 124L130 136" stroke="#000" stroke-width="2.5"\/><\/svg>$/);
  });
});
