import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outsideAsar } from '../../src/asar';

describe('paths in the packaged app', () => {
  it('point workers at app.asar.unpacked (electron-builder.yml unpacks the import worker and better-sqlite3) when the file is there', () => {
    const inAsar = '/opt/Outcrop/resources/app.asar/node_modules/better-sqlite3/lib/index.js';
    const unpacked = '/opt/Outcrop/resources/app.asar.unpacked/node_modules/better-sqlite3/lib/index.js';
    expect(outsideAsar(inAsar, (p) => p === unpacked)).toBe(unpacked);
    expect(outsideAsar('C:\\Outcrop\\resources\\app.asar\\node_modules\\better-sqlite3\\lib\\index.js', () => true)).toBe(
      'C:\\Outcrop\\resources\\app.asar.unpacked\\node_modules\\better-sqlite3\\lib\\index.js',
    );
    // Not unpacked, or not in an asar at all (npm start, the CLI): the path as resolved.
    expect(outsideAsar(inAsar, () => false)).toBe(inAsar);
    const dev = resolve('node_modules/better-sqlite3/lib/index.js');
    expect(outsideAsar(dev, () => true)).toBe(dev);
    expect(outsideAsar('/srv/app.asarx/node_modules/m.js', () => true)).toBe('/srv/app.asarx/node_modules/m.js');
  });
});
