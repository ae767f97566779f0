import type { Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { booleanIntersects, bboxPolygon } from '@turf/turf';
import type { BBox } from '../store/read';
import { splitBBox } from '../store/read';

/** Boxes (non-wrapping) covering each part of a geometry; antimeridian-split parts get their own. */
export function partBoxes(g: Geometry): BBox[] {
  const ring = (r: Position[]): BBox => {
    let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
    for (const p of r) {
      if (p[0] < w) w = p[0];
      if (p[0] > e) e = p[0];
      if (p[1] < s) s = p[1];
      if (p[1] > n) n = p[1];
    }
    return [w, s, e, n];
  };
  switch (g.type) {
    case 'Point':
      return [[g.coordinates[0], g.coordinates[1], g.coordinates[0], g.coordinates[1]]];
    case 'Polygon':
      return [ring(g.coordinates[0])];
    case 'MultiPolygon':
      return g.coordinates.map((p) => ring(p[0]));
    case 'LineString':
      return [ring(g.coordinates)];
    case 'MultiPoint':
      return [ring(g.coordinates)];
    case 'MultiLineString':
      return g.coordinates.map(ring);
    default:
      return g.geometries.flatMap(partBoxes);
  }
}

export function pointInBBox(p: Position, b: BBox): boolean {
  if (p[1] < b[1] || p[1] > b[3]) return false;
  if (b[0] > b[2]) return p[0] >= b[0] || p[0] <= b[2];
  // −180 and 180 are one meridian (see splitBBox).
  return (p[0] >= b[0] && p[0] <= b[2]) || (Math.abs(p[0]) === 180 && (b[0] === -180 || b[2] === 180));
}

/** Exact test: does the geometry touch the box (edges included)? */
export function intersectsBBox(g: Geometry, b: BBox): boolean {
  if (g.type === 'Point') return pointInBBox(g.coordinates, b);
  return splitBBox(b).some((box) => {
    const boxes = partBoxes(g);
    if (!boxes.some((pb) => pb[0] <= box[2] && pb[2] >= box[0] && pb[1] <= box[3] && pb[3] >= box[1])) return false;
    return booleanIntersects(bboxPolygon(box), g as Polygon | MultiPolygon);
  });
}
