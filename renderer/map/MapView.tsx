import { useEffect, useRef } from 'react';
import { Map as MapLibreMap, NavigationControl, ScaleControl, setWorkerUrl, type MapMouseEvent } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// MapLibre 6 starts its worker from a module URL next to its own file; bundled, that file is
// gone, so the worker is shipped as an asset and named explicitly (served by the host: 'self').
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { ApiFilter, BasemapInfo, OutcropApi, ProjectInfo, QueryHit, ReferenceLayerItem } from '../../src/api/contract';
import type { DrawController } from './draw';
import { HITS_LAYER, showHits } from './hits.layer';
import { syncOverlays, type MapOverlay } from './overlays';
import { surveyColorExpression, type SurveyColorBy } from './survey-style';
import { syncUserBasemaps } from './user-basemaps';
import type { MapPick } from './query.tool';
import {
  basemapStyle,
  countryLabelLayers,
  hatchImage,
  LAYER_IDS,
  projectLayers,
  projectSources,
  REFERENCE_HATCH_IMAGE,
  REFERENCE_LAYER_IDS,
  REFERENCE_SOURCE_ID,
  referenceFilter,
  referenceLayers as referenceLayerSpecs,
  referenceSource,
  selectedFilter,
  SOURCE_IDS,
} from './style';

setWorkerUrl(new URL(workerUrl, window.location.href).href);

export type SelectionLayer = 'deposits' | 'surveys' | 'clusters';

export interface Selection {
  layer: SelectionLayer;
  properties: Record<string, unknown>;
  /** Where it was picked, or its point; null for a feature without a location (picked in the table). */
  lngLat: [number, number] | null;
}

export interface MapViewProps {
  api: OutcropApi;
  project: ProjectInfo | null;
  /** Id of the selected deposit or survey, outlined on the map. */
  selectedId: string | null;
  onSelect(selection: Selection | null): void;
  onCursor(lngLat: [number, number] | null): void;
  onView(view: { zoom: number; lat: number }): void;
  /** A query tool waiting for a pick: clicks (or a drag, for 'rect') go to onPick, not to selection. */
  pickMode?: MapPick['kind'] | null;
  onPick?(pick: MapPick): void;
  /** Query hits, outlined on top of everything. */
  hits?: readonly QueryHit[] | null;
  /** Fly here whenever `seq` changes (a row of the table, a query hit). */
  flyTo?: { center: [number, number]; seq: number } | null;
  /** Fit the map to this box [w, s, e, n] whenever `seq` changes (an area of interest picked by name). */
  fitTo?: { bbox: [number, number, number, number]; seq: number } | null;
  /** Small GeoJSON layers from panels (coverage, conflicts, sites), drawn under the query hits. */
  overlays?: readonly MapOverlay[];
  /** The pen (terra-draw), attached to the map once it loads. */
  draw?: DrawController;
  /** A drawing tool is active: clicks go to the pen, not to selection or queries. */
  drawing?: boolean;
  /** A feature being edited: hidden from the project's layers while the pen holds its shape. */
  hiddenId?: string | null;
  /** The user's own basemaps to show (MBTiles/PMTiles served by the host), under borders and data. */
  basemaps?: readonly BasemapInfo[];
  /** Colour survey areas by status or by agency. */
  surveyColorBy?: SurveyColorBy;
  /** Only deposits and survey areas matching this are drawn (the core filters the tiles). */
  mapFilter?: ApiFilter;
  /** The project's stored reference layers (roads, protected areas …), drawn under the surveys. */
  referenceLayers?: readonly ReferenceLayerItem[];
  /** Names of reference layers the user has hidden. */
  hiddenReference?: ReadonlySet<string>;
}

declare global {
  interface Window {
    /** The map, for end-to-end tests only (`?test=1`). */
    __outcropMap?: MapLibreMap;
  }
}

const NO_OVERLAYS: readonly MapOverlay[] = [];
const NO_BASEMAPS: readonly BasemapInfo[] = [];
const NO_REFERENCE: readonly ReferenceLayerItem[] = [];
const NONE_HIDDEN: ReadonlySet<string> = new Set();
const BY_STATUS: SurveyColorBy = { mode: 'status' };
const NO_FILTER: ApiFilter = {};
const TEST_MODE = new URLSearchParams(window.location.search).get('test') === '1';
const CLICK_TOLERANCE_PX = 5;
/** Below this zoom the pen does not snap to the project's vertices. */
const SNAP_MIN_ZOOM = 7;

/** The map: basemap, the open project's layers, selection by click, cursor and view reporting. */
export function MapView({ api, project, selectedId, onSelect, onCursor, onView, pickMode = null, onPick, hits = null, flyTo = null, fitTo = null, overlays = NO_OVERLAYS, draw, drawing = false, hiddenId = null, basemaps = NO_BASEMAPS, surveyColorBy = BY_STATUS, mapFilter = NO_FILTER, referenceLayers = NO_REFERENCE, hiddenReference = NONE_HIDDEN }: MapViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  // Set on the first 'load'. Not map.isStyleLoaded(): that is false again whenever a source is
  // (re)loading, and 'load' fires only once, so a project opened then would never be drawn.
  const styleReady = useRef(false);
  // The latest props, for the map's event handlers (registered once, when the map is made).
  const latest = useRef({ selectedId, onSelect, onCursor, onView, onPick, pickMode, hits, overlays, surveyColorBy, basemaps, drawing, hiddenId });
  latest.current = { selectedId, onSelect, onCursor, onView, onPick, pickMode, hits, overlays, surveyColorBy, basemaps, drawing, hiddenId };

  useEffect(() => {
    if (!container.current) return;
    const map = new MapLibreMap({
      container: container.current,
      style: basemapStyle(window.location.origin),
      center: [10, 25],
      zoom: 1.3,
      localIdeographFontFamily: 'sans-serif',
      // Each basemap source names its own source (GSI asks for its credit wherever Japan is shown).
      attributionControl: { compact: false },
      // Tests read canvas pixels back; otherwise keep the faster default.
      canvasContextAttributes: TEST_MODE ? { preserveDrawingBuffer: true } : undefined,
      renderWorldCopies: true,
    });
    mapRef.current = map;
    if (TEST_MODE) window.__outcropMap = map;
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
    map.on('load', () => {
      for (const l of countryLabelLayers()) if (!map.getLayer(l.id)) map.addLayer(l);
      showHits(map, latest.current.hits ?? []);
      syncOverlays(map, latest.current.overlays, HITS_LAYER);
      syncUserBasemaps(map, latest.current.basemaps, window.location.origin, LAYER_IDS.usStates);
      draw?.attach(map);
      styleReady.current = true;
    });

    const report = () => latest.current.onView({ zoom: map.getZoom(), lat: map.getCenter().lat });
    map.on('move', report);
    report();
    // Hover: the feature under the pointer is outlined and named in a tooltip.
    const tip = document.createElement('div');
    tip.className = 'map-tooltip';
    tip.dataset.testid = 'map-tooltip';
    tip.hidden = true;
    map.getCanvasContainer().appendChild(tip);
    let hovered: string | null = null;
    const hover = (hit: Selection | null, at?: { x: number; y: number }, label = '') => {
      const id = hit && hit.layer !== 'clusters' && typeof hit.properties.id === 'string' ? hit.properties.id : null;
      if (id !== hovered) {
        hovered = id;
        showHover(map, hit?.layer ?? null, id);
      }
      const name = hit && hit.layer !== 'clusters' ? String(hit.properties.name ?? '') : label;
      tip.hidden = !name || !at;
      if (name && at) {
        tip.textContent = name;
        tip.style.transform = `translate(${at.x + 12}px, ${at.y + 12}px)`;
      }
    };
    map.on('mousemove', (e: MapMouseEvent) => {
      latest.current.onCursor([e.lngLat.lng, e.lngLat.lat]);
      if (latest.current.drawing) return hover(null);
      const hit = pick(map, e);
      // A road, port or protected area under the pointer is named too (it is not selectable).
      hover(hit, e.point, hit ? '' : referenceLabel(map, e));
      map.getCanvas().style.cursor = latest.current.pickMode ? 'crosshair' : hit ? 'pointer' : '';
    });
    map.on('mouseout', () => {
      latest.current.onCursor(null);
      hover(null);
    });
    // "In rectangle": a drag draws a box (map panning is off while it is drawn).
    let boxStart: { x: number; y: number } | null = null;
    let boxEl: HTMLDivElement | null = null;
    map.on('mousedown', (e: MapMouseEvent) => {
      if (latest.current.pickMode !== 'rect' || latest.current.drawing) return;
      e.preventDefault();
      map.dragPan.disable();
      boxStart = { x: e.point.x, y: e.point.y };
      boxEl = document.createElement('div');
      boxEl.className = 'drag-box';
      boxEl.dataset.testid = 'drag-box';
      map.getCanvasContainer().appendChild(boxEl);
    });
    map.on('mousemove', (e: MapMouseEvent) => {
      if (!boxStart || !boxEl) return;
      const [x0, x1] = [Math.min(boxStart.x, e.point.x), Math.max(boxStart.x, e.point.x)];
      const [y0, y1] = [Math.min(boxStart.y, e.point.y), Math.max(boxStart.y, e.point.y)];
      Object.assign(boxEl.style, { left: `${x0}px`, top: `${y0}px`, width: `${x1 - x0}px`, height: `${y1 - y0}px` });
    });
    map.on('mouseup', (e: MapMouseEvent) => {
      if (!boxStart) return;
      const a = map.unproject([boxStart.x, boxStart.y]);
      const b = e.lngLat;
      boxStart = null;
      boxEl?.remove();
      boxEl = null;
      map.dragPan.enable();
      const bbox: [number, number, number, number] = [Math.min(a.lng, b.lng), Math.min(a.lat, b.lat), Math.max(a.lng, b.lng), Math.max(a.lat, b.lat)];
      if (bbox[0] < bbox[2] && bbox[1] < bbox[3]) latest.current.onPick?.({ kind: 'rect', bbox });
    });
    map.on('click', (e: MapMouseEvent) => {
      if (latest.current.drawing) return;
      if (latest.current.pickMode === 'point') {
        latest.current.onPick?.({ kind: 'point', lngLat: [e.lngLat.lng, e.lngLat.lat] });
        return;
      }
      if (latest.current.pickMode === 'survey') {
        const s = map.getLayer(LAYER_IDS.surveysFill) ? map.queryRenderedFeatures(e.point, { layers: [LAYER_IDS.surveysFill] })[0] : undefined;
        if (s && typeof s.properties.id === 'string') latest.current.onPick?.({ kind: 'survey', surveyId: s.properties.id });
        return;
      }
      if (latest.current.pickMode === 'rect') return;
      const hit = pick(map, e);
      latest.current.onSelect(hit);
      if (hit?.layer === 'clusters') map.easeTo({ center: e.lngLat, zoom: Math.min(map.getZoom() + 2, 8) });
    });
    return () => {
      if (window.__outcropMap === map) delete window.__outcropMap;
      draw?.detach();
      map.remove();
      mapRef.current = null;
      styleReady.current = false;
    };
  }, []);

  // Swap the project's sources whenever another project opens or its data changes.
  const filterJson = Object.keys(mapFilter).length ? JSON.stringify(mapFilter) : '';
  const dataKey = project ? `${project.path}\u0000${project.dataVersion}\u0000${filterJson}` : '';
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const apply = () => {
      for (const l of projectLayers()) if (map.getLayer(l.id)) map.removeLayer(l.id);
      for (const s of Object.values(SOURCE_IDS)) if (map.getSource(s)) map.removeSource(s);
      if (!project) return;
      // The project path goes into the URL so tiles of another project never come from cache.
      const tag = `${project.dataVersion}-${hash(project.path)}`;
      const sources = projectSources((layer) => api.tileUrl(layer, tag, filterJson ? mapFilter : undefined));
      for (const [id, s] of Object.entries(sources)) map.addSource(id, s);
      const before = map.getLayer(LAYER_IDS.countryLabels) ? LAYER_IDS.countryLabels : undefined;
      for (const l of projectLayers(latest.current.surveyColorBy)) map.addLayer(l, before);
      showSelection(map, latest.current.selectedId);
      hideFeature(map, latest.current.hiddenId);
    };
    if (styleReady.current) apply();
    else map.once('load', apply);
    return () => {
      map.off('load', apply);
    };
  }, [api, dataKey]); // eslint-disable-line react-hooks/exhaustive-deps

  // The stored reference layers: one source for all of them, re-made when a layer is imported,
  // replaced or deleted (the list changes), each layer shown or hidden by the layers' filters.
  const shownReference = referenceLayers.filter((l) => !hiddenReference.has(l.name)).map((l) => l.name);
  const shownKey = JSON.stringify(shownReference);
  const referenceKey = project && referenceLayers.length ? `${project.path}\u0000${referenceLayers.map((l) => `${l.name}@${l.importedAt}#${l.featureCount}`).join('\u0000')}` : '';
  const latestShown = useRef(shownReference);
  latestShown.current = shownReference;
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const apply = () => {
      for (const id of Object.values(REFERENCE_LAYER_IDS)) if (map.getLayer(id)) map.removeLayer(id);
      if (map.getSource(REFERENCE_SOURCE_ID)) map.removeSource(REFERENCE_SOURCE_ID);
      if (!referenceKey) return;
      if (!map.hasImage(REFERENCE_HATCH_IMAGE)) map.addImage(REFERENCE_HATCH_IMAGE, hatchImage());
      map.addSource(REFERENCE_SOURCE_ID, referenceSource(api.tileUrl('reference', hash(referenceKey))));
      // Above the basemap (and the user's basemaps), under the project's surveys and deposits.
      const before = [LAYER_IDS.surveysFill, LAYER_IDS.clusters, LAYER_IDS.countryLabels].find((id) => map.getLayer(id));
      for (const l of referenceLayerSpecs(latestShown.current)) map.addLayer(l, before);
    };
    if (styleReady.current) apply();
    else map.once('load', apply);
    return () => {
      map.off('load', apply);
    };
  }, [api, referenceKey]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !styleReady.current) return;
    for (const id of Object.values(REFERENCE_LAYER_IDS)) if (map.getLayer(id)) map.setFilter(id, referenceFilter(id, latestShown.current));
  }, [shownKey]);

  useEffect(() => {
    const map = mapRef.current;
    if (map && styleReady.current) showSelection(map, selectedId);
  }, [selectedId]);

  useEffect(() => {
    const map = mapRef.current;
    if (map && styleReady.current) showHits(map, hits ?? []);
  }, [hits]);

  useEffect(() => {
    const map = mapRef.current;
    if (map && styleReady.current) syncOverlays(map, overlays, HITS_LAYER);
  }, [overlays]);

  useEffect(() => {
    const map = mapRef.current;
    if (map && styleReady.current) hideFeature(map, hiddenId);
  }, [hiddenId]);

  useEffect(() => {
    const map = mapRef.current;
    if (map && styleReady.current) syncUserBasemaps(map, basemaps, window.location.origin, LAYER_IDS.usStates);
  }, [basemaps]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !styleReady.current || !map.getLayer(LAYER_IDS.surveysFill)) return;
    const color = surveyColorExpression(surveyColorBy);
    map.setPaintProperty(LAYER_IDS.surveysFill, 'fill-color', color);
    map.setPaintProperty(LAYER_IDS.surveysLine, 'line-color', color);
  }, [surveyColorBy]);

  // While drawing, the pen snaps to the project's exact vertices in view (fetched per view).
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !draw || !drawing || !project) return;
    let seq = 0;
    const load = () => {
      const my = ++seq;
      // Zoomed far out, a vertex is a fraction of a pixel from its neighbours: no snapping, and no
      // scan of a whole continent's vertices (~0.5 s at a million deposits).
      if (map.getZoom() < SNAP_MIN_ZOOM) {
        draw.setSnapVertices([]);
        return;
      }
      const b = map.getBounds();
      const clamp = (v: number, lim: number) => Math.max(-lim, Math.min(lim, v));
      const wide = b.getEast() - b.getWest() >= 360;
      const bbox: [number, number, number, number] = [
        wide ? -180 : clamp(((((b.getWest() + 180) % 360) + 360) % 360) - 180, 180),
        clamp(b.getSouth(), 90),
        wide ? 180 : clamp(((((b.getEast() + 180) % 360) + 360) % 360) - 180, 180),
        clamp(b.getNorth(), 90),
      ];
      void api.call('features.vertices', { bbox }).then((r) => {
        if (r.ok && my === seq) draw.setSnapVertices(r.value.vertices);
      });
    };
    load();
    map.on('moveend', load);
    return () => {
      seq++;
      map.off('moveend', load);
      draw.setSnapVertices([]);
    };
  }, [api, draw, drawing, project?.dataVersion]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const map = mapRef.current;
    if (map) map.getCanvas().style.cursor = pickMode ? 'crosshair' : '';
  }, [pickMode]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !flyTo) return;
    map.flyTo({ center: flyTo.center, zoom: Math.max(map.getZoom(), 9), duration: TEST_MODE ? 0 : 800 });
  }, [flyTo?.seq]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !fitTo) return;
    const [w, s, e, n] = fitTo.bbox;
    map.fitBounds(
      [
        [w, s],
        [e, n],
      ],
      { padding: 30, duration: TEST_MODE ? 0 : 800 },
    );
  }, [fitTo?.seq]); // eslint-disable-line react-hooks/exhaustive-deps

  // Zoom to a newly opened project (not on every edit).
  const path = project?.path ?? null;
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !project?.bbox) return;
    const [w, s, e, n] = project.bbox;
    map.fitBounds(
      [
        [w, Math.max(s, -75)],
        [e, Math.min(n, 80)],
      ],
      { padding: 40, maxZoom: 9, duration: 0 },
    );
  }, [path]); // eslint-disable-line react-hooks/exhaustive-deps

  return <div ref={container} className="map" data-testid="map" />;
}

/** Outline the hovered deposit or survey (null: none). */
function showHover(map: MapLibreMap, layer: SelectionLayer | null, id: string | null): void {
  if (map.getLayer(LAYER_IDS.depositHover)) map.setFilter(LAYER_IDS.depositHover, selectedFilter(layer === 'deposits' ? id : null));
  if (map.getLayer(LAYER_IDS.surveyHover)) map.setFilter(LAYER_IDS.surveyHover, selectedFilter(layer === 'surveys' ? id : null));
}

/** Hide one feature (the one the pen holds) from the tiled layers; null shows all again. */
function hideFeature(map: MapLibreMap, id: string | null): void {
  for (const l of [LAYER_IDS.deposits, LAYER_IDS.surveysFill, LAYER_IDS.surveysLine]) if (map.getLayer(l)) map.setFilter(l, id ? ['!=', ['get', 'id'], id] : null);
}

function showSelection(map: MapLibreMap, id: string | null): void {
  for (const l of [LAYER_IDS.depositSelected, LAYER_IDS.surveySelected]) if (map.getLayer(l)) map.setFilter(l, selectedFilter(id));
}

function pick(map: MapLibreMap, e: MapMouseEvent): Selection | null {
  const { x, y } = e.point;
  const box: [[number, number], [number, number]] = [
    [x - CLICK_TOLERANCE_PX, y - CLICK_TOLERANCE_PX],
    [x + CLICK_TOLERANCE_PX, y + CLICK_TOLERANCE_PX],
  ];
  const order: [string, SelectionLayer][] = [
    [LAYER_IDS.deposits, 'deposits'],
    [LAYER_IDS.clusters, 'clusters'],
    [LAYER_IDS.surveysFill, 'surveys'],
  ];
  for (const [id, layer] of order) {
    if (!map.getLayer(id)) continue;
    const f = map.queryRenderedFeatures(layer === 'surveys' ? e.point : box, { layers: [id] })[0];
    if (f) {
      const g = f.geometry;
      const lngLat: [number, number] = g.type === 'Point' ? [g.coordinates[0], g.coordinates[1]] : [e.lngLat.lng, e.lngLat.lat];
      return { layer, properties: { ...f.properties }, lngLat };
    }
  }
  return null;
}

/** "Feature name — layer name" of the reference feature under the pointer, or ''. */
function referenceLabel(map: MapLibreMap, e: MapMouseEvent): string {
  const ids = Object.values(REFERENCE_LAYER_IDS).filter((id) => id !== REFERENCE_LAYER_IDS.exclusionHatch && map.getLayer(id));
  if (!ids.length) return '';
  const { x, y } = e.point;
  const f = map.queryRenderedFeatures(
    [
      [x - CLICK_TOLERANCE_PX, y - CLICK_TOLERANCE_PX],
      [x + CLICK_TOLERANCE_PX, y + CLICK_TOLERANCE_PX],
    ],
    { layers: ids },
  )[0];
  if (!f) return '';
  const name = typeof f.properties.name === 'string' ? f.properties.name : '';
  const layer = String(f.properties.layer ?? '');
  return name && name !== layer ? `${name} — ${layer}` : layer;
}

/** A short stable tag of a string (FNV-1a), for cache-busting URLs. */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
