/**
 * Pure helpers of scripts/bench-frame.ts: ratios, number formatting, the result table, and the
 * densest tile of a point set (where the "dense" pan goes). No I/O, no timing.
 */
import { lngLatToWorld, worldXToLng, worldYToLat } from '../src/tiles/tile-math';

/** One measured step of one side: time to the first idle frame with deposits drawn. */
export interface FrameTiming {
  ms: number;
  /** Features the deposit layers returned from queryRenderedFeatures in that frame. */
  features: number;
}

/** A row of the result table: a step (first frame, a pan) measured for us and for each baseline. */
export interface FrameRow {
  step: string;
  ours: FrameTiming | null;
  /** By baseline name, in column order; null when that baseline did not run or failed. */
  baselines: Record<string, FrameTiming | null>;
}

/** baseline / ours (> 1: Outcrop is faster); null when either side is missing or not positive. */
export function speedRatio(baselineMs: number | null | undefined, oursMs: number | null | undefined): number | null {
  if (baselineMs == null || oursMs == null || !(baselineMs > 0) || !(oursMs > 0)) return null;
  return baselineMs / oursMs;
}

/** "850 ms", "12.3 s", or "—" for a missing value. */
export function formatMs(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 100_000 ? 2 : 0)} s`;
}

/** Bytes as "512 MB" (MiB, rounded), or "—". */
export function formatMb(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes)) return '—';
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

/** "12.5×" with two significant decimals below 10, or "—". */
export function formatRatio(r: number | null): string {
  if (r == null) return '—';
  return `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

const cell = (t: FrameTiming | null) => (t ? `${formatMs(t.ms)} (${t.features.toLocaleString('en')})` : '—');

/**
 * A Markdown table: one row per step, Outcrop's time, each baseline's time and its ratio
 * (baseline / Outcrop, > 1 = Outcrop faster). The count in brackets is the rendered deposit
 * features (clusters or points) in that frame.
 */
export function frameTable(rows: readonly FrameRow[]): string {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.baselines)))];
  const head = ['step', 'Outcrop', ...names.flatMap((n) => [n, 'ratio'])];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const cols = [r.step, cell(r.ours)];
    for (const n of names) {
      const b = r.baselines[n] ?? null;
      cols.push(cell(b), formatRatio(speedRatio(b?.ms, r.ours?.ms)));
    }
    lines.push(`| ${cols.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Counts points per Web-Mercator tile at one zoom and names the fullest tile. */
export class TileCounter {
  private readonly counts = new Map<number, number>();
  private readonly n: number;

  constructor(readonly zoom: number) {
    if (!Number.isInteger(zoom) || zoom < 0 || zoom > 20) throw new Error(`TileCounter: zoom must be an integer 0…20, got ${zoom}`);
    this.n = 2 ** zoom;
  }

  /** Adds one point, [lng, lat] in degrees (WGS 84). */
  add(lng: number, lat: number): void {
    const [wx, wy] = lngLatToWorld(lng, lat);
    const x = Math.min(this.n - 1, Math.floor(wx * this.n));
    const y = Math.min(this.n - 1, Math.floor(wy * this.n));
    const key = y * this.n + x;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** The tile holding most points (lowest key on ties) with its centre as [lng, lat]; null when empty. */
  densest(): { z: number; x: number; y: number; count: number; center: [number, number] } | null {
    let best = -1;
    let bestCount = 0;
    for (const [key, c] of this.counts) if (c > bestCount || (c === bestCount && key < best)) [best, bestCount] = [key, c];
    if (best < 0) return null;
    const x = best % this.n;
    const y = Math.floor(best / this.n);
    return { z: this.zoom, x, y, count: bestCount, center: [worldXToLng((x + 0.5) / this.n), worldYToLat((y + 0.5) / this.n)] };
  }
}
