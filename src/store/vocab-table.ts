import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { COMMODITIES } from '../model/vocab/commodities';
import { DEPOSIT_TYPES } from '../model/vocab/deposit-types';
import { DEV_STATUSES } from '../model/vocab/statuses';
import { SURVEY_METHODS, SURVEY_STATUSES } from '../model/vocab/survey';

interface Row {
  kind: string;
  code: string;
  en: string;
  ja: string;
  extra: string;
}

function vocabRows(): Row[] {
  const rows: Row[] = [];
  for (const c of COMMODITIES as readonly any[]) {
    rows.push({
      kind: 'commodity',
      code: c.code,
      en: c.en,
      ja: c.ja,
      extra: JSON.stringify({ symbol: c.symbol ?? null, group: c.group ?? null, criticalUS: c.criticalUS, criticalJP: c.criticalJP }),
    });
  }
  for (const t of DEPOSIT_TYPES as readonly any[]) rows.push({ kind: 'deposit_type', code: t.code, en: t.en, ja: t.ja, extra: '{}' });
  for (const s of DEV_STATUSES) rows.push({ kind: 'status', code: s.code, en: s.en, ja: s.ja, extra: '{}' });
  for (const m of SURVEY_METHODS as readonly any[]) rows.push({ kind: 'survey_method', code: m.code, en: m.en, ja: m.ja, extra: '{}' });
  for (const s of SURVEY_STATUSES as readonly any[]) rows.push({ kind: 'survey_status', code: s.code, en: s.en, ja: s.ja, extra: '{}' });
  return rows;
}

/**
 * Keep `outcrop_vocab` equal to this version's vocabularies, so that the file explains its own
 * codes to QGIS users and other tools (English and Japanese labels). Rewritten in one
 * transaction only when the vocabularies changed (hash in outcrop_meta).
 */
export function syncVocabTable(db: Database.Database): void {
  const rows = vocabRows();
  const hash = createHash('sha256').update(JSON.stringify(rows)).digest('hex');
  const current = db.prepare(`SELECT value FROM outcrop_meta WHERE key = 'vocab_hash'`).get() as { value: string } | undefined;
  if (current?.value === hash) return;
  db.transaction(() => {
    db.prepare('DELETE FROM outcrop_vocab').run();
    const ins = db.prepare('INSERT INTO outcrop_vocab (kind, code, label_en, label_ja, extra) VALUES (?, ?, ?, ?, ?)');
    for (const r of rows) ins.run(r.kind, r.code, r.en, r.ja, r.extra);
    db.prepare(`INSERT INTO outcrop_meta (key, value) VALUES ('vocab_hash', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(hash);
  }).immediate();
}
