import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProjectInfo } from '../../src/api/contract';
import type { Lang } from '../i18n';

export interface ProjectBarProps {
  project: ProjectInfo | null;
  busy: boolean;
  /** Web mode has no native dialogs, so the user types the path. */
  onOpen(path: string, create: boolean): void;
  onLanguage(lang: Lang): void;
}

/** Title, project path with Open / Create, the open project's summary, and the language switch. */
export function ProjectBar({ project, busy, onOpen, onLanguage }: ProjectBarProps) {
  const { t, i18n } = useTranslation();
  const [path, setPath] = useState('');
  const submit = (create: boolean) => onOpen(path.trim(), create);
  return (
    <header className="project-bar">
      <div className="brand">
        <strong>{t('app.title')}</strong> <span className="subtitle">{t('app.subtitle')}</span>
      </div>
      <form
        className="project-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit(false);
        }}
      >
        <label htmlFor="project-path">{t('project.pathLabel')}</label>
        <input
          id="project-path"
          data-testid="project-path"
          type="text"
          value={path}
          placeholder={t('project.pathPlaceholder')}
          onChange={(e) => setPath(e.target.value)}
          spellCheck={false}
        />
        <button type="submit" data-testid="project-open" disabled={busy}>
          {t('project.open')}
        </button>
        <button type="button" data-testid="project-create" disabled={busy} onClick={() => submit(true)}>
          {t('project.create')}
        </button>
      </form>
      <div className="project-summary" data-testid="project-summary">
        {project
          ? t('project.opened', { name: project.name, deposits: project.counts.deposits.toLocaleString(), surveys: project.counts.surveys.toLocaleString() })
          : null}
      </div>
      <div className="lang-switch" role="group" aria-label={t('lang.label')}>
        {(['en', 'ja'] as const).map((l) => (
          <button key={l} type="button" data-testid={`lang-${l}`} aria-pressed={i18n.language === l} onClick={() => onLanguage(l)}>
            {t(`lang.${l}`)}
          </button>
        ))}
      </div>
    </header>
  );
}
