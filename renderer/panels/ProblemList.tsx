import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../src/api/contract';
import { errorText, problemText, problemWhere } from '../problem-text';

/** A failed job's message and every problem the core listed (scrollable). */
export function ProblemList({ error, prefix }: { error: ApiError; prefix: string }) {
  const { t, i18n } = useTranslation();
  const problems = error.problems ?? [];
  return (
    <div className="job-error" data-testid="job-error">
      <p className="error-message" data-testid="job-error-message">
        {t(prefix, { message: errorText(t, error, i18n.language) })}
      </p>
      {problems.length ? (
        <>
          <p className="hint">{t('importDialog.problems', { count: problems.length })}</p>
          <div className="problems" data-testid="job-problems">
            <table>
              <thead>
                <tr>
                  <th>{t('importDialog.colFile')}</th>
                  <th>{t('importDialog.colFeature')}</th>
                  <th>{t('importDialog.colId')}</th>
                  <th>{t('importDialog.colField')}</th>
                  <th>{t('importDialog.colMessage')}</th>
                </tr>
              </thead>
              <tbody>
                {problems.map((p, i) => (
                  <tr key={i}>
                    <td>{p.file ?? ''}</td>
                    <td>{p.featureIndex !== undefined ? String(p.featureIndex) : problemWhere(t, p)}</td>
                    <td>{p.featureId !== undefined ? String(p.featureId) : ''}</td>
                    <td>{p.field ?? ''}</td>
                    <td>{problemText(t, p, i18n.language)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </div>
  );
}
