import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The web host's Content-Security-Policy: everything from the host itself, nothing else.
 * `style-src 'unsafe-inline'` because React and MapLibre set element styles; `blob:` workers
 * and images because MapLibre may create them; no `connect-src` beyond 'self', so a page that
 * tried to reach the network would be refused by the browser as well.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every response carries, whatever it is. */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

/**
 * DNS-rebinding guard: a page on evil.example that re-points its name at 127.0.0.1 still sends
 * `Host: evil.example`, so only the loopback names with our port are accepted.
 */
export function isAllowedHost(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/**
 * CSRF guard for state-changing calls: a browser always sends Origin on a cross-origin POST,
 * so a present Origin must be ours. (Non-browser clients such as tests send none.)
 */
export function isAllowedOrigin(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}
