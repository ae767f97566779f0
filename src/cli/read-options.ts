import type { Command } from 'commander';
import { OutcropError } from '../errors';
import type { FieldMap } from '../import/field-map';
import type { ReadInputOptions } from '../import/pipeline';

/**
 * How a file is read, the same for `import` and `validate`: a file `validate` passes is read
 * by `import` with the same options exactly as it was checked.
 */
export function addReadOptions(cmd: Command): Command {
  return cmd
    .option('--layer <layer>', 'put every feature in this layer: deposits or surveys')
    .option('--format <format>', 'geojson, csv, gpkg or shapefile (default: from the extension)')
    .option('--crs <code>', 'CRS of the coordinates, e.g. EPSG:6677 (CSV x/y; GeoPackage/Shapefile without one; GeoJSON whose "crs" member Outcrop does not know); converted to WGS 84')
    .option('--source-layer <name>', 'GeoPackage layer or Shapefile in the .zip to read, when there are several')
    .option('--lon <column>', 'CSV: longitude (or easting) column (default: detected)')
    .option('--lat <column>', 'CSV: latitude (or northing) column (default: detected)')
    .option('--wkt <column>', 'CSV: WKT geometry column (default: detected)')
    .option('--delimiter <char>', 'CSV: field delimiter (default: detected)')
    .option('--encoding <name>', 'CSV/GeoJSON text encoding, e.g. windows-1252 or shift_jis (default: UTF-8, or UTF-16 with a byte-order mark)')
    .option('--map <source=field>', 'map a source field onto an Outcrop field (e.g. nam_ja=name, or id=extra to keep it as is); repeat for more', (v: string, prev: string[] = []) => [...prev, v]);
}

/** The options `addReadOptions` added, checked, as the core's reading options. */
export function readOptionsFrom(o: Record<string, unknown>): ReadInputOptions {
  if (o.layer !== undefined && o.layer !== 'deposits' && o.layer !== 'surveys') {
    throw new OutcropError('USAGE', `--layer must be deposits or surveys, got "${String(o.layer)}"`);
  }
  const str = (v: unknown) => (v === undefined ? undefined : String(v));
  return {
    layer: o.layer as 'deposits' | 'surveys' | undefined,
    format: o.format as ReadInputOptions['format'],
    crs: str(o.crs),
    sourceLayer: str(o.sourceLayer),
    encoding: str(o.encoding),
    fieldMap: parseMapOptions(o.map as string[] | undefined),
    csv: { lon: str(o.lon), lat: str(o.lat), wkt: str(o.wkt), delimiter: str(o.delimiter) },
  };
}

/** `--map a=name --map b=extra` → { a: 'name', b: null }. */
export function parseMapOptions(list: string[] | undefined): FieldMap | undefined {
  if (!list?.length) return undefined;
  const map: FieldMap = {};
  for (const item of list) {
    const i = item.indexOf('=');
    const source = i > 0 ? item.slice(0, i).trim() : '';
    const target = i > 0 ? item.slice(i + 1).trim() : '';
    if (!source || !target) throw new OutcropError('USAGE', `--map takes source=field (e.g. nam_ja=name), got "${item}"`);
    map[source] = target === 'extra' ? null : target;
  }
  return map;
}
