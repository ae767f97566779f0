import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { type GeoJSONVTFeature, geoJSONToTile } from '@maplibre/geojson-vt';
import { decodeGeometry } from '../store/gpkg/geometry-blob';
import { type FeatureFilter, filterSql } from '../store/read';
import type { Project } from '../store/project';
import { intersectsBBox } from '../spatial/bbox';
import { MAX_TILE_ZOOM, tileQueryBoxes } from './tile-math';

export interface SurveyTileOptions {
  extent: number;
  buffer: number;
  /** geojson-vt simplification tolerance in tile units (its default, 3, is under half a pixel at 512 px). */
  tolerance: number;
}

type SurveyRow = [number, Buffer, string, string, string | null, string | null, string | null];

/**
 * The survey areas touching tile z/x/y (+ buffer), clipped to it and simplified for the zoom by
 * geojson-vt, with feature id = fid and properties id, name, agency, status, methods (';' list).
 *
 * Candidates come from the R*Tree, so only surveys whose bounding box meets the tile are ever
 * decoded. Surveys are stored split at ±180°, so a tile needs no special care except at the
 * world's edges (x = 0 or 2^z − 1), where the other side of the antimeridian is fetched too and
 * geojson-vt's wrapping copies it into the buffer (as a second feature with the same id).
 */
export function surveyTileFeatures(
  project: Project,
  z: number,
  x: number,
  y: number,
  filter: FeatureFilter,
  opts: SurveyTileOptions,
): GeoJSONVTFeature[] {
  const { bbox: userBBox, ...attrFilter } = filter;
  const boxes = tileQueryBoxes(z, x, y, opts.buffer, opts.extent).map((b) => b.bbox);
  const { where, params } = filterSql('surveys', attrFilter, boxes);
  const sql = `SELECT fid, geom, id, name, agency, status, methods FROM surveys WHERE ${where.join(' AND ')}`;
  const features: Feature[] = [];
  for (const r of project.db.prepare(sql).raw().iterate(...params) as IterableIterator<SurveyRow>) {
    if (!r[1]) continue;
    const geometry: Geometry = decodeGeometry(r[1]);
    if (userBBox && !intersectsBBox(geometry, userBBox)) continue;
    features.push({
      type: 'Feature',
      id: r[0],
      geometry,
      properties: { id: r[2], name: r[3], agency: r[4], status: r[5], methods: r[6] },
    });
  }
  return cutTile(features, z, x, y, opts);
}

/**
 * Features clipped to tile z/x/y (+ buffer) and simplified for the zoom by geojson-vt (survey
 * outlines, reference layers). At the world's edges (x = 0 or 2^z − 1) geojson-vt wraps what
 * lies across the antimeridian into the buffer.
 */
export function cutTile(features: Feature[], z: number, x: number, y: number, opts: { extent: number; buffer: number; tolerance: number }): GeoJSONVTFeature[] {
  if (!features.length) return [];
  const fc: FeatureCollection = { type: 'FeatureCollection', features };
  const n = 2 ** z;
  const tile = geoJSONToTile(fc, z, x, y, {
    extent: opts.extent,
    buffer: opts.buffer,
    tolerance: opts.tolerance,
    // Tolerance is scaled per zoom from maxZoom; at the deepest zoom outlines are exact.
    maxZoom: MAX_TILE_ZOOM,
    clip: true,
    wrap: x === 0 || x === n - 1,
  });
  return tile?.features ?? [];
}
