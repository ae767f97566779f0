import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');

function electronInstalled(): boolean {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path);
  } catch {
    return false;
  }
}

// With Electron installed, `npm start` would open the app: nothing to assert here then.
describe.skipIf(electronInstalled())('npm start without the Electron binary', () => {
  it('says so in one line, points to `npm run web`, and exits 1', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'start.mjs')], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('Electron could not start here (its binary is not installed); run `npm run web` to use Outcrop in a browser.');
  });
});
