import { useTranslation } from 'react-i18next';
import { vocabLabel } from '../../src/model/vocab';
import type { Lang } from '../i18n';
import { OTHER_COLOR, PALETTE } from './palette';
import { surveyLegend, type SurveyColorBy } from './survey-style';

export interface LegendProps {
  surveyColorBy: SurveyColorBy;
  /** Agencies with the most survey areas in the project (for colouring by agency). */
  agencies: readonly string[];
  onSurveyColorBy(by: SurveyColorBy): void;
}

/** Colour key of the deposit symbols and the survey areas (by status or by agency). */
export function Legend({ surveyColorBy, agencies, onSurveyColorBy }: LegendProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  return (
    <section className="legend" aria-label={t('legend.title')} data-testid="legend">
      <h2>{t('legend.title')}</h2>
      <ul>
        {PALETTE.map((p) => (
          <li key={p.key}>
            <span className="swatch" style={{ background: p.color }} />
            {vocabLabel('commodity', p.key, lang)}
          </li>
        ))}
        <li>
          <span className="swatch" style={{ background: OTHER_COLOR }} />
          {t('legend.other')}
        </li>
      </ul>
      <p className="hint">{t('legend.clusters')}</p>
      <h2>
        {t('legend.surveysBy')}
        <span className="legend-switch">
          {(['status', 'agency'] as const).map((m) => (
            <button
              key={m}
              type="button"
              aria-pressed={surveyColorBy.mode === m}
              data-testid={`survey-color-${m}`}
              onClick={() => onSurveyColorBy(m === 'status' ? { mode: 'status' } : { mode: 'agency', agencies })}
            >
              {t(m === 'status' ? 'legend.byStatus' : 'legend.byAgency')}
            </button>
          ))}
        </span>
      </h2>
      <ul data-testid="survey-legend">
        {surveyLegend(surveyColorBy).map(([key, color]) => (
          <li key={key ?? ''}>
            <span className="swatch area" style={{ background: `${color}33`, borderColor: color }} />
            {key === null ? t(surveyColorBy.mode === 'status' ? 'legend.noStatus' : 'legend.otherAgency') : surveyColorBy.mode === 'status' ? vocabLabel('surveyStatus', key, lang) : key}
          </li>
        ))}
      </ul>
    </section>
  );
}
