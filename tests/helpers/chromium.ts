/**
 * How Outcrop's end-to-end tests and the map benchmark start Debian's Chromium: headless, no
 * sandbox (containers), nothing that phones home, software WebGL (SwiftShader) for MapLibre,
 * a fresh profile each time, the app's 1280×800 window.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const VIEWPORT = { width: 1280, height: 800 };
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--use-gl=swiftshader',
  '--enable-unsafe-swiftshader',
];

/** A persistent context on a fresh, throw-away profile (removed when the context closes). */
export async function launchChromium(): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), 'outcrop-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, viewport: VIEWPORT, args: CHROMIUM_ARGS });
  // 'close' can come while Chromium still flushes its profile: retry, and never throw from the event.
  context.on('close', () => {
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch {
      // a leftover temp folder is harmless
    }
  });
  return context;
}
