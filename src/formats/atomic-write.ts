import { randomBytes } from 'node:crypto';
import { accessSync, constants as fsConstants, createWriteStream, existsSync, promises as fsp, readdirSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { codedError } from '../errors';
import { coded } from '../messages/en';

/** Text sink handed to the body of {@link writeFileAtomically}. */
export interface TextSink {
  /** Append text. Resolves when it is buffered; waits for 'drain' when the file is behind. */
  write(text: string): Promise<void>;
}

/** Text is handed to the file stream in chunks of about this many UTF-16 units. */
const CHUNK_CHARS = 64 * 1024;

/**
 * A file that appears at `outPath` only when complete: text goes to `<outPath>.partial-<pid>-<random>`
 * in the same folder, which `commit()` flushes to disk and renames onto `outPath`; `abort()`
 * (or a failed commit) deletes it and leaves `outPath` as it was (absent, or the previous file).
 * Memory stays bounded: `write` applies the stream's backpressure. A file that cannot be created
 * (no such folder, no permission, a read-only disk) fails in `open` with a message naming it.
 */
export class AtomicFile implements TextSink {
  private pending = '';
  private streamError: Error | undefined;
  private done = false;

  private constructor(
    readonly outPath: string,
    private readonly partial: string,
    private readonly stream: WriteStream,
  ) {
    stream.on('error', (e) => {
      this.streamError ??= e;
    });
  }

  static async open(outPath: string): Promise<AtomicFile> {
    checkOutputTarget(outPath);
    sweepStalePartials(outPath);
    const partial = partialPath(outPath);
    // 'wx': never clobber a file we did not create; flush: fsync before close, so the rename
    // cannot expose an empty file after a power cut.
    const stream = createWriteStream(partial, { flags: 'wx', flush: true });
    const file = new AtomicFile(outPath, partial, stream);
    try {
      await once(stream, 'ready');
    } catch (err) {
      await file.abort();
      throw cannotWrite(outPath, err);
    }
    return file;
  }

  async write(text: string): Promise<void> {
    this.pending += text;
    if (this.pending.length >= CHUNK_CHARS) await this.flush();
  }

  /** Write what is buffered, flush it to disk and put the file in place. */
  async commit(): Promise<void> {
    try {
      await this.flush();
      this.stream.end();
      await finished(this.stream);
      if (this.streamError) throw this.streamError;
      await fsp.rename(this.partial, this.outPath);
      this.done = true;
    } catch (err) {
      await this.abort();
      throw cannotWrite(this.outPath, err);
    }
  }

  /** Delete the partial file (nothing at `outPath` changes). Safe to call more than once. */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.stream.destroy();
    await finished(this.stream).catch(() => undefined);
    await fsp.rm(this.partial, { force: true }).catch(() => undefined);
  }

  private async flush(): Promise<void> {
    if (this.streamError) throw this.streamError;
    if (this.pending === '') return;
    const chunk = this.pending;
    this.pending = '';
    if (!this.stream.write(chunk)) await drained(this.stream, () => this.streamError);
  }
}

/**
 * Write a file so that `outPath` only ever holds a complete file (see AtomicFile): `body` writes
 * to it; when `body` throws (including a cancel via AbortSignal) or the disk fails, nothing is
 * left behind.
 */
export async function writeFileAtomically<T>(outPath: string, body: (out: TextSink) => Promise<T>): Promise<T> {
  const file = await AtomicFile.open(outPath);
  try {
    const result = await body(file);
    await file.commit();
    return result;
  } finally {
    await file.abort();
  }
}

/** A temporary name beside `outPath` for a file being written by this process (see sweepStalePartials). */
export function partialPath(outPath: string): string {
  return `${outPath}.partial-${process.pid}-${randomBytes(6).toString('hex')}`;
}

/**
 * Delete what a killed writer left beside `outPath`: `<name>.partial-<pid>-…` files (and their
 * SQLite -journal/-wal/-shm) whose process is gone here and that nobody has written to for 15
 * minutes. A kill -9 or a second Ctrl-C mid-export can leave one, up to the export's size; a
 * live writer's file (here, or on another machine sharing the folder) is never touched.
 */
export function sweepStalePartials(outPath: string): void {
  const dir = dirname(outPath);
  const prefix = `${basename(outPath)}.partial-`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // no folder: nothing to sweep (the write itself will say why it cannot go there)
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || processAlive(pid)) continue;
    // The pid may be another machine's or container's (a shared folder): only a file nobody has
    // written to for a while is taken for a leftover.
    const file = join(dir, name);
    const idle = Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (idle < STALE_AFTER_MS) continue;
    try {
      rmSync(file, { force: true });
    } catch {
      /* best effort: another sweep got it, or it is not ours to delete */
    }
  }
}

/** How long a partial file must have been left unwritten before a sweep takes it for a leftover. */
const STALE_AFTER_MS = 15 * 60 * 1000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/**
 * Fail early, naming the file, when `outPath` cannot be written: its folder is missing or not
 * writable, or a file there is read-only (replacing it by a rename would go around that).
 */
export function checkOutputTarget(outPath: string): void {
  const readOnly = () => codedError('USAGE', coded('output.cannotWrite', { file: basename(outPath), path: outPath, reason: 'the file is read-only' }), { file: outPath });
  // Write-protected (no write bit for anyone) counts as read-only even for root, as `rm` asks.
  const existing = statSync(outPath, { throwIfNoEntry: false });
  if (existing?.isFile() && (existing.mode & 0o222) === 0) throw readOnly();
  try {
    accessSync(dirname(outPath), fsConstants.W_OK); // its folder: the new file is created there
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw cannotWrite(outPath, err, code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? `the folder ${dirname(outPath)} is not writable` : undefined);
  }
  try {
    if (existing) accessSync(outPath, fsConstants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if ((code === 'EACCES' || code === 'EPERM' || code === 'EROFS') && existing?.isFile()) throw readOnly();
    throw cannotWrite(outPath, err);
  }
}

/** A system error on an output file as a usage error naming it (no folder, no permission …). */
function cannotWrite(outPath: string, err: unknown, because?: string): unknown {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (!code || !SYSTEM_CODES.has(code)) return err;
  const missing = () => (existsSync(dirname(outPath)) ? 'its temporary file was removed by another program' : `the folder ${dirname(outPath)} does not exist`);
  const reason = because ?? (code === 'ENOENT' ? missing() : (err as Error).message.replace(/, open '.*'$/, ''));
  return codedError('USAGE', coded('output.cannotWrite', { file: basename(outPath), path: outPath, reason }), { file: outPath });
}
const SYSTEM_CODES = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'EISDIR', 'ENOSPC', 'EDQUOT', 'ENAMETOOLONG']);

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
