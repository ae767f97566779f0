import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { booleanPointInPolygon, circle, destination, distance, lineChunk, pointToLineDistance } from '@turf/turf';
import type { Feature, FeatureCollection, LineString, MultiLineString, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { compareSites, type CandidateSite } from '../../../src/compare/compare-sites';
import { prepareInfrastructure, readInfrastructureFile, siteCentre, type InfrastructureLayer } from '../../../src/compare/infrastructure';
import { validateGeometry } from '../../../src/geometry/validate';
import { importFile } from '../../../src/import/import-file';
import { Project } from '../../../src/store/project';
import { sharedPath } from '../../helpers/data';

// Distance to infrastructure from a polygon site is measured from the site itself: 0 when a
// feature touches or crosses it, else from its outline (it was from the centroid). Expected
// values by brute force in this file: lines cut into 10 m pieces, each piece's points tested
// inside the site (Turf point in polygon) or measured to the site's outline (Turf point-to-line).
const ROADS = resolve(__dirname, '../../fixtures/reference/sw-us-infrastructure.geojson');
const roads = JSON.parse(readFileSync(ROADS, 'utf8')) as FeatureCollection;
const box = (w: number, s: number, e: number, n: number): Polygon => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const outline = (p: Polygon): Feature<LineString> => ({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: p.coordinates[0] } });

/** Brute force: the least distance from the polygon to any of the points (0 if one lies inside). */
function bruteKm(site: Polygon, named: { p: Position; name: string }[]): { km: number; name: string } {
  let best = { km: Infinity, name: '' };
  for (const { p, name } of named) {
    const d = booleanPointInPolygon(p, site) ? 0 : pointToLineDistance(p, outline(site), { units: 'kilometers', method: 'geodesic' });
    if (d < best.km) best = { km: d, name };
  }
  return best;
}

/** Brute force from a point. */
const brutePointKm = (c: Position, named: { p: Position }[]) => named.reduce((m, { p }) => Math.min(m, distance(c, p, { units: 'kilometers' })), Infinity);

/** The fixture's features as points every 10 m along their lines. */
const roadPoints = roads.features.flatMap((f) => {
  const name = String(f.properties?.name ?? f.properties?.NAME);
  if (f.geometry.type === 'Point') return [{ p: (f.geometry as Point).coordinates, name }];
  const lines = f.geometry.type === 'LineString' ? [(f.geometry as LineString).coordinates] : (f.geometry as MultiLineString).coordinates;
  return lines.flatMap((l) => lineChunk({ type: 'LineString', coordinates: l }, 0.01, { units: 'kilometers' }).features.flatMap((c) => c.geometry.coordinates.map((p) => ({ p, name }))));
});

// I-15 runs through Mountain Pass (the fixture's line passes within 1 km of -115.53, 35.48).
const ACROSS_I15 = box(-115.58, 35.43, -115.48, 35.53);
// North of Silver City, clear of every line: the 345 kV line passes to its west.
const GILA_BLOCK = box(-108.9, 32.9, -108.4, 33.2);
// Southern Arizona, short of the border: the nearest major Mexican deposits lie south of it.
const BORDER_BLOCK = box(-111.2, 31.5, -110.6, 31.9);

let dir: string;
let project: Project;
let infra: InfrastructureLayer;
const site = (name: string, geometry: Polygon): CandidateSite => ({ id: name, name, geometry });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-poly-infra-'));
  project = Project.open(join(dir, 'p.gpkg'), { create: true });
  await importFile(project, sharedPath('deposits', 'usgs-major-deposits-world.geojson'));
  infra = await readInfrastructureFile(ROADS, 'roads');
});
afterAll(() => {
  project.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('distance to infrastructure from a polygon site', () => {
  it('is 0 for a site a road crosses, and says it touches the site', () => {
    const want = bruteKm(ACROSS_I15, roadPoints);
    expect(want.km).toBe(0);
    const c = compareSites(project, [site('Across I-15', ACROSS_I15), site('Gila block', GILA_BLOCK)], { radiusKm: 20, infrastructure: infra });
    const k = c.scores[0].criteria.find((x) => x.key === 'infrastructure')!;
    expect(k.raw).toBe(0);
    expect(k.explanation).toBe(`nearest roads: ${want.name}, touching the site`);
    expect(want.name).toMatch(/Interstate 15/);
  });

  it('is measured from the outline, not the centroid, for a site clear of every feature', () => {
    const want = bruteKm(GILA_BLOCK, roadPoints);
    const c = compareSites(project, [site('Across I-15', ACROSS_I15), site('Gila block', GILA_BLOCK)], { radiusKm: 20, infrastructure: infra });
    const k = c.scores[1].criteria.find((x) => x.key === 'infrastructure')!;
    // 10 m pieces: the brute force is at most 5 m long.
    expect(Math.abs(k.raw! - want.km)).toBeLessThan(0.01);
    expect(k.explanation).toContain(`nearest roads: ${want.name}, `);
    expect(k.explanation).toMatch(/ km from the site$/);
    // The block is about 47 × 33 km: from its centre the same line is far more than the edge's distance.
    const fromCentre = brutePointKm([-108.65, 33.05], roadPoints);
    expect(fromCentre - k.raw!).toBeGreaterThan(15);
  });

  it('works alike for deposits as infrastructure, scanned or searched through the R*Tree', () => {
    const src = JSON.parse(readFileSync(sharedPath('deposits', 'usgs-major-deposits-world.geojson'), 'utf8')) as FeatureCollection<Point>;
    const mexican = src.features.filter((f) => f.properties?.country === 'Mexico').map((f) => ({ p: f.geometry.coordinates, name: String(f.properties?.name) }));
    expect(mexican.length).toBeGreaterThan(50);
    const want = bruteKm(BORDER_BLOCK, mexican);
    expect(want.km).toBeGreaterThan(0);
    const layer: InfrastructureLayer = { kind: 'deposits', label: 'Mexican deposit', filter: { country: ['Mexico'] } };
    // 84 deposits: the default loads them once and scans; a limit of 10 makes it use the R*Tree.
    for (const scanLimit of [undefined, 10]) {
      const got = prepareInfrastructure(project, layer, scanLimit)(BORDER_BLOCK)!;
      expect(Math.abs(got.distanceKm - want.km)).toBeLessThan(1e-6);
      expect(got.name).toBe(want.name);
    }
    // A point site is still measured from the point.
    const p: Position = [-110.9, 31.7];
    expect(prepareInfrastructure(project, layer)(p)!.distanceKm).toBeCloseTo(brutePointKm(p, mexican), 6);
  });

  it('takes sites and features of hundreds of thousands of vertices (no spread of every vertex)', () => {
    // A 10 km circle of 150,000 vertices, and a port 30 km from its centre: 20 km from its outline.
    const centre: Position = [-114.05, 35.19];
    const ring = circle(centre, 10, { steps: 150_000, units: 'kilometers' }).geometry;
    const port = destination(centre, 30, 90, { units: 'kilometers' }).geometry.coordinates;
    const layer: InfrastructureLayer = { kind: 'features', label: 'port', features: [{ type: 'Feature', properties: { name: 'Port' }, geometry: { type: 'Point', coordinates: port } }] };
    const got = prepareInfrastructure(project, layer)(ring)!;
    expect(got.name).toBe('Port');
    expect(Math.abs(got.distanceKm - 20)).toBeLessThan(0.01);
    // A feature of 200,000 points, measured from a point.
    const many: Position[] = Array.from({ length: 200_000 }, (_, i) => [-100 + (i % 1000) / 100, 30 + Math.floor(i / 1000) / 100]);
    const cloud: InfrastructureLayer = { kind: 'features', label: 'cloud', features: [{ type: 'Feature', properties: { name: 'Cloud' }, geometry: { type: 'MultiPoint', coordinates: many } }] };
    const from: Position = [-101, 29];
    expect(prepareInfrastructure(project, cloud)(from)!.distanceKm).toBeCloseTo(brutePointKm(from, many.map((p) => ({ p }))), 9);
  });

  it('searches around a site split at ±180 from its real middle, not from half a world away', () => {
    // A block of Fiji's Vanua Levu region across the antimeridian, stored split in two (as every area is).
    const fiji = validateGeometry({ type: 'Polygon', coordinates: [[[179, -17], [-179, -17], [-179, -16], [179, -16], [179, -17]]] }, { file: 'test' }).geometry as MultiPolygon;
    expect(fiji.type).toBe('MultiPolygon');
    const mid = siteCentre(fiji);
    expect(distance(mid, [180, -16.5], { units: 'kilometers' })).toBeLessThan(1);
    // A port 1° east of the block's eastern edge: 1° of longitude at 16.5° S from it.
    const layer: InfrastructureLayer = { kind: 'features', label: 'port', features: [{ type: 'Feature', properties: { name: 'Port' }, geometry: { type: 'Point', coordinates: [-178, -16.5] } }] };
    const got = prepareInfrastructure(project, layer)(fiji)!;
    const want = pointToLineDistance([-178, -16.5], { type: 'LineString', coordinates: [[-179, -17], [-179, -16]] }, { units: 'kilometers', method: 'geodesic' });
    expect(Math.abs(got.distanceKm - want)).toBeLessThan(1e-6);
    expect(want).toBeGreaterThan(100);
  });
});

