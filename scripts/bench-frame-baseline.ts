/**
 * The baseline of scripts/bench-frame.ts: what a MapLibre user would write for 1M points, a
 * `geojson` source with the data URL of one FeatureCollection (clustered or not), drawn with
 * Outcrop's own circle and count layers, on a bare page served by a tiny loopback server.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { LAYER_IDS, projectLayers } from '../renderer/map/style';
import { BASELINE_HTML } from './bench-frame-page';

/** Outcrop draws clusters below z8 (src/tiles DETAIL_ZOOM) in cells of 512/8 = 64 px. */
const CLUSTER_MAX_ZOOM = 7;
const CLUSTER_RADIUS_PX = 64;

/** The GeoJSON source: the file by URL (parsed in MapLibre's worker), Supercluster when `cluster`. */
export function baselineSource(baseUrl: string, cluster: boolean): Record<string, unknown> {
  return { type: 'geojson', data: `${baseUrl}/data/deposits.geojson`, ...(cluster ? { cluster: true, clusterMaxZoom: CLUSTER_MAX_ZOOM, clusterRadius: CLUSTER_RADIUS_PX } : {}) };
}

const TYPES: Record<string, string> = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.geojson': 'application/geo+json', '.pbf': 'application/x-protobuf', '.map': 'application/json' };

/** The baseline's loopback server: the page, maplibre-gl's dist, Outcrop's assets, the GeoJSON. */
export async function startBaselineServer(root: string, geojson: string): Promise<{ url: string; server: Server }> {
  const maplibreDist = join(root, 'node_modules/maplibre-gl/dist');
  const assets = join(root, 'assets');
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    let file: string | null = null;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(BASELINE_HTML);
      return;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (path === '/data/deposits.geojson') file = geojson;
    else if (path.startsWith('/maplibre/')) file = join(maplibreDist, path.slice('/maplibre/'.length));
    else if (path.startsWith('/assets/')) file = join(assets, path.slice('/assets/'.length));
    const inside = file && (file === geojson || file.startsWith(maplibreDist + '/') || file.startsWith(assets + '/'));
    if (!file || !inside || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    // no-store: the clustered and the plain run each download the file, as a first visit would.
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': statSync(file).size, 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** The baseline's layers: Outcrop's own circle and count layers, reading Supercluster's point_count. */
export function baselineLayers(sourceId: string, cluster: boolean) {
  const ours = projectLayers();
  const pick = (id: string) => {
    const l = ours.find((x) => x.id === id);
    if (!l) throw new Error(`renderer/map/style.ts has no layer ${id}`);
    const { source: _s, 'source-layer': _sl, filter: _f, ...rest } = l as unknown as Record<string, unknown>;
    return JSON.parse(JSON.stringify(rest).replaceAll('["get","count"]', '["get","point_count"]')) as Record<string, unknown>;
  };
  const isCluster = ['has', 'point_count'];
  const layers: Record<string, unknown>[] = [
    { ...pick(LAYER_IDS.deposits), source: sourceId, filter: ['!', isCluster] },
  ];
  if (cluster) {
    layers.unshift(
      { ...pick(LAYER_IDS.clusters), source: sourceId, filter: isCluster },
      { ...pick(LAYER_IDS.clusterCounts), source: sourceId, filter: ['all', isCluster, ['>=', ['get', 'point_count'], 10]] },
    );
  }
  return layers;
}
