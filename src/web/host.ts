/**
 * The loopback web host: serves the built renderer, the offline basemap, the API contract over
 * HTTP, job events as Server-Sent Events and the project's vector tiles, for browsers where the
 * Electron shell cannot run (`npm run web`). Node core only (node:http), bound to 127.0.0.1.
 *
 *   POST /api/<method>                 JSON request → JSON ApiResult (service.call never throws)
 *   GET  /api/events                   text/event-stream of JobEvent
 *   GET  /tiles/<layer>/<z>/<x>/<y>.pbf  MVT (deposits, surveys, reference); 204 when the tile is empty
 *   GET  /basemaps/<id>/<z>/<x>/<y>.<ext>  a tile of a user basemap (MBTiles/PMTiles); 204 when none
 *   GET  /downloads/<name>             a file of the export directory (attachment)
 *   GET  /assets/...                   glyphs, basemap
 *   GET  /...                          the built renderer (dist/renderer)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { parseBasemapPath } from '../api/basemaps';
import { BASEMAP_PATH_PREFIX, HTTP_API_PREFIX, HTTP_EVENTS_PATH, METHODS, type MethodName, TILE_LAYERS, TILE_PATH_PREFIX } from '../api/contract';
import { OutcropService } from '../api/service';
import { matchTilePath } from '../api/tile-path';
import { OutcropError } from '../errors';
import { isAllowedHost, isAllowedOrigin, setSecurityHeaders } from './security';
import { resolveInside, sendFile } from './static-files';

export interface WebHostOptions {
  /** 0 (default) = a free port chosen by the OS. */
  port?: number;
  /** Only loopback: the host is for the user of this machine. */
  host?: '127.0.0.1';
  /** The built renderer (index.html and its bundles). */
  rendererDir: string;
  /** Outcrop's assets/ (glyphs, basemap), served under /assets/. */
  assetsDir: string;
  /** Where the host keeps its settings (recent projects) and the files it exports. */
  dataDir: string;
  version?: string;
  /** The service to serve; by default a new one for this host. */
  service?: OutcropService;
}

export interface WebHost {
  url: string;
  port: number;
  service: OutcropService;
  close(): Promise<void>;
}

/** Largest API request body: a survey polygon can carry many vertices. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;
export const DOWNLOADS_PREFIX = '/downloads/';
export const ASSETS_PREFIX = '/assets/';
/** Export files are named by the service (outcrop-export-<time>.<ext>); nothing else is served. */
const DOWNLOAD_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;
const SSE_HEARTBEAT_MS = 15_000;

/** Start the web host; resolves once it listens. */
export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const exportDir = resolve(opts.dataDir, 'exports');
  const service =
    opts.service ??
    new OutcropService({
      host: 'web',
      version: opts.version ?? '0.0.0',
      settingsDir: resolve(opts.dataDir, 'settings'),
      exportDir,
      downloadUrl: (name) => `${DOWNLOADS_PREFIX}${encodeURIComponent(name)}`,
    });
  const rendererDir = resolve(opts.rendererDir);
  const assetsDir = resolve(opts.assetsDir);
  const sockets = new Set<import('node:net').Socket>();
  const streams = new Set<ServerResponse>();
  let port = 0;

  const server = createServer((req, res) => {
    setSecurityHeaders(res);
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendText(res, 500, `internal error: ${err instanceof Error ? err.message : String(err)}`);
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isAllowedHost(req, port)) return sendText(res, 421, 'this host only answers to 127.0.0.1 and localhost');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const path = url.pathname;
    const method = req.method ?? 'GET';

    if (path.startsWith(HTTP_API_PREFIX) && path !== HTTP_EVENTS_PATH) {
      if (method !== 'POST') return sendText(res, 405, 'API methods take POST', { Allow: 'POST' });
      return api(req, res, decodeURIComponent(path.slice(HTTP_API_PREFIX.length)));
    }
    if (method !== 'GET' && method !== 'HEAD') return sendText(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    const head = method === 'HEAD';

    if (path === HTTP_EVENTS_PATH) return events(req, res);
    if (path.startsWith(TILE_PATH_PREFIX)) return tile(res, path, head, url.searchParams.get('filter'));
    if (path.startsWith(BASEMAP_PATH_PREFIX)) return basemapTile(res, path, head);
    if (path.startsWith(DOWNLOADS_PREFIX)) {
      const name = safeDecode(path.slice(DOWNLOADS_PREFIX.length));
      const file = name && DOWNLOAD_NAME_RE.test(name) && !name.includes('..') ? resolveInside(exportDir, name) : null;
      if (!file || !(await sendFile(res, file, { head, download: name ?? undefined, cacheControl: 'no-store' }))) return sendText(res, 404, 'no such download');
      return;
    }
    if (path.startsWith(ASSETS_PREFIX)) {
      const file = resolveInside(assetsDir, path.slice(ASSETS_PREFIX.length));
      if (!file || !(await sendFile(res, file, { head, cacheControl: 'max-age=3600' }))) return sendText(res, 404, 'not found');
      return;
    }
    const file = resolveInside(rendererDir, path === '/' ? '/index.html' : path);
    if (!file || !(await sendFile(res, file, { head }))) return sendText(res, 404, 'not found');
  }

  async function api(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    if (!isAllowedOrigin(req, port)) return sendText(res, 403, 'cross-origin API calls are refused');
    if (!Object.prototype.hasOwnProperty.call(METHODS, name)) {
      return sendJson(res, 404, { ok: false, error: { code: 'USAGE', message: `unknown API method "${name}"` } });
    }
    // A JSON content type cannot be sent by a plain HTML form: one more CSRF fence.
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      return sendJson(res, 415, { ok: false, error: { code: 'USAGE', message: 'send the request as Content-Type: application/json' } });
    }
    let body: unknown;
    try {
      const text = await readBody(req, MAX_BODY_BYTES);
      body = text.trim() === '' ? {} : JSON.parse(text);
    } catch (err) {
      return sendJson(res, 400, { ok: false, error: { code: 'USAGE', message: `${name}: ${err instanceof Error ? err.message : String(err)}` } });
    }
    const result = await service.call(name as MethodName, body);
    sendJson(res, 200, result);
  }

  function events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': outcrop job events\n\n');
    streams.add(res);
    const off = service.onJobEvent((e) => res.write(`data: ${JSON.stringify(e)}\n\n`));
    const beat = setInterval(() => res.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
    const stop = () => {
      clearInterval(beat);
      off();
      streams.delete(res);
    };
    req.on('close', stop);
    res.on('close', stop);
  }

  function tile(res: ServerResponse, path: string, head: boolean, filter: string | null): void {
    const t = matchTilePath(path);
    if (!t) return sendText(res, 404, `tile paths are /tiles/<${TILE_LAYERS.join('|')}>/<z>/<x>/<y>.pbf`);
    let buf: Buffer | null;
    try {
      buf = service.tile(t.layer, t.z, t.x, t.y, filter);
    } catch (err) {
      return sendText(res, 400, err instanceof Error ? err.message : String(err));
    }
    res.setHeader('Cache-Control', 'no-cache');
    if (!buf || buf.length === 0) {
      res.statusCode = 204;
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/x-protobuf', 'Content-Length': buf.length });
    res.end(head ? undefined : buf);
  }

  async function basemapTile(res: ServerResponse, path: string, head: boolean): Promise<void> {
    const t = parseBasemapPath(path);
    if (!t) return sendText(res, 404, 'basemap tile paths are /basemaps/<id>/<z>/<x>/<y>.<pbf|png|jpg|webp>');
    let tile: { data: Buffer; mime: string } | null;
    try {
      tile = await service.basemapTile(t.id, t.z, t.x, t.y);
    } catch (err) {
      return sendText(res, err instanceof OutcropError && err.code === 'NOT_FOUND' ? 404 : 500, err instanceof Error ? err.message : String(err));
    }
    res.setHeader('Cache-Control', 'max-age=3600');
    if (!tile) {
      res.statusCode = 204;
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': tile.mime, 'Content-Length': tile.data.length });
    res.end(head ? undefined : tile.data);
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', fail);
      ok();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    service,
    async close() {
      for (const s of streams) s.end();
      await new Promise<void>((done) => {
        server.close(() => done());
        for (const s of sockets) s.destroy();
      });
      if (!opts.service) await service.dispose();
    },
  };
}

/** Default locations, relative to the repository (src/web/ → ../../). */
export function defaultHostDirs(root = resolve(import.meta.dirname, '../..')): { rendererDir: string; assetsDir: string } {
  return { rendererDir: join(root, 'dist/renderer'), assetsDir: join(root, 'assets') };
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        fail(new Error(`request body over ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}
