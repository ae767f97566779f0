import { existsSync } from 'node:fs';

/**
 * In the packaged app, paths resolved from the bundles point inside app.asar, which a worker
 * thread cannot start from or load a native module out of. electron-builder.yml unpacks what
 * the workers need (the import worker, better-sqlite3) beside it, into app.asar.unpacked: the
 * path there when that file exists, the path as given otherwise (npm start, the CLI, tests).
 */
export function outsideAsar(path: string, exists: (p: string) => boolean = existsSync): string {
  const unpacked = path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
  return unpacked !== path && exists(unpacked) ? unpacked : path;
}
