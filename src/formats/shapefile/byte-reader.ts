import type { Readable } from 'node:stream';

/**
 * Pulls exact byte counts from a Node stream (a .dbf entry of a zip, a file on disk), keeping
 * only the chunks not yet handed out: memory stays at a chunk or two, whatever the file's size.
 */
export class ByteReader {
  private readonly chunks: Buffer[] = [];
  /** Read position inside chunks[0]. */
  private offset = 0;
  private buffered = 0;
  private ended = false;
  private readonly it: AsyncIterator<Buffer>;
  /** Bytes handed out so far. */
  position = 0;

  constructor(private readonly stream: Readable) {
    this.it = stream[Symbol.asyncIterator]();
  }

  /** The next `n` bytes, or fewer at the end of the stream (empty when nothing is left). */
  async read(n: number): Promise<Uint8Array> {
    while (this.buffered < n && !this.ended) {
      const r = await this.it.next();
      if (r.done) this.ended = true;
      else if (r.value.length) {
        this.chunks.push(r.value);
        this.buffered += r.value.length;
      }
    }
    const take = Math.min(n, this.buffered);
    let out: Uint8Array;
    const first = this.chunks[0];
    if (first && first.length - this.offset >= take) {
      out = first.subarray(this.offset, this.offset + take);
      this.offset += take;
    } else {
      out = new Uint8Array(take);
      let filled = 0;
      while (filled < take) {
        const c = this.chunks[0];
        const k = Math.min(c.length - this.offset, take - filled);
        out.set(c.subarray(this.offset, this.offset + k), filled);
        filled += k;
        this.offset += k;
        if (this.offset === c.length) {
          this.chunks.shift();
          this.offset = 0;
        }
      }
    }
    if (this.chunks.length && this.offset === this.chunks[0].length) {
      this.chunks.shift();
      this.offset = 0;
    }
    this.buffered -= take;
    this.position += take;
    return out;
  }

  /** Stop reading and release the stream. */
  close(): void {
    this.stream.destroy();
  }
}
