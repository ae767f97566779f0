import { describe, expect, it } from 'vitest';
import { Project } from '../../../src/store/project';
import type { FeatureFilter } from '../../../src/store/read';
import { CLUSTER_CELLS_PER_TILE, DETAIL_ZOOM, getTile } from '../../../src/tiles';
import { decodeTile, insertSites, mercator, readMinmodSites, type Site, useTestProject } from './real-data';

// Real data: the 110,459 located MinMod sites, inserted through Project.write.
const sites = readMinmodSites();
const ctx = useTestProject('clusters', (p) => insertSites(p, sites));

const EXTENT = 4096;

interface Cell {
  count: number;
  sx: number;
  sy: number;
  byCommodity: Map<string, number>;
}

/** Brute force: bin sites into the 2^z·8 grid with the test's own Mercator; key "cx,cy". */
function binSites(z: number, pred: (s: Site) => boolean = () => true): Map<string, Cell> {
  const g = 2 ** z * CLUSTER_CELLS_PER_TILE;
  const cells = new Map<string, Cell>();
  for (const s of sites) {
    if (!pred(s)) continue;
    const [wx, wy] = mercator(s.lng, s.lat);
    const key = `${Math.min(g - 1, Math.floor(wx * g))},${Math.min(g - 1, Math.floor(wy * g))}`;
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { count: 0, sx: 0, sy: 0, byCommodity: new Map() }));
    c.count++;
    c.sx += wx;
    c.sy += wy;
    if (s.codes.length) c.byCommodity.set(s.codes[0], (c.byCommodity.get(s.codes[0]) ?? 0) + 1);
  }
  return cells;
}

/** Most frequent first commodity; ties to the code that sorts first. */
function mode(m: Map<string, number>): string | undefined {
  let best: string | undefined;
  let n = 0;
  for (const [k, v] of m) if (v > n || (v === n && best !== undefined && k < best)) [best, n] = [k, v];
  return best;
}

interface Cluster {
  z: number;
  x: number;
  y: number;
  px: number;
  py: number;
  count: number;
  commodity?: string;
}

/** Every cluster whose point lies inside its tile's [0, extent)² square, over all tiles of zoom z. */
function clustersAt(z: number, filter?: FeatureFilter): Cluster[] {
  const out: Cluster[] = [];
  const n = 2 ** z;
  for (let x = 0; x < n; x++) {
    for (let y = 0; y < n; y++) {
      const buf = getTile(ctx.project, 'deposits', z, x, y, { filter });
      if (!buf) continue;
      const layer = decodeTile(buf).layers.deposit_clusters;
      expect(layer.version).toBe(2);
      for (let i = 0; i < layer.length; i++) {
        const f = layer.feature(i);
        const p = f.loadGeometry()[0][0];
        if (p.x < 0 || p.x >= EXTENT || p.y < 0 || p.y >= EXTENT) continue; // buffer copy
        const commodity = f.properties.commodity as string | undefined;
        out.push({ z, x, y, px: p.x, py: p.y, count: Number(f.properties.count), commodity });
      }
    }
  }
  return out;
}

describe('deposit cluster tiles', () => {
  it('are used below the detail zoom, in layer deposit_clusters', () => {
    const t = decodeTile(getTile(ctx.project, 'deposits', DETAIL_ZOOM - 1, 20, 49)!);
    expect(Object.keys(t.layers)).toEqual(['deposit_clusters']);
    expect(Object.keys(decodeTile(getTile(ctx.project, 'deposits', 0, 0, 0)!).layers)).toEqual(['deposit_clusters']);
  });

  it('count every site exactly once per zoom, and each cluster matches brute-force binning', () => {
    for (let z = 0; z < DETAIL_ZOOM; z++) {
      const clusters = clustersAt(z);
      expect(clusters.reduce((a, c) => a + c.count, 0), `z${z}`).toBe(sites.length);
      const cells = binSites(z);
      expect(clusters.length, `z${z} clusters`).toBe(cells.size);
      const g = 2 ** z * CLUSTER_CELLS_PER_TILE;
      for (const c of clusters) {
        // The cluster sits at its members' mean, inside its own cell (±1 unit for rounding).
        const cx = Math.min(g - 1, Math.floor(((c.x * EXTENT + c.px) / EXTENT) * CLUSTER_CELLS_PER_TILE));
        const cy = Math.min(g - 1, Math.floor(((c.y * EXTENT + c.py) / EXTENT) * CLUSTER_CELLS_PER_TILE));
        const candidates = [0, -1, 1].flatMap((dy) => [0, -1, 1].map((dx) => `${cx + dx},${cy + dy}`));
        const match = candidates
          .map((k) => cells.get(k))
          .find((cell) => {
            if (!cell || cell.count !== c.count) return false;
            const mx = (cell.sx / cell.count) * 2 ** z - c.x;
            const my = (cell.sy / cell.count) * 2 ** z - c.y;
            return Math.abs(mx * EXTENT - c.px) <= 1 && Math.abs(my * EXTENT - c.py) <= 1;
          });
        expect(match, `z${z} cluster at ${c.x}/${c.y} (${c.px}, ${c.py}) count ${c.count}`).toBeDefined();
        expect(c.commodity).toBe(mode(match!.byCommodity));
      }
    }
  });

  it('names the most frequent first commodity (spot checks)', () => {
    const z = 5;
    const clusters = clustersAt(z);
    const cells = binSites(z);
    // Pick the two biggest cells whose commodity vote is not unanimous and check them by hand.
    const contested = [...cells.values()]
      .filter((c) => c.byCommodity.size > 2)
      .sort((a, b) => b.count - a.count)
      .slice(0, 2);
    expect(contested.length).toBe(2);
    for (const cell of contested) {
      const votes = [...cell.byCommodity].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      expect(votes[0][1]).toBeGreaterThan(votes[votes.length - 1][1]);
      const [wx, wy] = [(cell.sx / cell.count) * 2 ** z, (cell.sy / cell.count) * 2 ** z];
      const cluster = clusters.find(
        (c) => Math.abs((wx - c.x) * EXTENT - c.px) <= 1 && Math.abs((wy - c.y) * EXTENT - c.py) <= 1,
      )!;
      expect(cluster.count).toBe(cell.count);
      expect(cluster.commodity).toBe(votes[0][0]);
    }
  });

  it('cluster with filters, from a pyramid of their own', () => {
    const filters: [FeatureFilter, (s: Site) => boolean][] = [
      [{ commodity: ['Li'] }, (s) => s.codes.includes('Li')],
      [{ country: ['Japan'] }, (s) => s.country === 'Japan'],
      [{ commodity: ['Cu', 'Ni'], country: ['United States'] }, (s) => s.country === 'United States' && (s.codes.includes('Cu') || s.codes.includes('Ni'))],
    ];
    for (const [filter, pred] of filters) {
      const want = sites.filter(pred).length;
      expect(want).toBeGreaterThan(100);
      for (const z of [0, 3, 6]) {
        const clusters = clustersAt(z, filter);
        expect(clusters.reduce((a, c) => a + c.count, 0), `${JSON.stringify(filter)} z${z}`).toBe(want);
        expect(clusters.length).toBe(binSites(z, pred).size);
      }
    }
    // The unfiltered pyramid is still right after the filtered ones.
    expect(clustersAt(2).reduce((a, c) => a + c.count, 0)).toBe(sites.length);
  });

  it('returns null for a cluster tile with no sites', () => {
    expect(getTile(ctx.project, 'deposits', 6, 5, 35)).toBeNull(); // South Pacific
    expect(getTile(ctx.project, 'deposits', 3, 0, 0, { filter: { country: ['Atlantis'] } })).toBeNull();
  });
});
