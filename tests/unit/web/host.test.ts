import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../src/api/contract';
import { startWebHost, type WebHost } from '../../../src/web/host';
import { CONTENT_SECURITY_POLICY } from '../../../src/web/security';
import { resolveInside } from '../../../src/web/static-files';
import { hasSharedData, sharedPath } from '../../helpers/data';

const ROOT = resolve(__dirname, '../../..');
const SECRET = 'TOP-SECRET-do-not-serve';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

let dir: string;
let host: WebHost;

/** A raw HTTP request, so tests control the Host header and send unnormalised paths. */
function send(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((ok, fail) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, path, method: opts.method ?? 'GET', headers: { Host: `127.0.0.1:${host.port}`, ...opts.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', fail);
    req.end(opts.body);
  });
}

const call = (method: string, body: unknown, headers: Record<string, string> = {}) =>
  send(`/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
const json = (r: Reply) => JSON.parse(r.body.toString('utf8'));

/** Subscribe to /api/events and resolve with the first done/error event of a job. */
function nextJobEnd(): Promise<{ event: Promise<JobEvent>; close(): void }> {
  return new Promise((ready, fail) => {
    const req = request({ host: '127.0.0.1', port: host.port, path: '/api/events', headers: { Host: `localhost:${host.port}` } }, (res) => {
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      let buf = '';
      const event = new Promise<JobEvent>((resolveEvent) => {
        res.on('data', (c: Buffer) => {
          buf += c.toString('utf8');
          for (const m of buf.matchAll(/^data: (.*)$/gm)) {
            const e = JSON.parse(m[1]) as JobEvent;
            if (e.type !== 'progress') resolveEvent(e);
          }
        });
      });
      ready({ event, close: () => req.destroy() });
    });
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : fail(e)));
    req.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-web-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'bundle'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Outcrop</title>');
  writeFileSync(join(rendererDir, 'bundle', 'worker.mjs'), 'export {};');
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  mkdirSync(join(dir, 'data', 'exports'), { recursive: true });
  writeFileSync(join(dir, 'data', 'secret.txt'), SECRET);
  writeFileSync(join(dir, 'data', 'exports', 'outcrop-export-1.csv'), 'id,name\n1,Mountain Pass\n');
  host = await startWebHost({ port: 0, rendererDir, assetsDir: join(ROOT, 'assets'), dataDir: join(dir, 'data'), version: 'test' });
});

afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('web host', () => {
  it('listens on loopback only and serves the renderer with a strict CSP on every response', async () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/`);
    for (const path of ['/', '/bundle/worker.mjs', '/nope', '/tiles/deposits/0/0/0.pbf']) {
      const r = await send(path);
      expect(r.headers['content-security-policy'], path).toBe(CONTENT_SECURITY_POLICY);
      expect(r.headers['x-content-type-options'], path).toBe('nosniff');
    }
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    const index = await send('/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect((await send('/bundle/worker.mjs')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await send('/index.html', { method: 'HEAD' })).status).toBe(200);
  });

  it('serves glyphs and the basemap from assets/ with their MIME types', async () => {
    const glyph = await send('/assets/glyphs/Noto%20Sans%20Regular/0-255.pbf');
    expect(glyph.status).toBe(200);
    expect(glyph.headers['content-type']).toBe('application/x-protobuf');
    expect(glyph.body.length).toBeGreaterThan(1000);
    const land = await send('/assets/basemap/land.geojson');
    expect(land.headers['content-type']).toBe('application/geo+json; charset=utf-8');
    expect(json(land).type).toBe('FeatureCollection');
  });

  it('refuses a Host header other than 127.0.0.1/localhost with its port (DNS rebinding)', async () => {
    for (const h of ['evil.example', `evil.example:${host.port}`, '127.0.0.1', `127.0.0.1:${host.port + 1}`, `0.0.0.0:${host.port}`]) {
      const r = await send('/', { headers: { Host: h } });
      expect(r.status, h).toBe(421);
      expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    }
    expect((await send('/', { headers: { Host: `localhost:${host.port}` } })).status).toBe(200);
    expect((await call('app.info', {}, { Host: `attacker.test:${host.port}` })).status).toBe(421);
  });

  it('never serves a file outside the export, asset or renderer directory', async () => {
    const attempts = [
      '/downloads/../secret.txt',
      '/downloads/..%2fsecret.txt',
      '/downloads/%2e%2e%2fsecret.txt',
      '/downloads/%2E%2E/secret.txt',
      '/downloads/..%5csecret.txt',
      '/downloads/exports%2f..%2f..%2fsecret.txt',
      '/downloads/%2fetc%2fpasswd',
      '/downloads/.%2e/.%2e/secret.txt',
      '/downloads/outcrop-export-1.csv%00.txt',
      '/downloads/%E0%A4%A',
      '/assets/..%2f..%2fpackage.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/bundle/..%2f..%2fsecret.txt',
    ];
    for (const path of attempts) {
      const r = await send(path);
      expect(r.status, path).toBe(404);
      expect(r.body.toString(), path).not.toContain(SECRET);
      expect(r.body.toString(), path).not.toContain('"name": "outcrop"');
    }
    const ok = await send('/downloads/outcrop-export-1.csv');
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(ok.headers['content-disposition']).toBe('attachment; filename="outcrop-export-1.csv"');
    expect(ok.body.toString()).toContain('Mountain Pass');
  });

  it('resolveInside keeps every path under its root', () => {
    const root = join(dir, 'root');
    expect(resolveInside(root, '/a/b.txt')).toBe(join(root, 'a/b.txt'));
    expect(resolveInside(root, 'a%20b.pbf')).toBe(join(root, 'a b.pbf'));
    for (const p of ['..', '../x', '/../x', '%2e%2e/x', 'a/../../x', 'a\\..\\x', 'x%00', '%zz']) expect(resolveInside(root, p), p).toBeNull();
  });

  it('answers API calls with the ApiResult envelope and fences them against cross-site use', async () => {
    const info = await call('app.info', {});
    expect(info.status).toBe(200);
    expect(json(info)).toEqual({ ok: true, value: { version: 'test', apiVersion: 1, host: 'web', dialogs: false } });
    expect((await send('/api/app.info')).status).toBe(405);
    expect(json(await call('no.such', {}))).toMatchObject({ ok: false, error: { code: 'USAGE', message: /unknown API method "no.such"/ } });
    expect(json(await call('__proto__', {}))).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect((await call('app.info', {}, { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await call('app.info', {}, { Origin: `http://localhost:${host.port}` })).status).toBe(200);
    const form = await send('/api/project.open', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{"path":"/tmp/x.gpkg","create":true}' });
    expect(form.status).toBe(415);
    const bad = await send('/api/app.info', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{nope' });
    expect(bad.status).toBe(400);
    expect(json(bad)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(json(await call('query.near', { center: [999, 0], km: 1 }))).toMatchObject({ ok: false, error: { code: 'USAGE' } });
  });

  it.skipIf(!hasSharedData)('imports over the API, streams job events, serves tiles and the export download', async () => {
    const file = join(dir, 'p.gpkg');
    expect(json(await call('project.open', { path: file, create: true }))).toMatchObject({ ok: true, value: { counts: { deposits: 0 } } });
    expect((await send('/tiles/deposits/0/0/0.pbf')).status).toBe(204);

    const sub = await nextJobEnd();
    const started = json(await call('jobs.import', { path: sharedPath('deposits', 'japan-sites.geojson') }));
    expect(started).toMatchObject({ ok: true, value: { jobId: expect.any(String) } });
    const done = await sub.event;
    sub.close();
    expect(done).toMatchObject({ jobId: started.value.jobId, kind: 'import', type: 'done' });

    const tile = await send('/tiles/deposits/0/0/0.pbf');
    expect(tile.status).toBe(200);
    expect(tile.headers['content-type']).toBe('application/x-protobuf');
    expect(tile.body.length).toBeGreaterThan(20);
    const detail = await send('/tiles/deposits/8/227/100.pbf'); // Hokkaido at z8
    expect([200, 204]).toContain(detail.status);
    expect((await send('/tiles/surveys/0/0/0.pbf')).status).toBe(204);
    expect((await send('/tiles/deposits/1/5/5.pbf')).status).toBe(400);
    expect((await send('/tiles/rocks/0/0/0.pbf')).status).toBe(404);

    // The stored reference layers: one tile layer, served once a layer is imported; no filter.
    expect((await send('/tiles/reference/0/0/0.pbf')).status).toBe(204);
    const sub1 = await nextJobEnd();
    const layerJob = json(await call('jobs.layerImport', { path: join(ROOT, 'tests/fixtures/reference/sw-us-protected-areas.geojson'), role: 'exclusion' }));
    expect(await sub1.event).toMatchObject({ jobId: layerJob.value.jobId, kind: 'layer-import', type: 'done' });
    sub1.close();
    const ref = await send('/tiles/reference/0/0/0.pbf');
    expect(ref.status).toBe(200);
    expect(ref.body.includes(Buffer.from('Gila Wilderness (simplified outline)'))).toBe(true);
    expect((await send(`/tiles/reference/0/0/0.pbf?filter=${encodeURIComponent('{"agency":["USGS"]}')}`)).status).toBe(400);
    expect(json(await call('layers.delete', { names: ['sw-us-protected-areas'] }))).toMatchObject({ ok: true });
    expect((await send('/tiles/reference/0/0/0.pbf')).status).toBe(204);

    const sub2 = await nextJobEnd();
    const exp = json(await call('jobs.export', { format: 'csv' }));
    const exported = await sub2.event;
    sub2.close();
    expect(exported).toMatchObject({ jobId: exp.value.jobId, type: 'done', downloadUrl: expect.stringMatching(/^\/downloads\/outcrop-export-.*\.csv$/) });
    const dl = await send((exported as { downloadUrl: string }).downloadUrl);
    expect(dl.status).toBe(200);
    expect(dl.body.toString().split('\n').length).toBeGreaterThan(200);
  });
});
