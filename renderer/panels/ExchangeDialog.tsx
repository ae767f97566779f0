import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, ExchangeIdentity, ExchangeStatus, JobEvent, MergePreview, OutcropApi, ProjectInfo } from '../../src/api/contract';
import type { Lang } from '../i18n';
import { formatConflictValue } from './conflict-format';
import { JobProgress } from './JobProgress';
import { ProblemList } from './ProblemList';
import './exchange.css';

export type ExchangeTab = 'export' | 'merge';

export interface ExchangeDialogProps {
  api: OutcropApi;
  /** Native dialogs (Electron) pick files; the web host takes typed paths and offers downloads. */
  dialogs: boolean;
  jobEvents: ReadonlyMap<string, JobEvent>;
  initialTab?: ExchangeTab;
  onClose(): void;
  /** A merge finished: the new project state (map, table and conflicts refresh). */
  onMerged(project: ProjectInfo): void;
  onShowConflicts(): void;
}

const IDENTITY_KEYS = ['team', 'agency', 'country', 'observer', 'device'] as const;
type IdentityForm = Record<(typeof IDENTITY_KEYS)[number], string>;

/** Export an exchange package of this team's work, or merge another team's after a preview of what will change. */
export function ExchangeDialog({ api, dialogs, jobEvents, initialTab = 'export', onClose, onMerged, onShowConflicts }: ExchangeDialogProps) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<ExchangeTab>(initialTab);
  const [jobId, setJobId] = useState<string | null>(null);
  const event = jobId ? jobEvents.get(jobId) : undefined;
  const running = !!jobId && (!event || event.type === 'progress');
  return (
    <div className="dialog-backdrop">
      <section className="dialog exchange-dialog" role="dialog" aria-labelledby="exchange-title" data-testid="exchange-dialog">
        <h2 id="exchange-title">{t('exchange.title')}</h2>
        <div className="tabs" role="tablist">
          {(['export', 'merge'] as const).map((k) => (
            <button
              key={k}
              type="button"
              role="tab"
              aria-selected={tab === k}
              data-testid={`exchange-tab-${k}`}
              disabled={running}
              onClick={() => {
                setTab(k);
                setJobId(null);
              }}
            >
              {t(k === 'export' ? 'exchange.tabExport' : 'exchange.tabMerge')}
            </button>
          ))}
        </div>
        {tab === 'export' ? (
          <ExportTab api={api} dialogs={dialogs} event={event} running={running} onJob={setJobId} />
        ) : (
          <MergeTab api={api} dialogs={dialogs} event={event} running={running} onJob={setJobId} onMerged={onMerged} onShowConflicts={onShowConflicts} />
        )}
        {running ? <JobProgress event={event} onCancel={() => void api.call('jobs.cancel', { jobId: jobId! })} /> : null}
        {event?.type === 'cancelled' ? (
          <p className="notice" data-testid="job-cancelled">
            {t('job.cancelled')}
          </p>
        ) : null}
        {event?.type === 'error' ? <ProblemList error={event.error} prefix="exchange.failed" /> : null}
        <div className="dialog-actions">
          <button type="button" data-testid="exchange-close" onClick={onClose} disabled={running}>
            {t('exchange.close')}
          </button>
        </div>
      </section>
    </div>
  );
}

interface TabProps {
  api: OutcropApi;
  dialogs: boolean;
  event: JobEvent | undefined;
  running: boolean;
  onJob(jobId: string | null): void;
}

function ExportTab({ api, dialogs, event, running, onJob }: TabProps) {
  const { t, i18n } = useTranslation();
  const [identity, setIdentity] = useState<IdentityForm | null>(null);
  const [status, setStatus] = useState<ExchangeStatus | null>(null);
  const [since, setSince] = useState<'last' | 'all'>('last');
  const [path, setPath] = useState('');
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    void api.call('exchange.identity', {}).then((r) => {
      if (r.ok) setIdentity(Object.fromEntries(IDENTITY_KEYS.map((k) => [k, r.value[k] ?? ''])) as IdentityForm);
      else setError(r.error);
    });
    void api.call('exchange.status', {}).then((r) => (r.ok ? setStatus(r.value) : setError(r.error)));
  }, [api]);

  const start = async () => {
    setError(null);
    onJob(null);
    if (identity) {
      const saved = await api.call('exchange.setIdentity', identity as Partial<ExchangeIdentity>);
      if (!saved.ok) return setError(saved.error);
    }
    const r = await api.call('jobs.package', { since, ...(path.trim() ? { path: path.trim() } : {}) });
    if (!r.ok) setError(r.error);
    else if (r.value) onJob(r.value.jobId);
  };
  const done = event?.type === 'done' && event.kind === 'package' ? event : null;
  const result = done?.result as { file?: string; features?: number; historyRows?: number } | undefined;
  // After a package is written, "since the last exchange" starts again from it.
  useEffect(() => {
    if (done) void api.call('exchange.status', {}).then((r) => r.ok && setStatus(r.value));
  }, [api, done]);
  const date = (at: string) => new Date(at).toLocaleString(i18n.language);

  return (
    <form
      className="exchange-tab"
      data-testid="exchange-export"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <fieldset disabled={running || !identity} className="identity">
        <legend>{t('exchange.identity')}</legend>
        {IDENTITY_KEYS.map((k) => (
          <label key={k} className="field">
            <span>{t(`exchange.${k}`)}</span>
            <input
              type="text"
              data-testid={`exchange-identity-${k}`}
              value={identity?.[k] ?? ''}
              maxLength={200}
              onChange={(e) => setIdentity((f) => (f ? { ...f, [k]: e.target.value } : f))}
            />
          </label>
        ))}
      </fieldset>
      <fieldset disabled={running}>
        <legend>{t('exchange.scope')}</legend>
        <label className="check">
          <input type="radio" name="since" data-testid="exchange-since-last" checked={since === 'last'} onChange={() => setSince('last')} />
          <span>{t('exchange.sinceLast', { count: status?.changedSinceLastSent ?? 0 })}</span>
        </label>
        <label className="check">
          <input type="radio" name="since" data-testid="exchange-since-all" checked={since === 'all'} onChange={() => setSince('all')} />
          <span>{t('exchange.everything', { count: status?.changedTotal ?? 0 })}</span>
        </label>
        <p className="hint wide">{status?.lastSentAt ? t('exchange.lastSent', { at: date(status.lastSentAt) }) : t('exchange.neverSent')}</p>
      </fieldset>
      {!dialogs ? (
        <label className="field">
          <span>{t('exchange.savePath')}</span>
          <input type="text" data-testid="exchange-save-path" value={path} placeholder={t('exchange.savePathPlaceholder')} disabled={running} onChange={(e) => setPath(e.target.value)} />
        </label>
      ) : null}
      <div className="dialog-actions">
        <button type="submit" data-testid="exchange-export-start" disabled={running || !identity}>
          {t('exchange.exportStart')}
        </button>
      </div>
      {error ? <ProblemList error={error} prefix="exchange.failed" /> : null}
      {done && result ? (
        <p className="success" data-testid="exchange-export-done">
          {t('exchange.exportDone', { file: baseName(result.file ?? ''), count: (result.features ?? 0).toLocaleString(), history: (result.historyRows ?? 0).toLocaleString() })}
          {!dialogs && done.downloadUrl ? (
            <>
              {' · '}
              <a href={done.downloadUrl} download data-testid="exchange-download">
                {t('exchange.download')}
              </a>
            </>
          ) : null}
        </p>
      ) : null}
    </form>
  );
}

function MergeTab({ api, dialogs, event, running, onJob, onMerged, onShowConflicts }: TabProps & { onMerged(p: ProjectInfo): void; onShowConflicts(): void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [path, setPath] = useState('');
  const [preview, setPreview] = useState<MergePreview | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const done = event?.type === 'done' && event.kind === 'merge' ? event : null;
  const report = (done?.result as { report?: MergePreview } | undefined)?.report;
  // The preview runs as a job too (progress and Cancel below); its result is the preview.
  const previewed = event?.type === 'done' && event.kind === 'preview' ? (event.result as { preview?: MergePreview }).preview : undefined;
  useEffect(() => {
    if (previewed) setPreview(previewed);
  }, [previewed]);

  // Tell the app once per finished merge (map, table and conflicts refresh).
  const mergedProject = (done?.result as { project?: ProjectInfo } | undefined)?.project;
  useEffect(() => {
    if (mergedProject) onMerged(mergedProject);
  }, [mergedProject]); // eslint-disable-line react-hooks/exhaustive-deps

  const runPreview = async () => {
    setError(null);
    setPreview(null);
    onJob(null);
    setLoading(true);
    const r = await api.call('jobs.preview', dialogs ? {} : { path: path.trim() });
    setLoading(false);
    if (!r.ok) setError(r.error);
    else if (r.value) onJob(r.value.jobId);
  };
  const merge = async () => {
    if (!preview) return;
    setError(null);
    const r = await api.call('jobs.merge', { path: preview.path });
    if (!r.ok) setError(r.error);
    else onJob(r.value.jobId);
  };
  const who = (p: MergePreview) => [p.from.team, p.from.agency, p.from.country].filter(Boolean).join(' · ') || p.from.replica || '?';
  const show = (c: MergePreview['conflicts'][number], v: unknown) =>
    c.kind === 'field' || c.kind === 'insert-insert' ? formatConflictValue(c.layer, c.field, v, lang, t('exchange.empty')) : v ? t('exchange.wholeRecord') : t('exchange.deletedValue');

  return (
    <div className="exchange-tab" data-testid="exchange-merge">
      <form
        className="package-pick"
        onSubmit={(e) => {
          e.preventDefault();
          void runPreview();
        }}
      >
        {dialogs ? (
          <button type="submit" data-testid="exchange-choose" disabled={running || loading}>
            {t('exchange.choose')}
          </button>
        ) : (
          <>
            <label className="field grow">
              <span>{t('exchange.packagePath')}</span>
              <input type="text" data-testid="exchange-package-path" value={path} placeholder={t('exchange.packagePlaceholder')} disabled={running} onChange={(e) => setPath(e.target.value)} />
            </label>
            <button type="submit" data-testid="exchange-preview" disabled={running || loading || !path.trim()}>
              {t('exchange.preview')}
            </button>
          </>
        )}
      </form>
      {loading ? <p className="hint">{t('exchange.previewing')}</p> : null}
      {error ? <ProblemList error={error} prefix="exchange.failed" /> : null}
      {preview && !done ? (
        <div className="merge-preview" data-testid="exchange-preview-result">
          <p className="from">
            <strong>{preview.package}</strong> · {t('exchange.from', { who: who(preview) })}
            {preview.from.createdAt ? ` · ${t('exchange.createdAt', { at: new Date(preview.from.createdAt).toLocaleString(i18n.language) })}` : ''}
          </p>
          {preview.alreadyMerged ? <p className="notice">{t('exchange.alreadyMerged')}</p> : null}
          <h3>{t('exchange.willChange')}</h3>
          <dl className="counts" data-testid="exchange-counts">
            {(['added', 'updated', 'deleted', 'combined', 'unchanged'] as const).map((k) => (
              <div key={k} data-testid={`exchange-count-${k}`}>
                <dt>{t(`exchange.${k}`)}</dt>
                <dd>{preview[k].toLocaleString()}</dd>
              </div>
            ))}
            <div data-testid="exchange-count-conflicts" className={preview.conflicts.length ? 'warn' : ''}>
              <dt>{t('exchange.conflicts')}</dt>
              <dd>{preview.conflicts.length.toLocaleString()}</dd>
            </div>
          </dl>
          <h3>{t('exchange.conflicts')}</h3>
          {preview.conflicts.length ? (
            <>
              <table className="compare" data-testid="exchange-conflicts">
                <thead>
                  <tr>
                    <th>{t('exchange.record')}</th>
                    <th>{t('exchange.field')}</th>
                    <th>{t('exchange.ours')}</th>
                    <th>{t('exchange.theirs')}</th>
                    <th>{t('exchange.base')}</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.conflicts.map((c) => (
                    <tr key={`${c.featureId}-${c.field ?? c.kind}`}>
                      <td>{c.name}</td>
                      <td title={t(`exchange.kinds.${c.kind}`)}>{c.field ?? t(`exchange.kinds.${c.kind}`)}</td>
                      <td className="ours">{show(c, c.ours)}</td>
                      <td className="theirs">{show(c, c.theirs)}</td>
                      <td className="base">{show(c, c.base)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="hint">{t('exchange.conflictsNote')}</p>
            </>
          ) : (
            <p className="hint">{t('exchange.conflictsNone')}</p>
          )}
          <h3>{t('exchange.dropped')}</h3>
          <p className="hint" data-testid="exchange-dropped">
            {preview.droppedFields.length ? preview.droppedFields.join(', ') : t('exchange.droppedNone')}
          </p>
          <h3>{t('exchange.extra')}</h3>
          <p className="hint extra-fields" data-testid="exchange-extra">
            {preview.extraFields.length ? preview.extraFields.map((f) => t('exchange.extraCount', { field: f.field, count: f.count })).join(', ') : t('exchange.extraNone')}
          </p>
          <div className="dialog-actions">
            <button type="button" className="primary" data-testid="exchange-merge-start" disabled={running} onClick={() => void merge()}>
              {t('exchange.mergeStart')}
            </button>
          </div>
        </div>
      ) : null}
      {done && report ? (
        <div className="success" data-testid="exchange-merge-done">
          <p>
            {t('exchange.mergeDone', {
              file: report.package,
              added: report.added,
              updated: report.updated,
              deleted: report.deleted,
              combined: report.combined,
              conflicts: report.conflicts.length,
            })}
          </p>
          {report.conflicts.length ? (
            <button type="button" className="primary" data-testid="exchange-open-conflicts" onClick={onShowConflicts}>
              {t('exchange.openConflicts')}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;
