import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface CodeOption {
  code: string;
  label: string;
  /** Other words that find this option (symbol, the other language's label). */
  search?: string;
}

export interface CodeChipsProps {
  id: string;
  value: readonly string[];
  options: readonly CodeOption[];
  onChange(next: string[]): void;
  invalid?: boolean;
  /** Default: "Type a name or symbol, then Enter". */
  placeholder?: string;
  /** Free text (agencies, countries): Enter adds what was typed even when no option matches. */
  allowFree?: boolean;
}

/**
 * A list of vocabulary codes as removable chips plus a type-ahead input: type a label, a code
 * or a symbol ("Nd", "ネオジム", "Neodymium") and press Enter or pick from the list.
 */
export function CodeChips({ id, value, options, onChange, invalid, placeholder, allowFree }: CodeChipsProps) {
  const { t } = useTranslation();
  const listId = useId();
  const [text, setText] = useState('');
  const byCode = new Map(options.map((o) => [o.code, o]));

  const find = (s: string): CodeOption | undefined => {
    const q = s.trim().toLowerCase();
    if (!q) return undefined;
    return (
      options.find((o) => o.code.toLowerCase() === q || o.label.toLowerCase() === q) ??
      options.find((o) => `${o.label} (${o.code})`.toLowerCase() === q) ??
      options.find((o) => o.search?.toLowerCase().split('|').includes(q))
    );
  };
  const add = (s: string): boolean => {
    const o = find(s) ?? (allowFree && s.trim() ? { code: s.trim(), label: s.trim() } : undefined);
    if (!o) return false;
    if (!value.includes(o.code)) onChange([...value, o.code]);
    setText('');
    return true;
  };

  return (
    <div className={`chips${invalid ? ' invalid' : ''}`}>
      {value.map((c) => (
        <span key={c} className="chip" data-code={c}>
          {byCode.get(c)?.label ?? c}
          <button type="button" aria-label={t('edit.removeCode', { label: byCode.get(c)?.label ?? c })} onClick={() => onChange(value.filter((x) => x !== c))}>
            ×
          </button>
        </span>
      ))}
      <input
        id={id}
        list={listId}
        value={text}
        placeholder={placeholder ?? t('edit.addCode')}
        aria-invalid={invalid || undefined}
        onChange={(e) => {
          const v = e.target.value;
          // Picking from the datalist puts the whole option text in at once; typing "C" on the
          // way to "Cu" must not add carbon.
          const picked = options.find((o) => `${o.label} (${o.code})` === v);
          if (picked) add(picked.code);
          else setText(v);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            add(text);
          } else if (e.key === 'Backspace' && !text && value.length) onChange(value.slice(0, -1));
        }}
      />
      <datalist id={listId}>
        {options.map((o) => (
          <option key={o.code} value={`${o.label} (${o.code})`} />
        ))}
      </datalist>
    </div>
  );
}
