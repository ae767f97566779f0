import { useEffect, useRef } from 'react';
import { Map as MapLibreMap, NavigationControl, ScaleControl, setWorkerUrl, type MapMouseEvent } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// MapLibre 6 starts its worker from a module URL next to its own file; bundled, that file is
// gone, so the worker is shipped as an asset and named explicitly (served by the host: 'self').
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { OutcropApi, ProjectInfo } from '../../src/api/contract';
import { basemapStyle, countryLabelLayers, LAYER_IDS, projectLayers, projectSources, selectedFilter, SOURCE_IDS } from './style';

setWorkerUrl(new URL(workerUrl, window.location.href).href);

export type SelectionLayer = 'deposits' | 'surveys' | 'clusters';

export interface Selection {
  layer: SelectionLayer;
  properties: Record<string, unknown>;
  lngLat: [number, number];
}

export interface MapViewProps {
  api: OutcropApi;
  project: ProjectInfo | null;
  /** Id of the selected deposit or survey, outlined on the map. */
  selectedId: string | null;
  onSelect(selection: Selection | null): void;
  onCursor(lngLat: [number, number] | null): void;
  onView(view: { zoom: number; lat: number }): void;
}

declare global {
  interface Window {
    /** The map, for end-to-end tests only (`?test=1`). */
    __outcropMap?: MapLibreMap;
  }
}

const TEST_MODE = new URLSearchParams(window.location.search).get('test') === '1';
const CLICK_TOLERANCE_PX = 5;

/** The map: basemap, the open project's layers, selection by click, cursor and view reporting. */
export function MapView({ api, project, selectedId, onSelect, onCursor, onView }: MapViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  // Set on the first 'load'. Not map.isStyleLoaded(): that is false again whenever a source is
  // (re)loading, and 'load' fires only once, so a project opened then would never be drawn.
  const styleReady = useRef(false);
  const selected = useRef(selectedId);
  selected.current = selectedId;
  const callbacks = useRef({ onSelect, onCursor, onView });
  callbacks.current = { onSelect, onCursor, onView };

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
      styleReady.current = true;
    });

    const report = () => callbacks.current.onView({ zoom: map.getZoom(), lat: map.getCenter().lat });
    map.on('move', report);
    report();
    map.on('mousemove', (e: MapMouseEvent) => {
      callbacks.current.onCursor([e.lngLat.lng, e.lngLat.lat]);
      const hit = pick(map, e);
      map.getCanvas().style.cursor = hit ? 'pointer' : '';
    });
    map.on('mouseout', () => callbacks.current.onCursor(null));
    map.on('click', (e: MapMouseEvent) => {
      const hit = pick(map, e);
      callbacks.current.onSelect(hit);
      if (hit?.layer === 'clusters') map.easeTo({ center: e.lngLat, zoom: Math.min(map.getZoom() + 2, 8) });
    });
    return () => {
      if (window.__outcropMap === map) delete window.__outcropMap;
      map.remove();
      mapRef.current = null;
      styleReady.current = false;
    };
  }, []);

  // Swap the project's sources whenever another project opens or its data changes.
  const dataKey = project ? `${project.path}\u0000${project.dataVersion}` : '';
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const apply = () => {
      for (const l of projectLayers()) if (map.getLayer(l.id)) map.removeLayer(l.id);
      for (const s of Object.values(SOURCE_IDS)) if (map.getSource(s)) map.removeSource(s);
      if (!project) return;
      // The project path goes into the URL so tiles of another project never come from cache.
      const tag = `${project.dataVersion}-${hash(project.path)}`;
      const sources = projectSources((layer) => api.tileUrl(layer, tag));
      for (const [id, s] of Object.entries(sources)) map.addSource(id, s);
      const before = map.getLayer(LAYER_IDS.countryLabels) ? LAYER_IDS.countryLabels : undefined;
      for (const l of projectLayers()) map.addLayer(l, before);
      showSelection(map, selected.current);
    };
    if (styleReady.current) apply();
    else map.once('load', apply);
    return () => {
      map.off('load', apply);
    };
  }, [api, dataKey]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const map = mapRef.current;
    if (map && styleReady.current) showSelection(map, selectedId);
  }, [selectedId]);

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

/** A short stable tag of a string (FNV-1a), for cache-busting URLs. */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
