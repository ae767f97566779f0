import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const hook = require('../../../scripts/fuses.cjs');
const fuses = require('@electron/fuses');

describe('scripts/fuses.cjs (electron-builder afterPack)', () => {
  it('ships the agreed fuse wire', () => {
    const { FuseV1Options: O, FuseVersion } = fuses;
    const c = hook.fuseConfig(fuses);
    expect(c.version).toBe(FuseVersion.V1);
    expect(c[O.RunAsNode]).toBe(false);
    expect(c[O.EnableCookieEncryption]).toBe(true);
    expect(c[O.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(c[O.EnableNodeCliInspectArguments]).toBe(false);
    expect(c[O.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(c[O.OnlyLoadAppFromAsar]).toBe(true);
    expect(c[O.LoadBrowserProcessSpecificV8Snapshot]).toBe(false);
    expect(c[O.GrantFileProtocolExtraPrivileges]).toBe(false);
  });

  it('finds the packaged executable per platform and exports the hook', () => {
    const packager = { appInfo: { productFilename: 'Outcrop' }, executableName: 'outcrop' };
    expect(hook.electronExecutable({ appOutDir: '/o', electronPlatformName: 'linux', packager })).toBe('/o/outcrop');
    expect(hook.electronExecutable({ appOutDir: '/o', electronPlatformName: 'win32', packager })).toMatch(/Outcrop\.exe$/);
    expect(hook.electronExecutable({ appOutDir: '/o', electronPlatformName: 'darwin', packager })).toMatch(/Outcrop\.app$/);
    expect(typeof hook).toBe('function');
    expect(hook.default).toBe(hook);
  });
});

describe('the afterPack hook on a packed app', () => {
  it('flips the fuse wire of the Linux executable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outcrop-fuses-'));
    try {
      // A stand-in executable: Electron's sentinel, wire version 1, 8 fuses, all the opposite of ours.
      const { SENTINEL, FuseState } = require('@electron/fuses/dist/constants');
      const wire = Buffer.from([1, 8, ...'10011001'].map((c) => (typeof c === 'number' ? c : c.charCodeAt(0))));
      writeFileSync(join(dir, 'outcrop'), Buffer.concat([Buffer.alloc(64, 7), Buffer.from(SENTINEL), wire, Buffer.alloc(64, 7)]));
      await hook({ appOutDir: dir, electronPlatformName: 'linux', arch: 1, packager: { appInfo: { productFilename: 'Outcrop' }, executableName: 'outcrop' } });
      const after = await fuses.getCurrentFuseWire(join(dir, 'outcrop'));
      const on = FuseState.ENABLE;
      const off = FuseState.DISABLE;
      expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => after[i])).toEqual([off, on, off, off, on, on, off, off]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
