import { useTranslation } from 'react-i18next';
import type { QueryHit, QueryResult } from '../../src/api/contract';
import { pickKind, type QueryMode } from './query.tool';

export interface QueryToolsProps {
  mode: QueryMode | null;
  onMode(mode: QueryMode | null): void;
  km: number;
  k: number;
  onParams(p: { km: number; k: number }): void;
  result: QueryResult | null;
  onHit(hit: QueryHit): void;
  onClear(): void;
  onExport(): void;
}

const MODES: QueryMode[] = ['near', 'nearest', 'survey', 'rect', 'area'];
const HINT = { point: 'query.hintPoint', survey: 'query.hintSurvey', rect: 'query.hintRect', area: 'query.hintArea' } as const;

/** Near / Nearest / In survey / In rectangle: the mode, its parameter, and the hits (clickable). */
export function QueryTools({ mode, onMode, km, k, onParams, result, onHit, onClear, onExport }: QueryToolsProps) {
  const { t } = useTranslation();
  return (
    <section className="query-tools" data-testid="query-tools">
      <h2>{t('query.title')}</h2>
      <div className="mode-buttons" role="group">
        {MODES.map((m) => (
          <button key={m} type="button" data-testid={`query-mode-${m}`} aria-pressed={mode === m} onClick={() => onMode(mode === m ? null : m)}>
            {t(`query.${m}`)}
          </button>
        ))}
      </div>
      {mode === 'near' ? (
        <label className="field inline">
          <span>{t('query.km')}</span>
          <input data-testid="query-km" type="number" min={0} max={20000} step="any" value={km} onChange={(e) => onParams({ km: Math.max(0, Number(e.target.value) || 0), k })} />
        </label>
      ) : null}
      {mode === 'nearest' ? (
        <label className="field inline">
          <span>{t('query.k')}</span>
          <input data-testid="query-k" type="number" min={1} max={10000} step={1} value={k} onChange={(e) => onParams({ km, k: Math.max(1, Math.round(Number(e.target.value) || 1)) })} />
        </label>
      ) : null}
      {mode ? <p className="hint">{t(HINT[pickKind(mode)])}</p> : null}
      {result ? (
        <>
          <div className="query-summary">
            <span data-testid="query-count">{t('query.results', { count: result.count, formatted: result.count.toLocaleString() })}</span>
            <button type="button" data-testid="query-export" disabled={!result.hits.length} onClick={onExport}>
              {t('query.export')}
            </button>
            <button type="button" data-testid="query-clear" onClick={onClear}>
              {t('query.clear')}
            </button>
          </div>
          <ol className="query-hits" data-testid="query-hits">
            {result.hits.slice(0, 500).map((h) => (
              <li key={h.id}>
                <button type="button" className="link" data-testid="query-hit" onClick={() => onHit(h)}>
                  <span className="name">{h.name}</span>
                  {h.distanceKm !== undefined ? <span className="distance" data-testid="query-hit-distance">{t('query.distance', { km: h.distanceKm.toFixed(1) })}</span> : null}
                </button>
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}
