import type { GeoJSONVTFeaturePoint } from '@maplibre/geojson-vt';
import { CLUSTER_CELLS_PER_TILE, type ClusterPyramid } from './cluster-pyramid';

/**
 * The clusters of tile z/x/y as MVT point features (tile units, y down): one per non-empty cell
 * of the tile, at the mean position of its members, with `count` and `commodity` (the most
 * frequent first main commodity; absent when no member has one).
 *
 * Clusters of the ring of neighbouring cells are added when they lie within `buffer` units of
 * the tile, so circles drawn at a tile edge are not cut; across the antimeridian the ring wraps
 * to the other side of the world. Each cluster has exactly one tile whose [0, extent) square
 * holds it: a tile's own clusters are clamped into that square after rounding, and buffer
 * copies out of it, so summing the clusters inside each tile counts every deposit once.
 */
export function clusterTileFeatures(
  pyramid: ClusterPyramid,
  z: number,
  x: number,
  y: number,
  extent: number,
  buffer: number,
): GeoJSONVTFeaturePoint[] {
  const level = pyramid.levels[z];
  if (!level) return [];
  const n = 2 ** z;
  const c = CLUSTER_CELLS_PER_TILE;
  const out: GeoJSONVTFeaturePoint[] = [];
  for (let j = -1; j <= c; j++) {
    const cy = y * c + j;
    if (cy < 0 || cy >= level.grid) continue;
    for (let i = -1; i <= c; i++) {
      let cx = x * c + i;
      let shift = 0;
      if (cx < 0) {
        cx += level.grid;
        shift = -1;
      } else if (cx >= level.grid) {
        cx -= level.grid;
        shift = 1;
      }
      const row = level.index.get(cy * level.grid + cx);
      if (row === undefined) continue;
      const count = level.count[row];
      if (count <= 0) continue;
      let px = Math.round(((level.sx[row] / count + shift) * n - x) * extent);
      let py = Math.round(((level.sy[row] / count) * n - y) * extent);
      const own = i >= 0 && i < c && j >= 0 && j < c;
      if (own) {
        px = Math.min(extent - 1, Math.max(0, px));
        py = Math.min(extent - 1, Math.max(0, py));
      } else {
        if (px < -buffer || px > extent + buffer || py < -buffer || py > extent + buffer) continue;
        if (i < 0) px = Math.min(px, -1);
        else if (i >= c) px = Math.max(px, extent);
        if (j < 0) py = Math.min(py, -1);
        else if (j >= c) py = Math.max(py, extent);
      }
      const tags: Record<string, string | number> = { count };
      const commodity = pyramid.topCommodity(level, row);
      if (commodity !== null) tags.commodity = commodity;
      out.push({ type: 1, geometry: [[px, py]], tags });
    }
  }
  return out;
}
