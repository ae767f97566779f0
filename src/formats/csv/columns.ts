/**
 * Column names the CSV reader recognises, shared with the CSV writer so that what the writer
 * puts in a header is read back the same way (a property called "lat" must not be mistaken
 * for a coordinate column on re-import).
 */

/** Longitude column names, most specific first; matched after {@link normaliseColumnName}. */
export const LONGITUDE_COLUMNS = [
  'longitude',
  'lon',
  'long',
  'lng',
  'longitude_wgs84',
  'long_wgs84',
  'decimal_longitude',
  'decimallongitude', // GBIF / Darwin Core decimalLongitude
  'longitude_dd',
  'lon_dd',
  'long_dd',
  'dec_long',
  'approx_lon',
  '経度',
  // ArcGIS "Add XY Coordinates" (in the layer's CRS, like x: projected files need --crs)
  'point_x',
  'x', // last: in projected files x is an easting, not a longitude
] as const;

/** Latitude column names, most specific first. */
export const LATITUDE_COLUMNS = [
  'latitude',
  'lat',
  'lat_wgs84',
  'decimal_latitude',
  'decimallatitude', // GBIF / Darwin Core decimalLatitude
  'latitude_dd',
  'lat_dd',
  'dec_lat',
  'approx_lat',
  '緯度',
  'point_y',
  'y',
] as const;

/** Columns holding a WKT geometry. */
export const WKT_COLUMNS = ['wkt', 'geometry', 'geom', 'the_geom', 'shape'] as const;

/** The column that becomes the feature id. */
export const ID_COLUMN = 'id';

/**
 * Written by `writeCsv` for properties that have no column of their own (keys first seen after
 * the header was written, or names the reader would take for id/geometry). Holds a JSON object;
 * `readCsvFeatures` merges it back into the properties.
 */
export const EXTRA_JSON_COLUMN = 'extra_json';

/** How header names are compared: trimmed and lower-cased. */
export function normaliseColumnName(name: string): string {
  return name.trim().toLowerCase();
}

/**
 * A parenthesised (or bracketed) suffix that says WGS 84 or degrees: "Latitude (WGS84)",
 * "lon (deg)", "LAT [DD]", "Longitude (decimal degrees)". Other suffixes stay part of the name:
 * "Easting (m)" is no longitude, "緯度 (JGD2011)" no WGS 84 latitude.
 */
const WGS84_OR_DEGREES_SUFFIX = /\s*[([]\s*(?:wgs\s*-?\s*84|epsg\s*:\s*4326|deg|degs|degree|degrees|decimal\s+degrees?|dd|°)\s*[)\]]$/;

/** How a header name is matched against the names here: normalised, without a WGS 84 or degrees suffix. */
export function columnKey(name: string): string {
  const n = normaliseColumnName(name);
  const stripped = n.replace(WGS84_OR_DEGREES_SUFFIX, '');
  return stripped === '' ? n : stripped;
}

const RESERVED = new Set<string>([
  ID_COLUMN,
  EXTRA_JSON_COLUMN,
  ...LONGITUDE_COLUMNS,
  ...LATITUDE_COLUMNS,
  ...WKT_COLUMNS,
]);

/** Column names that say, row by row, which CRS a CSV row's coordinates are in (src/import/row-crs.ts). */
export const ROW_CRS_COLUMNS: readonly string[] = ['crs', 'srs', 'epsg', 'datum', 'spatial_reference', 'coordinate_system'];

/** True when a column of this name is read as the CRS of its row's coordinates. */
export function isRowCrsColumnName(name: string): boolean {
  return ROW_CRS_COLUMNS.includes(normaliseColumnName(name));
}

/** True when a column of this name would be read as id, geometry or extra_json. */
export function isReservedColumnName(name: string): boolean {
  return RESERVED.has(columnKey(name));
}

/**
 * Index of the first header column matching one of `names` (by {@link columnKey}), in the
 * order of `names`, so "longitude" wins over "x" when both are present, and among columns of
 * one name the one without a suffix ("latitude" over "latitude (wgs84)"). -1 when none matches.
 */
export function findColumn(header: readonly string[], names: readonly string[]): number {
  const normalised = header.map(normaliseColumnName);
  const keys = header.map(columnKey);
  for (const name of names) {
    const key = columnKey(name);
    const plain = normalised.indexOf(key);
    if (plain >= 0) return plain;
    const i = keys.indexOf(key);
    if (i >= 0) return i;
  }
  return -1;
}

/** Index of a column the caller named: exact match first, then trimmed case-insensitive. */
export function findNamedColumn(header: readonly string[], name: string): number {
  const exact = header.indexOf(name);
  if (exact >= 0) return exact;
  const normalised = header.map(normaliseColumnName).indexOf(normaliseColumnName(name));
  return normalised >= 0 ? normalised : findColumn(header, [name]);
}
