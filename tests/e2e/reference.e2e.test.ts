/**
 * End to end: the reference layers a planner imports for site comparison (roads, a port and a
 * power line as infrastructure; protected areas as exclusion zones) are drawn on the main map
 * from the core's vector tiles, under the surveys and deposits, each one shown or hidden from the
 * map's "Reference layers" panel, and the list follows imports and deletions. Offline.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { booleanPointInPolygon } from '@turf/turf';
import type { FeatureCollection, Polygon } from 'geojson';
import { importFile } from '../../src/import/import-file';
import { Project } from '../../src/store/project';
import { sharedPath } from '../helpers/data';
import { blend, countPixels, e2eAvailable, openProject, SHOTS, startOfflineBrowser, waitForMapIdle, type OfflineBrowser } from './harness';

const canRun = e2eAvailable('reference.e2e.test.ts');
const FIX = join(__dirname, '../fixtures/reference');
const PARKS = join(FIX, 'sw-us-protected-areas.geojson');
const ROADS = join(FIX, 'sw-us-infrastructure.geojson');
const LAND = [244, 242, 236];
const EXCLUSION = [198, 40, 40];

describe.skipIf(!canRun)('reference layers on the main map in Chromium (offline)', () => {
  let b: OfflineBrowser;
  let page: Page;

  beforeAll(async () => {
    let file = '';
    b = await startOfflineBrowser(async (d) => {
      file = join(d, 'planner.gpkg');
      const p = Project.open(file, { create: true, actor: 'e2e' });
      try {
        await importFile(p, sharedPath('deposits', 'usgs-major-deposits-world.geojson'));
        await importFile(p, sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), { layer: 'surveys', skipInvalid: true, reportPath: join(d, 'rejected.geojson') });
      } finally {
        p.close();
      }
    });
    page = b.page;
    await openProject(page, b.host.url, file);
    await waitForMapIdle(page);
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  const importLayer = async (path: string, role: 'exclusion' | 'infrastructure', name: string, features: number) => {
    if (!(await page.getByTestId('layer-import-path').isVisible())) await page.getByTestId('layer-import').locator('summary').click();
    await page.getByTestId('layer-import-path').fill(path);
    await page.getByTestId('layer-import-role').selectOption(role);
    await page.getByTestId('layer-import-name').fill(name);
    await page.getByTestId('layer-import-start').click();
    await expect.poll(() => page.getByTestId('layer-import-done').textContent(), { timeout: 20_000 }).toMatch(new RegExp(`${name}.*${features} features`));
  };
  const listed = () => page.getByTestId('reference-layer-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
  const rendered = (layer: string) =>
    page.evaluate((id) => {
      const map = window.__outcropMap!;
      return map.getLayer(id) ? [...new Set(map.queryRenderedFeatures({ layers: [id] }).map((f) => `${f.properties.layer}: ${f.properties.name}`))].sort() : null;
    }, layer);
  const exclusionPixels = () => countPixels(page, [blend(EXCLUSION, LAND, 0.9), blend(EXCLUSION, LAND, 0.6)], 28);

  it('lists no layer at first, then draws the protected areas and roads imported in the compare panel', async () => {
    expect(await page.getByTestId('reference-layers').textContent()).toMatch(/None in this project/);
    await page.getByTestId('tool-compare').click();
    await importLayer(PARKS, 'exclusion', 'protected areas', 2);
    await expect.poll(listed).toEqual(['protected areas']);
    await importLayer(ROADS, 'infrastructure', 'roads', 4);
    await expect.poll(listed).toEqual(['protected areas', 'roads']);
    await page.getByTestId('compare-close').click();

    // The Mojave: the preserve (Turf: this point is inside the fixture's outline) and I-15 through it.
    const mojave: [number, number] = [-115.5, 35.2];
    const zones = JSON.parse(readFileSync(PARKS, 'utf8')) as FeatureCollection<Polygon>;
    expect(zones.features.filter((z) => booleanPointInPolygon(mojave, z)).map((z) => z.properties?.name)).toEqual(['Mojave National Preserve (simplified outline)']);
    await page.evaluate((c) => window.__outcropMap!.jumpTo({ center: c, zoom: 7 }), mojave);
    await waitForMapIdle(page);
    expect(await rendered('reference-exclusion-fill')).toEqual(['protected areas: Mojave National Preserve (simplified outline)']);
    expect(await rendered('reference-exclusion-line')).toEqual(['protected areas: Mojave National Preserve (simplified outline)']);
    expect(await rendered('reference-infrastructure-line')).toEqual(['roads: Interstate 15 (Barstow–Las Vegas, simplified)']);
    // The point under the map centre is inside the zone: a rendered-feature query there finds it.
    const atCentre = await page.evaluate(() => {
      const map = window.__outcropMap!;
      const c = map.project(map.getCenter());
      return map.queryRenderedFeatures(c, { layers: ['reference-exclusion-fill'] }).map((f) => f.properties.name);
    });
    expect(atCentre).toEqual(['Mojave National Preserve (simplified outline)']);
    expect(b.served.some((s) => /^200 \/tiles\/reference\/7\/\d+\/\d+\.pbf$/.test(s))).toBe(true);

    // Drawn above the basemap, under the surveys and the deposits.
    const order = await page.evaluate(() => window.__outcropMap!.getStyle().layers.map((l) => l.id));
    const at = (id: string) => order.indexOf(id);
    for (const id of ['reference-exclusion-fill', 'reference-exclusion-line', 'reference-infrastructure-line', 'reference-infrastructure-point']) {
      expect(at(id), id).toBeGreaterThan(at('country-borders'));
      expect(at(id), id).toBeLessThan(at('surveys-fill'));
      expect(at(id), id).toBeLessThan(at('deposits'));
    }
    const shown = await exclusionPixels();
    expect(shown).toBeGreaterThan(500);
    await page.screenshot({ path: join(SHOTS, '60-reference-layers.png') });
    await page.getByTestId('reference-layers').scrollIntoViewIfNeeded();
    await page.getByTestId('reference-layers').screenshot({ path: join(SHOTS, '60b-reference-panel.png') });

    // The port is a point (Long Beach).
    await page.evaluate(() => window.__outcropMap!.jumpTo({ center: [-118.21, 33.75], zoom: 9 }));
    await waitForMapIdle(page);
    expect(await rendered('reference-infrastructure-point')).toEqual(['roads: Port of Long Beach']);
    // Hovering it names it and its layer (where no survey area or deposit is under the pointer).
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.getByTestId('map-tooltip').textContent()).toBe('Port of Long Beach — roads');
    await page.mouse.move(box.x + 5, box.y + box.height - 5);
  });

  it('hides and shows each layer from the panel', async () => {
    await page.evaluate(() => window.__outcropMap!.jumpTo({ center: [-115.5, 35.2], zoom: 7 }));
    await waitForMapIdle(page);
    const shown = await exclusionPixels();
    await page.getByRole('checkbox', { name: 'Show protected areas' }).uncheck();
    await waitForMapIdle(page);
    expect(await rendered('reference-exclusion-fill')).toEqual([]);
    expect(await rendered('reference-infrastructure-line')).toEqual(['roads: Interstate 15 (Barstow–Las Vegas, simplified)']);
    const hidden = await exclusionPixels();
    expect(shown - hidden).toBeGreaterThan(500);
    await page.screenshot({ path: join(SHOTS, '61-reference-layers-hidden.png') });
    await page.getByRole('checkbox', { name: 'Show roads' }).uncheck();
    await waitForMapIdle(page);
    expect(await rendered('reference-infrastructure-line')).toEqual([]);
    await page.getByRole('checkbox', { name: 'Show protected areas' }).check();
    await waitForMapIdle(page);
    expect(await rendered('reference-exclusion-fill')).toEqual(['protected areas: Mojave National Preserve (simplified outline)']);
    await page.getByRole('checkbox', { name: 'Show roads' }).check();
  });

  it('drops a layer deleted in the compare panel from the list and the map', async () => {
    await page.getByTestId('tool-compare').click();
    await page.locator('.stored-layers summary').click();
    await page.locator('[data-testid="layer-delete"][data-name="protected areas"]').click();
    await expect.poll(listed).toEqual(['roads']);
    await waitForMapIdle(page);
    expect(await rendered('reference-exclusion-fill')).toEqual([]);
    expect(await rendered('reference-infrastructure-line')).toEqual(['roads: Interstate 15 (Barstow–Las Vegas, simplified)']);
    // In Japanese too.
    await page.getByTestId('lang-ja').click();
    expect(await page.getByTestId('reference-layers').locator('h2').textContent()).toBe('参照レイヤー');
    expect(await page.getByTestId('reference-layer-item').textContent()).toMatch(/インフラ · 4 件/);
    await page.getByTestId('lang-en').click();
  });

  it('undoes the deletion from the toolbar (the layer back in both lists and on the map), and redoes it', async () => {
    await expect.poll(() => page.getByTestId('tool-undo').textContent()).toBe('Undo: Delete reference layer protected areas');
    await page.getByTestId('tool-undo').click();
    await expect.poll(listed).toEqual(['protected areas', 'roads']);
    // The compare panel (still open) lists it again too.
    await expect.poll(() => page.locator('[data-testid="layer-delete"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual(['protected areas', 'roads']);
    await waitForMapIdle(page);
    await expect.poll(() => rendered('reference-exclusion-fill')).toEqual(['protected areas: Mojave National Preserve (simplified outline)']);
    expect(await page.getByTestId('tool-redo').textContent()).toBe('Redo: Delete reference layer protected areas');
    // Cut off on the button; whole in its tooltip.
    expect(await page.getByTestId('tool-redo').getAttribute('title')).toBe('Redo: Delete reference layer protected areas (Ctrl+Shift+Z)');
    await page.getByTestId('lang-ja').click();
    expect(await page.getByTestId('tool-undo').textContent()).toBe('元に戻す: 参照レイヤー「roads」のインポート（sw-us-infrastructure.geojson）');
    await page.screenshot({ path: join(SHOTS, '62-reference-undo-ja.png') });
    await page.getByTestId('lang-en').click();
    await page.getByTestId('tool-redo').click();
    await expect.poll(listed).toEqual(['roads']);
    await waitForMapIdle(page);
    await expect.poll(() => rendered('reference-exclusion-fill')).toEqual([]);
    // Undo the roads import too: the map's list is empty, the roads gone from the tiles.
    await page.getByTestId('tool-undo').click(); // the deletion again
    await page.getByTestId('tool-undo').click(); // the roads import
    await expect.poll(listed).toEqual(['protected areas']);
    await waitForMapIdle(page);
    await expect.poll(() => rendered('reference-infrastructure-line')).toEqual([]);
    await page.screenshot({ path: join(SHOTS, '63-reference-undo.png') });
  });

  it('made no request off this machine and logged no errors', () => {
    expect(b.external).toEqual([]);
    expect(b.consoleErrors).toEqual([]);
  });
});
