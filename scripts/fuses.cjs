// electron-builder afterPack hook: flip Electron's fuses in the packaged binary before it is
// signed, so the shipped app cannot be turned into a plain Node runtime or debugger
// (https://www.electronjs.org/docs/latest/tutorial/fuses). CommonJS because electron-builder
// require()s hooks named in electron-builder.yml.
'use strict';
const path = require('node:path');

/** The fuse wire Outcrop ships with (FuseVersion.V1). Exported for tests/unit/electron/fuses.test.ts. */
function fuseConfig(fuses, opts = {}) {
  const { FuseVersion, FuseV1Options } = fuses;
  return {
    version: FuseVersion.V1,
    // Arm64 macOS binaries are ad-hoc signed; flipping bits breaks that signature until re-signed.
    resetAdHocDarwinSignature: !!opts.resetAdHocDarwinSignature,
    [FuseV1Options.RunAsNode]: false, // no ELECTRON_RUN_AS_NODE
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false, // NODE_OPTIONS ignored
    [FuseV1Options.EnableNodeCliInspectArguments]: false, // no --inspect
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false, // file:// gets no special powers
  };
}

/** Where electron-builder put the Electron executable for this platform. */
function electronExecutable(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return path.join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${name}.exe`);
  return path.join(appOutDir, packager.executableName);
}

async function afterPack(context) {
  const fuses = require('@electron/fuses');
  const { Arch } = require('electron-builder');
  const target = electronExecutable(context);
  const isDarwinArm = (context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas') && context.arch === Arch.arm64;
  await fuses.flipFuses(target, fuseConfig(fuses, { resetAdHocDarwinSignature: isDarwinArm }));
  console.log(`fuses: flipped in ${target}`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.fuseConfig = fuseConfig;
module.exports.electronExecutable = electronExecutable;
