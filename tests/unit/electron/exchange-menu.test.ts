import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { MenuCommand } from '../../../electron/channels';
import { createDialogs } from '../../../electron/dialogs';
import { buildMenuTemplate } from '../../../electron/menu';

describe('exchange in the Electron shell', () => {
  it('File menu opens the exchange dialog on the export or merge tab', () => {
    const sent: MenuCommand[] = [];
    const template = buildMenuTemplate({ productName: 'Outcrop', dev: false, mac: false, recent: [], send: (c) => sent.push(c), showAbout: () => {}, openDocs: () => {} });
    const file = template.find((m) => m.label === '&File')!.submenu as MenuItemConstructorOptions[];
    for (const label of ['Export Exchange Package…', 'Merge Exchange Package…']) (file.find((i) => i.label === label)!.click as () => void)();
    expect(sent).toEqual([
      { command: 'exchange.open', tab: 'export' },
      { command: 'exchange.open', tab: 'merge' },
    ]);
  });

  it('packages are picked as .gpkg in native dialogs; cancelling gives null', async () => {
    const dialog = {
      showOpenDialog: vi.fn(async () => ({ canceled: false, filePaths: ['/in/team-us.gpkg'] })),
      showSaveDialog: vi.fn(async () => ({ canceled: false, filePath: '/out/team-jp-2026-11' })),
    };
    const d = createDialogs(dialog, () => null);
    expect(await d.openPackage!()).toBe('/in/team-us.gpkg');
    expect(await d.savePackage!()).toBe('/out/team-jp-2026-11.gpkg');
    expect((dialog.showOpenDialog.mock.calls[0] as any[])[0].filters[0].extensions).toEqual(['gpkg']);
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    expect(await d.openPackage!()).toBeNull();
  });
});
