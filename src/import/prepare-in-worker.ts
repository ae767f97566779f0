import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AuditDefaults } from '../store/write-session';
import { outsideAsar } from '../asar';
import { OutcropError } from '../errors';
import type { ReadInputOptions } from './pipeline';
import { prepareFile, type PreparedFeature } from './prepare-file';
import { type PrepareJob, reviveError, unpackBatch, type WorkerMessage } from './prepare-protocol';
import { sourceWorkerBundle } from './worker-bundle';

/**
 * prepareFile in a worker thread, so reading, validating and mapping run on the second core
 * while this thread writes to SQLite. Same features, batches, problems, errors (class, message,
 * file/feature/field), CRS and progress events as the in-thread prepareFile. When no worker can
 * be started here (no entry file, or it fails to load), it falls back to prepareFile in-thread.
 */
export async function* prepareFileInWorker(path: string, opts: ReadInputOptions, defaults: AuditDefaults, extra?: Map<string, number>): AsyncGenerator<PreparedFeature[]> {
  const entry = workerEntry();
  const job: PrepareJob = {
    path,
    opts: { layer: opts.layer, format: opts.format, csv: opts.csv, crs: opts.crs, sourceLayer: opts.sourceLayer, fieldMap: opts.fieldMap, encoding: opts.encoding },
    defaults,
  };
  let worker: Worker | undefined;
  // execArgv []: the worker must not inherit `--import tsx` (the boot file registers tsx itself).
  try {
    worker = entry ? new Worker(entry, { workerData: job, execArgv: [] }) : undefined;
  } catch {
    worker = undefined;
  }
  if (!worker) {
    yield* prepareFile(path, opts, defaults, extra);
    return;
  }
  const queue: WorkerMessage[] = [];
  let failure: unknown;
  let exited = false;
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  worker.on('message', (m: WorkerMessage) => {
    queue.push(m);
    poke();
  });
  worker.on('error', (err) => {
    failure = err;
    poke();
  });
  worker.on('exit', () => {
    exited = true;
    poke();
  });
  opts.signal?.addEventListener('abort', poke);
  let ready = false;
  try {
    for (;;) {
      while (!queue.length) {
        opts.signal?.throwIfAborted();
        if (failure !== undefined || exited) break;
        await new Promise<void>((r) => (wake = r));
      }
      if (!queue.length) {
        // The worker could not even start (e.g. its module cannot be loaded where we run):
        // do the same work in this thread instead. After 'ready', a failure is a real error.
        if (!ready) {
          yield* prepareFile(path, opts, defaults, extra);
          return;
        }
        throw failure ?? new OutcropError('INTERNAL', `import of ${path}: the reading thread stopped unexpectedly`);
      }
      const m = queue.shift()!;
      switch (m.t) {
        case 'ready':
          ready = true;
          break;
        case 'crs':
          opts.onCrs?.(m.crs);
          break;
        case 'rowCrs':
          opts.onRowCrs?.(m.use);
          break;
        case 'progress':
          opts.onProgress?.(m.p);
          break;
        case 'batch':
          worker.postMessage({ t: 'more' });
          // Node delivers a port's waiting messages in one go, running this generator (and the
          // writer behind it) after each: while the worker keeps up, that could hold this thread
          // for seconds, with no request, IPC call or cancel seen meanwhile. One turn of the event
          // loop per batch (~0.1 ms) keeps it answering.
          await new Promise<void>((resolve) => setImmediate(resolve));
          yield unpackBatch(m);
          break;
        case 'error':
          throw reviveError(m.error);
        case 'done':
          for (const [k, n] of m.extra) extra?.set(k, n);
          return;
      }
    }
  } finally {
    opts.signal?.removeEventListener('abort', poke);
    await worker.terminate();
  }
}

/**
 * The worker's entry: from TypeScript sources (tsx, vitest) a bundle of it esbuild makes and
 * caches (worker-bundle.ts), or else a small .mjs that registers tsx first; in the Electron
 * bundle (CommonJS, no import.meta.url) prepare-worker.cjs beside it.
 */
function workerEntry(): URL | string | undefined {
  const url = import.meta.url as string | undefined;
  if (url && url.endsWith('.ts')) {
    const here = dirname(fileURLToPath(url));
    return sourceWorkerBundle(join(here, 'prepare-worker.ts'), resolve(here, '../..')) ?? new URL('./prepare-worker.boot.mjs', url);
  }
  if (typeof __dirname === 'string') {
    const bundled = join(__dirname, 'prepare-worker.cjs');
    // Packaged, the worker is unpacked beside the archive (electron-builder.yml asarUnpack): a
    // worker thread cannot start from inside app.asar.
    const unpacked = outsideAsar(bundled);
    if (unpacked !== bundled) return unpacked;
    if (existsSync(bundled)) return bundled;
  }
  return undefined;
}
