import { useTranslation } from 'react-i18next';
import { vocabLabel } from '../../src/model/vocab';
import type { Lang } from '../i18n';
import { OTHER_COLOR, PALETTE } from './palette';
import { COLORS } from './style';

/** Colour key of the deposit symbols and the survey areas. */
export function Legend() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  return (
    <section className="legend" aria-label={t('legend.title')}>
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
        <li>
          <span className="swatch area" style={{ background: `${COLORS.survey}33`, borderColor: COLORS.survey }} />
          {t('legend.surveys')}
        </li>
      </ul>
      <p className="hint">{t('legend.clusters')}</p>
    </section>
  );
}
