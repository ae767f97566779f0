/**
 * The UUIDs seen so far in one file, to report an id used twice (import.duplicateId), in about
 * 25–50 bytes per id: 16 bytes of the UUID in an open-addressing table of typed arrays, with no
 * string kept. A Set of the id strings took ~130 bytes per id, and an id a CSV reader cut from
 * its text kept that whole piece of text alive with it (V8 makes a slice of a string point into
 * it): a 441,836-row CSV export held most of the file in memory to the end.
 */
export class UuidSet {
  /** Four 32-bit words per slot (the UUID's 128 bits). */
  private words: Int32Array;
  /** 1 where a slot holds an id (the nil UUID is all zeros, so zeros cannot mark a free slot). */
  private used: Uint8Array;
  private count = 0;

  constructor(slots = 1024) {
    let n = 16;
    while (n < slots) n *= 2;
    this.words = new Int32Array(n * 4);
    this.used = new Uint8Array(n);
  }

  get size(): number {
    return this.count;
  }

  /**
   * Add a UUID (8-4-4-4-12 hex digits, either case: as isUuid accepts). True when it is new,
   * false when the set already had it.
   */
  add(id: string): boolean {
    const w0 = hex8(id, 0);
    const w1 = (hex4(id, 9) << 16) | hex4(id, 14);
    const w2 = (hex4(id, 19) << 16) | hex4(id, 24);
    const w3 = hex8(id, 28);
    if (this.count * 10 >= this.used.length * 7) this.grow();
    return this.insert(w0, w1, w2, w3);
  }

  private insert(w0: number, w1: number, w2: number, w3: number): boolean {
    const { words, used } = this;
    const mask = used.length - 1;
    for (let i = hash(w0, w1, w2, w3) & mask; ; i = (i + 1) & mask) {
      if (!used[i]) {
        used[i] = 1;
        const o = i * 4;
        words[o] = w0;
        words[o + 1] = w1;
        words[o + 2] = w2;
        words[o + 3] = w3;
        this.count++;
        return true;
      }
      const o = i * 4;
      if (words[o] === w0 && words[o + 1] === w1 && words[o + 2] === w2 && words[o + 3] === w3) return false;
    }
  }

  private grow(): void {
    const { words, used } = this;
    this.words = new Int32Array(words.length * 2);
    this.used = new Uint8Array(used.length * 2);
    this.count = 0;
    for (let i = 0; i < used.length; i++) {
      if (used[i]) this.insert(words[i * 4], words[i * 4 + 1], words[i * 4 + 2], words[i * 4 + 3]);
    }
  }
}

function hexDigit(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c <= 57 ? c - 48 : (c | 32) - 87; // 0-9, a-f, A-F
}

function hex4(s: string, at: number): number {
  return (hexDigit(s, at) << 12) | (hexDigit(s, at + 1) << 8) | (hexDigit(s, at + 2) << 4) | hexDigit(s, at + 3);
}

function hex8(s: string, at: number): number {
  return (hex4(s, at) << 16) | hex4(s, at + 4);
}

/** All 128 bits mixed: version 7 ids share their leading time bits, so none can be left out. */
function hash(w0: number, w1: number, w2: number, w3: number): number {
  let h = Math.imul(w3 ^ (w3 >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ w2, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 13) ^ w1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ w0, 0x85ebca6b);
  return (h ^ (h >>> 15)) >>> 0;
}
