/**
 * The IPC bridge: one invoke channel (IPC_CHANNEL) for every API method, and job events pushed
 * to the window. It only checks who is calling and which method; OutcropService validates the
 * payload against the contract's zod schema and runs it. Like every handler it never throws
 * across the bridge: the answer is always an ApiResult.
 *
 * Takes ipcMain-like and event-like objects, so tests/unit/electron/ipc.test.ts drives it with
 * fakes and a real OutcropService, without Electron.
 */
import type { IpcMain } from 'electron';
import { type ApiResult, IPC_CHANNEL, IPC_JOB_EVENT, type JobEvent, METHODS, type MethodName } from '../src/api/contract';
import { isTrustedSenderUrl } from './security';

/** The part of an IpcMainInvokeEvent the bridge reads. `parent` is null for a top-level frame. */
export interface InvokeEventLike {
  senderFrame: { url: string; parent?: unknown } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** What the bridge needs of OutcropService. */
export interface ServiceLike {
  call(method: MethodName, payload: unknown): Promise<ApiResult<unknown>>;
  onJobEvent(listener: (e: JobEvent) => void): () => void;
}

/** Where job events go: the window's webContents (skipped while it is gone or destroyed). */
export interface JobEventTarget {
  isDestroyed(): boolean;
  send(channel: string, event: JobEvent): void;
}

export interface IpcOptions {
  /** Defaults to "the frame shows outcrop://app/…". */
  isTrustedSender?: (url: string) => boolean;
  /** The window's webContents, looked up at each event (the window can be re-created). */
  jobEventTarget?: () => JobEventTarget | null | undefined;
  /** Told after each call that reached the service (main refreshes the title and Open recent). */
  afterCall?: (method: MethodName, result: ApiResult<unknown>) => void;
}

const untrusted = { ok: false, error: { code: 'USAGE', message: 'untrusted sender' } } as const;

/** Register the handler; returns a function that removes it and stops forwarding job events. */
export function registerIpc(ipc: IpcMainLike | IpcMain, service: ServiceLike, opts: IpcOptions = {}): () => void {
  const isTrusted = opts.isTrustedSender ?? isTrustedSenderUrl;
  const ipcLike = ipc as IpcMainLike;

  ipcLike.handle(IPC_CHANNEL, async (event, method, payload): Promise<ApiResult<unknown>> => {
    const frame = event?.senderFrame;
    // A null frame has navigated away or been destroyed; a sub-frame is never the app.
    if (!frame || typeof frame.url !== 'string' || (frame.parent !== undefined && frame.parent !== null) || !isTrusted(frame.url)) {
      return untrusted;
    }
    if (typeof method !== 'string' || !Object.hasOwn(METHODS, method)) {
      return { ok: false, error: { code: 'USAGE', message: `unknown API method "${String(method).slice(0, 100)}"` } };
    }
    let result: ApiResult<unknown>;
    try {
      result = await service.call(method as MethodName, payload);
    } catch (err) {
      // OutcropService.call never throws; this keeps the envelope if a replacement ever does.
      result = { ok: false, error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) } };
    }
    opts.afterCall?.(method as MethodName, result);
    return result;
  });

  const offJobs = service.onJobEvent((e) => {
    const target = opts.jobEventTarget?.();
    if (target && !target.isDestroyed()) target.send(IPC_JOB_EVENT, e);
  });

  return () => {
    offJobs();
    ipcLike.removeHandler(IPC_CHANNEL);
  };
}
