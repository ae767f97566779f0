/** Progress and cancellation for long jobs (import, export, merge, analysis, tiling). */
export interface Progress {
  /** What is happening now, e.g. "read", "validate", "write". */
  phase: string;
  /** Units done so far (features, rows or bytes; see `unit`). */
  done: number;
  /** Total units when known. */
  total?: number;
  unit?: 'features' | 'rows' | 'bytes';
}

export interface TaskOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

/** Throw a CancelledError-compatible AbortError if the signal has fired. */
export function checkAborted(signal?: AbortSignal): void {
  signal?.throwIfAborted();
}
