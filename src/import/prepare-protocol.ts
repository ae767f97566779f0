import type { RowCrsUse } from './row-crs';
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
export const MAX_BATCHES_IN_FLIGHT = 8;

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
    encoding?: string;
  };
  defaults: AuditDefaults;
}

export type SerialisedError = { name: string; message: string; stack?: string; props: Record<string, unknown> };

export type WorkerMessage =
  | { t: 'ready' }
  | { t: 'crs'; crs: { name: string; code?: number; note?: string; proj4: string; geographic: boolean } }
  | { t: 'rowCrs'; use: RowCrsUse }
  | { t: 'progress'; p: Progress }
  | ({ t: 'batch' } & PackedBatch)
  | { t: 'error'; error: SerialisedError }
  /** `extra`: how many ready features keep each extra property (see prepareFile). */
  | { t: 'done'; extra: [string, number][] };

export type MainMessage = { t: 'more' };

/**
 * A batch as it crosses threads, costing both as little as we could measure. Structured cloning
 * 512 ready rows of ~35 values each costs the receiving (writer) thread about 3.5 µs a row to
 * rebuild; one JSON text of their values half that, but the sender then pays as much again to
 * write and post it (`"` in every `extra` is escaped). So the ok rows' column values (strings or
 * null; any other value sends its row by structured clone instead, so nothing is ever
 * approximated) go as one text, all of them joined, UTF-8 encoded in one go, with one length per
 * value; the writer decodes the text once and cuts the values out of it (~0.3 µs a row, against
 * ~1.3 µs to parse JSON). Envelopes and geometry blobs go in two more buffers. All buffers are
 * transferred, not copied. Rejected features (rare, with arbitrary source data) go by
 * structured clone.
 *
 * A value equal to the same column's value in the layer's previous packed row of the batch is
 * sent as "as above" (audit times and actors, sources, countries and empty columns repeat down
 * a file): neither thread touches its text, and the writer binds the very same string again.
 * Strings reach this point well formed (every reader decodes with replacement, and the GeoJSON
 * readers turn lone surrogates into U+FFFD), so the UTF-8 round trip is exact.
 */
export interface PackedBatch {
  /** Per item: its layer (index into PACKED_LAYERS), or -1 when the item is in `cloned`. */
  layers: Int8Array;
  /** Per item: 1 when its id was minted here (PreparedInsert.minted). */
  minted: Uint8Array;
  /** Per packed row: how many values it has (geometry first, which is in `blobs`). */
  widths: Int32Array;
  /** The values' text, joined, as UTF-8. */
  text: ArrayBuffer;
  /** Per value after the geometry, in row order: its length in UTF-16 code units, or NULL_VALUE, or AS_ABOVE. */
  lengths: Int32Array;
  cloned: [index: number, item: PreparedFeature][];
  envelopes: Float64Array;
  blobs: ArrayBuffer;
  /** Offset, length of each item's geometry blob in `blobs`. */
  at: Int32Array;
}

const PACKED_LAYERS: readonly PreparedInsert['layer'][] = ['deposits', 'surveys'];
const NULL_VALUE = -1;
const AS_ABOVE = -2;
/** Where the feature id is in a PreparedInsert's values (INSERT order: geom, id, …). */
const ID_VALUE = 1;

const utf8Encoder = new TextEncoder();
// ignoreBOM: a value that starts with U+FEFF must keep it (by default the decoder drops a leading
// BOM, which would shift every later value of the batch by one).
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** The buffers a PackedBatch transfers (postMessage's transfer list). */
export function packedBuffers(p: PackedBatch): ArrayBuffer[] {
  return [p.layers, p.minted, p.widths, p.lengths, p.envelopes, p.at].map((a) => a.buffer as ArrayBuffer).concat(p.text, p.blobs);
}

function packable(values: PreparedInsert['values']): boolean {
  if (values[0] === null) return false; // no geometry (rare): cloned
  for (let k = 1; k < values.length; k++) {
    const v = values[k];
    if (v !== null && typeof v !== 'string') return false;
  }
  return true;
}

export function packBatch(items: PreparedFeature[]): PackedBatch {
  const layers = new Int8Array(items.length).fill(-1);
  const minted = new Uint8Array(items.length);
  const cloned: PackedBatch['cloned'] = [];
  let blobBytes = 0;
  let valueCount = 0;
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    const layer = it.ok ? PACKED_LAYERS.indexOf(it.insert.layer) : -1;
    if (!it.ok || layer < 0 || !packable(it.insert.values)) {
      cloned.push([i, it]);
      continue;
    }
    layers[i] = layer;
    blobBytes += (it.insert.values[0] as Buffer).length;
    valueCount += it.insert.values.length - 1;
  }
  const blobs = new Uint8Array(blobBytes);
  const at = new Int32Array(items.length * 2);
  const envelopes = new Float64Array(items.length * 4);
  const widths = new Int32Array(items.length - cloned.length);
  const lengths = new Int32Array(valueCount);
  const parts: string[] = [];
  const above: (PreparedInsert['values'] | undefined)[] = [];
  let blobAt = 0;
  let row = 0;
  let v = 0;
  for (let i = 0; i < items.length; i++) {
    if (layers[i] < 0) continue;
    const insert = (items[i] as Extract<PreparedFeature, { ok: true }>).insert;
    const { values, envelope } = insert;
    if (insert.minted) minted[i] = 1;
    const b = values[0] as Buffer;
    blobs.set(b, blobAt);
    at[2 * i] = blobAt;
    at[2 * i + 1] = b.length;
    blobAt += b.length;
    envelopes.set(envelope, 4 * i);
    widths[row++] = values.length;
    const prev = above[layers[i]];
    for (let k = 1; k < values.length; k++) {
      const s = values[k] as string | null;
      if (s === null) lengths[v++] = NULL_VALUE;
      else if (prev !== undefined && prev[k] === s) lengths[v++] = AS_ABOVE;
      else {
        parts.push(s);
        lengths[v++] = s.length;
      }
    }
    above[layers[i]] = values;
  }
  // TextEncoder returns a buffer of its own (never Node's shared pool), safe to transfer.
  const text = utf8Encoder.encode(parts.join('')).buffer as ArrayBuffer;
  return { layers, minted, widths, text, lengths, cloned, envelopes, blobs: blobs.buffer as ArrayBuffer, at };
}

/** Inverse of packBatch: geometry blobs become Buffers over the transferred memory (no copy). */
export function unpackBatch(m: PackedBatch): PreparedFeature[] {
  const n = m.layers.length;
  const items = new Array<PreparedFeature>(n);
  const text = utf8Decoder.decode(m.text);
  const above: (PreparedInsert['values'] | undefined)[] = [];
  const e = m.envelopes;
  let textAt = 0;
  let row = 0;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const layer = m.layers[i];
    if (layer < 0) continue;
    const width = m.widths[row++];
    const values = new Array<PreparedInsert['values'][number]>(width);
    values[0] = Buffer.from(m.blobs, m.at[2 * i], m.at[2 * i + 1]);
    const prev = above[layer];
    for (let k = 1; k < width; k++) {
      const len = m.lengths[v++];
      if (len === NULL_VALUE) values[k] = null;
      else if (len === AS_ABOVE) values[k] = prev![k];
      else {
        values[k] = text.slice(textAt, textAt + len);
        textAt += len;
      }
    }
    above[layer] = values;
    items[i] = {
      ok: true,
      insert: {
        layer: PACKED_LAYERS[layer],
        id: values[ID_VALUE] as string,
        minted: m.minted[i] === 1,
        values,
        envelope: [e[4 * i], e[4 * i + 1], e[4 * i + 2], e[4 * i + 3]],
      },
    };
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
