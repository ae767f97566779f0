import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Feature, FeatureCollection, Geometry, LineString, MultiPolygon, Polygon, Position } from 'geojson';
import { bbox as turfBBox, bboxPolygon, booleanIntersects, booleanPointInPolygon, length as turfLength, lineString } from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importReferenceLayer } from '../../../src/import/reference-layer';
import { emptyDepositFields } from '../../../src/model/defaults';
import { Project } from '../../../src/store/project';
import { deleteReferenceLayers, storeReferenceLayer, type ReferenceRole } from '../../../src/store/reference-layers';
import { getTile, REFERENCE_BUFFER } from '../../../src/tiles';
import { sharedPath } from '../../helpers/data';
import { decodeTile, mercator, useTestProject } from './real-data';

// The fixtures' roads, a port and a power line (infrastructure) and two protected areas
// (exclusion), plus the 13 real USGS Earth MRI project areas stored as a third layer
// (MultiPolygons with holes, overlapping: many tiles, clipping, simplification).
const FIX = resolve(__dirname, '../../fixtures/reference');
const ROADS = join(FIX, 'sw-us-infrastructure.geojson');
const PARKS = join(FIX, 'sw-us-protected-areas.geojson');
const MRI = sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson');
const EXTENT = 4096;

interface Expected {
  layer: string;
  role: ReferenceRole;
  name: string;
  geometry: Geometry;
}

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as FeatureCollection;
const nameOf = (f: Feature) => String(f.properties?.name ?? f.properties?.NAME ?? f.properties?.pname);
const expected: Expected[] = [
  ...read(ROADS).features.map((f) => ({ layer: 'sw-us-infrastructure', role: 'infrastructure' as const, name: nameOf(f), geometry: f.geometry })),
  ...read(PARKS).features.map((f) => ({ layer: 'sw-us-protected-areas', role: 'exclusion' as const, name: nameOf(f), geometry: f.geometry })),
  ...read(MRI).features.map((f) => ({ layer: 'Earth MRI projects', role: 'exclusion' as const, name: `${nameOf(f)} (${f.properties?.pid})`, geometry: f.geometry })),
];
const key = (layer: unknown, name: unknown) => `${String(layer)}|${String(name)}`;

const ctx = useTestProject('reference-tiles', async (p) => {
  await importReferenceLayer(p, ROADS, { role: 'infrastructure' });
  await importReferenceLayer(p, PARKS, { role: 'exclusion' });
  const mri = expected.filter((e) => e.layer === 'Earth MRI projects');
  // Stored as they are (one of them crosses itself, which the file importer would refuse).
  await storeReferenceLayer(p, { name: 'Earth MRI projects', role: 'exclusion', sourceFile: 'usgs-earthmri-projects-nm-sw.geojson' }, (async function* () {
    for (const e of mri) yield { name: e.name, geometry: e.geometry, properties: {} };
  })());
});

function tileOf(z: number, p: Position): [number, number] {
  const [wx, wy] = mercator(p[0], p[1]);
  const n = 2 ** z;
  return [Math.min(n - 1, Math.floor(wx * n)), Math.min(n - 1, Math.floor(wy * n))];
}

/** The tile grown by `buffer` units (negative: shrunk), as a lon/lat box, from the test's own inverse Mercator. */
function tileBox(z: number, x: number, y: number, buffer: number): [number, number, number, number] {
  const n = 2 ** z;
  const b = buffer / EXTENT;
  const lng = (wx: number) => wx * 360 - 180;
  const lat = (wy: number) => (Math.atan(Math.sinh(Math.PI * (1 - 2 * wy))) * 180) / Math.PI;
  return [lng((x - b) / n), lat((y + 1 + b) / n), lng((x + 1 + b) / n), lat((y - b) / n)];
}

function decoded(project: Project, z: number, x: number, y: number) {
  const buf = getTile(project, 'reference', z, x, y);
  if (!buf) return [];
  const t = decodeTile(buf);
  expect(Object.keys(t.layers)).toEqual(['reference']);
  const layer = t.layers.reference;
  return Array.from({ length: layer.length }, (_, i) => layer.feature(i));
}

function boxesMeet(a: number[], b: number[]): boolean {
  return a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];
}

/** Size of a geometry's largest extent in tile units at zoom z (geojson-vt drops what is under a few units). */
function sizeUnits(g: Geometry, z: number): number {
  const b = turfBBox(g);
  const [x0, y0] = mercator(b[0], b[3]);
  const [x1, y1] = mercator(b[2], b[1]);
  return Math.max(x1 - x0, y1 - y0) * 2 ** z * EXTENT;
}

const MVT_TYPE = { Point: 1, MultiPoint: 1, LineString: 2, MultiLineString: 2, Polygon: 3, MultiPolygon: 3 } as Record<string, number>;

describe('reference-layer tiles', () => {
  it('hold exactly the features that meet the tile (none whose bbox misses it), with layer, role, name and geometry type', () => {
    // Mojave, Long Beach, the Hidalgo line, the Gila, I-10 near Las Cruces, Earth MRI areas in NM and AZ.
    const places: Position[] = [[-115.5, 35.2], [-118.21, 33.75], [-109.0, 32.65], [-108.4, 33.2], [-107.2, 32.3], [-106.65, 33.0], [-111.9, 33.4]];
    let seen = 0;
    for (const place of places) {
      for (const z of [3, 6, 9, 12]) {
        const [x, y] = tileOf(z, place);
        const buffered = tileBox(z, x, y, REFERENCE_BUFFER);
        // Well inside the tile (an eighth of it in from each edge): whatever crosses this is drawn.
        const inner = bboxPolygon(tileBox(z, x, y, -EXTENT / 8));
        const features = decoded(ctx.project, z, x, y);
        const got = new Set(features.map((f) => key(f.properties.layer, f.properties.name)));
        for (const f of features) {
          const e = expected.find((x) => key(x.layer, x.name) === key(f.properties.layer, f.properties.name));
          expect(e, `unexpected ${f.properties.layer} / ${f.properties.name} in ${z}/${x}/${y}`).toBeDefined();
          expect(f.properties.role).toBe(e!.role);
          expect(f.type).toBe(MVT_TYPE[e!.geometry.type]);
        }
        for (const e of expected) {
          const k = key(e.layer, e.name);
          if (!boxesMeet(turfBBox(e.geometry), buffered)) expect(got.has(k), `${k} in ${z}/${x}/${y}`).toBe(false);
          const visible = e.geometry.type === 'Point' || sizeUnits(e.geometry, z) > 64;
          if (visible && booleanIntersects(inner, e.geometry)) expect(got.has(k), `${k} missing from ${z}/${x}/${y}`).toBe(true);
        }
        seen += got.size;
      }
    }
    expect(seen).toBeGreaterThan(40);
  });

  it('leaves out lines and areas smaller than half a pixel at the zoom, never points', async () => {
    // A 0.0024° × 0.00169° (~220 × 190 m) box near Kingman, AZ, a track as long beside it and a
    // well head, in their own layer. At z7 the box spans 3.5 units across and 3.0 up (sec 35° ×
    // 0.00169° × 2^7 × 4096 / 360), the track 3.5: geojson-vt alone would keep them (its
    // tolerance is 3), the 4-unit rule leaves them out before anything is decoded.
    const sq: Polygon = { type: 'Polygon', coordinates: [[[-114.05, 35.19], [-114.0476, 35.19], [-114.0476, 35.19169], [-114.05, 35.19169], [-114.05, 35.19]]] };
    const track: LineString = { type: 'LineString', coordinates: [[-114.047, 35.1915], [-114.0446, 35.1915]] };
    const well = { type: 'Point' as const, coordinates: [-114.046, 35.1912] };
    await storeReferenceLayer(ctx.project, { name: 'tiny', role: 'infrastructure', sourceFile: 'test' }, (async function* () {
      yield { name: 'square', geometry: sq, properties: {} };
      yield { name: 'track', geometry: track, properties: {} };
      yield { name: 'well', geometry: well, properties: {} };
    })());
    try {
      for (const z of [3, 6, 7, 8, 10, 12, 14]) {
        const [x, y] = tileOf(z, [-114.047, 35.191]);
        const names = decoded(ctx.project, z, x, y).filter((f) => f.properties.layer === 'tiny').map((f) => f.properties.name).sort();
        // 0.0024° wide: (0.0024 / 360) × 2^z × 4096 units; 4 units is the least put in a tile.
        const units = (0.0024 / 360) * 2 ** z * EXTENT;
        expect(names, `z${z} (${units.toFixed(2)} units)`).toEqual(units >= 4 ? ['square', 'track', 'well'] : ['well']);
      }
    } finally {
      await deleteReferenceLayers(ctx.project, ['tiny']);
    }
    // Near the pole a degree of latitude is tall: a box 0.0099° wide (3.6 units at z5) but 0.008°
    // high at 70° N (0.008 × sec 70° × 2^5 × 4096 / 360 = 8.5 units) is drawn.
    const tall: Polygon = { type: 'Polygon', coordinates: [[[-150, 70], [-149.9901, 70], [-149.9901, 70.008], [-150, 70.008], [-150, 70]]] };
    await storeReferenceLayer(ctx.project, { name: 'tall', role: 'exclusion', sourceFile: 'test' }, (async function* () {
      yield { name: 'tall box', geometry: tall, properties: {} };
    })());
    try {
      expect(sizeUnits(tall, 5)).toBeGreaterThan(8);
      const [x, y] = tileOf(5, [-149.995, 70.004]);
      expect(decoded(ctx.project, 5, x, y).map((f) => f.properties.name)).toContain('tall box');
    } finally {
      await deleteReferenceLayers(ctx.project, ['tall']);
    }
  });

  it('puts the port where it is and the protected area around its interior', () => {
    const port: Position = [-118.21, 33.75];
    for (const z of [5, 10, 14]) {
      const [x, y] = tileOf(z, port);
      const f = decoded(ctx.project, z, x, y).find((g) => g.properties.name === 'Port of Long Beach');
      expect(f, `z${z}`).toBeDefined();
      const p = f!.loadGeometry()[0][0];
      const [wx, wy] = mercator(port[0], port[1]);
      const n = 2 ** z;
      expect(Math.abs(p.x - (wx * n - x) * EXTENT), `z${z} x`).toBeLessThanOrEqual(1);
      expect(Math.abs(p.y - (wy * n - y) * EXTENT), `z${z} y`).toBeLessThanOrEqual(1);
    }
    const inside: Position = [-115.5, 35.2]; // inside the Mojave outline of the fixture, checked below by turf
    const mojave = expected.find((e) => e.name.startsWith('Mojave'))!;
    expect(booleanPointInPolygon(inside, mojave.geometry as Polygon)).toBe(true);
    for (const z of [6, 9, 12]) {
      const [x, y] = tileOf(z, inside);
      const f = decoded(ctx.project, z, x, y).find((g) => g.properties.name === mojave.name);
      expect(f, `z${z}`).toBeDefined();
      expect(booleanPointInPolygon(inside, (f!.toGeoJSON(x, y, z) as Feature<Polygon | MultiPolygon>).geometry), `z${z}`).toBe(true);
    }
  });

  it('carry the roads as lines as long as the real ones (clipped pieces add up)', () => {
    // I-15 at z7: the sum of the clipped pieces over the tiles it crosses is its whole length.
    const i15 = expected.find((e) => e.name.startsWith('Interstate 15'))!;
    const z = 7;
    const b = turfBBox(i15.geometry);
    const [x0, y0] = tileOf(z, [b[0], b[3]]);
    const [x1, y1] = tileOf(z, [b[2], b[1]]);
    let km = 0;
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        for (const f of decoded(ctx.project, z, x, y).filter((g) => g.properties.name === i15.name)) {
          // Only the part inside the tile proper (not its buffer, which the neighbours hold too).
          for (const line of f.loadGeometry()) {
            for (let i = 1; i < line.length; i++) {
              const seg = clipSegment(line[i - 1], line[i]);
              if (seg) km += turfLength(lineString([unproject(z, x, y, seg[0]), unproject(z, x, y, seg[1])]));
            }
          }
        }
      }
    }
    // Tile coordinates are rounded to whole units (~10 m at z7): the sum agrees to a small fraction.
    const real = turfLength(lineString((i15.geometry as LineString).coordinates));
    expect(km).toBeGreaterThan(real * 0.995);
    expect(km).toBeLessThan(real * 1.005);
  });

  it('are null where there is nothing, and take no filter', () => {
    expect(getTile(ctx.project, 'reference', 6, ...tileOf(6, [139.7, 35.7]))).toBeNull();
    expect(() => getTile(ctx.project, 'reference', 0, 0, 0, { filter: { agency: ['USGS'] } })).toThrow(/no filter/);
  });
});

/** The part of segment a–b inside [0, EXTENT]² (Liang–Barsky), or null. */
function clipSegment(a: { x: number; y: number }, b: { x: number; y: number }): [{ x: number; y: number }, { x: number; y: number }] | null {
  let t0 = 0;
  let t1 = 1;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  for (const [p, q] of [[-dx, a.x], [dx, EXTENT - a.x], [-dy, a.y], [dy, EXTENT - a.y]]) {
    if (p === 0) {
      if (q < 0) return null;
      continue;
    }
    const r = q / p;
    if (p < 0) t0 = Math.max(t0, r);
    else t1 = Math.min(t1, r);
    if (t0 > t1) return null;
  }
  return [{ x: a.x + t0 * dx, y: a.y + t0 * dy }, { x: a.x + t1 * dx, y: a.y + t1 * dy }];
}

function unproject(z: number, x: number, y: number, p: { x: number; y: number }): Position {
  const n = 2 ** z;
  const wx = (x + p.x / EXTENT) / n;
  const wy = (y + p.y / EXTENT) / n;
  return [wx * 360 - 180, (Math.atan(Math.sinh(Math.PI * (1 - 2 * wy))) * 180) / Math.PI];
}

describe('reference-layer tile cache', () => {
  let dir: string;
  let project: Project;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'outcrop-reference-cache-'));
    project = Project.open(join(dir, 'p.gpkg'), { create: true });
  });
  afterAll(() => {
    project.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const MOJAVE: Position = [-115.5, 35.2];
  const names = (z: number, x: number, y: number) => decoded(project, z, x, y).map((f) => String(f.properties.name)).sort();

  it('follows imports, replacements and deletions, and is not cleared by deposit edits', async () => {
    const [x, y] = tileOf(6, MOJAVE);
    expect([x, y]).toEqual([11, 25]);
    expect(getTile(project, 'reference', 6, x, y)).toBeNull();

    await importReferenceLayer(project, PARKS, { role: 'exclusion' });
    const first = getTile(project, 'reference', 6, x, y);
    expect(names(6, x, y)).toEqual(['Mojave National Preserve (simplified outline)']);
    expect(getTile(project, 'reference', 6, x, y)).toBe(first); // from the cache

    // A deposit edit leaves the reference tiles cached.
    await project.write('edit', 'add a deposit', (w) => w.insertDeposit(emptyDepositFields('Mountain Pass test'), { type: 'Point', coordinates: [-115.53, 35.48] }));
    expect(getTile(project, 'reference', 6, x, y)).toBe(first);

    // Replaced by a file with the same number of features and layers, one renamed.
    const revised = read(PARKS);
    revised.features[0].properties!.name = 'Mojave National Preserve (revised)';
    const file = join(dir, 'parks-revised.geojson');
    writeFileSync(file, JSON.stringify(revised));
    await importReferenceLayer(project, file, { role: 'exclusion', name: 'sw-us-protected-areas', replace: true });
    expect(names(6, x, y)).toEqual(['Mojave National Preserve (revised)']);

    // A refused import (an exclusion layer of lines) changes nothing.
    await expect(importReferenceLayer(project, ROADS, { role: 'exclusion' })).rejects.toThrow();
    expect(names(6, x, y)).toEqual(['Mojave National Preserve (revised)']);

    await importReferenceLayer(project, ROADS, { role: 'infrastructure' });
    // Tile 6/11/25 spans 118.1° W – 112.5° W; the Port of Long Beach (118.21° W) lies in its buffer.
    expect(names(6, x, y)).toEqual(['Interstate 15 (Barstow–Las Vegas, simplified)', 'Mojave National Preserve (revised)', 'Port of Long Beach']);

    await deleteReferenceLayers(project, ['sw-us-protected-areas']);
    expect(names(6, x, y)).toEqual(['Interstate 15 (Barstow–Las Vegas, simplified)', 'Port of Long Beach']);
    await deleteReferenceLayers(project, ['sw-us-infrastructure']);
    expect(getTile(project, 'reference', 6, x, y)).toBeNull();
  });

  it('sees a layer written by another connection', async () => {
    const [x, y] = tileOf(6, MOJAVE);
    expect(getTile(project, 'reference', 6, x, y)).toBeNull();
    const other = Project.open(project.file);
    try {
      await importReferenceLayer(other, PARKS, { role: 'exclusion', name: 'parks from QGIS' });
    } finally {
      other.close();
    }
    expect(decoded(project, 6, x, y).map((f) => f.properties.layer)).toEqual(['parks from QGIS']);
  });
});
