import { type ReactNode, type SVGProps, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisOptions, ApiError, ComparedSite, ComparisonResult, CriterionKey, OutcropApi, ProjectInfo, ReferenceLayerItem, ScoredCriterion, SiteItem, SiteMapData } from '../../src/api/contract';
import type { DrawController, DrawTool } from '../map/draw';
import type { MapOverlay } from '../map/overlays';
import { errorText } from '../problem-text';
import { SiteForm } from './SiteForm';
import { type CompareExtras, CompareSettings } from './CompareSettings';
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
  /** The stored reference layers, whenever the settings list, import or delete them. */
  onReferenceLayers?(layers: ReferenceLayerItem[]): void;
  onOverlays(overlays: MapOverlay[]): void;
  onClose(): void;
  /** The app's pen, to pick a site's point or draw / reshape its area on the map. */
  draw: DrawController;
  tool: DrawTool;
  shapeVersion: number;
  /** Centre the map on a place (a compared site's small map was clicked). */
  onFly?(center: [number, number]): void;
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
export function ComparePanel({ api, project, desktop, selectedPoint, selectedName = null, onProject, onReferenceLayers, onOverlays, onClose, draw, tool, shapeVersion, onFly }: ComparePanelProps) {
  const { t, i18n } = useTranslation();
  const ja = i18n.language === 'ja';
  const [options, setOptions] = useState<AnalysisOptions | null>(null);
  const [sites, setSites] = useState<SiteItem[]>([]);
  const [chosen, setChosen] = useState<string[]>([]);
  const [weights, setWeights] = useState<Weights | null>(null);
  const [radiusKm, setRadiusKm] = useState(50);
  const [extras, setExtras] = useState<CompareExtras | null>(null);
  const [result, setResult] = useState<ComparisonResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [report, setReport] = useState<{ file: string; downloadUrl?: string } | null>(null);
  // The site whose form is open for editing (its id).
  const [editing, setEditing] = useState<string | null>(null);

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
    // While the planner picks sites, the core reads the deposits for the first comparison.
    void api.call('analysis.prepare', {});
  }, [api]);
  // The site list follows the project: every write, undo and redo changes its dataVersion.
  useEffect(() => {
    void loadSites();
  }, [loadSites, project.dataVersion]);
  // A site undone away (or deleted) is no longer ticked or edited; one without a location (cleared
  // in another program) is not ticked either: it cannot be compared until placed again.
  useEffect(() => {
    const ids = new Set(sites.map((s) => s.id));
    const located = new Set(sites.filter((s) => s.geometry).map((s) => s.id));
    setChosen((c) => (c.every((id) => located.has(id)) ? c : c.filter((id) => located.has(id))));
    setEditing((e) => (e && !ids.has(e) ? null : e));
  }, [sites]);
  const editedSite = sites.find((s) => s.id === editing) ?? null;
  // While the pen holds the edited site's shape, the map shows the pen's copy only.
  const penHidden = editing && tool !== null ? editing : null;

  const request = useMemo(
    () =>
      weights && extras && chosen.length >= 2 && chosen.length <= 10 && radiusKm > 0
        ? { ...extras, siteIds: chosen, weights: { ...extras.weights, criteria: weights }, radiusKm }
        : null,
    [chosen, weights, radiusKm, extras],
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
      features: sites.flatMap((s) => (s.geometry && ids(s.id) && s.id !== penHidden ? parts(s.geometry, { id: s.id, name: s.name }) : [])),
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
        data: { type: 'FeatureCollection', features: result.sites.filter((s) => s.id !== penHidden).flatMap((s) => parts(s.assessedArea, { id: s.id, rank: s.rank })) },
      });
    }
    return out;
  }, [sites, chosen, result, penHidden]);
  useEffect(() => onOverlays(overlays), [overlays, onOverlays]);
  useEffect(() => () => onOverlays([]), [onOverlays]);

  const siteSaved = (site: SiteItem, p: ProjectInfo) => {
    setError(null);
    onProject(p);
    // A new site is ticked for the comparison; an edited one closes its form.
    if (editing === site.id) setEditing(null);
    else setChosen((c) => (c.length < 10 && !c.includes(site.id) ? [...c, site.id] : c));
  };
  // What the add and the edit form share.
  const siteFormProps = { api, options, draw, tool, shapeVersion, selectedPoint, selectedName, onSaved: siteSaved };

  const removeSite = async (id: string) => {
    const r = await api.call('sites.delete', { ids: [id] });
    if (!r.ok) return setError(r.error);
    onProject(r.value.project);
    setChosen((c) => c.filter((x) => x !== id));
  };

  // A compared site's small map clicked: centre the map on the site.
  const showSite = onFly
    ? (id: string) => {
        const s = sites.find((x) => x.id === id);
        if (s?.geometry) onFly(siteCentre(s.geometry));
      }
    : undefined;

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
                      disabled={!chosen.includes(s.id) && (!s.geometry || chosen.length >= 10)}
                      onChange={(e) => setChosen((c) => (e.target.checked ? [...c, s.id] : c.filter((x) => x !== s.id)))}
                    />
                    <span className="site-name">{s.name}</span>
                  </label>
                  <span className="muted small">
                    {[s.roles.map((r) => label(options?.roles, r)).join(', '), s.permitStage ? label(options?.permitStages, s.permitStage) : ''].filter(Boolean).join(' · ')}
                    {s.geometry ? null : (
                      <em className="no-location" data-testid="site-no-location" title={t('analysis.site.noLocation')}>
                        {' · '}
                        {t('table.noLocationShort')}
                      </em>
                    )}
                  </span>
                  <span className="site-actions">
                    <button type="button" className="link" data-testid="site-edit" data-name={s.name} onClick={() => setEditing(editing === s.id ? null : s.id)}>
                      {t('analysis.site.edit')}
                    </button>
                    <button type="button" className="link" data-testid="site-delete" onClick={() => void removeSite(s.id)}>
                      {t('analysis.compare.delete')}
                    </button>
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="hint">{t('analysis.compare.noSites')}</p>
          )}
          <p className="hint">{t('analysis.compare.pick', { count: chosen.length })}</p>
          {editedSite ? (
            <div className="add-site edit-site">
              <h4>{t('analysis.site.editTitle', { name: editedSite.name })}</h4>
              <SiteForm key={editedSite.id} {...siteFormProps} site={editedSite} onReviewed={(_s, p) => onProject(p)} onCancel={() => setEditing(null)} />
            </div>
          ) : (
            <details className="add-site">
              <summary>{t('analysis.compare.add')}</summary>
              <SiteForm {...siteFormProps} site={null} onReviewed={() => {}} />
            </details>
          )}
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
          <CompareSettings api={api} options={options} desktop={desktop} onChange={setExtras} onProject={onProject} onLayers={onReferenceLayers} dataVersion={project.dataVersion} />
        </div>
        <div className="compare-right">
          {error ? (
            <p className="error" data-testid="compare-error">
              {t('analysis.compare.failed', { message: errorText(t, error, i18n.language) })}
            </p>
          ) : null}
          {busy ? <p className="hint">{t('analysis.compare.running')}</p> : null}
          {result ? <ComparisonView result={result} onShow={showSite} /> : null}
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

function ComparisonView({ result, onShow }: { result: ComparisonResult; onShow?(siteId: string): void }) {
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
  const plants = !result.infrastructureLabel || /processing plant/.test(result.infrastructureLabel);
  return (
    <div className="comparison" data-testid="comparison">
      <p className="muted small" data-testid="compare-layers">
        {t('compareSettings.layersUsed', {
          infrastructure: result.infrastructureLabel === null ? t('compareSettings.none') : plants ? t('compareSettings.plants') : result.infrastructureLabel,
          exclusions: result.exclusionsLabel ? `${result.exclusionsLabel} (${t(`compareSettings.${result.weights.exclusionMode}`)})` : t('compareSettings.none'),
        })}
      </p>
      <table className="compact ranking" data-testid="ranking">
        <thead>
          <tr>
            <th className="n">{t('analysis.compare.rank')}</th>
            <th>{t('analysis.compare.site')}</th>
            <th className="n">{t('analysis.compare.score')}</th>
            <th>{t('analysis.compare.sensitivity')}</th>
            <th>{t('compareSettings.commoditySensitivity')}</th>
          </tr>
        </thead>
        <tbody>
          {order.map((s) => (
            <tr key={s.id} data-testid="ranking-row" data-name={s.name} data-rank={s.rank} data-stable={s.stable} data-commodity-stable={s.commodityStable} data-excluded={s.excluded}>
              <td className="n">{s.rank}</td>
              <td>
                {s.name}
                {s.excluded ? (
                  <span className="error" data-testid="ranking-excluded" title={s.criteria.find((c) => c.key === 'exclusion')?.explanation}>
                    {' '}
                    ({t('analysis.compare.excluded')})
                  </span>
                ) : null}
                <div className="muted small">{t('analysis.compare.deposits', { count: s.depositCount, priority: s.priorityCount })}</div>
              </td>
              <td className="n" data-testid="ranking-score">
                {s.score.toFixed(4)}
              </td>
              <td>{s.stable ? <span className="stable">✓ {t('analysis.compare.stable')}</span> : <span className="unstable">{t('analysis.compare.rankRange', { min: s.minRank, max: s.maxRank })}</span>}</td>
              <td data-testid="ranking-commodity-sensitivity">
                {s.commodityStable ? (
                  <span className="stable">✓ {t('analysis.compare.stable')}</span>
                ) : (
                  <>
                    <span className="unstable">{t('analysis.compare.rankRange', { min: s.commodityMinRank, max: s.commodityMaxRank })}</span>
                    <div className="muted small" data-testid="commodity-movers">
                      {result.commodityVariations
                        .filter((v) => v.ranks[result.sites.indexOf(s)] !== s.rank)
                        .map((v) => `${v.commodity === 'otherCritical' ? t('compareSettings.otherCritical') : v.commodity} ×${v.factor}`)
                        .join(', ')}
                    </div>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <SiteMaps sites={order} onShow={onShow} />
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
              <th>{k === 'infrastructure' && !plants ? t('compareSettings.distanceTo', { layer: result.infrastructureLabel }) : t(`analysis.compare.criteria.${k}`)}</th>
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

/** How each part of a small site map is drawn (the HTML report's colours, src/compare/report-html.ts). */
const MAP_STYLE = {
  exclusion: { fill: '#e33', fillOpacity: 0.25, stroke: '#c00', fillRule: 'evenodd' },
  covered: { fill: '#3a3', fillOpacity: 0.25, stroke: 'none', fillRule: 'evenodd' },
  assessed: { fill: 'none', stroke: '#555', strokeDasharray: '4 3' },
  site: { fill: '#000', fillOpacity: 0.08, stroke: '#000', strokeWidth: 2 },
  point: { fill: 'none', stroke: '#000', strokeWidth: 2.5 },
} as const satisfies Record<string, SVGProps<SVGPathElement>>;
const DOT = { priority: { fill: '#1a3d8f', r: 4 }, other: { fill: '#8a9a9a', r: 3 } } as const;
const MAP_PX = 170;

/** The compared sites side by side in rank order, each on a small map drawn from the core's shapes (the report's projection). */
function SiteMaps({ sites, onShow }: { sites: ComparedSite[]; onShow?(siteId: string): void }) {
  const { t } = useTranslation();
  return (
    <div className="site-maps-block">
      <h3>{t('analysis.compare.maps')}</h3>
      <ol className="site-maps" data-testid="site-maps">
        {sites.map((s) => (
          <li key={s.id} className="site-map" data-testid="site-map" data-name={s.name} data-rank={s.rank}>
            {onShow ? (
              <button type="button" className="site-map-show" data-testid="site-map-show" title={t('analysis.compare.mapShow')} onClick={() => onShow(s.id)}>
                <SmallMap map={s.map} label={t('analysis.compare.mapLabel', { name: s.name, count: s.depositCount })} />
              </button>
            ) : (
              <SmallMap map={s.map} label={t('analysis.compare.mapLabel', { name: s.name, count: s.depositCount })} />
            )}
            <div className="site-map-caption" title={s.name}>
              <strong>{s.rank}.</strong> <span className="site-name">{s.name}</span>
              <span className="site-map-score">{s.score.toFixed(4)}</span>
            </div>
            {s.excluded ? <div className="error small">({t('analysis.compare.excluded')})</div> : null}
            <div className="muted small">{t('analysis.compare.deposits', { count: s.depositCount, priority: s.priorityCount })}</div>
            {s.map.omittedDots ? <div className="muted small">{t('analysis.compare.mapMore', { count: s.map.omittedDots })}</div> : null}
          </li>
        ))}
      </ol>
      <MapLegend />
    </div>
  );
}

function SmallMap({ map, label }: { map: SiteMapData; label: string }) {
  const under = map.paths.filter((p) => p.kind !== 'site');
  const site = map.paths.filter((p) => p.kind === 'site');
  return (
    <svg width={MAP_PX} height={MAP_PX} viewBox={`0 0 ${map.size} ${map.size}`} role="img" aria-label={label} className="small-map">
      {under.map((p, i) => (
        <path key={i} d={p.d} {...MAP_STYLE[p.kind]} vectorEffect="non-scaling-stroke" data-kind={p.kind}>
          {p.title ? <title>{p.title}</title> : null}
        </path>
      ))}
      {map.dots.map((d, i) => (
        <circle key={i} cx={d.x} cy={d.y} {...(d.priority ? DOT.priority : DOT.other)} data-testid="site-map-dot" data-priority={d.priority}>
          <title>{d.name}</title>
        </circle>
      ))}
      {site.map((p, i) => (
        <path key={i} d={p.d} {...(map.point ? MAP_STYLE.point : MAP_STYLE.site)} vectorEffect="non-scaling-stroke" data-kind="site" />
      ))}
    </svg>
  );
}

function MapLegend() {
  const { t } = useTranslation();
  const swatch = (child: ReactNode) => (
    <svg width={14} height={14} viewBox="0 0 14 14" aria-hidden="true">
      {child}
    </svg>
  );
  const items: [string, ReactNode][] = [
    ['priority', <circle cx={7} cy={7} r={3.5} fill={DOT.priority.fill} />],
    ['other', <circle cx={7} cy={7} r={2.5} fill={DOT.other.fill} />],
    ['covered', <rect x={1} y={1} width={12} height={12} fill={MAP_STYLE.covered.fill} fillOpacity={MAP_STYLE.covered.fillOpacity} />],
    ['exclusion', <rect x={1} y={1} width={12} height={12} fill={MAP_STYLE.exclusion.fill} fillOpacity={MAP_STYLE.exclusion.fillOpacity} stroke={MAP_STYLE.exclusion.stroke} />],
    ['assessed', <rect x={1} y={1} width={12} height={12} fill="none" stroke={MAP_STYLE.assessed.stroke} strokeDasharray="3 2" />],
    ['site', <path d="M2 7L12 7M7 2L7 12" stroke="#000" strokeWidth={2} />],
  ];
  return (
    <ul className="map-legend" data-testid="map-legend">
      {items.map(([k, icon]) => (
        <li key={k}>
          {swatch(icon)} {t(`analysis.compare.legend.${k}`)}
        </li>
      ))}
    </ul>
  );
}

/** Where to centre the map on a site: a point, or the middle of its outer rings' box (longitudes taken around the first vertex, so a site across the antimeridian stays whole). */
function siteCentre(g: NonNullable<SiteItem['geometry']>): [number, number] {
  if (g.type === 'Point') return [g.coordinates[0], g.coordinates[1]];
  const rings = g.type === 'Polygon' ? [g.coordinates[0]] : g.coordinates.map((p) => p[0]);
  const lon0 = rings[0][0][0];
  const wrap = (d: number) => ((((d + 180) % 360) + 360) % 360) - 180;
  const lons = rings.flat().map((p) => wrap(p[0] - lon0));
  const lats = rings.flat().map((p) => p[1]);
  return [wrap(lon0 + (Math.min(...lons) + Math.max(...lons)) / 2), (Math.min(...lats) + Math.max(...lats)) / 2];
}
