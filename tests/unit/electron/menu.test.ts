import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../../electron/channels';
import { buildMenuTemplate } from '../../../electron/menu';

function setup(over: Partial<Parameters<typeof buildMenuTemplate>[0]> = {}) {
  const sent: MenuCommand[] = [];
  const template = buildMenuTemplate({ productName: 'Outcrop', dev: false, mac: false, recent: [], send: (c) => sent.push(c), showAbout: () => {}, openDocs: () => {}, ...over });
  const menu = (label: string) => template.find((m) => m.label?.replace('&', '') === label)!.submenu as MenuItemConstructorOptions[];
  const item = (m: string, label: string) => menu(m).find((i) => i.label === label)!;
  const click = (i: MenuItemConstructorOptions) => (i.click as () => void)();
  return { template, sent, menu, item, click };
}

describe('application menu', () => {
  it('has File, Edit, View, Help; Quit in File off macOS', () => {
    const { template, menu } = setup();
    expect(template.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Help']);
    expect(menu('File').some((i) => i.role === 'quit')).toBe(true);
  });

  it('sends project commands to the renderer', () => {
    const { sent, item, click } = setup({ recent: ['/data/a.gpkg', '/data/b.gpkg'] });
    click(item('File', 'New Project…'));
    click(item('File', 'Open Project…'));
    click(item('File', 'Import…'));
    click(item('File', 'Export GeoJSON…'));
    click(item('File', 'Export CSV…'));
    click(item('File', 'Export GeoPackage…'));
    click(item('File', 'Add Basemap (MBTiles, PMTiles)…'));
    click(item('Edit', 'New Survey Area'));
    click(item('Edit', 'New Deposit'));
    const recent = item('File', 'Open Recent').submenu as MenuItemConstructorOptions[];
    expect(recent.map((r) => r.label)).toEqual(['a.gpkg', 'b.gpkg']);
    click(recent[1]);
    expect(sent).toEqual([
      { command: 'project.new' },
      { command: 'project.open' },
      { command: 'jobs.import' },
      { command: 'jobs.export', format: 'geojson' },
      { command: 'jobs.export', format: 'csv' },
      { command: 'jobs.export', format: 'gpkg' },
      { command: 'basemaps.add' },
      { command: 'draw.survey' },
      { command: 'draw.deposit' },
      { command: 'project.open', path: '/data/b.gpkg' },
    ]);
  });

  it('undoes with Ctrl+Z and redoes with Ctrl+Shift+Z through the renderer', () => {
    const { sent, item, click } = setup();
    expect(item('Edit', 'Undo').accelerator).toBe('CmdOrCtrl+Z');
    expect(item('Edit', 'Redo').accelerator).toBe('CmdOrCtrl+Shift+Z');
    click(item('Edit', 'Undo'));
    click(item('Edit', 'Redo'));
    expect(sent).toEqual([{ command: 'edit.undo' }, { command: 'edit.redo' }]);
  });

  it('offers reload and devtools only in development', () => {
    const roles = (dev: boolean) => setup({ dev }).menu('View').map((i) => i.role);
    expect(roles(false)).not.toContain('reload');
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(true)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
    expect(roles(false)).toEqual(expect.arrayContaining(['zoomIn', 'zoomOut', 'resetZoom']));
  });

  it('shows an empty Open Recent as disabled, and an app menu on macOS', () => {
    const { item } = setup();
    expect(item('File', 'Open Recent').submenu).toEqual([{ label: 'No recent projects', enabled: false }]);
    const mac = setup({ mac: true });
    expect(mac.template[0].label).toBe('Outcrop');
  });
});
