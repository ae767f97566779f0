import { useTranslation } from 'react-i18next';
import type { ApiLayer } from '../../src/api/contract';

export interface EditToolsProps {
  /** A deposit or survey is selected and loaded: it can be edited. */
  canEdit: boolean;
  error: string | null;
  onCreate(layer: ApiLayer): void;
  onEdit(): void;
}

/** The pen's entry points: draw a new survey area or deposit, or edit the selected feature. */
export function EditTools({ canEdit, error, onCreate, onEdit }: EditToolsProps) {
  const { t } = useTranslation();
  return (
    <section className="edit-tools" data-testid="edit-tools">
      <h2>{t('edit.title')}</h2>
      <div className="buttons">
        <button type="button" onClick={() => onCreate('surveys')} data-testid="new-survey">
          {t('edit.newSurvey')}
        </button>
        <button type="button" onClick={() => onCreate('deposits')} data-testid="new-deposit">
          {t('edit.newDeposit')}
        </button>
        <button type="button" onClick={onEdit} disabled={!canEdit} data-testid="edit-selected">
          {t('edit.editShape')}
        </button>
      </div>
      {error ? (
        <p className="field-problem" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
