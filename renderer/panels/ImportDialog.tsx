import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, ApiLayer, JobEvent, OutcropApi, ProjectInfo } from '../../src/api/contract';
import { JobProgress } from './JobProgress';
import { ProblemList } from './ProblemList';

export interface ImportDialogProps {
  api: OutcropApi;
  /** Electron: a native file dialog; web: the user types a path on the host machine. */
  dialogs: boolean;
  jobEvents: ReadonlyMap<string, JobEvent>;
  onClose(): void;
  /** The import finished: the project as it is now (counts, data version, undo). */
  onImported(project: ProjectInfo): void;
}

interface ImportResult {
  written: { deposits: number; surveys: number };
  rejected?: number;
  project?: ProjectInfo;
}

/** Import a GeoJSON or CSV file: layer, skip-invalid, progress with Cancel, every problem. */
export function ImportDialog({ api, dialogs, jobEvents, onClose, onImported }: ImportDialogProps) {
  const { t } = useTranslation();
  const [path, setPath] = useState('');
  const [layer, setLayer] = useState<'' | ApiLayer>('');
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [startError, setStartError] = useState<ApiError | null>(null);
  const [reported, setReported] = useState<string | null>(null);

  const event = jobId ? jobEvents.get(jobId) : undefined;
  const running = !!jobId && (!event || event.type === 'progress');
  // Tell the app once per finished import (in an effect: never set another component's state while rendering).
  useEffect(() => {
    if (event?.type !== 'done' || reported === jobId) return;
    setReported(jobId);
    const project = (event.result as ImportResult).project;
    if (project) onImported(project);
  }, [event, jobId, reported, onImported]);

  const start = async () => {
    setStartError(null);
    setJobId(null);
    const r = await api.call('jobs.import', { ...(dialogs ? {} : { path: path.trim() }), ...(layer ? { layer } : {}), skipInvalid });
    if (!r.ok) setStartError(r.error);
    else if (r.value) setJobId(r.value.jobId);
  };
  const error = startError ?? (event?.type === 'error' ? event.error : null);
  const result = event?.type === 'done' ? (event.result as ImportResult) : null;

  return (
    <div className="dialog-backdrop">
      <section className="dialog" role="dialog" aria-labelledby="import-title" data-testid="import-dialog">
        <h2 id="import-title">{t('importDialog.title')}</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          {dialogs ? null : (
            <label className="field">
              <span>{t('importDialog.path')}</span>
              <input
                data-testid="import-path"
                type="text"
                value={path}
                spellCheck={false}
                placeholder={t('importDialog.pathPlaceholder')}
                onChange={(e) => setPath(e.target.value)}
                disabled={running}
              />
            </label>
          )}
          <label className="field">
            <span>{t('importDialog.layer')}</span>
            <select data-testid="import-layer" value={layer} onChange={(e) => setLayer(e.target.value as '' | ApiLayer)} disabled={running}>
              <option value="">{t('importDialog.layerAuto')}</option>
              <option value="deposits">{t('importDialog.layerDeposits')}</option>
              <option value="surveys">{t('importDialog.layerSurveys')}</option>
            </select>
          </label>
          <label className="check">
            <input data-testid="import-skip-invalid" type="checkbox" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} disabled={running} />
            <span>{t('importDialog.skipInvalid')}</span>
          </label>
          <div className="dialog-actions">
            <button type="submit" data-testid="import-start" disabled={running || (!dialogs && !path.trim())}>
              {dialogs ? t('importDialog.choose') : t('importDialog.start')}
            </button>
            <button type="button" data-testid="import-close" onClick={onClose} disabled={running}>
              {t('job.close')}
            </button>
          </div>
        </form>
        {running ? <JobProgress event={event} onCancel={() => void api.call('jobs.cancel', { jobId: jobId! })} /> : null}
        {event?.type === 'cancelled' ? (
          <p className="notice" data-testid="job-cancelled">
            {t('job.cancelled')}
          </p>
        ) : null}
        {error ? <ProblemList error={error} prefix="importDialog.failed" /> : null}
        {result ? (
          <p className="success" data-testid="import-done">
            {t('importDialog.done', { deposits: result.written.deposits.toLocaleString(), surveys: result.written.surveys.toLocaleString() })}
            {result.rejected ? ` · ${t('importDialog.rejected', { count: result.rejected })}` : ''}
          </p>
        ) : null}
      </section>
    </div>
  );
}
