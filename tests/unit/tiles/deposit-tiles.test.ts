import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Project } from '../../../src/store/project';
import { OutcropError } from '../../../src/errors';
import { DETAIL_ZOOM, getTile, POINT_BUFFER } from '../../../src/tiles';
import { decodeTile, insertSites, mercator, readMinmodSites, type Site, useTestProject } from './real-data';

// Real data: the 110,459 located MinMod sites, inserted through Project.write.
const sites = readMinmodSites();
const ctx = useTestProject('tiles', (p) => insertSites(p, sites));

const EXTENT = 4096;

/** Brute force: sites whose position, in any world copy, falls in the tile grown by the buffer. */
function expectedIds(z: number, x: number, y: number, pred: (s: Site) => boolean = () => true): Set<string> {
  const n = 2 ** z;
  const b = POINT_BUFFER / EXTENT;
  const out = new Set<string>();
  for (const s of sites) {
    if (!pred(s)) continue;
    const [wx, wy] = mercator(s.lng, s.lat);
    const ty = wy * n - y;
    if (ty < -b || ty > 1 + b) continue;
    for (const shift of [-1, 0, 1]) {
      const tx = (wx + shift) * n - x;
      if (tx >= -b && tx <= 1 + b) out.add(s.id!);
    }
  }
  return out;
}

function tileOf(z: number, lng: number, lat: number): [number, number] {
  const [wx, wy] = mercator(lng, lat);
  const n = 2 ** z;
  return [Math.min(n - 1, Math.floor(wx * n)), Math.min(n - 1, Math.floor(wy * n))];
}

function decodedDeposits(z: number, x: number, y: number, opts = {}) {
  const buf = getTile(ctx.project, 'deposits', z, x, y, opts);
  if (!buf) return [];
  const t = decodeTile(buf);
  expect(Object.keys(t.layers)).toEqual(['deposits']);
  const layer = t.layers.deposits;
  expect(layer.version).toBe(2);
  expect(layer.extent).toBe(EXTENT);
  return Array.from({ length: layer.length }, (_, i) => layer.feature(i));
}

/** The z8 tile holding the most sites (California's Mother Lode in this data set). */
function densestTile(z: number): [number, number, number] {
  const counts = new Map<string, number>();
  for (const s of sites) {
    const k = tileOf(z, s.lng, s.lat).join('/');
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const [k, n] = [...counts].sort((a, b) => b[1] - a[1])[0];
  const [x, y] = k.split('/').map(Number);
  return [x, y, n];
}

const byId = new Map<string, Site>();

describe('deposit detail tiles', () => {
  beforeAll(() => {
    for (const s of sites) byId.set(s.id!, s);
  });

  it('hold exactly the sites inside the tile and its buffer (brute force, several places)', () => {
    const [dx, dy] = densestTile(DETAIL_ZOOM);
    const cases: [number, number, number][] = [
      [DETAIL_ZOOM, dx, dy], // densest tile of the set
      [DETAIL_ZOOM, ...tileOf(DETAIL_ZOOM, 139.7671, 35.6812)], // Tokyo
      [10, ...tileOf(10, -115.53, 35.48)], // Mountain Pass, California
      [12, ...tileOf(12, -110.95, 31.87)], // southern Arizona porphyry belt
      [DETAIL_ZOOM, ...tileOf(DETAIL_ZOOM, -65, -26)], // Catamarca, Argentina (whole-degree coordinates)
    ];
    let total = 0;
    for (const [z, x, y] of cases) {
      const features = decodedDeposits(z, x, y);
      const got = new Set(features.map((f) => String(f.properties.id)));
      const want = expectedIds(z, x, y);
      expect([...got].sort(), `${z}/${x}/${y}`).toEqual([...want].sort());
      total += want.size;
    }
    expect(total).toBeGreaterThan(7000);
  });

  it('places each point where the site is and carries its properties', () => {
    const [x, y] = tileOf(10, -115.53, 35.48);
    const features = decodedDeposits(10, x, y);
    expect(features.length).toBeGreaterThan(10);
    for (const f of features) {
      const s = byId.get(String(f.properties.id))!;
      const [wx, wy] = mercator(s.lng, s.lat);
      const p = f.loadGeometry()[0][0];
      expect(Math.abs(p.x - (wx * 1024 - x) * EXTENT)).toBeLessThanOrEqual(0.5 + 1e-6);
      expect(Math.abs(p.y - (wy * 1024 - y) * EXTENT)).toBeLessThanOrEqual(0.5 + 1e-6);
      expect(f.type).toBe(1);
      expect(typeof f.id).toBe('number');
      expect(f.properties.name).toBe(s.name);
      if (s.codes.length) {
        expect(f.properties.commodity).toBe(s.codes[0]);
        expect(f.properties.commodities).toBe(s.codes.join(';'));
      } else {
        expect(f.properties.commodity).toBeUndefined();
      }
      if (s.country) expect(f.properties.country).toBe(s.country);
      expect(f.properties.hidden).toBeUndefined();
    }
  });

  it('copies sites across the antimeridian into the buffer of the edge tiles', () => {
    // Fiji: a real site at 179.9583 E lies 0.042° from 180°, inside tile x = 0's west buffer.
    const fiji = sites.find((s) => s.lng > 179.95 && s.lat < -16 && s.lat > -16.3)!;
    expect(fiji).toBeDefined();
    const [ex, ey] = tileOf(DETAIL_ZOOM, fiji.lng, fiji.lat);
    expect(ex).toBe(2 ** DETAIL_ZOOM - 1);
    for (const x of [0, ex]) {
      const features = decodedDeposits(DETAIL_ZOOM, x, ey);
      const ids = new Set(features.map((f) => String(f.properties.id)));
      expect([...ids].sort()).toEqual([...expectedIds(DETAIL_ZOOM, x, ey)].sort());
      expect(ids.has(fiji.id!)).toBe(true);
      const p = features.find((f) => f.properties.id === fiji.id)!.loadGeometry()[0][0];
      if (x === 0) expect(p.x).toBeLessThan(0);
      else expect(p.x).toBeGreaterThan(EXTENT - POINT_BUFFER);
    }
  });

  it('filters by commodity and country like the export filters', () => {
    const [x, y] = tileOf(DETAIL_ZOOM, -120.5, 38.2); // Sierra Nevada foothills
    const au = decodedDeposits(DETAIL_ZOOM, x, y, { filter: { commodity: ['Au'] } });
    const want = expectedIds(DETAIL_ZOOM, x, y, (s) => s.codes.includes('Au'));
    expect(new Set(au.map((f) => String(f.properties.id)))).toEqual(want);
    expect(want.size).toBeGreaterThan(100);
    const jp = decodedDeposits(DETAIL_ZOOM, ...tileOf(DETAIL_ZOOM, 139.7671, 35.6812), { filter: { country: ['United States'] } });
    expect(jp).toEqual([]);
  });

  it('thins an over-full tile on a grid and counts what it hides', () => {
    const [x, y, n] = densestTile(DETAIL_ZOOM);
    const want = expectedIds(DETAIL_ZOOM, x, y);
    expect(n).toBeGreaterThan(5000);
    for (const cap of [2000, 300]) {
      const features = decodedDeposits(DETAIL_ZOOM, x, y, { maxPointsPerTile: cap });
      expect(features.length).toBeLessThanOrEqual(cap);
      expect(features.length).toBeGreaterThan(cap / 8);
      let represented = 0;
      for (const f of features) {
        expect(want.has(String(f.properties.id))).toBe(true);
        represented += 1 + Number(f.properties.hidden ?? 0);
      }
      // Honest: every deposit in the tile is either drawn or counted by a neighbour that is.
      expect(represented).toBe(want.size);
    }
  });

  it('returns null for an empty tile (mid-Pacific) and at zooms without data', () => {
    expect(getTile(ctx.project, 'deposits', 10, ...tileOf(10, -140, 10))).toBeNull();
    expect(getTile(ctx.project, 'deposits', 22, ...tileOf(22, -140, 10))).toBeNull();
  });

  it('rejects bad tile requests with USAGE errors', () => {
    const calls: (() => unknown)[] = [
      () => getTile(ctx.project, 'deposits', 23, 0, 0),
      () => getTile(ctx.project, 'deposits', -1, 0, 0),
      () => getTile(ctx.project, 'deposits', 3, 8, 0),
      () => getTile(ctx.project, 'deposits', 3, 0, -1),
      () => getTile(ctx.project, 'deposits', 3, 0.5, 0),
      () => getTile(ctx.project, 'wells' as 'deposits', 3, 0, 0),
      () => getTile(ctx.project, 'deposits', 9, 0, 0, { maxPointsPerTile: 0 }),
      () => getTile(ctx.project, 'surveys', 3, 0, 0, { filter: { commodity: ['Li'] } }),
    ];
    for (const call of calls) {
      expect(call).toThrow(OutcropError);
      try {
        call();
      } catch (e) {
        expect((e as OutcropError).code).toBe('USAGE');
      }
    }
  });
});
