import { BadInputError, CancelledError, OutcropError, ValidationError } from '../errors';
import type { InputFormat } from './pipeline';
import type { FieldMap } from './field-map';
import type { AuditDefaults } from '../store/write-session';
import type { Layer } from '../store/columns';
import type { PreparedFeature } from './prepare-file';
import type { Progress } from '../task';

/**
 * Messages between the import writer (main thread) and src/import/prepare-worker.ts.
 * Features travel in batches; the geometry blobs of a batch are packed into one ArrayBuffer
 * that is transferred, not copied. The worker keeps at most `MAX_BATCHES_IN_FLIGHT` batches
 * unacknowledged, so a fast reader never buffers a large file in memory.
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
  | { t: 'batch'; items: PreparedFeature[]; blobs: ArrayBuffer; at: Int32Array }
  | { t: 'error'; error: SerialisedError }
  /** `extra`: how many ready features keep each extra property (see prepareFile). */
  | { t: 'done'; extra: [string, number][] };

export type MainMessage = { t: 'more' };

/** Move each ok item's geometry blob (values[0]) into one buffer; `at` holds offset, length pairs. */
export function packBatch(items: PreparedFeature[]): { items: PreparedFeature[]; blobs: ArrayBuffer; at: Int32Array } {
  let total = 0;
  for (const it of items) if (it.ok) total += (it.insert.values[0] as Buffer).length;
  const blobs = new ArrayBuffer(total);
  const bytes = new Uint8Array(blobs);
  const at = new Int32Array(items.length * 2);
  let off = 0;
  items.forEach((it, i) => {
    if (!it.ok) return;
    const b = it.insert.values[0] as Buffer;
    bytes.set(b, off);
    at[2 * i] = off;
    at[2 * i + 1] = b.length;
    it.insert.values[0] = null;
    off += b.length;
  });
  return { items, blobs, at };
}

/** Inverse of packBatch: geometry blobs become Buffers over the transferred memory (no copy). */
export function unpackBatch(m: { items: PreparedFeature[]; blobs: ArrayBuffer; at: Int32Array }): PreparedFeature[] {
  m.items.forEach((it, i) => {
    if (it.ok) it.insert.values[0] = Buffer.from(m.blobs, m.at[2 * i], m.at[2 * i + 1]);
  });
  return m.items;
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
