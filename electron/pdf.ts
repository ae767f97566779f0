/**
 * PDF reports: Chromium prints the self-contained HTML report (src/compare/report-html.ts) in a
 * hidden, sandboxed window with JavaScript off, loaded from a data: URL (no file, no network;
 * data: is one of the schemes the session guard lets through). Takes a window factory, so it is
 * tested without Electron.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';

/** The part of BrowserWindow used (a fake in tests). */
export interface PrintWindow {
  loadURL(url: string): Promise<void>;
  webContents: { printToPDF(options: Parameters<BrowserWindow['webContents']['printToPDF']>[0]): Promise<Buffer> };
  destroy(): void;
}

/** How the hidden window is made: nothing but static HTML can run in it. */
export const PRINT_WINDOW_OPTIONS: BrowserWindowConstructorOptions = {
  show: false,
  width: 1100,
  height: 1400,
  webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, webSecurity: true, spellcheck: false },
};

/** A4 portrait, backgrounds printed (the maps' fills), 1 cm margins. */
export const PDF_OPTIONS = { pageSize: 'A4', printBackground: true, landscape: false, margins: { top: 0.4, bottom: 0.4, left: 0.4, right: 0.4 } } as const;

export function createPdfPrinter(makeWindow: (options: BrowserWindowConstructorOptions) => PrintWindow): (html: string) => Promise<Buffer> {
  return async (html) => {
    const win = makeWindow(PRINT_WINDOW_OPTIONS);
    try {
      await win.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`);
      return await win.webContents.printToPDF(PDF_OPTIONS);
    } finally {
      win.destroy();
    }
  };
}
