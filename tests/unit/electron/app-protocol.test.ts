import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler, parseTilePath, resolveAppPath } from '../../../electron/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../../electron/security';

let dir: string;
let root: string;
const tiles: string[] = [];
let handler: ReturnType<typeof createAppProtocolHandler>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-protocol-'));
  root = join(dir, 'renderer');
  mkdirSync(join(root, 'bundle'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Outcrop</title>');
  writeFileSync(join(root, 'bundle', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'bundle', 'style.css'), 'body{}');
  // Outside the root, including a sibling whose name starts like the root's.
  writeFileSync(join(dir, 'secret.txt'), 'SECRET');
  mkdirSync(join(dir, 'renderer-secret'));
  writeFileSync(join(dir, 'renderer-secret', 'key.txt'), 'SECRET');
  symlinkSync(join(dir, 'secret.txt'), join(root, 'bundle', 'link.txt'));
  mkdirSync(join(dir, 'assets', 'glyphs', 'Noto Sans Regular'), { recursive: true });
  writeFileSync(join(dir, 'assets', 'glyphs', 'Noto Sans Regular', '0-255.pbf'), 'GLYPHS');
  mkdirSync(join(dir, 'assets', 'basemap'));
  writeFileSync(join(dir, 'assets', 'basemap', 'land.geojson'), '{"type":"FeatureCollection","features":[]}');
  handler = createAppProtocolHandler({
    rendererDir: root,
    assetsDir: join(dir, 'assets'),
    tile: (layer, z, x, y) => {
      tiles.push(`${layer}/${z}/${x}/${y}`);
      return layer === 'deposits' ? Buffer.from([0x1a, 0x02, 0x08, 0x01]) : null;
    },
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveAppPath', () => {
  it('maps app paths into the renderer dir; / is index.html', () => {
    expect(resolveAppPath(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveAppPath(root, '/bundle/app.js')).toBe(join(root, 'bundle', 'app.js'));
    expect(resolveAppPath(root, '/bundle/my%20file.js')).toBe(join(root, 'bundle', 'my file.js'));
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/..',
    '/%2e%2e/secret.txt',
    '/%2E%2E/secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/.%2e/secret.txt',
    '/%2e./secret.txt',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
    '/assets\\..\\..\\secret.txt',
    '/../renderer-secret/key.txt',
    '/index.html%00.js',
    '/%E0%A4%A', // malformed escape
  ])('refuses %s', (p) => {
    expect(resolveAppPath(root, p)).toBeNull();
  });
});

describe('parseTilePath', () => {
  it('reads /tiles/<layer>/<z>/<x>/<y>.pbf', () => {
    expect(parseTilePath('/tiles/deposits/3/4/5.pbf')).toEqual({ layer: 'deposits', z: 3, x: 4, y: 5 });
    expect(parseTilePath('/tiles/surveys/0/0/0.pbf')).toEqual({ layer: 'surveys', z: 0, x: 0, y: 0 });
    expect(parseTilePath('/tiles/reference/6/11/25.pbf')).toEqual({ layer: 'reference', z: 6, x: 11, y: 25 });
  });
  it.each(['/tiles/users/0/0/0.pbf', '/tiles/references/0/0/0.pbf', '/tiles/reference/1/2/0.pbf', '/tiles/deposits/1/2/0.pbf', '/tiles/deposits/25/0/0.pbf', '/tiles/deposits/0/0/0.png', '/tiles/deposits/-1/0/0.pbf', '/tiles/deposits/0/0/0.pbf/x', '/x/deposits/0/0/0.pbf'])(
    'refuses %s',
    (p) => expect(parseTilePath(p)).toBeNull(),
  );
});

describe('the outcrop:// handler', () => {
  const get = (url: string, method = 'GET') => handler({ url, method });

  it('serves the renderer with its content type and the CSP', async () => {
    const r = await get('outcrop://app/index.html');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await r.text()).toContain('<title>Outcrop</title>');
    expect((await get('outcrop://app/')).status).toBe(200);
    const js = await get('outcrop://app/bundle/app.js?v=1');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log(1)');
  });

  it('answers client-side routes with index.html and missing assets with 404', async () => {
    expect(await (await get('outcrop://app/deposits/123')).text()).toContain('<title>Outcrop</title>');
    expect((await get('outcrop://app/bundle/missing.js')).status).toBe(404);
  });

  it.each([
    'outcrop://app/../secret.txt',
    'outcrop://app/%2e%2e/secret.txt',
    'outcrop://app/bundle/%2e%2e/%2e%2e/secret.txt',
    'outcrop://app/..%2fsecret.txt',
    'outcrop://app/%2e%2e/renderer-secret/key.txt',
    'outcrop://app/bundle/link.txt',
  ])('never serves a file outside the renderer dir: %s', async (url) => {
    const r = await get(url);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(await r.text()).not.toContain('SECRET');
    expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('serves assets/ (basemap, glyphs) under /assets/, as the web host does, and nothing around it', async () => {
    const glyphs = await get('outcrop://app/assets/glyphs/Noto%20Sans%20Regular/0-255.pbf');
    expect(glyphs.status).toBe(200);
    expect(glyphs.headers.get('content-type')).toBe('application/x-protobuf');
    expect(await glyphs.text()).toBe('GLYPHS');
    const land = await get('outcrop://app/assets/basemap/land.geojson');
    expect(land.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
    expect(land.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await get('outcrop://app/assets/basemap/nope.geojson')).status).toBe(404);
    expect((await get('outcrop://app/assets/')).status).toBe(404);
    for (const bad of ['outcrop://app/assets/../secret.txt', 'outcrop://app/assets/%2e%2e/secret.txt', 'outcrop://app/assets/..%2f..%2fsecret.txt']) {
      const r = await get(bad);
      expect(r.status, bad).toBeGreaterThanOrEqual(400);
      expect(await r.text()).not.toContain('SECRET');
    }
  });

  it('serves tiles same-origin from the service: 200 with data, 204 when empty', async () => {
    const r = await get('outcrop://app/tiles/deposits/2/1/3.pbf?v=7');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/x-protobuf');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(new Uint8Array(await r.arrayBuffer())).toEqual(new Uint8Array([0x1a, 0x02, 0x08, 0x01]));
    expect(tiles).toContain('deposits/2/1/3');
    expect((await get('outcrop://app/tiles/surveys/0/0/0.pbf')).status).toBe(204);
    expect((await get('outcrop://app/tiles/deposits/1/5/0.pbf')).status).toBe(404);
    // The stored reference layers, by the same path parser and service call as the web host.
    expect((await get('outcrop://app/tiles/reference/6/11/25.pbf?v=abc')).status).toBe(204);
    expect(tiles).toContain('reference/6/11/25');
  });

  it('knows no other host, no other method', async () => {
    expect((await get('outcrop://tiles/deposits/0/0/0.pbf')).status).toBe(404);
    expect((await get('outcrop://evil/index.html')).status).toBe(404);
    expect((await get('outcrop://app/index.html', 'POST')).status).toBe(405);
    expect((await get('not a url')).status).toBe(400);
    const head = await get('outcrop://app/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
