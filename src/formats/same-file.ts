import { statSync } from 'node:fs';
import { resolve } from 'node:path';

/** Whether two paths name the same file: the same path, or the same inode (a hard or symbolic link). */
export function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    const [x, y] = [statSync(a), statSync(b)];
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** Whether writing to `target` would write over the project or one of SQLite's files beside it. */
export function isProjectFile(target: string, projectFile: string): boolean {
  return ['', '-wal', '-shm', '-journal'].some((suffix) => sameFile(target, projectFile + suffix));
}
