import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisOptions, ApiError, JobEvent, OutcropApi, ProjectInfo, ReferenceLayerItem } from '../../src/api/contract';
import { COMMODITIES, commodityEntry } from '../../src/model/vocab';
import { errorText } from '../problem-text';
import { JobProgress } from './JobProgress';
import { ProblemList } from './ProblemList';
import './compare-settings.css';

/** What the settings add to an 'analysis.compare' / 'analysis.report' request. */
export interface CompareExtras {
  weights: { commodities: Record<string, number>; otherCritical: number; exclusionMode: 'hard' | 'penalty' };
  replaceCommodities: true;
  /** Absent: processing plants; null: none. */
  infrastructureLayer?: string | null;
  exclusionLayers: string[];
}

export interface CompareSettingsProps {
  api: OutcropApi;
  options: AnalysisOptions | null;
  /** Electron: the file is chosen with the native dialog; web: a path is typed. */
  desktop: boolean;
  onChange(extras: CompareExtras): void;
  onProject(project: ProjectInfo): void;
  /** The stored layers, each time this panel lists, imports or deletes them (the main map draws them). */
  onLayers?(layers: ReferenceLayerItem[]): void;
  /** The project's data version: the layers are listed again when it changes (an undo/redo may bring back or take away a layer). */
  dataVersion?: string;
}

const PLANTS = '';
const NONE = '\u0000none';

/**
 * The compare panel's layers and priorities: which stored reference layer the distance is
 * measured to, which exclusion layers apply (hard or penalty), importing and deleting layers
 * (a job with progress and Cancel), and the priority-commodity weights (add, remove, defaults).
 */
export function CompareSettings({ api, options, desktop, onChange, onProject, onLayers, dataVersion }: CompareSettingsProps) {
  const { t, i18n } = useTranslation();
  const ja = i18n.language === 'ja';
  const [layers, setLayers] = useState<ReferenceLayerItem[]>([]);
  const [infrastructure, setInfrastructure] = useState(PLANTS);
  const [exclusions, setExclusions] = useState<string[]>([]);
  const [mode, setMode] = useState<'hard' | 'penalty'>('hard');
  const [commodities, setCommodities] = useState<Record<string, number> | null>(null);
  const [otherCritical, setOtherCritical] = useState(0.2);
  const [adding, setAdding] = useState('');
  const [path, setPath] = useState('');
  const [role, setRole] = useState<'infrastructure' | 'exclusion'>('exclusion');
  const [name, setName] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  // Every layer-import event since mount, by job: a small file's done event can arrive before the call that started it returns.
  const [events, setEvents] = useState<ReadonlyMap<string, JobEvent>>(new Map());
  const event = jobId ? events.get(jobId) : undefined;
  const [error, setError] = useState<ApiError | null>(null);

  const loadLayers = useCallback(async () => {
    const r = await api.call('layers.list', {});
    if (r.ok) setLayers(r.value);
    else setError(r.error);
    return r.ok ? r.value : [];
  }, [api]);
  useEffect(() => void loadLayers(), [loadLayers]);
  // After an undo or redo: the layers as they now are; a chosen layer that is gone is unchosen.
  const [listedAt, setListedAt] = useState(dataVersion);
  useEffect(() => {
    if (dataVersion === listedAt) return;
    setListedAt(dataVersion);
    void loadLayers().then((list) => {
      const names = new Set(list.map((l) => l.name));
      onLayers?.(list);
      setExclusions((x) => (x.every((n) => names.has(n)) ? x : x.filter((n) => names.has(n))));
      setInfrastructure((v) => (v === PLANTS || v === NONE || names.has(v) ? v : PLANTS));
    });
  }, [dataVersion, listedAt, loadLayers, onLayers]);
  useEffect(() => {
    if (!options || commodities) return;
    setCommodities({ ...options.defaultWeights.commodities });
    setOtherCritical(options.defaultWeights.otherCritical);
    setMode(options.defaultWeights.exclusionMode);
  }, [options, commodities]);

  useEffect(() => {
    if (!commodities) return;
    onChange({
      weights: { commodities, otherCritical, exclusionMode: mode },
      replaceCommodities: true,
      ...(infrastructure === PLANTS ? {} : { infrastructureLayer: infrastructure === NONE ? null : infrastructure }),
      exclusionLayers: exclusions,
    });
  }, [commodities, otherCritical, mode, infrastructure, exclusions, onChange]);

  // The import jobs' events, and what to do when one ends (once per job).
  useEffect(
    () =>
      api.onJobEvent((e) => {
        if (e.kind === 'layer-import') setEvents((m) => new Map(m).set(e.jobId, e));
      }),
    [api],
  );
  const [handled, setHandled] = useState<string | null>(null);
  useEffect(() => {
    if (event?.type !== 'done' || handled === jobId) return;
    setHandled(jobId);
    const res = event.result as { layer: ReferenceLayerItem; layers: ReferenceLayerItem[]; project?: ProjectInfo };
    setLayers(res.layers);
    onLayers?.(res.layers);
    if (res.layer.role === 'exclusion') setExclusions((x) => (x.includes(res.layer.name) ? x : [...x, res.layer.name]));
    else setInfrastructure(res.layer.name);
    if (res.project) onProject(res.project);
    setPath('');
    setName('');
  }, [event, jobId, handled, onProject, onLayers]);
  const running = !!jobId && (!event || event.type === 'progress');

  const startImport = async () => {
    setError(null);
    setJobId(null);
    const r = await api.call('jobs.layerImport', { role, ...(desktop ? {} : { path: path.trim() }), ...(name.trim() ? { name: name.trim() } : {}) });
    if (!r.ok) return setError(r.error);
    if (r.value) setJobId(r.value.jobId);
  };

  const deleteLayer = async (layer: string) => {
    const r = await api.call('layers.delete', { names: [layer] });
    if (!r.ok) return setError(r.error);
    setLayers(r.value.layers);
    onLayers?.(r.value.layers);
    onProject(r.value.project); // the deletion is undoable: the toolbar shows its label
    setExclusions((x) => x.filter((n) => n !== layer));
    setInfrastructure((v) => (v === layer ? PLANTS : v));
  };

  const label = (code: string) => {
    const e = commodityEntry(code);
    return e ? `${code} · ${ja ? e.ja : e.en}` : code;
  };
  const addable = useMemo(
    () => COMMODITIES.filter((c) => !commodities || !(c.code in commodities)).sort((a, b) => a.code.localeCompare(b.code)),
    [commodities],
  );
  const infraLayers = layers.filter((l) => l.role === 'infrastructure');
  const exclusionLayers = layers.filter((l) => l.role === 'exclusion');
  const weightInput = (value: number, set: (v: number) => void, testId: string) => (
    <input
      type="number"
      min={0}
      max={100}
      step={0.05}
      data-testid={testId}
      value={value}
      onChange={(e) => {
        const v = Number(e.target.value);
        if (e.target.value !== '' && Number.isFinite(v) && v >= 0 && v <= 100) set(v);
      }}
    />
  );

  return (
    <div className="compare-settings" data-testid="compare-settings">
      <h3>{t('compareSettings.layers')}</h3>
      <label className="field">
        <span>{t('compareSettings.infrastructure')}</span>
        <select data-testid="compare-infrastructure" value={infrastructure} onChange={(e) => setInfrastructure(e.target.value)}>
          <option value={PLANTS}>{t('compareSettings.plants')}</option>
          {infraLayers.map((l) => (
            <option key={l.name} value={l.name}>
              {l.name} ({t('compareSettings.features', { count: l.featureCount })})
            </option>
          ))}
          <option value={NONE}>{t('compareSettings.noInfrastructure')}</option>
        </select>
      </label>
      <fieldset className="exclusion-layers">
        <legend>{t('compareSettings.exclusions')}</legend>
        {exclusionLayers.length ? (
          exclusionLayers.map((l) => (
            <label key={l.name} className="check">
              <input
                type="checkbox"
                data-testid="exclusion-layer"
                data-name={l.name}
                checked={exclusions.includes(l.name)}
                onChange={(e) => setExclusions((x) => (e.target.checked ? [...x, l.name] : x.filter((n) => n !== l.name)))}
              />
              <span>
                {l.name} <span className="muted small">({t('compareSettings.features', { count: l.featureCount })})</span>
              </span>
            </label>
          ))
        ) : (
          <p className="hint small">{t('compareSettings.noExclusionLayers')}</p>
        )}
        <div className="mode" role="radiogroup" aria-label={t('compareSettings.mode')}>
          <span className="muted small">{t('compareSettings.mode')}</span>
          <label className="check">
            <input type="radio" name="exclusion-mode" data-testid="exclusion-mode-hard" checked={mode === 'hard'} onChange={() => setMode('hard')} />
            <span>{t('compareSettings.hard')}</span>
          </label>
          <label className="check">
            <input type="radio" name="exclusion-mode" data-testid="exclusion-mode-penalty" checked={mode === 'penalty'} onChange={() => setMode('penalty')} />
            <span>{t('compareSettings.penalty')}</span>
          </label>
        </div>
      </fieldset>
      {layers.length ? (
        <details className="stored-layers">
          <summary>
            {t('compareSettings.stored')} ({layers.length})
          </summary>
          <ul>
            {layers.map((l) => (
              <li key={l.name} data-testid="stored-layer" data-name={l.name}>
                <span title={`${l.sourceFile ?? ''} · ${l.importedAt}`}>
                  {l.name} <span className="muted small">{l.role === 'exclusion' ? t('compareSettings.roleExclusion') : t('compareSettings.roleInfrastructure')} · {l.featureCount}</span>
                </span>
                <button type="button" className="link" data-testid="layer-delete" data-name={l.name} onClick={() => void deleteLayer(l.name)}>
                  {t('compareSettings.deleteLayer')}
                </button>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <details className="import-layer" data-testid="layer-import">
        <summary>{t('compareSettings.importLayer')}</summary>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void startImport();
          }}
        >
          {desktop ? null : (
            <label className="field">
              <span>{t('compareSettings.path')}</span>
              <input data-testid="layer-import-path" value={path} placeholder={t('compareSettings.pathPlaceholder')} onChange={(e) => setPath(e.target.value)} />
            </label>
          )}
          <label className="field">
            <span>{t('compareSettings.role')}</span>
            <select data-testid="layer-import-role" value={role} onChange={(e) => setRole(e.target.value as 'infrastructure' | 'exclusion')}>
              <option value="exclusion">{t('compareSettings.roleExclusion')}</option>
              <option value="infrastructure">{t('compareSettings.roleInfrastructure')}</option>
            </select>
          </label>
          <label className="field">
            <span>{t('compareSettings.name')}</span>
            <input data-testid="layer-import-name" value={name} placeholder={t('compareSettings.namePlaceholder')} onChange={(e) => setName(e.target.value)} />
          </label>
          <button type="submit" className="primary" data-testid="layer-import-start" disabled={running || (!desktop && !path.trim())}>
            {desktop ? t('compareSettings.chooseAndImport') : t('compareSettings.import')}
          </button>
        </form>
        {running ? <JobProgress event={event} onCancel={() => jobId && void api.call('jobs.cancel', { jobId })} /> : null}
        {event?.type === 'done' ? (
          <p className="success small" data-testid="layer-import-done">
            {t('compareSettings.imported', { name: (event.result as { layer: ReferenceLayerItem }).layer.name, count: (event.result as { layer: ReferenceLayerItem }).layer.featureCount })}
          </p>
        ) : null}
        {event?.type === 'cancelled' ? <p className="hint small">{t('compareSettings.cancelled')}</p> : null}
        {event?.type === 'error' ? <ProblemList error={event.error} prefix="compareSettings.importFailed" /> : null}
        {error ? (
          <p className="error small" data-testid="layer-error">
            {t('compareSettings.importFailed', { message: errorText(t, error, i18n.language) })}
          </p>
        ) : null}
      </details>

      <h3>
        {t('compareSettings.commodities')}
        <button
          type="button"
          className="link"
          data-testid="commodities-reset"
          onClick={() => {
            if (!options) return;
            setCommodities({ ...options.defaultWeights.commodities });
            setOtherCritical(options.defaultWeights.otherCritical);
          }}
        >
          {t('compareSettings.reset')}
        </button>
      </h3>
      {commodities ? (
        <table className="compact commodity-weights" data-testid="commodity-weights">
          <tbody>
            {Object.entries(commodities).map(([code, w]) => (
              <tr key={code} data-testid="commodity-row" data-code={code}>
                <td>{label(code)}</td>
                <td className="n">{weightInput(w, (v) => setCommodities({ ...commodities, [code]: v }), `commodity-weight-${code}`)}</td>
                <td>
                  <button
                    type="button"
                    className="link"
                    aria-label={`${t('compareSettings.remove')} ${code}`}
                    data-testid={`commodity-remove-${code}`}
                    onClick={() => {
                      const { [code]: _gone, ...rest } = commodities;
                      void _gone;
                      setCommodities(rest);
                    }}
                  >
                    ✕
                  </button>
                </td>
              </tr>
            ))}
            <tr>
              <td>{t('compareSettings.otherCritical')}</td>
              <td className="n">{weightInput(otherCritical, setOtherCritical, 'commodity-weight-other')}</td>
              <td />
            </tr>
          </tbody>
        </table>
      ) : null}
      <div className="row add-commodity">
        <select data-testid="commodity-add-select" value={adding} onChange={(e) => setAdding(e.target.value)}>
          <option value="">{t('compareSettings.addPlaceholder')}</option>
          {addable.map((c) => (
            <option key={c.code} value={c.code}>
              {label(c.code)}
            </option>
          ))}
        </select>
        <button
          type="button"
          data-testid="commodity-add"
          disabled={!adding || !commodities}
          onClick={() => {
            if (!commodities || !adding) return;
            setCommodities({ ...commodities, [adding]: 1 });
            setAdding('');
          }}
        >
          {t('compareSettings.add')}
        </button>
      </div>
    </div>
  );
}
