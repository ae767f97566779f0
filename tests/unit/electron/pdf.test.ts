import { describe, expect, it, vi } from 'vitest';
import { createDialogs } from '../../../electron/dialogs';
import { createPdfPrinter, PRINT_WINDOW_OPTIONS, type PrintWindow } from '../../../electron/pdf';

function fakeWindow(fail?: 'load' | 'print') {
  const calls: string[] = [];
  const win: PrintWindow & { loaded?: string; options?: unknown } = {
    loadURL: vi.fn(async (url: string) => {
      calls.push('load');
      win.loaded = url;
      if (fail === 'load') throw new Error('ERR_ABORTED');
    }),
    webContents: {
      printToPDF: vi.fn(async (options) => {
        calls.push('print');
        win.options = options;
        if (fail === 'print') throw new Error('print failed');
        return Buffer.from('%PDF-1.4');
      }),
    },
    destroy: vi.fn(() => void calls.push('destroy')),
  };
  return { win, calls };
}

describe('PDF reports (webContents.printToPDF)', () => {
  it('prints the HTML in a hidden sandboxed window without JavaScript, from a data: URL, then destroys it', async () => {
    const { win, calls } = fakeWindow();
    let made: unknown;
    const print = createPdfPrinter((o) => ((made = o), win));
    const html = '<!DOCTYPE html><h1>Site comparison — 候補地</h1>';
    const pdf = await print(html);
    expect(pdf.toString()).toBe('%PDF-1.4');
    expect(made).toBe(PRINT_WINDOW_OPTIONS);
    expect(PRINT_WINDOW_OPTIONS).toMatchObject({ show: false, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false } });
    expect(win.loaded!.startsWith('data:text/html;charset=utf-8;base64,')).toBe(true);
    expect(Buffer.from(win.loaded!.split(',')[1], 'base64').toString('utf8')).toBe(html);
    expect(win.options).toMatchObject({ pageSize: 'A4', printBackground: true });
    expect(calls).toEqual(['load', 'print', 'destroy']);
  });

  it('destroys the window when loading or printing fails, and passes the error on', async () => {
    for (const fail of ['load', 'print'] as const) {
      const { win, calls } = fakeWindow(fail);
      await expect(createPdfPrinter(() => win)('<p>x</p>')).rejects.toThrow();
      expect(calls.at(-1)).toBe('destroy');
    }
  });

  it('asks where to save a report, with the format as the extension', async () => {
    const dialog = { showOpenDialog: vi.fn(), showSaveDialog: vi.fn(async () => ({ canceled: false, filePath: '/out/ranking' })) };
    const d = createDialogs(dialog as any, () => null);
    expect(await d.saveReport!('pdf')).toBe('/out/ranking.pdf');
    expect(await d.saveReport!('html')).toBe('/out/ranking.html');
    expect((dialog.showSaveDialog.mock.calls[0] as any[])[0].filters[0].extensions).toEqual(['pdf']);
  });
});
