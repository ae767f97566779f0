import { describe, expect, it, vi } from 'vitest';
import * as contract from '../../../src/api/contract';
import * as channels from '../../../electron/channels';

// The preload's only import at run time is 'electron'; here it is a fake that records what the
// preload exposes and plays ipcRenderer.
const exposed = vi.hoisted(() => ({ key: '', api: undefined as any }));
const ipc = vi.hoisted(() => {
  const listeners = new Map<string, Set<(...a: any[]) => void>>();
  return {
    listeners,
    invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 'pong' })),
    on(channel: string, l: (...a: any[]) => void) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(l);
    },
    removeListener(channel: string, l: (...a: any[]) => void) {
      listeners.get(channel)?.delete(l);
    },
    emit(channel: string, ...args: unknown[]) {
      for (const l of listeners.get(channel) ?? []) l(...args);
    },
  };
});
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => {
      exposed.key = key;
      exposed.api = api;
    },
  },
  ipcRenderer: ipc,
}));

await import('../../../electron/preload');

describe('preload', () => {
  it('keeps its copies of the channel names in step with the contract', () => {
    expect(channels.IPC_CHANNEL).toBe(contract.IPC_CHANNEL);
    expect(channels.IPC_JOB_EVENT).toBe(contract.IPC_JOB_EVENT);
    expect(channels.TILE_PATH_PREFIX).toBe(contract.TILE_PATH_PREFIX);
  });

  it('exposes window.outcrop with the API and nothing else (no ipcRenderer)', () => {
    expect(exposed.key).toBe('outcrop');
    expect(Object.keys(exposed.api).sort()).toEqual(['call', 'onJobEvent', 'onMenuCommand', 'tileUrl']);
    for (const v of Object.values(exposed.api)) expect(typeof v).toBe('function');
    expect(Object.values(exposed.api)).not.toContain(ipc);
  });

  it('call() invokes the one channel with the method and the request', async () => {
    expect(await exposed.api.call('stats.summary', {})).toEqual({ ok: true, value: 'pong' });
    expect(ipc.invoke).toHaveBeenLastCalledWith('outcrop:call', 'stats.summary', {});
  });

  it('onJobEvent() hands the listener the event body only, never the IpcRendererEvent', () => {
    const got: unknown[][] = [];
    const off = exposed.api.onJobEvent((...args: unknown[]) => got.push(args));
    const body = { jobId: 'import-1', kind: 'import', type: 'cancelled' };
    ipc.emit('outcrop:job-event', { sender: ipc, ports: [] }, body);
    expect(got).toEqual([[body]]);
    off();
    ipc.emit('outcrop:job-event', { sender: ipc }, body);
    expect(got).toHaveLength(1);
    expect(ipc.listeners.get('outcrop:job-event')!.size).toBe(0);
    expect(() => exposed.api.onJobEvent('not a function')).toThrow(TypeError);
  });

  it('onMenuCommand() forwards menu commands the same way', () => {
    const got: unknown[] = [];
    const off = exposed.api.onMenuCommand((c: unknown) => got.push(c));
    ipc.emit('outcrop:menu-command', { sender: ipc }, { command: 'edit.undo' });
    off();
    expect(got).toEqual([{ command: 'edit.undo' }]);
  });

  it('tileUrl() is a same-origin MapLibre template with the data version', () => {
    expect(exposed.api.tileUrl('deposits', '42')).toBe('outcrop://app/tiles/deposits/{z}/{x}/{y}.pbf?v=42');
    expect(exposed.api.tileUrl('surveys', 'a b')).toBe('outcrop://app/tiles/surveys/{z}/{x}/{y}.pbf?v=a%20b');
    // a filter travels as JSON in the query; the core validates it against the contract
    const url = exposed.api.tileUrl('deposits', '7', { commodity: ['Li'] });
    expect(new URL(url.replace('{z}/{x}/{y}', '0/0/0')).searchParams.get('filter')).toBe('{"commodity":["Li"]}');
  });
});
