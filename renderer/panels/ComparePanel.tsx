import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisOptions, ApiError, ComparisonResult, CriterionKey, OutcropApi, ProjectInfo, ScoredCriterion, SiteItem } from '../../src/api/contract';
import type { MapOverlay } from '../map/overlays';
import './analysis.css';

export interface ComparePanelProps {
  api: OutcropApi;
  project: ProjectInfo;
  /** Electron: reports are saved with a dialog and PDF is offered; web: reports are downloads. */
  desktop: boolean;
  /** The point selected on the map (a deposit or a click), offered as a new site's location. */
  selectedPoint: [number, number] | null;
  /** Name of the selected deposit or survey, offered as the new site's name. */
  selectedName?: string | null;
  onProject(project: ProjectInfo): void;
  onOverlays(overlays: MapOverlay[]): void;
  onClose(): void;
}

export const SITE_COLORS = { site: '#78909c', chosen: '#111111', area: '#1565c0' } as const;

type Weights = ComparisonResult['weights']['criteria'];

/** One feature per polygon: map styles filter on the geometry type "Polygon" (a MultiPolygon would not draw). */
function parts(g: GeoJSON.Geometry, properties: Record<string, unknown>): GeoJSON.Feature[] {
  if (g.type === 'MultiPolygon') return g.coordinates.map((coordinates) => ({ type: 'Feature', geometry: { type: 'Polygon', coordinates }, properties }));
  return [{ type: 'Feature', geometry: g, properties }];
}

const fmt = (x: number, d = 3) => (Number.isFinite(x) ? (Math.round(x * 10 ** d) / 10 ** d).toString() : '—');

/** Candidate sites: list, add, tick 2–10, edit the weights, see the explained scores and ±20 % sensitivity, export the report. */
export function ComparePanel({ api, project, desktop, selectedPoint, selectedName = null, onProject, onOverlays, onClose }: ComparePanelProps) {
  const { t, i18n } = useTranslation();
  const ja = i18n.language === 'ja';
  const [options, setOptions] = useState<AnalysisOptions | null>(null);
  const [sites, setSites] = useState<SiteItem[]>([]);
  const [chosen, setChosen] = useState<string[]>([]);
  const [weights, setWeights] = useState<Weights | null>(null);
  const [radiusKm, setRadiusKm] = useState(50);
  const [result, setResult] = useState<ComparisonResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [report, setReport] = useState<{ file: string; downloadUrl?: string } | null>(null);
  const [draft, setDraft] = useState({ name: '', lng: '', lat: '', roles: [] as string[], targets: '', permitStage: '' });

  const loadSites = useCallback(async () => {
    const r = await api.call('sites.list', {});
    if (r.ok) setSites(r.value);
    else setError(r.error);
  }, [api]);
  useEffect(() => {
    void api.call('analysis.options', {}).then((r) => {
      if (r.ok) {
        setOptions(r.value);
        setWeights((w) => w ?? { ...r.value.defaultWeights.criteria });
      }
    });
    void loadSites();
  }, [api, loadSites]);

  const request = useMemo(
    () => (weights && chosen.length >= 2 && chosen.length <= 10 && radiusKm > 0 ? { siteIds: chosen, weights: { criteria: weights }, radiusKm } : null),
    [chosen, weights, radiusKm],
  );
  // Re-score whenever the sites, the weights or the radius change (debounced while typing).
  useEffect(() => {
    if (!request) {
      setResult(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      setBusy(true);
      void api.call('analysis.compare', request).then((r) => {
        if (!live) return;
        setBusy(false);
        if (r.ok) {
          setResult(r.value);
          setError(null);
        } else setError(r.error);
      });
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, request, project.dataVersion]);

  const overlays = useMemo<MapOverlay[]>(() => {
    const pts = (ids: (id: string) => boolean): GeoJSON.FeatureCollection => ({
      type: 'FeatureCollection',
      features: sites.filter((s) => ids(s.id)).flatMap((s) => parts(s.geometry, { id: s.id, name: s.name })),
    });
    const out: MapOverlay[] = [
      { id: 'sites', data: pts((id) => !chosen.includes(id)), color: SITE_COLORS.site, fillOpacity: 0.15 },
      { id: 'sites-chosen', data: pts((id) => chosen.includes(id)), color: SITE_COLORS.chosen, fillOpacity: 0.25 },
    ];
    if (result) {
      out.unshift({
        id: 'sites-assessed',
        color: SITE_COLORS.area,
        fillOpacity: 0.06,
        dashed: true,
        data: { type: 'FeatureCollection', features: result.sites.flatMap((s) => parts(s.assessedArea, { id: s.id, rank: s.rank })) },
      });
    }
    return out;
  }, [sites, chosen, result]);
  useEffect(() => onOverlays(overlays), [overlays, onOverlays]);
  useEffect(() => () => onOverlays([]), [onOverlays]);

  const addSite = async () => {
    const lng = Number(draft.lng);
    const lat = Number(draft.lat);
    const r = await api.call('sites.save', {
      name: draft.name.trim(),
      geometry: { type: 'Point', coordinates: [lng, lat] },
      roles: draft.roles,
      targetCommodities: draft.targets.split(/[,;、]/).map((s) => s.trim()).filter(Boolean),
      permitStage: draft.permitStage || null,
    });
    if (!r.ok) return setError(r.error);
    setError(null);
    onProject(r.value.project);
    setDraft({ name: '', lng: '', lat: '', roles: [], targets: '', permitStage: '' });
    setChosen((c) => (c.length < 10 ? [...c, r.value.site.id] : c));
    await loadSites();
  };

  const removeSite = async (id: string) => {
    const r = await api.call('sites.delete', { ids: [id] });
    if (!r.ok) return setError(r.error);
    onProject(r.value.project);
    setChosen((c) => c.filter((x) => x !== id));
    await loadSites();
  };

  const exportReport = async (format: 'html' | 'csv' | 'pdf') => {
    if (!request) return;
    setReport(null);
    const r = await api.call('analysis.report', { ...request, format });
    if (!r.ok) setError(r.error);
    else if (r.value) setReport(r.value);
  };

  const label = (list: { code: string; en: string; ja: string }[] | undefined, code: string) => {
    const e = list?.find((x) => x.code === code);
    return e ? (ja ? e.ja : e.en) : code;
  };
  const lngLatOk = draft.lng.trim() !== '' && draft.lat.trim() !== '' && Math.abs(Number(draft.lng)) <= 180 && Math.abs(Number(draft.lat)) <= 90;

  return (
    <section className="compare-panel" data-testid="compare-panel" aria-labelledby="compare-title">
      <header>
        <h2 id="compare-title">{t('analysis.compare.title')}</h2>
        <button type="button" data-testid="compare-close" onClick={onClose}>
          {t('analysis.close')}
        </button>
      </header>
      <div className="compare-body">
        <div className="compare-left">
          <h3>{t('analysis.compare.sites')}</h3>
          {sites.length ? (
            <ul className="site-list" data-testid="site-list">
              {sites.map((s) => (
                <li key={s.id}>
                  <label className="check">
                    <input
                      type="checkbox"
                      data-testid="site-check"
                      data-name={s.name}
                      checked={chosen.includes(s.id)}
                      disabled={!chosen.includes(s.id) && chosen.length >= 10}
                      onChange={(e) => setChosen((c) => (e.target.checked ? [...c, s.id] : c.filter((x) => x !== s.id)))}
                    />
                    <span className="site-name">{s.name}</span>
                  </label>
                  <span className="muted small">
                    {s.roles.map((r) => label(options?.roles, r)).join(', ')}
                    {s.permitStage ? ` · ${label(options?.permitStages, s.permitStage)}` : ''}
                  </span>
                  <button type="button" className="link" data-testid="site-delete" onClick={() => void removeSite(s.id)}>
                    {t('analysis.compare.delete')}
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p className="hint">{t('analysis.compare.noSites')}</p>
          )}
          <p className="hint">{t('analysis.compare.pick', { count: chosen.length })}</p>
          <details className="add-site">
            <summary>{t('analysis.compare.add')}</summary>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void addSite();
              }}
            >
              <label className="field">
                <span>{t('analysis.compare.name')}</span>
                <input data-testid="site-name" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
              </label>
              <div className="row">
                <label className="field">
                  <span>{t('analysis.compare.lng')}</span>
                  <input data-testid="site-lng" inputMode="decimal" value={draft.lng} onChange={(e) => setDraft({ ...draft, lng: e.target.value })} />
                </label>
                <label className="field">
                  <span>{t('analysis.compare.lat')}</span>
                  <input data-testid="site-lat" inputMode="decimal" value={draft.lat} onChange={(e) => setDraft({ ...draft, lat: e.target.value })} />
                </label>
              </div>
              {selectedPoint ? (
                <button
                  type="button"
                  data-testid="site-use-selected"
                  onClick={() => setDraft({ ...draft, name: draft.name || selectedName || '', lng: selectedPoint[0].toFixed(5), lat: selectedPoint[1].toFixed(5) })}
                >
                  {t('analysis.compare.useSelected')}
                </button>
              ) : null}
              <fieldset>
                <legend>{t('analysis.compare.roles')}</legend>
                {options?.roles.map((r) => (
                  <label key={r.code} className="check">
                    <input
                      type="checkbox"
                      checked={draft.roles.includes(r.code)}
                      onChange={(e) => setDraft({ ...draft, roles: e.target.checked ? [...draft.roles, r.code] : draft.roles.filter((x) => x !== r.code) })}
                    />
                    <span>{ja ? r.ja : r.en}</span>
                  </label>
                ))}
              </fieldset>
              <label className="field">
                <span>{t('analysis.compare.targets')}</span>
                <input data-testid="site-targets" placeholder={t('analysis.compare.targetsPlaceholder')} value={draft.targets} onChange={(e) => setDraft({ ...draft, targets: e.target.value })} />
              </label>
              <label className="field">
                <span>{t('analysis.compare.permit')}</span>
                <select data-testid="site-permit" value={draft.permitStage} onChange={(e) => setDraft({ ...draft, permitStage: e.target.value })}>
                  <option value="">{t('analysis.compare.permitNone')}</option>
                  {options?.permitStages.map((s) => (
                    <option key={s.code} value={s.code}>
                      {ja ? s.ja : s.en}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" className="primary" data-testid="site-save" disabled={!draft.name.trim() || !lngLatOk}>
                {t('analysis.compare.save')}
              </button>
            </form>
          </details>
          <h3>
            {t('analysis.compare.weights')}
            <button type="button" className="link" data-testid="weights-reset" onClick={() => options && setWeights({ ...options.defaultWeights.criteria })}>
              {t('analysis.compare.reset')}
            </button>
          </h3>
          <div className="weights">
            {weights && options
              ? options.criteria.map((k) => (
                  <label key={k} className="field">
                    <span>{t(`analysis.compare.criteria.${k}`)}</span>
                    <input
                      type="number"
                      min={0}
                      max={100}
                      step={0.05}
                      data-testid={`weight-${k}`}
                      value={weights[k]}
                      onChange={(e) => {
                        const v = Number(e.target.value);
                        if (Number.isFinite(v) && v >= 0 && v <= 100) setWeights({ ...weights, [k]: v });
                      }}
                    />
                  </label>
                ))
              : null}
            <label className="field">
              <span>{t('analysis.compare.radius')}</span>
              <input type="number" min={1} max={2000} step={5} data-testid="compare-radius" value={radiusKm} onChange={(e) => setRadiusKm(Number(e.target.value))} />
            </label>
          </div>
        </div>
        <div className="compare-right">
          {error ? (
            <p className="error" data-testid="compare-error">
              {t('analysis.compare.failed', { message: error.message })}
            </p>
          ) : null}
          {busy ? <p className="hint">{t('analysis.compare.running')}</p> : null}
          {result ? <ComparisonView result={result} /> : null}
          {result ? (
            <div className="dialog-actions">
              <button type="button" data-testid="report-html" onClick={() => void exportReport('html')}>
                {t('analysis.compare.exportHtml')}
              </button>
              <button type="button" data-testid="report-csv" onClick={() => void exportReport('csv')}>
                {t('analysis.compare.exportCsv')}
              </button>
              {desktop ? (
                <button type="button" data-testid="report-pdf" onClick={() => void exportReport('pdf')}>
                  {t('analysis.compare.exportPdf')}
                </button>
              ) : null}
            </div>
          ) : null}
          {!desktop && result ? <p className="hint">{t('analysis.compare.printHint')}</p> : null}
          {report ? (
            report.downloadUrl ? (
              <a className="download" data-testid="report-download" href={report.downloadUrl} download>
                {t('analysis.compare.download', { file: report.file.split(/[\\/]/).pop() })}
              </a>
            ) : (
              <p className="success" data-testid="report-saved">
                {t('analysis.compare.saved', { file: report.file })}
              </p>
            )
          ) : null}
        </div>
      </div>
    </section>
  );
}

function ComparisonView({ result }: { result: ComparisonResult }) {
  const { t } = useTranslation();
  const order = [...result.sites].sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name));
  const keys = result.sites[0]?.criteria.map((c) => c.key) ?? [];
  const cell = (c: ScoredCriterion | undefined) =>
    !c ? null : !c.applicable ? (
      <span className="muted">{t('analysis.compare.notAssessed')}</span>
    ) : (
      <>
        <span className="raw">{c.raw === null ? '—' : fmt(c.raw)}</span> → {fmt(c.normalised, 2)} × {fmt(c.weight, 2)} = <strong>{fmt(c.contribution)}</strong>
      </>
    );
  return (
    <div className="comparison" data-testid="comparison">
      <table className="compact ranking" data-testid="ranking">
        <thead>
          <tr>
            <th className="n">{t('analysis.compare.rank')}</th>
            <th>{t('analysis.compare.site')}</th>
            <th className="n">{t('analysis.compare.score')}</th>
            <th>{t('analysis.compare.sensitivity')}</th>
          </tr>
        </thead>
        <tbody>
          {order.map((s) => (
            <tr key={s.id} data-testid="ranking-row" data-name={s.name} data-rank={s.rank} data-stable={s.stable}>
              <td className="n">{s.rank}</td>
              <td>
                {s.name}
                {s.excluded ? <span className="error"> ({t('analysis.compare.excluded')})</span> : null}
                <div className="muted small">{t('analysis.compare.deposits', { count: s.depositCount, priority: s.priorityCount })}</div>
              </td>
              <td className="n" data-testid="ranking-score">
                {s.score.toFixed(4)}
              </td>
              <td>{s.stable ? <span className="stable">✓ {t('analysis.compare.stable')}</span> : <span className="unstable">{t('analysis.compare.rankRange', { min: s.minRank, max: s.maxRank })}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="compact criteria" data-testid="criteria-table">
        <thead>
          <tr>
            <th>{t('analysis.compare.criterion')}</th>
            {order.map((s) => (
              <th key={s.id}>
                {s.rank}. {s.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {keys.map((k: CriterionKey) => (
            <tr key={k}>
              <th>{t(`analysis.compare.criteria.${k}`)}</th>
              {order.map((s) => {
                const c = s.criteria.find((x) => x.key === k);
                return (
                  <td key={s.id} title={c?.explanation} data-testid={`cell-${k}`}>
                    {cell(c)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint small">{t('analysis.compare.rawNorm')}. {t('analysis.compare.method')}</p>
    </div>
  );
}
