import type { TFunction } from 'i18next';

/**
 * The core names operations in English ("Add deposit Mountain Pass", "Import x.geojson"): the
 * undo/redo buttons show them in the UI's language. Names and file names stay as they are;
 * a label of a kind not listed here is shown as the core wrote it.
 */
const RULES: [RegExp, string, (m: RegExpMatchArray) => Record<string, string>][] = [
  [/^Import reference layer (.+) from (.+)$/s, 'opLabel.importReference', (m) => ({ name: m[1], file: m[2] })],
  [/^Delete reference layer (.+)$/s, 'opLabel.deleteReference', (m) => ({ name: m[1] })],
  [/^Delete (\d+) reference layers$/, 'opLabel.deleteReferences', (m) => ({ count: m[1] })],
  [/^Import (.+)$/s, 'opLabel.import', (m) => ({ file: m[1] })],
  [/^Add deposit (.+)$/s, 'opLabel.addDeposit', (m) => ({ name: m[1] })],
  [/^Edit deposit (.+)$/s, 'opLabel.editDeposit', (m) => ({ name: m[1] })],
  [/^Add survey (.+)$/s, 'opLabel.addSurvey', (m) => ({ name: m[1] })],
  [/^Edit survey (.+)$/s, 'opLabel.editSurvey', (m) => ({ name: m[1] })],
  [/^Delete deposit$/, 'opLabel.deleteDeposit', () => ({})],
  [/^Delete survey$/, 'opLabel.deleteSurvey', () => ({})],
  [/^Delete (\d+) deposits$/, 'opLabel.deleteDeposits', (m) => ({ count: m[1] })],
  [/^Delete (\d+) surveys$/, 'opLabel.deleteSurveys', (m) => ({ count: m[1] })],
  [/^Merge (.+) from (.+)$/s, 'opLabel.mergeFrom', (m) => ({ file: m[1], team: m[2] })],
  [/^Merge (.+)$/s, 'opLabel.merge', (m) => ({ file: m[1] })],
  [/^Resolve conflict on (.+)$/s, 'opLabel.resolve', (m) => ({ what: m[1] })],
];

export function opLabel(label: string, t: TFunction): string {
  for (const [re, key, args] of RULES) {
    const m = label.match(re);
    if (m) return t(key, { ...args(m), interpolation: { escapeValue: false } });
  }
  return label;
}
