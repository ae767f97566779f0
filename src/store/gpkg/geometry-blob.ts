import type { Geometry, Position } from 'geojson';
import { codedError, OutcropError } from '../../errors';
import { coded } from '../../messages/en';

/**
 * GeoPackage geometry BLOBs (OGC 12-128r18 §2.1.3): "GP" magic, version 0, flags, srs_id,
 * optional envelope, then ISO WKB. We write little-endian WKB, 2D; points carry no envelope
 * (as GDAL does), every other geometry carries [minx, maxx, miny, maxy].
 */
export type Envelope = [minX: number, maxX: number, minY: number, maxY: number];

const WKB_TYPE: Record<string, number> = {
  Point: 1,
  LineString: 2,
  Polygon: 3,
  MultiPoint: 4,
  MultiLineString: 5,
  MultiPolygon: 6,
};

/** Encode a 2D GeoJSON geometry as a GeoPackage binary. */
export function encodeGeometry(geom: Geometry, srsId = 4326): Buffer {
  const wkbSize = wkbLength(geom);
  const isPoint = geom.type === 'Point';
  const headerSize = 8 + (isPoint ? 0 : 32);
  const buf = Buffer.allocUnsafe(headerSize + wkbSize);
  buf[0] = 0x47; // G
  buf[1] = 0x50; // P
  buf[2] = 0; // version 1
  // flags: bit0 little-endian; bits 1-3 envelope code (0 none, 1 = xy)
  buf[3] = 0b0000_0001 | ((isPoint ? 0 : 1) << 1);
  buf.writeInt32LE(srsId, 4);
  if (!isPoint) {
    const env = envelopeOf(geom);
    buf.writeDoubleLE(env[0], 8);
    buf.writeDoubleLE(env[1], 16);
    buf.writeDoubleLE(env[2], 24);
    buf.writeDoubleLE(env[3], 32);
  }
  writeWkb(geom, buf, headerSize);
  return buf;
}

function wkbLength(g: Geometry): number {
  switch (g.type) {
    case 'Point':
      return 5 + 16;
    case 'LineString':
      return 9 + 16 * g.coordinates.length;
    case 'Polygon':
      return 9 + g.coordinates.reduce((n, r) => n + 4 + 16 * r.length, 0);
    case 'MultiPoint':
      return 9 + g.coordinates.length * 21;
    case 'MultiLineString':
      return 9 + g.coordinates.reduce((n, l) => n + 9 + 16 * l.length, 0);
    case 'MultiPolygon':
      return 9 + g.coordinates.reduce((n, p) => n + 9 + p.reduce((m, r) => m + 4 + 16 * r.length, 0), 0);
    default:
      throw new OutcropError('BAD_INPUT', `geometry type ${g.type} cannot be stored`);
  }
}

// Hot path of every import (one call per feature): plain loops and top-level helpers, no
// closures made per call.
function writeWkb(g: Geometry, buf: Buffer, off: number): number {
  buf[off] = 1;
  buf.writeUInt32LE(WKB_TYPE[g.type], off + 1);
  off += 5;
  switch (g.type) {
    case 'Point':
      return writePosition(g.coordinates, buf, off);
    case 'LineString':
      return writeRing(g.coordinates, buf, off);
    case 'Polygon':
      buf.writeUInt32LE(g.coordinates.length, off);
      off += 4;
      for (const r of g.coordinates) off = writeRing(r, buf, off);
      return off;
    case 'MultiPoint':
    case 'MultiLineString':
    case 'MultiPolygon': {
      buf.writeUInt32LE(g.coordinates.length, off);
      off += 4;
      const part = g.type === 'MultiPoint' ? 'Point' : g.type === 'MultiLineString' ? 'LineString' : 'Polygon';
      for (const c of g.coordinates) off = writeWkb({ type: part, coordinates: c } as Geometry, buf, off);
      return off;
    }
    default:
      throw new OutcropError('BAD_INPUT', `geometry type ${g.type} cannot be stored`);
  }
}

function writePosition(p: Position, buf: Buffer, off: number): number {
  buf.writeDoubleLE(p[0], off);
  buf.writeDoubleLE(p[1], off + 8);
  return off + 16;
}

function writeRing(r: Position[], buf: Buffer, off: number): number {
  buf.writeUInt32LE(r.length, off);
  off += 4;
  for (const p of r) off = writePosition(p, buf, off);
  return off;
}

export function envelopeOf(g: Geometry): Envelope {
  const env: Envelope = [Infinity, -Infinity, Infinity, -Infinity];
  if (g.type === 'GeometryCollection') {
    for (const x of g.geometries) {
      const e = envelopeOf(x);
      extendEnvelope(env, [e[0], e[2]]);
      extendEnvelope(env, [e[1], e[3]]);
    }
  } else extendEnvelope(env, g.coordinates);
  return env;
}

/** Grow `env` by a position or any nesting of position lists. */
function extendEnvelope(env: Envelope, c: unknown): void {
  if (typeof (c as number[])[0] === 'number') {
    const p = c as number[];
    if (p[0] < env[0]) env[0] = p[0];
    if (p[0] > env[1]) env[1] = p[0];
    if (p[1] < env[2]) env[2] = p[1];
    if (p[1] > env[3]) env[3] = p[1];
  } else for (const x of c as unknown[]) extendEnvelope(env, x);
}

interface Header {
  littleEndian: boolean;
  empty: boolean;
  envelope: Envelope | null;
  wkbOffset: number;
  srsId: number;
}

const ENVELOPE_DOUBLES = [0, 4, 6, 6, 8];

function readHeader(b: Uint8Array): Header {
  const buf = Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (buf.length < 8 || buf[0] !== 0x47 || buf[1] !== 0x50) {
    throw new OutcropError('BAD_INPUT', 'not a GeoPackage geometry blob (missing "GP" magic)');
  }
  const flags = buf[3];
  const littleEndian = (flags & 1) === 1;
  const envCode = (flags >> 1) & 0b111;
  const empty = ((flags >> 4) & 1) === 1;
  const nDoubles = ENVELOPE_DOUBLES[envCode];
  if (nDoubles === undefined) throw new OutcropError('BAD_INPUT', `bad GeoPackage envelope code ${envCode}`);
  const srsId = littleEndian ? buf.readInt32LE(4) : buf.readInt32BE(4);
  let envelope: Envelope | null = null;
  if (nDoubles > 0) {
    const rd = (i: number) => (littleEndian ? buf.readDoubleLE(8 + 8 * i) : buf.readDoubleBE(8 + 8 * i));
    envelope = [rd(0), rd(1), rd(2), rd(3)];
  }
  return { littleEndian, empty, envelope, wkbOffset: 8 + 8 * nDoubles, srsId };
}

/** Envelope of a GeoPackage blob: from its header when present, else from the WKB. null = empty. */
export function blobEnvelope(b: Uint8Array): Envelope | null {
  const h = readHeader(b);
  if (h.empty) return null;
  if (h.envelope) return h.envelope;
  const g = decodeGeometry(b);
  if (g.type === 'Point' && Number.isNaN(g.coordinates[0])) return null;
  return envelopeOf(g);
}

/** Decode a GeoPackage blob to GeoJSON (2D; Z/M ordinates are read and dropped). */
export function decodeGeometry(b: Uint8Array): Geometry {
  const h = readHeader(b);
  const buf = Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  return new WkbReader(buf, h.wkbOffset).read();
}

class WkbReader {
  constructor(
    private buf: Buffer,
    private off: number,
  ) {}

  read(): Geometry {
    const le = this.buf[this.off] === 1;
    this.off += 1;
    const raw = le ? this.buf.readUInt32LE(this.off) : this.buf.readUInt32BE(this.off);
    this.off += 4;
    // ISO WKB: 1000s = Z, 2000s = M, 3000s = ZM; also accept EWKB-style high bits.
    let type = raw & 0xffff;
    let dims = 2;
    if (raw & 0x80000000) dims++;
    if (raw & 0x40000000) dims++;
    if (type >= 3000) { dims = 4; type -= 3000; }
    else if (type >= 2000) { dims = 3; type -= 2000; }
    else if (type >= 1000) { dims = 3; type -= 1000; }
    const u32 = () => {
      const v = le ? this.buf.readUInt32LE(this.off) : this.buf.readUInt32BE(this.off);
      this.off += 4;
      return v;
    };
    const pos = (): Position => {
      const x = le ? this.buf.readDoubleLE(this.off) : this.buf.readDoubleBE(this.off);
      const y = le ? this.buf.readDoubleLE(this.off + 8) : this.buf.readDoubleBE(this.off + 8);
      this.off += 8 * dims;
      return [x, y];
    };
    const line = () => {
      const n = u32();
      const out: Position[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = pos();
      return out;
    };
    const poly = () => {
      const n = u32();
      const out: Position[][] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = line();
      return out;
    };
    switch (type) {
      case 1:
        return { type: 'Point', coordinates: pos() };
      case 2:
        return { type: 'LineString', coordinates: line() };
      case 3:
        return { type: 'Polygon', coordinates: poly() };
      case 4:
      case 5:
      case 6: {
        const n = u32();
        const parts: Geometry[] = [];
        for (let i = 0; i < n; i++) parts.push(this.read());
        const coords = parts.map((p) => (p as { coordinates: unknown }).coordinates);
        const t = type === 4 ? 'MultiPoint' : type === 5 ? 'MultiLineString' : 'MultiPolygon';
        return { type: t, coordinates: coords } as Geometry;
      }
      case 7: {
        const n = u32();
        const geometries: Geometry[] = [];
        for (let i = 0; i < n; i++) geometries.push(this.read());
        return { type: 'GeometryCollection', geometries };
      }
      default:
        throw new OutcropError('BAD_INPUT', `unsupported WKB geometry type ${raw}`);
    }
  }
}

/**
 * Fast path for point blobs (the deposits layer): [x, y] without building a GeoJSON object.
 * Falls back to the full decoder for anything unusual (big-endian, envelope, Z).
 */
export function decodePoint(b: Uint8Array): [number, number] {
  const buf = Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (buf.length === 29 && buf[3] === 1 && buf[8] === 1 && buf.readUInt32LE(9) === 1) {
    return [buf.readDoubleLE(13), buf.readDoubleLE(21)];
  }
  const g = decodeGeometry(buf);
  if (g.type !== 'Point') throw new OutcropError('BAD_INPUT', `expected a point geometry, found ${g.type}`);
  return [g.coordinates[0], g.coordinates[1]];
}

/**
 * A stored feature's geometry that does not decode (another program wrote its own format, as a
 * SpatiaLite blob from GDAL's MakePoint) as a bad-data error naming the layer, the fid and the
 * feature id; never skipped, so that a query or export is not silently short of it.
 */
export function unreadableGeometryError(err: unknown, layer: string, fid: unknown, id: unknown): OutcropError {
  const detail = err instanceof Error ? err.message : String(err);
  const where = { layer, fid: fid == null ? null : Number(fid), id: id == null ? null : String(id) };
  return fid == null
    ? codedError('BAD_INPUT', coded('feature.unreadableGeometryOfId', { layer, id: String(id ?? '?'), detail }), where)
    : codedError('BAD_INPUT', coded('feature.unreadableGeometry', { layer, fid: Number(fid), id: String(id ?? '?'), detail }), where);
}

/** decodeGeometry of a stored feature's blob: an error names the layer, fid and id. */
export function decodeStoredGeometry(b: Uint8Array, layer: string, fid: unknown, id: unknown): Geometry {
  try {
    return decodeGeometry(b);
  } catch (err) {
    throw unreadableGeometryError(err, layer, fid, id);
  }
}

/** decodePoint of a stored feature's blob: an error names the layer, fid and id. */
export function decodeStoredPoint(b: Uint8Array, layer: string, fid: unknown, id: unknown): [number, number] {
  try {
    return decodePoint(b);
  } catch (err) {
    throw unreadableGeometryError(err, layer, fid, id);
  }
}
