import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPC_CHANNEL, IPC_JOB_EVENT, type JobEvent } from '../../../src/api/contract';
import { OutcropService } from '../../../src/api/service';
import { Project } from '../../../src/store/project';
import { type InvokeEventLike, type IpcMainLike, registerIpc, type ServiceLike } from '../../../electron/ipc';

/** Records handlers like ipcMain does, and lets the test invoke them as a renderer would. */
class FakeIpcMain implements IpcMainLike {
  handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown) {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  invoke(frameUrl: string | null, ...args: unknown[]): Promise<any> {
    const h = this.handlers.get(IPC_CHANNEL);
    if (!h) throw new Error('no handler');
    const event: InvokeEventLike = { senderFrame: frameUrl === null ? null : { url: frameUrl, parent: null } };
    return Promise.resolve(h(event, ...args));
  }
}

const APP = 'outcrop://app/index.html';
let dir: string;
let ipc: FakeIpcMain;
let service: OutcropService;
let dispose: () => void;
const sent: { channel: string; event: JobEvent }[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-ipc-'));
  service = new OutcropService({ host: 'electron', version: 'test', settingsDir: join(dir, 'settings'), actor: 'ipc-test' });
  ipc = new FakeIpcMain();
  dispose = registerIpc(ipc, service, {
    jobEventTarget: () => ({ isDestroyed: () => false, send: (channel, event) => sent.push({ channel, event }) }),
  });
});
afterAll(async () => {
  dispose();
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('registerIpc', () => {
  it('registers exactly one channel, outcrop:call', () => {
    expect([...ipc.handlers.keys()]).toEqual([IPC_CHANNEL]);
  });

  it.each([
    ['https://evil.example/', 'a remote page'],
    ['file:///etc/passwd', 'a file: page'],
    ['outcrop://app.evil/index.html', 'a look-alike host'],
    ['outcrop://tiles/index.html', 'another host of the scheme'],
    ['about:blank', 'about:blank'],
    ['', 'an empty url'],
  ])('refuses %s (%s) before anything runs', async (url) => {
    expect(await ipc.invoke(url, 'app.info', {})).toEqual({ ok: false, error: { code: 'USAGE', message: 'untrusted sender' } });
  });

  it('refuses a destroyed frame and a sub-frame of the app', async () => {
    expect(await ipc.invoke(null, 'app.info', {})).toMatchObject({ ok: false, error: { message: 'untrusted sender' } });
    const h = ipc.handlers.get(IPC_CHANNEL)!;
    const sub = await h({ senderFrame: { url: APP, parent: { url: APP } } }, 'app.info', {});
    expect(sub).toMatchObject({ ok: false, error: { message: 'untrusted sender' } });
  });

  it.each([['nope'], ['__proto__'], ['toString'], ['constructor'], [42], [undefined], [{ method: 'app.info' }]])('refuses the unknown method %s', async (method) => {
    expect(await ipc.invoke(APP, method, {})).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringMatching(/^unknown API method/) } });
  });

  it('refuses an invalid payload with the zod message, before the core', async () => {
    const r = await ipc.invoke(APP, 'query.near', { center: [200, 0], km: 5 });
    expect(r).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringMatching(/^query\.near: "center\.0" /) } });
    const extra = await ipc.invoke(APP, 'project.open', { path: 'x.gpkg', evil: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringMatching(/^project\.open: .*evil/) } });
  });

  it('lets a valid call from the app reach the core', async () => {
    const file = join(dir, 'made-by-core.gpkg');
    Project.open(file, { create: true }).close();
    const opened = await ipc.invoke(APP, 'project.open', { path: file });
    expect(opened).toMatchObject({ ok: true, value: { name: 'made-by-core.gpkg', counts: { deposits: 0, surveys: 0 } } });
    const stats = await ipc.invoke(APP, 'stats.summary', {});
    expect(stats).toMatchObject({ ok: true, value: { layers: { deposits: 0, surveys: 0 } } });
    // Extra arguments after the payload are ignored.
    expect(await ipc.invoke('outcrop://app/some/route', 'app.info', {}, 'ignored')).toMatchObject({ ok: true, value: { host: 'electron' } });
  });

  it('forwards job events to the window, and stops after dispose', async () => {
    sent.length = 0;
    const missing = join(dir, 'does-not-exist.geojson');
    const started = await ipc.invoke(APP, 'jobs.import', { path: missing });
    expect(started).toMatchObject({ ok: true, value: { jobId: expect.any(String) } });
    await expect.poll(() => sent.find((s) => s.event.type !== 'progress'), { timeout: 10_000 }).toBeTruthy();
    const last = sent.find((s) => s.event.type !== 'progress')!;
    expect(last.channel).toBe(IPC_JOB_EVENT);
    expect(last.event).toMatchObject({ jobId: started.value.jobId, kind: 'import', type: 'error' });
  });

  it('keeps the envelope if the service throws, and skips a destroyed window', async () => {
    let listener: ((e: JobEvent) => void) | undefined;
    const throwing: ServiceLike = {
      call: async () => {
        throw new Error('boom');
      },
      onJobEvent: (l) => ((listener = l), () => (listener = undefined)),
    };
    const other = new FakeIpcMain();
    const sends: unknown[] = [];
    const off = registerIpc(other, throwing, { jobEventTarget: () => ({ isDestroyed: () => true, send: (...a) => sends.push(a) }) });
    expect(await other.invoke(APP, 'app.info', {})).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'boom' } });
    listener?.({ jobId: 'j', kind: 'import', type: 'cancelled' });
    expect(sends).toEqual([]);
    off();
    expect(listener).toBeUndefined();
    expect(other.handlers.size).toBe(0);
  });
});
