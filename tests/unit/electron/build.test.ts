import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PackedBatch, unpackBatch } from '../../../src/import/prepare-protocol';

const ROOT = resolve(__dirname, '../../..');
let out: string;

const requires = (file: string) => [...new Set([...readFileSync(file, 'utf8').matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]))];

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'outcrop-build-'));
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-electron.mjs')], { cwd: ROOT, env: { ...process.env, OUTCROP_ELECTRON_OUTDIR: out }, stdio: 'pipe' });
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('scripts/build-electron.mjs', () => {
  it('bundles a sandbox-safe preload that requires only electron', () => {
    expect(requires(join(out, 'preload.cjs'))).toEqual(['electron']);
    const text = readFileSync(join(out, 'preload.cjs'), 'utf8');
    expect(text).toContain('exposeInMainWorld("outcrop"');
    expect(text).not.toMatch(/zod|better-sqlite3/);
  });

  it('bundles main with only electron, better-sqlite3 and Node built-ins left external', () => {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const stray = requires(join(out, 'main.cjs')).filter((r) => r !== 'electron' && r !== 'better-sqlite3' && !builtins.has(r));
    expect(stray).toEqual([]);
    expect(readFileSync(join(out, 'main.cjs'), 'utf8')).not.toContain('import.meta');
  });

  it('bundles the import worker, which runs a real import job on its own', async () => {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const file = join(out, 'prepare-worker.cjs');
    expect(requires(file).filter((r) => r !== 'better-sqlite3' && !builtins.has(r))).toEqual([]);
    // better-sqlite3 stays external: resolve it from the repository, as the packaged app does from its own
    const { symlinkSync } = await import('node:fs');
    symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'), 'dir');
    const { Worker } = await import('node:worker_threads');
    const job = { path: join(ROOT, 'tests/fixtures/csv/in/minmod-excerpt.csv'), opts: {}, defaults: { at: '2026-11-23T00:00:00.000Z', actor: 'tester' } };
    const w = new Worker(file, { workerData: job });
    let features = 0;
    const last = await new Promise<string>((resolve, reject) => {
      w.on('error', reject);
      w.on('message', (m: { t: string } & Partial<PackedBatch>) => {
        if (m.t === 'batch') {
          features += unpackBatch(m as PackedBatch).filter((f) => f.ok).length;
          w.postMessage({ t: 'more' });
        }
        if (m.t === 'done' || m.t === 'error') resolve(m.t);
      });
    });
    await w.terminate();
    expect(last).toBe('done');
    expect(features).toBe(200);
  });
});
