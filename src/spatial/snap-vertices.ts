import type { Position } from 'geojson';
import { decodeStoredGeometry, decodeStoredPoint } from '../store/gpkg/geometry-blob';
import type { Project } from '../store/project';
import { type BBox, iterateGeometries, splitBBox } from '../store/read';
import { pointInBBox } from './bbox';

export interface SnapVertices {
  /** Exact stored coordinates ([lng, lat]) of survey vertices and deposit points inside the box. */
  vertices: Position[];
  /** True when the box held more than `limit` vertices (the caller zooms in to snap). */
  truncated: boolean;
}

/**
 * The vertices a drawing tool can snap to inside a map view: every survey vertex and every
 * deposit point in `bbox`, exact as stored (vector tiles are quantised to the tile grid, so
 * snapping to rendered geometry would be off by metres). The R*Tree picks the candidates.
 */
export function snapVertices(project: Project, bbox: BBox, limit = 20_000): SnapVertices {
  const boxes = splitBBox(bbox);
  const vertices: Position[] = [];
  const seen = new Set<string>();
  const add = (p: Position): boolean => {
    const key = `${p[0]},${p[1]}`;
    if (seen.has(key) || !pointInBBox(p, bbox)) return true;
    seen.add(key);
    vertices.push([p[0], p[1]]);
    return vertices.length <= limit;
  };
  for (const [fid, id, blob] of iterateGeometries(project, 'surveys', {}, boxes)) {
    const g = decodeStoredGeometry(blob, 'surveys', fid, id);
    const polygons = g.type === 'MultiPolygon' ? g.coordinates : g.type === 'Polygon' ? [g.coordinates] : [];
    for (const polygon of polygons)
      for (const ring of polygon)
        // The closing position repeats the first.
        for (let i = 0; i < ring.length - 1; i++) if (!add(ring[i])) return { vertices: vertices.slice(0, limit), truncated: true };
  }
  for (const [fid, id, blob] of iterateGeometries(project, 'deposits', {}, boxes)) {
    if (!add(decodeStoredPoint(blob, 'deposits', fid, id))) return { vertices: vertices.slice(0, limit), truncated: true };
  }
  return { vertices, truncated: false };
}
