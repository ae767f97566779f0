/**
 * The renderer's one way to the core: `window.outcrop` when Electron's preload exposes it, else
 * an HTTP client of the loopback web host implementing the same OutcropApi contract.
 */
import {
  type ApiFilter,
  type ApiResult,
  HTTP_API_PREFIX,
  HTTP_EVENTS_PATH,
  type JobEvent,
  type MethodName,
  type MethodRequest,
  type MethodResults,
  type OutcropApi,
  TILE_PATH_PREFIX,
  type TileLayerName,
} from '../../src/api/contract';

declare global {
  interface Window {
    outcrop?: OutcropApi;
  }
}

/** OutcropApi over HTTP to the web host that served this page (same origin only). */
export class HttpOutcropApi implements OutcropApi {
  private listeners = new Set<(e: JobEvent) => void>();
  private source: EventSource | null = null;

  constructor(private readonly origin: string = window.location.origin) {}

  async call<M extends MethodName>(method: M, request: MethodRequest<M>): Promise<ApiResult<MethodResults[M]>> {
    try {
      const res = await fetch(`${this.origin}${HTTP_API_PREFIX}${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request ?? {}),
      });
      const type = res.headers.get('content-type') ?? '';
      if (!type.startsWith('application/json')) {
        return { ok: false, error: { code: 'INTERNAL', message: `${method}: HTTP ${res.status} ${await res.text()}` } };
      }
      return (await res.json()) as ApiResult<MethodResults[M]>;
    } catch (err) {
      return { ok: false, error: { code: 'INTERNAL', message: `${method}: ${err instanceof Error ? err.message : String(err)}` } };
    }
  }

  onJobEvent(listener: (e: JobEvent) => void): () => void {
    this.listeners.add(listener);
    if (!this.source) {
      this.source = new EventSource(`${this.origin}${HTTP_EVENTS_PATH}`);
      this.source.onmessage = (m) => {
        const e = JSON.parse(m.data as string) as JobEvent;
        for (const l of this.listeners) l(e);
      };
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.source) {
        this.source.close();
        this.source = null;
      }
    };
  }

  tileUrl(layer: TileLayerName, dataVersion: string, filter?: ApiFilter): string {
    // Absolute: MapLibre fetches tiles from a worker, where a relative URL has no base.
    const q = new URLSearchParams({ v: dataVersion });
    if (filter && Object.keys(filter).length) q.set('filter', JSON.stringify(filter));
    return `${this.origin}${TILE_PATH_PREFIX}${layer}/{z}/{x}/{y}.pbf?${q.toString()}`;
  }
}

let api: OutcropApi | null = null;

/** The API of this window: Electron's preload bridge if present, else the web host. */
export function getApi(): OutcropApi {
  api ??= window.outcrop ?? new HttpOutcropApi();
  return api;
}
