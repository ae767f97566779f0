import type { Feature, Geometry, LineString, MultiPolygon, Polygon, Position } from 'geojson';
import { booleanPointInPolygon, pointToLineDistance, polygonToLine } from '@turf/turf';
import { BadInputError, problemError } from '../errors';
import { coded } from '../messages/en';
import { openTextInput } from '../formats/open-input';
import { readGeoJsonFeatures } from '../formats/geojson/read';
import { validateGeometry } from '../geometry/validate';
import { boxesAround, EARTH_RADIUS_KM, haversineKm } from '../spatial/distance';
import { nearestDeposits } from '../spatial/nearest';
import type { Project } from '../store/project';
import { countRows, type FeatureFilter, iterateRows } from '../store/read';
import { decodePoint } from '../store/gpkg/geometry-blob';
import { rowToFeature } from '../store/columns';
import { referenceFeatures } from '../store/reference-layers';
import { decodeGeometry } from '../store/gpkg/geometry-blob';

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
export async function readInfrastructureFile(path: string, label?: string): Promise<InfrastructureLayer> {
  const input = await openTextInput(path);
  const features: Feature[] = [];
  for await (const f of readGeoJsonFeatures(input)) {
    if (f.problems?.length) throw problemError(f.problems[0]);
    const r = validateGeometry(f.geometry, { file: input.name, featureIndex: f.index, featureId: f.id ?? undefined });
    if (r.problems.length) throw problemError(r.problems[0]);
    if (r.geometry) features.push({ type: 'Feature', id: f.id ?? undefined, geometry: r.geometry, properties: f.properties ?? {} });
  }
  if (!features.length) throw new BadInputError(coded('compare.noInfrastructure', { file: input.name }));
  return { kind: 'features', label: label ?? input.name, features };
}

export type NearestFn = (p: Position) => { distanceKm: number; name: string } | null;

/** Up to this many deposits, a layer is loaded once and scanned per site; beyond, the R*Tree search is used. */
const SCAN_LIMIT = 20_000;

/**
 * Prepare a layer for many nearest-feature questions (one comparison): a deposit layer with few
 * features (processing plants) is read once and scanned, rather than growing R*Tree searches per
 * site that sweep the whole table when the layer is empty or far away.
 */
export function prepareInfrastructure(project: Project, layer: InfrastructureLayer): NearestFn {
  if (layer.kind === 'deposits' && countRows(project, 'deposits', layer.filter) <= SCAN_LIMIT) {
    const pts: { p: Position; name: string }[] = [];
    for (const row of iterateRows(project, 'deposits', layer.filter)) pts.push({ p: decodePoint(row.geom), name: String(row.name) });
    return (p) => {
      let best: { distanceKm: number; name: string } | null = null;
      for (const x of pts) {
        const d = haversineKm(p, x.p);
        if (!best || d < best.distanceKm) best = { distanceKm: d, name: x.name };
      }
      return best;
    };
  }
  if (layer.kind === 'reference') return referenceNearest(project, layer.layer);
  return (p) => nearestInfrastructure(project, layer, p);
}

/**
 * Nearest feature of a stored reference layer: R*Tree boxes of a growing radius around the
 * point (split at ±180, all longitudes near a pole), exact distances to the features whose boxes
 * meet them; final once the best distance is within the radius searched. The boxes are padded
 * (2 % + 10 km) because a long segment's great-circle path can bulge past its vertices' box.
 * Decoded geometries are kept for the comparison's other sites.
 */
function referenceNearest(project: Project, layer: string): NearestFn {
  const q = project.db.prepare(
    `SELECT f.fid, f.geom, f.name FROM rtree_reference_features_geom r JOIN reference_features f ON f.fid = r.id
     WHERE f.layer = ? AND r.minx <= ? AND r.maxx >= ? AND r.miny <= ? AND r.maxy >= ?`,
  );
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
          if (!f) decoded.set(row.fid, (f = { g: decodeGeometry(row.geom), name: row.name ?? `${layer} feature ${row.fid}` }));
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
    layer.features.forEach((f, i) => consider(f.geometry, String(f.properties?.name ?? f.properties?.NAME ?? f.id ?? `feature ${i}`)));
  }
  return best;
}

/** Great-circle km from a point to a geometry (0 inside a polygon). */
export function distanceToGeometryKm(p: Position, g: Geometry): number {
  switch (g.type) {
    case 'Point':
      return haversineKm(p, g.coordinates);
    case 'MultiPoint':
      return Math.min(...g.coordinates.map((c) => haversineKm(p, c)));
    case 'LineString':
      return lineKm(p, g);
    case 'MultiLineString':
      return Math.min(...g.coordinates.map((c) => lineKm(p, { type: 'LineString', coordinates: c })));
    case 'Polygon':
    case 'MultiPolygon': {
      if (booleanPointInPolygon(p, g as Polygon | MultiPolygon)) return 0;
      const lines = polygonToLine(g as Polygon | MultiPolygon);
      const list = lines.type === 'FeatureCollection' ? lines.features : [lines];
      return Math.min(...list.map((l) => pointToLineDistance(p, l as Feature<LineString>, { units: 'kilometers', method: 'geodesic' })));
    }
    default:
      return Math.min(...g.geometries.map((x) => distanceToGeometryKm(p, x)));
  }
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
