import { useTranslation } from 'react-i18next';
import type { ImportInspection } from '../../src/api/contract';

/** A choice per source field: an Outcrop field, or null = keep it as an extra property. */
export type FieldChoices = Record<string, string | null>;

/** The starting choices: the remembered mapping for these fields if any, else the automatic one. */
export function initialChoices(insp: ImportInspection): FieldChoices {
  const out: FieldChoices = {};
  for (const f of insp.fields) out[f.name] = insp.remembered && Object.hasOwn(insp.remembered.map, f.name) ? insp.remembered.map[f.name] : f.auto;
  return out;
}

/** Targets chosen by more than one source field (the core refuses that; say it here first). */
export function duplicateTargets(choices: FieldChoices): [string, string[]][] {
  const by = new Map<string, string[]>();
  for (const [s, t] of Object.entries(choices)) if (t) by.set(t, [...(by.get(t) ?? []), s]);
  return [...by].filter(([, s]) => s.length > 1);
}

export interface FieldMappingProps {
  inspection: ImportInspection;
  choices: FieldChoices;
  onChange(next: FieldChoices): void;
  disabled?: boolean;
}

/** The field mapping step: each source field, examples of its values, and where it goes. */
export function FieldMapping({ inspection, choices, onChange, disabled }: FieldMappingProps) {
  const { t } = useTranslation();
  const label = (target: string) => t(`mapping.targets.${target}`, { defaultValue: target });
  const dups = duplicateTargets(choices);
  return (
    <div className="field-mapping" data-testid="field-mapping">
      <h3>{t('mapping.title', { file: inspection.file, layer: t(inspection.layer === 'deposits' ? 'importDialog.layerDeposits' : 'importDialog.layerSurveys') })}</h3>
      <p className="hint">
        {t('mapping.sampled', { count: inspection.sampled })} {inspection.remembered ? <span data-testid="mapping-remembered">{t('mapping.remembered', { file: inspection.remembered.file })}</span> : null}
      </p>
      <table>
        <thead>
          <tr>
            <th>{t('mapping.colSource')}</th>
            <th>{t('mapping.colSamples')}</th>
            <th>{t('mapping.colTarget')}</th>
          </tr>
        </thead>
        <tbody>
          {inspection.fields.map((f) => (
            <tr key={f.name}>
              <td className="source">{f.name}</td>
              <td className="samples">{f.samples.join(' · ')}</td>
              <td>
                <select
                  value={choices[f.name] ?? ''}
                  disabled={disabled}
                  data-testid={`mapping-${f.name}`}
                  aria-label={`${f.name} → ${t('mapping.colTarget')}`}
                  onChange={(e) => onChange({ ...choices, [f.name]: e.target.value || null })}
                >
                  <option value="">{t('mapping.keepExtra')}</option>
                  {inspection.targets.map((target) => (
                    <option key={target} value={target}>
                      {label(target)}
                      {f.auto === target ? ` (${t('mapping.auto')})` : ''}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {dups.map(([target, fields]) => (
        <p key={target} className="field-problem" role="alert">
          {t('mapping.duplicate', { fields: fields.join(', '), target: label(target) })}
        </p>
      ))}
    </div>
  );
}
