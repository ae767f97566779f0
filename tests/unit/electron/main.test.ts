// electron/main.ts wired against a fake 'electron' module: checks the order and arguments of the
// calls that make the window safe, without the Electron binary.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { PRIVILEGED_SCHEMES, windowWebPreferences } from '../../../electron/security';

const fake = vi.hoisted(() => {
  const state = {
    userData: '',
    lock: true,
    calls: [] as string[],
    appListeners: new Map<string, (...a: any[]) => void>(),
    windows: [] as any[],
    protocolHandlers: new Map<string, (req: { url: string; method?: string }) => Promise<Response>>(),
    ipcHandlers: new Map<string, (...a: any[]) => any>(),
    session: {} as any,
    menus: [] as any[],
    ready: undefined as undefined | (() => void),
  };
  const readyPromise = () => new Promise<void>((resolve) => (state.ready = resolve));
  let whenReady = readyPromise();
  class BrowserWindow {
    options: any;
    listeners = new Map<string, (...a: any[]) => void>();
    loaded: string[] = [];
    title = '';
    webContents = { send: () => {}, isDestroyed: () => false, on: () => {}, once: () => {} };
    constructor(options: any) {
      this.options = options;
      state.windows.push(this);
      state.calls.push('new BrowserWindow');
    }
    on(e: string, l: (...a: any[]) => void) {
      this.listeners.set(e, l);
      return this;
    }
    once(e: string, l: (...a: any[]) => void) {
      return this.on(e, l);
    }
    maximize() {}
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
    setTitle(t: string) {
      this.title = t;
    }
    isDestroyed() {
      return false;
    }
  }
  const mod = {
    app: {
      isPackaged: false,
      getVersion: () => '0.0.0-test',
      getPath: () => state.userData,
      requestSingleInstanceLock: () => state.lock,
      quit: () => state.calls.push('app.quit'),
      on: (e: string, l: (...a: any[]) => void) => state.appListeners.set(e, l),
      whenReady: () => whenReady,
    },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown) => state.calls.push(`registerSchemesAsPrivileged ${JSON.stringify(s)}`),
      handle: (scheme: string, h: any) => (state.calls.push(`protocol.handle ${scheme}`), state.protocolHandlers.set(scheme, h)),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: any) => ((state.session.request = h), state.calls.push('setPermissionRequestHandler')),
        setPermissionCheckHandler: (h: any) => (state.session.check = h),
        setDevicePermissionHandler: (h: any) => (state.session.device = h),
        webRequest: { onBeforeRequest: (l: any) => (state.session.before = l) },
        on: () => {},
      },
    },
    ipcMain: { handle: (c: string, h: any) => state.ipcHandlers.set(c, h), removeHandler: (c: string) => state.ipcHandlers.delete(c) },
    Menu: { buildFromTemplate: (t: any) => t, setApplicationMenu: (m: any) => state.menus.push(m) },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showSaveDialog: async () => ({ canceled: true }), showMessageBox: async () => ({}) },
    shell: { openPath: async () => '' },
    BrowserWindow,
  };
  const reset = () => {
    state.calls = [];
    state.appListeners.clear();
    state.windows = [];
    state.protocolHandlers.clear();
    state.ipcHandlers.clear();
    state.session = {};
    state.menus = [];
    whenReady = readyPromise();
  };
  return { state, mod, reset };
});
vi.mock('electron', () => fake.mod);

const userData = mkdtempSync(join(tmpdir(), 'outcrop-main-'));
afterAll(() => rmSync(userData, { recursive: true, force: true }));
const tick = () => new Promise((r) => setTimeout(r, 20));

beforeEach(() => {
  fake.reset();
  fake.state.userData = userData;
  vi.resetModules();
});

describe('electron/main.ts', () => {
  it('registers the privileged scheme before ready, then guards the session, serves the scheme and opens one safe window', async () => {
    fake.state.lock = true;
    await import('../../../electron/main');
    expect(fake.state.calls[0]).toBe(`registerSchemesAsPrivileged ${JSON.stringify(PRIVILEGED_SCHEMES)}`);
    expect(fake.state.windows).toHaveLength(0); // nothing before 'ready'
    fake.state.ready!();
    await vi.waitFor(() => expect(fake.state.windows).toHaveLength(1), { timeout: 10_000 });

    const at = (prefix: string) => fake.state.calls.findIndex((c) => c.startsWith(prefix));
    expect(at('setPermissionRequestHandler')).toBeGreaterThan(0);
    expect(at('setPermissionRequestHandler')).toBeLessThan(at('new BrowserWindow'));
    expect(at('protocol.handle outcrop')).toBeGreaterThan(0);
    expect(at('protocol.handle outcrop')).toBeLessThan(at('new BrowserWindow'));

    expect(fake.state.windows).toHaveLength(1);
    const win = fake.state.windows[0];
    expect(win.options.webPreferences.preload).toMatch(/preload\.cjs$/);
    expect(win.options.webPreferences).toEqual(windowWebPreferences(win.options.webPreferences.preload, { dev: true }));
    expect(win.loaded).toEqual(['outcrop://app/index.html']);
    expect(fake.state.appListeners.has('web-contents-created')).toBe(true);
    expect(fake.state.appListeners.has('second-instance')).toBe(true);

    // The scheme answers; with no project open a tile is empty.
    const handler = fake.state.protocolHandlers.get('outcrop')!;
    expect((await handler({ url: 'outcrop://app/tiles/deposits/0/0/0.pbf' })).status).toBe(204);

    // The bridge is up, answers the app, refuses anyone else; dialogs are wired.
    const ipc = fake.state.ipcHandlers.get('outcrop:call')!;
    expect(await ipc({ senderFrame: { url: 'outcrop://app/index.html', parent: null } }, 'app.info', {})).toMatchObject({
      ok: true,
      value: { host: 'electron', dialogs: true, version: '0.0.0-test' },
    });
    expect(await ipc({ senderFrame: { url: 'https://evil.example/', parent: null } }, 'app.info', {})).toMatchObject({ ok: false });
    // Cancelled dialog = null, not an error.
    expect(await ipc({ senderFrame: { url: 'outcrop://app/', parent: null } }, 'project.open', {})).toEqual({ ok: true, value: null });

    // Session: all permissions denied, remote requests cancelled.
    const cb = vi.fn();
    fake.state.session.request({}, 'geolocation', cb, {});
    expect(cb).toHaveBeenCalledWith(false);
    const cancel = vi.fn();
    fake.state.session.before({ url: 'https://example.com/' }, cancel);
    expect(cancel).toHaveBeenCalledWith({ cancel: true });

    // A menu was installed, with the dev-only items in a dev build.
    expect(JSON.stringify(fake.state.menus.at(-1))).toContain('toggleDevTools');
    fake.state.appListeners.get('before-quit')!();
  });

  it('quits at once when another instance holds the lock', async () => {
    fake.state.lock = false;
    await import('../../../electron/main');
    expect(fake.state.calls).toContain('app.quit');
    expect(fake.state.appListeners.size).toBe(0);
    fake.state.ready!();
    await tick();
    expect(fake.state.windows).toHaveLength(0);
  });
});
