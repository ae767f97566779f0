/** Strings of the user-basemap panel (merged into renderer/i18n.ts under `basemap`). */
export const BASEMAP_STRINGS = {
  en: {
    title: 'Basemaps',
    builtIn: 'Built-in: Natural Earth, US states, Japanese prefectures',
    add: 'Add…',
    addPath: 'Add',
    pathLabel: 'MBTiles or PMTiles file on this computer',
    pathPlaceholder: '/path/to/geology.mbtiles',
    show: 'Show {{name}}',
    remove: 'Remove {{name}}',
    zooms: 'zoom {{min}}–{{max}}',
    missing: 'Cannot open: {{message}}',
    noLayers: 'This vector file lists no layers (no vector_layers metadata), so there is nothing to style.',
  },
  ja: {
    title: '背景地図',
    builtIn: '内蔵：Natural Earth、米国の州、日本の都道府県',
    add: '追加…',
    addPath: '追加',
    pathLabel: 'このコンピューター上の MBTiles / PMTiles ファイル',
    pathPlaceholder: '/path/to/geology.mbtiles',
    show: '{{name}} を表示',
    remove: '{{name}} を外す',
    zooms: 'ズーム {{min}}–{{max}}',
    missing: '開けません：{{message}}',
    noLayers: 'このベクターファイルにはレイヤー情報（vector_layers）がないため、表示するものがありません。',
  },
} as const;
