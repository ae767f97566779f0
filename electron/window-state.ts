/**
 * The main window's bounds and maximised flag, kept in <userData>/window-state.json between runs.
 * A saved position that is no longer on any display (a monitor was unplugged) is dropped, so
 * the window never opens off-screen. Plain Node: tested without Electron.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Absent: let the OS place the window. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 800, maximized: false };
export const MIN_WINDOW_SIZE = { width: 800, height: 560 } as const;

export function windowStateFile(userDataDir: string): string {
  return join(userDataDir, 'window-state.json');
}

/**
 * Read the saved state and fit it to the displays' work areas. Anything missing, malformed or
 * off-screen falls back to the defaults (size kept when only the position is lost).
 */
export function loadWindowState(file: string, workAreas: Rect[]): WindowState {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
  if (!raw || typeof raw !== 'object') return { ...DEFAULT_WINDOW_STATE };
  const r = raw as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : undefined);
  const width = Math.max(MIN_WINDOW_SIZE.width, Math.min(num(r.width) ?? DEFAULT_WINDOW_STATE.width, 16_384));
  const height = Math.max(MIN_WINDOW_SIZE.height, Math.min(num(r.height) ?? DEFAULT_WINDOW_STATE.height, 16_384));
  const state: WindowState = { width, height, maximized: r.maximized === true };
  const x = num(r.x);
  const y = num(r.y);
  if (x !== undefined && y !== undefined && isVisible({ x, y, width, height }, workAreas)) {
    state.x = x;
    state.y = y;
  }
  return state;
}

/** Write atomically (temp file + rename), so a crash mid-write leaves the old state. */
export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2));
  renameSync(tmp, file);
}

/** At least a 100×50 px corner of the title bar area must lie on some display. */
function isVisible(b: Rect, areas: Rect[]): boolean {
  return areas.some((a) => {
    const w = Math.min(b.x + b.width, a.x + a.width) - Math.max(b.x, a.x);
    const h = Math.min(b.y + 50, a.y + a.height) - Math.max(b.y, a.y);
    return w >= 100 && h >= 50;
  });
}
