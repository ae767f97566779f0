/**
 * Native open/save dialogs behind OutcropService's `Dialogs`: the renderer never names a path,
 * the user picks it here. Takes a dialog-like object, so it is tested without Electron.
 */
import type { BrowserWindow, Dialog, FileFilter, OpenDialogOptions, SaveDialogOptions } from 'electron';
import type { Dialogs } from '../src/api/service';

export const PROJECT_FILTERS: FileFilter[] = [{ name: 'Outcrop project (GeoPackage)', extensions: ['gpkg'] }];
export const IMPORT_FILTERS: FileFilter[] = [
  { name: 'GeoJSON, CSV, GeoPackage or Shapefile', extensions: ['geojson', 'json', 'csv', 'gz', 'gpkg', 'zip', 'shp'] },
  { name: 'GeoJSON', extensions: ['geojson', 'json'] },
  { name: 'CSV', extensions: ['csv'] },
  { name: 'GeoPackage', extensions: ['gpkg'] },
  { name: 'Shapefile (.shp beside its .dbf and .prj, or zipped)', extensions: ['shp', 'zip'] },
  { name: 'All files', extensions: ['*'] },
];
export const PACKAGE_FILTERS: FileFilter[] = [{ name: 'Outcrop exchange package (GeoPackage)', extensions: ['gpkg'] }];
export const BASEMAP_FILTERS: FileFilter[] = [{ name: 'Offline basemap (MBTiles, PMTiles)', extensions: ['mbtiles', 'pmtiles'] }];
export const REPORT_FILTERS: Record<'html' | 'csv' | 'pdf', FileFilter[]> = {
  html: [{ name: 'HTML report', extensions: ['html'] }],
  csv: [{ name: 'CSV table', extensions: ['csv'] }],
  pdf: [{ name: 'PDF report', extensions: ['pdf'] }],
};
export const EXPORT_FILTERS: Record<'geojson' | 'csv' | 'gpkg', FileFilter[]> = {
  geojson: [{ name: 'GeoJSON', extensions: ['geojson'] }],
  csv: [{ name: 'CSV', extensions: ['csv'] }],
  gpkg: [{ name: 'GeoPackage', extensions: ['gpkg'] }],
};

/** The two dialog calls used (a fake in tests). */
export interface DialogLike {
  showOpenDialog(window: BrowserWindow, options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(window: BrowserWindow, options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>;
}

/** Add `.ext` when the user typed a name without it (Linux save dialogs do not). */
export function withExtension(file: string, ext: string): string {
  return file.toLowerCase().endsWith(`.${ext}`) ? file : `${file}.${ext}`;
}

export function createDialogs(dialog: DialogLike | Dialog, getWindow: () => BrowserWindow | null): Dialogs {
  const d = dialog as DialogLike;
  const open = async (options: OpenDialogOptions) => {
    const win = getWindow();
    const r = win ? await d.showOpenDialog(win, options) : await (d.showOpenDialog as (o: OpenDialogOptions) => Promise<{ canceled: boolean; filePaths: string[] }>)(options);
    return r.canceled || !r.filePaths[0] ? null : r.filePaths[0];
  };
  const save = async (options: SaveDialogOptions, ext: string) => {
    const win = getWindow();
    const r = win ? await d.showSaveDialog(win, options) : await (d.showSaveDialog as (o: SaveDialogOptions) => Promise<{ canceled: boolean; filePath?: string }>)(options);
    return r.canceled || !r.filePath ? null : withExtension(r.filePath, ext);
  };
  return {
    openProject: () => open({ title: 'Open project', properties: ['openFile'], filters: PROJECT_FILTERS }),
    newProject: () =>
      save({ title: 'New project', defaultPath: 'Untitled.gpkg', buttonLabel: 'Create', filters: PROJECT_FILTERS, properties: ['createDirectory', 'showOverwriteConfirmation'] }, 'gpkg'),
    importFile: () => open({ title: 'Import GeoJSON, CSV, GeoPackage or Shapefile', properties: ['openFile'], filters: IMPORT_FILTERS }),
    openBasemap: () => open({ title: 'Add an offline basemap', properties: ['openFile'], filters: BASEMAP_FILTERS }),
    exportFile: (format) =>
      save(
        {
          title: format === 'csv' ? 'Export CSV' : format === 'gpkg' ? 'Export GeoPackage' : 'Export GeoJSON',
          defaultPath: `outcrop-export.${format}`,
          buttonLabel: 'Export',
          filters: EXPORT_FILTERS[format],
          properties: ['createDirectory', 'showOverwriteConfirmation'],
        },
        format,
      ),
    savePackage: () =>
      save(
        {
          title: 'Export exchange package',
          defaultPath: `outcrop-package-${new Date().toISOString().slice(0, 10)}.gpkg`,
          buttonLabel: 'Export',
          filters: PACKAGE_FILTERS,
          properties: ['createDirectory', 'showOverwriteConfirmation'],
        },
        'gpkg',
      ),
    openPackage: () => open({ title: 'Merge exchange package', properties: ['openFile'], filters: PACKAGE_FILTERS }),
    saveReport: (format) =>
      save(
        {
          title: 'Save comparison report',
          defaultPath: `site-comparison-${new Date().toISOString().slice(0, 10)}.${format}`,
          buttonLabel: 'Save',
          filters: REPORT_FILTERS[format],
          properties: ['createDirectory', 'showOverwriteConfirmation'],
        },
        format,
      ),
  };
}
