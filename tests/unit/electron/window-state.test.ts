import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_STATE, loadWindowState, MIN_WINDOW_SIZE, saveWindowState, windowStateFile } from '../../../electron/window-state';

const dir = mkdtempSync(join(tmpdir(), 'outcrop-winstate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];

describe('window state', () => {
  it('round-trips bounds and the maximised flag through userData', () => {
    const file = windowStateFile(join(dir, 'userData'));
    saveWindowState(file, { x: 100, y: 80, width: 1400, height: 900, maximized: true });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ x: 100, y: 80, width: 1400, height: 900, maximized: true });
    expect(loadWindowState(file, screen)).toEqual({ x: 100, y: 80, width: 1400, height: 900, maximized: true });
  });

  it('falls back to defaults for a missing or corrupt file', () => {
    expect(loadWindowState(join(dir, 'none.json'), screen)).toEqual(DEFAULT_WINDOW_STATE);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{not json');
    expect(loadWindowState(bad, screen)).toEqual(DEFAULT_WINDOW_STATE);
    writeFileSync(bad, JSON.stringify({ x: 'a', width: -5, height: 1e9, maximized: 'yes' }));
    expect(loadWindowState(bad, screen)).toEqual({ width: MIN_WINDOW_SIZE.width, height: 16_384, maximized: false });
  });

  it('drops a position that is on no display any more (keeps the size)', () => {
    const file = join(dir, 'offscreen.json');
    writeFileSync(file, JSON.stringify({ x: 3000, y: 200, width: 1000, height: 700, maximized: false }));
    expect(loadWindowState(file, screen)).toEqual({ width: 1000, height: 700, maximized: false });
    expect(loadWindowState(file, [...screen, { x: 1920, y: 0, width: 2560, height: 1440 }])).toMatchObject({ x: 3000, y: 200 });
  });
});
