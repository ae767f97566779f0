import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { outsideAsar } from '../asar';

/**
 * Checkpoints of a project's WAL on another thread.
 *
 * In WAL mode a commit is durable once its pages are in the -wal file and that file is synced;
 * copying them back into the database file (the checkpoint) is housekeeping SQLite does right
 * after a commit that left the WAL over 1,000 pages. After a large operation (an import of
 * 110k deposits writes ~90 MB) that copy and its sync take as long again as the commit, on the
 * thread that committed. `Project.write` turns the automatic checkpoint off for its COMMIT and
 * asks this class for a PASSIVE checkpoint instead, run by a second connection in a worker
 * thread: the operation returns as soon as it is durable, the copy runs on the other core, and
 * writers are never blocked by it (SQLite's own advice: https://sqlite.org/wal.html#ckpt).
 *
 * The worker holds no connection between checkpoints, so the project's own connection stays
 * the last one and `Project.close` can still truncate the WAL. Where no worker can run (the
 * module cannot be loaded in a thread, the worker died) checkpoints run in the calling thread,
 * as SQLite would have run them.
 */
export class BackgroundCheckpoint {
  private worker: Worker | undefined;
  private failed = false;
  /** [0]: checkpoints asked for and not finished yet. Shared with the worker. */
  private readonly pending = new Int32Array(new SharedArrayBuffer(4));

  constructor(
    private readonly file: string,
    /** Runs a checkpoint in this thread (the fallback). */
    private readonly inThread: () => void,
    private readonly moduleId = 'better-sqlite3',
  ) {}

  /** Ask for a checkpoint; returns at once (or after an in-thread one when no worker can run). */
  request(): void {
    const w = this.failed ? undefined : (this.worker ?? this.start());
    if (!w) {
      try {
        this.inThread();
      } catch {
        /* as SQLite's own checkpoint after a commit: a failure is left to the next one */
      }
      return;
    }
    Atomics.add(this.pending, 0, 1);
    w.postMessage('checkpoint');
  }

  /**
   * Block until the checkpoints asked for have finished (or `timeoutMs` passed): before the
   * project's connection closes, so that its own final checkpoint does not race this one.
   */
  waitIdle(timeoutMs = 60_000): void {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const n = Atomics.load(this.pending, 0);
      if (n <= 0) return;
      const left = until - Date.now();
      if (left <= 0) return;
      Atomics.wait(this.pending, 0, n, left);
    }
  }

  /** Stop the worker (after waitIdle; it holds no connection between checkpoints). */
  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private start(): Worker | undefined {
    let modulePath: string;
    try {
      // Packaged: better-sqlite3 from app.asar.unpacked (electron-builder.yml), not from the archive.
      modulePath = outsideAsar(createRequire(typeof __filename === 'string' ? __filename : import.meta.url).resolve(this.moduleId));
    } catch {
      this.failed = true;
      return undefined;
    }
    try {
      const w = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { file: this.file, modulePath, pending: this.pending },
        // Not `--import tsx` and the like: the worker is plain CommonJS.
        execArgv: [],
      });
      w.on('error', () => this.fail(w));
      w.on('exit', () => this.fail(w));
      // 'busy': another checkpoint was running (SQLite's, at a small commit): this one is skipped,
      // as SQLite skips its own then. Anything else: this worker cannot checkpoint this file.
      w.on('message', (m: unknown) => {
        if (m !== 'done' && m !== 'busy') this.fail(w);
      });
      // An idle checkpointer must not keep a process alive that never closes its project
      // (close() waits for busy ones). After the listeners: a 'message' listener refs the port.
      w.unref();
      this.worker = w;
      return w;
    } catch {
      this.failed = true;
      return undefined;
    }
  }

  /** The worker cannot checkpoint: from now on checkpoints run in this thread, starting with one now. */
  private fail(w: Worker): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    this.failed = true;
    void w.terminate();
    Atomics.store(this.pending, 0, 0);
    Atomics.notify(this.pending, 0);
    try {
      this.inThread();
    } catch {
      /* inside a transaction or closing: SQLite checkpoints at the next commit or at close */
    }
  }
}

/**
 * The worker, as CommonJS source (no bundle entry of its own, so it runs the same from tsx,
 * the CLI and the Electron build). A checkpoint that fails (SQLITE_BUSY while another one runs)
 * is left to the next one: it is housekeeping, never needed for durability.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const pending = workerData.pending;
let Database;
let loadError;
try {
  Database = require(workerData.modulePath);
} catch (err) {
  loadError = err;
}
parentPort.on('message', () => {
  let db;
  let outcome = 'done';
  try {
    if (loadError) throw loadError;
    db = new Database(workerData.file, { fileMustExist: true });
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    outcome = err && err.code === 'SQLITE_BUSY' ? 'busy' : 'failed: ' + String(err && err.message);
  } finally {
    try { db && db.close(); } catch {}
    // Reported before the count drops, so that a failure is known before anyone stops waiting.
    parentPort.postMessage(outcome);
    Atomics.sub(pending, 0, 1);
    Atomics.notify(pending, 0);
  }
});
`;
