import type { Feature, Geometry, LineString, MultiPolygon, Polygon, Position } from 'geojson';
import { booleanIntersects, booleanPointInPolygon, centroid, pointToLineDistance, polygonToLine } from '@turf/turf';
import { BadInputError, problemError } from '../errors';
import { coded } from '../messages/en';
import { openTextInput, type TextInputOptions } from '../formats/open-input';
import { readGeoJsonFeatures } from '../formats/geojson/read';
import { inWgs84, legacyGeoJsonCrs } from '../formats/geojson/legacy-crs';
import { validateGeometry } from '../geometry/validate';
import { boxesAround, EARTH_RADIUS_KM, haversineKm } from '../spatial/distance';
import { nearestDeposits } from '../spatial/nearest';
import type { Project } from '../store/project';
import { countRows, type FeatureFilter, iterateRows } from '../store/read';
import { depositsNear } from '../spatial/within-distance';
import type { Area } from '../spatial/within-area';
import { rowToFeature } from '../store/columns';
import { referenceFeatures } from '../store/reference-layers';
import { decodeStoredGeometry, decodeStoredPoint } from '../store/gpkg/geometry-blob';

/**
 * A layer the "distance to infrastructure" criterion measures to: stored deposits matching a
 * filter (e.g. status "plant" = processing plants), stored surveys, or the features of a
 * GeoJSON file (roads, ports, power lines …: points, lines or polygons).
 */
export type InfrastructureLayer =
  | { kind: 'deposits'; label: string; filter: FeatureFilter }
  | { kind: 'surveys'; label: string; filter?: FeatureFilter }
  | { kind: 'features'; label: string; features: Feature[] }
  /** A reference layer stored in the project (src/store/reference-layers.ts), searched through its R*Tree. */
  | { kind: 'reference'; label: string; layer: string };

/** Processing plants recorded as deposits with status "plant" (the default layer). */
export const PLANTS_LAYER: InfrastructureLayer = { kind: 'deposits', label: 'processing plant (deposit with status plant)', filter: { status: ['plant'] } };

/** Read a GeoJSON file of infrastructure features; every geometry is validated (antimeridian-split). */
export async function readInfrastructureFile(path: string, label?: string, opts: TextInputOptions = {}): Promise<InfrastructureLayer> {
  const crs = await legacyGeoJsonCrs(path, opts); // a legacy "crs" member, as GDAL writes
  const input = await openTextInput(path, opts);
  const features: Feature[] = [];
  for await (const f of inWgs84(readGeoJsonFeatures(input), crs)) {
    if (f.problems?.length) throw problemError(f.problems[0]);
    const r = validateGeometry(f.geometry, { file: input.name, featureIndex: f.index, featureId: f.id ?? undefined });
    if (r.problems.length) throw problemError(r.problems[0]);
    if (r.geometry) features.push({ type: 'Feature', id: f.id ?? undefined, geometry: r.geometry, properties: f.properties ?? {} });
  }
  if (!features.length) throw new BadInputError(coded('compare.noInfrastructure', { file: input.name }));
  return { kind: 'features', label: label ?? input.name, features };
}

/**
 * The nearest feature of a prepared layer and its great-circle distance (km): from a point, or
 * from a polygon site (0 when a feature touches or crosses it, else from its outline).
 */
export type NearestFn = (site: Position | Area) => { distanceKm: number; name: string } | null;
type PointNearest = (p: Position) => { distanceKm: number; name: string } | null;
/** Every feature of the layer that has some point within `km` of `center` (more may come). */
type Within = (center: Position, km: number) => Iterable<{ g: Geometry; name: string }>;

/** Up to this many deposits, a layer is loaded once and scanned per site; beyond, the R*Tree search is used. */
const SCAN_LIMIT = 20_000;

/**
 * Prepare a layer for many nearest-feature questions (one comparison): a deposit layer with few
 * features (processing plants) is read once and scanned, rather than growing R*Tree searches per
 * site that sweep the whole table when the layer is empty or far away.
 */
export function prepareInfrastructure(project: Project, layer: InfrastructureLayer, scanLimit = SCAN_LIMIT): NearestFn {
  let point: PointNearest;
  let within: Within;
  if (layer.kind === 'deposits' && countRows(project, 'deposits', layer.filter) <= scanLimit) {
    const pts: { p: Position; name: string }[] = [];
    for (const row of iterateRows(project, 'deposits', layer.filter)) if (row.geom != null) pts.push({ p: decodeStoredPoint(row.geom, 'deposits', row.fid, row.id), name: String(row.name) });
    point = (p) => {
      let best: { distanceKm: number; name: string } | null = null;
      for (const x of pts) {
        const d = haversineKm(p, x.p);
        if (!best || d < best.distanceKm) best = { distanceKm: d, name: x.name };
      }
      return best;
    };
    within = (c, km) => pts.filter((x) => haversineKm(c, x.p) <= km).map((x) => ({ g: { type: 'Point', coordinates: x.p }, name: x.name }));
  } else if (layer.kind === 'reference') {
    point = referenceNearest(project, layer.layer);
    within = referenceWithin(project, layer.layer);
  } else {
    point = (p) => nearestInfrastructure(project, layer, p);
    within = layer.kind === 'deposits' ? depositsWithinKm(project, layer.filter) : () => allFeatures(project, layer);
  }
  return (site) => (isPosition(site) ? point(site) : nearestToArea(site, point, within));
}

const isPosition = (x: Position | Area): x is Position => Array.isArray(x);

/**
 * Nearest feature to a polygon site. With c the site's centroid, R the farthest of its outline
 * from c and D the distance from c to the feature nearest c: the feature nearest the site is
 * within D + R of it, so it has a point within D + 2R of c; those are the candidates, each
 * measured to the site (features whose distance from c already exceeds the best + R are skipped).
 */
function nearestToArea(area: Area, point: PointNearest, within: Within): { distanceKm: number; name: string } | null {
  const rings = area.type === 'Polygon' ? area.coordinates : area.coordinates.flat();
  const c = siteCentre(area, rings);
  const first = point(c);
  if (!first) return null;
  // Great-circle edges bulge a little past their ends: 1 % and 1 km of margin.
  let far = 0;
  for (const ring of rings) for (const v of ring) far = Math.max(far, haversineKm(c, v));
  const r = far * 1.01 + 1;
  const candidates = [...within(c, first.distanceKm + 2 * r)].map((f) => ({ ...f, fromCentre: distanceToGeometryKm(c, f.g) }));
  candidates.sort((a, b) => a.fromCentre - b.fromCentre);
  let best: { distanceKm: number; name: string } | null = null;
  for (const f of candidates) {
    if (best && f.fromCentre - r > best.distanceKm) break;
    const d = areaToGeometryKm(area, f.g);
    if (!best || d < best.distanceKm) best = { distanceKm: d, name: f.name };
    if (d === 0) break;
  }
  return best ?? first;
}

/**
 * The mean of a site's vertices (Turf's centroid), taken with western longitudes moved past 180°
 * when the site is stored split at ±180: else the halves would average to a point half a world
 * away, and every feature on Earth would be a candidate.
 */
export function siteCentre(area: Area, rings: Position[][] = area.type === 'Polygon' ? area.coordinates : area.coordinates.flat()): Position {
  let east = false;
  let west = false;
  for (const ring of rings) {
    for (const [x] of ring) {
      if (x >= 180) east = true;
      if (x <= -180) west = true;
    }
  }
  if (!(east && west)) return centroid(area).geometry.coordinates;
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (const ring of rings) {
    // Each ring's closing vertex repeats its first, as Turf's centroid leaves it out.
    for (const [x, y] of ring.slice(0, -1)) {
      sx += x < 0 ? x + 360 : x;
      sy += y;
      n++;
    }
  }
  const x = sx / n;
  return [x > 180 ? x - 360 : x, sy / n];
}

/**
 * Great-circle km between a polygon site and a geometry: 0 when they touch, cross or one holds
 * the other, else the least distance from a vertex of either to the other's outline or lines
 * (Turf's geodesic point-to-line distance).
 */
export function areaToGeometryKm(area: Area, g: Geometry): number {
  if (g.type === 'GeometryCollection') return minOf(g.geometries, (x) => areaToGeometryKm(area, x));
  if (booleanIntersects(area, g)) return 0;
  const outline = polygonToLine(area);
  const lines = (outline.type === 'FeatureCollection' ? outline.features : [outline]) as Feature<LineString>[];
  const toOutline = (p: Position) => minOf(lines, (l) => pointToLineDistance(p, l, { units: 'kilometers', method: 'geodesic' }));
  let best = Infinity;
  for (const v of vertices(g)) best = Math.min(best, toOutline(v));
  for (const l of lines) for (const v of l.geometry.coordinates) best = Math.min(best, distanceToGeometryKm(v, g));
  return best;
}

function vertices(g: Exclude<Geometry, { type: 'GeometryCollection' }>): Position[] {
  switch (g.type) {
    case 'Point':
      return [g.coordinates];
    case 'MultiPoint':
    case 'LineString':
      return g.coordinates;
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates.flat();
    case 'MultiPolygon':
      return g.coordinates.flat(2);
  }
}

/** Stored deposits matching `filter` within `km` of a point (spatial/within-distance.ts; past half the globe, all of them). */
function depositsWithinKm(project: Project, filter: FeatureFilter): Within {
  return (c, km) => depositsNear(project, c, Math.min(km, HALF_GLOBE_KM), filter).map((r) => ({ g: r.feature.geometry, name: String(r.feature.properties.name) }));
}
/** More than any great-circle distance (π × 6,371 km), and what depositsNear accepts. */
const HALF_GLOBE_KM = 20_038;

/** Surveys or file features: all of them (a file's features are in memory; surveys are few). */
function* allFeatures(project: Project, layer: InfrastructureLayer): Iterable<{ g: Geometry; name: string }> {
  if (layer.kind === 'surveys') {
    for (const row of iterateRows(project, 'surveys', layer.filter ?? {})) yield { g: rowToFeature('surveys', row).geometry, name: String(row.name) };
  } else if (layer.kind === 'features') {
    for (const [i, f] of layer.features.entries()) yield { g: f.geometry, name: featureName(f, i) };
  }
}

const featureName = (f: Feature, i: number) => String(f.properties?.name ?? f.properties?.NAME ?? f.id ?? `feature ${i}`);

/** Features of a stored reference layer whose boxes meet the (padded) boxes around a point. */
function referenceWithin(project: Project, layer: string): Within {
  const q = referenceBoxQuery(project);
  return function* (c, km) {
    const seen = new Set<number>();
    for (const [w, s, e, n] of boxesAround(c, Math.min(Math.PI * EARTH_RADIUS_KM + 1, km * 1.02 + 10))) {
      for (const row of q.iterate(layer, e, w, n, s) as Iterable<{ fid: number; geom: Buffer; name: string | null }>) {
        if (seen.has(row.fid)) continue;
        seen.add(row.fid);
        yield { g: decodeStoredGeometry(row.geom, `reference layer ${layer}`, row.fid, row.name), name: row.name ?? `${layer} feature ${row.fid}` };
      }
    }
  };
}

const referenceBoxQuery = (project: Project) =>
  project.db.prepare(
    `SELECT f.fid, f.geom, f.name FROM rtree_reference_features_geom r JOIN reference_features f ON f.fid = r.id
     WHERE f.layer = ? AND r.minx <= ? AND r.maxx >= ? AND r.miny <= ? AND r.maxy >= ?`,
  );

/**
 * Nearest feature of a stored reference layer: R*Tree boxes of a growing radius around the
 * point (split at ±180, all longitudes near a pole), exact distances to the features whose boxes
 * meet them; final once the best distance is within the radius searched. The boxes are padded
 * (2 % + 10 km) because a long segment's great-circle path can bulge past its vertices' box.
 * Decoded geometries are kept for the comparison's other sites.
 */
function referenceNearest(project: Project, layer: string): PointNearest {
  const q = referenceBoxQuery(project);
  const decoded = new Map<number, { g: Geometry; name: string }>();
  const maxKm = Math.PI * EARTH_RADIUS_KM + 1;
  return (p) => {
    let radiusKm = 10;
    for (;;) {
      let best: { distanceKm: number; name: string } | null = null;
      const seen = new Set<number>();
      for (const [w, s, e, n] of boxesAround(p, Math.min(maxKm, radiusKm * 1.02 + 10))) {
        for (const row of q.iterate(layer, e, w, n, s) as Iterable<{ fid: number; geom: Buffer; name: string | null }>) {
          if (seen.has(row.fid)) continue;
          seen.add(row.fid);
          let f = decoded.get(row.fid);
          if (!f) decoded.set(row.fid, (f = { g: decodeStoredGeometry(row.geom, `reference layer ${layer}`, row.fid, row.name), name: row.name ?? `${layer} feature ${row.fid}` }));
          const d = distanceToGeometryKm(p, f.g);
          if (!best || d < best.distanceKm) best = { distanceKm: d, name: f.name };
        }
      }
      if ((best && best.distanceKm <= radiusKm) || radiusKm >= maxKm) return best;
      radiusKm = Math.min(maxKm, best ? best.distanceKm : radiusKm * 8);
    }
  };
}

/** Nearest feature of the layer to a [lng, lat] point, with its great-circle distance in km. */
export function nearestInfrastructure(project: Project, layer: InfrastructureLayer, p: Position): { distanceKm: number; name: string } | null {
  if (layer.kind === 'reference') return referenceNearest(project, layer.layer)(p);
  if (layer.kind === 'deposits') {
    const r = nearestDeposits(project, p, 1, layer.filter);
    return r.length ? { distanceKm: r[0].distanceKm, name: String(r[0].feature.properties.name) } : null;
  }
  let best: { distanceKm: number; name: string } | null = null;
  const consider = (g: Geometry, name: string) => {
    const d = distanceToGeometryKm(p, g);
    if (!best || d < best.distanceKm) best = { distanceKm: d, name };
  };
  if (layer.kind === 'surveys') {
    for (const row of iterateRows(project, 'surveys', layer.filter ?? {})) consider(rowToFeature('surveys', row).geometry, String(row.name));
  } else {
    layer.features.forEach((f, i) => consider(f.geometry, featureName(f, i)));
  }
  return best;
}

/** Great-circle km from a point to a geometry (0 inside a polygon). */
export function distanceToGeometryKm(p: Position, g: Geometry): number {
  switch (g.type) {
    case 'Point':
      return haversineKm(p, g.coordinates);
    case 'MultiPoint':
      return minOf(g.coordinates, (c) => haversineKm(p, c));
    case 'LineString':
      return lineKm(p, g);
    case 'MultiLineString':
      return minOf(g.coordinates, (c) => lineKm(p, { type: 'LineString', coordinates: c }));
    case 'Polygon':
    case 'MultiPolygon': {
      if (booleanPointInPolygon(p, g as Polygon | MultiPolygon)) return 0;
      const lines = polygonToLine(g as Polygon | MultiPolygon);
      const list = lines.type === 'FeatureCollection' ? lines.features : [lines];
      return minOf(list, (l) => pointToLineDistance(p, l as Feature<LineString>, { units: 'kilometers', method: 'geodesic' }));
    }
    default:
      return minOf(g.geometries, (x) => distanceToGeometryKm(p, x));
  }
}

/** The least of fn over items (a loop: a spread of 100k+ values would overflow the stack). */
function minOf<T>(items: readonly T[], fn: (x: T) => number): number {
  let m = Infinity;
  for (const x of items) m = Math.min(m, fn(x));
  return m;
}

function lineKm(p: Position, l: LineString): number {
  if (l.coordinates.length === 1) return haversineKm(p, l.coordinates[0]);
  return pointToLineDistance(p, l, { units: 'kilometers', method: 'geodesic' });
}

/** A reference layer stored in the project (src/store/reference-layers.ts) as an infrastructure layer; an unknown name or an exclusion layer is refused. */
export function storedInfrastructure(project: Project, name: string): InfrastructureLayer {
  referenceFeatures(project, name, 'infrastructure', 0);
  return { kind: 'reference', label: name, layer: name };
}
