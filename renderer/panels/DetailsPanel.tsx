import { useTranslation } from 'react-i18next';
import type { ApiFeature, OutcropApi } from '../../src/api/contract';
import { vocabLabel } from '../../src/model/vocab';
import type { Lang } from '../i18n';
import { toDecimal, toDms } from '../map/coords';
import type { Selection } from '../map/MapView';
import { commodityColor } from '../map/palette';
import { ProvenanceSection } from './ProvenanceSection';

export interface DetailsPanelProps {
  selection: Selection | null;
  /** The full record from the core, once fetched (deposits and surveys). */
  feature: ApiFeature | null;
  onClose(): void;
  /** Given: the record's provenance (who recorded and changed it, here or in another team) is shown. */
  api?: OutcropApi;
}

const codes = (v: unknown): string[] => (typeof v === 'string' && v ? v.split(';').map((s) => s.trim()).filter(Boolean) : Array.isArray(v) ? v.map(String) : []);

/** What the user clicked: a deposit, a survey area or a cluster. */
export function DetailsPanel({ selection, feature, onClose, api }: DetailsPanelProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  if (!selection) {
    return (
      <section className="details" data-testid="details">
        <h2>{t('details.title')}</h2>
        <p className="hint">{t('details.empty')}</p>
      </section>
    );
  }
  const p = { ...selection.properties, ...(feature?.properties ?? {}) };
  const rows: [string, string][] = [];
  const add = (key: string, value: string | null | undefined) => {
    if (value) rows.push([t(`details.fields.${key}`), value]);
  };
  if (selection.layer === 'clusters') {
    add('count', Number(p.count).toLocaleString());
    add('commodity', p.commodity ? vocabLabel('commodity', String(p.commodity), lang) : null);
  } else if (selection.layer === 'deposits') {
    const main = codes(selection.properties.commodities ?? p.commodities_main);
    add('commodities', main.map((c) => vocabLabel('commodity', c, lang)).join(', '));
    add('commodities_secondary', codes(p.commodities_secondary).map((c) => vocabLabel('commodity', c, lang)).join(', '));
    add('status', p.status ? vocabLabel('devStatus', String(p.status), lang) : null);
    // The reported type when it maps to no class of the vocabulary (e.g. MRDS "Igneous").
    add('deposit_type', p.deposit_type ? vocabLabel('depositType', String(p.deposit_type), lang) : p.deposit_type_text ? String(p.deposit_type_text) : null);
    add('country', p.country ? String(p.country) : null);
    add('admin_area', p.admin_area ? String(p.admin_area) : null);
    const at = selection.lngLat;
    add('coordinates', at ? `${toDecimal(at[1])}, ${toDecimal(at[0])} (${toDms(at[1], 'lat')} ${toDms(at[0], 'lng')})` : t('details.noLocation'));
    add('source', [p.source, p.source_id].filter(Boolean).map(String).join(' · ') || null);
    add('id', p.id ? String(p.id) : null);
  } else {
    add('agency', p.agency ? String(p.agency) : null);
    add('status', p.status ? vocabLabel('surveyStatus', String(p.status), lang) : null);
    add('methods', codes(selection.properties.methods ?? p.methods).map((m) => vocabLabel('surveyMethod', m, lang)).join(', '));
    if (feature && !feature.geometry) add('coordinates', t('details.noLocation'));
    add('id', p.id ? String(p.id) : null);
  }
  const kind = t(`details.${selection.layer === 'clusters' ? 'cluster' : selection.layer === 'deposits' ? 'deposit' : 'survey'}`);
  const main = codes(selection.properties.commodity ?? selection.properties.commodities)[0];
  return (
    <section className="details" data-testid="details">
      <header>
        <h2>
          {selection.layer !== 'surveys' ? <span className="swatch" style={{ background: commodityColor(main) }} /> : null}
          {kind}
        </h2>
        <button type="button" onClick={onClose} aria-label={t('details.close')} data-testid="details-close">
          ×
        </button>
      </header>
      {selection.layer === 'clusters' ? (
        <p className="hint">{t('details.clusterHint', { count: Number(p.count) })}</p>
      ) : (
        <>
          <h3 data-testid="details-name">{String(p.name ?? '')}</h3>
          {p.name_ja ? <p className="name-ja">{String(p.name_ja)}</p> : null}
        </>
      )}
      <dl>
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {api && feature && selection.layer !== 'clusters' ? <ProvenanceSection api={api} layer={selection.layer} feature={feature} /> : null}
    </section>
  );
}
