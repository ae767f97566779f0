import type { MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { validateGeometry } from '../../../src/geometry/validate';

/**
 * Hostile shapes where thousands of rings, or one ring thousands of times, meet at one point,
 * and thousands of copies of one part. Before the fix the 6,000-petal and 6,000-triangle
 * shapes ran out of memory after 70–90 s ("Map maximum size exceeded": every pair of edges at
 * the shared point was stored), and 20,000 identical squares took about a minute (every pair
 * of parts was compared). The sizes here are those of the review's repro files; there is no
 * timing assertion, but the old code did not finish within vitest's default timeout.
 *
 * Expected outcomes are worked out by hand from the shapes (see each test).
 */

const round9 = (v: number): number => Math.round(v * 1e9) / 1e9;
const onCircle = (a: number): Position => [round9(10 * Math.cos(a)), round9(10 * Math.sin(a))];

/** Petal k: its two tips, at angles 2πk/n and 2π(k + ½)/n, radius 10 (as make-flower.py). */
function tips(k: number, n: number): [Position, Position] {
  return [onCircle((2 * Math.PI * k) / n), onCircle((2 * Math.PI * (k + 0.5)) / n)];
}

/** One ring returning to [0, 0] between petals, visiting the petals in `order`. */
function flower(n: number, order: number[] = Array.from({ length: n }, (_, k) => k)): Polygon {
  const ring: Position[] = [];
  for (const k of order) ring.push([0, 0], ...tips(k, n));
  ring.push([0, 0]);
  return { type: 'Polygon', coordinates: [ring] };
}

/** n thin triangles that all touch at [0, 0] (as make-fan.py). */
function fan(n: number): MultiPolygon {
  return { type: 'MultiPolygon', coordinates: Array.from({ length: n }, (_, k) => [[[0, 0], ...tips(k, n), [0, 0]]]) };
}

function squares(n: number, at: (i: number) => [number, number, number] = () => [0, 0, 1]): MultiPolygon {
  return {
    type: 'MultiPolygon',
    coordinates: Array.from({ length: n }, (_, i) => {
      const [x, y, size] = at(i);
      return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]];
    }),
  };
}

describe('many rings touching at one point', () => {
  it('accepts a ring touching itself at one point 6,000 times (a flower), stored as given', () => {
    // Between petals the ring leaves [0, 0] towards tip k+1 and arrives from tip k + ½: the
    // 6,000 visits take disjoint angular sectors, so the ring touches itself there without
    // crossing, which Outcrop accepts (normalisePolygons). Each petal runs counter-clockwise.
    const geom = flower(6000);
    const r = validateGeometry(geom, {});
    expect(r.problems).toEqual([]);
    expect(r.geometry).toEqual(geom);
  });

  it('accepts 6,000 triangles sharing only one vertex (a fan): OGC lets parts touch at points', () => {
    const geom = fan(6000);
    const r = validateGeometry(geom, {});
    expect(r.problems).toEqual([]);
    expect(r.geometry).toEqual(geom);
  });

  it('finds where the flower crosses itself at the shared point when petals are visited out of order', () => {
    // Petals visited 0, 2, 1, 3, 4, …: at [0, 0] the ring goes tip 0½ → tip 2 (index 3),
    // tip 2½ → tip 1 (index 6) and tip 1½ → tip 3 (index 9). With the tips' angles in the order
    // 0 < 0½ < 1 < 1½ < 2 < 2½ < 3, each pair of these three paths interleaves, so each pair
    // crosses: (3, 6), (3, 9), (6, 9), each named at its later vertex. All other visits take
    // disjoint sectors.
    const expected = [6, 9, 9].map((i) => ({ field: `geometry.coordinates[0][${i}]`, code: 'geometry.outlineCrossesItself', at: '[0, 0]' }));
    const got = (n: number): typeof expected => {
      const order = Array.from({ length: n }, (_, k) => k);
      [order[1], order[2]] = [order[2], order[1]];
      const r = validateGeometry(flower(n, order), {});
      expect(r.geometry).toBeNull();
      return r.problems
        .map((p) => ({ field: p.field ?? '', code: p.code as string, at: p.params?.at as string }))
        .sort((a, b) => a.field.localeCompare(b.field));
    };
    expect(got(6000)).toEqual(expected);
    // The same with 8 petals, few enough visits to be checked pair by pair.
    expect(got(8)).toEqual(expected);
  });

  it('finds a triangle of the fan drawn twice: its three edges overlap part 0', () => {
    // Part 6000 repeats part 0 ([0, 0] → [10, 0] → tip ½ → [0, 0]): each of its three edges
    // lies on one of part 0's, named at the middle of the shared stretch.
    const geom = fan(6000);
    geom.coordinates.push(geom.coordinates[0]);
    const [a, b] = tips(0, 6000);
    const mid = (p: Position, q: Position): string => `[${round6((p[0] + q[0]) / 2)}, ${round6((p[1] + q[1]) / 2)}]`;
    const r = validateGeometry(geom, {});
    expect(r.geometry).toBeNull();
    const got = r.problems.map((p) => ({ code: p.code, part: p.params?.part, otherPart: p.params?.otherPart, at: p.params?.at }));
    const want = [mid([0, 0], a), mid(a, b), mid(b, [0, 0])].map((at) => ({ code: 'geometry.partsShareEdge', part: 6000, otherPart: 0, at }));
    const byAt = (x: { at?: unknown }, y: { at?: unknown }): number => String(x.at).localeCompare(String(y.at));
    expect(got.sort(byAt)).toEqual(want.sort(byAt));
  });
});

function round6(v: number): number {
  const r = Math.round(v * 1e6) / 1e6;
  return Object.is(r, -0) ? 0 : r;
}

describe('many copies of one part', () => {
  it('refuses 20,000 identical squares with the shared-edge problems, capped, as for a dozen', () => {
    // Every pair of copies shares all four edges: far more than the crossing check's 20
    // findings, so it stops there: 10 listed, "… and 10 more", and "more places than listed".
    const codes = (n: number): (string | undefined)[] => {
      const r = validateGeometry(squares(n), {});
      expect(r.geometry).toBeNull();
      return r.problems.map((p) => p.code);
    };
    const want = [...Array<string>(10).fill('geometry.partsShareEdge'), 'geometry.tooManyCrossings', 'geometry.moreOfKind'];
    expect(codes(20000).sort()).toEqual(want.sort());
    expect(codes(12).sort()).toEqual(want.sort());
    const r = validateGeometry(squares(20000), {});
    expect(r.problems.find((p) => p.code === 'geometry.moreOfKind')?.params).toMatchObject({ more: 10, kind: 'crossing' });
    for (const p of r.problems.filter((q) => q.code === 'geometry.partsShareEdge')) {
      expect(p.params?.part).not.toBe(p.params?.otherPart);
      expect(['[0.5, 0]', '[1, 0.5]', '[0.5, 1]', '[0, 0.5]']).toContain(p.params?.at);
    }
  });

  it('reports each of 3,000 nested squares once, inside the first square found around it', () => {
    // Square i runs from i·0.001 to 10 − i·0.001: each lies inside all larger ones, and no
    // edges meet. Part i > 0 is reported once (2,999 problems), not once per larger square.
    const r = validateGeometry(squares(3000, (i) => [i * 0.001, i * 0.001, 10 - 2 * i * 0.001]), {});
    expect(r.geometry).toBeNull();
    const listed = r.problems.filter((p) => p.code === 'geometry.partInsidePart');
    expect(listed).toHaveLength(10);
    expect(r.problems.find((p) => p.code === 'geometry.moreOfKind')?.params).toMatchObject({ more: 2989, kind: 'part' });
    expect(r.problems).toHaveLength(11);
  });

  it('lists a square inside two others once', () => {
    const r = validateGeometry(squares(3, (i) => [i, i, 10 - 2 * i]), {});
    expect(r.problems.map((p) => [p.field, p.code])).toEqual([
      ['geometry.coordinates[1]', 'geometry.partInsidePart'],
      ['geometry.coordinates[2]', 'geometry.partInsidePart'],
    ]);
  });
});
