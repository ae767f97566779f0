import type { Feature } from 'geojson';
import type { GeoJSONVTFeature } from '@maplibre/geojson-vt';
import { decodeGeometry } from '../store/gpkg/geometry-blob';
import { expandForFloat32 } from '../store/read';
import type { Project } from '../store/project';
import { cutTile } from './survey-tile';
import { tileQueryBoxes } from './tile-math';

export interface ReferenceTileOptions {
  extent: number;
  buffer: number;
  /** geojson-vt simplification tolerance in tile units (as for survey outlines). */
  tolerance: number;
}

type ReferenceRow = [number, Buffer | null, string, string, string | null];

/** Smallest extent (tile units, either way) a line or area needs to be put in a tile; 4096 units = 512 px. */
export const MIN_SIZE = 4;
/** A box under this many degrees both ways (~10 m) is a point's (or as good as one). */
const POINT_DEG = 1e-4;

/** Whether the project has the reference layers' table (migration 0005; a read-only older file may not). */
export function hasReferenceTable(project: Project): boolean {
  return !!project.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rtree_reference_features_geom'`).get();
}

/**
 * The stored reference features (every layer: roads, ports, power lines as "infrastructure",
 * protected areas as "exclusion") touching tile z/x/y (+ buffer), clipped to it and simplified
 * for the zoom by geojson-vt, like survey outlines. Points, lines and polygons alike; feature
 * id = fid, properties `layer` (the reference layer's name), `role` and `name` (when stored),
 * so the map style colours by role and shows or hides each layer with a filter.
 *
 * Candidates come from the layer's R*Tree, so only features whose bounding box meets the tile
 * are decoded. At the world's edges (x = 0 or 2^z − 1) the other side of the antimeridian is
 * fetched too and geojson-vt's wrapping copies it into the buffer.
 */
export function referenceTileFeatures(project: Project, z: number, x: number, y: number, opts: ReferenceTileOptions): GeoJSONVTFeature[] {
  if (!hasReferenceTable(project)) return [];
  const boxes = tileQueryBoxes(z, x, y, opts.buffer, opts.extent).map((b) => expandForFloat32(b.bbox));
  const params = boxes.flatMap((b) => [b[0], b[2], b[1], b[3]]);
  const inBoxes = boxes.map(() => '(maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?)').join(' OR ');
  // Lines and areas whose box spans under MIN_SIZE tile units both ways would draw as less than
  // half a pixel: left out. Points are always kept (their float32 R*Tree box is a few ulps wide:
  // anything under POINT_DEG both ways counts as one). Mercator stretches a degree of latitude by
  // sec φ: its threshold is taken at the tile's edge nearest a pole (where a degree is tallest),
  // so nothing a pixel tall anywhere in the tile is left out.
  const minDeg = (MIN_SIZE * 360) / (2 ** z * opts.extent);
  const [, south, , north] = boxes[0];
  const minLatDeg = minDeg * Math.cos((Math.min(90, Math.max(Math.abs(south), Math.abs(north))) * Math.PI) / 180);
  const sql = `SELECT fid, geom, layer, role, name FROM reference_features
               WHERE fid IN (SELECT id FROM rtree_reference_features_geom WHERE (${inBoxes})
                             AND (maxx - minx >= ? OR maxy - miny >= ? OR (maxx - minx < ${POINT_DEG} AND maxy - miny < ${POINT_DEG}))) ORDER BY fid`;
  const features: Feature[] = [];
  for (const r of project.db.prepare(sql).raw().iterate(...params, minDeg, minLatDeg) as IterableIterator<ReferenceRow>) {
    if (!r[1]) continue;
    features.push({ type: 'Feature', id: r[0], geometry: decodeGeometry(r[1]), properties: { layer: r[2], role: r[3], name: r[4] } });
  }
  return cutTile(features, z, x, y, opts);
}
