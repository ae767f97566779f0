/**
 * End to end: a user adds their own offline basemap (an MBTiles made by GDAL from the real
 * Arizona geology map) and sees it on the map, served by the host with no network.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCommand } from '../helpers/cli';
import { sharedPath } from '../helpers/data';
import { e2eAvailable, SHOTS, startOfflineBrowser, waitForMapIdle, type OfflineBrowser } from './harness';

const canRun = e2eAvailable('basemap.e2e.test.ts') && hasCommand('ogr2ogr');

describe.skipIf(!canRun)('a user basemap in Chromium (offline)', () => {
  let b: OfflineBrowser;
  let mbtiles: string;

  beforeAll(async () => {
    b = await startOfflineBrowser((dir) => {
      mbtiles = join(dir, 'az-geology.mbtiles');
      execFileSync('ogr2ogr', ['-f', 'MBTILES', mbtiles, `/vsigzip/${sharedPath('polygons', 'arizona-geology-1m-polygons.geojson.gz')}`, '-nln', 'geology', '-dsco', 'MINZOOM=4', '-dsco', 'MAXZOOM=8']);
    });
  }, 180_000);
  afterAll(async () => {
    await b?.close();
  });

  it('adds an MBTiles geology map by path, draws it, and hides it again', async () => {
    const { page } = b;
    await page.goto(`${b.host.url}?test=1`);
    await page.waitForFunction(() => !!window.__outcropMap?.loaded());
    await page.getByTestId('basemap-path').fill(mbtiles);
    await page.getByTestId('basemap-add').click();
    await expect.poll(() => page.getByTestId('basemap-item').textContent(), { timeout: 10_000 }).toMatch(/PBF · zoom 4–8/);

    await page.evaluate(() => window.__outcropMap!.jumpTo({ center: [-111.8, 34.2], zoom: 6.5 }));
    await waitForMapIdle(page);
    const rendered = () =>
      page.evaluate(() => {
        const map = window.__outcropMap!;
        const ids = map.getStyle().layers.filter((l) => l.id.startsWith('user-basemap-') && l.id.endsWith('-fill')).map((l) => l.id);
        return ids.length ? map.queryRenderedFeatures({ layers: ids }).length : 0;
      });
    // The Arizona map has 4,841 polygons; hundreds are in this view.
    expect(await rendered()).toBeGreaterThan(100);
    expect(b.served.some((s) => /^200 \/basemaps\/[0-9a-f]{12}\/6\/\d+\/\d+\.pbf$/.test(s))).toBe(true);
    await page.screenshot({ path: join(SHOTS, '50-user-basemap-geology.png') });

    await page.getByRole('checkbox', { name: /Show / }).uncheck();
    await expect.poll(rendered).toBe(0);
  });

  it('made no request off this machine and logged no errors', () => {
    expect(b.external).toEqual([]);
    expect(b.consoleErrors).toEqual([]);
  });
});
