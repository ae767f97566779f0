import type { Position } from 'geojson';
import { decodeStoredPoint } from '../store/gpkg/geometry-blob';
import { booleanPointInPolygon, pointToLineDistance, polygonToLine } from '@turf/turf';
import { codedError } from '../errors';
import { coded } from '../messages/en';
import type { Project } from '../store/project';
import { type RecordFeature, rowToFeature } from '../store/columns';
import { type FeatureFilter, iterateRows } from '../store/read';
import type { Area } from './within-area';
import { boxesAround, haversineKm } from './distance';
import { partBoxes } from './bbox';

export interface DistanceResult {
  feature: RecordFeature;
  /** Great-circle distance in km (0 inside an area). */
  distanceKm: number;
}

function checkRadius(km: number): void {
  if (!Number.isFinite(km) || km < 0) throw codedError('USAGE', coded('query.badDistance', { km }));
  if (km > 20_038) throw codedError('USAGE', coded('query.distanceTooFar', { km }));
}

/** Deposits within `km` of a [lng, lat] point, nearest first. */
export function depositsNear(project: Project, center: Position, km: number, filter: FeatureFilter = {}): DistanceResult[] {
  checkRadius(km);
  const out: DistanceResult[] = [];
  for (const row of iterateRows(project, 'deposits', filter, boxesAround(center, km))) {
    const p = decodeStoredPoint(row.geom, 'deposits', row.fid, row.id);
    const d = haversineKm(center, p);
    if (d <= km) out.push({ feature: rowToFeature('deposits', row, {}, { type: 'Point', coordinates: p }), distanceKm: d });
  }
  return out.sort((a, b) => a.distanceKm - b.distanceKm);
}

/** Deposits within `km` of an area (inside counts as 0 km), nearest first. */
export function depositsNearArea(project: Project, area: Area, km: number, filter: FeatureFilter = {}): DistanceResult[] {
  checkRadius(km);
  const boxes = partBoxes(area).flatMap((b) => {
    // Grow each part's box by km at its most poleward edge (where a degree of longitude is shortest).
    const corners: Position[] = [[b[0], b[1]], [b[2], b[3]], [b[0], b[3]], [b[2], b[1]]];
    return corners.flatMap((c) => boxesAround(c, km)).concat([b]);
  });
  const lines = polygonToLine(area);
  const lineFeatures = lines.type === 'FeatureCollection' ? lines.features : [lines];
  const seen = new Set<string>();
  const out: DistanceResult[] = [];
  for (const row of iterateRows(project, 'deposits', filter, mergeBoxes(boxes))) {
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    const p = decodeStoredPoint(row.geom, 'deposits', row.fid, row.id);
    let d = 0;
    if (!booleanPointInPolygon(p, area)) {
      d = Math.min(...lineFeatures.map((l) => pointToLineDistance(p, l as any, { units: 'kilometers', method: 'geodesic' })));
    }
    if (d <= km) out.push({ feature: rowToFeature('deposits', row, {}, { type: 'Point', coordinates: p }), distanceKm: d });
  }
  return out.sort((a, b) => a.distanceKm - b.distanceKm);
}

/** Union of boxes as a single covering box per antimeridian side (keeps the SQL short). */
function mergeBoxes(boxes: [number, number, number, number][]): [number, number, number, number][] {
  if (boxes.length <= 4) return boxes;
  const s = Math.min(...boxes.map((b) => b[1]));
  const n = Math.max(...boxes.map((b) => b[3]));
  const w = Math.min(...boxes.map((b) => b[0]));
  const e = Math.max(...boxes.map((b) => b[2]));
  return [[w, s, e, n]];
}
