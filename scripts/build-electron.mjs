#!/usr/bin/env node
// Bundle the Electron main process and the preload into dist/electron/ (CommonJS: a sandboxed
// preload cannot be an ES module, and main gets a real __dirname). 'electron' is provided by the
// runtime and better-sqlite3 is a native module, so both stay external.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The import worker's options, shared with the CLI's cached bundle (src/import/worker-bundle.ts).
const workerBuild = JSON.parse(readFileSync(join(root, 'src', 'import', 'worker-build.json'), 'utf8'));
// OUTCROP_ELECTRON_OUTDIR: tests build into a temp dir instead.
const outdir = process.env.OUTCROP_ELECTRON_OUTDIR || join(root, 'dist', 'electron');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // Electron 41 ships Node 24; node20 keeps the output readable by the Node that builds it.
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: root,
};

await build({
  ...common,
  entryPoints: { main: 'electron/main.ts' },
  outdir,
  outExtension: { '.js': '.cjs' },
  external: ['electron', 'better-sqlite3'],
});

// The import's reading thread (src/import/prepare-in-worker.ts looks for it beside main.cjs).
await build({
  ...common,
  ...workerBuild,
  entryPoints: { 'prepare-worker': 'src/import/prepare-worker.ts' },
  outdir,
  outExtension: { '.js': '.cjs' },
});

await build({
  ...common,
  entryPoints: { preload: 'electron/preload.ts' },
  outdir,
  outExtension: { '.js': '.cjs' },
  external: ['electron'],
});

// A sandboxed preload can require 'electron' and nothing else: fail the build, not the window.
const preload = readFileSync(join(outdir, 'preload.cjs'), 'utf8');
const required = [...preload.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
const stray = required.filter((r) => r !== 'electron');
if (stray.length) {
  console.error(`build-electron: the preload must require only "electron", but it requires: ${[...new Set(stray)].join(', ')}`);
  process.exit(1);
}
console.log(`build-electron: wrote ${outdir}/main.cjs, prepare-worker.cjs and preload.cjs`);
