import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** ../shared/data beside the repository (see ../shared/data/README.md). */
export const SHARED_DATA = resolve(__dirname, '../../../shared/data');
export const hasSharedData = existsSync(SHARED_DATA);

export function sharedPath(...parts: string[]): string {
  return join(SHARED_DATA, ...parts);
}

export function readSharedJson<T = any>(...parts: string[]): T {
  return JSON.parse(readFileSync(sharedPath(...parts), 'utf8'));
}

export const FIXTURES = resolve(__dirname, '../fixtures');
