import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESOURCES } from '../../../renderer/i18n';
import { isI18nextOption } from '../../../renderer/problem-text';
import { PROBLEM_EN as CORE_MESSAGES } from '../../../src/messages/en';

const ROOT = resolve(__dirname, '../../..');

function leaves(o: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
    else out.set(key, String(v));
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(e) ? [p] : [];
  });
}

describe('UI strings', () => {
  const en = leaves(RESOURCES.en.translation);
  const ja = leaves(RESOURCES.ja.translation);

  it('Japanese has every English key and no other, none empty', () => {
    expect([...ja.keys()].sort()).toEqual([...en.keys()].sort());
    expect([...ja].filter(([, v]) => !v.trim())).toEqual([]);
  });

  it('Japanese strings are translated (not the English text), apart from names and symbols', () => {
    // The product name and example file paths read the same in both languages.
    const universal = (k: string, v: string) => k === 'app.title' || v.startsWith('/');
    const same = [...en].filter(([k, v]) => ja.get(k) === v && !universal(k, v) && /[a-z]{3,}/.test(v.replace(/\{\{[^}]+\}\}/g, '')));
    expect(same.map(([k]) => k)).toEqual([]);
  });

  it('keeps the same {{placeholders}} in both languages', () => {
    const ph = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
    const bad = [...en].filter(([k, v]) => JSON.stringify(ph(v)) !== JSON.stringify(ph(ja.get(k) ?? '')));
    expect(bad.map(([k]) => k)).toEqual([]);
  });

  it('no placeholder is one of the options i18next reads from the same object (a {{lng}} value would switch the language and crash)', () => {
    // t(key, params) takes these from params as options, not as values to interpolate; `count`
    // is meant (plural forms). A problem's params come from the core's messages (src/messages/en.ts).
    const bad = [...en, ...Object.entries(CORE_MESSAGES)].filter(([, v]) => [...String(v).matchAll(/\{\{\s*(\w+)\s*\}\}/g)].some((m) => isI18nextOption(m[1])));
    expect(bad.map(([k]) => k)).toEqual([]);
  });

  it('every literal key the renderer asks for exists', () => {
    const missing: string[] = [];
    for (const file of sources(join(ROOT, 'renderer'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) if (!en.has(m[1]) && !en.has(`${m[1]}_other`) && ![...en.keys()].some((k) => k.startsWith(`${m[1]}.`))) missing.push(`${file.slice(ROOT.length + 1)}: ${m[1]}`);
    }
    expect(missing).toEqual([]);
  });
});
