/**
 * Time to the first rendered frame of a project with 1M deposits, and of pans across it, in
 * headless Chromium, against MapLibre's plain GeoJSON source of the same points in the same
 * browser (issue 4). Not part of the test suite; nothing asserts a timing.
 *
 *   node --import tsx scripts/bench-frame.ts [--n 1000000] [--no-unclustered]
 *   npm run bench:frame            (also run at the end of npm run bench)
 *
 * Data (built once, cached in .bench/): scripts/bench-frame-data.ts.
 *
 * Outcrop: the built renderer on the web host (src/web/host.ts), opened with ?test=1; the
 * project path typed into the project bar; the clock starts at the click on Open and stops at
 * the first 'idle' frame (map loaded, all tiles loaded, camera still, fades done) in which the
 * deposit layers ('deposit-clusters', 'deposits') render at least one feature. The basemap is
 * already drawn before the click.
 *
 * Baseline: a bare page with maplibre-gl from node_modules (served by a loopback server here),
 * the same basemap, map size and starting view (where Outcrop's fit-to-project ended); once the
 * basemap is idle, a GeoJSON source with the data URL of the same 1M points is added with the
 * same circle layers (cluster: true, clusterMaxZoom 7 like Outcrop's clusters below z8, and
 * optionally without clustering), timed to the same kind of frame.
 *
 * Then both jump to the same views (world, Nevada, Japan, the densest z10 tile) and each is
 * timed to its first idle frame with deposits. Memory: peak PSS of all Chromium processes
 * (/proc, Linux) and peak main-thread JS heap (CDP Performance.getMetrics; MapLibre's workers
 * are not in it, but they are in the PSS).
 *
 * Chromium is launched like tests/e2e/harness.ts (same flags, fresh profile, 1280×800) but
 * without request interception, which would slow every tile request; requests to anything but
 * loopback are counted instead (the browser has no network; the count is printed).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { startWebHost, type WebHost } from '../src/web/host';
import { basemapStyle, countryLabelLayers, LAYER_IDS } from '../renderer/map/style';
import { baselineLayers, baselineSource, startBaselineServer } from './bench-frame-baseline';
import { ensureFrameData, type FrameData } from './bench-frame-data';
import { startMemorySampler } from './bench-frame-memory';
import { PAGE_PROBE_JS } from './bench-frame-page';
import { CHROMIUM, launchChromium, VIEWPORT } from '../tests/helpers/chromium';
import { formatMb, formatMs, formatRatio, frameTable, speedRatio, type FrameRow, type FrameTiming } from './bench-frame-report';

const ROOT = resolve(import.meta.dirname, '..');
const SHARED_DATA = resolve(ROOT, '../shared/data');
const RENDERER_DIR = join(ROOT, 'dist/renderer');
const CACHE_DIR = join(ROOT, '.bench');
/** Per step; a step that takes longer is reported as failed, the run goes on. */
const STEP_TIMEOUT_MS = 240_000;
const DEPOSIT_LAYERS = [LAYER_IDS.clusters, LAYER_IDS.deposits];

interface View {
  name: string;
  center: [number, number];
  zoom: number;
}

function views(data: FrameData): View[] {
  return [
    { name: 'world z2', center: [0, 20], zoom: 2 },
    { name: 'Nevada z7', center: [-116.9, 39.3], zoom: 7 },
    { name: 'Japan z6', center: [137.5, 37.5], zoom: 6 },
    { name: 'Carlin trend, Nevada z9', center: [-116.3, 40.8], zoom: 9 },
    {
      name: `densest z10 tile (${data.dense.count.toLocaleString('en')} deposits)`,
      center: [+data.dense.center[0].toFixed(4), +data.dense.center[1].toFixed(4)],
      zoom: 10,
    },
  ];
}

export interface SideResult {
  name: string;
  first: FrameTiming | null;
  pans: (FrameTiming | null)[];
  errors: string[];
  browserPssPeak: number | null;
  jsHeapPeak: number | null;
  nodeRssPeak: number;
  /** Baseline only: map creation to the idle basemap, before the source is added. */
  basemapMs?: number;
}

export interface BenchFrameResult {
  data: FrameData;
  views: View[];
  ours: SideResult;
  baselines: SideResult[];
  externalRequests: string[];
}

/** Why the benchmark cannot run here, or null. */
export function benchFrameSkipReason(): string | null {
  const why = [existsSync(CHROMIUM) ? '' : `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`, existsSync(SHARED_DATA) ? '' : `no ${SHARED_DATA}`].filter(Boolean);
  return why.length ? why.join('; ') : null;
}

/** dist/renderer as the harness builds it (vite, under the same lock), when it is missing. */
function ensureRenderer(log: (s: string) => void): void {
  const index = join(RENDERER_DIR, 'index.html');
  if (existsSync(index)) {
    log(`renderer: ${RENDERER_DIR} (built ${statSync(index).mtime.toISOString()})`);
    return;
  }
  log('renderer: building dist/renderer with vite …');
  const lock = join(tmpdir(), 'outcrop-e2e-build.lock');
  execFileSync('flock', [lock, '-c', `"${process.execPath}" "${join(ROOT, 'node_modules/vite/bin/vite.js')}" build`], { cwd: ROOT, stdio: 'pipe' });
}

/** Samples the page's main-thread JS heap through CDP until stop(); reports the peak. */
async function sampleJsHeap(context: BrowserContext, page: Page): Promise<() => Promise<number | null>> {
  let peak: number | null = null;
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const read = async () => {
      try {
        const { metrics } = await cdp.send('Performance.getMetrics');
        const v = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value;
        if (v != null) peak = Math.max(peak ?? 0, v);
      } catch {
        // page closing
      }
    };
    const timer = setInterval(read, 1000);
    return async () => {
      clearInterval(timer);
      await read();
      await cdp.detach().catch(() => undefined);
      return peak;
    };
  } catch {
    return async () => null;
  }
}

const errorText = (e: unknown) => (e instanceof Error ? e.message.split('\n')[0] : String(e));

async function newPage(context: BrowserContext, consoleErrors: string[]): Promise<Page> {
  const page = await context.newPage();
  await page.addInitScript({ content: PAGE_PROBE_JS });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('response', (r) => {
    if (r.status() >= 400) consoleErrors.push(`HTTP ${r.status()} ${r.url()}`);
  });
  return page;
}

async function measurePans(page: Page, mapName: string, layers: string[], list: View[], side: SideResult, log: (s: string) => void): Promise<void> {
  for (const v of list) {
    try {
      const t = (await page.evaluate(`window.__bench.jump(${JSON.stringify(mapName)}, ${JSON.stringify(layers)}, ${JSON.stringify({ center: v.center, zoom: v.zoom })}, ${STEP_TIMEOUT_MS})`)) as FrameTiming;
      side.pans.push(t);
      log(`  ${side.name}: ${v.name} ${formatMs(t.ms)} (${t.features} features)`);
    } catch (e) {
      side.pans.push(null);
      side.errors.push(`${v.name}: ${errorText(e)}`);
      log(`  ${side.name}: ${v.name} failed: ${errorText(e)}`);
    }
  }
}

async function runOurs(context: BrowserContext, host: WebHost, data: FrameData, list: View[], consoleErrors: string[], log: (s: string) => void) {
  const side: SideResult = { name: 'Outcrop', first: null, pans: [], errors: [], browserPssPeak: null, jsHeapPeak: null, nodeRssPeak: 0 };
  const page = await newPage(context, consoleErrors);
  let box = { width: VIEWPORT.width, height: VIEWPORT.height, center: [10, 25] as [number, number], zoom: 1.3 };
  try {
    await page.goto(`${host.url}?test=1`);
    await page.waitForFunction('!!window.__outcropMap', undefined, { timeout: 60_000 });
    await page.evaluate(`window.__bench.idle('__outcropMap')`);
    await page.getByTestId('project-path').fill(data.gpkg);
    await withMemory(context, page, side, async () => {
      side.first = (await page.evaluate(`window.__bench.openProject(${JSON.stringify(DEPOSIT_LAYERS)}, ${STEP_TIMEOUT_MS})`)) as FrameTiming;
      log(`  Outcrop: first frame ${formatMs(side.first.ms)} (${side.first.features} features)`);
      box = (await page.evaluate(`window.__bench.mapBox('__outcropMap')`)) as typeof box;
      await measurePans(page, '__outcropMap', DEPOSIT_LAYERS, list, side, log);
    });
  } catch (e) {
    side.errors.push(`first frame: ${errorText(e)}`);
    log(`  Outcrop failed: ${errorText(e)}`);
  } finally {
    await page.close();
  }
  return { side, box };
}

/** Run `body` while sampling memory; the peaks go into `side`, even when `body` fails. */
async function withMemory(context: BrowserContext, page: Page, side: SideResult, body: () => Promise<void>): Promise<void> {
  const mem = startMemorySampler();
  const heap = await sampleJsHeap(context, page);
  try {
    await body();
  } finally {
    const m = mem.stop();
    side.browserPssPeak = m.browserPssPeak;
    side.nodeRssPeak = m.nodeRssPeak;
    side.jsHeapPeak = await heap();
  }
}

async function runBaseline(context: BrowserContext, baseUrl: string, cluster: boolean, box: { width: number; height: number; center: [number, number]; zoom: number }, list: View[], consoleErrors: string[], log: (s: string) => void) {
  const name = cluster ? 'GeoJSON cluster' : 'GeoJSON plain';
  const side: SideResult = { name, first: null, pans: [], errors: [], browserPssPeak: null, jsHeapPeak: null, nodeRssPeak: 0 };
  const page = await newPage(context, consoleErrors);
  const sourceId = 'deposits-geojson';
  const layers = baselineLayers(sourceId, cluster);
  const layerIds = [LAYER_IDS.clusters, LAYER_IDS.deposits];
  try {
    await page.goto(`${baseUrl}/`);
    await page.waitForFunction('!!window.maplibregl', undefined, { timeout: 60_000 });
    const style = basemapStyle(baseUrl);
    style.layers.push(...countryLabelLayers());
    const source = baselineSource(baseUrl, cluster);
    const opts = { ...box, style, sourceId, source, layers, layerIds, before: LAYER_IDS.countryLabels, timeoutMs: STEP_TIMEOUT_MS };
    await withMemory(context, page, side, async () => {
      const r = (await page.evaluate(`window.__bench.baseline(${JSON.stringify(opts)})`)) as FrameTiming & { basemapMs: number };
      side.first = { ms: r.ms, features: r.features };
      side.basemapMs = r.basemapMs;
      log(`  ${name}: first frame ${formatMs(r.ms)} (${r.features} features; basemap alone before it ${formatMs(r.basemapMs)})`);
      await measurePans(page, '__benchMap', layerIds, list, side, log);
    });
  } catch (e) {
    side.errors.push(`first frame: ${errorText(e)}`);
    log(`  ${name} failed: ${errorText(e)}`);
  } finally {
    await page.close();
  }
  return side;
}

export interface BenchFrameOptions {
  /** Deposits (default 1,000,000). */
  n?: number;
  /** Also measure a GeoJSON source without clustering (default true). */
  unclustered?: boolean;
  log?: (s: string) => void;
}

/**
 * Runs the frame benchmark and prints its table; resolves to null (after printing why) when
 * Chromium or ../shared/data is missing. Always closes the browser, the host and the server.
 */
export async function benchFrame(opts: BenchFrameOptions = {}): Promise<BenchFrameResult | null> {
  const log = opts.log ?? console.log;
  const n = opts.n ?? 1_000_000;
  const skip = benchFrameSkipReason();
  if (skip) {
    log(`\nbench-frame skipped: ${skip}`);
    return null;
  }
  log(`\nbench-frame: first rendered frame of ${n.toLocaleString('en')} deposits, Outcrop vs a MapLibre GeoJSON source (Chromium, SwiftShader)`);
  const data = await ensureFrameData(CACHE_DIR, n, log);
  log(`data: ${data.count.toLocaleString('en')} deposits (${data.realSites.toLocaleString('en')} real MinMod sites, jittered copies); project ${formatMb(data.gpkgBytes)}, GeoJSON ${formatMb(data.geojsonBytes)}`);
  ensureRenderer(log);
  const list = views(data);

  const dir = mkdtempSync(join(tmpdir(), 'outcrop-bench-frame-'));
  let host: WebHost | undefined;
  let server: Server | undefined;
  let context: BrowserContext | undefined;
  const external: string[] = [];
  const consoleErrors: string[] = [];
  try {
    host = await startWebHost({ port: 0, rendererDir: RENDERER_DIR, assetsDir: join(ROOT, 'assets'), dataDir: join(dir, 'host') });
    const baseline = await startBaselineServer(ROOT, data.geojson);
    server = baseline.server;
    context = await launchChromium();
    context.on('request', (r) => {
      const u = new URL(r.url());
      if (!['data:', 'blob:'].includes(u.protocol) && u.hostname !== '127.0.0.1' && u.hostname !== 'localhost') external.push(r.url());
    });
    await Promise.all(context.pages().map((p) => p.close()));

    const { side: ours, box } = await runOurs(context, host, data, list, consoleErrors, log);
    const baselines = [await runBaseline(context, baseline.url, true, box, list, consoleErrors, log)];
    if (opts.unclustered !== false) baselines.push(await runBaseline(context, baseline.url, false, box, list, consoleErrors, log));

    const rows: FrameRow[] = [
      { step: 'first frame', ours: ours.first, baselines: Object.fromEntries(baselines.map((b) => [b.name, b.first])) },
      ...list.map((v, i) => ({ step: `pan: ${v.name}`, ours: ours.pans[i] ?? null, baselines: Object.fromEntries(baselines.map((b) => [b.name, b.pans[i] ?? null])) })),
    ];
    const sides = [ours, ...baselines];
    const total = (s: SideResult) => (s.first && s.pans.length === list.length && s.pans.every(Boolean) ? s.first.ms + s.pans.reduce((a, p) => a + p!.ms, 0) : null);
    rows.push({
      step: 'first frame + all pans',
      ours: total(ours) == null ? null : { ms: total(ours)!, features: 0 },
      baselines: Object.fromEntries(baselines.map((b) => [b.name, total(b) == null ? null : { ms: total(b)!, features: 0 }])),
    });
    log(`\nstart view ${box.width}×${box.height} px at [${box.center.map((c) => c.toFixed(2)).join(', ')}] z${box.zoom.toFixed(2)}; time to the first idle frame with deposits drawn (rendered deposit features); ratio = GeoJSON / Outcrop, > 1 = Outcrop faster\n`);
    log(frameTable(rows).replaceAll(' (0)', ''));
    log('\n| memory | ' + sides.map((s) => s.name).join(' | ') + ' |\n|---|' + sides.map(() => '---').join('|') + '|');
    log('| peak PSS, all Chromium processes | ' + sides.map((s) => formatMb(s.browserPssPeak)).join(' | ') + ' |');
    log('| peak JS heap, page main thread | ' + sides.map((s) => formatMb(s.jsHeapPeak)).join(' | ') + ' |');
    log('| peak RSS, this Node process (the web host is in it) | ' + sides.map((s) => formatMb(s.nodeRssPeak)).join(' | ') + ' |');
    const first = baselines.map((b) => `${b.name} ${formatRatio(speedRatio(b.first?.ms, ours.first?.ms))}`).join(', ');
    log(`\nfirst-frame ratio (GeoJSON / Outcrop): ${first}`);
    log(`requests to non-loopback hosts: ${external.length}${external.length ? ` (${[...new Set(external)].slice(0, 3).join(', ')})` : ''}; page console errors: ${consoleErrors.length}`);
    for (const e of [...new Set(consoleErrors)].slice(0, 5)) log(`  console: ${e.slice(0, 200)}`);
    for (const s of sides) for (const e of s.errors) log(`error (${s.name}): ${e}`);
    if (data.buildMs) log(`(data built this run in ${formatMs(data.buildMs)}; cached in ${CACHE_DIR})`);
    return { data, views: list, ours, baselines, externalRequests: external };
  } finally {
    await context?.close().catch(() => undefined);
    await host?.close().catch(() => undefined);
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const n = args.includes('--n') ? Number(args[args.indexOf('--n') + 1]) : undefined;
  if (n !== undefined && !(Number.isInteger(n) && n > 0)) {
    console.error(`--n must be a positive integer, got ${args[args.indexOf('--n') + 1]}`);
    process.exit(2);
  }
  benchFrame({ n, unclustered: !args.includes('--no-unclustered') }).catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
