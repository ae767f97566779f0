import type { Geometry } from 'geojson';
import { geojsonToWKT, wktToGeoJSON } from '@terraformer/wkt';
import { coded, type CodedMessage } from '../../messages/en';

/** Geometry types a WKT cell may hold. */
export const WKT_GEOMETRY_TYPES = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'] as const;
type WktGeometry = Extract<Geometry, { type: (typeof WKT_GEOMETRY_TYPES)[number] }>;

/** A failure carries its coded message (code, params, English message). */
export type ParsedWkt = { ok: true; geometry: WktGeometry | null } | ({ ok: false } & CodedMessage);

/**
 * Parse a WKT cell into GeoJSON ([lng, lat] order, as written in WKT: x then y). Keywords are
 * case-insensitive; an "SRID=4326;" prefix (EWKT) is accepted, other SRIDs are refused because
 * Outcrop does not reproject. "... EMPTY" gives a null geometry.
 */
export function parseWkt(text: string): ParsedWkt {
  let s = text.trim();
  const srid = /^SRID=(\d+);/i.exec(s);
  if (srid) {
    if (srid[1] !== '4326') return { ok: false, ...coded('wkt.srid', { srid: srid[1] }) };
    s = s.slice(srid[0].length);
  }
  if (/\bEMPTY\s*\)*$/i.test(s) && !/\d/.test(s)) return { ok: true, geometry: null };
  let parsed;
  try {
    // The parser only knows upper-case keywords; digits, signs and "e" exponents are unaffected.
    parsed = wktToGeoJSON(s.toUpperCase());
  } catch (err) {
    return { ok: false, ...describeParseError(String((err as Error).message), text) };
  }
  if (!(WKT_GEOMETRY_TYPES as readonly string[]).includes(parsed.type)) {
    return { ok: false, ...coded('wkt.unsupportedType', { type: parsed.type, types: WKT_GEOMETRY_TYPES.join(', ') }) };
  }
  const g = parsed as WktGeometry;
  // Copy into plain arrays (drops the parser's extra "properties" member on Z geometries).
  return { ok: true, geometry: { type: g.type, coordinates: copyCoordinates(g.coordinates) } as WktGeometry };
}

/** Format a geometry as WKT for a CSV cell; numbers keep full precision (String(n)). */
export function formatWkt(geometry: Geometry): string {
  return geojsonToWKT(geometry);
}

function copyCoordinates<T>(c: T): T {
  if (Array.isArray(c)) return c.map(copyCoordinates) as T;
  return c;
}

/** Turn jison's multi-line "Parse error on line 1: ... Expecting ..., got 'X'" into one short line. */
function describeParseError(message: string, text: string): CodedMessage {
  // (jison's caret is relative to a clipped excerpt, so no character position is given)
  const got = /Expecting .*, got '([^']*)'/.exec(message)?.[1];
  const shown = JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
  if (got === undefined) return coded('wkt.cannotParse', { text: shown });
  if (got === 'EOF') return coded('wkt.endsEarly', { text: shown });
  if (got === 'INVALID') return coded('wkt.unexpectedText', { text: shown });
  return coded('wkt.unexpected', { got, text: shown });
}
