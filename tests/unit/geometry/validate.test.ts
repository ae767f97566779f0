import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Feature, FeatureCollection, Geometry, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { validateGeometry } from '../../../src/geometry/validate';

/**
 * Fixture-driven rule tests. Each rule has tests/fixtures/validation/<rule>/bad.geojson (every
 * feature must fail) and, where useful, good.geojson (every feature must pass). Expectations
 * ride in each feature's properties and were written by hand:
 *   expect: [{ field, message }]  exact field, message as a substring, in any order
 *   expectGeometry                the stored geometry (else: the input, unchanged)
 *   expectBboxes                  [w, s, e, n] of each stored polygon's outline
 *   expectDroppedZ                true when elevations must be dropped
 */
const FIXTURES = fileURLToPath(new URL('../../fixtures/validation/', import.meta.url));

interface Expect {
  field: string;
  message: string;
}

function load(rule: string, name: string): Feature[] {
  const fc = JSON.parse(readFileSync(join(FIXTURES, rule, name), 'utf8')) as FeatureCollection;
  return fc.features;
}

const rules = readdirSync(FIXTURES).sort();

describe('validateGeometry: one fixture folder per rule', () => {
  it('has a bad.geojson for every rule except the silent fixes', () => {
    const withoutBad = rules.filter((r) => !readdirSync(join(FIXTURES, r)).includes('bad.geojson'));
    expect(withoutBad).toEqual(['winding']);
    expect(rules.length).toBeGreaterThanOrEqual(18);
  });

  for (const rule of rules) {
    const files = readdirSync(join(FIXTURES, rule));
    if (files.includes('bad.geojson')) {
      describe(`${rule}/bad.geojson`, () => {
        for (const [i, f] of load(rule, 'bad.geojson').entries()) {
          const props = f.properties as { description: string; expect: Expect[] };
          it(`${i}: ${props.description}`, () => {
            const r = validateGeometry(f.geometry, { file: 'bad.geojson', featureIndex: i });
            expect(r.geometry).toBeNull();
            expect(props.expect.length).toBeGreaterThan(0);
            expect(r.problems.map((p) => p.field).sort()).toEqual(props.expect.map((e) => e.field).sort());
            for (const e of props.expect) {
              const match = r.problems.find((p) => p.field === e.field && p.message.includes(e.message));
              expect(match, `no problem on ${e.field} saying "${e.message}"; got ${JSON.stringify(r.problems.map((p) => p.message))}`).toBeDefined();
            }
            for (const p of r.problems) {
              expect(p.file).toBe('bad.geojson');
              expect(p.featureIndex).toBe(i);
            }
          });
        }
      });
    }
    if (files.includes('good.geojson')) {
      describe(`${rule}/good.geojson`, () => {
        for (const [i, f] of load(rule, 'good.geojson').entries()) {
          const props = f.properties as { description: string; expectGeometry?: Geometry; expectBboxes?: number[][]; expectDroppedZ?: boolean };
          it(`${i}: ${props.description}`, () => {
            const r = validateGeometry(f.geometry, { featureIndex: i });
            expect(r.problems).toEqual([]);
            expect(r.droppedZ).toBe(props.expectDroppedZ ?? false);
            if (props.expectBboxes) {
              expect(r.geometry?.type).toBe('MultiPolygon');
              const polys = (r.geometry as { coordinates: number[][][][] }).coordinates;
              expect(polys.map((p) => bbox(p[0])).sort()).toEqual(props.expectBboxes.slice().sort());
            } else {
              expect(r.geometry).toEqual(props.expectGeometry ?? f.geometry);
            }
          });
        }
      });
    }
  }
});

describe('validateGeometry: contract', () => {
  it('takes null as "no location": no geometry, no problem', () => {
    expect(validateGeometry(null, {})).toEqual({ geometry: null, problems: [], droppedZ: false });
  });

  it('reports a missing geometry (undefined) on field "geometry"', () => {
    const r = validateGeometry(undefined, {});
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].field).toBe('geometry');
  });

  it('copies file, feature index and feature id onto every problem', () => {
    const r = validateGeometry({ type: 'Point', coordinates: [200, 100] }, { file: 'sites.geojson', featureIndex: 12, featureId: 'dep-7' });
    expect(r.problems).toEqual([
      {
        file: 'sites.geojson',
        featureIndex: 12,
        featureId: 'dep-7',
        field: 'geometry.coordinates',
        message: 'longitude 200 is outside −180…180 and latitude 100 is outside −90…90',
        code: 'coord.bothOutOfRange',
        params: { lon: 200, lat: 100 },
      },
    ]);
  });

  it('does not modify its input (winding fix, Z drop and antimeridian split work on copies)', () => {
    const inputs: unknown[] = [
      { type: 'Polygon', coordinates: [[[0, 0, 5], [0, 1, 5], [1, 1, 5], [1, 0, 5], [0, 0, 5]]] },
      { type: 'Polygon', coordinates: [[[177, -16], [-179, -16], [-179, -19], [177, -19], [177, -16]]] },
      { type: 'MultiPolygon', coordinates: [[[[0, 0], [0, 1], [1, 1], [0, 0]]]] },
      { type: 'Point', coordinates: [1, 2, 3] },
    ];
    for (const g of inputs) {
      const before = structuredClone(g);
      deepFreeze(g);
      validateGeometry(g, {});
      expect(g).toEqual(before);
    }
  });

  it('never returns arrays shared with the input', () => {
    const g: Polygon = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] };
    const r = validateGeometry(g, {});
    const out = r.geometry as Polygon;
    expect(out).toEqual(g);
    expect(out.coordinates[0][0]).not.toBe(g.coordinates[0][0]);
  });

  it('keeps points and lines as given, 2D', () => {
    expect(validateGeometry({ type: 'Point', coordinates: [-115.5322, 35.4781, 1440] }, {})).toEqual({
      geometry: { type: 'Point', coordinates: [-115.5322, 35.4781] },
      problems: [],
      droppedZ: true,
    });
    expect(validateGeometry({ type: 'MultiLineString', coordinates: [[[0, 0], [1, 1]], [[2, 2], [3, 3]]] }, {}).geometry).toEqual({
      type: 'MultiLineString',
      coordinates: [[[0, 0], [1, 1]], [[2, 2], [3, 3]]],
    });
  });

  it('drops foreign members and bbox from the stored geometry', () => {
    const r = validateGeometry({ type: 'Point', coordinates: [1, 2], bbox: [1, 2, 1, 2], name: 'x' }, {});
    expect(r.geometry).toEqual({ type: 'Point', coordinates: [1, 2] });
  });

  it('caps position problems at 10 and says how many more there are', () => {
    const line = Array.from({ length: 25 }, (_, i) => [200 + i, 0]);
    const r = validateGeometry({ type: 'LineString', coordinates: line }, {});
    expect(r.problems).toHaveLength(11);
    expect(r.problems[0].field).toBe('geometry.coordinates[0]');
    expect(r.problems[9].field).toBe('geometry.coordinates[9]');
    expect(r.problems[10].message).toContain('15 more position problems');
  });

  it('validates a 200 000-vertex ring in well under a second (no quadratic step)', () => {
    // A circle of radius 1° round (10, 10): simple, so there must be no problems.
    const n = 200_000;
    const ring = Array.from({ length: n }, (_, i) => {
      const a = (2 * Math.PI * i) / n;
      return [10 + Math.cos(a), 10 + Math.sin(a)];
    });
    ring.push(ring[0]);
    const t0 = performance.now();
    const r = validateGeometry({ type: 'Polygon', coordinates: [ring] }, {});
    const ms = performance.now() - t0;
    expect(r.problems).toEqual([]);
    expect(ms).toBeLessThan(1500);
  });

  it('finds the one crossing in a 100 000-vertex comb', () => {
    // A saw-tooth outline whose last tooth is pulled across its neighbour.
    const teeth = 50_000;
    const ring: number[][] = [[0, 0]];
    for (let i = 0; i < teeth; i++) ring.push([i * 1e-4 + 0.5e-4, 1], [i * 1e-4 + 1e-4, 0.5]);
    ring.push([teeth * 1e-4, 0], [0, 0]);
    const ok = validateGeometry({ type: 'Polygon', coordinates: [ring] }, {});
    expect(ok.problems).toEqual([]);
    // Move tooth tip 100 west past tip 99: edges (98→99 tip) and (100 valley→tip) now cross.
    const bent = ring.map((p) => p.slice());
    bent[201] = [99 * 1e-4 + 0.2e-4, 1];
    const bad = validateGeometry({ type: 'Polygon', coordinates: [bent] }, {});
    expect(bad.problems.length).toBeGreaterThan(0);
    expect(bad.problems.every((p) => p.message.includes('outline crosses itself'))).toBe(true);
  });
});

function bbox(ring: number[][]): number[] {
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function deepFreeze(o: unknown): void {
  if (o && typeof o === 'object') {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
}
