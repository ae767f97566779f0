import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distance, pointToLineDistance } from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSitesFile } from '../../../src/store/sites-file';
import { distanceToGeometryKm, readInfrastructureFile } from '../../../src/compare/infrastructure';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-compare-inputs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, v: unknown) => {
  const f = join(dir, name);
  writeFileSync(f, JSON.stringify(v));
  return f;
};

describe('readSitesFile', () => {
  it('reads roles, commodity names, permit stage; keeps other properties as extra', async () => {
    const f = write('sites.geojson', {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', id: 'kamaishi-1', properties: { name: 'Kamaishi', roles: ['separation', 'magnet'], target_commodities: 'neodymium; Dy', permit_stage: 'applied', owner: 'JOGMEC' }, geometry: { type: 'Point', coordinates: [141.88, 39.27] } },
        { type: 'Feature', properties: { name: 'Fiji block', roles: 'mine' }, geometry: { type: 'Polygon', coordinates: [[[179, -17], [-179, -17], [-179, -16], [179, -16], [179, -17]]] } },
      ],
    });
    const [a, b] = await readSitesFile(f);
    expect(a.id).toBe('kamaishi-1');
    expect(a.fields.roles).toEqual(['separation', 'magnet']);
    expect(a.fields.targetCommodities).toEqual(['Nd', 'Dy']);
    expect(a.fields.permitStage).toBe('applied');
    expect(a.fields.extra).toEqual({ owner: 'JOGMEC' });
    expect(b.geometry.type).toBe('MultiPolygon'); // split at the antimeridian
  });

  it('names the feature and the field in errors', async () => {
    const bad = (props: object, geometry: object = { type: 'Point', coordinates: [0, 0] }) =>
      readSitesFile(write('bad.geojson', { type: 'FeatureCollection', features: [{ type: 'Feature', properties: props, geometry }] }));
    await expect(bad({ name: 'x', roles: 'smelter' })).rejects.toThrow(/bad\.geojson: feature 0: "roles": "smelter" is not a site role/);
    await expect(bad({ name: 'x', target_commodities: 'unobtainium' })).rejects.toThrow(/"target_commodities": "unobtainium"/);
    await expect(bad({})).rejects.toThrow(/"name": every site needs a name/);
    await expect(bad({ name: 'x' }, { type: 'LineString', coordinates: [[0, 0], [1, 1]] })).rejects.toThrow(/"geometry": a site must be a Point/);
  });
});

describe('infrastructure from a GeoJSON file', () => {
  it('distance to points, lines (geodesic) and polygons (0 inside)', async () => {
    const f = write('infra.geojson', {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { name: 'Port of Kamaishi' }, geometry: { type: 'Point', coordinates: [141.9, 39.27] } },
        { type: 'Feature', properties: { name: 'Route 45' }, geometry: { type: 'LineString', coordinates: [[141.5, 39.0], [141.5, 39.6]] } },
      ],
    });
    const layer = await readInfrastructureFile(f);
    expect(layer.kind).toBe('features');
    const p = [141.88, 39.27];
    expect(distanceToGeometryKm(p, { type: 'Point', coordinates: [141.9, 39.27] })).toBeCloseTo(distance(p, [141.9, 39.27]), 6);
    const line = { type: 'LineString' as const, coordinates: [[141.5, 39.0], [141.5, 39.6]] };
    expect(distanceToGeometryKm(p, line)).toBeCloseTo(pointToLineDistance(p, line, { units: 'kilometers', method: 'geodesic' }), 6);
    expect(distanceToGeometryKm([0.5, 0.5], { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] })).toBe(0);
  });
});
