import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fsp, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

/** Text sink handed to the body of {@link writeFileAtomically}. */
export interface TextSink {
  /** Append text. Resolves when it is buffered; waits for 'drain' when the file is behind. */
  write(text: string): Promise<void>;
}

/** Text is handed to the file stream in chunks of about this many UTF-16 units. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Write a file so that `outPath` only ever holds a complete file: `body` writes to
 * `<outPath>.partial-<random>` in the same folder, which is flushed to disk and renamed onto
 * `outPath` when `body` resolves. When `body` throws (including a cancel via AbortSignal) or
 * the disk fails, the partial file is deleted and `outPath` is left as it was (absent, or
 * the previous file). Memory stays bounded: `write` applies the stream's backpressure.
 */
export async function writeFileAtomically<T>(outPath: string, body: (out: TextSink) => Promise<T>): Promise<T> {
  const partial = `${outPath}.partial-${randomBytes(6).toString('hex')}`;
  // 'wx': never clobber a file we did not create; flush: fsync before close, so the rename
  // cannot expose an empty file after a power cut.
  const stream = createWriteStream(partial, { flags: 'wx', flush: true });
  let streamError: Error | undefined;
  stream.on('error', (e) => {
    streamError ??= e;
  });
  try {
    await once(stream, 'ready');
    let pending = '';
    const flush = async (): Promise<void> => {
      if (streamError) throw streamError;
      if (pending === '') return;
      const chunk = pending;
      pending = '';
      if (!stream.write(chunk)) await drained(stream, () => streamError);
    };
    const result = await body({
      async write(text: string) {
        pending += text;
        if (pending.length >= CHUNK_CHARS) await flush();
      },
    });
    await flush();
    stream.end();
    await finished(stream);
    if (streamError) throw streamError;
    await fsp.rename(partial, outPath);
    return result;
  } catch (err) {
    stream.destroy();
    await finished(stream).catch(() => undefined);
    await fsp.rm(partial, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** Wait for 'drain'; reject if the stream errors or closes first (a plain once('drain') would hang). */
function drained(stream: WriteStream, error: () => Error | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onError = (e: Error) => done(e);
    const onClose = () => done(error() ?? new Error('the output file was closed while writing'));
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
