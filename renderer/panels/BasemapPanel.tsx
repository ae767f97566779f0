import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, BasemapInfo, OutcropApi } from '../../src/api/contract';
import { errorText } from '../problem-text';

export interface BasemapPanelProps {
  api: OutcropApi;
  /** Electron: a native dialog picks the file; web: the user types its path. */
  dialogs: boolean;
  basemaps: readonly BasemapInfo[];
  hidden: ReadonlySet<string>;
  onChange(list: BasemapInfo[]): void;
  onToggle(id: string, visible: boolean): void;
}

/** The user's own offline basemaps (local MBTiles/PMTiles): add, show/hide, remove. */
export function BasemapPanel({ api, dialogs, basemaps, hidden, onChange, onToggle }: BasemapPanelProps) {
  const { t, i18n } = useTranslation();
  const [path, setPath] = useState('');
  const [error, setError] = useState<ApiError | null>(null);

  const add = async () => {
    setError(null);
    const r = await api.call('basemaps.add', dialogs && !path ? {} : { path });
    if (!r.ok) return setError(r.error);
    if (!r.value) return;
    setPath('');
    const list = await api.call('basemaps.list', {});
    if (list.ok) onChange(list.value);
  };
  const remove = async (id: string) => {
    const r = await api.call('basemaps.remove', { id });
    if (r.ok) onChange(r.value);
    else setError(r.error);
  };

  return (
    <section className="basemaps" data-testid="basemaps">
      <h2>{t('basemap.title')}</h2>
      <p className="hint">{t('basemap.builtIn')}</p>
      <ul>
        {basemaps.map((b) => (
          <li key={b.id} data-testid="basemap-item">
            <label title={b.path}>
              <input type="checkbox" checked={!hidden.has(b.id)} disabled={!b.tiles} onChange={(e) => onToggle(b.id, e.target.checked)} aria-label={t('basemap.show', { name: b.name })} />
              <span className="name">{b.name}</span>
              {b.format ? <span className="hint"> {b.format.toUpperCase()} · {t('basemap.zooms', { min: b.minzoom, max: b.maxzoom })}</span> : null}
            </label>
            <button type="button" className="link" onClick={() => void remove(b.id)} aria-label={t('basemap.remove', { name: b.name })}>
              ×
            </button>
            {b.error ? <p className="field-problem">{t('basemap.missing', { message: errorText(t, { message: b.error, key: b.errorKey, params: b.errorParams }, i18n.language) })}</p> : null}
            {b.format === 'pbf' && !b.vectorLayers.length ? <p className="field-problem">{t('basemap.noLayers')}</p> : null}
          </li>
        ))}
      </ul>
      <form
        className="basemap-add"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        {!dialogs ? (
          <input
            type="text"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder={t('basemap.pathPlaceholder')}
            aria-label={t('basemap.pathLabel')}
            data-testid="basemap-path"
          />
        ) : null}
        <button type="submit" disabled={!dialogs && !path.trim()} data-testid="basemap-add">
          {dialogs ? t('basemap.add') : t('basemap.addPath')}
        </button>
      </form>
      {error ? (
        <p className="field-problem" role="alert" data-testid="basemap-error">
          {errorText(t, error, i18n.language)}
        </p>
      ) : null}
    </section>
  );
}
