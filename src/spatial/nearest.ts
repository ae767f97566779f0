import type { Position } from 'geojson';
import { decodeStoredPoint } from '../store/gpkg/geometry-blob';
import { codedError } from '../errors';
import { coded } from '../messages/en';
import type { Project } from '../store/project';
import { rowToFeature } from '../store/columns';
import { type FeatureFilter, iterateRows } from '../store/read';
import { boxesAround, haversineKm } from './distance';
import type { DistanceResult } from './within-distance';

/**
 * The k deposits nearest to a [lng, lat] point by great-circle distance, nearest first.
 * Searches R*Tree boxes of growing radius; a candidate set is final once the k-th distance
 * is within the searched radius (every closer point lies inside that radius's boxes).
 */
export function nearestDeposits(project: Project, center: Position, k: number, filter: FeatureFilter = {}): DistanceResult[] {
  if (!Number.isInteger(k) || k < 1) throw codedError('USAGE', coded('query.badCount', { k }));
  let radiusKm = 10;
  const maxKm = Math.PI * 6371.0088 + 1;
  for (;;) {
    const found: { row: Record<string, any>; p: [number, number]; distanceKm: number }[] = [];
    for (const row of iterateRows(project, 'deposits', filter, boxesAround(center, radiusKm))) {
      const p = decodeStoredPoint(row.geom, 'deposits', row.fid, row.id);
      found.push({ row, p, distanceKm: haversineKm(center, p) });
    }
    found.sort((a, b) => a.distanceKm - b.distanceKm);
    const enough = found.length >= k && found[k - 1].distanceKm <= radiusKm;
    if (enough || radiusKm >= maxKm) {
      return found.slice(0, k).map((c) => ({
        feature: rowToFeature('deposits', c.row, {}, { type: 'Point', coordinates: c.p }),
        distanceKm: c.distanceKm,
      }));
    }
    // Grow quickly when sparse: aim for ~k candidates next round.
    radiusKm = found.length === 0 ? radiusKm * 8 : radiusKm * Math.max(2, Math.sqrt(k / found.length) * 1.5);
    radiusKm = Math.min(radiusKm, maxKm);
  }
}
