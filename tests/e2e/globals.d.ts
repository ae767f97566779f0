import type { Map as MapLibreMap } from 'maplibre-gl';

declare global {
  interface Window {
    /** Exposed by renderer/map/MapView.tsx when the page is opened with ?test=1. */
    __outcropMap?: MapLibreMap;
  }
}
