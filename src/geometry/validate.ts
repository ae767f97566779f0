import type { Geometry } from 'geojson';
import type { Problem } from '../errors';
import { normalisePolygons } from './normalise-polygons';
import { readList, readPosition, readPositionList, type ListWhat, type LonLat, type PositionReader } from './positions';
import { describeValue, ProblemList, type GeometryContext } from './problem-list';

export type { GeometryContext } from './problem-list';

export interface GeometryValidation {
  /** The geometry as Outcrop stores it, or null when there are problems (or none was given). */
  geometry: Geometry | null;
  problems: Problem[];
  /** True when positions had a third (elevation) or further value, which was dropped. */
  droppedZ: boolean;
}

const STORABLE = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'] as const;
type StorableType = (typeof STORABLE)[number];

/**
 * Check one GeoJSON geometry (RFC 7946) and normalise it for storage: positions become
 * `[longitude, latitude]` in degrees (a Z value is dropped and `droppedZ` set), polygons get
 * RFC 7946 winding (outline counter-clockwise, holes clockwise; fixed silently), and polygons
 * crossing the antimeridian are split at ±180° into a MultiPolygon. Duplicate consecutive
 * positions are kept.
 *
 * Every problem names a coordinate path in `field` (e.g. `geometry.coordinates[0][3]`) and
 * says what was expected and found. `null` is a valid "no location" geometry. Pure; the input
 * is not modified. Nesting is bounded: a GeometryCollection is reported, not descended into.
 */
export function validateGeometry(geom: unknown, ctx: GeometryContext): GeometryValidation {
  const point = plainPoint(geom);
  if (point) return point;
  const problems = new ProblemList(ctx);
  const r: PositionReader = { problems, droppedZ: false };
  const geometry = read(geom, r);
  const list = problems.finish();
  return { geometry: list.length ? null : geometry, problems: list, droppedZ: r.droppedZ };
}

/**
 * The common case, a Point whose position is two or more finite numbers in range, as the full
 * reader would return it; undefined for anything else (which the full reader then handles).
 */
function plainPoint(geom: unknown): GeometryValidation | undefined {
  if (geom === null || typeof geom !== 'object' || (geom as { type?: unknown }).type !== 'Point') return undefined;
  const c = (geom as { coordinates?: unknown }).coordinates;
  if (!Array.isArray(c) || c.length < 2) return undefined;
  const lon: unknown = c[0];
  const lat: unknown = c[1];
  if (typeof lon !== 'number' || typeof lat !== 'number' || !(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) return undefined;
  return { geometry: { type: 'Point', coordinates: [lon, lat] }, problems: [], droppedZ: c.length > 2 };
}

function read(geom: unknown, r: PositionReader): Geometry | null {
  const problems = r.problems;
  if (geom === null) return null;
  if (geom === undefined) {
    problems.addCoded('structure', 'geometry', 'geometry.missing');
    return null;
  }
  if (typeof geom !== 'object' || Array.isArray(geom)) {
    problems.addCoded('structure', 'geometry', 'geometry.notObject', { found: describeValue(geom) });
    return null;
  }
  const g = geom as Record<string, unknown>;
  const type = g.type;
  if (type === undefined) {
    problems.addCoded('structure', 'geometry.type', 'geometry.noType', { types: STORABLE.join(', ') });
    return null;
  }
  if (type === 'GeometryCollection') {
    problems.addCoded('structure', 'geometry.type', 'geometry.collection');
    return null;
  }
  if (typeof type !== 'string' || !(STORABLE as readonly string[]).includes(type)) {
    const hint = typeof type === 'string' ? STORABLE.find((t) => t.toLowerCase() === type.toLowerCase()) : undefined;
    const types = STORABLE.join(', ');
    if (typeof type !== 'string') problems.addCoded('structure', 'geometry.type', 'geometry.typeNotText', { found: describeValue(type), types });
    else if (hint) problems.addCoded('structure', 'geometry.type', 'geometry.unknownTypeCase', { type: JSON.stringify(type), types, hint });
    else problems.addCoded('structure', 'geometry.type', 'geometry.unknownType', { type: JSON.stringify(type), types });
    return null;
  }
  if (!('coordinates' in g)) {
    problems.addCoded('structure', 'geometry.coordinates', 'geometry.noCoordinates', { type });
    return null;
  }
  return readCoordinates(type as StorableType, g.coordinates, r);
}

function readCoordinates(type: StorableType, coords: unknown, r: PositionReader): Geometry | null {
  const path = 'geometry.coordinates';
  const problems = r.problems;
  if (type === 'Point') {
    const p = readPosition(coords, path, r);
    return p && { type, coordinates: p };
  }
  if (Array.isArray(coords) && coords.length === 0) {
    problems.addCoded('structure', path, 'geometry.emptyCoordinates', { type });
    return null;
  }
  switch (type) {
    case 'MultiPoint': {
      const pts = readPositionList(coords, path, r, 'multiPoint');
      return pts && { type, coordinates: pts };
    }
    case 'LineString': {
      const line = readLine(coords, path, r, 'lineString');
      return line && { type, coordinates: line };
    }
    case 'MultiLineString': {
      const lines = readList(coords, path, r, 'multiLineString', (item, p) => readLine(item, p, r, 'lineOfMultiLineString'));
      return lines && { type, coordinates: lines };
    }
    case 'Polygon': {
      const rings = readRings(coords, path, r);
      if (!rings || problems.total) return null;
      const polys = normalisePolygons([rings], path, false, problems);
      if (!polys) return null;
      return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
    }
    case 'MultiPolygon': {
      const parts = readList(coords, path, r, 'multiPolygon', (item, p) => readRings(item, p, r));
      if (!parts || problems.total) return null;
      const polys = normalisePolygons(parts, path, true, problems);
      return polys && { type, coordinates: polys };
    }
  }
}

function readLine(value: unknown, path: string, r: PositionReader, what: ListWhat): LonLat[] | null {
  const line = readPositionList(value, path, r, what);
  if (line && line.length < 2) {
    r.problems.addCoded('structure', path, 'geometry.lineTooShort', { count: line.length });
    return null;
  }
  return line;
}

function readRings(value: unknown, path: string, r: PositionReader): LonLat[][] | null {
  return readList(value, path, r, 'polygon', (item, p) => readPositionList(item, p, r, 'ringOfPolygon'));
}
