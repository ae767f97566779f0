import type { RawFeatureWithProblems } from '../types';
import { carrySurrogate } from './surrogates';

/**
 * Fast path for the common case of readGeoJsonFeatures: a plain FeatureCollection whose
 * "features" are objects. A small state machine walks the text of each slice (string,
 * escape, depth of [] and {}) to find the exact span of each feature, and V8's JSON.parse
 * builds it; the tokenizer path costs about 10 µs per feature, this about 1.
 *
 * It accepts only what the tokenizer path (GeoJsonStream in read.ts) accepts and reads the
 * same way: the root may hold only "type": "FeatureCollection", "features" lists of
 * objects, and foreign members that JSON.parse accepts, nested no deeper than maxDepth.
 * Anything else ("failed") makes the caller start over with the tokenizer path, which then
 * gives exactly its own result and error, skipping the features this path already handed on.
 *
 * For that to be exact, features are released in the same batches as the tokenizer path
 * releases them: that path parses text in the same slices (`write` below mirrors its
 * slicing) and hands on the features completed in a slice only if the whole slice parsed.
 * So a feature is released here only once every character up to the end of its slice has
 * been checked; a feature still open (not yet checked) holds back the features of the slice
 * it starts in.
 */

const SLICE = 1 << 16;
/** Longest single value (feature or foreign member) the fast path joins into one string. */
const MAX_VALUE_CHARS = 64 * 1024 * 1024;

const enum S {
  Start,
  KeyOrEnd,
  Key,
  KeyStr,
  Colon,
  Value,
  AfterValue,
  FeatFirst,
  FeatNext,
  FeatElem,
  Elem,
  Prim,
  After,
}

type MakeFeature = (value: unknown, index: number, line: number, file: string) => RawFeatureWithProblems;

export class FastFeatureScan {
  /** True once the input needs the tokenizer path; nothing further is released. */
  failed = false;

  private state = S.Start;
  private line = 1;
  private sliceNo = 0;
  private heldSurrogate = '';
  private rootType: string | undefined;
  private featuresSeen = false;
  private featureIndex = 0;
  private key = '';

  // The value being scanned (key string, feature, foreign member, primitive).
  private pieces: string[] = [];
  private piecesChars = 0;
  private elemStart = 0; // start in the current slice
  private elemIsFeature = false;
  private elemLine = 1;
  private elemSlice = 0;
  private elemDepth = 0;
  private elemInStr = false;
  private elemEsc = false;
  private elemBase = 0; // open levels outside the value

  // Features parsed but not yet released, and their slice numbers.
  private pending: RawFeatureWithProblems[] = [];
  private pendingSlice: number[] = [];
  private ready: RawFeatureWithProblems[] = [];

  constructor(
    private readonly file: string,
    private readonly maxDepth: number,
    private readonly makeFeature: MakeFeature,
  ) {}

  /** Features released since the last call. */
  drain(): RawFeatureWithProblems[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  /** Take the next chunk of text; yields after each slice (drain() then). Stops when failed. */
  *write(text: string): Generator<void> {
    // Exactly the slicing of GeoJsonStream.write.
    [text, this.heldSurrogate] = carrySurrogate(this.heldSurrogate, text);
    // A lone surrogate is encoded as U+FFFD by the tokenizer path; JSON.parse would keep it.
    // (Slices keep surrogate pairs whole, so the text is well formed iff every slice is.)
    if (!(text as unknown as { isWellFormed(): boolean }).isWellFormed()) {
      this.fail();
      return;
    }
    for (let i = 0; i < text.length; ) {
      let end = Math.min(text.length, i + SLICE);
      const last = text.charCodeAt(end - 1);
      if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
      // The slice is scanned in place: a flat string reads faster than a sliced one.
      if (!this.slice(text, i, end)) {
        this.fail();
        return;
      }
      i = end;
      yield;
    }
  }

  /** The input is over: true if it was a complete FeatureCollection (drain() the rest then). */
  end(): boolean {
    if (this.failed) return false;
    if (this.heldSurrogate) {
      // A lone high surrogate at the very end: the tokenizer path reads it as U+FFFD.
      this.fail();
      return false;
    }
    if (this.state !== S.After || this.rootType !== 'FeatureCollection' || !this.featuresSeen) {
      this.fail();
      return false;
    }
    return true;
  }

  private fail(): void {
    this.failed = true;
    this.pending = [];
    this.pendingSlice = [];
    this.ready = [];
    this.pieces = [];
    this.piecesChars = 0;
  }

  /** Scan the slice s[from, n); false on anything the fast path does not handle. */
  private slice(s: string, from: number, n: number): boolean {
    let i = from;
    if (this.state === S.Elem || this.state === S.KeyStr || this.state === S.Prim) this.elemStart = from;
    while (i < n) {
      const st = this.state;
      if (st === S.Elem) {
        i = this.scanElem(s, i, n);
        if (i < 0) return false;
        continue;
      }
      if (st === S.KeyStr) {
        i = this.scanKey(s, i, n);
        if (i < 0) return false;
        continue;
      }
      if (st === S.Prim) {
        i = this.scanPrim(s, i, n);
        if (i < 0) return false;
        continue;
      }
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        if (c === 0x0a) this.line++;
        i++;
        continue;
      }
      switch (st) {
        case S.Start:
          if (c !== 0x7b) return false;
          this.state = S.KeyOrEnd;
          break;
        case S.KeyOrEnd:
        case S.Key:
          if (c === 0x22) {
            this.beginValue(S.KeyStr, i + 1, false, 1);
          } else if (c === 0x7d && st === S.KeyOrEnd) {
            this.state = S.After;
          } else return false;
          break;
        case S.Colon:
          if (c !== 0x3a) return false;
          this.state = S.Value;
          break;
        case S.Value:
          if (this.key === 'features') {
            if (c !== 0x5b) return false;
            this.featuresSeen = true;
            this.state = S.FeatFirst;
          } else if (this.key === '__proto__') {
            return false;
          } else if (c === 0x7b || c === 0x5b || c === 0x22) {
            // "type" must be a string; any other member is foreign: checked, then dropped.
            if (this.key === 'type' && c !== 0x22) return false;
            this.beginValue(S.Elem, i, false, 1);
            if (c === 0x22) this.elemInStr = true;
            else this.elemDepth = 1;
            if (1 + this.elemDepth > this.maxDepth) return false;
          } else if (this.key === 'type') {
            return false;
          } else {
            this.beginValue(S.Prim, i, false, 1);
            continue; // scanPrim takes this character too
          }
          break;
        case S.AfterValue:
          if (c === 0x2c) this.state = S.Key;
          else if (c === 0x7d) this.state = S.After;
          else return false;
          break;
        case S.FeatFirst:
        case S.FeatNext:
        case S.FeatElem:
          if (c === 0x5d && st !== S.FeatElem) {
            this.state = S.AfterValue;
          } else if (c === 0x2c && st === S.FeatNext) {
            this.state = S.FeatElem;
          } else if (c === 0x7b && st !== S.FeatNext) {
            this.beginValue(S.Elem, i, true, 2);
            this.elemDepth = 1;
          } else return false;
          break;
        case S.After:
          return false;
      }
      i++;
    }
    // Release what is fully checked: everything, or what ends before the slice where the
    // open value began.
    const open = this.state === S.Elem || this.state === S.KeyStr || this.state === S.Prim;
    if (open && this.elemStart < n) {
      this.pieces.push(s.slice(this.elemStart, n));
      this.piecesChars += n - this.elemStart;
      // One value this long (a huge feature) is left to the tokenizer path and its limits.
      if (this.piecesChars > MAX_VALUE_CHARS) return false;
    }
    const limit = open ? this.elemSlice : this.sliceNo + 1;
    const p = this.pending;
    if (p.length) {
      let k = 0;
      while (k < p.length && this.pendingSlice[k] < limit) k++;
      if (k === p.length) {
        for (const f of p) this.ready.push(f);
        this.pending = [];
        this.pendingSlice = [];
      } else if (k > 0) {
        for (let j = 0; j < k; j++) this.ready.push(p[j]);
        this.pending = p.slice(k);
        this.pendingSlice = this.pendingSlice.slice(k);
      }
    }
    this.sliceNo++;
    return true;
  }

  private beginValue(state: S, start: number, isFeature: boolean, base: number): void {
    this.state = state;
    this.elemStart = start;
    this.elemIsFeature = isFeature;
    this.elemLine = this.line;
    this.elemSlice = this.sliceNo;
    this.elemDepth = 0;
    this.elemInStr = false;
    this.elemEsc = false;
    this.elemBase = base;
    this.pieces = [];
    this.piecesChars = 0;
  }

  /** The text of the value that ends just before `end` in slice s. */
  private valueText(s: string, end: number): string {
    const tail = s.slice(this.elemStart, end);
    if (this.pieces.length === 0) return tail;
    this.pieces.push(tail);
    const text = this.pieces.join('');
    this.pieces = [];
    this.piecesChars = 0;
    return text;
  }

  /** Scan a feature or a foreign member in s[i, n); returns where to go on, or -1. */
  private scanElem(s: string, i: number, n: number): number {
    const limit = this.maxDepth - this.elemBase;
    let depth = this.elemDepth;
    let inStr = this.elemInStr;
    let lines = 0;
    let done = false;
    if (this.elemEsc) {
      // The slice before ended inside an escape: its second character is this one.
      this.elemEsc = false;
      i++;
    }
    while (i < n) {
      if (inStr) {
        for (; i < n; i++) {
          const c = s.charCodeAt(i);
          if (c === 0x22) break;
          if (c === 0x5c && ++i === n) {
            this.elemEsc = true;
            break;
          }
        }
        if (i >= n) break;
        inStr = false;
        if (depth === 0) {
          done = true;
          break;
        }
        i++;
        continue;
      }
      const c = s.charCodeAt(i);
      if (c === 0x22) inStr = true;
      else if (c === 0x7b || c === 0x5b) {
        if (++depth > limit) return -1;
      } else if (c === 0x7d || c === 0x5d) {
        if (--depth === 0) {
          done = true;
          break;
        }
      } else if (c === 0x0a) lines++;
      i++;
    }
    this.line += lines;
    if (!done) {
      this.elemDepth = depth;
      this.elemInStr = inStr;
      return n;
    }
    // The value ends at i.
    const text = this.valueText(s, i + 1);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return -1;
    }
    if (this.elemIsFeature) {
      this.pending.push(this.makeFeature(value, this.featureIndex++, this.elemLine, this.file));
      this.pendingSlice.push(this.sliceNo);
      this.state = S.FeatNext;
    } else {
      if (this.key === 'type') {
        if (value !== 'FeatureCollection') return -1;
        this.rootType = value;
      }
      this.state = S.AfterValue;
    }
    return i + 1;
  }

  /** Scan a member name (after its opening quote); returns where to go on, or -1. */
  private scanKey(s: string, i: number, n: number): number {
    let esc = this.elemEsc;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (esc) esc = false;
      else if (c === 0x5c) esc = true;
      else if (c === 0x22) break;
    }
    if (i === n) {
      this.elemEsc = esc;
      return n;
    }
    const raw = this.valueText(s, i);
    try {
      this.key = raw.indexOf('\\') === -1 ? raw : (JSON.parse(`"${raw}"`) as string);
    } catch {
      return -1;
    }
    for (let k = 0; k < raw.length; k++) if (raw.charCodeAt(k) < 0x20) return -1;
    this.state = S.Colon;
    return i + 1;
  }

  /** Scan a number, true, false or null as a foreign member; returns where to go on, or -1. */
  private scanPrim(s: string, i: number, n: number): number {
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) break;
    }
    if (i === n) return n;
    const raw = this.valueText(s, i);
    if (!/^(?:-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null)$/.test(raw)) return -1;
    this.state = S.AfterValue;
    return i; // the delimiter is read in AfterValue
  }
}
