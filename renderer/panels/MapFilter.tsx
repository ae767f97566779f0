import { useTranslation } from 'react-i18next';
import type { ApiFilter } from '../../src/api/contract';
import { CodeChips, type CodeOption } from './CodeChips';

export interface MapFilterProps {
  filter: ApiFilter;
  /** Agencies, countries and survey teams found in the project (most frequent first). */
  agencies: readonly string[];
  countries: readonly string[];
  teams: readonly string[];
  onChange(filter: ApiFilter): void;
  /** The user is about to choose: load the agencies, countries and teams (they are not loaded on open). */
  onWantChoices(): void;
}

const options = (values: readonly string[]): CodeOption[] => values.map((v) => ({ code: v, label: v }));

/**
 * Provenance filter of the map: which agencies', teams' and countries' deposits and survey areas
 * are drawn. A deposit's team is its survey's, so a team filter hides deposits in no survey.
 */
export function MapFilter({ filter, agencies, countries, teams, onChange, onWantChoices }: MapFilterProps) {
  const { t } = useTranslation();
  const set = (key: 'agency' | 'team' | 'country', v: string[]) => {
    const next = { ...filter, [key]: v };
    if (!v.length) delete next[key];
    onChange(next);
  };
  const active = !!(filter.agency?.length || filter.team?.length || filter.country?.length);
  return (
    <section className="map-filter" data-testid="map-filter" onFocusCapture={onWantChoices}>
      <h2>{t('mapFilter.title')}</h2>
      <div className="field">
        <label htmlFor="map-filter-agency">{t('mapFilter.agency')}</label>
        <CodeChips id="map-filter-agency" value={filter.agency ?? []} options={options(agencies)} onChange={(v) => set('agency', v)} placeholder={t('mapFilter.pick')} allowFree />
      </div>
      <div className="field">
        <label htmlFor="map-filter-team">{t('mapFilter.team')}</label>
        <CodeChips id="map-filter-team" value={filter.team ?? []} options={options(teams)} onChange={(v) => set('team', v)} placeholder={t('mapFilter.pick')} allowFree />
      </div>
      {filter.team?.length ? (
        <p className="hint" data-testid="map-filter-team-hint">
          {t('mapFilter.teamHint')}
        </p>
      ) : null}
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
