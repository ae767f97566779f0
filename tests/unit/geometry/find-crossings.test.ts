import { kinks, polygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { findCrossings } from '../../../src/geometry/find-crossings';
import type { LonLat } from '../../../src/geometry/positions';
import { seededRandom } from '../../helpers/random';


function randomRing(n: number, rand: () => number): LonLat[] {
  const ring: LonLat[] = Array.from({ length: n }, () => [rand() * 10 - 5, rand() * 10 - 5]);
  ring.push(ring[0]);
  return ring;
}

const key = (p: number[]): string => `${p[0].toFixed(9)},${p[1].toFixed(9)}`;

/** Brute force over every pair of edges from different rings: strict proper crossings. */
function bruteForceBetweenRings(rings: LonLat[][]): string[] {
  const o = (a: LonLat, b: LonLat, c: LonLat): number => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  const out: string[] = [];
  for (let r = 0; r < rings.length; r++) {
    for (let s = r + 1; s < rings.length; s++) {
      for (let i = 0; i + 1 < rings[r].length; i++) {
        for (let k = 0; k + 1 < rings[s].length; k++) {
          const [p1, p2] = [rings[r][i], rings[r][i + 1]];
          const [q1, q2] = [rings[s][k], rings[s][k + 1]];
          const d1 = o(q1, q2, p1);
          const d2 = o(q1, q2, p2);
          if (d1 * d2 < 0 && o(p1, p2, q1) * o(p1, p2, q2) < 0) {
            const t = d1 / (d1 - d2);
            out.push(key([p1[0] + t * (p2[0] - p1[0]), p1[1] + t * (p2[1] - p1[1])]));
          }
        }
      }
    }
  }
  return out.sort();
}

describe('findCrossings', () => {
  it('finds the same self-crossings as @turf/kinks (brute force) on random rings', () => {
    const rand = seededRandom(42);
    for (let trial = 0; trial < 40; trial++) {
      const ring = randomRing(5 + Math.floor(rand() * 40), rand);
      const expected = kinks(polygon([ring])).features.map((f) => key(f.geometry.coordinates)).sort();
      const { crossings, truncated } = findCrossings([ring], 1e9);
      expect(truncated).toBe(false);
      expect(crossings.every((c) => c.kind === 'cross' && c.ringA === 0 && c.ringB === 0)).toBe(true);
      expect(crossings.map((c) => key(c.at)).sort()).toEqual(expected);
    }
  });

  it('finds the same crossings between rings as a brute-force pair check', () => {
    const rand = seededRandom(7);
    for (let trial = 0; trial < 20; trial++) {
      const rings = [randomRing(12, rand), randomRing(9, rand), randomRing(15, rand)];
      const expected = bruteForceBetweenRings(rings);
      const found = findCrossings(rings, 1e9).crossings.filter((c) => c.ringA !== c.ringB);
      expect(found.map((c) => key(c.at)).sort()).toEqual(expected);
      expect(found.every((c) => c.ringA < c.ringB)).toBe(true);
    }
  });

  it('says which edges cross: the first vertex of each', () => {
    const bowTie: LonLat[] = [[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]];
    expect(findCrossings([bowTie]).crossings).toEqual([{ kind: 'cross', ringA: 0, ringB: 0, vertexA: 0, vertexB: 2, at: [1, 1] }]);
  });

  it('does not report neighbouring edges, including the last and first edge of a ring', () => {
    const square: LonLat[] = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]];
    expect(findCrossings([square]).crossings).toEqual([]);
  });

  it('does not report rings that only touch at a point', () => {
    const outline: LonLat[] = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]];
    const cornerHole: LonLat[] = [[0, 0], [1, 2], [2, 1], [0, 0]]; // shares the vertex [0, 0]
    const edgeHole: LonLat[] = [[4, 2], [3, 3], [3, 1], [4, 2]]; // its vertex lies on an outline edge
    expect(findCrossings([outline, cornerHole, edgeHole]).crossings).toEqual([]);
  });

  it('reports a path crossing another at a vertex lying on that edge (no proper crossing there)', () => {
    // Ring 1 goes down through [2, 0], a point inside ring 0's bottom edge, and comes back up
    // through that edge at [3, 0] (a proper crossing).
    const outline: LonLat[] = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]];
    const through: LonLat[] = [[1, 1], [2, 0], [3, -1], [3, 1], [1, 1]];
    const { crossings } = findCrossings([outline, through]);
    expect(crossings).toHaveLength(2);
    expect(crossings).toContainEqual({ kind: 'cross', ringA: 0, ringB: 1, vertexA: 0, vertexB: 1, at: [2, 0] });
    expect(crossings).toContainEqual({ kind: 'cross', ringA: 0, ringB: 1, vertexA: 0, vertexB: 2, at: [3, 0] });
  });

  it('reports edges that run along each other as an overlap', () => {
    const a: LonLat[] = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]];
    const b: LonLat[] = [[1, 0], [3, 0], [3, -2], [1, -2], [1, 0]]; // shares [1..3] of the bottom edge
    const { crossings } = findCrossings([a, b]);
    expect(crossings).toEqual([{ kind: 'overlap', ringA: 0, ringB: 1, vertexA: 0, vertexB: 0, at: [2, 0] }]);
  });

  it('treats a vertex within 1e-10° of an edge as touching, not crossing', () => {
    const outline: LonLat[] = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]];
    const nearly: LonLat[] = [[2, 1e-11], [3, 1], [1, 1], [2, 1e-11]]; // tip a hair above the edge
    expect(findCrossings([outline, nearly]).crossings).toEqual([]);
  });

  it('stops after the limit and says so', () => {
    // A zig-zag band crossed by a long edge: many crossings.
    const ring: LonLat[] = [[0, 0]];
    for (let i = 1; i <= 50; i++) ring.push([i, i % 2 === 0 ? 0 : 2]);
    ring.push([50, -1], [0, 1], [0, 0]);
    const { crossings, truncated } = findCrossings([ring], 5);
    expect(crossings).toHaveLength(5);
    expect(truncated).toBe(true);
  });
});
