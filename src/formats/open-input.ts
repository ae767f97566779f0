import { createReadStream, promises as fsp } from 'node:fs';
import { basename } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { TextDecoder } from 'node:util';
import { BadInputError, codedError } from '../errors';
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

export interface TextInputOptions extends TaskOptions {
  /**
   * The file's text encoding, as a WHATWG label ("windows-1252", "shift_jis", "euc-jp",
   * "utf-16le" …). Default: UTF-8, or UTF-16 when the file starts with its byte-order mark;
   * bytes that are not UTF-8 are then an error naming the line, never silently replaced.
   */
  encoding?: string;
}

/**
 * Open a text input file for streaming. Transparently gunzips (.gz or gzip magic), strips a
 * UTF-8 BOM, refuses binary files with a clear message, and reports progress in bytes read
 * from disk. The caller owns the stream and must consume or destroy it.
 */
export async function openTextInput(path: string, opts: TextInputOptions = {}): Promise<OpenedInput> {
  return openTextInputAt(path, opts, { bytes: 0 });
}

async function openTextInputAt(path: string, opts: TextInputOptions, reported: { bytes: number }): Promise<OpenedInput> {
  const name = basename(path);
  const given = opts.encoding === undefined ? undefined : checkEncoding(opts.encoding);
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
  // UTF-16 (Excel's "Unicode text", PowerShell 5) is known by its byte-order mark; its NUL bytes
  // would otherwise look binary. A gzipped file is checked after decompression.
  const encoding = given ?? (gzipped ? undefined : utf16ByBom(head.subarray(0, headLen)));
  if (!gzipped && !encoding?.startsWith('utf-16')) assertText(head.subarray(0, headLen), name);

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
    // zlib's own words ("unexpected end of file", "incorrect header check") as a problem of the file.
    decoded.on('error', (e: NodeJS.ErrnoException) => {
      if (e instanceof BadInputError || !e.code?.startsWith('Z_')) return;
      const cut = e.code === 'Z_BUF_ERROR';
      text.destroy(new BadInputError(coded(cut ? 'input.gzipCut' : 'input.gzipDamaged', { file: name, detail: e.message })));
    });
  }
  const text: Transform = textDecoder(name, gzipped, encoding);
  decoded.pipe(text);
  decoded.on('error', (e) => text.destroyed || text.destroy(e));
  // A small file is decoded whole before its reader starts iterating: an error then (bytes that
  // are not UTF-8, a cut-off gzip) found no listener and killed the process. The stream keeps
  // the error (`errored`), and the reader's iteration throws it.
  text.on('error', () => {});
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

/**
 * Decoder transform: UTF-8 unless `encoding` says otherwise; strips a BOM; checks the
 * decompressed head of gzip input for binary (and for a UTF-16 BOM). Bytes that are not valid
 * in the encoding stop the read with the line where they are, instead of becoming U+FFFD.
 */
function textDecoder(name: string, checkHead: boolean, encoding: string | undefined): Transform {
  let decoder: TextDecoder | undefined;
  let label = encoding ?? 'utf-8';
  let lines = 1; // line at the start of the current chunk (counted while decoding UTF-8)
  let tail: Buffer = Buffer.alloc(0); // the previous chunk's last bytes: an invalid sequence may start there
  const decode = (chunk: Buffer, stream: boolean): string => {
    try {
      return decoder!.decode(chunk, { stream });
    } catch {
      throw notText(chunk);
    }
  };
  const notText = (chunk: Buffer): BadInputError => {
    if (label !== 'utf-8') return new BadInputError(coded('input.notInEncoding', { file: name, encoding: label }));
    const bytes = Buffer.concat([tail, chunk]);
    const at = firstInvalidUtf8(bytes);
    const line = at < 0 ? undefined : lines + countNewlines(bytes, at) - countNewlines(tail, tail.length);
    const shown = at < 0 ? '' : [...bytes.subarray(at, at + 4)].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
    return new BadInputError(coded('input.notUtf8', { file: name, line: line ?? '?', bytes: shown, suggest: guessEncoding(bytes) }), {
      file: name,
      ...(line !== undefined ? { line } : {}),
      message: '',
    });
  };
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _enc, cb) {
      try {
        let text: string;
        if (!decoder) {
          if (checkHead && !encoding) {
            label = utf16ByBom(chunk) ?? 'utf-8';
            if (!label.startsWith('utf-16')) assertText(chunk.subarray(0, 4096), name);
          }
          // fatal: bytes the encoding cannot hold stop the read; they never become U+FFFD.
          decoder = new TextDecoder(label, { fatal: true });
          text = decode(chunk, true);
          if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        } else {
          text = decode(chunk, true);
        }
        if (label === 'utf-8') {
          lines += countNewlines(chunk, chunk.length);
          tail = chunk.subarray(Math.max(0, chunk.length - 3));
        }
        cb(null, text);
      } catch (err) {
        cb(err as Error);
      }
    },
    flush(cb) {
      try {
        const rest = decoder ? decode(Buffer.alloc(0), false) : '';
        cb(null, rest.length ? rest : undefined);
      } catch (err) {
        cb(err as Error);
      }
    },
  });
}

/** "utf-16le" / "utf-16be" when the bytes start with that byte-order mark. */
function utf16ByBom(head: Buffer): string | undefined {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** The encoding label, checked: an unknown one is a usage error naming it. */
function checkEncoding(label: string): string {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    throw codedError('USAGE', coded('input.unknownEncoding', { encoding: JSON.stringify(label) }));
  }
}

function countNewlines(chunk: Buffer, end: number): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i >= 0 && i < end; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * Offset of the first byte that does not start a valid UTF-8 sequence (overlong forms,
 * surrogates and code points past U+10FFFF included), or -1. Continuation bytes at the very start
 * end a sequence begun before `b`; a sequence cut off by the end of `b` counts as invalid (the
 * decoder only fails on one when the input ends there).
 */
function firstInvalidUtf8(b: Buffer): number {
  let start = 0;
  while (start < 3 && start < b.length && b[start] >= 0x80 && b[start] <= 0xbf) start++;
  for (let i = start; i < b.length; ) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    const [len, lo, hi] = c >= 0xc2 && c <= 0xdf ? [2, 0x80, 0xbf] : c === 0xe0 ? [3, 0xa0, 0xbf] : c === 0xed ? [3, 0x80, 0x9f] : c >= 0xe1 && c <= 0xef ? [3, 0x80, 0xbf] : c === 0xf0 ? [4, 0x90, 0xbf] : c === 0xf4 ? [4, 0x80, 0x8f] : c >= 0xf1 && c <= 0xf3 ? [4, 0x80, 0xbf] : [0, 0, 0];
    if (len === 0) return i;
    for (let k = 1; k < len; k++) {
      if (i + k >= b.length) return i;
      const t = b[i + k];
      if (k === 1 ? t < lo || t > hi : t < 0x80 || t > 0xbf) return i;
    }
    i += len;
  }
  return -1;
}

/**
 * A likely encoding for text that is not UTF-8: Shift-JIS if it reads as that and holds kana or
 * kanji (Windows-1252 "é" before a letter is valid Shift-JIS too, as half-width katakana), else
 * Windows-1252.
 */
function guessEncoding(chunk: Buffer): string {
  const sjis = new TextDecoder('shift_jis').decode(chunk);
  return sjis.indexOf('\uFFFD') < 0 && /[\u3040-\u30ff\u4e00-\u9fff]/.test(sjis) ? 'shift_jis' : 'windows-1252';
}

/**
 * A whole small text file (a query area, sites, weights) read with the same rules as a streamed
 * input: gzip, BOM, refusal of binary files, `encoding`, and bytes that are not UTF-8 an error
 * naming the line (never silently replaced).
 */
export async function readTextFile(path: string, opts: TextInputOptions = {}): Promise<string> {
  const input = await openTextInput(path, opts);
  const parts: string[] = [];
  for await (const chunk of input.stream) parts.push(chunk as string);
  return parts.join('');
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
