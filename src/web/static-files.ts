import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

/** MIME types of what the renderer build, the basemap and the exports contain. */
export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.geojson': 'application/geo+json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.pbf': 'application/x-protobuf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function mimeType(file: string): string {
  return MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` that a URL path names, or null when the path would leave `root` or is
 * malformed: `..` or `.` segments (plain or percent-encoded), encoded slashes, backslashes,
 * NUL, bad escapes. `urlPath` is the part after the route prefix, still percent-encoded. Used by
 * the web host and by Electron's outcrop:// protocol.
 */
export function resolveInside(root: string, urlPath: string): string | null {
  // Refuse before decoding too, so `%2e%2e` or `%2f` never get a second chance after decoding.
  if (/(^|[/\\])\.\.([/\\]|$)/.test(urlPath) || /%2e%2e|%2f|%5c|%00/i.test(urlPath)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((seg) => seg.length > 0);
  if (segments.some((seg) => seg === '..' || seg === '.')) return null;
  const base = resolve(root);
  const file = resolve(base, ...segments);
  const rel = relative(base, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..') ? file : null;
}

/** Stream a regular file with its MIME type; false when there is no such file (caller sends 404). */
export async function sendFile(
  res: ServerResponse,
  file: string,
  opts: { head?: boolean; cacheControl?: string; download?: string } = {},
): Promise<boolean> {
  let size: number;
  try {
    const st = await stat(file);
    if (!st.isFile()) return false;
    size = st.size;
  } catch {
    return false;
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', mimeType(file));
  res.setHeader('Content-Length', size);
  res.setHeader('Cache-Control', opts.cacheControl ?? 'no-cache');
  if (opts.download) res.setHeader('Content-Disposition', `attachment; filename="${opts.download.replace(/["\\\r\n]/g, '_')}"`);
  if (opts.head) {
    res.end();
    return true;
  }
  await new Promise<void>((done) => {
    const s = createReadStream(file);
    s.on('error', () => {
      res.destroy();
      done();
    });
    s.on('end', () => done());
    s.pipe(res);
  });
  return true;
}
