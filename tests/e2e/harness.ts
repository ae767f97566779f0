/**
 * What every end-to-end test needs: the built renderer, the web host on loopback, headless
 * Debian Chromium with software WebGL, and a route that counts and refuses every non-loopback
 * request (the offline proof). Each e2e file starts its own `OfflineBrowser` on its own project.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { Project } from '../../src/store/project';
import { startWebHost, type WebHost } from '../../src/web/host';
import { CHROMIUM, launchChromium } from '../helpers/chromium';
import { hasSharedData } from '../helpers/data';

export const ROOT = resolve(import.meta.dirname, '../..');
export const RENDERER_DIR = join(ROOT, 'dist/renderer');
export const SHOTS = join(ROOT, 'tests/e2e/screenshots');

/** Whether e2e tests can run here; logs why not once per file. */
export function e2eAvailable(file: string): boolean {
  const ok = existsSync(CHROMIUM) && hasSharedData;
  if (!ok) {
    const why = [existsSync(CHROMIUM) ? '' : `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`, hasSharedData ? '' : 'no ../shared/data'];
    console.warn(`[e2e] ${file} skipped: ${why.filter(Boolean).join('; ')}`);
  }
  return ok;
}

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds dist/renderer when it is missing or older than renderer/ (a file lock keeps parallel files from building twice). */
export function buildRendererIfStale(): void {
  const index = join(RENDERER_DIR, 'index.html');
  const fresh = () => existsSync(index) && statSync(index).mtimeMs >= Math.max(newestMtime(join(ROOT, 'renderer')), newestMtime(join(ROOT, 'src/api')));
  if (fresh()) return;
  const lock = join(tmpdir(), 'outcrop-e2e-build.lock');
  execFileSync('flock', [lock, '-c', `"${process.execPath}" "${join(ROOT, 'node_modules/vite/bin/vite.js')}" build`], { cwd: ROOT, stdio: 'pipe' });
}

export async function waitForMapIdle(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const map = window.__outcropMap;
      return !!map && map.loaded() && map.areTilesLoaded() && !map.isMoving();
    },
    undefined,
    { timeout: timeoutMs, polling: 250 },
  );
  // One more frame so what was loaded is also drawn.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** How many canvas pixels lie within `tol` (RGB distance) of any of the colours. */
export async function countPixels(page: Page, colours: number[][], tol: number): Promise<number> {
  return page.evaluate(
    ({ colours, tol }) => {
      const src = window.__outcropMap!.getCanvas();
      const c = document.createElement('canvas');
      c.width = src.width;
      c.height = src.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(src, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) {
        for (const [r, g, b] of colours) {
          if (Math.hypot(d[i] - r, d[i + 1] - g, d[i + 2] - b) <= tol) {
            n++;
            break;
          }
        }
      }
      return n;
    },
    { colours, tol },
  );
}

/** `fg` drawn at opacity `a` over `bg`. */
export const blend = (fg: number[], bg: number[], a: number) => fg.map((v, i) => Math.round(a * v + (1 - a) * bg[i]));

export interface OfflineBrowser {
  /** Scratch folder of this run (projects, downloads; removed by close()). */
  dir: string;
  host: WebHost;
  context: BrowserContext;
  page: Page;
  /** Non-loopback URLs the browser tried (and was refused). Must stay empty. */
  external: string[];
  consoleErrors: string[];
  /** "status pathname" of every response. */
  served: string[];
  close(): Promise<void>;
}

/**
 * Builds the renderer if stale, starts the web host and Chromium with every non-loopback request
 * counted and refused. `prepare(dir)` runs first (make projects there).
 */
export async function startOfflineBrowser(prepare?: (dir: string) => Promise<void> | void): Promise<OfflineBrowser> {
  buildRendererIfStale();
  mkdirSync(SHOTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'outcrop-e2e-'));
  await prepare?.(dir);
  const host = await startWebHost({ port: 0, rendererDir: RENDERER_DIR, assetsDir: join(ROOT, 'assets'), dataDir: join(dir, 'host') });
  const context = await launchChromium();
  const external: string[] = [];
  const consoleErrors: string[] = [];
  const served: string[] = [];
  // Offline proof: every request the browser makes is seen here; anything not on loopback is
  // counted and refused.
  const isLocal = (u: string) => {
    const url = new URL(u);
    if (url.protocol === 'data:' || url.protocol === 'blob:') return true;
    return url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  };
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (isLocal(u)) return route.continue();
    external.push(u);
    return route.abort('internetdisconnected');
  });
  context.on('request', (r) => {
    if (!isLocal(r.url()) && !external.includes(r.url())) external.push(r.url());
  });
  context.on('response', (r) => served.push(`${r.status()} ${new URL(r.url()).pathname}`));
  const page = context.pages()[0] ?? (await context.newPage());
  // Fail an action (click on a disabled button …) with its own message, well inside the test's timeout.
  page.setDefaultTimeout(20_000);
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  return {
    dir,
    host,
    context,
    page,
    external,
    consoleErrors,
    served,
    async close() {
      await context.close();
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens `projectFile` through the project bar and waits for the map's deposit layer. */
/** Read the project file as the test's own check, through a read-only connection of its own. */
export function readProject<T>(file: string, f: (p: Project) => T): T {
  const p = Project.open(file, { readonly: true });
  try {
    return f(p);
  } finally {
    p.close();
  }
}

export async function openProject(page: Page, hostUrl: string, projectFile: string): Promise<void> {
  await page.goto(`${hostUrl}?test=1`);
  await page.waitForFunction(() => !!window.__outcropMap);
  await page.getByTestId('project-path').fill(projectFile);
  await page.getByTestId('project-open').click();
  await page.waitForFunction(() => !!window.__outcropMap!.getLayer('deposits'), undefined, { timeout: 20_000 });
}
