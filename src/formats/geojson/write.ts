import type { Feature, Geometry } from 'geojson';
import { codedError, ValidationError } from '../../errors';
import { coded } from '../../messages/en';
import type { TaskOptions } from '../../task';
import { writeFileAtomically } from '../atomic-write';

export interface GeoJsonWriteOptions extends TaskOptions {
  /** Number of features expected, for progress (optional). */
  total?: number;
  /**
   * Decimal places kept in coordinates (default 9, about 0.1 mm on the ground; RFC 7946 §11.2
   * suggests 6 is enough for most uses, we keep more so that a round trip is lossless to 1e-7).
   */
  precision?: number;
}

const PROGRESS_EVERY = 1000;
const DEFAULT_PRECISION = 9;

/**
 * Write features as an RFC 7946 GeoJSON FeatureCollection (WGS 84, `[lng, lat]`), one feature
 * per line, streamed with backpressure so memory does not grow with the number of features.
 * The file appears at `outPath` only when complete (see writeFileAtomically); a cancel through
 * `opts.signal`, checked between features, or any error leaves no file and no partial file.
 * Coordinates are rounded to `precision` decimals; properties and ids are written as given.
 */
export async function writeGeoJson(
  features: AsyncIterable<Feature<Geometry | null>> | Iterable<Feature<Geometry | null>>,
  outPath: string,
  opts: GeoJsonWriteOptions = {},
): Promise<{ count: number }> {
  const precision = opts.precision ?? DEFAULT_PRECISION;
  if (!Number.isInteger(precision) || precision < 0 || precision > 15) {
    throw codedError('USAGE', coded('export.badPrecision', { precision }));
  }
  const report = (done: number) => opts.onProgress?.({ phase: 'write', done, ...(opts.total !== undefined ? { total: opts.total } : {}), unit: 'features' });
  return writeFileAtomically(outPath, async (out) => {
    await out.write('{"type":"FeatureCollection","features":[\n');
    let count = 0;
    opts.signal?.throwIfAborted();
    for await (const feature of features) {
      opts.signal?.throwIfAborted();
      await out.write((count === 0 ? '' : ',\n') + stringifyFeature(feature, count, precision));
      count++;
      if (count % PROGRESS_EVERY === 0) report(count);
    }
    // A cancel that arrives after the last feature still wins: the caller asked for no file.
    opts.signal?.throwIfAborted();
    await out.write('\n]}\n');
    if (count % PROGRESS_EVERY !== 0 || count === 0) report(count);
    return { count };
  });
}

function stringifyFeature(feature: Feature<Geometry | null>, index: number, precision: number): string {
  const where = { featureIndex: index, ...(isId(feature.id) ? { featureId: feature.id } : {}) };
  let json = '{"type":"Feature"';
  if (feature.id !== undefined && feature.id !== null) {
    if (!isId(feature.id)) {
      throw new ValidationError([{ ...where, field: 'id', ...coded('export.badId', { type: typeof feature.id }) }]);
    }
    json += `,"id":${JSON.stringify(feature.id)}`;
  }
  const geometry = feature.geometry ? roundGeometry(feature.geometry, precision, where) : null;
  json += `,"geometry":${JSON.stringify(geometry)},"properties":${JSON.stringify(feature.properties ?? null)}}`;
  return json;
}

function isId(id: unknown): id is string | number {
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));
}

/** A rounded copy (the input is never mutated); refuses NaN/Infinity, which JSON cannot hold. */
function roundGeometry(g: Geometry, precision: number, where: { featureIndex: number; featureId?: string | number }): Geometry {
  if (g.type === 'GeometryCollection') {
    return { type: g.type, geometries: g.geometries.map((c) => roundGeometry(c, precision, where)) };
  }
  const round = (c: unknown, path: string): unknown => {
    if (Array.isArray(c)) return c.map((v, i) => round(v, `${path}[${i}]`));
    if (typeof c !== 'number' || !Number.isFinite(c)) {
      throw new ValidationError([{ ...where, field: path, ...coded('export.notFinite', { number: String(c) }) }]);
    }
    // toFixed then Number: the shortest form JSON prints has at most `precision` decimals.
    return Number(c.toFixed(precision));
  };
  return { type: g.type, coordinates: round(g.coordinates, 'geometry.coordinates') } as Geometry;
}
