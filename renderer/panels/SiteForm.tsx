import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisOptions, ApiError, OutcropApi, ProjectInfo, SiteItem } from '../../src/api/contract';
import type { DrawController, DrawTool } from '../map/draw';
import { errorText } from '../problem-text';

type Geometry = NonNullable<SiteItem['geometry']>;

export interface SiteFormProps {
  api: OutcropApi;
  options: AnalysisOptions | null;
  /** The stored site being edited; null: a new site. */
  site: SiteItem | null;
  /** The app's pen (the one that draws surveys): picks a point or draws / reshapes an area. */
  draw: DrawController;
  tool: DrawTool;
  /** Bumped by the app whenever the pen's shape changes. */
  shapeVersion: number;
  /** The point selected on the map (a deposit or a click), offered as a new site's location. */
  selectedPoint: [number, number] | null;
  selectedName?: string | null;
  onSaved(site: SiteItem, project: ProjectInfo): void;
  /** A permit review was added (edit only). */
  onReviewed(site: SiteItem, project: ProjectInfo): void;
  onCancel?(): void;
}

/**
 * Where the site's geometry comes from: typed coordinates, the stored shape (editing an area),
 * or the pen (a point picked / an area drawn / the stored shape being moved on the map).
 */
type Source = 'typed' | 'kept' | 'pen';

const today = () => new Date().toISOString().slice(0, 10);
const targetsOf = (text: string) => text.split(/[,;、，]/).map((s) => s.trim()).filter(Boolean);

function draftOf(site: SiteItem | null) {
  const g = site?.geometry;
  return {
    name: site?.name ?? '',
    roles: site?.roles ?? [],
    targets: site?.targetCommodities.join(', ') ?? '',
    permitStage: site?.permitStage ?? '',
    notes: site?.notes ?? '',
    // A stored point is edited as its exact coordinates (not rounded for display).
    lng: g?.type === 'Point' ? String(g.coordinates[0]) : '',
    lat: g?.type === 'Point' ? String(g.coordinates[1]) : '',
  };
}

/** Corners of a (multi)polygon shown to the user: each ring's vertices without the closing repeat. */
const cornerCount = (g: Geometry) => (g.type === 'Point' ? 1 : (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).reduce((n, p) => n + p.reduce((m, r) => m + r.length - 1, 0), 0));

/** The add / edit form of a candidate site: name, roles, target commodities, permit stage, notes, its place, and (editing) its permit reviews. */
export function SiteForm({ api, options, site, draw, tool, shapeVersion, selectedPoint, selectedName = null, onSaved, onReviewed, onCancel }: SiteFormProps) {
  const { t, i18n } = useTranslation();
  const ja = i18n.language === 'ja';
  const [draft, setDraft] = useState(() => draftOf(site));
  const [source, setSource] = useState<Source>(site?.geometry && site.geometry.type !== 'Point' ? 'kept' : 'typed');
  const [penMode, setPenMode] = useState<'point' | 'area' | 'edit' | null>(null);
  /** A refused save is kept as the core's error, worded at render time (the language may change). */
  const [error, setError] = useState<string | ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const [review, setReview] = useState({ date: today(), stage: '', note: '' });
  const [reviewError, setReviewError] = useState<ApiError | null>(null);

  // The pen is ours while `source` is 'pen': put it down when the form goes away. Another tool
  // taking it (New survey area, a query or coverage area) leaves the form on its previous source;
  // `own` tells our own pen calls from theirs (the pen reports tool changes synchronously).
  const holdsPen = useRef(false);
  holdsPen.current = source === 'pen';
  const own = useRef(false);
  const mine = (f: () => void) => {
    own.current = true;
    try {
      f();
    } finally {
      own.current = false;
    }
  };
  const fallback: Source = site?.geometry && site.geometry.type !== 'Point' ? 'kept' : 'typed';
  useEffect(
    () =>
      draw.subscribe({
        onCreated: () => {},
        onShapeChanged: () => {},
        // 'edit' follows a finished outline or point of ours; anything else not from us is another tool.
        onTool: (next) => {
          if (!holdsPen.current || own.current || next === 'edit') return;
          holdsPen.current = false;
          setPenMode(null);
          setSource(fallback);
        },
      }),
    [draw, fallback],
  );
  useEffect(
    () => () => {
      if (holdsPen.current) mine(() => draw.reset());
    },
    [draw], // eslint-disable-line react-hooks/exhaustive-deps
  );

  const penShape = source === 'pen' ? draw.shape() : null;
  void shapeVersion; // re-read the pen's shape on every change the app reports

  const startPen = (mode: 'point' | 'area' | 'edit') => {
    setError(null);
    try {
      mine(() => {
        if (mode === 'edit' && site?.geometry) draw.edit(site.geometry);
        else draw.create(mode === 'point' ? 'deposit' : 'survey');
      });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return;
    }
    setPenMode(mode);
    setSource('pen');
  };
  const stopPen = (next: Source) => {
    // Leaving the pen with a point in it: its coordinates become the typed ones.
    if (next === 'typed' && penShape?.type === 'Point') setDraft((d) => ({ ...d, lng: String(penShape.coordinates[0]), lat: String(penShape.coordinates[1]) }));
    mine(() => draw.reset());
    setPenMode(null);
    setSource(next);
  };

  const lngLatOk = draft.lng.trim() !== '' && draft.lat.trim() !== '' && Math.abs(Number(draft.lng)) <= 180 && Math.abs(Number(draft.lat)) <= 90;
  const geometry = (): Geometry | null => {
    if (source === 'typed') return lngLatOk ? { type: 'Point', coordinates: [Number(draft.lng), Number(draft.lat)] } : null;
    if (source === 'kept') return site?.geometry ?? null;
    return draw.shape() as Geometry | null;
  };
  // A site with permit reviews takes its stage from the latest one (the core keeps it so).
  const reviewed = !!site?.permitReviews.length;
  const label = (list: { code: string; en: string; ja: string }[] | undefined, code: string) => {
    const e = list?.find((x) => x.code === code);
    return e ? (ja ? e.ja : e.en) : code;
  };

  const save = async () => {
    const g = geometry();
    if (!g) return setError(t('analysis.site.needShape'));
    setSaving(true);
    const r = await api.call('sites.save', {
      ...(site ? { id: site.id } : {}),
      name: draft.name.trim(),
      // The pen's GeoJSON types are looser than the contract's tuples; the core validates the shape.
      geometry: g as never,
      roles: draft.roles,
      targetCommodities: targetsOf(draft.targets),
      permitStage: (reviewed ? site!.permitStage : draft.permitStage) || null,
      notes: draft.notes.trim() ? draft.notes : null,
    });
    setSaving(false);
    if (!r.ok) return setError(r.error);
    setError(null);
    if (source === 'pen') mine(() => draw.reset());
    setPenMode(null);
    if (!site) {
      setDraft(draftOf(null));
      setSource('typed');
    }
    onSaved(r.value.site, r.value.project);
  };

  const addReview = async () => {
    if (!site) return;
    const r = await api.call('sites.permitReview', { siteId: site.id, date: review.date.trim(), stage: review.stage, note: review.note.trim() ? review.note : null });
    if (!r.ok) return setReviewError(r.error);
    setReviewError(null);
    setReview({ date: today(), stage: '', note: '' });
    onReviewed(r.value.site, r.value.project);
  };

  const drawing = source === 'pen' && tool !== null && tool !== 'edit';
  const hint = source !== 'pen' ? null : penMode === 'area' && drawing ? 'drawHint' : penMode === 'point' && drawing ? 'pickHint' : 'editHint';

  return (
    <div className="site-form" data-testid={site ? 'site-edit-form' : 'site-add-form'}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label className="field">
          <span>{t('analysis.compare.name')}</span>
          <input data-testid="site-name" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
        </label>
        <fieldset className="site-place">
          <legend>{t('analysis.site.place')}</legend>
          {source === 'typed' ? (
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
          ) : source === 'kept' && site?.geometry ? (
            <p className="small" data-testid="site-shape">
              {t('analysis.site.shapeKept', { count: cornerCount(site.geometry) })}
            </p>
          ) : (
            <p className="small" data-testid="site-shape">
              {penShape?.type === 'Point'
                ? t('analysis.site.shapePoint', { lon: penShape.coordinates[0].toFixed(5), lat: penShape.coordinates[1].toFixed(5) })
                : penShape
                  ? t('analysis.site.shapeArea', { count: cornerCount(penShape) })
                  : null}
            </p>
          )}
          {hint ? (
            <p className="hint small" data-testid="site-pen-hint">
              {t(`analysis.site.${hint}`)}
            </p>
          ) : null}
          <div className="buttons">
            {source === 'typed' && selectedPoint ? (
              <button
                type="button"
                data-testid="site-use-selected"
                onClick={() => setDraft({ ...draft, name: draft.name || selectedName || '', lng: selectedPoint[0].toFixed(5), lat: selectedPoint[1].toFixed(5) })}
              >
                {t('analysis.compare.useSelected')}
              </button>
            ) : null}
            <button type="button" data-testid="site-pick-point" onClick={() => startPen('point')}>
              {t('analysis.site.pickPoint')}
            </button>
            <button type="button" data-testid="site-draw-area" onClick={() => startPen('area')}>
              {t('analysis.site.drawArea')}
            </button>
            {site?.geometry ? (
              <button type="button" data-testid="site-edit-shape" onClick={() => startPen('edit')}>
                {t('analysis.site.editShape')}
              </button>
            ) : null}
            {source !== 'typed' ? (
              <button type="button" data-testid="site-type-coords" onClick={() => stopPen('typed')}>
                {t('analysis.site.typeCoords')}
              </button>
            ) : null}
            {source === 'pen' && site?.geometry ? (
              <button type="button" data-testid="site-keep-shape" onClick={() => stopPen(site.geometry?.type === 'Point' ? 'typed' : 'kept')}>
                {t('analysis.site.keepShape')}
              </button>
            ) : null}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('analysis.compare.roles')}</legend>
          {options?.roles.map((r) => (
            <label key={r.code} className="check">
              <input
                type="checkbox"
                data-testid={`site-role-${r.code}`}
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
          {reviewed ? (
            <span className="small" data-testid="site-permit-follows">
              {t('analysis.site.permitFollows', { stage: site!.permitStage ? label(options?.permitStages, site!.permitStage) : t('analysis.compare.permitNone') })}
            </span>
          ) : (
            <select data-testid="site-permit" value={draft.permitStage} onChange={(e) => setDraft({ ...draft, permitStage: e.target.value })}>
              <StageOptions stages={options?.permitStages} ja={ja} none={t('analysis.compare.permitNone')} />
            </select>
          )}
        </label>
        <label className="field">
          <span>{t('analysis.site.notes')}</span>
          <textarea data-testid="site-notes" rows={2} value={draft.notes} onChange={(e) => setDraft({ ...draft, notes: e.target.value })} />
        </label>
        {error ? (
          <p className="error" role="alert" data-testid="site-form-error">
            {typeof error === 'string' ? error : t('analysis.site.failed', { message: errorText(t, error, i18n.language) })}
          </p>
        ) : null}
        <div className="buttons">
          <button type="submit" className="primary" data-testid="site-save" disabled={saving || !draft.name.trim() || (source === 'typed' && !lngLatOk)}>
            {site ? t('analysis.site.saveChanges') : t('analysis.compare.save')}
          </button>
          {onCancel ? (
            <button type="button" data-testid="site-cancel" onClick={onCancel}>
              {t('analysis.site.cancel')}
            </button>
          ) : null}
        </div>
      </form>
      {site ? (
        <section className="permit-reviews" aria-label={t('analysis.site.reviews')}>
          <h4>{t('analysis.site.reviews')}</h4>
          {site.permitReviews.length ? (
            <ol data-testid="permit-reviews">
              {site.permitReviews.map((r, i) => (
                <li key={i} data-testid="permit-review" data-date={r.date} data-stage={r.stage}>
                  <span className="date">{r.date}</span> <strong>{label(options?.permitStages, r.stage)}</strong>
                  {r.note ? <span className="muted"> — {r.note}</span> : null}
                </li>
              ))}
            </ol>
          ) : (
            <p className="hint small">{t('analysis.site.noReviews')}</p>
          )}
          <form
            className="review-form"
            onSubmit={(e) => {
              e.preventDefault();
              void addReview();
            }}
          >
            <div className="row">
              <label className="field">
                <span>{t('analysis.site.reviewDate')}</span>
                <input data-testid="review-date" placeholder={t('analysis.site.reviewDatePlaceholder')} value={review.date} onChange={(e) => setReview({ ...review, date: e.target.value })} />
              </label>
              <label className="field">
                <span>{t('analysis.site.reviewStage')}</span>
                <select data-testid="review-stage" value={review.stage} onChange={(e) => setReview({ ...review, stage: e.target.value })}>
                  <StageOptions stages={options?.permitStages} ja={ja} none={t('analysis.compare.permitNone')} />
                </select>
              </label>
            </div>
            <label className="field">
              <span>{t('analysis.site.reviewNote')}</span>
              <input data-testid="review-note" value={review.note} onChange={(e) => setReview({ ...review, note: e.target.value })} />
            </label>
            {reviewError ? (
              <p className="error" role="alert" data-testid="review-error">
                {errorText(t, reviewError, i18n.language)}
              </p>
            ) : null}
            <button type="submit" data-testid="review-add" disabled={!review.stage || !review.date.trim()}>
              {t('analysis.site.addReview')}
            </button>
          </form>
        </section>
      ) : null}
    </div>
  );
}

/** The permit stages as select options (labels in the UI's language), after "none". */
function StageOptions({ stages, ja, none }: { stages: { code: string; en: string; ja: string }[] | undefined; ja: boolean; none: string }) {
  return (
    <>
      <option value="">{none}</option>
      {stages?.map((s) => (
        <option key={s.code} value={s.code}>
          {ja ? s.ja : s.en}
        </option>
      ))}
    </>
  );
}
