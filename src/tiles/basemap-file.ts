import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Compression, PMTiles, type RangeResponse, type Source, TileType } from 'pmtiles';
import { codedError } from '../errors';
import { coded } from '../messages/en';
import { assertTileCoord } from './tile-math';

/**
 * A user's own offline basemap: a local MBTiles (SQLite, the MBTiles 1.3 spec) or PMTiles v3
 * file, vector or raster. The hosts serve its tiles under the app's own origin, so the map stays
 * offline. Tiles come back uncompressed (MapLibre gets plain PBF/PNG).
 */
export interface BasemapFile {
  kind: 'mbtiles' | 'pmtiles';
  path: string;
  name: string;
  format: 'pbf' | 'png' | 'jpg' | 'webp';
  minzoom: number;
  maxzoom: number;
  /** [w, s, e, n] when the file says. */
  bounds: [number, number, number, number] | null;
  attribution: string | null;
  /** Vector layers (TileJSON `vector_layers`) so the app can style them. */
  vectorLayers: { id: string; fields?: Record<string, string> }[];
  tile(z: number, x: number, y: number): Promise<Buffer | null>;
  close(): void;
}

export async function openBasemapFile(path: string): Promise<BasemapFile> {
  const ext = extname(path).toLowerCase();
  if (ext === '.mbtiles') return openMbtiles(path);
  if (ext === '.pmtiles') return openPmtiles(path);
  throw codedError('USAGE', coded('basemap.wrongExtension', { file: basename(path) }));
}

const gunzipIfNeeded = (b: Buffer): Buffer => (b.length > 2 && b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b);

function openMbtiles(path: string): BasemapFile {
  const name = basename(path);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.prepare('SELECT 1 FROM tiles LIMIT 1').get();
  } catch (err) {
    throw codedError('BAD_INPUT', coded(existsSync(path) ? 'basemap.notMbtiles' : 'basemap.mbtilesGone', { file: name, detail: (err as Error).message }));
  }
  const meta = Object.fromEntries((db.prepare('SELECT name, value FROM metadata').all() as { name: string; value: string }[]).map((r) => [r.name, r.value]));
  const format = (meta.format ?? 'pbf').toLowerCase() as BasemapFile['format'];
  if (!['pbf', 'png', 'jpg', 'webp'].includes(format)) throw codedError('BAD_INPUT', coded('basemap.tileFormat', { file: name, format: String(meta.format) }));
  const bounds = meta.bounds ? (meta.bounds.split(',').map(Number) as [number, number, number, number]) : null;
  let vectorLayers: BasemapFile['vectorLayers'] = [];
  try {
    vectorLayers = meta.json ? (JSON.parse(meta.json).vector_layers ?? []) : [];
  } catch {
    /* optional field; a broken one only loses layer names */
  }
  const get = db.prepare('SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?').pluck();
  return {
    kind: 'mbtiles',
    path,
    name: meta.name ?? name,
    format,
    minzoom: Number(meta.minzoom ?? 0),
    maxzoom: Number(meta.maxzoom ?? 22),
    bounds: bounds && bounds.every(Number.isFinite) ? bounds : null,
    attribution: meta.attribution ?? null,
    vectorLayers,
    async tile(z, x, y) {
      assertTileCoord(z, x, y);
      // MBTiles rows count from the south (TMS): flip y.
      const data = get.get(z, x, 2 ** z - 1 - y) as Buffer | undefined;
      return data ? gunzipIfNeeded(data) : null;
    },
    close: () => db.close(),
  };
}

/** pmtiles' Source over a local file (positional reads, no whole-file load). */
class LocalFileSource implements Source {
  private fd: number;
  constructor(private readonly path: string) {
    this.fd = openSync(path, 'r');
  }
  getKey(): string {
    return this.path;
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const buf = Buffer.alloc(length);
    const n = readSync(this.fd, buf, 0, length, offset);
    return { data: buf.buffer.slice(buf.byteOffset, buf.byteOffset + n) as ArrayBuffer };
  }
  close(): void {
    closeSync(this.fd);
  }
}

async function decompress(buf: ArrayBuffer, c: Compression): Promise<ArrayBuffer> {
  if (c === Compression.None || c === Compression.Unknown) return buf;
  if (c === Compression.Gzip) {
    const out = gunzipSync(Buffer.from(buf));
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
  }
  throw codedError('BAD_INPUT', coded('basemap.compression', { compression: String(Compression[c]) }));
}

async function openPmtiles(path: string): Promise<BasemapFile> {
  const name = basename(path);
  let source: LocalFileSource;
  try {
    source = new LocalFileSource(path);
  } catch (err) {
    throw codedError('NOT_FOUND', coded((err as { code?: string }).code === 'ENOENT' ? 'basemap.gone' : 'basemap.cannotOpen', { file: name, detail: (err as Error).message }));
  }
  const pm = new PMTiles(source, undefined, decompress);
  let header;
  try {
    header = await pm.getHeader();
  } catch (err) {
    source.close();
    throw codedError('BAD_INPUT', coded('basemap.notPmtiles', { file: name, detail: (err as Error).message }));
  }
  const format = ({ [TileType.Mvt]: 'pbf', [TileType.Png]: 'png', [TileType.Jpeg]: 'jpg', [TileType.Webp]: 'webp' } as Record<number, BasemapFile['format']>)[header.tileType];
  if (!format) {
    source.close();
    throw codedError('BAD_INPUT', coded('basemap.tileType', { file: name, type: String(TileType[header.tileType]) }));
  }
  const meta = ((await pm.getMetadata().catch(() => ({}))) ?? {}) as Record<string, unknown>;
  return {
    kind: 'pmtiles',
    path,
    name: typeof meta.name === 'string' ? meta.name : name,
    format,
    minzoom: header.minZoom,
    maxzoom: header.maxZoom,
    bounds: [header.minLon, header.minLat, header.maxLon, header.maxLat],
    attribution: typeof meta.attribution === 'string' ? meta.attribution : null,
    vectorLayers: Array.isArray(meta.vector_layers) ? (meta.vector_layers as BasemapFile['vectorLayers']) : [],
    async tile(z, x, y) {
      assertTileCoord(z, x, y);
      const r = await pm.getZxy(z, x, y);
      return r ? gunzipIfNeeded(Buffer.from(r.data)) : null;
    },
    close: () => source.close(),
  };
}
