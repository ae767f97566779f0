/**
 * Outcrop's Electron main process: one locked-down window showing the renderer from the
 * privileged `outcrop://app/` scheme, the IPC bridge to OutcropService, the menu and the native
 * dialogs. No business logic lives here: every request goes through the API contract.
 *
 * Bundled by scripts/build-electron.mjs into dist/electron/main.cjs (CommonJS, so __dirname is
 * the bundle's folder); better-sqlite3 stays a real node module (asarUnpack in electron-builder.yml).
 */
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, session, shell } from 'electron';
import { OutcropService } from '../src/api/service';
import { defaultActor } from '../src/store/project';
import { createAppProtocolHandler } from './app-protocol';
import { APP_SCHEME, IPC_MENU_COMMAND, type MenuCommand } from './channels';
import { createDialogs } from './dialogs';
import { createPdfPrinter } from './pdf';
import { registerIpc } from './ipc';
import { buildMenuTemplate } from './menu';
import { APP_ENTRY_URL, guardSession, guardWebContents, PRIVILEGED_SCHEMES, windowWebPreferences } from './security';
import { loadWindowState, MIN_WINDOW_SIZE, saveWindowState, windowStateFile, type WindowState } from './window-state';

const PRODUCT_NAME = 'Outcrop';
const dev = !app.isPackaged;
/** tests/unit/electron/smoke.test.ts: report what the page sees, then quit. Never in a packaged app. */
const smokeTest = dev && process.env.OUTCROP_SMOKE_TEST === '1';

// Must happen before 'ready', and only once.
protocol.registerSchemesAsPrivileged(PRIVILEGED_SCHEMES);

if (!app.requestSingleInstanceLock()) {
  // Another Outcrop is running; it gets focused through its 'second-instance' event.
  app.quit();
} else {
  start();
}

function start(): void {
  let mainWindow: BrowserWindow | null = null;
  const rendererDir = join(__dirname, '..', 'renderer');
  // Packaged: electron-builder's extraResources; development: the repository's assets/.
  const assetsDir = app.isPackaged ? join(process.resourcesPath, 'assets') : join(__dirname, '..', '..', 'assets');
  const preload = join(__dirname, 'preload.cjs');

  const service = new OutcropService({
    host: 'electron',
    version: app.getVersion(),
    settingsDir: app.getPath('userData'),
    dialogs: createDialogs(dialog, () => mainWindow),
    actor: defaultActor(),
    printToPdf: createPdfPrinter((options) => new BrowserWindow(options)),
  });

  const send = (command: MenuCommand) => {
    if (mainWindow && !mainWindow.webContents.isDestroyed()) mainWindow.webContents.send(IPC_MENU_COMMAND, command);
  };

  const refreshMenu = async () => {
    const recent = await service.call('project.recent', {});
    const template = buildMenuTemplate({
      productName: PRODUCT_NAME,
      dev,
      mac: process.platform === 'darwin',
      recent: recent.ok ? recent.value : [],
      send,
      showAbout: () => void showAbout(mainWindow),
      openDocs: () => void shell.openPath(docsPath()),
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };

  const refreshTitle = () => {
    const p = service.currentProject;
    mainWindow?.setTitle(p ? `${p.name} — ${PRODUCT_NAME}` : PRODUCT_NAME);
  };

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Every WebContents (the window, devtools, anything a bug might create) gets the guards.
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));

  app.whenReady().then(async () => {
    guardSession(session.defaultSession);
    protocol.handle(APP_SCHEME, createAppProtocolHandler({ rendererDir, assetsDir, tile: (layer, z, x, y, filter) => service.tile(layer, z, x, y, filter), basemapTile: (id, z, x, y) => service.basemapTile(id, z, x, y) }));
    registerIpc(ipcMain, service, {
      jobEventTarget: () => mainWindow?.webContents ?? null,
      afterCall: (method, result) => {
        if (!method.startsWith('project.') || !result.ok) return;
        refreshTitle();
        if (method === 'project.open') void refreshMenu();
      },
    });
    await refreshMenu();
    mainWindow = createWindow(preload);
    mainWindow.on('closed', () => (mainWindow = null));
    if (smokeTest) runSmokeTest(mainWindow);

    app.on('activate', () => {
      // macOS: clicking the dock icon with no window open brings one back.
      if (!mainWindow) {
        mainWindow = createWindow(preload);
        mainWindow.on('closed', () => (mainWindow = null));
      }
    });
  }).catch((err: unknown) => {
    // Without its window the app is useless: say why and leave, rather than hang windowless.
    console.error(`outcrop: could not start: ${err instanceof Error ? err.stack : String(err)}`);
    app.exit(1);
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Abort running jobs (a cancelled import leaves whole batches) and close the project file.
  app.on('before-quit', () => void service.dispose());
}

function createWindow(preload: string): BrowserWindow {
  const stateFile = windowStateFile(app.getPath('userData'));
  const state = loadWindowState(stateFile, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: PRODUCT_NAME,
    show: false,
    webPreferences: windowWebPreferences(preload, { dev }),
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return;
    const b = win.getNormalBounds();
    const next: WindowState = { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
    try {
      saveWindowState(stateFile, next);
    } catch (err) {
      console.warn(`outcrop: could not save the window state to ${stateFile}: ${(err as Error).message}`);
    }
  };
  const saveSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  for (const e of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(e as 'resize', saveSoon);
  win.on('close', () => {
    clearTimeout(timer);
    save();
  });

  void win.loadURL(APP_ENTRY_URL);
  return win;
}

async function showAbout(win: BrowserWindow | null): Promise<void> {
  const options = {
    type: 'info' as const,
    title: `About ${PRODUCT_NAME}`,
    message: `${PRODUCT_NAME} ${app.getVersion()}`,
    detail:
      'Offline-first workbench for mapping critical-mineral resources.\n\n' +
      `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}`,
    buttons: ['OK'],
  };
  if (win) await dialog.showMessageBox(win, options);
  else await dialog.showMessageBox(options);
}

/** The bundled data-model guide (offline: a local file opened in the default viewer). */
function docsPath(): string {
  return app.isPackaged ? join(process.resourcesPath, 'docs', 'data-model.md') : join(__dirname, '..', '..', 'docs', 'data-model.md');
}

/** Prints one `OUTCROP_SMOKE <json>` line: the bridge's keys, an API call's answer and whether Node leaked in. */
function runSmokeTest(win: BrowserWindow): void {
  const probe = `(async () => ({
    url: location.href,
    keys: Object.keys(window.outcrop ?? {}).sort(),
    info: await window.outcrop.call('app.info', {}),
    node: typeof require !== 'undefined' || typeof process !== 'undefined',
    remote: await fetch('https://example.com/').then(() => 'fetched', () => 'blocked'),
  }))()`;
  win.webContents.once('did-finish-load', async () => {
    try {
      console.log(`OUTCROP_SMOKE ${JSON.stringify(await win.webContents.executeJavaScript(probe))}`);
    } catch (err) {
      console.log(`OUTCROP_SMOKE ${JSON.stringify({ error: (err as Error).message })}`);
    }
    app.quit();
  });
  win.webContents.once('did-fail-load', (_e, code, description, url) => {
    console.log(`OUTCROP_SMOKE ${JSON.stringify({ error: `load failed ${code} ${description} ${url}` })}`);
    app.quit();
  });
}
