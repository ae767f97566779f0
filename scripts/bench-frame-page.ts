/**
 * What scripts/bench-frame.ts runs inside Chromium, kept as plain JavaScript text: functions
 * passed to page.evaluate would be serialised after tsx/esbuild rewrote them (helpers such as
 * __name are not defined in the page), and the scripts' tsconfig has no DOM types.
 *
 * window.__bench.arm(map, layers, timeoutMs) waits for the first 'idle' event (the frame after
 * which nothing is loading, moving or fading) in which the map is loaded, all tiles are loaded,
 * the camera is still and queryRenderedFeatures on the deposit layers returns something;
 * settle() gives the time from __bench.t0 to that frame, in the page's own clock.
 */
export const PAGE_PROBE_JS = String.raw`
(() => {
  const B = (window.__bench = window.__bench || {});
  B.count = (map, layers) => {
    const present = layers.filter((l) => map.getLayer(l));
    return present.length ? map.queryRenderedFeatures({ layers: present }).length : 0;
  };
  B.arm = (mapName, layers, timeoutMs) => {
    const map = window[mapName];
    B.pending = new Promise((resolve, reject) => {
      const onIdle = () => {
        if (!map.loaded() || !map.areTilesLoaded() || map.isMoving()) return;
        const n = B.count(map, layers);
        if (n > 0) {
          map.off('idle', onIdle);
          clearTimeout(timer);
          resolve({ at: performance.now(), features: n });
        }
      };
      const timer = setTimeout(() => {
        map.off('idle', onIdle);
        reject(new Error('no idle frame with deposits drawn within ' + timeoutMs + ' ms'));
      }, timeoutMs);
      map.on('idle', onIdle);
    });
    B.pending.catch(() => {});
  };
  B.settle = async () => {
    const r = await B.pending;
    return { ms: r.at - B.t0, features: r.features };
  };
  B.idle = (mapName) =>
    new Promise((resolve) => {
      const map = window[mapName];
      const ok = () => map.loaded() && map.areTilesLoaded() && !map.isMoving();
      if (ok()) return resolve();
      const f = () => {
        if (ok()) {
          map.off('idle', f);
          resolve();
        }
      };
      map.on('idle', f);
    });
  B.jump = (mapName, layers, view, timeoutMs) => {
    B.arm(mapName, layers, timeoutMs);
    B.t0 = performance.now();
    window[mapName].jumpTo(view);
    return B.settle();
  };
  // Outcrop: the path is already in the project bar; the click is the start.
  B.openProject = (layers, timeoutMs) => {
    B.arm('__outcropMap', layers, timeoutMs);
    B.t0 = performance.now();
    document.querySelector('[data-testid="project-open"]').click();
    return B.settle();
  };
  B.mapBox = (mapName) => {
    const map = window[mapName];
    const r = map.getContainer().getBoundingClientRect();
    const c = map.getCenter();
    return { width: Math.round(r.width), height: Math.round(r.height), center: [c.lng, c.lat], zoom: map.getZoom() };
  };
  // Baseline: a map of the same size and basemap; once the basemap is idle, the GeoJSON source
  // and its layers are added (the moment Outcrop's click stands for) and the clock starts.
  B.baseline = async (o) => {
    const el = document.getElementById('map');
    el.style.width = o.width + 'px';
    el.style.height = o.height + 'px';
    const t = performance.now();
    const map = new window.maplibregl.Map({
      container: el,
      style: o.style,
      center: o.center,
      zoom: o.zoom,
      localIdeographFontFamily: 'sans-serif',
      attributionControl: { compact: false },
      canvasContextAttributes: { preserveDrawingBuffer: true },
      renderWorldCopies: true,
    });
    window.__benchMap = map;
    await new Promise((r) => map.once('load', r));
    await B.idle('__benchMap');
    const basemapMs = performance.now() - t;
    B.arm('__benchMap', o.layerIds, o.timeoutMs);
    B.t0 = performance.now();
    map.addSource(o.sourceId, o.source);
    for (const l of o.layers) map.addLayer(l, o.before);
    const r = await B.settle();
    return { ...r, basemapMs };
  };
})();
`;

/** The baseline page: MapLibre from node_modules, served by the script's own loopback server. */
export const BASELINE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>bench-frame baseline</title>
<link rel="stylesheet" href="/maplibre/maplibre-gl.css">
<style>html,body{margin:0;padding:0}#map{width:1280px;height:800px}</style>
</head><body><div id="map"></div>
<script type="module">
import * as maplibregl from '/maplibre/maplibre-gl.mjs';
window.maplibregl = maplibregl;
</script></body></html>
`;
