import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisOptions, ApiError, CoverageGroupKey, CoverageSummary, JobEvent, OutcropApi, Polygon, ProjectInfo } from '../../src/api/contract';
import type { MapOverlay } from '../map/overlays';
import { JobProgress } from './JobProgress';
import './analysis.css';

export interface CoveragePanelProps {
  api: OutcropApi;
  project: ProjectInfo;
  jobEvents: ReadonlyMap<string, JobEvent>;
  /** What to draw on the map (gaps, covered union, overlaps, the AOI outline). */
  onOverlays(overlays: MapOverlay[]): void;
  onClose(): void;
  /** An area of interest the user drew with the pen (after onDrawAoi), if any. */
  drawnAoi?: Polygon | null;
  /** Start drawing an area of interest on the map; it comes back as `drawnAoi`. */
  onDrawAoi?(): void;
  /** The pen is waiting for the area's corners. */
  drawingAoi?: boolean;
}

const DRAWN = '__drawn__';

/** Colours of the coverage overlays (kept apart from the deposit palette). */
export const COVERAGE_COLORS = { gaps: '#d7301f', covered: '#2b8c3e', overlaps: '#7b3294', aoi: '#37474f' } as const;

const km2 = (x: number) => Math.round(x).toLocaleString();

/** Survey coverage of an area of interest: run as a job, summary by group, gaps and overlaps on the map. */
export function CoveragePanel({ api, project, jobEvents, onOverlays, onClose, drawnAoi = null, onDrawAoi, drawingAoi = false }: CoveragePanelProps) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<AnalysisOptions | null>(null);
  const [country, setCountry] = useState('');
  const [by, setBy] = useState<CoverageGroupKey>('agency');
  const [agency, setAgency] = useState('');
  const [method, setMethod] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const [startError, setStartError] = useState<ApiError | null>(null);
  const [show, setShow] = useState({ gaps: true, covered: true, overlaps: true });
  // A newly drawn area becomes the area of interest.
  useEffect(() => {
    if (drawnAoi) setCountry(DRAWN);
  }, [drawnAoi]);

  useEffect(() => {
    void api.call('analysis.options', {}).then((r) => {
      if (r.ok) setOptions(r.value);
      else setStartError(r.error);
    });
  }, [api, project.dataVersion]);

  const event = jobId ? jobEvents.get(jobId) : undefined;
  const running = !!jobId && (!event || event.type === 'progress');
  const result = event?.type === 'done' ? (event.result as CoverageSummary) : null;
  const error = startError ?? (event?.type === 'error' ? event.error : null);

  const overlays = useMemo<MapOverlay[]>(() => {
    if (!result) return [];
    const out: MapOverlay[] = [];
    if (show.covered) out.push({ id: 'coverage-covered', data: result.geojson.covered, color: COVERAGE_COLORS.covered, fillOpacity: 0.18 });
    if (show.gaps) out.push({ id: 'coverage-gaps', data: result.geojson.gaps, color: COVERAGE_COLORS.gaps, fillOpacity: 0.22 });
    if (show.overlaps) out.push({ id: 'coverage-overlaps', data: result.geojson.overlaps, color: COVERAGE_COLORS.overlaps, fillOpacity: 0.45 });
    if (result.geojson.aoi.features.length) out.push({ id: 'coverage-aoi', data: result.geojson.aoi, color: COVERAGE_COLORS.aoi, fillOpacity: 0, dashed: true });
    return out;
  }, [result, show]);
  useEffect(() => onOverlays(overlays), [overlays, onOverlays]);
  useEffect(() => () => onOverlays([]), [onOverlays]);

  const run = async () => {
    setStartError(null);
    setJobId(null);
    const filter = { ...(agency ? { agency: [agency] } : {}), ...(method ? { method: [method] } : {}) };
    const aoi = country === DRAWN && drawnAoi ? { area: drawnAoi as never, label: t('analysis.coverage.aoiDrawn') } : country && country !== DRAWN ? { country } : null;
    const r = await api.call('jobs.coverage', { ...(aoi ? { aoi } : {}), by, ...(agency || method ? { filter } : {}) });
    if (!r.ok) setStartError(r.error);
    else setJobId(r.value.jobId);
  };

  return (
    <section className="analysis-panel coverage-panel" data-testid="coverage-panel" aria-labelledby="coverage-title">
      <h2 id="coverage-title">
        {t('analysis.coverage.title')}
        <button type="button" className="link close" data-testid="coverage-close" onClick={onClose} title={t('analysis.close')}>
          ×
        </button>
      </h2>
      <form
        className="analysis-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label className="field">
          <span>{t('analysis.coverage.aoi')}</span>
          <select data-testid="coverage-country" value={country} onChange={(e) => setCountry(e.target.value)} disabled={running}>
            <option value="">{t('analysis.coverage.aoiNone')}</option>
            {drawnAoi ? <option value={DRAWN}>{t('analysis.coverage.aoiDrawn')}</option> : null}
            {options?.aoiCountries.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        {onDrawAoi ? (
          <p className="hint">
            <button type="button" data-testid="coverage-draw" onClick={onDrawAoi} disabled={running} aria-pressed={drawingAoi}>
              {t('analysis.coverage.drawAoi')}
            </button>{' '}
            {drawingAoi ? t('analysis.coverage.drawAoiHint') : null}
          </p>
        ) : null}
        <div className="row">
          <label className="field">
            <span>{t('analysis.coverage.agency')}</span>
            <select data-testid="coverage-agency" value={agency} onChange={(e) => setAgency(e.target.value)} disabled={running}>
              <option value="">{t('analysis.coverage.any')}</option>
              {options?.agencies.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('analysis.coverage.method')}</span>
            <select data-testid="coverage-method" value={method} onChange={(e) => setMethod(e.target.value)} disabled={running}>
              <option value="">{t('analysis.coverage.any')}</option>
              {options?.methods.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="row">
          <label className="field">
            <span>{t('analysis.coverage.by')}</span>
            <select data-testid="coverage-by" value={by} onChange={(e) => setBy(e.target.value as CoverageGroupKey)} disabled={running}>
              <option value="agency">{t('analysis.coverage.byAgency')}</option>
              <option value="country">{t('analysis.coverage.byCountry')}</option>
              <option value="method">{t('analysis.coverage.byMethod')}</option>
            </select>
          </label>
          <button type="submit" className="primary" data-testid="coverage-run" disabled={running || !options}>
            {t('analysis.coverage.run')}
          </button>
        </div>
      </form>
      {running ? <JobProgress event={event} onCancel={() => void api.call('jobs.cancel', { jobId: jobId! })} /> : null}
      {event?.type === 'cancelled' ? <p className="notice">{t('job.cancelled')}</p> : null}
      {error ? (
        <p className="error" data-testid="coverage-error">
          {t('analysis.coverage.failed', { message: error.message })}
        </p>
      ) : null}
      {result ? <CoverageResultView result={result} show={show} onShow={setShow} /> : null}
    </section>
  );
}

function CoverageResultView({ result: r, show, onShow }: { result: CoverageSummary; show: { gaps: boolean; covered: boolean; overlaps: boolean }; onShow(s: { gaps: boolean; covered: boolean; overlaps: boolean }): void }) {
  const { t } = useTranslation();
  return (
    <div className="coverage-result" data-testid="coverage-result">
      {r.coveredPct !== null && r.aoiLabel ? (
        <p className="big-number">
          <span className="label">{t('analysis.coverage.covered')}</span>
          <strong data-testid="coverage-pct">{r.coveredPct.toFixed(2)}</strong> %
          <span className="muted"> {t('analysis.coverage.coveredOf', { aoi: r.aoiLabel })}</span>
        </p>
      ) : (
        <p className="hint">{t('analysis.coverage.noAoiPct')}</p>
      )}
      <dl className="kv">
        <dt>{t('analysis.coverage.surveys')}</dt>
        <dd data-testid="coverage-surveys">{r.surveyCount}</dd>
        <dt>{t('analysis.coverage.coveredKm2')}</dt>
        <dd data-testid="coverage-km2">{t('analysis.coverage.km2', { km2: km2(r.coveredKm2) })}</dd>
        {r.aoiKm2 !== null ? (
          <>
            <dt>{t('analysis.coverage.aoiKm2')}</dt>
            <dd>{t('analysis.coverage.km2', { km2: km2(r.aoiKm2) })}</dd>
            <dt>{t('analysis.coverage.gapsKm2')}</dt>
            <dd>{t('analysis.coverage.km2', { km2: km2(r.gapsKm2 ?? 0) })}</dd>
          </>
        ) : null}
      </dl>
      <fieldset className="legend-toggles">
        <legend>{t('analysis.coverage.onMap')}</legend>
        {(['gaps', 'covered', 'overlaps'] as const).map((k) => (
          <label key={k} className="check">
            <input type="checkbox" data-testid={`coverage-show-${k}`} checked={show[k]} onChange={(e) => onShow({ ...show, [k]: e.target.checked })} />
            <span className="swatch" style={{ background: COVERAGE_COLORS[k] }} />
            <span>{t(`analysis.coverage.show${k[0].toUpperCase()}${k.slice(1)}`)}</span>
          </label>
        ))}
      </fieldset>
      {r.groups.length ? (
        <table className="compact" data-testid="coverage-groups">
          <thead>
            <tr>
              <th>{t('analysis.coverage.group')}</th>
              <th className="n" title={t('analysis.coverage.surveys')}>{t('analysis.coverage.surveysShort')}</th>
              <th className="n">{t('analysis.coverage.area')}</th>
              {r.aoiKm2 !== null ? <th className="n">{t('analysis.coverage.pct')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {r.groups.map((g) => (
              <tr key={g.key}>
                <td title={g.key}>{g.key}</td>
                <td className="n">{g.surveyCount}</td>
                <td className="n">{km2(g.areaKm2)}</td>
                {g.pctOfAoi !== null ? <td className="n">{g.pctOfAoi.toFixed(2)}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <h3>{t('analysis.coverage.overlaps')}</h3>
      {r.overlaps.length ? (
        <ul className="overlaps" data-testid="coverage-overlaps">
          {r.overlaps.slice(0, 20).map((o) => (
            <li key={`${o.a}|${o.b}`}>
              {t('analysis.coverage.overlapRow', { a: o.a, b: o.b })}: {t('analysis.coverage.km2', { km2: km2(o.areaKm2) })}
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">{t('analysis.coverage.overlapsNone')}</p>
      )}
    </div>
  );
}
