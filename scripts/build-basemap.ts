/**
 * node --import tsx scripts/build-basemap.ts — builds Outcrop's offline basemap in assets/.
 *
 *   assets/basemap/land.geojson              world-atlas land-50m (Natural Earth, public domain)
 *   assets/basemap/country-borders.geojson   shared country borders only (mesh a ≠ b), no coastlines
 *   assets/basemap/country-labels.geojson    one label point per country, props {name, areaKm2}
 *   assets/basemap/us-states.geojson         us-atlas states-10m interior borders (US Census, public domain)
 *   assets/basemap/jp-prefectures.geojson    interior prefecture borders (GSI Global Map Japan)
 *   assets/glyphs/<font>/<range>.pbf         Latin ranges of the Noto Sans SDF glyphs (OFL 1.1)
 *
 * Coordinates are [lng, lat] (WGS 84), rounded to 3 decimals (≈ 100 m, finer than a 1:50m map
 * can show). Japan is simplified topology-preserving (topojson-simplify), so neighbouring
 * prefectures keep one shared border. Outputs are committed; rerun only when a source changes.
 */
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { area, centroid, booleanPointInPolygon, featureCollection, pointOnFeature, union } from '@turf/turf';
import { validateGeometry } from '../src/geometry/validate';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { feature, mesh } from 'topojson-client';
import { topology } from 'topojson-server';
import { presimplify, quantile, simplify } from 'topojson-simplify';
import type { Topology } from 'topojson-specification';

const ROOT = resolve(import.meta.dirname, '..');
const DATA = resolve(ROOT, '../shared/data');
const OUT = join(ROOT, 'assets/basemap');
const GLYPHS_OUT = join(ROOT, 'assets/glyphs');
const require = createRequire(import.meta.url);

/** Glyph ranges a Latin-script label needs: Basic Latin … Latin Extended-B, IPA/spacing, combining, Cyrillic, general punctuation. */
export const GLYPH_RANGES = ['0-255', '256-511', '512-767', '768-1023', '1024-1279', '8192-8447'] as const;
export const GLYPH_FONTS = ['Noto Sans Regular', 'Noto Sans Medium'] as const;

function readTopo(pkgFile: string): Topology {
  return JSON.parse(readFileSync(require.resolve(pkgFile), 'utf8')) as Topology;
}

function round(g: Geometry): Geometry {
  const r = (p: Position): Position => [Math.round(p[0] * 1000) / 1000, Math.round(p[1] * 1000) / 1000];
  const line = (ps: Position[]): Position[] => {
    const out: Position[] = [];
    for (const p of ps.map(r)) {
      const last = out[out.length - 1];
      if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
    }
    return out;
  };
  switch (g.type) {
    case 'Point':
      return { type: 'Point', coordinates: r(g.coordinates) };
    case 'LineString':
      return { type: 'LineString', coordinates: line(g.coordinates) };
    case 'MultiLineString':
      return { type: 'MultiLineString', coordinates: g.coordinates.map(line).filter((l) => l.length >= 2) };
    case 'Polygon':
      return { type: 'Polygon', coordinates: g.coordinates.map(line).filter((l) => l.length >= 4) };
    case 'MultiPolygon':
      return {
        type: 'MultiPolygon',
        coordinates: g.coordinates.map((p) => p.map(line).filter((l) => l.length >= 4)).filter((p) => p.length > 0),
      };
    default:
      return g;
  }
}

/**
 * world-atlas rings that cross the antimeridian (Chukotka, Fiji) jump from −180 to +179.9 and
 * back; MapLibre would draw each jump as a line across the whole world. Unwrap such a ring so
 * its longitudes run on continuously past ±180 (MapLibre draws those in the next world copy).
 * Rings along the south pole (Antarctica's −90 edge) are left alone, as is any ring that would
 * not close after unwrapping.
 */
export function unwrapRing(ring: Position[]): Position[] {
  let offset = 0;
  let jumped = false;
  const out: Position[] = [[ring[0][0], ring[0][1]]];
  for (let i = 1; i < ring.length; i++) {
    const dx = ring[i][0] - ring[i - 1][0];
    if (Math.abs(dx) > 180) {
      if (Math.min(ring[i][1], ring[i - 1][1]) < -85) return ring;
      offset -= Math.sign(dx) * 360;
      jumped = true;
    }
    out.push([ring[i][0] + offset, ring[i][1]]);
  }
  if (!jumped) return ring;
  const a = out[0];
  const b = out[out.length - 1];
  if (a[0] !== b[0] || a[1] !== b[1]) return ring;
  // Bring the bulk of the ring back into −180…180 (only the crossing part should stick out).
  const lngs = out.map((p) => p[0]).sort((x, y) => x - y);
  const shift = -360 * Math.round(lngs[lngs.length >> 1] / 360);
  return shift ? out.map((p) => [p[0] + shift, p[1]]) : out;
}

function unwrap(g: Geometry): Geometry {
  if (g.type === 'Polygon') return { type: 'Polygon', coordinates: g.coordinates.map(unwrapRing) };
  if (g.type === 'MultiPolygon') return { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(unwrapRing)) };
  return g;
}

function collection(features: Feature[]): FeatureCollection {
  return { type: 'FeatureCollection', features: features.map((f) => ({ ...f, geometry: round(unwrap(f.geometry)) })) };
}

function write(name: string, fc: FeatureCollection): number {
  const file = join(OUT, name);
  writeFileSync(file, JSON.stringify(fc));
  const size = statSync(file).size;
  console.log(`${name}: ${fc.features.length} features, ${(size / 1024).toFixed(0)} KB`);
  return size;
}

/** A label point inside the country's largest part (a centroid can fall in the sea, e.g. Chile). */
function labelPoint(f: Feature<Polygon | MultiPolygon>): Position {
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  let best: Feature<Polygon> | null = null;
  let bestArea = -1;
  for (const p of polys) {
    const pf: Feature<Polygon> = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: p } };
    const a = area(pf);
    if (a > bestArea) {
      bestArea = a;
      best = pf;
    }
  }
  if (!best) return [0, 0];
  const c = centroid(best);
  return booleanPointInPolygon(c, best) ? c.geometry.coordinates : pointOnFeature(best).geometry.coordinates;
}

function main(): void {
  mkdirSync(OUT, { recursive: true });
  let total = 0;

  const land = readTopo('world-atlas/land-50m.json');
  const landFc = feature(land, land.objects.land as never) as unknown as FeatureCollection | Feature;
  total += write('land.geojson', collection('features' in landFc ? landFc.features : [landFc]));

  const countries = readTopo('world-atlas/countries-50m.json');
  const countryFc = feature(countries, countries.objects.countries as never) as unknown as FeatureCollection<Polygon | MultiPolygon>;
  const countryFeatures = countryFc.features.filter((f) => f.geometry);
  const borders = mesh(countries, countries.objects.countries as never, (a, b) => a !== b);
  total += write('country-borders.geojson', collection([{ type: 'Feature', properties: {}, geometry: borders }]));
  total += write(
    'country-labels.geojson',
    collection(
      countryFeatures
        .map((f) => ({ f, areaKm2: Math.round(area(f) / 1e6) }))
        .sort((a, b) => b.areaKm2 - a.areaKm2)
        .map(({ f, areaKm2 }) => ({
          type: 'Feature' as const,
          id: f.id,
          properties: { name: String(f.properties?.name ?? ''), areaKm2 },
          geometry: { type: 'Point' as const, coordinates: labelPoint(f) },
        })),
    ),
  );

  const states = readTopo('us-atlas/states-10m.json');
  const stateBorders = mesh(states, states.objects.states as never, (a, b) => a !== b);
  total += write('us-states.geojson', collection([{ type: 'Feature', properties: {}, geometry: stateBorders }]));

  // Japan: 2.8 MB of detailed coastline. Build a topology, simplify it keeping shared arcs, then
  // keep only the interior borders (the coast comes from land-50m, so it matches the land fill).
  const jp = JSON.parse(readFileSync(join(DATA, 'polygons/japan-prefectures.geojson'), 'utf8')) as FeatureCollection;
  let jpTopo = topology({ prefectures: jp }, 1e5) as unknown as Topology;
  jpTopo = presimplify(jpTopo as never) as unknown as Topology;
  jpTopo = simplify(jpTopo as never, quantile(jpTopo as never, 0.1)) as unknown as Topology;
  const jpBorders = mesh(jpTopo, jpTopo.objects.prefectures as never, (a, b) => a !== b);
  total += write('jp-prefectures.geojson', collection([{ type: 'Feature', properties: {}, geometry: jpBorders }]));

  total += writeAdminAreas();

  console.log(`basemap total ${(total / 1024 / 1024).toFixed(2)} MB`);

  let glyphBytes = 0;
  for (const font of GLYPH_FONTS) {
    mkdirSync(join(GLYPHS_OUT, font), { recursive: true });
    for (const range of GLYPH_RANGES) {
      const from = join(DATA, 'glyphs', font, `${range}.pbf`);
      copyFileSync(from, join(GLYPHS_OUT, font, `${range}.pbf`));
      glyphBytes += statSync(from).size;
    }
  }
  copyFileSync(join(DATA, 'glyphs/OFL.txt'), join(GLYPHS_OUT, 'OFL.txt'));
  console.log(`glyphs ${(glyphBytes / 1024).toFixed(0)} KB`);
}

/** US postal codes by FIPS state code (us-atlas feature ids). */
const US_POSTAL: Record<string, string> = {
  '01': 'AL', '02': 'AK', '04': 'AZ', '05': 'AR', '06': 'CA', '08': 'CO', '09': 'CT', '10': 'DE', '11': 'DC', '12': 'FL',
  '13': 'GA', '15': 'HI', '16': 'ID', '17': 'IL', '18': 'IN', '19': 'IA', '20': 'KS', '21': 'KY', '22': 'LA', '23': 'ME',
  '24': 'MD', '25': 'MA', '26': 'MI', '27': 'MN', '28': 'MS', '29': 'MO', '30': 'MT', '31': 'NE', '32': 'NV', '33': 'NH',
  '34': 'NJ', '35': 'NM', '36': 'NY', '37': 'NC', '38': 'ND', '39': 'OH', '40': 'OK', '41': 'OR', '42': 'PA', '44': 'RI',
  '45': 'SC', '46': 'SD', '47': 'TN', '48': 'TX', '49': 'UT', '50': 'VT', '51': 'VA', '53': 'WA', '54': 'WV', '55': 'WI',
  '56': 'WY', '60': 'AS', '66': 'GU', '69': 'MP', '72': 'PR', '78': 'VI',
};

/** "Hokkai Do" → "Hokkaido", "Aomori Ken" → "Aomori", "Tokyo To" → "Tokyo", "Kyoto Fu" → "Kyoto". */
function prefectureName(nam: string): string {
  return nam === 'Hokkai Do' ? 'Hokkaido' : nam.replace(/ (Ken|To|Fu)$/, '');
}

/**
 * Whole outlines (coast included) of US states and Japanese prefectures, for coverage areas of
 * interest (src/spatial/admin-areas.ts). Not drawn on the map (us-states / jp-prefectures are
 * the borders the map draws). Unlike the map files, rings are NOT unwrapped across ±180: Alaska's
 * Aleutians west of 180° stay separate parts at positive longitudes, as the store keeps areas.
 * Rounded to 4 (US, ≈ 10 m) or 5 (Japan, ≈ 1 m) decimals, cleaned by a union with itself, and
 * every outline is checked with the core's validateGeometry (the build fails on any problem).
 *   us-state-areas.geojson      us-atlas states-10m (1:10m), props {name, postal, fips}
 *   jp-prefecture-areas.geojson GSI Global Map Japan simplified topology-preserving (30 % quantile), props {name, nameJa, code}
 */
export function writeAdminAreas(): number {
  const clean = (g: Geometry, digits: number): MultiPolygon => {
    const k = 10 ** digits;
    const r = (p: Position): Position => [Math.round(p[0] * k) / k, Math.round(p[1] * k) / k];
    const ring = (ps: Position[]) => ps.map(r).filter((p, i, a) => i === 0 || p[0] !== a[i - 1][0] || p[1] !== a[i - 1][1]);
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    const coordinates = polys.map((p) => p.map(ring).filter((l) => l.length >= 4)).filter((p) => p.length > 0);
    // The source has bow-ties, overlapping and edge-sharing parts and zero-area slivers, and
    // simplifying adds some: a union of the outline with itself (polyclip) dissolves them all.
    const whole = { type: 'Feature' as const, properties: {}, geometry: { type: 'MultiPolygon' as const, coordinates } };
    const u = union(featureCollection([whole, whole]));
    if (!u) throw new Error('an admin area vanished when cleaned');
    return u.geometry.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [u.geometry.coordinates] } : u.geometry;
  };
  const check = (fc: FeatureCollection<MultiPolygon, { name: string }>) => {
    for (const f of fc.features) {
      const v = validateGeometry(f.geometry, { file: 'admin areas' });
      if (v.problems.length) throw new Error(`${f.properties.name}: ${v.problems[0].message}`);
    }
    return fc;
  };
  let total = 0;
  const states = readTopo('us-atlas/states-10m.json');
  const stateFc = feature(states, states.objects.states as never) as unknown as FeatureCollection<Polygon | MultiPolygon, { name: string }>;
  total += write('us-state-areas.geojson', check({
    type: 'FeatureCollection',
    features: stateFc.features
      .filter((f) => f.geometry)
      .map((f) => ({ type: 'Feature' as const, properties: { name: f.properties.name, postal: US_POSTAL[String(f.id)] ?? null, fips: String(f.id) }, geometry: clean(f.geometry, 4) }))
      .sort((a, b) => a.properties.name.localeCompare(b.properties.name)),
  }));
  const jp = JSON.parse(readFileSync(join(DATA, 'polygons/japan-prefectures.geojson'), 'utf8')) as FeatureCollection;
  let jpTopo = topology({ prefectures: jp }, 1e5) as unknown as Topology;
  jpTopo = presimplify(jpTopo as never) as unknown as Topology;
  // Keep 30 % of the points (the map's borders keep 10 %): every prefecture's area is then within
  // 0.75 % of the full-detail source (10 % would lose up to 4.3 %, Okinawa's small islands).
  jpTopo = simplify(jpTopo as never, quantile(jpTopo as never, 0.3)) as unknown as Topology;
  const jpFc = feature(jpTopo, jpTopo.objects.prefectures as never) as unknown as FeatureCollection<Polygon | MultiPolygon, { nam: string; nam_ja: string; id: number }>;
  total += write('jp-prefecture-areas.geojson', check({
    type: 'FeatureCollection',
    features: jpFc.features
      .map((f) => ({ type: 'Feature' as const, properties: { name: prefectureName(f.properties.nam), nameJa: f.properties.nam_ja, code: f.properties.id }, geometry: clean(f.geometry, 5) }))
      .sort((a, b) => a.properties.code - b.properties.code),
  }));
  return total;
}

// Run only as a script, so tests can import unwrapRing.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
