import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The dependency rule (../shared/STYLE.md §2): src/ is the Node core and never imports electron,
// react, maplibre or DOM code; renderer/ reaches the core only through src/api/contract and the
// pure vocabularies; src/api/contract itself stays browser-safe.
const ROOT = resolve(__dirname, '../..');

function files(dir: string, exts = /\.(ts|tsx|mts)$/): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(files(p, exts));
    else if (exts.test(e) && !e.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
}

describe('architecture', () => {
  it('src/ never imports electron, react, maplibre or the DOM', () => {
    const bad: string[] = [];
    for (const f of files(join(ROOT, 'src'))) {
      for (const i of imports(f)) {
        if (/^(electron|react|react-dom|maplibre-gl|terra-draw)(\/|$)/.test(i)) bad.push(`${relative(ROOT, f)} imports ${i}`);
        if (i.includes('renderer/') || i.includes('electron/')) bad.push(`${relative(ROOT, f)} imports ${i}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('renderer/ imports no Node built-ins or native modules, and only src/api/contract, src/model/vocab and src/messages/en from the core', () => {
    const bad: string[] = [];
    for (const f of files(join(ROOT, 'renderer'))) {
      for (const i of imports(f)) {
        if (/^(node:|fs$|path$|child_process$|better-sqlite3$|electron$|os$)/.test(i)) bad.push(`${relative(ROOT, f)} imports ${i}`);
        // src/messages/en.ts is the core's English problem templates: pure data (checked below).
        if (/\/src\//.test(i) && !/\/src\/(api\/contract|model\/vocab|messages\/en)/.test(i)) bad.push(`${relative(ROOT, f)} imports ${i}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the message templates the renderer reads import nothing', () => {
    expect(imports(join(ROOT, 'src/messages/en.ts'))).toEqual([]);
  });

  it('the API contract is browser-safe (types from the core only), and so is every module it loads at run time', () => {
    // The contract and the sibling modules it imports values from (e.g. ./analysis-contract), followed transitively.
    const seen = new Set<string>();
    const check = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const line of text.split('\n').filter((l) => /^import /.test(l))) {
        if (/from '\.\.\//.test(line)) expect(line, `${relative(ROOT, file)}: ${line}`).toMatch(/^import type /);
        expect(line, `${relative(ROOT, file)}: ${line}`).not.toMatch(/node:|better-sqlite3/);
        const sibling = /^import (?!type )[^']*from '(\.\/[^']+)'/.exec(line);
        if (sibling) check(join(dirname(file), `${sibling[1]}.ts`));
      }
    };
    check(join(ROOT, 'src/api/contract.ts'));
    expect([...seen].map((f) => relative(ROOT, f))).toContain('src/api/analysis-contract.ts');
  });
});
