import { useTranslation } from 'react-i18next';
import type { ApiFilter } from '../../src/api/contract';
import { CodeChips, type CodeOption } from './CodeChips';

export interface MapFilterProps {
  filter: ApiFilter;
  /** Agencies and countries found in the project (most frequent first). */
  agencies: readonly string[];
  countries: readonly string[];
  onChange(filter: ApiFilter): void;
  /** The user is about to choose: load the agencies and countries (they are not loaded on open). */
  onWantChoices(): void;
}

const options = (values: readonly string[]): CodeOption[] => values.map((v) => ({ code: v, label: v }));

/** Provenance filter of the map: which agencies' and countries' deposits and survey areas are drawn. */
export function MapFilter({ filter, agencies, countries, onChange, onWantChoices }: MapFilterProps) {
  const { t } = useTranslation();
  const set = (key: 'agency' | 'country', v: string[]) => {
    const next = { ...filter, [key]: v };
    if (!v.length) delete next[key];
    onChange(next);
  };
  const active = !!(filter.agency?.length || filter.country?.length);
  return (
    <section className="map-filter" data-testid="map-filter" onFocusCapture={onWantChoices}>
      <h2>{t('mapFilter.title')}</h2>
      <div className="field">
        <label htmlFor="map-filter-agency">{t('mapFilter.agency')}</label>
        <CodeChips id="map-filter-agency" value={filter.agency ?? []} options={options(agencies)} onChange={(v) => set('agency', v)} placeholder={t('mapFilter.pick')} allowFree />
      </div>
      <div className="field">
        <label htmlFor="map-filter-country">{t('mapFilter.country')}</label>
        <CodeChips id="map-filter-country" value={filter.country ?? []} options={options(countries)} onChange={(v) => set('country', v)} placeholder={t('mapFilter.pick')} allowFree />
      </div>
      <p className="hint" data-testid="map-filter-state">
        {active ? t('mapFilter.active') : t('mapFilter.all')}
        {active ? (
          <button type="button" className="link" onClick={() => onChange({})} data-testid="map-filter-clear">
            {t('mapFilter.clear')}
          </button>
        ) : null}
      </p>
    </section>
  );
}
