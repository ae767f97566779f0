import { useTranslation } from 'react-i18next';
import type { ReferenceLayerItem } from '../../src/api/contract';
import { REFERENCE_COLORS } from '../map/style';

export interface ReferenceLayersPanelProps {
  layers: readonly ReferenceLayerItem[];
  hidden: ReadonlySet<string>;
  onToggle(name: string, visible: boolean): void;
}

/**
 * The project's stored reference layers (imported under Compare sites › Layers) on the main map:
 * one show/hide checkbox per layer, with its role's symbol and its feature count.
 */
export function ReferenceLayersPanel({ layers, hidden, onToggle }: ReferenceLayersPanelProps) {
  const { t } = useTranslation();
  return (
    <section className="reference-layers" data-testid="reference-layers">
      <h2>{t('referenceLayers.title')}</h2>
      {!layers.length ? <p className="hint">{t('referenceLayers.none')}</p> : null}
      <ul>
        {layers.map((l) => (
          <li key={l.name} data-testid="reference-layer-item" data-name={l.name}>
            <label title={l.sourceFile ?? undefined}>
              <input type="checkbox" checked={!hidden.has(l.name)} onChange={(e) => onToggle(l.name, e.target.checked)} aria-label={t('referenceLayers.show', { name: l.name })} data-testid="reference-layer-show" />
              {l.role === 'exclusion' ? (
                <span className="swatch area hatched" style={{ background: `${REFERENCE_COLORS.exclusion}22`, borderColor: REFERENCE_COLORS.exclusion }} />
              ) : (
                <span className="swatch line" style={{ background: REFERENCE_COLORS.infrastructure }} />
              )}
              <span className="text">
                <span className="name">{l.name}</span>{' '}
                <span className="hint">
                  {t(l.role === 'exclusion' ? 'referenceLayers.exclusion' : 'referenceLayers.infrastructure')} · {t('referenceLayers.count', { count: l.featureCount })}
                </span>
              </span>
            </label>
          </li>
        ))}
      </ul>
    </section>
  );
}
