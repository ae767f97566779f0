/**
 * The `outcrop:` scheme's handler (given to protocol.handle in main.ts). Two kinds of URL:
 *
 *   outcrop://app/<file>                           a file of the built renderer (dist/renderer)
 *   outcrop://app/assets/<file>                    Outcrop's assets/ (basemap, glyphs), as on the web host
 *   outcrop://app/tiles/<layer>/<z>/<x>/<y>.pbf    a vector tile of the open project (service.tile)
 *   outcrop://app/basemaps/<id>/<z>/<x>/<y>.<ext>  a tile of a user basemap (MBTiles/PMTiles)
 *
 * Tiles live under the app's own origin (TILE_PATH_PREFIX, as on the web host) because the
 * scheme is not CORS-enabled: another host of the scheme would be cross-origin and refused.
 * Every response carries the CSP. Pure Node + the WHATWG Response, so it is tested without Electron.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import { parseBasemapPath } from '../src/api/basemaps';
import { matchTilePath, type TilePath } from '../src/api/tile-path';
import { MIME_TYPES, resolveInside } from '../src/web/static-files';
import { APP_ORIGIN, TILE_PATH_PREFIX } from './channels';
import { securityHeaders } from './security';

/** Where the host serves assets/ (src/web/host.ts uses the same prefix). */
export const ASSETS_PATH_PREFIX = '/assets/';

/**
 * Map the path of an outcrop://app URL to a file inside `rootDir`, or null when it must be
 * refused: `..` segments (plain or percent-encoded), backslashes, NUL, malformed escapes, or
 * anything that resolves outside the root. `/` is index.html.
 */
export function resolveAppPath(rootDir: string, urlPath: string): string | null {
  const trimmed = urlPath.replace(/^\/+/, '');
  return resolveInside(rootDir, trimmed === '' ? 'index.html' : trimmed);
}

export type TileRequest = TilePath;

/** `/tiles/<layer>/<z>/<x>/<y>.pbf` → the tile, or null when any part is not a valid tile address. */
export function parseTilePath(path: string): TileRequest | null {
  const t = matchTilePath(path);
  // z ≤ 24 is MapLibre's maxzoom; x, y < 2^z by the XYZ tiling scheme.
  if (!t || t.z > 24 || t.x >= 2 ** t.z || t.y >= 2 ** t.z) return null;
  return t;
}

export interface AppProtocolOptions {
  /** The built renderer (index.html and its bundles). */
  rendererDir: string;
  /** Outcrop's assets/ folder (basemap, glyphs), served under /assets/. */
  assetsDir?: string;
  /** A tile of the open project, or null when there is none (no project, empty tile). */
  tile(layer: TileRequest['layer'], z: number, x: number, y: number, filterJson?: string | null): Buffer | Uint8Array | null;
  /** A tile of a user basemap with its MIME type, or null when the file has none there. */
  basemapTile?(id: string, z: number, x: number, y: number): Promise<{ data: Buffer | Uint8Array; mime: string } | null>;
}

/** The part of a GlobalRequest the handler reads. */
export interface AppRequest {
  url: string;
  method?: string;
}

/** Build the handler for `protocol.handle('outcrop', …)`. It never throws; errors become 4xx/5xx. */
export function createAppProtocolHandler(opts: AppProtocolOptions): (request: AppRequest) => Promise<Response> {
  return async (request) => {
    const method = (request.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') return plain(405, 'method not allowed');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return plain(400, 'bad url');
    }
    // Only outcrop://app/… exists. The raw string is checked too: URL may have folded `..` already.
    if (`${url.protocol}//${url.host}` !== APP_ORIGIN || url.username || url.password) return plain(404, 'not found');
    const rawPath = rawPathOf(request.url);
    try {
      if (url.pathname.startsWith(TILE_PATH_PREFIX)) return tileResponse(opts, url.pathname, method, url.searchParams.get('filter'));
      const bt = parseBasemapPath(url.pathname);
      if (bt && opts.basemapTile) {
        const tile = await opts.basemapTile(bt.id, bt.z, bt.x, bt.y);
        const headers = { ...securityHeaders(), 'Cache-Control': 'max-age=3600' };
        if (!tile) return new Response(null, { status: 204, headers });
        return new Response(method === 'HEAD' ? null : new Uint8Array(tile.data), { status: 200, headers: { ...headers, 'Content-Type': tile.mime } });
      }
      if (opts.assetsDir && rawPath.startsWith(ASSETS_PATH_PREFIX)) {
        const rest = rawPath.slice(ASSETS_PATH_PREFIX.length - 1);
        if (rest === '/') return plain(404, 'not found');
        const asset = resolveAppPath(opts.assetsDir, rest);
        if (!asset) return plain(403, 'forbidden');
        return await fileResponse(opts.assetsDir, asset, method, false);
      }
      const file = resolveAppPath(opts.rendererDir, rawPath);
      if (!file) return plain(403, 'forbidden');
      return await fileResponse(opts.rendererDir, file, method, true);
    } catch (err) {
      return plain(500, err instanceof Error ? err.message : String(err));
    }
  };
}

/** The path exactly as written in the URL string (before any dot-segment folding), without query or hash. */
function rawPathOf(url: string): string {
  const afterScheme = url.slice(url.indexOf('://') + 3);
  const slash = afterScheme.indexOf('/');
  const path = slash < 0 ? '/' : afterScheme.slice(slash);
  return path.replace(/[?#].*$/s, '');
}

function tileResponse(opts: AppProtocolOptions, path: string, method: string, filterJson: string | null): Response {
  const t = parseTilePath(path);
  if (!t) return plain(404, 'no such tile');
  let body: Buffer | Uint8Array | null;
  try {
    body = opts.tile(t.layer, t.z, t.x, t.y, filterJson);
  } catch (err) {
    return plain(400, err instanceof Error ? err.message : String(err));
  }
  // MapLibre reads 204 as an empty tile. no-store: two projects can share a dataVersion.
  const headers = { ...securityHeaders(), 'Content-Type': 'application/x-protobuf', 'Cache-Control': 'no-store' };
  if (!body || body.byteLength === 0) return new Response(null, { status: 204, headers });
  return new Response(method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
}

async function fileResponse(rootDir: string, file: string, method: string, spa: boolean): Promise<Response> {
  let target = file;
  let info = await stat(target).catch(() => null);
  if (spa && info?.isDirectory()) {
    target = resolve(target, 'index.html');
    info = await stat(target).catch(() => null);
  }
  if (spa && !info && !extname(file)) {
    // A client-side route (no extension): the single-page app's entry answers it.
    target = resolve(rootDir, 'index.html');
    info = await stat(target).catch(() => null);
  }
  if (!info || !info.isFile()) return plain(404, 'not found');
  // A symlink inside the served dir must not lead out of it either.
  const realRoot = await realpath(rootDir);
  const rel = relative(realRoot, await realpath(target));
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return plain(403, 'forbidden');
  const headers = {
    ...securityHeaders(),
    'Content-Type': MIME_TYPES[extname(target).toLowerCase()] ?? 'application/octet-stream',
    'Cache-Control': 'no-cache',
  };
  return new Response(method === 'HEAD' ? null : new Uint8Array(await readFile(target)), { status: 200, headers });
}

function plain(status: number, message: string): Response {
  return new Response(message, { status, headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } });
}
