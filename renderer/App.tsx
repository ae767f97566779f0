import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, ApiFeature, ProjectInfo } from '../src/api/contract';
import { getApi } from './api/client';
import type { Lang } from './i18n';
import { Legend } from './map/Legend';
import { MapView, type Selection } from './map/MapView';
import { DetailsPanel } from './panels/DetailsPanel';
import { ProjectBar } from './panels/ProjectBar';
import { StatusBar } from './panels/StatusBar';

/** The main window: project bar, map with legend and details, status bar. */
export function App() {
  const { t, i18n } = useTranslation();
  const api = useMemo(() => getApi(), []);
  const [project, setProject] = useState<ProjectInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [feature, setFeature] = useState<ApiFeature | null>(null);
  const [cursor, setCursor] = useState<[number, number] | null>(null);
  const [view, setView] = useState({ zoom: 0, lat: 0 });

  // A project opened by the host at start (npm run web -- --open p.gpkg).
  useEffect(() => {
    void api.call('project.current', {}).then((r) => {
      if (r.ok && r.value) setProject(r.value);
    });
  }, [api]);

  useEffect(() => {
    document.documentElement.lang = i18n.language;
    document.title = `${t('app.title')} — ${t('app.subtitle')}`;
  }, [i18n.language, t]);

  const open = useCallback(
    async (path: string, create: boolean) => {
      if (!path) {
        setError({ code: 'USAGE', message: t('project.needPath') });
        return;
      }
      setBusy(true);
      setError(null);
      const r = await api.call('project.open', { path, create });
      setBusy(false);
      if (!r.ok) setError(r.error);
      else if (r.value) {
        setProject(r.value);
        setSelection(null);
        setFeature(null);
      }
    },
    [api, t],
  );

  const select = useCallback(
    (s: Selection | null) => {
      setSelection(s);
      setFeature(null);
      const id = s?.properties.id;
      if (!s || s.layer === 'clusters' || typeof id !== 'string') return;
      void api.call('features.get', { layer: s.layer, id }).then((r) => {
        if (r.ok && r.value) setFeature(r.value);
      });
    },
    [api],
  );

  const onView = useCallback((v: { zoom: number; lat: number }) => setView(v), []);

  return (
    <div className="app">
      <ProjectBar project={project} busy={busy} onOpen={(p, c) => void open(p, c)} onLanguage={(l: Lang) => void i18n.changeLanguage(l)} />
      <main className="workspace">
        <MapView
          api={api}
          project={project}
          selectedId={selection && selection.layer !== 'clusters' && typeof selection.properties.id === 'string' ? selection.properties.id : null}
          onSelect={select} onCursor={setCursor} onView={onView} />
        <aside className="side-panel">
          {!project ? (
            <p className="notice" data-testid="no-project">
              {t('project.none')}
            </p>
          ) : null}
          <DetailsPanel selection={selection} feature={feature} onClose={() => select(null)} />
          <Legend />
        </aside>
      </main>
      <StatusBar cursor={cursor} view={view} project={project} message={error ? t('errors.generic', { message: error.message }) : null} />
    </div>
  );
}
