import type { Geometry } from 'geojson';

/** One feature as read from an input file, before mapping onto the Outcrop model. */
export interface RawFeature {
  /** 0-based position of the feature in the file (CSV: data row, header excluded). */
  index: number;
  /** The feature's own id (GeoJSON `id`, or an id-like column), when present. */
  id?: string | number;
  /** Geometry as read (may be invalid; validation happens later). null = no geometry. */
  geometry: Geometry | null;
  properties: Record<string, unknown>;
  /** 1-based line where the feature starts in the source text, when known. */
  line?: number;
  /** The file is a bare GeoJSON geometry: this one feature has no properties of its own. */
  bare?: true;
  /**
   * The geometry type the file declares for its whole layer (a GeoPackage's geometry_type_name
   * such as "MULTIPOLYGON", a Shapefile's shape type such as "Polygon"), when it declares one:
   * what a feature without a geometry would have been.
   */
  declaredGeometry?: string;
}

/**
 * Structural problems found while reading a feature (e.g. a Feature without "geometry").
 * Readers attach them instead of throwing, so `validate` can report every problem; only a
 * file that is unusable as a whole (not JSON, binary, wrong root) throws BadInputError.
 */
export interface RawFeatureWithProblems extends RawFeature {
  problems?: import('../errors').Problem[];
}
