import type { Geometry } from 'geojson';
import type { Problem } from '../errors';
import { normalisePolygons } from './normalise-polygons';
import { readList, readPosition, readPositionList, type LonLat, type PositionReader } from './positions';
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
  const problems = new ProblemList(ctx);
  const r: PositionReader = { problems, droppedZ: false };
  const geometry = read(geom, r);
  const list = problems.finish();
  return { geometry: list.length ? null : geometry, problems: list, droppedZ: r.droppedZ };
}

function read(geom: unknown, r: PositionReader): Geometry | null {
  const problems = r.problems;
  if (geom === null) return null;
  if (geom === undefined) {
    problems.add('structure', 'geometry', 'the feature has no geometry (use "geometry": null for a feature without a location)');
    return null;
  }
  if (typeof geom !== 'object' || Array.isArray(geom)) {
    problems.add('structure', 'geometry', `geometry must be an object like {"type": "Point", "coordinates": [longitude, latitude]}, found ${describeValue(geom)}`);
    return null;
  }
  const g = geom as Record<string, unknown>;
  const type = g.type;
  if (type === undefined) {
    problems.add('structure', 'geometry.type', `geometry has no "type"; expected one of ${STORABLE.join(', ')}`);
    return null;
  }
  if (type === 'GeometryCollection') {
    problems.add('structure', 'geometry.type', 'GeometryCollection is not supported: put each geometry in its own feature');
    return null;
  }
  if (typeof type !== 'string' || !(STORABLE as readonly string[]).includes(type)) {
    const hint = typeof type === 'string' ? STORABLE.find((t) => t.toLowerCase() === type.toLowerCase()) : undefined;
    problems.add(
      'structure',
      'geometry.type',
      `unknown geometry type ${typeof type === 'string' ? JSON.stringify(type) : describeValue(type)}; expected one of ${STORABLE.join(', ')}${hint ? ` (did you mean "${hint}"? names are case-sensitive)` : ''}`,
    );
    return null;
  }
  if (!('coordinates' in g)) {
    problems.add('structure', 'geometry.coordinates', `a ${type} needs "coordinates"; there are none`);
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
    problems.add('structure', path, `the ${type} has no coordinates (an empty list); use "geometry": null for a feature without a location`);
    return null;
  }
  switch (type) {
    case 'MultiPoint': {
      const pts = readPositionList(coords, path, r, 'a MultiPoint');
      return pts && { type, coordinates: pts };
    }
    case 'LineString': {
      const line = readLine(coords, path, r, 'a LineString');
      return line && { type, coordinates: line };
    }
    case 'MultiLineString': {
      const lines = readList(coords, path, r, 'a MultiLineString', (item, p) => readLine(item, p, r, 'each line of a MultiLineString'));
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
      const parts = readList(coords, path, r, 'a MultiPolygon', (item, p) => readRings(item, p, r));
      if (!parts || problems.total) return null;
      const polys = normalisePolygons(parts, path, true, problems);
      return polys && { type, coordinates: polys };
    }
  }
}

function readLine(value: unknown, path: string, r: PositionReader, what: string): LonLat[] | null {
  const line = readPositionList(value, path, r, what);
  if (line && line.length < 2) {
    r.problems.add('structure', path, `a line needs at least 2 positions, found ${line.length}`);
    return null;
  }
  return line;
}

function readRings(value: unknown, path: string, r: PositionReader): LonLat[][] | null {
  return readList(value, path, r, 'a polygon', (item, p) => readPositionList(item, p, r, 'each ring of a polygon'));
}
