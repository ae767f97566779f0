import { OutcropError } from '../errors';
import type { BBox } from '../store/read';

/**
 * Web-Mercator (EPSG:3857) tile math for the XYZ scheme MapLibre requests: tile 0/0/0 is the
 * whole world, x grows east from −180°, y grows south from the top edge at MAX_LATITUDE.
 * "World" coordinates are that square scaled to [0, 1] × [0, 1] (y down), the same space
 * geojson-vt works in. Positions are always [lng, lat] in degrees.
 */

/** Latitude where Web Mercator's square ends: atan(sinh(π)) in degrees (EPSG:3857 bounds). */
export const MAX_LATITUDE = 85.0511287798066;
/** Highest zoom the tile server accepts (MapLibre's own maximum is 22 for vector sources). */
export const MAX_TILE_ZOOM = 22;
/** MVT tile extent: integer coordinates per tile side (the MVT 2.1 default). */
export const TILE_EXTENT = 4096;

export interface TileCoord {
  z: number;
  x: number;
  y: number;
}

/** Throw OutcropError('USAGE') unless z is an integer 0–22 and x, y are integers in [0, 2^z). */
export function assertTileCoord(z: number, x: number, y: number): void {
  if (!Number.isInteger(z) || z < 0 || z > MAX_TILE_ZOOM) {
    throw new OutcropError('USAGE', `tile zoom must be an integer from 0 to ${MAX_TILE_ZOOM}, got ${String(z)} (tile ${z}/${x}/${y})`, { z, x, y });
  }
  const n = 2 ** z;
  if (!Number.isInteger(x) || x < 0 || x >= n || !Number.isInteger(y) || y < 0 || y >= n) {
    throw new OutcropError('USAGE', `tile ${z}/${x}/${y}: x and y must be integers from 0 to ${n - 1} at zoom ${z}`, { z, x, y });
  }
}

/** Clamp a latitude into Web Mercator's range (poles map onto the top and bottom edges). */
export function clampLatitude(lat: number): number {
  return lat > MAX_LATITUDE ? MAX_LATITUDE : lat < -MAX_LATITUDE ? -MAX_LATITUDE : lat;
}

/** Longitude (degrees) → world x in [0, 1]. */
export function lngToWorldX(lng: number): number {
  return lng / 360 + 0.5;
}

/** Latitude (degrees, clamped to ±MAX_LATITUDE) → world y in [0, 1], 0 at the top. */
export function latToWorldY(lat: number): number {
  const sin = Math.sin((clampLatitude(lat) * Math.PI) / 180);
  // Spherical Mercator y = ln(tan(π/4 + φ/2)) = ½·ln((1 + sin φ) / (1 − sin φ)), scaled to [0, 1].
  const y = 0.5 - (0.25 * Math.log((1 + sin) / (1 - sin))) / Math.PI;
  return y < 0 ? 0 : y > 1 ? 1 : y;
}

/** World x → longitude in degrees (not wrapped: x outside [0, 1] gives |lng| > 180). */
export function worldXToLng(x: number): number {
  return (x - 0.5) * 360;
}

/** World y → latitude in degrees (inverse Mercator: atan(sinh(π(1 − 2y)))). */
export function worldYToLat(y: number): number {
  return (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;
}

/** [lng, lat] → world [x, y] in [0, 1]². */
export function lngLatToWorld(lng: number, lat: number): [number, number] {
  return [lngToWorldX(lng), latToWorldY(lat)];
}

/**
 * [lng, lat] → position inside tile z/x/y in tile units (0…extent across the tile, y down;
 * values outside that range lie in a neighbouring tile). Not rounded.
 */
export function lngLatToTilePixel(lng: number, lat: number, z: number, x: number, y: number, extent = TILE_EXTENT): [number, number] {
  const n = 2 ** z;
  return [(lngToWorldX(lng) * n - x) * extent, (latToWorldY(lat) * n - y) * extent];
}

/** Tile z/x/y → [west, south, east, north] in degrees (north/south are within ±MAX_LATITUDE). */
export function tileToBBox(z: number, x: number, y: number): BBox {
  const n = 2 ** z;
  return [worldXToLng(x / n), worldYToLat((y + 1) / n), worldXToLng((x + 1) / n), worldYToLat(y / n)];
}

/** A lng/lat box to query, and the world-x shift (−1, 0, +1) that moves its contents into the tile's frame. */
export interface QueryBox {
  bbox: BBox;
  shiftX: number;
}

/**
 * The lng/lat boxes covering tile z/x/y grown by `buffer` tile units on each side. Where the
 * buffer passes the antimeridian (tiles at x = 0 or x = 2^z − 1), the far side of the world is
 * queried too and its contents shifted by one world so edge symbols are not cut. A buffer past
 * the top or bottom edge reaches the pole: points beyond ±MAX_LATITUDE are clamped onto the edge.
 */
export function tileQueryBoxes(z: number, x: number, y: number, buffer: number, extent = TILE_EXTENT): QueryBox[] {
  const n = 2 ** z;
  const b = buffer / extent;
  const x0 = (x - b) / n;
  const x1 = (x + 1 + b) / n;
  const y0 = (y - b) / n;
  const y1 = (y + 1 + b) / n;
  const north = y0 <= 0 ? 90 : worldYToLat(y0);
  const south = y1 >= 1 ? -90 : worldYToLat(y1);
  const out: QueryBox[] = [];
  // Each world copy (shift −1: the box's part east of 180°, seen from the west, and so on).
  for (const shiftX of [-1, 0, 1]) {
    const lo = Math.max(x0 - shiftX, 0);
    const hi = Math.min(x1 - shiftX, 1);
    if (lo > hi || (shiftX !== 0 && lo === hi)) continue;
    out.push({ bbox: [worldXToLng(lo), south, worldXToLng(hi), north], shiftX });
  }
  return out;
}
