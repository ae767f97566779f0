import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';

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
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function mimeType(file: string): string {
  return MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` that a URL path names, or null when the path would leave `root`
 * (`..`, encoded `%2e%2e`, backslashes, NUL) or cannot be decoded. `urlPath` is the part after
 * the route prefix, still percent-encoded.
 */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded.split('/').some((seg) => seg === '..')) return null;
  const base = resolve(root);
  const file = resolve(base, `.${decoded.startsWith('/') ? '' : '/'}${decoded}`);
  return file === base || file.startsWith(base + sep) ? file : null;
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
