import { TILE_LAYERS, TILE_PATH_PREFIX, type TileLayerName } from './contract';

export interface TilePath {
  layer: TileLayerName;
  z: number;
  x: number;
  y: number;
}

const TILE_PATH_RE = new RegExp(`^(${TILE_LAYERS.join('|')})\\/(\\d{1,2})\\/(\\d{1,8})\\/(\\d{1,8})\\.pbf$`);

/**
 * `/tiles/<layer>/<z>/<x>/<y>.pbf` → its parts, or null when the path is not of that form or
 * names no tile layer (TILE_LAYERS). The one parser of tile paths for both hosts (the web host
 * and Electron's outcrop:// protocol); whether z/x/y exist is for the caller (or getTile) to say.
 */
export function matchTilePath(path: string): TilePath | null {
  if (!path.startsWith(TILE_PATH_PREFIX)) return null;
  const m = TILE_PATH_RE.exec(path.slice(TILE_PATH_PREFIX.length));
  if (!m) return null;
  return { layer: m[1] as TileLayerName, z: Number(m[2]), x: Number(m[3]), y: Number(m[4]) };
}
