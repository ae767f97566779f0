import { Tokenizer, TokenizerError, TokenParser, TokenParserError, TokenType } from '@streamparser/json';
import type { Geometry } from 'geojson';
import { BadInputError, type Problem } from '../../errors';
import { coded, type CodedMessage, type ProblemCode, type WordOf } from '../../messages/en';
import type { TaskOptions } from '../../task';
import type { OpenedInput } from '../open-input';
import type { RawFeatureWithProblems } from '../types';
import { FastFeatureScan } from './fast-scan';
import { carrySurrogate } from './surrogates';

export interface ReadGeoJsonOptions extends TaskOptions {
  /**
   * Most `[`/`{` levels open at once (default 64). A FeatureCollection of MultiPolygons needs
   * 8; the limit stops hostile files (100 000 nested GeometryCollections) early.
   */
  maxDepth?: number;
}

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);
const PROGRESS_EVERY = 1000;
const SLICE = 1 << 16;

/**
 * Stream the features of a GeoJSON file (RFC 7946): a FeatureCollection, a single Feature,
 * or a bare geometry (yielded as one feature with empty properties). Memory stays bounded by
 * the largest single feature, so a 500 MB FeatureCollection is fine.
 *
 * Each feature carries its 0-based `index`, its `id`, its geometry exactly as parsed (not
 * validated; coordinates are `[lon, lat, …]` as in the file), its properties (`{}` for null),
 * the 1-based `line` of its first character (exact: counted from the newlines before it),
 * and `problems` for structural faults of that feature alone. A file that is unusable as a
 * whole (not JSON, cut off, wrong root, nested too deep) throws BadInputError with line and
 * column. Foreign members (RFC 7946 §6.1) are ignored, on the root and on features alike.
 *
 * Progress: the caller passes `onProgress` to openTextInput for bytes; this adds
 * `{ phase: 'read', done, unit: 'features' }` every 1000 features. `signal` is checked between
 * features and chunks; on abort the stream is destroyed and the AbortError thrown.
 *
 * Speed: an input that can be reopened (`input.reopen`, as openTextInput and textInput give)
 * is first read by the fast path in fast-scan.ts (about 3x faster on a plain
 * FeatureCollection). Whatever it does not handle makes it start over here on the tokenizer
 * path, skipping the features already yielded, so features, errors and progress are exactly
 * those of the tokenizer path alone.
 */
export async function* readGeoJsonFeatures(input: OpenedInput, opts: ReadGeoJsonOptions = {}): AsyncGenerator<RawFeatureWithProblems> {
  const maxDepth = opts.maxDepth ?? 64;
  if (!input.reopen || maxDepth < 3) {
    yield* readTokenized(input, opts, 0);
    return;
  }
  // Fast path (fast-scan.ts) for plain FeatureCollections; on anything else, start over on
  // the tokenizer path, which skips the features already handed on and ends as it would alone.
  const fast = new FastFeatureScan(input.name, maxDepth, toRawFeature);
  const decoder = new TextDecoder();
  let count = 0;
  try {
    for await (const chunk of input.stream as AsyncIterable<string | Uint8Array>) {
      for (const _ of fast.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }))) {
        opts.signal?.throwIfAborted();
        for (const f of fast.drain()) {
          opts.signal?.throwIfAborted();
          yield f;
          if (++count % PROGRESS_EVERY === 0) opts.onProgress?.({ phase: 'read', done: count, unit: 'features' });
        }
      }
      if (fast.failed) break;
    }
    if (!fast.failed) {
      opts.signal?.throwIfAborted();
      if (fast.end()) {
        for (const f of fast.drain()) {
          opts.signal?.throwIfAborted();
          yield f;
          ++count;
        }
        opts.onProgress?.({ phase: 'read', done: count, unit: 'features' });
        return;
      }
    }
  } finally {
    input.stream.destroy();
  }
  yield* readTokenized(await input.reopen(), opts, count);
}

/** The tokenizer path; the first `skip` features (already handed on) are read but not yielded. */
async function* readTokenized(input: OpenedInput, opts: ReadGeoJsonOptions, skip: number): AsyncGenerator<RawFeatureWithProblems> {
  const parser = new GeoJsonStream(input.name, opts.maxDepth ?? 64);
  const decoder = new TextDecoder();
  let count = 0;
  try {
    for await (const chunk of input.stream as AsyncIterable<string | Uint8Array>) {
      // One slice of the chunk at a time, so a huge single chunk (a pasted text) does not
      // queue all its features before the first is handed on.
      for (const _ of parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }))) {
        opts.signal?.throwIfAborted();
        for (const f of parser.drain()) {
          opts.signal?.throwIfAborted();
          if (count < skip) {
            count++;
            continue;
          }
          yield f;
          if (++count % PROGRESS_EVERY === 0) opts.onProgress?.({ phase: 'read', done: count, unit: 'features' });
        }
      }
    }
    opts.signal?.throwIfAborted();
    parser.end();
    for (const f of parser.drain()) {
      opts.signal?.throwIfAborted();
      if (count < skip) {
        count++;
        continue;
      }
      yield f;
      ++count;
    }
    opts.onProgress?.({ phase: 'read', done: count, unit: 'features' });
  } finally {
    input.stream.destroy();
  }
}

/** A chunk of input kept for turning byte offsets into columns. */
interface Chunk {
  start: number;
  bytes: Uint8Array;
  /** UTF-16 units between the start of the line and the start of this chunk. */
  colAtStart: number;
}

type Token = { token: TokenType; value: unknown; offset: number };

/**
 * Push-style GeoJSON reader over @streamparser/json. Its Tokenizer gives tokens with byte
 * offsets; we watch them for depth, line numbers and the shape of the root, and pass them on
 * to a TokenParser that assembles only `$.features.*` (and the root's own members) with
 * `keepStack: false`, so finished features are dropped from the features array.
 */
class GeoJsonStream {
  private readonly tokenizer = new Tokenizer();
  private readonly parser = new TokenParser({
    paths: ['$.features.*', '$.type', '$.id', '$.geometry', '$.properties', '$.coordinates', '$.geometries'],
    keepStack: false,
  });
  private readonly encoder = new TextEncoder();
  private queue: RawFeatureWithProblems[] = [];
  private failure: unknown;

  // Shape of the document, from the token stream.
  private readonly kinds: Uint8Array; // per open level: 1 object, 0 array
  private depth = 0;
  private expectKey = false;
  private rootKey: string | undefined;
  private sawToken = false;
  private rootLine = 1;
  private featuresOpen = false;
  private featuresSeen = false;
  private featureIndex = 0;
  private featureLine = 1;
  private rootType: string | undefined;
  private readonly root: Record<string, unknown> = {};
  private last: Token | undefined;

  // Lines: absolute byte offsets of newlines not yet passed by the cursor.
  private newlines: number[] = [];
  private nlHead = 0;
  private line = 1;
  private lineStart = 0;
  private bytesIn = 0;
  private heldSurrogate = '';
  private prevChunk: Chunk | undefined;
  private curChunk: Chunk | undefined;
  private colAtNextChunk = 0;
  // UTF-8 needs at most 3 bytes per UTF-16 unit (4 per surrogate pair).
  private readonly buffers = [new Uint8Array(3 * SLICE), new Uint8Array(3 * SLICE)];
  private whichBuffer = 0;

  constructor(
    private readonly file: string,
    private readonly maxDepth: number,
  ) {
    this.kinds = new Uint8Array(maxDepth + 1);
    this.tokenizer.onToken = (t) => this.onToken(t as Token);
    this.tokenizer.onError = (err) => {
      this.failure ??= err;
    };
    this.tokenizer.onEnd = () => {
      if (!this.parser.isEnded) this.parser.end();
    };
    this.parser.onValue = ({ value, key, stack }) => this.onValue(value, key, stack.length);
    this.parser.onEnd = () => {
      // The root value is complete: anything but whitespace after it is an error.
      if (!this.tokenizer.isEnded) this.tokenizer.end();
    };
  }

  /** Features completed since the last call (at most one slice's worth). */
  drain(): RawFeatureWithProblems[] {
    const out = this.queue;
    this.queue = [];
    return out;
  }

  /** Take the next chunk of text; yields after each slice that was parsed (drain() then). */
  *write(text: string): Generator<void> {
    // Keep a surrogate pair whole across chunks, or TextEncoder would mangle both halves.
    [text, this.heldSurrogate] = carrySurrogate(this.heldSurrogate, text);
    // Slices of 64 Ki UTF-16 units, encoded into two reused buffers (the current and the
    // previous slice are kept for columns), so no input needs a buffer of its own size.
    for (let i = 0; i < text.length; ) {
      let end = Math.min(text.length, i + SLICE);
      const last = text.charCodeAt(end - 1);
      if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--; // keep surrogate pairs whole
      this.feedSlice(i === 0 && end === text.length ? text : text.slice(i, end));
      i = end;
      yield;
    }
  }

  private feedSlice(text: string): void {
    const buffer = this.buffers[(this.whichBuffer ^= 1)];
    const { written } = this.encoder.encodeInto(text, buffer);
    const bytes = buffer.subarray(0, written);
    const start = this.bytesIn;
    for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) this.newlines.push(start + i);
    this.prevChunk = this.curChunk;
    this.curChunk = { start, bytes, colAtStart: this.colAtNextChunk };
    const nl = text.lastIndexOf('\n');
    this.colAtNextChunk = nl >= 0 ? text.length - nl - 1 : this.colAtNextChunk + text.length;
    this.bytesIn += written;
    this.tokenizer.write(bytes);
    if (this.failure !== undefined) throw this.translate(this.failure);
    // Move the line cursor up to the last token, so only trailing newlines stay queued.
    if (this.last) this.lineAt(this.last.offset);
    if (this.nlHead > 0) {
      this.newlines = this.newlines.slice(this.nlHead);
      this.nlHead = 0;
    }
  }

  end(): void {
    if (this.heldSurrogate) {
      const lone = this.heldSurrogate;
      this.heldSurrogate = '';
      this.feedSlice(lone);
    }
    if (this.failure === undefined && !this.tokenizer.isEnded) {
      try {
        this.tokenizer.end();
      } catch (err) {
        this.failure ??= err;
      }
    }
    if (!this.sawToken) throw this.error(coded('geojson.empty'), this.bytesIn);
    if (this.depth > 0 || isMidToken(this.failure)) throw this.error(this.truncatedMessage(), this.bytesIn);
    if (this.failure !== undefined) throw this.translate(this.failure);
    this.finishRoot();
  }

  // ---- tokens ----------------------------------------------------------------------------

  private onToken(t: Token): void {
    this.last = t;
    this.sawToken = true;
    const tok = t.token;
    if (tok === TokenType.LEFT_BRACE || tok === TokenType.LEFT_BRACKET) {
      this.valueStart(t);
      if (this.depth >= this.maxDepth) {
        throw this.error(coded('geojson.tooDeep', { max: this.maxDepth }), t.offset);
      }
      this.parser.write(t as never);
      this.kinds[this.depth++] = tok === TokenType.LEFT_BRACE ? 1 : 0;
      this.expectKey = tok === TokenType.LEFT_BRACE;
      return;
    }
    if (tok === TokenType.RIGHT_BRACE || tok === TokenType.RIGHT_BRACKET) {
      this.parser.write(t as never);
      this.depth--;
      if (this.depth === 1 && this.featuresOpen) this.featuresOpen = false;
      this.expectKey = false;
      return;
    }
    if (tok === TokenType.COMMA) {
      this.parser.write(t as never);
      this.expectKey = this.depth > 0 && this.kinds[this.depth - 1] === 1;
      return;
    }
    if (tok === TokenType.COLON) {
      this.parser.write(t as never);
      this.expectKey = false;
      return;
    }
    if (tok === TokenType.STRING && this.expectKey) {
      if (this.depth === 1) this.rootKey = t.value as string;
      this.parser.write(t as never);
      this.expectKey = false;
      return;
    }
    this.valueStart(t);
    this.parser.write(t as never);
  }

  /** A value begins: check the root, the "features" member, and note where features start. */
  private valueStart(t: Token): void {
    if (this.depth === 0) {
      this.rootLine = this.lineAt(t.offset);
      if (t.token !== TokenType.LEFT_BRACE) {
        throw this.error(coded('geojson.notObjectAtTop', { found: tokenWords(t) }), t.offset);
      }
    } else if (this.depth === 1 && this.rootKey === 'features') {
      if (this.rootType !== undefined && this.rootType !== 'FeatureCollection') return; // a foreign member
      if (t.token !== TokenType.LEFT_BRACKET) {
        throw this.error(coded('geojson.featuresNotList', { found: tokenWords(t) }), t.offset);
      }
      this.featuresOpen = true;
      this.featuresSeen = true;
    } else if (this.depth === 2 && this.featuresOpen) {
      this.featureLine = this.lineAt(t.offset);
    }
  }

  private onValue(value: unknown, key: unknown, stackDepth: number): void {
    if (stackDepth === 2) {
      if (this.featuresOpen) this.queue.push(toRawFeature(value, this.featureIndex++, this.featureLine, this.file));
      return;
    }
    if (stackDepth !== 1 || typeof key !== 'string') return;
    this.root[key] = value;
    if (key === 'type') this.checkRootType(value);
  }

  private checkRootType(type: unknown): void {
    const at = this.last?.offset ?? 0;
    if (typeof type !== 'string') throw this.error(coded('geojson.typeNotText', { found: valueWords(type) }), at);
    if (type === 'Topology') {
      throw this.error(coded('geojson.topoJson'), at);
    }
    if (type !== 'FeatureCollection' && type !== 'Feature' && !GEOMETRY_TYPES.has(type)) {
      throw this.error(coded('geojson.unknownType', { type: JSON.stringify(type) }), at);
    }
    if (type !== 'FeatureCollection' && this.featureIndex > 0) {
      throw this.error(coded('geojson.typeWithFeatures', { type: JSON.stringify(type) }), at);
    }
    this.rootType = type;
  }

  private finishRoot(): void {
    const at = this.bytesIn;
    const type = this.rootType;
    if (type === undefined) {
      throw this.error(coded('geojson.noType'), at);
    }
    if (type === 'FeatureCollection') {
      if (!this.featuresSeen) throw this.error(coded('geojson.noFeatures'), at);
      return;
    }
    if (type === 'Feature') {
      this.queue.push(toRawFeature({ ...this.root }, 0, this.rootLine, this.file));
      return;
    }
    // A bare geometry: one feature without properties.
    const geometry: Record<string, unknown> = { type };
    if ('coordinates' in this.root) geometry.coordinates = this.root.coordinates;
    if ('geometries' in this.root) geometry.geometries = this.root.geometries;
    this.queue.push({ index: 0, geometry: geometry as unknown as Geometry, properties: {}, line: this.rootLine, bare: true });
  }

  // ---- positions and errors --------------------------------------------------------------

  /** 1-based line of a byte offset; offsets must not go backwards between calls. */
  private lineAt(offset: number): number {
    const nl = this.newlines;
    while (this.nlHead < nl.length && nl[this.nlHead] < offset) {
      this.lineStart = nl[this.nlHead] + 1;
      this.line++;
      this.nlHead++;
    }
    return this.line;
  }

  /** 1-based column (UTF-16 units, as editors count) of a byte offset on the current line. */
  private columnAt(offset: number): number {
    for (const c of [this.curChunk, this.prevChunk]) {
      if (!c || offset < c.start || offset > c.start + c.bytes.length) continue;
      const dec = new TextDecoder();
      if (this.lineStart >= c.start) return dec.decode(c.bytes.subarray(this.lineStart - c.start, offset - c.start)).length + 1;
      return c.colAtStart + dec.decode(c.bytes.subarray(0, offset - c.start)).length + 1;
    }
    return offset - this.lineStart + 1; // further back than we keep: count bytes
  }

  private error(message: string | CodedMessage, offset: number): BadInputError {
    const line = this.lineAt(offset);
    const column = this.columnAt(offset);
    const text = typeof message === 'string' ? message : message.message;
    return new BadInputError(message, { file: this.file, line, column, message: text } satisfies Problem);
  }

  private truncatedMessage(): CodedMessage {
    const token = midTokenWords(this.failure);
    const feature = { index: this.featureIndex, line: this.featureLine };
    if (this.featuresOpen && token) return coded('geojson.cutInFeatureToken', { token, ...feature });
    if (this.featuresOpen && this.depth > 2) return coded('geojson.cutInFeature', feature);
    if (this.featuresOpen) return coded('geojson.cutInFeatures');
    return token ? coded('geojson.cutInObjectToken', { token }) : coded('geojson.cutInObject');
  }

  /** Turn a parser error into a BadInputError in plain words, with line and column. */
  private translate(err: unknown): unknown {
    if (err instanceof BadInputError) return err;
    if (err instanceof TokenizerError) {
      const m = /absolute position "(\d+)"\) in state (\w+)/.exec(err.message);
      if (!m) return this.error(coded('geojson.notJson', { detail: err.message }), this.last?.offset ?? 0);
      const offset = Number(m[1]);
      const ch = this.charAt(offset);
      const state = m[2];
      if (state === 'ENDED') {
        return this.error(coded('geojson.afterEnd', { found: charWords(ch) }), offset);
      }
      if (state.startsWith('STRING') && ch.charCodeAt(0) < 0x20) {
        return this.error(coded('geojson.controlInText'), offset);
      }
      return this.error(coded(charHint(ch, state), { found: charWords(ch) }), offset);
    }
    if (err instanceof TokenParserError && this.last) {
      const m = /in state (\w+)/.exec(err.message);
      const state = m?.[1];
      const t = this.last;
      const closer = this.depth > 0 && this.kinds[this.depth - 1] === 1 ? '}' : ']';
      const found = tokenWords(t);
      let what: CodedMessage;
      if (state === 'KEY' && t.token === TokenType.RIGHT_BRACE) what = coded('geojson.jsonTrailingCommaBrace');
      else if (state === 'VALUE' && t.token === TokenType.RIGHT_BRACKET) what = coded('geojson.jsonTrailingCommaBracket');
      else if (state === 'KEY') what = coded('geojson.jsonExpectedKey', { found });
      else if (state === 'COLON') what = coded('geojson.jsonExpectedColon', { found });
      else if (state === 'COMMA') what = coded('geojson.jsonExpectedComma', { closer, found });
      else what = coded('geojson.jsonUnexpected', { found });
      return this.error(what, t.offset);
    }
    return err;
  }

  /** The character starting at a byte offset, if we still hold that chunk. */
  private charAt(offset: number): string {
    for (const c of [this.curChunk, this.prevChunk]) {
      if (!c || offset < c.start || offset >= c.start + c.bytes.length) continue;
      const s = new TextDecoder().decode(c.bytes.subarray(offset - c.start, offset - c.start + 4));
      return String.fromCodePoint(s.codePointAt(0) ?? 0xfffd);
    }
    return '?';
  }
}

// ---- features ----------------------------------------------------------------------------

/**
 * One element of "features" as a RawFeature. Structural faults become problems of this
 * feature; foreign members are ignored. A missing "properties" member is read as {} (RFC 7946
 * requires it, but many writers leave it out and nothing is lost).
 */
function toRawFeature(v: unknown, index: number, line: number, file: string): RawFeatureWithProblems {
  const problems: Problem[] = [];
  const f: RawFeatureWithProblems = { index, geometry: null, properties: {}, line };
  const add = (field: string | undefined, message: CodedMessage): void => {
    const p: Problem = { file, featureIndex: index, line, ...message };
    if (f.id !== undefined) p.featureId = f.id;
    if (field) p.field = field;
    problems.push(p);
  };
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    add(undefined, coded('geojson.notFeature', { found: valueWords(v) }));
    f.problems = problems;
    return f;
  }
  const o = v as Record<string, unknown>;
  if ('id' in o) {
    if (typeof o.id === 'string' || (typeof o.id === 'number' && Number.isFinite(o.id))) f.id = o.id;
    else if (o.id !== null) add('id', coded('geojson.badId', { found: valueWords(o.id) }));
  }
  if (o.type !== 'Feature') {
    if (typeof o.type === 'string' && GEOMETRY_TYPES.has(o.type)) {
      add('type', coded('geojson.bareGeometry', { type: JSON.stringify(o.type) }));
    } else if (o.type === undefined) {
      add('type', coded('geojson.featureNoType'));
    } else {
      add('type', coded('geojson.notFeatureType', { found: valueWords(o.type) }));
    }
  }
  if (!('geometry' in o)) {
    if (o.type === 'Feature') add('geometry', coded('geojson.featureNoGeometry'));
  } else if (o.type === 'Feature') {
    f.geometry = o.geometry as Geometry | null; // as parsed; validateGeometry checks it
  }
  if (o.properties !== undefined && o.properties !== null) {
    if (typeof o.properties === 'object' && !Array.isArray(o.properties)) f.properties = o.properties as Record<string, unknown>;
    else add('properties', coded('geojson.badProperties', { found: valueWords(o.properties) }));
  }
  if (problems.length) f.problems = problems;
  return f;
}

// ---- words -------------------------------------------------------------------------------

function valueWords(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list [ ... ]';
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'object') return 'an object { ... }';
  return String(v);
}

function tokenWords(t: Token): string {
  switch (t.token) {
    case TokenType.LEFT_BRACE:
      return 'an object { ... }';
    case TokenType.LEFT_BRACKET:
      return 'a list [ ... ]';
    case TokenType.RIGHT_BRACE:
      return "'}'";
    case TokenType.RIGHT_BRACKET:
      return "']'";
    case TokenType.COLON:
      return "':'";
    case TokenType.COMMA:
      return "','";
    default:
      return valueWords(t.value);
  }
}

function charWords(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `character '${ch}'`;
}

/** The message for an unexpected character: with a hint when the character suggests one. */
function charHint(ch: string, state: string): ProblemCode {
  if (ch === '“' || ch === '”' || ch === '‘' || ch === '’') return 'geojson.jsonCurlyQuote';
  if (ch === "'") return 'geojson.jsonSingleQuote';
  if (state === 'START' && (ch === 'N' || ch === 'I')) return 'geojson.jsonNaN';
  if (ch === '/') return 'geojson.jsonComment';
  return 'geojson.jsonUnexpected';
}

/** True if the error says the input stopped inside a string, number or literal. */
function isMidToken(err: unknown): boolean {
  return err instanceof TokenizerError && /ended in the middle of a token/.test(err.message);
}

/** The token the input stopped inside, as a key of WORDS_EN.token (src/messages/en.ts). */
function midTokenWords(err: unknown): WordOf<'token'> | undefined {
  if (!isMidToken(err)) return undefined;
  const state = /state: (\w+)/.exec((err as Error).message)?.[1] ?? '';
  if (state.startsWith('STRING')) return 'text';
  if (state.startsWith('NUMBER')) return 'number';
  return 'word';
}
