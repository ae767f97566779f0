/**
 * Worker thread entry of an import: reads, validates and maps the file (prepareFile) and
 * posts ready rows to the writer in the main thread, which only runs SQLite. Started by
 * prepare-in-worker.ts: from TypeScript sources as a bundle cached by worker-bundle.ts (or,
 * when none can be made, through prepare-worker.boot.mjs), in the app as the bundled
 * dist/electron/prepare-worker.cjs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { prepareFile } from './prepare-file';
import { MAX_BATCHES_IN_FLIGHT, type MainMessage, packBatch, packedBuffers, type PrepareJob, serialiseError, type WorkerMessage } from './prepare-protocol';

const port = parentPort;
if (!port) throw new Error('prepare-worker.ts runs only as a worker thread');

let credit = MAX_BATCHES_IN_FLIGHT;
let wake: (() => void) | undefined;
port.on('message', (m: MainMessage) => {
  if (m.t === 'more') {
    credit++;
    wake?.();
  }
});

const post = (m: WorkerMessage, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);

async function run(job: PrepareJob): Promise<void> {
  post({ t: 'ready' });
  try {
    const extra = new Map<string, number>();
    const reader = prepareFile(
      job.path,
      {
        ...job.opts,
        onCrs: (crs) => post({ t: 'crs', crs: { name: crs.name, code: crs.code, note: crs.note, proj4: crs.proj4, geographic: crs.geographic } }),
        onRowCrs: (use) => post({ t: 'rowCrs', use }),
        onProgress: (p) => post({ t: 'progress', p }),
      },
      job.defaults,
      extra,
    );
    for await (const batch of reader) {
      while (credit <= 0) await new Promise<void>((r) => (wake = r));
      wake = undefined;
      credit--;
      const packed = packBatch(batch);
      post({ t: 'batch', ...packed }, packedBuffers(packed));
    }
    post({ t: 'done', extra: [...extra] });
  } catch (err) {
    post({ t: 'error', error: serialiseError(err) });
  }
}

void run(workerData as PrepareJob);
