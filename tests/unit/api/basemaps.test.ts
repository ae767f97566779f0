/**
 * User basemaps through the API and the web host: a GDAL-made MBTiles of the real Arizona
 * geology map is added by path, remembered between runs, and its tiles are served byte for
 * byte (uncompressed) under the app's own origin.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBasemapPath } from '../../../src/api/basemaps';
import { OutcropService } from '../../../src/api/service';
import { startWebHost, type WebHost } from '../../../src/web/host';
import { hasCommand } from '../../helpers/cli';
import { hasSharedData, sharedPath } from '../../helpers/data';

const canRun = hasCommand('ogr2ogr') && hasSharedData;
let dir: string;
let mbtiles: string;

function get(host: WebHost, path: string): Promise<{ status: number; type?: string; body: Buffer }> {
  return new Promise((ok, fail) => {
    request({ host: '127.0.0.1', port: host.port, path, headers: { Host: `127.0.0.1:${host.port}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, type: res.headers['content-type'], body: Buffer.concat(chunks) }));
    })
      .on('error', fail)
      .end();
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-basemaps-'));
  mbtiles = join(dir, 'az-geology.mbtiles');
  if (canRun) {
    execFileSync('ogr2ogr', ['-f', 'MBTILES', mbtiles, `/vsigzip/${sharedPath('polygons', 'arizona-geology-1m-polygons.geojson.gz')}`, '-nln', 'geology', '-dsco', 'MINZOOM=4', '-dsco', 'MAXZOOM=7']);
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('basemap tile paths', () => {
  it('accepts only /basemaps/<12 hex>/<z>/<x>/<y>.<format> inside the tile grid', () => {
    expect(parseBasemapPath('/basemaps/0123456789ab/6/11/25.pbf')).toEqual({ id: '0123456789ab', z: 6, x: 11, y: 25 });
    expect(parseBasemapPath('/basemaps/0123456789ab/2/4/0.png')).toBeNull(); // x ≥ 2^z
    expect(parseBasemapPath('/basemaps/../../etc/passwd')).toBeNull();
    expect(parseBasemapPath('/basemaps/0123456789ab/6/11/25.exe')).toBeNull();
    expect(parseBasemapPath('/basemaps/0123456789AB/6/11/25.pbf')).toBeNull();
  });
});

describe.skipIf(!canRun)('user basemaps (MBTiles made by GDAL from the real Arizona geology map)', () => {
  let settings: string;
  let host: WebHost;
  let svc: OutcropService;

  beforeAll(async () => {
    host = await startWebHost({ port: 0, rendererDir: dir, assetsDir: dir, dataDir: join(dir, 'host') });
    svc = host.service;
    settings = join(dir, 'host', 'settings');
  });
  afterAll(async () => {
    await host?.close();
  });

  it('adds a basemap by path, with what the file says about itself', async () => {
    const r = await svc.call('basemaps.add', { path: mbtiles });
    expect(r).toMatchObject({ ok: true, value: { format: 'pbf', minzoom: 4, maxzoom: 7, vectorLayers: ['geology'], error: null } });
    const b = (r as any).value;
    expect(b.tiles).toBe(`/basemaps/${b.id}/{z}/{x}/{y}.pbf`);
    // GDAL wrote the bounds of the Arizona map.
    expect(b.bounds[0]).toBeCloseTo(-114.8, 1);
    expect(b.bounds[3]).toBeCloseTo(37.0, 1);
    expect(await svc.call('basemaps.list', {})).toMatchObject({ ok: true, value: [{ id: b.id, path: mbtiles }] });
  });

  it('serves each tile uncompressed, exactly as stored (TMS rows flipped to XYZ), and 204 where there is none', async () => {
    const list = (await svc.call('basemaps.list', {})) as any;
    const id = list.value[0].id;
    const db = new Database(mbtiles, { readonly: true });
    const rows = db.prepare('SELECT zoom_level AS z, tile_column AS x, tile_row AS tmsY, tile_data AS data FROM tiles ORDER BY zoom_level, tile_column, tile_row LIMIT 5').all() as {
      z: number;
      x: number;
      tmsY: number;
      data: Buffer;
    }[];
    db.close();
    expect(rows.length).toBeGreaterThan(0);
    for (const t of rows) {
      const y = 2 ** t.z - 1 - t.tmsY;
      const res = await get(host, `/basemaps/${id}/${t.z}/${t.x}/${y}.pbf`);
      expect(res.status).toBe(200);
      expect(res.type).toBe('application/x-protobuf');
      const stored = t.data[0] === 0x1f && t.data[1] === 0x8b ? gunzipSync(t.data) : t.data;
      expect(res.body.equals(stored)).toBe(true);
    }
    // Tokyo at z5 is not in an Arizona map; z9 is past its max zoom.
    expect((await get(host, `/basemaps/${id}/5/28/12.pbf`)).status).toBe(204);
    expect((await get(host, `/basemaps/${id}/9/98/205.pbf`)).status).toBe(204);
    expect((await get(host, '/basemaps/0123456789ab/5/6/12.pbf')).status).toBe(404);
  });

  it('remembers basemaps between runs, and says which file went missing', async () => {
    const copy = join(dir, 'copy.mbtiles');
    copyFileSync(mbtiles, copy);
    await svc.call('basemaps.add', { path: copy });
    rmSync(copy);
    const next = new OutcropService({ host: 'web', version: 'test', settingsDir: settings });
    const r = (await next.call('basemaps.list', {})) as any;
    expect(r.value.map((b: any) => b.path)).toEqual([mbtiles, copy]);
    expect(r.value[0]).toMatchObject({ format: 'pbf', error: null });
    expect(r.value[1]).toMatchObject({ format: null, tiles: null, error: expect.stringMatching(/copy\.mbtiles/) });
    // Removing it forgets it.
    const removed = (await next.call('basemaps.remove', { id: r.value[1].id })) as any;
    expect(removed.value.map((b: any) => b.path)).toEqual([mbtiles]);
    await next.dispose();
  });

  it('refuses a file that is not a basemap, naming it, and does not remember it', async () => {
    const fake = join(dir, 'notes.mbtiles');
    writeFileSync(fake, '{"type":"FeatureCollection","features":[]}');
    const r = await svc.call('basemaps.add', { path: fake });
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringMatching(/notes\.mbtiles is not an MBTiles file/) } });
    const tif = await svc.call('basemaps.add', { path: join(dir, 'ortho.tif') });
    expect(tif).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringMatching(/ortho\.tif: a basemap must be an \.mbtiles or \.pmtiles file/) } });
    const list = (await svc.call('basemaps.list', {})) as any;
    expect(list.value.map((b: any) => b.path)).not.toContain(fake);
  });

  it('asks for a path where there is no file dialog (web host)', async () => {
    expect(await svc.call('basemaps.add', {})).toMatchObject({ ok: false, error: { code: 'USAGE', message: /path of an \.mbtiles or \.pmtiles/ } });
  });
});
