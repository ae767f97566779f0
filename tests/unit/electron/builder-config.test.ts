import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
const require = createRequire(import.meta.url);

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema and says what we agreed", async () => {
    // app-builder-lib's loader and validator, the ones `electron-builder` runs first.
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config');
    const { DebugLogger } = require('builder-util');
    const c = await getConfig(ROOT, 'electron-builder.yml', null);
    await validateConfiguration(c, new DebugLogger(false));
    expect(c).toMatchObject({
      appId: 'org.outcrop.app',
      productName: 'Outcrop',
      afterPack: 'scripts/fuses.cjs',
      asarUnpack: expect.arrayContaining([expect.stringContaining('better-sqlite3'), 'dist/electron/prepare-worker.cjs']),
      extraMetadata: { main: 'dist/electron/main.cjs' },
      linux: { target: ['AppImage', 'deb'], category: 'Science' },
      win: { target: ['nsis'] },
      mac: { target: ['dmg'] },
    });
    expect(c.extraResources).toEqual(expect.arrayContaining([{ from: 'assets', to: 'assets' }]));
    const files = JSON.stringify(c.files);
    for (const f of ['dist/**', 'assets/**', 'package.json', 'node_modules/**']) expect(files).toContain(f);
    // Never pack into the folder that gets packed.
    expect(c.directories.output).not.toMatch(/^dist/);
  });
});
