import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, ConflictItem, OutcropApi, ProjectInfo } from '../../src/api/contract';
import type { Lang } from '../i18n';
import { conflictCenter, conflictOverlays, OURS_COLOR, THEIRS_COLOR } from '../map/conflict-overlays';
import type { MapOverlay } from '../map/overlays';
import { editableText, formatConflictValue } from './conflict-format';
import { ProblemList } from './ProblemList';
import './exchange.css';

export interface ConflictsPanelProps {
  api: OutcropApi;
  /** Open conflicts (renderer/state/use-conflicts.ts). */
  conflicts: ConflictItem[];
  resolvedCount: number;
  /** The map's zoom: their point's dashed ring keeps its size on screen. */
  zoom: number;
  onOverlays(overlays: MapOverlay[]): void;
  onFocus(center: [number, number]): void;
  /** A conflict was resolved: the new project state (the list, map and table refresh from it). */
  onResolved(project: ProjectInfo): void;
  onClose(): void;
}

/** Merge conflicts record by record: ours, theirs and the value before side by side, both versions on the map, resolve by choosing or editing. */
export function ConflictsPanel({ api, conflicts, resolvedCount, zoom, onOverlays, onFocus, onResolved, onClose }: ConflictsPanelProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [featureId, setFeatureId] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  // One entry per record, its conflicting fields together.
  const records = useMemo(() => {
    const m = new Map<string, ConflictItem[]>();
    for (const c of conflicts) m.set(c.featureId, [...(m.get(c.featureId) ?? []), c]);
    return [...m.values()];
  }, [conflicts]);
  const current = records.find((r) => r[0].featureId === featureId) ?? records[0] ?? null;

  useEffect(() => {
    onOverlays(conflictOverlays(current?.[0] ?? null, zoom));
  }, [current, zoom]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => () => onOverlays([]), []); // eslint-disable-line react-hooks/exhaustive-deps
  // Look at the record when it becomes the current one.
  const currentId = current?.[0].featureId ?? null;
  useEffect(() => {
    const at = current ? conflictCenter(current[0]) : null;
    if (at) onFocus(at);
  }, [currentId]); // eslint-disable-line react-hooks/exhaustive-deps

  const who = (c: ConflictItem) => [c.from.team, c.from.agency].filter(Boolean).join(' · ') || c.from.replica || '?';
  return (
    <section className="conflicts-panel" data-testid="conflicts-panel">
      <header>
        <h2>
          {t('exchange.panel.title')} {conflicts.length ? <span className="badge">{conflicts.length}</span> : null}
        </h2>
        <button type="button" className="close" onClick={onClose} aria-label={t('exchange.close')} data-testid="conflicts-close">
          ×
        </button>
      </header>
      {message ? (
        <p className="success" data-testid="conflict-resolved-message">
          {message}
        </p>
      ) : null}
      {!records.length ? <p className="hint" data-testid="conflicts-none">{t('exchange.panel.none')}</p> : null}
      {records.length ? (
        <>
          <p className="legend-line">
            <span className="key ours" style={{ borderColor: OURS_COLOR, background: OURS_COLOR }} /> {t('exchange.panel.legendOurs')}
            <span className="key theirs" style={{ borderColor: THEIRS_COLOR }} /> {t('exchange.panel.legendTheirs')}
          </p>
          <ul className="conflict-records" data-testid="conflict-records">
            {records.map((r) => (
              <li key={r[0].featureId}>
                <button
                  type="button"
                  className="link"
                  aria-pressed={r === current}
                  data-testid="conflict-record"
                  onClick={() => {
                    setFeatureId(r[0].featureId);
                    const at = conflictCenter(r[0]);
                    if (at) onFocus(at);
                  }}
                >
                  <span className="name">{r[0].name}</span>
                  <span className="fields">{r.map((c) => c.field ?? t('exchange.wholeRecord')).join(', ')}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {current ? (
        <div className="conflict-record" data-testid="conflict-detail">
          <h3>{current[0].name}</h3>
          <p className="hint">
            {t('exchange.panel.fromTeam', { who: who(current[0]) })}
            {current[0].mergedAt ? ` · ${t('exchange.panel.mergedAt', { at: new Date(current[0].mergedAt).toLocaleString(i18n.language) })}` : ''}
          </p>
          {current.map((c) => (
            <ConflictCard
              key={c.conflictId}
              api={api}
              conflict={c}
              lang={lang}
              theirs={who(c)}
              onResolved={(p) => {
                setMessage(t('exchange.panel.resolvedOk', { field: c.field ?? t('exchange.wholeRecord'), name: c.name }));
                onResolved(p);
              }}
            />
          ))}
        </div>
      ) : null}
      {resolvedCount ? <p className="hint">{t('exchange.panel.resolved', { count: resolvedCount })}</p> : null}
    </section>
  );
}

function ConflictCard({ api, conflict: c, lang, theirs, onResolved }: { api: OutcropApi; conflict: ConflictItem; lang: Lang; theirs: string; onResolved(p: ProjectInfo): void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [edit, setEdit] = useState<{ text: string; json: boolean } | null>(null);
  const byField = c.kind === 'field' || c.kind === 'insert-insert';
  const show = (v: unknown) => (byField ? formatConflictValue(c.layer, c.field, v, lang, t('exchange.empty')) : v ? t('exchange.wholeRecord') : t('exchange.deletedValue'));

  const resolve = async (req: { take: 'ours' | 'theirs' } | { value: unknown }) => {
    setBusy(true);
    setError(null);
    const r = await api.call('exchange.resolve', { conflictId: c.conflictId, ...req } as never);
    setBusy(false);
    if (!r.ok) setError(r.error);
    else onResolved(r.value.project);
  };
  const saveEdit = () => {
    if (!edit) return;
    if (!edit.json) return void resolve({ value: edit.text === '' ? null : edit.text });
    try {
      void resolve({ value: edit.text.trim() === '' ? null : JSON.parse(edit.text) });
    } catch (e) {
      setError({ code: 'USAGE', message: t('exchange.panel.badJson', { message: e instanceof Error ? e.message : String(e) }) });
    }
  };

  return (
    <div className="conflict-card" data-testid="conflict-card" data-field={c.field ?? c.kind}>
      <div className="conflict-field">
        <strong>{c.field ?? t('exchange.wholeRecord')}</strong> <span className="hint">{t(`exchange.kinds.${c.kind}`)}</span>
      </div>
      <div className="side-by-side">
        <div className="side ours" data-testid="conflict-ours">
          <span className="label" style={{ color: OURS_COLOR }}>{t('exchange.ours')}</span>
          <span className="value">{show(c.ours)}</span>
        </div>
        <div className="side theirs" data-testid="conflict-theirs">
          <span className="label" style={{ color: THEIRS_COLOR }} title={theirs}>
            {t('exchange.theirs')}
          </span>
          <span className="value">{show(c.theirs)}</span>
        </div>
        <div className="side base" data-testid="conflict-base">
          <span className="label">{t('exchange.base')}</span>
          <span className="value">{show(c.base)}</span>
        </div>
      </div>
      {edit ? (
        <form
          className="conflict-edit"
          onSubmit={(e) => {
            e.preventDefault();
            saveEdit();
          }}
        >
          <label className="field">
            <span>{t('exchange.panel.editLabel')}</span>
            {edit.json || edit.text.length > 60 ? (
              <textarea data-testid="conflict-edit-value" rows={3} value={edit.text} onChange={(e) => setEdit({ ...edit, text: e.target.value })} />
            ) : (
              <input type="text" data-testid="conflict-edit-value" value={edit.text} onChange={(e) => setEdit({ ...edit, text: e.target.value })} />
            )}
          </label>
          {edit.json ? <p className="hint">{t('exchange.panel.editJsonHint')}</p> : null}
          <div className="actions">
            <button type="submit" className="primary" data-testid="conflict-edit-save" disabled={busy}>
              {t('exchange.panel.save')}
            </button>
            <button type="button" onClick={() => setEdit(null)} disabled={busy}>
              {t('exchange.panel.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <div className="actions">
          <button type="button" data-testid="conflict-keep-ours" disabled={busy} onClick={() => void resolve({ take: 'ours' })}>
            {t('exchange.panel.keepOurs')}
          </button>
          <button type="button" data-testid="conflict-take-theirs" disabled={busy} onClick={() => void resolve({ take: 'theirs' })}>
            {t('exchange.panel.takeTheirs')}
          </button>
          {byField ? (
            <button type="button" data-testid="conflict-edit" disabled={busy} onClick={() => setEdit(editableText(c.ours, c.theirs))}>
              {t('exchange.panel.edit')}
            </button>
          ) : null}
        </div>
      )}
      {error ? <ProblemList error={error} prefix="exchange.failed" /> : null}
    </div>
  );
}
