import { PROBLEM_EN, type ProblemCode } from '../../src/messages/en';

/**
 * The core's problems by code (src/messages/en.ts): English is the core's own table, Japanese
 * is written here. Values in `{{value}}` are quoted verbatim; `{{codes}}` are vocabulary codes.
 */
const PROBLEM_JA: Record<ProblemCode, string> = {
  'record.required': '{{field}} は必須です',
  'record.notText': '文字列で入力してください（入力値: {{value}}）',
  'record.nameTooLong': '{{length}} 文字あります。上限は {{limit}} 文字です',
  'record.notCodeList': '鉱種コードのリストで入力してください（入力値: {{value}}）',
  'record.notCommodity': '{{value}} は鉱種コードではありません（例: Li、Cu、REE）',
  'record.listedTwice': '「{{value}}」が重複しています',
  'record.notNameList': '名称のリストで入力してください（入力値: {{value}}）',
  'record.notUrl': '{{value}} はウェブアドレスではありません。http:// または https:// で始まるものを入力してください',
  'record.notExtraObject': '追加属性はオブジェクトで指定してください（入力値: {{value}}）',
  'record.notDepositType': '{{value}} は鉱床タイプのコードではありません（例: porphyry-cu、li-brine）',
  'record.notDevStatus': '{{value}} は開発段階ではありません。{{codes}} のいずれかを使うか、空欄にしてください',
  'record.notSurveyId': '{{value}} は調査 ID ではありません（123e4567-e89b-12d3-a456-426614174000 のような UUID）',
  'record.notMethodList': '調査手法のリストで入力してください（入力値: {{value}}）',
  'record.notMethod': '{{value}} は調査手法ではありません。{{codes}} のいずれかを使ってください',
  'record.endsBeforeStart': '調査の終了日（{{end}}）が開始日（{{start}}）より前です',
  'record.notSurveyStatus': '{{value}} は調査の状況ではありません。{{codes}} のいずれかを使うか、空欄にしてください',
  'record.notDate': '{{value}} は日付ではありません。YYYY、YYYY-MM または YYYY-MM-DD の形式で入力してください',
  'record.notResourceList': '資源量推定のリストで入力してください（入力値: {{value}}）',
  'record.notResource': '鉱量・品位・鉱種などを持つオブジェクトで指定してください（入力値: {{value}}）',
  'record.notNonNegative': '0 以上の数値で入力してください（入力値: {{value}}）',
  'record.tonnageNeedsUnit': '鉱量には単位が必要です: {{codes}}',
  'record.notTonnageUnit': '{{value}} は鉱量の単位ではありません。{{codes}} のいずれかを使ってください',
  'record.notGradeUnit': '{{value}} は品位の単位ではありません。{{codes}} のいずれかを使ってください',
  'record.gradeNeedsUnit': '品位には単位が必要です: {{codes}}',
  'record.gradeOverWhole': '品位 {{grade}} {{unit}} は岩石全体を超えています。上限は {{max}} {{unit}} です',
  'record.notYear': '{{min}}〜{{max}} の西暦年（整数）で入力してください（入力値: {{value}}）',
  'record.fieldTooLong': '「{{field}}」は {{mib}} MiB あります。1 項目の上限は 1 MiB です',
  'mapping.notText': '文字列で入力してください（入力値: {{value}}）',
  'mapping.unknownCommodity': '{{value}} は既知の鉱種ではありません。Li のような元素記号か Lithium のような名称を使ってください',
  'mapping.siteNameRequired': '名称は必須です（名称も、代わりに使える元データの ID もありません）',
  'mapping.surveyNameRequired': '名称は必須です（調査名も、代わりに使える元データの ID もありません）',
  'mapping.notDevStatus': '{{value}} は開発段階ではありません。{{codes}}（または Unknown）を使ってください',
  'mapping.notSurveyStatus': '{{value}} は調査の状況ではありません。{{codes}} のいずれかを使ってください',
  'mapping.notDate': '{{value}} は日付ではありません。YYYY、YYYY-MM または YYYY-MM-DD の形式で入力してください',
  'input.binaryNul': '{{file}} はテキストではなくバイナリファイルです（先頭付近に NUL バイトがあります）。ファイルを確認してください',
  'input.binary': '{{file}} はテキストではなくバイナリファイルのようです。ファイルを確認してください',
  'geojson.empty': 'ファイルが空です（または空白のみ）。GeoJSON の FeatureCollection、Feature またはジオメトリが必要です',
  'geojson.notJson': '有効な JSON ではありません: {{detail}}',
  'geojson.topoJson': 'これは GeoJSON ではなく TopoJSON（"type": "Topology"）です。topojson-client や ogr2ogr などで先に変換してください',
  'project.tooNew':
    '{{file}} は新しいバージョンの Outcrop で作成されています（スキーマ {{fileVersion}}、このバージョンは {{maxVersion}} まで対応）。Outcrop を更新してから開いてください。ファイルは変更していません',
  'project.cannotOpen': '{{file}} を GeoPackage として開けません: {{detail}}',
  'project.notGeoPackage': '{{file}} は SQLite ファイルですが GeoPackage ではありません（application_id が "GPKG" ではありません）',
  'project.notOutcrop':
    '{{file}} は GeoPackage ですが Outcrop のプロジェクトではありません（outcrop_meta/deposits/surveys テーブルがありません）。プロジェクトにレイヤーとして読み込んでください',
  'coord.lonOutOfRange': '経度 {{value}} は −180〜180 の範囲外です',
  'coord.latOutOfRange': '緯度 {{value}} は −90〜90 の範囲外です',
  'coord.latOutOfRangeSwapped': '緯度 {{value}} は −90〜90 の範囲外です（経度と緯度が逆ではありませんか？ GeoJSON の順序は [経度, 緯度] です）',
  'geometry.outlineCrossesItself': '外周が {{at}} 付近で自己交差しています（8 の字形）',
  'geometry.holeOutside': 'リング {{ring}}（穴）がリング 0（外周）の外側にあります。穴は外周の内側に置いてください',
  'geometry.oneMoreOfKind': '… このジオメトリには、ほかに {{kind}} の問題が {{more}} 件あります（最初の {{cap}} 件のみ表示）',
  'geometry.moreOfKind': '… このジオメトリには、ほかに {{kind}} の問題が {{more}} 件あります（最初の {{cap}} 件のみ表示）',
};

/** `{'record.required': …}` → `{record: {required: …}}`, since i18next reads dots as nesting. */
function nest(table: Record<string, string>): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [code, text] of Object.entries(table)) {
    const [group, key] = code.split('.', 2);
    (out[group] ??= {})[key] = text;
  }
  return out;
}

export const PROBLEM_STRINGS = {
  en: { ...nest(PROBLEM_EN), where: { feature: 'feature {{index}}', line: 'line {{line}}' } },
  ja: { ...nest(PROBLEM_JA), where: { feature: '地物 {{index}}', line: '{{line}} 行目' } },
};
