import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiFilter, ApiError, ApiFeature, ApiLayer, BasemapInfo, ProjectInfo, QueryHit, QueryResult, TableRow, Polygon, MenuCommand, ReferenceLayerItem } from '../src/api/contract';
import { getApi } from './api/client';
import { errorText } from './problem-text';
import type { Lang } from './i18n';
import { DrawController, HOLE_COLOR, type DrawTool } from './map/draw';
import { Legend } from './map/Legend';
import type { MapOverlay } from './map/overlays';
import type { SurveyColorBy } from './map/survey-style';
import { MapView, type Selection } from './map/MapView';
import { pickKind, runQuery, type MapPick, type QueryMode } from './map/query.tool';
import { QueryTools } from './map/QueryTools';
import { BasemapPanel } from './panels/BasemapPanel';
import { ReferenceLayersPanel } from './panels/ReferenceLayersPanel';
import { MapFilter } from './panels/MapFilter';
import { DetailsPanel } from './panels/DetailsPanel';
import { EditTools } from './panels/EditTools';
import { ExportDialog } from './panels/ExportDialog';
import { FeatureForm, type FormTarget } from './panels/FeatureForm';
import { FeatureTable, NO_FILTERS, tableFilter, type TableFilters } from './panels/FeatureTable';
import { ImportDialog } from './panels/ImportDialog';
import { ProjectBar } from './panels/ProjectBar';
import { StatusBar } from './panels/StatusBar';
import { Toolbar } from './panels/Toolbar';
import { ComparePanel } from './panels/ComparePanel';
import { CoveragePanel } from './panels/CoveragePanel';
import { isTypingTarget, undoShortcut } from './state/shortcuts';
import { useJobEvents } from './state/use-jobs';
import { ConflictsPanel } from './panels/ConflictsPanel';
import { ExchangeDialog, type ExchangeTab } from './panels/ExchangeDialog';
import { useConflicts } from './state/use-conflicts';

type Dialog = { kind: 'import' } | { kind: 'exchange'; tab?: ExchangeTab } | { kind: 'export'; format?: 'geojson' | 'csv' | 'gpkg'; scope?: 'all' | 'query' } | null;

/** The main window: project bar, toolbar, map with side panel, feature table, status bar, dialogs. */
export function App() {
  const { t, i18n } = useTranslation();
  const api = useMemo(() => getApi(), []);
  const jobEvents = useJobEvents(api);
  const [project, setProject] = useState<ProjectInfo | null>(null);
  const [dialogs, setDialogs] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [feature, setFeature] = useState<ApiFeature | null>(null);
  const [cursor, setCursor] = useState<[number, number] | null>(null);
  const [view, setView] = useState({ zoom: 0, lat: 0 });
  const [dialog, setDialog] = useState<Dialog>(null);
  const [showTable, setShowTable] = useState(false);
  // Planner's analysis (issue 5): the coverage and compare panels and what they draw on the map.
  const [analysis, setAnalysis] = useState<{ coverage: boolean; compare: boolean }>({ coverage: false, compare: false });
  const [coverageOverlays, setCoverageOverlays] = useState<MapOverlay[]>([]);
  // Merge conflicts (issue 6): the open ones, the panel, and both versions of the current one on the map.
  const conflicts = useConflicts(api, project);
  const [showConflicts, setShowConflicts] = useState(false);
  const [conflictOverlays, setConflictOverlays] = useState<MapOverlay[]>([]);
  const [siteOverlays, setSiteOverlays] = useState<MapOverlay[]>([]);
  const [filters, setFilters] = useState<TableFilters>(NO_FILTERS);
  const [queryMode, setQueryMode] = useState<QueryMode | null>(null);
  const [queryParams, setQueryParams] = useState({ km: 50, k: 10 });
  const [queryResult, setQueryResult] = useState<QueryResult | null>(null);
  const [flyTo, setFlyTo] = useState<{ center: [number, number]; seq: number } | null>(null);
  // The pen (terra-draw) and the attribute form of the feature it holds.
  const draw = useMemo(() => new DrawController(), []);
  const [tool, setTool] = useState<DrawTool>(null);
  const [form, setForm] = useState<FormTarget | null>(null);
  const [shapeVersion, setShapeVersion] = useState(0);
  const [editError, setEditError] = useState<string | null>(null);
  // An area drawn with the pen goes to the query tool or to the coverage panel.
  const areaFor = useRef<'query' | 'coverage' | null>(null);
  const areaHandler = useRef<(a: Polygon) => void>(() => {});
  const [queryArea, setQueryArea] = useState<Polygon | null>(null);
  const [coverageAoi, setCoverageAoi] = useState<Polygon | null>(null);
  // The user's own basemaps (remembered by the host) and which of them are hidden.
  const [basemaps, setBasemaps] = useState<BasemapInfo[]>([]);
  const [hiddenBasemaps, setHiddenBasemaps] = useState<ReadonlySet<string>>(new Set());
  // Survey areas coloured by status or by agency (the project's most frequent agencies).
  const [surveyColorBy, setSurveyColorBy] = useState<SurveyColorBy>({ mode: 'status' });
  const [agencies, setAgencies] = useState<string[]>([]);
  // The provenance filter of the map, and the agencies, countries and teams it can choose from.
  const [mapFilter, setMapFilter] = useState<ApiFilter>({});
  const [filterChoices, setFilterChoices] = useState<{ agencies: string[]; countries: string[]; teams: string[] }>({ agencies: [], countries: [], teams: [] });
  useEffect(() => setMapFilter({}), [project?.path]);
  // The choices come from the project's statistics, which scan every deposit (~2.5 s at a million):
  // asked for only once the user wants them (colour by agency, the map filter), not on open,
  // where they would hold up the first tiles.
  const [wantChoices, setWantChoices] = useState(false);
  useEffect(() => {
    if (!project || !wantChoices) return;
    void api.call('stats.summary', {}).then((r) => {
      if (!r.ok) return;
      const top = r.value.surveysByAgency.filter((a) => a.key !== null).map((a) => a.key as string);
      const keys = (...lists: { key: string | null }[][]) => [...new Set(lists.flat().flatMap((x) => (x.key === null ? [] : [x.key])))];
      setFilterChoices({ agencies: keys(r.value.depositsByAgency, r.value.surveysByAgency), countries: keys(r.value.byCountry, r.value.surveysByCountry), teams: keys(r.value.surveysByTeam) });
      setAgencies(top);
      setSurveyColorBy((by) => (by.mode === 'agency' ? { mode: 'agency', agencies: top } : by));
    });
  }, [api, project?.path, project?.counts.surveys, wantChoices]); // eslint-disable-line react-hooks/exhaustive-deps
  const shownBasemaps = useMemo(() => basemaps.filter((b) => b.tiles && !hiddenBasemaps.has(b.id)), [basemaps, hiddenBasemaps]);
  // The project's stored reference layers (roads, protected areas …) drawn on the map, and which are hidden.
  // Listed when a project opens; the compare panel reports every import and deletion.
  const [referenceLayers, setReferenceLayers] = useState<ReferenceLayerItem[]>([]);
  const [hiddenReference, setHiddenReference] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    setReferenceLayers([]);
    setHiddenReference(new Set());
    if (!project) return;
    void api.call('layers.list', {}).then((r) => {
      if (r.ok) setReferenceLayers(r.value);
    });
  }, [api, project?.path]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(
    () =>
      draw.subscribe({
        onCreated: () => setShapeVersion((v) => v + 1),
        onShapeChanged: () => setShapeVersion((v) => v + 1),
        onTool: setTool,
        onArea: (a) => areaHandler.current(a),
      }),
    [draw],
  );

  // A project opened by the host at start (npm run web -- --open p.gpkg).
  useEffect(() => {
    void api.call('project.current', {}).then((r) => {
      if (r.ok && r.value) setProject(r.value);
    });
    void api.call('app.info', {}).then((r) => {
      if (r.ok) setDialogs(r.value.dialogs);
    });
    void api.call('basemaps.list', {}).then((r) => {
      if (r.ok) setBasemaps(r.value);
    });
  }, [api]);

  useEffect(() => {
    document.documentElement.lang = i18n.language;
    document.title = `${t('app.title')} — ${t('app.subtitle')}`;
  }, [i18n.language, t]);

  const open = useCallback(
    async (path: string | undefined, create: boolean) => {
      if (!path && !dialogs) {
        setError({ code: 'USAGE', message: t('project.needPath') });
        return;
      }
      setBusy(true);
      setError(null);
      const r = await api.call('project.open', { ...(path ? { path } : {}), create });
      setBusy(false);
      if (!r.ok) setError(r.error);
      else if (r.value) {
        setProject(r.value);
        setSelection(null);
        setFeature(null);
        setQueryResult(null);
      }
    },
    [api, t, dialogs],
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

  const fly = useCallback((center: [number, number]) => setFlyTo((f) => ({ center, seq: (f?.seq ?? 0) + 1 })), []);
  const [fitTo, setFitTo] = useState<{ bbox: [number, number, number, number]; seq: number } | null>(null);
  const fitBounds = useCallback((bbox: [number, number, number, number]) => setFitTo((f) => ({ bbox, seq: (f?.seq ?? 0) + 1 })), []);
  const selectRow = useCallback(
    (layer: ApiLayer, row: TableRow) => {
      select({ layer, properties: { id: row.id, name: row.name }, lngLat: row.center });
      if (row.center) fly(row.center); // a feature without a location stays listed, selectable and editable
    },
    [select, fly],
  );
  const selectHit = useCallback(
    (hit: QueryHit) => {
      select({ layer: 'deposits', properties: { id: hit.id, name: hit.name }, lngLat: hit.coordinates });
      fly(hit.coordinates);
    },
    [select, fly],
  );

  const undoRedo = useCallback(
    async (method: 'edit.undo' | 'edit.redo') => {
      if (method === 'edit.undo' && draw.undoVertex()) return;
      // The form holds a copy of the record: finish or cancel it before stepping through history.
      if (form) return;
      const r = await api.call(method, {});
      if (!r.ok) setError(r.error);
      else {
        setError(null);
        setProject(r.value);
        // An undo/redo of a reference-layer import or deletion brings back or takes away layers.
        void api.call('layers.list', {}).then((l) => {
          if (l.ok) setReferenceLayers(l.value);
        });
      }
    },
    [api, draw, form],
  );

  const pick = useCallback(
    (p: MapPick) => {
      if (!queryMode) return;
      const q = runQuery(api, queryMode, p, queryParams);
      void q?.then((r) => {
        if (!r.ok) setError(r.error);
        else {
          setError(null);
          setQueryResult(r.value);
        }
      });
    },
    [api, queryMode, queryParams],
  );

  // "In drawn area": the pen draws the area; each closed area runs the query, then the pen waits
  // for the next one until another mode is chosen.
  const chooseQueryMode = useCallback(
    (m: QueryMode | null) => {
      setQueryMode(m);
      if (m === 'area') {
        areaFor.current = 'query';
        draw.pickArea();
      } else if (draw.currentTool === 'area') {
        areaFor.current = null;
        draw.reset();
      }
    },
    [draw],
  );
  areaHandler.current = (a: Polygon) => {
    if (areaFor.current === 'coverage') {
      areaFor.current = null;
      setCoverageAoi(a);
    } else if (areaFor.current === 'query') {
      setQueryArea(a);
      pick({ kind: 'area', polygon: a as never });
      draw.pickArea();
    }
  };

  // Keyboard and menu commands go through one place, so they act as a click would.
  // (startCreate and addBasemap are filled in below, where they are defined.)
  const commands = useRef({ undoRedo, open, setDialog, project, startCreate: (_l: ApiLayer) => {}, addBasemap: () => {} });
  commands.current = { ...commands.current, undoRedo, open, setDialog, project };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const which = undoShortcut(e);
      if (!which || isTypingTarget(e.target) || !commands.current.project) return;
      e.preventDefault();
      void commands.current.undoRedo(which === 'undo' ? 'edit.undo' : 'edit.redo');
    };
    window.addEventListener('keydown', onKey);
    const bridge = window.outcrop as (typeof window.outcrop & { onMenuCommand?(l: (c: MenuCommand) => void): () => void }) | undefined;
    const off = bridge?.onMenuCommand?.((c) => {
      const { undoRedo, open, setDialog, project, startCreate, addBasemap } = commands.current;
      if (c.command === 'edit.undo' || c.command === 'edit.redo') void undoRedo(c.command);
      else if (c.command === 'project.open') void open(c.path, false);
      else if (c.command === 'project.new') void open(undefined, true);
      else if (project && c.command === 'jobs.import') setDialog({ kind: 'import' });
      else if (project && c.command === 'jobs.export') setDialog({ kind: 'export', format: c.format });
      else if (project && c.command === 'draw.survey') startCreate('surveys');
      else if (project && c.command === 'draw.deposit') startCreate('deposits');
      else if (c.command === 'basemaps.add') addBasemap();
      else if (project && c.command === 'exchange.open') setDialog({ kind: 'exchange', tab: c.tab });
    });
    return () => {
      window.removeEventListener('keydown', onKey);
      off?.();
    };
  }, []);

  const startCreate = useCallback(
    (layer: ApiLayer) => {
      setQueryMode(null);
      setEditError(null);
      draw.create(layer === 'surveys' ? 'survey' : 'deposit');
      setForm({ layer, properties: {} });
      setShapeVersion((v) => v + 1);
    },
    [draw],
  );
  const startEdit = useCallback(
    (layer: ApiLayer, f: ApiFeature) => {
      setQueryMode(null);
      setEditError(null);
      try {
        // No location (cleared in another program): the pen starts as for a new feature, to place it.
        if (f.geometry) draw.edit(f.geometry);
        else draw.create(layer === 'surveys' ? 'survey' : 'deposit');
      } catch (e) {
        setEditError(e instanceof Error ? e.message : String(e));
        return;
      }
      setForm({ layer, id: f.id, properties: f.properties, ...(f.geometry ? {} : { noLocation: true }) });
      setShapeVersion((v) => v + 1);
    },
    [draw],
  );
  commands.current.startCreate = startCreate;
  commands.current.addBasemap = () =>
    void api.call('basemaps.add', {}).then(async (r) => {
      if (!r.ok) return setError(r.error);
      const list = await api.call('basemaps.list', {});
      if (list.ok) setBasemaps(list.value);
    });
  const endEdit = useCallback(() => {
    draw.reset();
    setForm(null);
  }, [draw]);
  const holeOverlay = useMemo<MapOverlay[]>(() => {
    const holes = form ? draw.holeRings : [];
    if (!holes.length) return [];
    return [{ id: 'edit-holes', color: HOLE_COLOR, fillOpacity: 0.1, dashed: true, data: { type: 'FeatureCollection', features: holes.map((r) => ({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [r] }, properties: {} })) } }];
  }, [draw, form, shapeVersion]); // eslint-disable-line react-hooks/exhaustive-deps
  const queryAreaOverlay = useMemo<MapOverlay[]>(
    () =>
      queryMode === 'area' && queryArea && queryResult
        ? [{ id: 'query-area', color: '#d7263d', fillOpacity: 0.06, dashed: true, data: { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: queryArea, properties: {} }] } }]
        : [],
    [queryMode, queryArea, queryResult],
  );
  const overlays = useMemo(
    () => [...coverageOverlays, ...siteOverlays, ...(showConflicts ? conflictOverlays : []), ...holeOverlay, ...queryAreaOverlay],
    [coverageOverlays, siteOverlays, showConflicts, conflictOverlays, holeOverlay, queryAreaOverlay],
  );

  const onView = useCallback((v: { zoom: number; lat: number }) => setView(v), []);
  const selectedId = selection && selection.layer !== 'clusters' && typeof selection.properties.id === 'string' ? selection.properties.id : null;

  return (
    <div className="app">
      <ProjectBar project={project} busy={busy} onOpen={(p, c) => void open(p, c)} onLanguage={(l: Lang) => void i18n.changeLanguage(l)} />
      <Toolbar
        project={project}
        showTable={showTable}
        onImport={() => setDialog({ kind: 'import' })}
        onExport={() => setDialog({ kind: 'export' })}
        onUndo={() => void undoRedo('edit.undo')}
        onRedo={() => void undoRedo('edit.redo')}
        onToggleTable={() => setShowTable((s) => !s)}
        onExchange={() => setDialog({ kind: 'exchange' })}
        conflictCount={conflicts.open.length}
        showConflicts={showConflicts}
        onToggleConflicts={() => setShowConflicts((s) => !s)}
        analysis={analysis}
        onToggleAnalysis={(k) => setAnalysis((a) => ({ ...a, [k]: !a[k] }))}
      />
      <main className={`workspace${showTable && project ? ' with-table' : ''}`}>
        <MapView
          api={api}
          project={project}
          selectedId={form ? null : selectedId}
          onSelect={select}
          onCursor={setCursor}
          onView={onView}
          pickMode={queryMode ? pickKind(queryMode) : null}
          onPick={pick}
          hits={queryResult?.hits ?? null}
          flyTo={flyTo}
          fitTo={fitTo}
          overlays={overlays}
          draw={draw}
          drawing={tool !== null}
          hiddenId={form?.id ?? null}
          basemaps={shownBasemaps}
          surveyColorBy={surveyColorBy}
          mapFilter={mapFilter}
          referenceLayers={referenceLayers}
          hiddenReference={hiddenReference}
        />
        <aside className="side-panel">
          {!project ? (
            <p className="notice" data-testid="no-project">
              {t('project.none')}
            </p>
          ) : null}
          {project && showConflicts ? (
            <ConflictsPanel
              api={api}
              conflicts={conflicts.open}
              resolvedCount={conflicts.resolved}
              zoom={view.zoom}
              onOverlays={setConflictOverlays}
              onFocus={fly}
              onResolved={setProject}
              onClose={() => setShowConflicts(false)}
            />
          ) : null}
          {project && analysis.coverage ? (
            <CoveragePanel
              api={api}
              project={project}
              jobEvents={jobEvents}
              onOverlays={setCoverageOverlays}
              onClose={() => setAnalysis((a) => ({ ...a, coverage: false }))}
              drawnAoi={coverageAoi}
              drawingAoi={tool === 'area' && areaFor.current === 'coverage'}
              onFitBounds={fitBounds}
              onDrawAoi={() => {
                setQueryMode(null);
                areaFor.current = 'coverage';
                draw.pickArea();
              }}
            />
          ) : null}
          {project && form ? (
            <FeatureForm
              key={form.id ?? `new-${form.layer}`}
              api={api}
              target={form}
              shape={() => draw.shape()}
              shapeVersion={shapeVersion}
              tool={tool}
              holes={draw.holeRings.length}
              onTool={(t) => (t === 'removeHole' ? draw.removeLastHole() : draw.drawExtra(t))}
              onSaved={(f, p) => {
                endEdit();
                setProject(p);
                const g = f.geometry;
                const at: [number, number] | null = !g ? null : g.type === 'Point' ? [g.coordinates[0], g.coordinates[1]] : [g.coordinates[0][0][0][0], g.coordinates[0][0][0][1]];
                select({ layer: form.layer, properties: { id: f.id, name: f.properties.name }, lngLat: at });
              }}
              onDeleted={(p) => {
                endEdit();
                setProject(p);
                select(null);
              }}
              onCancel={endEdit}
            />
          ) : null}
          {project && !form ? (
            <EditTools
              error={editError}
              canEdit={!!feature && !!selection && selection.layer !== 'clusters'}
              onCreate={startCreate}
              onEdit={() => {
                if (feature && selection && selection.layer !== 'clusters') startEdit(selection.layer, feature);
              }}
            />
          ) : null}
          {!form ? <DetailsPanel selection={selection} feature={feature} onClose={() => select(null)} api={api} /> : null}
          {project && !form ? (
            <QueryTools
              mode={queryMode}
              onMode={chooseQueryMode}
              km={queryParams.km}
              k={queryParams.k}
              onParams={setQueryParams}
              result={queryResult}
              onHit={selectHit}
              onClear={() => setQueryResult(null)}
              onExport={() => setDialog({ kind: 'export', scope: 'query' })}
            />
          ) : null}
          <Legend
            surveyColorBy={surveyColorBy}
            agencies={agencies}
            onSurveyColorBy={(by) => {
              if (by.mode === 'agency') setWantChoices(true);
              setSurveyColorBy(by);
            }}
          />
          {project ? (
            <MapFilter filter={mapFilter} agencies={filterChoices.agencies} countries={filterChoices.countries} teams={filterChoices.teams} onChange={setMapFilter} onWantChoices={() => setWantChoices(true)} />
          ) : null}
          {project ? (
            <ReferenceLayersPanel
              layers={referenceLayers}
              hidden={hiddenReference}
              onToggle={(name, visible) => setHiddenReference((h) => withHidden(h, name, !visible))}
            />
          ) : null}
          <BasemapPanel
            api={api}
            dialogs={dialogs}
            basemaps={basemaps}
            hidden={hiddenBasemaps}
            onChange={setBasemaps}
            onToggle={(id, visible) => setHiddenBasemaps((h) => withHidden(h, id, !visible))}
          />
        </aside>
        {project && analysis.compare ? (
          <ComparePanel
            api={api}
            project={project}
            desktop={dialogs}
            selectedPoint={selection?.lngLat ?? null}
            selectedName={selection && selection.layer !== 'clusters' && typeof selection.properties.name === 'string' ? selection.properties.name : null}
            onProject={setProject}
            onReferenceLayers={setReferenceLayers}
            onOverlays={setSiteOverlays}
            onClose={() => setAnalysis((a) => ({ ...a, compare: false }))}
            draw={draw}
            tool={tool}
            shapeVersion={shapeVersion}
            onFly={fly}
          />
        ) : null}
        {showTable && project ? (
          <FeatureTable api={api} project={project} selectedId={selectedId} filters={filters} onFilters={setFilters} onSelectRow={selectRow} />
        ) : null}
      </main>
      <StatusBar cursor={cursor} view={view} project={project} message={error ? t('errors.generic', { message: errorText(t, error, i18n.language) }) : null} />
      {dialog?.kind === 'import' && project ? (
        <ImportDialog api={api} dialogs={dialogs} jobEvents={jobEvents} onClose={() => setDialog(null)} onImported={setProject} />
      ) : null}
      {dialog?.kind === 'exchange' && project ? (
        <ExchangeDialog
          api={api}
          dialogs={dialogs}
          jobEvents={jobEvents}
          initialTab={dialog.tab}
          onClose={() => setDialog(null)}
          onMerged={setProject}
          onShowConflicts={() => {
            setDialog(null);
            setShowConflicts(true);
          }}
        />
      ) : null}
      {dialog?.kind === 'export' && project ? (
        <ExportDialog
          api={api}
          dialogs={dialogs}
          jobEvents={jobEvents}
          filter={tableFilter(filters)}
          queryIds={queryResult?.hits.map((h) => h.id) ?? null}
          initialFormat={dialog.format}
          initialScope={dialog.scope}
          onClose={() => setDialog(null)}
        />
      ) : null}
    </div>
  );
}

/** A copy of the set of hidden layers with `key` hidden or shown. */
function withHidden(hidden: ReadonlySet<string>, key: string, hide: boolean): Set<string> {
  const next = new Set(hidden);
  if (hide) next.add(key);
  else next.delete(key);
  return next;
}
