/** Strings of the map's reference-layers panel (merged into renderer/i18n.ts under `referenceLayers`). */
export const REFERENCE_LAYER_STRINGS = {
  en: {
    title: 'Reference layers',
    none: 'None in this project. Import roads, ports or protected areas under Compare sites › Layers.',
    show: 'Show {{name}}',
    infrastructure: 'Infrastructure',
    exclusion: 'Exclusion zone',
    // i18next picks count_one / count_other by the language's plural rules.
    count_one: '{{count}} feature',
    count_other: '{{count}} features',
  },
  ja: {
    title: '参照レイヤー',
    none: 'このプロジェクトにはまだありません。道路・港湾・保護区域は「候補地比較」の「レイヤー」から取り込めます。',
    show: '{{name}} を表示',
    infrastructure: 'インフラ',
    exclusion: '除外区域',
    count_one: '{{count}} 件',
    count_other: '{{count}} 件',
  },
} as const;
