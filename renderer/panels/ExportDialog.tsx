import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, ApiFilter, ApiLayer, JobEvent, OutcropApi } from '../../src/api/contract';
import { JobProgress } from './JobProgress';
import { ProblemList } from './ProblemList';

export interface ExportDialogProps {
  api: OutcropApi;
  dialogs: boolean;
  jobEvents: ReadonlyMap<string, JobEvent>;
  /** The feature table's current filters (deposits), if any. */
  filter: ApiFilter | null;
  /** Ids of the current query result, if any. */
  queryIds: string[] | null;
  initialFormat?: ExportFormat;
  initialScope?: Scope;
  onClose(): void;
}

type Scope = 'all' | 'filter' | 'query';
type ExportFormat = 'geojson' | 'csv' | 'gpkg';
const FORMAT_NAMES: Record<ExportFormat, string> = { geojson: 'GeoJSON', csv: 'CSV', gpkg: 'GeoPackage' };

/** Export GeoJSON, CSV or GeoPackage (CSV and GeoPackage in any supported CRS): layers, everything / the table's filters / the query result; progress, Cancel, download. */
export function ExportDialog({ api, dialogs, jobEvents, filter, queryIds, initialFormat, initialScope, onClose }: ExportDialogProps) {
  const { t } = useTranslation();
  const [format, setFormat] = useState<ExportFormat>(initialFormat ?? 'geojson');
  const [crs, setCrs] = useState('');
  const [layers, setLayers] = useState<ApiLayer[]>(['deposits', 'surveys']);
  const [scope, setScope] = useState<Scope>(initialScope ?? 'all');
  const [jobId, setJobId] = useState<string | null>(null);
  const [startError, setStartError] = useState<ApiError | null>(null);
  const event = jobId ? jobEvents.get(jobId) : undefined;
  const running = !!jobId && (!event || event.type === 'progress');

  const toggle = (l: ApiLayer) => setLayers((ls) => (ls.includes(l) ? ls.filter((x) => x !== l) : [...ls, l]));
  const start = async () => {
    setStartError(null);
    setJobId(null);
    const target = format !== 'geojson' && crs.trim() ? { crs: crs.trim() } : {};
    const req =
      scope === 'query' && queryIds
        ? { format, layers: ['deposits' as const], ids: queryIds, ...target }
        : scope === 'filter' && filter
          ? { format, layers, filter, ...target }
          : { format, layers, ...target };
    const r = await api.call('jobs.export', req);
    if (!r.ok) setStartError(r.error);
    else if (r.value) setJobId(r.value.jobId);
  };
  const error = startError ?? (event?.type === 'error' ? event.error : null);
  const done = event?.type === 'done' ? event : null;
  const count = done ? Number((done.result as { count?: number }).count ?? 0) : 0;

  return (
    <div className="dialog-backdrop">
      <section className="dialog" role="dialog" aria-labelledby="export-title" data-testid="export-dialog">
        <h2 id="export-title">{t('exportDialog.title')}</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          <fieldset disabled={running}>
            <legend>{t('exportDialog.format')}</legend>
            {(['geojson', 'csv', 'gpkg'] as const).map((f) => (
              <label key={f} className="check">
                <input type="radio" name="format" data-testid={`export-format-${f}`} checked={format === f} onChange={() => setFormat(f)} />
                <span>{FORMAT_NAMES[f]}</span>
              </label>
            ))}
          </fieldset>
          <label className="field">
            <span>{t('exportCrs.label')}</span>
            <input
              data-testid="export-crs"
              type="text"
              value={format === 'geojson' ? '' : crs}
              placeholder={format === 'geojson' ? t('exportCrs.geojsonOnly') : t('exportCrs.wgs84')}
              disabled={running || format === 'geojson'}
              spellCheck={false}
              onChange={(e) => setCrs(e.target.value)}
            />
            {format !== 'geojson' ? <small className="hint">{t('exportCrs.hint')}</small> : null}
          </label>
          <fieldset disabled={running || scope === 'query'}>
            <legend>{t('exportDialog.layers')}</legend>
            {(['deposits', 'surveys'] as const).map((l) => (
              <label key={l} className="check">
                <input type="checkbox" data-testid={`export-layer-${l}`} checked={layers.includes(l)} onChange={() => toggle(l)} />
                <span>{t(l === 'deposits' ? 'importDialog.layerDeposits' : 'importDialog.layerSurveys')}</span>
              </label>
            ))}
          </fieldset>
          <fieldset disabled={running}>
            <legend>{t('exportDialog.scope')}</legend>
            <label className="check">
              <input type="radio" name="scope" data-testid="export-scope-all" checked={scope === 'all'} onChange={() => setScope('all')} />
              <span>{t('exportDialog.scopeAll')}</span>
            </label>
            <label className="check">
              <input type="radio" name="scope" data-testid="export-scope-filter" checked={scope === 'filter'} disabled={!filter} onChange={() => setScope('filter')} />
              <span>{t('exportDialog.scopeFilter')}</span>
            </label>
            <label className="check">
              <input type="radio" name="scope" data-testid="export-scope-query" checked={scope === 'query'} disabled={!queryIds?.length} onChange={() => setScope('query')} />
              <span>{t('exportDialog.scopeQuery', { count: queryIds?.length ?? 0 })}</span>
            </label>
          </fieldset>
          <div className="dialog-actions">
            <button type="submit" data-testid="export-start" disabled={running || (scope !== 'query' && layers.length === 0)}>
              {t('exportDialog.start')}
            </button>
            <button type="button" data-testid="export-close" onClick={onClose} disabled={running}>
              {t('job.close')}
            </button>
          </div>
        </form>
        {running ? <JobProgress event={event} onCancel={() => void api.call('jobs.cancel', { jobId: jobId! })} /> : null}
        {event?.type === 'cancelled' ? <p className="notice" data-testid="job-cancelled">{t('job.cancelled')}</p> : null}
        {error ? <ProblemList error={error} prefix="exportDialog.failed" /> : null}
        {done ? (
          <p className="success" data-testid="export-done">
            {t('exportDialog.done', { count: count.toLocaleString() })}
            {!dialogs && done.downloadUrl ? (
              <>
                {' · '}
                <a href={done.downloadUrl} download data-testid="export-download">
                  {t('exportDialog.download')}
                </a>
              </>
            ) : null}
          </p>
        ) : null}
      </section>
    </div>
  );
}
