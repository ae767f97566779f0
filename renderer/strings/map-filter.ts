/** Strings of the map filter (merged into renderer/i18n.ts under `mapFilter`). */
export const MAP_FILTER_STRINGS = {
  en: {
    title: 'Show on the map',
    agency: 'Recorded by (agency)',
    team: 'Field team (survey)',
    teamHint: 'Deposits take the team of their survey: deposits recorded in no survey are hidden.',
    country: 'Country',
    all: 'Everything is shown.',
    active: 'Only features matching these are drawn.',
    clear: 'Show all',
    unknown: '(none given)',
    pick: 'Type or pick one, then Enter',
  },
  ja: {
    title: '地図に表示',
    agency: '記録した機関',
    team: '調査班（調査）',
    teamHint: '鉱床の調査班は所属する調査のものです。調査に属さない鉱床は表示されません。',
    country: '国',
    all: 'すべて表示しています。',
    active: '条件に合う地物だけを表示しています。',
    clear: 'すべて表示',
    unknown: '（記載なし）',
    pick: '入力または選択して Enter',
  },
} as const;
