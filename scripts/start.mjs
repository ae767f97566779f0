#!/usr/bin/env node
// `npm start`: build the renderer and the shell, then launch Electron. Where Electron's binary is
// not installed (its download is not allowed here or in CI), say so in one line and exit 1.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const MISSING = 'Electron could not start here (its binary is not installed); run `npm run web` to use Outcrop in a browser.';

/** The path of the Electron executable, or null when it is not installed. */
export function electronBinary() {
  try {
    // node_modules/electron/index.js exports the binary's path, and throws when path.txt is missing.
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function run(cmd, args, cwd = root) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
  return r.status === 0;
}

/**
 * better-sqlite3 is a native module built for Node's ABI (the CLI and the tests need that one).
 * Electron needs its own build: keep a copy in dist/node_modules/, which the bundle at
 * dist/electron/main.cjs finds before the root node_modules/. Rebuilt when Electron changes.
 * (Packaged apps get theirs from electron-builder's own rebuild.)
 */
function ensureElectronNativeModules() {
  const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  const target = join(root, 'dist', 'node_modules', 'better-sqlite3');
  const stamp = join(target, '.electron-version');
  const want = `${electronVersion} ${process.platform}-${process.arch}`;
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want && existsSync(join(target, 'build', 'Release', 'better_sqlite3.node'))) return;
  console.log(`start: building better-sqlite3 for Electron ${electronVersion} (once) …`);
  rmSync(target, { recursive: true, force: true });
  cpSync(join(root, 'node_modules', 'better-sqlite3'), target, { recursive: true, filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`) });
  const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
  const ok =
    run(bin('prebuild-install'), ['--runtime', 'electron', '--target', electronVersion, '--arch', process.arch], target) ||
    run(bin('node-gyp'), ['rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'], target);
  if (!ok) {
    console.error(`start: could not build better-sqlite3 for Electron ${electronVersion} (needs the network once, or a C++ toolchain).`);
    process.exit(1);
  }
  writeFileSync(stamp, want);
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const binary = electronBinary();
  if (!binary) {
    console.error(MISSING);
    process.exit(1);
  }
  if (!run('npm', ['run', 'build:renderer'])) process.exit(1);
  if (!run(process.execPath, [join('scripts', 'build-electron.mjs')])) process.exit(1);
  ensureElectronNativeModules();
  const child = spawn(binary, [join(root, 'dist', 'electron', 'main.cjs'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  child.on('error', (err) => {
    console.error(`${MISSING} (${err.message})`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
}
