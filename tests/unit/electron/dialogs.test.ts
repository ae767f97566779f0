import { describe, expect, it, vi } from 'vitest';
import { createDialogs, withExtension } from '../../../electron/dialogs';

describe('native dialogs', () => {
  const win = {} as any;
  it('returns the chosen path, or null when cancelled', async () => {
    const dialog = {
      showOpenDialog: vi.fn(async () => ({ canceled: false, filePaths: ['/data/p.gpkg'] })),
      showSaveDialog: vi.fn(async () => ({ canceled: true, filePath: '' })),
    };
    const d = createDialogs(dialog, () => win);
    expect(await d.openProject()).toBe('/data/p.gpkg');
    expect(dialog.showOpenDialog.mock.calls[0]).toEqual([win, expect.objectContaining({ filters: [expect.objectContaining({ extensions: ['gpkg'] })] })]);
    expect(await d.newProject()).toBeNull();
  });

  it('filters by .gpkg, .geojson and .csv, and adds a missing extension', async () => {
    const dialog = {
      showOpenDialog: vi.fn(async () => ({ canceled: false, filePaths: ['/in/d.csv'] })),
      showSaveDialog: vi.fn(async () => ({ canceled: false, filePath: '/out/result' })),
    };
    const d = createDialogs(dialog, () => null);
    expect(await d.importFile()).toBe('/in/d.csv');
    expect((dialog.showOpenDialog.mock.calls[0] as any[])[0].filters[0].extensions).toEqual(expect.arrayContaining(['geojson', 'csv']));
    expect(await d.exportFile('csv')).toBe('/out/result.csv');
    expect(await d.exportFile('geojson')).toBe('/out/result.geojson');
    expect(await d.newProject()).toBe('/out/result.gpkg');
    expect(withExtension('/x/A.GPKG', 'gpkg')).toBe('/x/A.GPKG');
  });
});
