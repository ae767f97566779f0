// Child process of the import benchmark, run from an esbuild bundle beside the bundled import
// worker (prepare-worker.cjs), the way the desktop app runs both (scripts/build-electron.mjs):
// imports a file into a new project and prints JSON with the time importFile took (and the
// background WAL checkpoint after it).
import { performance } from 'node:perf_hooks';
import { importFile } from '../src/import/import-file';
import { Project } from '../src/store/project';

async function main(): Promise<void> {
  const [file, out] = process.argv.slice(2);
  const project = Project.open(out, { create: true });
  const t0 = performance.now();
  const r = await importFile(project, file, { skipInvalid: true });
  const ms = performance.now() - t0;
  // Durable at `ms`; the WAL checkpoint then runs in the background (src/store/checkpoint.ts).
  const t1 = performance.now();
  project.waitForCheckpoint();
  const checkpointMs = performance.now() - t1;
  project.close();
  console.log(JSON.stringify({ ms, checkpointMs, written: r.written.deposits, rejected: r.rejected }));
}

void main();
