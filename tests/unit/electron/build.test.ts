import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
});
