/**
 * The application menu, as a template (pure data + callbacks), so it is tested without Electron.
 * Project commands are sent to the renderer (MenuCommand), which runs them through the API like
 * a click would and refreshes its own state; the shell itself changes no data.
 */
import { basename } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from './channels';

export interface MenuOptions {
  productName: string;
  /** Development build: adds Reload and Toggle Developer Tools. */
  dev: boolean;
  /** process.platform === 'darwin': the app menu goes first, Quit lives there. */
  mac: boolean;
  /** Most recent first (from `project.recent`). */
  recent: string[];
  send(command: MenuCommand): void;
  showAbout(): void;
  openDocs(): void;
}

export function buildMenuTemplate(o: MenuOptions): MenuItemConstructorOptions[] {
  const recent: MenuItemConstructorOptions[] = o.recent.length
    ? o.recent.map((path) => ({ label: basename(path), sublabel: path, toolTip: path, click: () => o.send({ command: 'project.open', path }) }))
    : [{ label: 'No recent projects', enabled: false }];

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'New Project…', accelerator: 'CmdOrCtrl+N', click: () => o.send({ command: 'project.new' }) },
      { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: () => o.send({ command: 'project.open' }) },
      { label: 'Open Recent', submenu: recent },
      { type: 'separator' },
      { label: 'Import…', accelerator: 'CmdOrCtrl+I', click: () => o.send({ command: 'jobs.import' }) },
      { label: 'Export GeoJSON…', accelerator: 'CmdOrCtrl+E', click: () => o.send({ command: 'jobs.export', format: 'geojson' }) },
      { label: 'Export CSV…', accelerator: 'CmdOrCtrl+Shift+E', click: () => o.send({ command: 'jobs.export', format: 'csv' }) },
      { label: 'Export GeoPackage…', click: () => o.send({ command: 'jobs.export', format: 'gpkg' }) },
      { type: 'separator' },
      { label: 'Export Exchange Package…', click: () => o.send({ command: 'exchange.open', tab: 'export' }) },
      { label: 'Merge Exchange Package…', click: () => o.send({ command: 'exchange.open', tab: 'merge' }) },
      { type: 'separator' },
      { label: 'Add Basemap (MBTiles, PMTiles)…', click: () => o.send({ command: 'basemaps.add' }) },
      ...(o.mac ? [] : ([{ type: 'separator' }, { role: 'quit', label: 'Quit', accelerator: 'CmdOrCtrl+Q' }] as MenuItemConstructorOptions[])),
    ],
  };

  // Undo/Redo undo project operations (the renderer decides: in a text field it undoes typing).
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: () => o.send({ command: 'edit.undo' }) },
      { label: 'Redo', accelerator: 'CmdOrCtrl+Shift+Z', click: () => o.send({ command: 'edit.redo' }) },
      { type: 'separator' },
      { label: 'New Survey Area', click: () => o.send({ command: 'draw.survey' }) },
      { label: 'New Deposit', click: () => o.send({ command: 'draw.deposit' }) },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(o.dev ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[]) : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };

  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [
      { label: `About ${o.productName}`, click: () => o.showAbout() },
      { label: 'Documentation', click: () => o.openDocs() },
    ],
  };

  const appMenu: MenuItemConstructorOptions[] = o.mac
    ? [
        {
          label: o.productName,
          submenu: [
            { label: `About ${o.productName}`, click: () => o.showAbout() },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];

  return [...appMenu, file, edit, view, help];
}
