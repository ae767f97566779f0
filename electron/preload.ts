/**
 * The sandboxed preload: exposes `window.outcrop` (OutcropApi) through contextBridge, and nothing
 * else. No ipcRenderer, no IpcRendererEvent and no Node object ever reaches the page.
 *
 * A sandboxed preload may require only 'electron' (and a few polyfills), so this file imports
 * types and the dependency-free ./channels; scripts/build-electron.mjs bundles it to one CJS file.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { ApiFilter, JobEvent, MethodName, MethodRequest, OutcropApi, TileLayerName } from '../src/api/contract';
import { APP_ORIGIN, IPC_CHANNEL, IPC_JOB_EVENT, IPC_MENU_COMMAND, type MenuCommand, TILE_PATH_PREFIX } from './channels';

/** The part of ipcRenderer the bridge uses (a fake in tests). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<any>;
  on(channel: string, listener: (event: unknown, ...args: any[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: any[]) => void): unknown;
}

/** What the preload exposes: the API contract plus menu commands (see electron/channels.ts). */
export interface OutcropBridge extends OutcropApi {
  /** Commands chosen in the application menu (Undo, Open project …); returns an unsubscribe function. */
  onMenuCommand(listener: (c: MenuCommand) => void): () => void;
}

function subscribe<T>(ipc: IpcRendererLike, channel: string, listener: (payload: T) => void): () => void {
  if (typeof listener !== 'function') throw new TypeError('listener must be a function');
  // The event object carries `sender` (ipcRenderer itself): it must not reach the page.
  const wrapped = (_event: unknown, payload: T) => listener(payload);
  ipc.on(channel, wrapped);
  return () => {
    ipc.removeListener(channel, wrapped);
  };
}

/** Build the bridge over an ipcRenderer (exported for tests). */
export function createBridge(ipc: IpcRendererLike): OutcropBridge {
  return {
    call<M extends MethodName>(method: M, request: MethodRequest<M>) {
      return ipc.invoke(IPC_CHANNEL, method, request);
    },
    onJobEvent(listener: (e: JobEvent) => void) {
      return subscribe<JobEvent>(ipc, IPC_JOB_EVENT, listener);
    },
    onMenuCommand(listener: (c: MenuCommand) => void) {
      return subscribe<MenuCommand>(ipc, IPC_MENU_COMMAND, listener);
    },
    /**
     * MapLibre tile URL template. Same-origin (outcrop://app/tiles/…, like the web host's
     * TILE_PATH_PREFIX) because the scheme is not CORS-enabled. `v` busts caches when the data
     * changes. The filter is applied by the renderer's style, not by the tile server.
     */
    tileUrl(layer: TileLayerName, dataVersion: string, filter?: ApiFilter) {
      // Same form as the web client: the filter travels as JSON in the query (the core validates it).
      const f = filter && Object.keys(filter).length ? `&filter=${encodeURIComponent(JSON.stringify(filter))}` : '';
      return `${APP_ORIGIN}${TILE_PATH_PREFIX}${encodeURIComponent(layer)}/{z}/{x}/{y}.pbf?v=${encodeURIComponent(dataVersion)}${f}`;
    },
  };
}

// Under vitest there is no contextBridge; in the sandboxed preload there always is.
if (contextBridge && ipcRenderer) {
  contextBridge.exposeInMainWorld('outcrop', createBridge(ipcRenderer as unknown as IpcRendererLike));
}
