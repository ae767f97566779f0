import { createReadStream, promises as fsp } from 'node:fs';
import { basename } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { BadInputError } from '../errors';
import { coded } from '../messages/en';
import type { TaskOptions } from '../task';

export interface OpenedInput {
  /** Decoded text stream (UTF-8, BOM stripped), in chunks of strings. */
  stream: Readable;
  /** File name for messages. */
  name: string;
  /** Size on disk in bytes (compressed size for .gz). */
  sizeBytes: number;
  gzipped: boolean;
  /**
   * Open the same input again from its start, if possible (a reader's fast path that meets
   * something it does not handle starts over on its thorough path). Byte progress is only
   * reported again past the bytes already reported.
   */
  reopen?: () => Promise<OpenedInput>;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Open a text input file for streaming. Transparently gunzips (.gz or gzip magic), strips a
 * UTF-8 BOM, refuses binary files with a clear message, and reports progress in bytes read
 * from disk. The caller owns the stream and must consume or destroy it.
 */
export async function openTextInput(path: string, opts: TaskOptions = {}): Promise<OpenedInput> {
  return openTextInputAt(path, opts, { bytes: 0 });
}

async function openTextInputAt(path: string, opts: TaskOptions, reported: { bytes: number }): Promise<OpenedInput> {
  const name = basename(path);
  let stat;
  try {
    stat = await fsp.stat(path);
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new BadInputError(missing ? coded('input.noSuchFile', { file: name }) : coded('input.cannotRead', { file: name, detail: (err as Error).message }), { file: name, message: '' });
  }
  if (stat.isDirectory()) throw new BadInputError(coded('input.folder', { file: name }));
  const head = Buffer.alloc(4096);
  const fh = await fsp.open(path, 'r');
  let headLen = 0;
  try {
    headLen = (await fh.read(head, 0, head.length, 0)).bytesRead;
  } finally {
    await fh.close();
  }
  const gzipped = headLen >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  if (!gzipped) assertText(head.subarray(0, headLen), name);

  // 256 KiB reads: large enough for throughput, small enough that byte progress on a
  // compressed file (a few MB on disk) moves smoothly.
  const raw = createReadStream(path, { highWaterMark: 1 << 18, signal: opts.signal });
  let bytes = 0;
  raw.on('data', (chunk: string | Buffer) => {
    bytes += chunk.length;
    if (bytes <= reported.bytes) return;
    reported.bytes = bytes;
    opts.onProgress?.({ phase: 'read', done: bytes, total: stat.size, unit: 'bytes' });
  });
  let decoded: Readable = raw;
  if (gzipped) {
    const gunzip = createGunzip();
    raw.on('error', (e) => gunzip.destroy(e));
    decoded = raw.pipe(gunzip);
  }
  const text = decoded.pipe(utf8Decoder(name, gzipped));
  decoded.on('error', (e) => text.destroy(e));
  return { stream: text, name, sizeBytes: stat.size, gzipped, reopen: () => openTextInputAt(path, opts, reported) };
}

/** Heuristic: NUL bytes or many control characters in the first 4 KiB mean "not text". */
function assertText(buf: Buffer, name: string): void {
  if (buf.length === 0) return;
  let control = 0;
  for (const b of buf) {
    if (b === 0) throw new BadInputError(coded('input.binaryNul', { file: name }));
    if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  }
  if (control / buf.length > 0.1) {
    throw new BadInputError(coded('input.binary', { file: name }));
  }
}

/** UTF-8 decoder transform: strips a BOM, checks the decompressed head of gzip input for binary. */
function utf8Decoder(name: string, checkHead: boolean): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let first = true;
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _enc, cb) {
      try {
        if (first) {
          first = false;
          if (checkHead) assertText(chunk.subarray(0, 4096), name);
          let text = decoder.decode(chunk, { stream: true });
          if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
          cb(null, text);
          return;
        }
        cb(null, decoder.decode(chunk, { stream: true }));
      } catch (err) {
        cb(err as Error);
      }
    },
    flush(cb) {
      const rest = decoder.decode();
      cb(null, rest.length ? rest : undefined);
    },
  });
}

/** Wrap an in-memory string as an input (tests, pasted text). */
export function textInput(text: string, name = 'input'): OpenedInput {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const open = (): OpenedInput => ({
    stream: Readable.from([body], { objectMode: true }),
    name,
    sizeBytes: Buffer.byteLength(body),
    gzipped: false,
    reopen: async () => open(),
  });
  return open();
}
