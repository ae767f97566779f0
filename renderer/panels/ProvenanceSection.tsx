import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiFeature, ApiLayer, ChangeAuthor, FeatureProvenance, OutcropApi } from '../../src/api/contract';

export interface ProvenanceSectionProps {
  api: OutcropApi;
  layer: ApiLayer;
  feature: ApiFeature;
}

/** Where a record comes from: source, agency, observer, and who recorded and last changed it (here, or another team via a package). */
export function ProvenanceSection({ api, layer, feature }: ProvenanceSectionProps) {
  const { t, i18n } = useTranslation();
  const [prov, setProv] = useState<FeatureProvenance | null>(null);
  const stamp = String(feature.properties.updated_at ?? '');
  useEffect(() => {
    let live = true;
    setProv(null);
    void api.call('exchange.provenance', { layer, id: feature.id }).then((r) => {
      if (live && r.ok) setProv(r.value);
    });
    return () => {
      live = false;
    };
  }, [api, layer, feature.id, stamp]);

  const p = feature.properties;
  const text = (v: unknown) => (typeof v === 'string' && v ? v : null);
  const author = (a: ChangeAuthor) => {
    const team = [a.team, a.agency].filter(Boolean).join(' · ');
    // A received change names its team once, in "received from …".
    const who = [a.actor, team && a.here ? `(${team})` : null].filter(Boolean).join(' ') || '?';
    const where = a.here ? t('exchange.provenance.here') : t('exchange.provenance.received', { who: team || '?' });
    return `${t('exchange.provenance.by', { at: new Date(a.at).toLocaleString(i18n.language), who })} — ${where}`;
  };
  const rows: [string, string, string][] = [];
  const add = (key: string, label: string, value: string | null) => {
    if (value) rows.push([key, label, value]);
  };
  // The details above already show a deposit's source and a survey's agency.
  if (layer === 'surveys') add('source', t('exchange.provenance.source'), [text(p.source), text(p.source_id)].filter(Boolean).join(' · ') || null);
  if (layer === 'deposits') add('agency', t('exchange.provenance.agency'), text(p.agency));
  add('team', t('exchange.team'), text(p.team));
  add('observer', t('exchange.provenance.observer'), text(p.observer));
  if (prov?.created) add('created', t('exchange.provenance.created'), author(prov.created));
  if (prov?.lastChanged && prov.lastChanged !== prov.created && prov.lastChanged.at !== prov.created?.at) add('changed', t('exchange.provenance.changed'), author(prov.lastChanged));

  return (
    <div className="provenance" data-testid="provenance">
      <h4>{t('exchange.provenance.title')}</h4>
      <dl>
        {rows.map(([key, label, value]) => (
          <div key={key} data-testid={`provenance-${key}`}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {prov?.openConflicts ? (
        <p className="conflict-flag" data-testid="provenance-conflicts">
          {t('exchange.provenance.openConflicts', { count: prov.openConflicts })}
        </p>
      ) : null}
    </div>
  );
}
