import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { zxyToTileId } from 'pmtiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBasemapFile } from '../../../src/tiles/basemap-file';
import { hasCommand } from '../../helpers/cli';
import { sharedPath } from '../../helpers/data';

// A user's own basemap: vector MBTiles written by GDAL (the reference tool) from the real
// Japanese sites, and a PMTiles v3 archive holding one of those tiles, written per the spec.
const hasGdal = hasCommand('ogr2ogr');
let dir: string;
let mbtiles: string;

// Tile → lon/lat box, written independently of src/tiles/tile-math.ts.
const tileBox = (z: number, x: number, y: number) => {
  const lon = (i: number) => (i / 2 ** z) * 360 - 180;
  const lat = (j: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * j) / 2 ** z))) * 180) / Math.PI;
  return { w: lon(x), e: lon(x + 1), n: lat(y), s: lat(y + 1) };
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-basemap-'));
  mbtiles = join(dir, 'japan.mbtiles');
  if (hasGdal) execFileSync('ogr2ogr', ['-f', 'MBTILES', mbtiles, sharedPath('deposits', 'japan-sites.geojson'), '-nln', 'sites', '-dsco', 'MAXZOOM=6']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasGdal)('MBTiles basemaps', () => {
  it('read metadata and serve tiles with the TMS row flipped (points land inside their XYZ tile)', async () => {
    const b = await openBasemapFile(mbtiles);
    expect(b).toMatchObject({ kind: 'mbtiles', format: 'pbf', minzoom: 0, maxzoom: 6 });
    expect(b.vectorLayers.map((l) => l.id)).toContain('sites');
    // Kantō at z5: XYZ tile (28, 12)
    const [z, x, y] = [5, 28, 12];
    const tile = await b.tile(z, x, y);
    expect(tile).not.toBeNull();
    const vt = new VectorTile(new PbfReader(tile!));
    const layer = vt.layers.sites;
    expect(layer.length).toBeGreaterThan(0);
    const box = tileBox(z, x, y);
    for (let i = 0; i < layer.length; i++) {
      const g = layer.feature(i).toGeoJSON(x, y, z).geometry as { coordinates: number[] };
      const [lon, lat] = g.coordinates;
      expect(lon).toBeGreaterThanOrEqual(box.w - 0.5);
      expect(lon).toBeLessThanOrEqual(box.e + 0.5);
      expect(lat).toBeGreaterThanOrEqual(box.s - 0.5);
      expect(lat).toBeLessThanOrEqual(box.n + 0.5);
    }
    expect(await b.tile(5, 0, 0)).toBeNull(); // the Arctic off Alaska has no Japanese site
    await expect(b.tile(5, 99, 0)).rejects.toThrow(/tile/i);
    b.close();
  });

  it('a PMTiles v3 archive gives back exactly the tile stored in it', async () => {
    const m = new Database(mbtiles, { readonly: true });
    const row = m.prepare('SELECT zoom_level z, tile_column x, tile_row r, tile_data d FROM tiles WHERE zoom_level = 5 ORDER BY length(tile_data) DESC LIMIT 1').get() as any;
    m.close();
    const [z, x, y] = [row.z, row.x, 2 ** row.z - 1 - row.r];
    const file = join(dir, 'one.pmtiles');
    writeFileSync(file, minimalPmtiles(zxyToTileId(z, x, y), row.d, z));
    const b = await openBasemapFile(file);
    expect(b).toMatchObject({ kind: 'pmtiles', format: 'pbf', minzoom: z, maxzoom: z });
    const got = await b.tile(z, x, y);
    const expected = row.d[0] === 0x1f ? (await import('node:zlib')).gunzipSync(row.d) : row.d;
    expect(Buffer.compare(got!, expected)).toBe(0);
    expect(await b.tile(z, x + 1, y)).toBeNull();
    b.close();
  });

  it('refuses what it cannot serve, naming the file', async () => {
    const bad = join(dir, 'notes.mbtiles');
    writeFileSync(bad, 'not sqlite');
    await expect(openBasemapFile(bad)).rejects.toThrow(/notes\.mbtiles is not an MBTiles file/);
    await expect(openBasemapFile(join(dir, 'map.png'))).rejects.toThrow(/\.mbtiles or \.pmtiles/);
  });
});

/** A one-tile PMTiles v3 file (spec: github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md). */
function minimalPmtiles(tileId: number, data: Buffer, z: number): Buffer {
  const varint = (n: number) => {
    const out: number[] = [];
    while (n >= 0x80) {
      out.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    out.push(n);
    return out;
  };
  // directory: count, tile-id deltas, run lengths, lengths, offsets (+1)
  const dir = Buffer.from([...varint(1), ...varint(tileId), ...varint(1), ...varint(data.length), ...varint(0 + 1)]);
  const meta = Buffer.from(JSON.stringify({ name: 'one tile', vector_layers: [{ id: 'sites' }] }));
  const h = Buffer.alloc(127);
  h.write('PMTiles', 0, 'ascii');
  h[7] = 3;
  const u64 = (off: number, v: number) => h.writeBigUInt64LE(BigInt(v), off);
  const rootOff = 127;
  const metaOff = rootOff + dir.length;
  const dataOff = metaOff + meta.length;
  u64(8, rootOff); u64(16, dir.length); u64(24, metaOff); u64(32, meta.length);
  u64(40, dataOff); u64(48, 0); u64(56, dataOff); u64(64, data.length);
  u64(72, 1); u64(80, 1); u64(88, 1);
  h[96] = 1; // clustered
  h[97] = 1; // internal compression: none
  h[98] = data[0] === 0x1f ? 2 : 1; // tile compression: gzip or none
  h[99] = 1; // MVT
  h[100] = z; h[101] = z;
  h.writeInt32LE(1220000000, 102); h.writeInt32LE(200000000, 106); h.writeInt32LE(1540000000, 110); h.writeInt32LE(460000000, 114);
  h[118] = z; h.writeInt32LE(1390000000, 119); h.writeInt32LE(360000000, 123);
  return Buffer.concat([h, dir, meta, data]);
}
