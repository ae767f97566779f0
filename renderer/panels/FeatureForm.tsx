import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, ApiFeature, ApiLayer, OutcropApi, ProjectInfo } from '../../src/api/contract';
import { COMMODITIES, DEPOSIT_TYPES, DEV_STATUSES, SURVEY_METHODS, SURVEY_STATUSES } from '../../src/model/vocab';
import type { Lang } from '../i18n';
import type { DrawTool } from '../map/draw';
import { CodeChips, type CodeOption } from './CodeChips';
import { errorText, problemText } from '../problem-text';
import { fieldProblems, type FormShape, type Problem } from './feature-form.model';

export interface FormTarget {
  layer: ApiLayer;
  /** Absent for a feature being created. */
  id?: string;
  properties: Record<string, unknown>;
  /** An existing feature without a location (cleared in another program): the user places it. */
  noLocation?: boolean;
}

export interface FeatureFormProps {
  api: OutcropApi;
  target: FormTarget;
  /** The shape held by the pen (null until one is drawn). */
  shape(): FormShape | null;
  /** Changes whenever the held shape changes (revalidate). */
  shapeVersion: number;
  tool: DrawTool;
  holes: number;
  onTool(tool: 'part' | 'hole' | 'removeHole'): void;
  onSaved(feature: ApiFeature, project: ProjectInfo): void;
  onDeleted(project: ProjectInfo): void;
  onCancel(): void;
}

type Input = { key: string; kind: 'text' | 'textarea' | 'date' } | { key: string; kind: 'codes'; vocab: 'commodity' | 'surveyMethod' } | { key: string; kind: 'select'; vocab: 'depositType' | 'devStatus' | 'surveyStatus' };

const DEPOSIT_INPUTS: Input[] = [
  { key: 'name', kind: 'text' },
  { key: 'name_ja', kind: 'text' },
  { key: 'name_romaji', kind: 'text' },
  { key: 'commodities_main', kind: 'codes', vocab: 'commodity' },
  { key: 'commodities_secondary', kind: 'codes', vocab: 'commodity' },
  { key: 'deposit_type', kind: 'select', vocab: 'depositType' },
  { key: 'status', kind: 'select', vocab: 'devStatus' },
  { key: 'host_rock', kind: 'text' },
  { key: 'country', kind: 'text' },
  { key: 'admin_area', kind: 'text' },
  { key: 'agency', kind: 'text' },
  { key: 'observer', kind: 'text' },
  { key: 'notes', kind: 'textarea' },
];
const SURVEY_INPUTS: Input[] = [
  { key: 'name', kind: 'text' },
  { key: 'agency', kind: 'text' },
  { key: 'team', kind: 'text' },
  { key: 'country', kind: 'text' },
  { key: 'methods', kind: 'codes', vocab: 'surveyMethod' },
  { key: 'status', kind: 'select', vocab: 'surveyStatus' },
  { key: 'start_date', kind: 'date' },
  { key: 'end_date', kind: 'date' },
  { key: 'notes', kind: 'textarea' },
];
const TONNAGE_UNITS = ['t', 'kt', 'Mt'];
const GRADE_UNITS = ['%', 'g/t', 'ppm', 'kg/t', 'mg/L'];
const VALIDATE_DELAY_MS = 250;

const asCodes = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? v.split(';') : []);

/**
 * The attribute form of a deposit or survey being drawn or edited: pick-lists from the
 * vocabularies, and the core's own validation shown under each field as the user types
 * (features.validate, nothing written) and again on Save.
 */
export function FeatureForm({ api, target, shape, shapeVersion, tool, holes, onTool, onSaved, onDeleted, onCancel }: FeatureFormProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [props, setProps] = useState<Record<string, unknown>>(target.properties);
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const seq = useRef(0);
  const deposit = target.layer === 'deposits';

  const options = useMemo(() => {
    const opt = (list: readonly { code: string; en: string; ja: string; symbol?: string }[]): CodeOption[] =>
      list.map((e) => ({ code: e.code, label: e[lang], search: [e.en, e.ja, e.symbol ?? ''].join('|') }));
    return {
      commodity: opt(COMMODITIES as readonly { code: string; en: string; ja: string; symbol?: string }[]),
      depositType: opt(DEPOSIT_TYPES),
      devStatus: opt(DEV_STATUSES),
      surveyMethod: opt(SURVEY_METHODS),
      surveyStatus: opt(SURVEY_STATUSES),
    };
  }, [lang]);

  // Inline validation: the core checks the record (and the held shape) a moment after each change.
  useEffect(() => {
    const my = ++seq.current;
    const timer = setTimeout(() => {
      const geometry = shape();
      void api.call('features.validate', { layer: target.layer, ...(target.id ? { id: target.id } : {}), properties: props, ...(geometry ? { geometry: geometry as never } : {}) }).then((r) => {
        if (my !== seq.current) return;
        setProblems(r.ok ? r.value : (r.error.problems ?? [{ message: r.error.message, code: r.error.key, params: r.error.params }]));
      });
    }, VALIDATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [api, props, shapeVersion, target.layer, target.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const set = (key: string, value: unknown) => setProps((p) => ({ ...p, [key]: value === '' ? null : value }));
  const resources = Array.isArray(props.resources) ? (props.resources as Record<string, unknown>[]) : [];
  const estimate = resources[0] ?? {};
  const setEstimate = (key: string, value: unknown) => {
    const next = { ...estimate, [key]: value === '' ? null : value };
    const empty = Object.values(next).every((v) => v === null || v === undefined);
    set('resources', empty ? resources.slice(1) : [next, ...resources.slice(1)]);
  };

  const byField = fieldProblems(problems ?? [], (p) => problemText(t, p, i18n.language));
  const save = async () => {
    // A feature stored without a location may keep it so: its fields are saved as they are.
    const geometry = shape() ?? (target.noLocation && target.id ? null : undefined);
    if (geometry === undefined) {
      setError({ code: 'VALIDATION', message: t('edit.noShape') });
      return;
    }
    setSaving(true);
    setError(null);
    const r = deposit
      ? await api.call('features.saveDeposit', { ...(target.id ? { id: target.id } : {}), properties: props, geometry: geometry as never })
      : await api.call('features.saveSurvey', { ...(target.id ? { id: target.id } : {}), properties: props, geometry: geometry as never });
    setSaving(false);
    if (r.ok) onSaved(r.value.feature, r.value.project);
    else {
      setError(r.error);
      if (r.error.problems) setProblems(r.error.problems);
    }
  };
  const remove = async () => {
    if (!target.id || !window.confirm(t('edit.confirmDelete', { name: String(props.name ?? '') }))) return;
    const r = await api.call('features.delete', { layer: target.layer, ids: [target.id] });
    if (r.ok) onDeleted(r.value.project);
    else setError(r.error);
  };

  const fieldMessage = (key: string) => {
    const msgs = byField.get(key);
    return msgs?.length ? (
      <span className="field-problem" role="alert" data-testid={`problem-${key}`}>
        {msgs.join('; ')}
      </span>
    ) : null;
  };

  const renderInput = (input: Input) => {
    const id = `form-${input.key}`;
    const bad = byField.has(input.key);
    const value = props[input.key];
    let control;
    if (input.kind === 'codes') control = <CodeChips id={id} value={asCodes(value)} options={options[input.vocab]} onChange={(v) => set(input.key, v)} invalid={bad} />;
    else if (input.kind === 'select')
      control = (
        <select id={id} value={typeof value === 'string' ? value : ''} onChange={(e) => set(input.key, e.target.value)} aria-invalid={bad || undefined}>
          <option value="">{t('edit.none')}</option>
          {options[input.vocab].map((o) => (
            <option key={o.code} value={o.code}>
              {o.label}
            </option>
          ))}
        </select>
      );
    else if (input.kind === 'textarea') control = <textarea id={id} rows={3} value={typeof value === 'string' ? value : ''} onChange={(e) => set(input.key, e.target.value)} />;
    else
      control = (
        <input
          id={id}
          type="text"
          value={value === null || value === undefined ? '' : String(value)}
          placeholder={input.kind === 'date' ? t('edit.datePlaceholder') : undefined}
          onChange={(e) => set(input.key, e.target.value)}
          aria-invalid={bad || undefined}
          data-testid={id}
        />
      );
    return (
      <div key={input.key} className={`field${bad ? ' invalid' : ''}`}>
        <label htmlFor={id}>
          {t(`edit.fields.${input.key}`)}
          {input.key === 'name' ? <span className="required"> ({t('edit.required')})</span> : null}
        </label>
        {control}
        {fieldMessage(input.key)}
      </div>
    );
  };

  const shapeMsgs = byField.get('geometry') ?? [];
  const other = byField.get('') ?? [];
  const hint = tool === 'survey' ? 'hintSurvey' : tool === 'deposit' ? 'hintDeposit' : tool === 'part' ? 'hintPart' : tool === 'hole' ? 'hintHole' : 'hintEdit';
  const title = target.id ? (deposit ? 'editDepositTitle' : 'editSurveyTitle') : deposit ? 'newDepositTitle' : 'newSurveyTitle';

  return (
    <section className="feature-form" data-testid="feature-form">
      <h2>{t(`edit.${title}`)}</h2>
      {target.noLocation && !shape() ? (
        <p className="field-problem" data-testid="form-no-location">
          {t(deposit ? 'edit.noLocationDeposit' : 'edit.noLocationSurvey')}
        </p>
      ) : null}
      <p className="hint" data-testid="draw-hint">
        {t(`edit.${hint}`)}
      </p>
      {!deposit ? (
        <div className="shape-tools">
          <button type="button" onClick={() => onTool('part')} disabled={tool !== 'edit'} data-testid="draw-part">
            {t('edit.addPart')}
          </button>
          <button type="button" onClick={() => onTool('hole')} disabled={tool !== 'edit'} data-testid="draw-hole">
            {t('edit.cutHole')}
          </button>
          <button type="button" onClick={() => onTool('removeHole')} disabled={!holes} data-testid="remove-hole">
            {t('edit.removeHole')}
          </button>
          {holes ? <span className="hint">{t('edit.holes', { count: holes })}</span> : null}
        </div>
      ) : null}
      {shapeMsgs.map((m) => (
        <p key={m} className="field-problem" role="alert" data-testid="problem-geometry">
          {t('edit.shapeProblem', { message: m })}
        </p>
      ))}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {(deposit ? DEPOSIT_INPUTS : SURVEY_INPUTS).map(renderInput)}
        {deposit ? (
          <fieldset className={`resource${byField.has('resources') ? ' invalid' : ''}`}>
            <legend>{t('edit.resource')}</legend>
            <label>
              {t('edit.fields.tonnage')}
              <input type="number" step="any" value={num(estimate.tonnage)} onChange={(e) => setEstimate('tonnage', e.target.value === '' ? '' : Number(e.target.value))} data-testid="form-tonnage" />
            </label>
            <label>
              {t('edit.fields.tonnageUnit')}
              <select value={str(estimate.tonnageUnit)} onChange={(e) => setEstimate('tonnageUnit', e.target.value)}>
                <option value="">{t('edit.none')}</option>
                {TONNAGE_UNITS.map((u) => (
                  <option key={u}>{u}</option>
                ))}
              </select>
            </label>
            <label>
              {t('edit.fields.grade')}
              <input type="number" step="any" value={num(estimate.grade)} onChange={(e) => setEstimate('grade', e.target.value === '' ? '' : Number(e.target.value))} data-testid="form-grade" />
            </label>
            <label>
              {t('edit.fields.gradeUnit')}
              <select value={str(estimate.gradeUnit)} onChange={(e) => setEstimate('gradeUnit', e.target.value)}>
                <option value="">{t('edit.none')}</option>
                {GRADE_UNITS.map((u) => (
                  <option key={u}>{u}</option>
                ))}
              </select>
            </label>
            <label>
              {t('edit.fields.commodity')}
              <select value={str(estimate.commodity)} onChange={(e) => setEstimate('commodity', e.target.value)}>
                <option value="">{t('edit.none')}</option>
                {options.commodity.map((o) => (
                  <option key={o.code} value={o.code}>
                    {o.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('edit.fields.year')}
              <input type="number" value={num(estimate.year)} onChange={(e) => setEstimate('year', e.target.value === '' ? '' : Number(e.target.value))} />
            </label>
            {fieldMessage('resources')}
          </fieldset>
        ) : null}
        {other.map((m) => (
          <p key={m} className="field-problem" role="alert">
            {m}
          </p>
        ))}
        {error && !error.problems ? (
          <p className="field-problem" role="alert" data-testid="form-error">
            {errorText(t, error, i18n.language)}
          </p>
        ) : null}
        <p className="hint" data-testid="form-status">
          {problems === null ? t('edit.checking') : problems.length === 0 ? t('edit.valid') : null}
        </p>
        <div className="form-buttons">
          <button type="submit" className="primary" disabled={saving} data-testid="form-save">
            {saving ? t('edit.saving') : t('edit.save')}
          </button>
          <button type="button" onClick={onCancel} data-testid="form-cancel">
            {t('edit.cancel')}
          </button>
          {target.id ? (
            <button type="button" className="danger" onClick={() => void remove()} data-testid="form-delete">
              {t('edit.delete')}
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : '');
const str = (v: unknown) => (typeof v === 'string' ? v : '');
