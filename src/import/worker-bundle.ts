import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import type { BuildOptions } from 'esbuild';
import workerBuild from './worker-build.json';

/**
 * esbuild's options for the import worker, shared with the desktop app's build
 * (scripts/build-electron.mjs) and the benchmark's app build (scripts/bench.ts): Node, CommonJS,
 * node20, the native better-sqlite3 left to resolve from node_modules (or app.asar.unpacked).
 */
export const WORKER_BUILD_OPTIONS = workerBuild as Pick<BuildOptions, 'bundle' | 'platform' | 'format' | 'target' | 'external'>;

/** Bundles older than this, from earlier states of the sources, are removed when a new one is made. */
const STALE_MS = 60 * 60 * 1000;

/**
 * A worker entry run from TypeScript sources (the CLI, the web host, tests), as one CommonJS
 * bundle made by esbuild like the desktop app's (scripts/build-electron.mjs) instead of ~85
 * modules compiled one by one by tsx inside the new thread: the import worker then starts in
 * ~55 ms instead of ~240 ms.
 *
 * The bundle is kept in `<root>/node_modules/.cache/outcrop/` (so that its external
 * better-sqlite3 resolves from the project's node_modules), named by the size and mtime of every
 * file it was built from: any change to one of them gives another name, and a new build. Returns
 * undefined when no bundle can be made (esbuild missing, a read-only tree): the caller then
 * starts the worker from its sources.
 */
export function sourceWorkerBundle(entry: string, root: string): string | undefined {
  const dir = join(root, 'node_modules', '.cache', 'outcrop');
  const name = basename(entry).replace(/\.ts$/, '');
  // Per entry path: two checkouts sharing one node_modules (a symlink, a worktree) must not take
  // each other's list of inputs, and so each other's bundle.
  const inputsFile = join(dir, `${name}-${createHash('sha256').update(resolve(entry)).digest('hex').slice(0, 8)}.inputs.json`);
  try {
    const last = JSON.parse(readFileSync(inputsFile, 'utf8')) as string[];
    const bundle = join(dir, `${name}-${stamp(last)}.cjs`);
    if (existsSync(bundle)) return bundle;
  } catch {
    /* no bundle yet, or one of its inputs is gone: build */
  }
  try {
    const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
    const built = esbuild.buildSync({
      ...WORKER_BUILD_OPTIONS,
      entryPoints: [entry],
      write: false,
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: root,
    });
    const inputs = Object.keys(built.metafile.inputs).map((p) => resolve(root, p));
    const bundle = join(dir, `${name}-${stamp(inputs)}.cjs`);
    mkdirSync(dir, { recursive: true });
    // Written under a name of this process, then renamed: another process never sees half a file.
    const tmp = `${bundle}.${process.pid}.tmp`;
    writeFileSync(tmp, built.outputFiles[0].contents);
    renameSync(tmp, bundle);
    writeFileSync(`${inputsFile}.${process.pid}.tmp`, JSON.stringify(inputs));
    renameSync(`${inputsFile}.${process.pid}.tmp`, inputsFile);
    removeStale(dir, name, bundle);
    return bundle;
  } catch {
    return undefined;
  }
}

/** What identifies the state of the inputs: path, size and mtime of each, and the build options. */
function stamp(files: string[]): string {
  const h = createHash('sha256');
  h.update(`${JSON.stringify(WORKER_BUILD_OPTIONS)}\n`);
  for (const f of files) {
    const s = statSync(f);
    h.update(`${f}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return h.digest('hex').slice(0, 16);
}

/** Bundles of earlier source states, old enough that no worker is still starting from them. */
function removeStale(dir: string, name: string, keep: string): void {
  const now = Date.now();
  for (const f of readdirSync(dir)) {
    const path = join(dir, f);
    if (path === keep || !f.startsWith(`${name}-`)) continue;
    try {
      if (now - statSync(path).mtimeMs > STALE_MS) rmSync(path, { force: true });
    } catch {
      /* removed by another process meanwhile */
    }
  }
}
