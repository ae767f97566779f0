import { BadInputError, CancelledError, OutcropError, ValidationError } from '../errors';
import type { InputFormat } from './pipeline';
import type { FieldMap } from './field-map';
import type { AuditDefaults, PreparedInsert } from '../store/write-session';
import type { Layer } from '../store/columns';
import type { PreparedFeature } from './prepare-file';
import type { Progress } from '../task';

/**
 * Messages between the import writer (main thread) and src/import/prepare-worker.ts.
 * Features travel in batches (see PackedBatch). The worker keeps at most
 * `MAX_BATCHES_IN_FLIGHT` batches unacknowledged, so a fast reader never buffers a large file
 * in memory.
 */
export const MAX_BATCHES_IN_FLIGHT = 4;

/** What the worker needs: the ReadInputOptions that are plain data, and the audit defaults. */
export interface PrepareJob {
  path: string;
  opts: {
    layer?: Layer;
    format?: InputFormat;
    csv?: { lon?: string; lat?: string; wkt?: string; delimiter?: string };
    crs?: string;
    sourceLayer?: string;
    fieldMap?: FieldMap;
  };
  defaults: AuditDefaults;
}

export type SerialisedError = { name: string; message: string; stack?: string; props: Record<string, unknown> };

export type WorkerMessage =
  | { t: 'ready' }
  | { t: 'crs'; crs: { name: string; code?: number; note?: string; proj4: string; geographic: boolean } }
  | { t: 'progress'; p: Progress }
  | ({ t: 'batch' } & PackedBatch)
  | { t: 'error'; error: SerialisedError }
  /** `extra`: how many ready features keep each extra property (see prepareFile). */
  | { t: 'done'; extra: [string, number][] };

export type MainMessage = { t: 'more' };

/**
 * A batch as it crosses threads. Structured cloning 512 ready rows of ~35 values each costs the
 * receiving (writer) thread about 3.5 µs a row to rebuild; one JSON text of their values costs
 * it half that to parse, and the sending side about the same as cloning. So: the ok rows'
 * layer, id, minted flag and column values as one JSON text (values are strings or null; any
 * other value sends its row by structured clone instead, so nothing is ever approximated), their
 * envelopes in one Float64Array and their geometry blobs in one ArrayBuffer, both transferred,
 * not copied. Rejected features (rare, with arbitrary source data) go by structured clone.
 */
export interface PackedBatch {
  /** JSON: per item, [layer, id, minted (0/1), values with values[0] null], or 0 when it is in `cloned`. */
  rows: string;
  cloned: [index: number, item: PreparedFeature][];
  envelopes: Float64Array;
  blobs: ArrayBuffer;
  /** Offset, length of each item's geometry blob in `blobs`. */
  at: Int32Array;
}

export function packBatch(items: PreparedFeature[]): PackedBatch {
  let total = 0;
  for (const it of items) if (it.ok) total += (it.insert.values[0] as Buffer).length;
  const blobs = new ArrayBuffer(total);
  const bytes = new Uint8Array(blobs);
  const at = new Int32Array(items.length * 2);
  const envelopes = new Float64Array(items.length * 4);
  const rows = new Array<unknown>(items.length);
  const cloned: PackedBatch['cloned'] = [];
  let off = 0;
  items.forEach((it, i) => {
    if (!it.ok || !it.insert.values.every((v, k) => k === 0 || v === null || typeof v === 'string')) {
      cloned.push([i, it]);
      rows[i] = 0;
      return;
    }
    const { layer, id, minted, values, envelope } = it.insert;
    const b = values[0] as Buffer;
    bytes.set(b, off);
    at[2 * i] = off;
    at[2 * i + 1] = b.length;
    off += b.length;
    envelopes.set(envelope, 4 * i);
    values[0] = null;
    rows[i] = [layer, id, minted ? 1 : 0, values];
  });
  return { rows: JSON.stringify(rows), cloned, envelopes, blobs, at };
}

/** Inverse of packBatch: geometry blobs become Buffers over the transferred memory (no copy). */
export function unpackBatch(m: PackedBatch): PreparedFeature[] {
  const rows = JSON.parse(m.rows) as (0 | [PreparedInsert['layer'], string, 0 | 1, PreparedInsert['values']])[];
  const items = new Array<PreparedFeature>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r === 0) continue;
    const values = r[3];
    values[0] = Buffer.from(m.blobs, m.at[2 * i], m.at[2 * i + 1]);
    const e = m.envelopes;
    items[i] = { ok: true, insert: { layer: r[0], id: r[1], minted: r[2] === 1, values, envelope: [e[4 * i], e[4 * i + 1], e[4 * i + 2], e[4 * i + 3]] } };
  }
  for (const [i, it] of m.cloned) items[i] = it;
  return items;
}

/** Errors cross threads as data: name, message and own properties (code, problems, path …). */
export function serialiseError(err: unknown): SerialisedError {
  if (err instanceof Error) {
    const props: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(err)) {
      try {
        props[k] = structuredClone(v);
      } catch {
        /* not data: left out */
      }
    }
    return { name: err.name, message: err.message, stack: err.stack, props };
  }
  return { name: 'Error', message: String(err), props: {} };
}

const OUTCROP_ERRORS: Record<string, { prototype: object }> = { OutcropError, ValidationError, BadInputError, CancelledError };

/** The error the worker threw, rebuilt with its class (ValidationError, BadInputError …) and fields. */
export function reviveError(e: SerialisedError): Error {
  const cls = OUTCROP_ERRORS[e.name];
  const err: Error = cls ? (Object.create(cls.prototype) as Error) : new Error(e.message);
  Object.defineProperty(err, 'message', { value: e.message, writable: true, configurable: true });
  Object.assign(err, e.props);
  err.name = e.name;
  if (e.stack) err.stack = e.stack;
  return err;
}
