/**
 * End to end, issue 5: the planner's coverage and compare panels in Chromium against the web
 * host, on a project made from the real USGS major deposits and Earth MRI project outlines, with
 * three candidate sites. Expected values come from Turf in this file, not from the core.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { area as turfArea, featureCollection, intersect, union } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { feature as topoFeature } from 'topojson-client';
import { importFile } from '../../src/import/import-file';
import { Project } from '../../src/store/project';
import { emptySiteFields, insertSites } from '../../src/store/sites';
import type { WebHost } from '../../src/web/host';
import { readSharedJson, sharedPath } from '../helpers/data';
import { e2eAvailable, openProject, SHOTS, startOfflineBrowser, waitForMapIdle, type OfflineBrowser } from './harness';

const canRun = e2eAvailable('analysis.e2e.test.ts');

// Permit stages chosen so that "all weight on permitting" gives a known order (operating 5, applied 2, none 0).
const SITES = [
  { name: 'Silver City copper', at: [-108.27, 32.77], targets: ['Cu'], stage: 'none' as const },
  { name: 'Mountain Pass REE', at: [-115.53, 35.48], targets: ['REE', 'Nd'], stage: 'applied' as const },
  { name: 'Tucson porphyry', at: [-110.97, 32.0], targets: ['Cu', 'Mo'], stage: 'operating' as const },
];

/** Independent coverage of the USA: Turf union of the survey outlines the importer keeps (20047 crosses itself), ∩ the Natural Earth outline. */
function turfUsCoveragePct(): number {
  const surveys = (readSharedJson('polygons', 'usgs-earthmri-projects-nm-sw.geojson').features as Feature<Polygon | MultiPolygon>[]).filter((f) => f.properties?.pid !== 20047);
  let u: Feature<Polygon | MultiPolygon> = surveys[0];
  for (const f of surveys.slice(1)) u = union(featureCollection([u, f]))!;
  const require = createRequire(import.meta.url);
  const topo = JSON.parse(readFileSync(require.resolve('world-atlas/countries-50m.json'), 'utf8'));
  const countries = topoFeature(topo, topo.objects.countries) as unknown as FeatureCollection<Polygon | MultiPolygon, { name: string }>;
  const usa = countries.features.find((f) => f.properties.name === 'United States of America')!;
  const covered = intersect(featureCollection([u, usa]))!;
  return (turfArea(covered) / turfArea(usa)) * 100;
}

describe.skipIf(!canRun)('coverage and site comparison in Chromium (offline)', () => {
  let b: OfflineBrowser;
  let host: WebHost;
  let page: Page;
  let projectFile: string;

  beforeAll(async () => {
    b = await startOfflineBrowser(async (d) => {
      projectFile = join(d, 'planner.gpkg');
      const p = Project.open(projectFile, { create: true, actor: 'e2e' });
      try {
        await importFile(p, sharedPath('deposits', 'usgs-major-deposits-world.geojson'));
        const mri = await importFile(p, sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), { layer: 'surveys', skipInvalid: true, reportPath: join(d, 'rejected.geojson') });
        expect(mri.written.surveys).toBe(12);
        await insertSites(
          p,
          SITES.map((s) => ({
            fields: { ...emptySiteFields(s.name), roles: ['mine'], targetCommodities: s.targets, permitStage: s.stage },
            geometry: { type: 'Point', coordinates: s.at },
          })),
        );
      } finally {
        p.close();
      }
    });
    ({ host, page } = b);
    await openProject(page, host.url, projectFile);
    await waitForMapIdle(page);
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  it('runs coverage for a country picked from the list: the % shown is what Turf gives, and the gaps are drawn', async () => {
    await page.getByTestId('tool-coverage').click();
    await expect.poll(() => page.getByTestId('coverage-country').locator('option').count()).toBeGreaterThan(200);
    await page.getByTestId('coverage-country').selectOption('United States of America');
    await page.getByTestId('coverage-by').selectOption('agency');
    await page.getByTestId('coverage-run').click();
    const shown = Number(await page.getByTestId('coverage-pct').textContent({ timeout: 60_000 }));
    const expected = turfUsCoveragePct();
    expect(expected).toBeGreaterThan(1);
    expect(Math.abs(shown - expected)).toBeLessThanOrEqual(0.006);
    expect(Number(await page.getByTestId('coverage-surveys').textContent())).toBe(12);
    expect(await page.getByTestId('coverage-groups').locator('tbody tr').count()).toBeGreaterThan(1);

    await page.evaluate(() => window.__outcropMap!.jumpTo({ center: [-108, 35], zoom: 4.3 }));
    await waitForMapIdle(page);
    const drawn = await page.evaluate(() => {
      const map = window.__outcropMap!;
      const n = (id: string) => (map.getLayer(id) ? map.queryRenderedFeatures({ layers: [id] }).length : -1);
      return { gaps: n('overlay-coverage-gaps-fill'), covered: n('overlay-coverage-covered-fill'), overlaps: n('overlay-coverage-overlaps-fill') };
    });
    expect(drawn.gaps).toBeGreaterThan(0);
    expect(drawn.covered).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, '30-coverage.png') });

    // Hiding the gaps takes them off the map.
    await page.getByTestId('coverage-show-gaps').uncheck();
    await expect.poll(() => page.evaluate(() => !!window.__outcropMap!.getLayer('overlay-coverage-gaps-fill'))).toBe(false);
    await page.getByTestId('coverage-show-gaps').check();
  });

  it('runs coverage for an area of interest drawn on the map: the % shown is what Turf gives for that polygon', async () => {
    await page.evaluate(() => window.__outcropMap!.jumpTo({ center: [-107.5, 33.5], zoom: 6 }));
    await waitForMapIdle(page);
    await page.getByTestId('coverage-draw').click();
    const box = (await page.getByTestId('map').boundingBox())!;
    for (const [x, y] of [[260, 200], [620, 180], [660, 520], [300, 560], [260, 200]]) {
      await page.mouse.move(box.x + x, box.y + y, { steps: 2 });
      await page.mouse.click(box.x + x, box.y + y);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    }
    await expect.poll(() => page.getByTestId('coverage-country').inputValue()).toBe('__drawn__');
    await page.getByTestId('coverage-run').click();
    await expect.poll(() => page.getByTestId('coverage-pct').isVisible(), { timeout: 60_000 }).toBe(true);
    const shown = Number(await page.getByTestId('coverage-pct').textContent());
    // The polygon the pen produced is the AOI outline the panel draws.
    const aoiOnMap = () =>
      page.evaluate(async () => {
        const src = window.__outcropMap!.getSource('overlay-coverage-aoi') as unknown as { getData(): Promise<FeatureCollection> } | undefined;
        const fc = src ? await src.getData() : null;
        return (fc?.features[0] as Feature<Polygon | MultiPolygon> | undefined) ?? null;
      });
    await expect.poll(aoiOnMap, { timeout: 15_000 }).not.toBeNull();
    const aoi = (await aoiOnMap())!;
    const surveys = (readSharedJson('polygons', 'usgs-earthmri-projects-nm-sw.geojson').features as Feature<Polygon | MultiPolygon>[]).filter((f) => f.properties?.pid !== 20047);
    let u: Feature<Polygon | MultiPolygon> = surveys[0];
    for (const f of surveys.slice(1)) u = union(featureCollection([u, f]))!;
    const covered = intersect(featureCollection([u, aoi]));
    const expected = covered ? (turfArea(covered) / turfArea(aoi)) * 100 : 0;
    expect(expected).toBeGreaterThan(1);
    expect(Math.abs(shown - expected)).toBeLessThan(0.05);
    await page.screenshot({ path: join(SHOTS, '34-coverage-drawn-aoi.png') });
  });

  it('compares three sites, re-ranks when a weight changes, and exports an HTML report without any web address', async () => {
    await page.getByTestId('tool-coverage').click(); // close coverage: the compare panel draws sites instead
    await page.getByTestId('tool-compare').click();
    await expect.poll(() => page.getByTestId('site-check').count()).toBe(3);
    for (const s of SITES) await page.locator(`[data-testid="site-check"][data-name="${s.name}"]`).check();
    await expect.poll(() => page.getByTestId('ranking-row').count(), { timeout: 20_000 }).toBe(3);
    const ranking = () =>
      page.getByTestId('ranking-row').evaluateAll((rows) => rows.map((r) => ({ name: r.getAttribute('data-name'), rank: Number(r.getAttribute('data-rank')), score: Number(r.querySelector('[data-testid="ranking-score"]')!.textContent) })));
    const before = await ranking();
    // Scores shown are sorted and ranked by score; each is the sum of the contributions shown.
    expect(before.map((r) => r.rank)).toEqual([1, 2, 3]);
    expect(before[0].score).toBeGreaterThanOrEqual(before[1].score);

    await page.evaluate(() => window.__outcropMap!.jumpTo({ center: [-112, 31.5], zoom: 5 }));
    await waitForMapIdle(page);
    const sitesDrawn = await page.evaluate(() => window.__outcropMap!.queryRenderedFeatures({ layers: ['overlay-sites-chosen-circle'] }).map((f) => f.properties.name).sort());
    expect(sitesDrawn).toEqual(SITES.map((s) => s.name).sort());
    await page.screenshot({ path: join(SHOTS, '31-compare.png') });

    // All weight on permitting: operating (1.0) > applied (2/5 = 0.4) > none (0).
    for (const k of ['deposits', 'development', 'resources', 'infrastructure', 'coverage', 'exclusion']) await page.getByTestId(`weight-${k}`).fill('0');
    await page.getByTestId('weight-permitting').fill('1');
    await expect.poll(ranking, { timeout: 20_000 }).toEqual([
      { name: 'Tucson porphyry', rank: 1, score: 1 },
      { name: 'Mountain Pass REE', rank: 2, score: 0.4 },
      { name: 'Silver City copper', rank: 3, score: 0 },
    ]);
    await page.screenshot({ path: join(SHOTS, '32-compare-weights.png') });

    await page.getByTestId('report-html').click();
    const link = page.getByTestId('report-download');
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const html = readFileSync((await download.path())!, 'utf8');
    for (const s of SITES) expect(html).toContain(s.name);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).toMatch(/<h2>Sensitivity/);
    // The report ranks as the panel does under the same weights.
    const order = [...html.matchAll(/<tr><td class="n">(\d)<\/td><td>([^<]+)<\/td>/g)].slice(0, 3).map((m) => m[2]);
    expect(order).toEqual(['Tucson porphyry', 'Mountain Pass REE', 'Silver City copper']);
  });

  it('adds a site at the selected point from the form and reads the panel in Japanese', async () => {
    await page.getByText('Add a site').click();
    await page.getByTestId('site-name').fill('Thacker Pass lithium');
    await page.getByTestId('site-lng').fill('-118.06');
    await page.getByTestId('site-lat').fill('41.71');
    await page.getByTestId('site-targets').fill('Li');
    await page.getByTestId('site-permit').selectOption('granted');
    await page.getByTestId('site-save').click();
    await expect.poll(() => page.getByTestId('site-check').count()).toBe(4);
    await expect.poll(() => page.getByTestId('ranking-row').count(), { timeout: 20_000 }).toBe(4);
    const stored = await host.service.call('sites.list', {});
    if (!stored.ok) throw new Error(stored.error.message);
    const thacker = stored.value.find((s) => s.name === 'Thacker Pass lithium')!;
    expect(thacker.geometry).toEqual({ type: 'Point', coordinates: [-118.06, 41.71] });
    expect(thacker.targetCommodities).toEqual(['Li']);

    // From a deposit: click it on the map, then take its place and name for a new site.
    const nearest = await host.service.call('query.nearest', { center: [-115.53, 35.48], k: 1 });
    if (!nearest.ok) throw new Error(nearest.error.message);
    const hit = nearest.value.hits[0];
    await page.evaluate((c) => window.__outcropMap!.jumpTo({ center: c, zoom: 11, padding: { top: 0, bottom: 420, left: 0, right: 0 } }), hit.coordinates);
    await waitForMapIdle(page);
    const px = await page.evaluate((c) => {
      const map = window.__outcropMap!;
      const p = map.project(c);
      const r = map.getCanvas().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    }, hit.coordinates);
    await page.mouse.click(px.x, px.y);
    await expect.poll(() => page.getByTestId('details-name').textContent(), { timeout: 10_000 }).toBe(hit.name);
    await page.getByTestId('site-use-selected').click();
    expect(await page.getByTestId('site-name').inputValue()).toBe(hit.name);
    expect(Number(await page.getByTestId('site-lng').inputValue())).toBeCloseTo(hit.coordinates[0], 4);
    expect(Number(await page.getByTestId('site-lat').inputValue())).toBeCloseTo(hit.coordinates[1], 4);
    await page.getByTestId('site-save').click();
    await expect.poll(() => page.getByTestId('site-check').count()).toBe(5);
    await expect.poll(() => page.getByTestId('ranking-row').count(), { timeout: 20_000 }).toBe(5);
    await page.evaluate(() => window.__outcropMap!.jumpTo({ center: [-114, 33], zoom: 4.6, padding: { top: 0, bottom: 0, left: 0, right: 0 } }));
    await waitForMapIdle(page);
    await page.getByTestId('lang-ja').click();
    await expect.poll(() => page.getByTestId('compare-panel').locator('h2').textContent()).toBe('候補地の比較');
    await page.screenshot({ path: join(SHOTS, '33-compare-ja.png') });
    await page.getByTestId('lang-en').click();
  });

  it('made no external request and logged no console error', () => {
    expect(b.external).toEqual([]);
    expect(b.consoleErrors).toEqual([]);
  });
});
