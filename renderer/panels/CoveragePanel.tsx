import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisOptions, ApiError, CoverageGroupKey, CoverageSummary, JobEvent, OutcropApi, Polygon, ProjectInfo } from '../../src/api/contract';
import type { MapOverlay } from '../map/overlays';
import { errorText } from '../problem-text';
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
  /** Fit the map to a box [w, s, e, n] (a US state or prefecture picked as the area of interest). */
  onFitBounds?(bbox: [number, number, number, number]): void;
}

/** What the area of interest is: none (the union of all surveys), a named area of a kind, or the drawn polygon. */
type AoiKind = '' | 'country' | 'state' | 'prefecture' | 'drawn';

/** Colours of the coverage overlays (kept apart from the deposit palette). */
export const COVERAGE_COLORS = { gaps: '#d7301f', covered: '#2b8c3e', overlaps: '#7b3294', aoi: '#37474f' } as const;

const km2 = (x: number) => Math.round(x).toLocaleString();

/** Survey coverage of an area of interest: run as a job, summary by group, gaps and overlaps on the map. */
export function CoveragePanel({ api, project, jobEvents, onOverlays, onClose, drawnAoi = null, onDrawAoi, drawingAoi = false, onFitBounds }: CoveragePanelProps) {
  const { t, i18n } = useTranslation();
  const [options, setOptions] = useState<AnalysisOptions | null>(null);
  const [aoiKind, setAoiKind] = useState<AoiKind>('');
  const [aoiName, setAoiName] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [by, setBy] = useState<CoverageGroupKey>('agency');
  const [agency, setAgency] = useState('');
  const [method, setMethod] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const [startError, setStartError] = useState<ApiError | null>(null);
  const [show, setShow] = useState({ gaps: true, covered: true, overlaps: true });
  // A newly drawn area becomes the area of interest.
  useEffect(() => {
    if (drawnAoi) setAoiKind('drawn');
  }, [drawnAoi]);

  useEffect(() => {
    void api.call('analysis.options', {}).then((r) => {
      if (r.ok) setOptions(r.value);
      else setStartError(r.error);
    });
  }, [api, project.dataVersion]);

  // What keeps the form from running: a kind of area without a name, or dates the wrong way round.
  const problem =
    (aoiKind === 'country' || aoiKind === 'state' || aoiKind === 'prefecture') && !aoiName
      ? t('analysis.coverage.chooseName', { kind: t(`analysis.coverage.aoi${aoiKind[0].toUpperCase()}${aoiKind.slice(1)}`) })
      : from && to && from > to
        ? t('analysis.coverage.datesOrder')
        : null;

  // The form and the data as the last run saw them: a result computed for other settings, or
  // before the project's data changed (any edit: the project has one data version), is marked as such.
  const settingsKey = JSON.stringify([aoiKind, aoiName, aoiKind === 'drawn' ? drawnAoi : null, by, agency, method, from, to, project.dataVersion]);
  const [ranKey, setRanKey] = useState<string | null>(null);
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
    setRanKey(settingsKey);
    const filter = { ...(agency ? { agency: [agency] } : {}), ...(method ? { method: [method] } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) };
    const aoi =
      aoiKind === 'drawn' && drawnAoi
        ? { area: drawnAoi as never, label: t('analysis.coverage.aoiDrawnInline') }
        : aoiKind === 'country' && aoiName
          ? { country: aoiName }
          : aoiKind === 'state' && aoiName
            ? { state: aoiName }
            : aoiKind === 'prefecture' && aoiName
              ? { prefecture: aoiName }
              : null;
    const r = await api.call('jobs.coverage', { ...(aoi ? { aoi } : {}), by, ...(Object.keys(filter).length ? { filter } : {}) });
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
          <select
            data-testid="coverage-aoi-kind"
            value={aoiKind}
            onChange={(e) => {
              setAoiKind(e.target.value as AoiKind);
              setAoiName('');
            }}
            disabled={running}
          >
            <option value="">{t('analysis.coverage.aoiNone')}</option>
            <option value="country">{t('analysis.coverage.aoiCountry')}</option>
            <option value="state">{t('analysis.coverage.aoiState')}</option>
            <option value="prefecture">{t('analysis.coverage.aoiPrefecture')}</option>
            {drawnAoi ? <option value="drawn">{t('analysis.coverage.aoiDrawn')}</option> : null}
          </select>
        </label>
        {aoiKind === 'country' || aoiKind === 'state' || aoiKind === 'prefecture' ? (
          <label className="field">
            <span>{t(`analysis.coverage.aoi${aoiKind[0].toUpperCase()}${aoiKind.slice(1)}`)}</span>
            <select
              data-testid="coverage-aoi-name"
              value={aoiName}
              onChange={(e) => {
                const v = e.target.value;
                setAoiName(v);
                // A state or prefecture picked: the map shows all of it.
                const picked = aoiKind === 'state' ? options?.aoiStates.find((s) => s.code === v) : aoiKind === 'prefecture' ? options?.aoiPrefectures.find((p) => String(p.code) === v) : undefined;
                if (picked) onFitBounds?.(picked.bbox);
              }}
              disabled={running}
            >
              <option value="">{t('analysis.coverage.aoiChoose')}</option>
              {aoiKind === 'country'
                ? options?.aoiCountries.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))
                : aoiKind === 'state'
                  ? options?.aoiStates.map((st) => (
                      <option key={st.code} value={st.code}>
                        {t('analysis.coverage.stateOption', { name: st.name, code: st.code })}
                      </option>
                    ))
                  : options?.aoiPrefectures.map((pr) => (
                      <option key={pr.code} value={String(pr.code)}>
                        {i18n.language === 'ja' ? pr.nameJa : `${pr.name} (${pr.nameJa})`}
                      </option>
                    ))}
            </select>
          </label>
        ) : null}
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
        <fieldset className="row dates">
          <legend>{t('analysis.coverage.dates')}</legend>
          <label className="field">
            <span>{t('analysis.coverage.from')}</span>
            <input type="date" data-testid="coverage-from" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} disabled={running} />
          </label>
          <label className="field">
            <span>{t('analysis.coverage.to')}</span>
            <input type="date" data-testid="coverage-to" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} disabled={running} />
          </label>
        </fieldset>
        {from || to ? <p className="hint">{t('analysis.coverage.datesHint')}</p> : null}
        {problem ? (
          <p className="hint" data-testid="coverage-form-problem">
            {problem}
          </p>
        ) : null}
        <div className="row">
          <label className="field">
            <span>{t('analysis.coverage.by')}</span>
            <select data-testid="coverage-by" value={by} onChange={(e) => setBy(e.target.value as CoverageGroupKey)} disabled={running}>
              <option value="agency">{t('analysis.coverage.byAgency')}</option>
              <option value="country">{t('analysis.coverage.byCountry')}</option>
              <option value="method">{t('analysis.coverage.byMethod')}</option>
            </select>
          </label>
          <button type="submit" className="primary" data-testid="coverage-run" disabled={running || !options || !!problem}>
            {t('analysis.coverage.run')}
          </button>
        </div>
      </form>
      {running ? <JobProgress event={event} onCancel={() => void api.call('jobs.cancel', { jobId: jobId! })} /> : null}
      {event?.type === 'cancelled' ? <p className="notice">{t('job.cancelled')}</p> : null}
      {error ? (
        <p className="error" data-testid="coverage-error">
          {t('analysis.coverage.failed', { message: errorText(t, error, i18n.language) })}
        </p>
      ) : null}
      {result && ranKey !== settingsKey ? (
        <p className="notice" data-testid="coverage-stale">
          {t('analysis.coverage.stale')}
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
