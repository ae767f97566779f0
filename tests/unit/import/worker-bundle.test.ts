import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { unpackBatch, type WorkerMessage } from '../../../src/import/prepare-protocol';
import { sourceWorkerBundle } from '../../../src/import/worker-bundle';
import { hasSharedData, sharedPath } from '../../helpers/data';

// From TypeScript sources the import worker starts from a bundle esbuild makes once and keeps
// until one of the files it was built from changes (src/import/worker-bundle.ts). Here on a
// small tree of its own, so that no real source file is touched.
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'outcrop-wbundle-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'dep.ts'), "export const word: string = 'first';\n");
  writeFileSync(join(root, 'src', 'entry.ts'), "import { word } from './dep';\nexport const value = `${word}!`;\n");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const load = (file: string) => {
  const req = createRequire(import.meta.url);
  delete req.cache[file];
  return req(file) as { value: string };
};
const cacheDir = () => join(root, 'node_modules', '.cache', 'outcrop');

describe('the import worker bundle from sources', () => {
  it('is built once, into node_modules/.cache, and reused while its sources stay as they were', () => {
    const first = sourceWorkerBundle(join(root, 'src', 'entry.ts'), root);
    expect(first).toBeDefined();
    expect(first!.startsWith(cacheDir())).toBe(true);
    expect(load(first!).value).toBe('first!');
    const writtenAt = statSync(first!).mtimeMs;
    const again = sourceWorkerBundle(join(root, 'src', 'entry.ts'), root);
    expect(again).toBe(first);
    expect(statSync(again!).mtimeMs).toBe(writtenAt);
  });

  it('keeps apart two checkouts whose node_modules is one folder (a symlink): each runs its own sources', () => {
    // A second tree with the same entry name, bundled into the same cache (a copy of the tree whose node_modules links to the first's).
    const other = mkdtempSync(join(tmpdir(), 'outcrop-wbundle-other-'));
    try {
      mkdirSync(join(other, 'src'));
      writeFileSync(join(other, 'src', 'entry.ts'), "export const value = 'other tree';\n");
      const mine = () => load(sourceWorkerBundle(join(root, 'src', 'entry.ts'), root)!).value;
      const theirs = () => load(sourceWorkerBundle(join(other, 'src', 'entry.ts'), root)!).value;
      const before = mine();
      expect(theirs()).toBe('other tree');
      expect(mine()).toBe(before); // before the fix: the other tree's list of inputs, so its bundle
      expect(theirs()).toBe('other tree');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('is built again when a file it imports changes, and old bundles go once they are an hour old', () => {
    const before = sourceWorkerBundle(join(root, 'src', 'entry.ts'), root)!;
    // An older bundle of an earlier state, left by some earlier run.
    const old = join(cacheDir(), 'entry-0000000000000000.cjs');
    writeFileSync(old, 'module.exports = {};\n');
    const twoHoursAgo = Date.now() / 1000 - 7200;
    utimesSync(old, twoHoursAgo, twoHoursAgo);
    writeFileSync(join(root, 'src', 'dep.ts'), "export const word: string = 'second';\n");
    const after = sourceWorkerBundle(join(root, 'src', 'entry.ts'), root)!;
    expect(after).not.toBe(before);
    expect(load(after).value).toBe('second!');
    expect(existsSync(old)).toBe(false);
    // The bundle of a moment ago stays: a worker may be starting from it right now.
    expect(existsSync(before)).toBe(true);
    expect(readdirSync(cacheDir()).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('gives nothing when the sources cannot be bundled (the caller starts the worker from the sources)', () => {
    writeFileSync(join(root, 'src', 'broken.ts'), 'export const = ;\n');
    expect(sourceWorkerBundle(join(root, 'src', 'broken.ts'), root)).toBeUndefined();
  });
});

describe.skipIf(!hasSharedData)('the import worker without a bundle', () => {
  it('starts from its sources through the tsx boot file and prepares a real file', async () => {
    // The fallback when sourceWorkerBundle gives nothing: the same worker, compiled by tsx.
    const boot = new URL('../../../src/import/prepare-worker.boot.mjs', import.meta.url);
    const worker = new Worker(boot, {
      workerData: { path: sharedPath('deposits', 'japan-sites.geojson'), opts: {}, defaults: { at: '2026-12-07T00:00:00.000Z', actor: 't' } },
      execArgv: [],
    });
    const kinds: string[] = [];
    let rows = 0;
    await new Promise<void>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('message', (m: WorkerMessage) => {
        kinds.push(m.t);
        if (m.t === 'batch') rows += unpackBatch(m).filter((f) => f.ok).length;
        if (m.t === 'error') reject(new Error(JSON.stringify(m.error)));
        if (m.t === 'done') resolve();
      });
    });
    await worker.terminate();
    expect(kinds[0]).toBe('ready');
    expect(rows).toBe(207);
  });
});
