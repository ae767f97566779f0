import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { bbox as turfBBox, bboxPolygon, booleanIntersects, booleanPointInPolygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { getTile, SURVEY_BUFFER } from '../../../src/tiles';
import { decodeTile, insertSurveys, mercator, readSurveySources, type SurveySource, useTestProject } from './real-data';

// Real data: 13 USGS Earth MRI ctx.project areas (MultiPolygons with holes, heavily overlapping)
// and the 47 Japanese prefectures (many islands).
const surveys = readSurveySources();
const ctx = useTestProject('survey-tiles', (p) => insertSurveys(p, surveys));

const EXTENT = 4096;

function tileOf(z: number, p: Position): [number, number] {
  const [wx, wy] = mercator(p[0], p[1]);
  const n = 2 ** z;
  return [Math.min(n - 1, Math.floor(wx * n)), Math.min(n - 1, Math.floor(wy * n))];
}

/** The tile grown by the buffer, as a lon/lat box, from the test's own inverse Mercator. */
function bufferedBox(z: number, x: number, y: number, buffer = SURVEY_BUFFER): [number, number, number, number] {
  const n = 2 ** z;
  const b = buffer / EXTENT;
  const lng = (wx: number) => wx * 360 - 180;
  const lat = (wy: number) => (Math.atan(Math.sinh(Math.PI * (1 - 2 * wy))) * 180) / Math.PI;
  return [lng((x - b) / n), lat((y + 1 + b) / n), lng((x + 1 + b) / n), lat((y - b) / n)];
}

function decodedSurveys(z: number, x: number, y: number) {
  const buf = getTile(ctx.project, 'surveys', z, x, y);
  if (!buf) return [];
  const t = decodeTile(buf);
  expect(Object.keys(t.layers)).toEqual(['surveys']);
  const layer = t.layers.surveys;
  return Array.from({ length: layer.length }, (_, i) => layer.feature(i));
}

function boxesMeet(a: number[], b: number[]): boolean {
  return a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];
}

describe('survey tiles', () => {
  it('decode back to polygons that contain a known interior point of each survey', () => {
    let checked = 0;
    for (const s of surveys) {
      const interior = deepInteriorPoint(s.geometry);
      for (const z of [4, 7, 10]) {
        const [x, y] = tileOf(z, interior);
        const features = decodedSurveys(z, x, y);
        const f = features.find((g) => g.properties.id === s.id);
        expect(f, `${s.name} in ${z}/${x}/${y}`).toBeDefined();
        expect(f!.type).toBe(3);
        expect(f!.properties.name).toBe(s.name);
        expect(f!.properties.agency).toBe(s.agency);
        const g = f!.toGeoJSON(x, y, z) as Feature<Polygon | MultiPolygon>;
        expect(booleanPointInPolygon(interior, g.geometry), `${s.name}: ${interior} in ${z}/${x}/${y}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(surveys.length * 3);
  });

  it('hold exactly the surveys that meet the tile, and only ones whose bbox meets it', () => {
    const places: Position[] = [[-106.65, 33.0], [-108.5, 32.3], [-111.9, 33.4], [139.7671, 35.6812], [141.35, 43.06], [127.68, 26.21]];
    let seen = 0;
    for (const place of places) {
      for (const z of [5, 8, 11]) {
        const [x, y] = tileOf(z, place);
        const box = bufferedBox(z, x, y);
        const tileBox = bufferedBox(z, x, y, 0);
        const got = new Set(decodedSurveys(z, x, y).map((f) => String(f.properties.id)));
        for (const s of surveys) {
          const meetsBox = boxesMeet(turfBBox(s.geometry), box);
          if (!meetsBox) expect(got.has(s.id!), `${s.name} in ${z}/${x}/${y}`).toBe(false);
          // A survey that really overlaps the tile itself (not just its buffer) must be there.
          if (booleanIntersects(bboxPolygon(tileBox), s.geometry) && polygonAreaInTileIsVisible(s, z)) {
            expect(got.has(s.id!), `${s.name} missing from ${z}/${x}/${y}`).toBe(true);
          }
        }
        seen += got.size;
      }
    }
    expect(seen).toBeGreaterThan(20);
  });

  it('Tokyo Station lies in Tokyo To on the z9 tile', () => {
    const tokyo: Position = [139.7671, 35.6812];
    const [x, y] = tileOf(9, tokyo);
    const containing = decodedSurveys(9, x, y).filter((f) =>
      booleanPointInPolygon(tokyo, (f.toGeoJSON(x, y, 9) as Feature<Polygon | MultiPolygon>).geometry),
    );
    expect(containing.map((f) => f.properties.name)).toEqual(['Tokyo To']);
  });

  it('draws a survey stored split at ±180° on both edge tiles and across their buffers', async () => {
    // Around Taveuni, Fiji (a real MinMod site lies at 179.958 E): 179.8 E … 179.8 W, stored as two parts.
    const split: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [
        [[[179.8, -17], [180, -17], [180, -16.5], [179.8, -16.5], [179.8, -17]]],
        [[[-180, -17], [-179.8, -17], [-179.8, -16.5], [-180, -16.5], [-180, -17]]],
      ],
    };
    const fiji: SurveySource = { name: 'Taveuni strait (split)', agency: 'test', geometry: split };
    await insertSurveys(ctx.project, [fiji]);
    try {
      for (const z of [2, 5, 8]) { // at z0 a 0.2° strip is 2 units wide and simplifies away
        const n = 2 ** z;
        const [, y] = tileOf(z, [179.9, -16.75]);
        for (const [x, inside] of [[n - 1, [179.9, -16.75]], [0, [-179.9, -16.75]]] as [number, Position][]) {
          // geojson-vt's wrapping adds the far side as a second feature with the same id.
          const fs = decodedSurveys(z, x, y).filter((g) => g.properties.id === fiji.id);
          expect(fs.length, `z${z} x${x}`).toBeGreaterThan(0);
          const hit = fs.some((f) => booleanPointInPolygon(inside, (f.toGeoJSON(x, y, z) as Feature<Polygon | MultiPolygon>).geometry));
          expect(hit, `z${z} x${x}`).toBe(true);
          // The buffer holds the other side's part too, so the edge of the tile is covered.
          const xs = fs.flatMap((f) => f.loadGeometry().flat().map((p) => p.x));
          if (x === 0) expect(Math.min(...xs)).toBeLessThan(0);
          else expect(Math.max(...xs)).toBeGreaterThan(EXTENT);
          expect(Math.min(...xs)).toBeGreaterThanOrEqual(-SURVEY_BUFFER);
          expect(Math.max(...xs)).toBeLessThanOrEqual(EXTENT + SURVEY_BUFFER);
        }
      }
    } finally {
      await ctx.project.write('test', 'remove split survey', (w) => w.delete('surveys', fiji.id!));
    }
  });

  it('returns null over open ocean', () => {
    expect(getTile(ctx.project, 'surveys', 6, ...tileOf(6, [-150, -30]))).toBeNull();
    expect(getTile(ctx.project, 'surveys', 0, 0, 0, { filter: { country: ['Atlantis'] } })).toBeNull();
  });

  it('covers the world at z0 with every survey', () => {
    const ids = new Set(decodedSurveys(0, 0, 0).map((f) => String(f.properties.id)));
    // geojson-vt drops rings under 3 × 3 tile units; demand the surveys with a part well above that.
    const big = surveys.filter((s) => largestPartUnits(s.geometry, 0) > 100);
    expect(big.length).toBeGreaterThan(40);
    for (const s of big) expect(ids.has(s.id!), s.name).toBe(true);
  });
});

/** geojson-vt drops rings under about a pixel; only demand surveys with a part larger than a few pixels. */
function polygonAreaInTileIsVisible(s: SurveySource, z: number): boolean {
  return largestPartUnits(s.geometry, z) > 64 * 64;
}

/** Bounding-box area of the largest polygon part, in square tile units at zoom z. */
function largestPartUnits(g: Polygon | MultiPolygon, z: number): number {
  const parts = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let best = 0;
  for (const part of parts) {
    const b = turfBBox({ type: 'Polygon', coordinates: part });
    const [x0, y0] = mercator(b[0], b[3]);
    const [x1, y1] = mercator(b[2], b[1]);
    const scale = 2 ** z * EXTENT;
    best = Math.max(best, (x1 - x0) * scale * (y1 - y0) * scale);
  }
  return best;
}

/**
 * A point well inside the survey: on a 40 × 40 grid over its largest part's box, the inside
 * point farthest from every edge (planar degrees, good enough to stay clear of simplification).
 */
function deepInteriorPoint(g: Polygon | MultiPolygon): Position {
  const parts = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const largest = parts
    .map((p) => ({ p, b: turfBBox({ type: 'Polygon', coordinates: p }) }))
    .sort((a, b) => (b.b[2] - b.b[0]) * (b.b[3] - b.b[1]) - (a.b[2] - a.b[0]) * (a.b[3] - a.b[1]))[0];
  const [w, s, e, n] = largest.b;
  let best: Position = [NaN, NaN];
  let bestD = -1;
  for (let i = 1; i < 40; i++) {
    for (let j = 1; j < 40; j++) {
      const p: Position = [w + ((e - w) * i) / 40, s + ((n - s) * j) / 40];
      if (!booleanPointInPolygon(p, g)) continue;
      let d = Infinity;
      for (const ring of parts.flat()) {
        for (let k = 1; k < ring.length; k++) d = Math.min(d, segmentDistance(p, ring[k - 1], ring[k]));
      }
      if (d > bestD) [best, bestD] = [p, d];
    }
  }
  return best;
}

function segmentDistance(p: Position, a: Position, b: Position): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len = dx * dx + dy * dy;
  const t = len ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len)) : 0;
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}
