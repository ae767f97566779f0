import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

/** Every UI string, in English and Japanese. Vocabulary labels come from src/model/vocab. */
export const RESOURCES = {
  en: {
    translation: {
      app: { title: 'Outcrop', subtitle: 'critical-mineral map' },
      lang: { label: 'Language', en: 'EN', ja: '日本語' },
      project: {
        pathLabel: 'Project file',
        pathPlaceholder: '/path/to/project.gpkg',
        open: 'Open',
        create: 'Create',
        close: 'Close',
        none: 'No project open: type the path of a .gpkg file and press Open, or Create a new one.',
        opened: '{{name}} — {{deposits}} deposits, {{surveys}} surveys',
        needPath: 'Type the path of a project file first.',
        recent: 'Recent',
      },
      status: {
        lon: 'Lon',
        lat: 'Lat',
        zoom: 'Zoom',
        scale: 'Scale',
        deposits: 'Deposits',
        surveys: 'Surveys',
        noCursor: 'Move the pointer over the map',
      },
      details: {
        title: 'Details',
        close: 'Close',
        deposit: 'Deposit',
        survey: 'Survey area',
        cluster: 'Cluster',
        clusterHint: '{{count}} deposits here: zoom in to see them one by one.',
        empty: 'Click a deposit or survey area to see its details.',
        loading: 'Loading…',
        fields: {
          name: 'Name',
          id: 'ID',
          commodity: 'Main commodity',
          commodities: 'Main commodities',
          commodities_secondary: 'Other commodities',
          admin_area: 'State / prefecture',
          source: 'Source',
          status: 'Development status',
          deposit_type: 'Deposit type',
          country: 'Country',
          agency: 'Agency',
          methods: 'Methods',
          coordinates: 'Location',
          count: 'Deposits',
        },
      },
      legend: { title: 'Main commodity', other: 'Other', none: 'Not given', surveys: 'Survey area', clusters: 'Circle size = number of deposits' },
      errors: { generic: 'Error: {{message}}' },
    },
  },
  ja: {
    translation: {
      app: { title: 'Outcrop', subtitle: '重要鉱物マップ' },
      lang: { label: '言語', en: 'EN', ja: '日本語' },
      project: {
        pathLabel: 'プロジェクトファイル',
        pathPlaceholder: '/path/to/project.gpkg',
        open: '開く',
        create: '新規作成',
        close: '閉じる',
        none: 'プロジェクトが開かれていません。.gpkg ファイルのパスを入力して「開く」を押すか、「新規作成」してください。',
        opened: '{{name}} — 鉱床 {{deposits}} 件、調査範囲 {{surveys}} 件',
        needPath: '先にプロジェクトファイルのパスを入力してください。',
        recent: '最近使用',
      },
      status: {
        lon: '経度',
        lat: '緯度',
        zoom: 'ズーム',
        scale: '縮尺',
        deposits: '鉱床',
        surveys: '調査範囲',
        noCursor: '地図上にポインタを置いてください',
      },
      details: {
        title: '詳細',
        close: '閉じる',
        deposit: '鉱床',
        survey: '調査範囲',
        cluster: 'クラスタ',
        clusterHint: 'ここに鉱床が {{count}} 件あります。拡大すると個別に表示されます。',
        empty: '鉱床または調査範囲をクリックすると詳細が表示されます。',
        loading: '読み込み中…',
        fields: {
          name: '名称',
          id: 'ID',
          commodity: '主要鉱種',
          commodities: '主要鉱種（すべて）',
          commodities_secondary: '副鉱種',
          admin_area: '州・都道府県',
          source: '出典',
          status: '開発段階',
          deposit_type: '鉱床タイプ',
          country: '国',
          agency: '機関',
          methods: '調査手法',
          coordinates: '位置',
          count: '鉱床数',
        },
      },
      legend: { title: '主要鉱種', other: 'その他', none: '未記入', surveys: '調査範囲', clusters: '円の大きさ＝鉱床数' },
      errors: { generic: 'エラー: {{message}}' },
    },
  },
} as const;

export type Lang = keyof typeof RESOURCES;

void i18next.use(initReactI18next).init({
  resources: RESOURCES,
  lng: 'en',
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18next;
