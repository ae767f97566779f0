import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, ApiLayer, ImportInspection, JobEvent, OutcropApi, ProjectInfo } from '../../src/api/contract';
import { duplicateTargets, FieldMapping, initialChoices, type FieldChoices } from './FieldMapping';
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
  sourceCrs?: { name: string; code?: number; note?: string };
  extraFields?: { name: string; count: number }[];
  importedBefore?: { at: string; by: string | null; features: number };
  rowCrs?: { column: string; name: string; code?: number; note?: string; rows: number }[];
  unlocated?: number;
}

/**
 * Import a GeoJSON, CSV, GeoPackage or zipped Shapefile: layer, CRS, an optional field mapping
 * step (remembered for files with the same fields), skip-invalid, progress with Cancel, every problem.
 */
export function ImportDialog({ api, dialogs, jobEvents, onClose, onImported }: ImportDialogProps) {
  const { t } = useTranslation();
  const [path, setPath] = useState('');
  const [layer, setLayer] = useState<'' | ApiLayer>('');
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [startError, setStartError] = useState<ApiError | null>(null);
  const [reported, setReported] = useState<string | null>(null);
  const [crs, setCrs] = useState('');
  const [sourceLayer, setSourceLayer] = useState('');
  const [inspection, setInspection] = useState<ImportInspection | null>(null);
  const [choices, setChoices] = useState<FieldChoices>({});
  const [inspecting, setInspecting] = useState(false);

  const event = jobId ? jobEvents.get(jobId) : undefined;
  const running = !!jobId && (!event || event.type === 'progress');
  // Tell the app once per finished import (in an effect: never set another component's state while rendering).
  useEffect(() => {
    if (event?.type !== 'done' || reported === jobId) return;
    setReported(jobId);
    const project = (event.result as ImportResult).project;
    if (project) onImported(project);
  }, [event, jobId, reported, onImported]);

  const source = () => ({ ...(crs.trim() ? { crs: crs.trim() } : {}), ...(sourceLayer.trim() ? { sourceLayer: sourceLayer.trim() } : {}) });
  const inspect = async () => {
    setStartError(null);
    setInspecting(true);
    const r = await api.call('import.inspect', { ...(dialogs ? {} : { path: path.trim() }), ...(layer ? { layer } : {}), ...source() });
    setInspecting(false);
    if (!r.ok) return setStartError(r.error);
    if (!r.value) return;
    setInspection(r.value);
    setPath(r.value.path);
    setChoices(initialChoices(r.value));
  };
  const start = async () => {
    setStartError(null);
    setJobId(null);
    // With the mapping step done, the file and layer are the inspected ones and every field is mapped.
    const mapped = inspection ? { path: inspection.path, layer: inspection.layer, fieldMap: choices } : { ...(dialogs ? {} : { path: path.trim() }), ...(layer ? { layer } : {}) };
    const r = await api.call('jobs.import', { ...mapped, ...source(), skipInvalid });
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
                onChange={(e) => {
                  setPath(e.target.value);
                  setInspection(null);
                }}
                disabled={running}
              />
            </label>
          )}
          <label className="field">
            <span>{t('importDialog.layer')}</span>
            <select
              data-testid="import-layer"
              value={layer}
              onChange={(e) => {
                setLayer(e.target.value as '' | ApiLayer);
                setInspection(null);
              }}
              disabled={running}
            >
              <option value="">{t('importDialog.layerAuto')}</option>
              <option value="deposits">{t('importDialog.layerDeposits')}</option>
              <option value="surveys">{t('importDialog.layerSurveys')}</option>
            </select>
          </label>
          <label className="field">
            <span>{t('mapping.crs')}</span>
            <input data-testid="import-crs" type="text" value={crs} spellCheck={false} placeholder="EPSG:4326" onChange={(e) => setCrs(e.target.value)} disabled={running} />
          </label>
          <label className="field">
            <span>{t('mapping.sourceLayer')}</span>
            <input data-testid="import-source-layer" type="text" value={sourceLayer} spellCheck={false} onChange={(e) => setSourceLayer(e.target.value)} disabled={running} />
          </label>
          {inspection ? <FieldMapping inspection={inspection} choices={choices} onChange={setChoices} disabled={running} /> : null}
          <label className="check">
            <input data-testid="import-skip-invalid" type="checkbox" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} disabled={running} />
            <span>{t('importDialog.skipInvalid')}</span>
          </label>
          <div className="dialog-actions">
            <button type="button" data-testid="import-inspect" onClick={() => void inspect()} disabled={running || inspecting || (!dialogs && !path.trim())}>
              {t('mapping.inspect')}
            </button>
            <button type="submit" data-testid="import-start" disabled={running || (!dialogs && !path.trim()) || duplicateTargets(choices).length > 0}>
              {dialogs && !inspection ? t('importDialog.choose') : t('importDialog.start')}
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
        {result?.importedBefore ? (
          <p className="warning" data-testid="import-imported-before">
            {t('importDialog.importedBefore', { features: result.importedBefore.features.toLocaleString(), at: new Date(result.importedBefore.at).toLocaleString() })}
          </p>
        ) : null}
        {result?.unlocated ? (
          <p className="hint" data-testid="import-unlocated">
            {t('mapping.unlocated', { count: result.unlocated })}
          </p>
        ) : null}
        {result?.extraFields?.length ? (
          <p className="hint" data-testid="import-extra-fields">
            {t('mapping.keptExtra', { fields: result.extraFields.slice(0, 25).map((f) => `${f.name} (${f.count.toLocaleString()})`).join(', ') })}
            {result.extraFields.length > 25 ? ` ${t('mapping.andMore', { count: result.extraFields.length - 25 })}` : ''}
          </p>
        ) : null}
        {result?.rowCrs?.map((u) => (
          <p className="hint" key={u.name} data-testid="import-row-crs-note">
            {t('mapping.convertedRows', { rows: u.rows.toLocaleString(), crs: `${u.name}${u.code ? ` (EPSG:${u.code})` : ''}`, column: u.column })}
            {u.note ? ` ${t('mapping.approximate', { note: u.note })}` : ''}
          </p>
        ))}
        {result?.sourceCrs ? (
          <p className="hint" data-testid="import-crs-note">
            {t('mapping.converted', { crs: `${result.sourceCrs.name}${result.sourceCrs.code ? ` (EPSG:${result.sourceCrs.code})` : ''}` })}
            {result.sourceCrs.note ? ` ${t('mapping.approximate', { note: result.sourceCrs.note })}` : ''}
          </p>
        ) : null}
      </section>
    </div>
  );
}
