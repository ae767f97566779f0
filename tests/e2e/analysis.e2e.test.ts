/**
 * End to end, issue 5: the planner's coverage and compare panels in Chromium against the web
 * host, on a project made from the real USGS major deposits and Earth MRI project outlines, with
 * three candidate sites. Expected values come from Turf in this file, not from the core.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { area as turfArea, bbox as turfBBox, booleanPointInPolygon, featureCollection, intersect, union } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { feature as topoFeature } from 'topojson-client';
import { importFile } from '../../src/import/import-file';
import { Project } from '../../src/store/project';
import { emptySiteFields, insertSites } from '../../src/store/sites';
import { decodeGeometry } from '../../src/store/gpkg/geometry-blob';
import { hasCommand } from '../helpers/cli';
import { emptySurveyFields } from '../../src/model/defaults';
import type { WebHost } from '../../src/web/host';
import { readSharedJson, sharedPath } from '../helpers/data';

const PROTECTED = join(__dirname, '../fixtures/reference/sw-us-protected-areas.geojson');
import { e2eAvailable, openProject, readProject, SHOTS, startOfflineBrowser, waitForMapIdle, type OfflineBrowser } from './harness';

const canRun = e2eAvailable('analysis.e2e.test.ts');

// Permit stages chosen so that "all weight on permitting" gives a known order (operating 5, applied 2, none 0).
const SITES = [
  { name: 'Silver City copper', at: [-108.27, 32.77], targets: ['Cu'], stage: 'none' as const },
  { name: 'Mountain Pass REE', at: [-115.53, 35.48], targets: ['REE', 'Nd'], stage: 'applied' as const },
  { name: 'Tucson porphyry', at: [-110.97, 32.0], targets: ['Cu', 'Mo'], stage: 'operating' as const },
];

const HOKKAIDO_INLAND = [142.2, 43.0, 142.9, 43.5] as const;
const HOKKAIDO_COAST = [144.0, 42.6, 145.0, 43.3] as const;
const lonLatBox = ([w, s, e, n]: readonly number[]): Polygon => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });

/** Hokkaido's outline as shipped (assets/basemap), read here, not through the core. */
function hokkaidoOutline(): Feature<MultiPolygon> {
  const fc = JSON.parse(readFileSync(join(__dirname, '../../assets/basemap/jp-prefecture-areas.geojson'), 'utf8')) as FeatureCollection<MultiPolygon, { nameJa: string }>;
  return fc.features.find((f) => f.properties.nameJa === '北海道')!;
}

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
        // Two hand-made surveys in Hokkaido for the prefecture AOI: one inland, one across the Kushiro coast.
        await p.write('e2e', 'add', (w) => {
          w.insertSurvey({ ...emptySurveyFields('Tokachi inland'), agency: 'GSJ', startDate: '2023-05-01', endDate: '2023-10-31' }, lonLatBox(HOKKAIDO_INLAND));
          w.insertSurvey({ ...emptySurveyFields('Kushiro coast'), agency: 'JOGMEC', startDate: '2019-04-01', endDate: '2020-03-31' }, lonLatBox(HOKKAIDO_COAST));
        });
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
    await page.getByTestId('coverage-aoi-kind').selectOption('country');
    await expect.poll(() => page.getByTestId('coverage-aoi-name').locator('option').count()).toBeGreaterThan(200);
    await page.getByTestId('coverage-aoi-name').selectOption('United States of America');
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
    await expect.poll(() => page.getByTestId('coverage-aoi-kind').inputValue()).toBe('drawn');
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

  it('fits the map to a US state or a prefecture picked as the area of interest', async () => {
    const states = JSON.parse(readFileSync(join(__dirname, '../../assets/basemap/us-state-areas.geojson'), 'utf8')) as FeatureCollection<MultiPolygon, { postal: string }>;
    const stateBox = (code: string, across = false) => {
      // Turf's box of the shipped outline; across ±180° (Alaska) with western longitudes moved past 180.
      const f = states.features.find((x) => x.properties.postal === code)!;
      if (!across) return turfBBox(f);
      const xs = f.geometry.coordinates.flat(2).map(([x]) => (x < 0 ? x + 360 : x));
      const b = turfBBox(f);
      return [Math.min(...xs), b[1], Math.max(...xs), b[3]];
    };
    const view = () => page.evaluate(() => {
      const b = window.__outcropMap!.getBounds();
      return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
    });
    // The view holds the whole box, and is not much larger (fitted, not the world). MapLibre may
    // show it on another copy of the world (Alaska at -192° … -125° after Nevada): compare modulo 360°.
    const fits = (view: number[], box: number[]) => {
      const shift = 360 * Math.round((box[0] + box[2] - view[0] - view[2]) / 720);
      const v = [view[0] + shift, view[1], view[2] + shift, view[3]];
      return v[0] <= box[0] && v[1] <= box[1] && v[2] >= box[2] && v[3] >= box[3] && v[2] - v[0] < 4 * (box[2] - box[0]) + 2;
    };
    if (!(await page.getByTestId('coverage-panel').isVisible())) await page.getByTestId('tool-coverage').click();
    await page.evaluate(() => window.__outcropMap!.jumpTo({ center: [10, 20], zoom: 3 }));
    await page.getByTestId('coverage-aoi-kind').selectOption('state');
    await page.getByTestId('coverage-aoi-name').selectOption('NV');
    // The drawn area's result is still shown, marked as computed for other settings.
    await expect.poll(() => page.getByTestId('coverage-stale').isVisible()).toBe(true);
    const nv = stateBox('NV');
    expect(nv.map((x) => Math.round(x))).toEqual([-120, 35, -114, 42]); // Nevada's borders
    await expect.poll(async () => fits(await view(), nv)).toBe(true);
    await page.getByTestId('coverage-aoi-name').selectOption('AK');
    const ak = stateBox('AK', true);
    expect(ak[2] - ak[0]).toBeLessThan(60); // the short way round the antimeridian
    await expect.poll(async () => fits(await view(), ak)).toBe(true);
    await page.getByTestId('coverage-aoi-kind').selectOption('prefecture');
    await page.getByTestId('coverage-aoi-name').selectOption({ label: 'Hokkaido (北海道)' });
    const hk = turfBBox(hokkaidoOutline());
    await expect.poll(async () => fits(await view(), hk)).toBe(true);
    await waitForMapIdle(page);
    await page.screenshot({ path: join(SHOTS, '36b-coverage-fit-prefecture.png') });
  });

  it('runs coverage for a Japanese prefecture picked from the list, with a date range: the % shown is what Turf gives', async () => {
    await page.getByTestId('coverage-aoi-kind').selectOption('prefecture');
    await expect.poll(() => page.getByTestId('coverage-aoi-name').locator('option').count()).toBe(48);
    await page.getByTestId('coverage-aoi-name').selectOption({ label: 'Hokkaido (北海道)' });
    await page.getByTestId('coverage-by').selectOption('agency');
    const hokkaido = hokkaidoOutline();
    const aoiKm2 = turfArea(hokkaido) / 1e6;
    const coastKm2 = turfArea(intersect(featureCollection<Polygon | MultiPolygon>([hokkaido, { type: 'Feature', properties: {}, geometry: lonLatBox(HOKKAIDO_COAST) }]))!) / 1e6;
    const inlandKm2 = turfArea(lonLatBox(HOKKAIDO_INLAND)) / 1e6;
    const shownPct = async () => {
      await page.getByTestId('coverage-run').click();
      await expect.poll(() => page.getByTestId('coverage-result').textContent(), { timeout: 60_000 }).toContain('Hokkaido (北海道)');
      return Number(await page.getByTestId('coverage-pct').textContent());
    };
    // Both surveys: the inland box whole, the coastal one as cut by the coast.
    expect(Math.abs((await shownPct()) - ((inlandKm2 + coastKm2) / aoiKm2) * 100)).toBeLessThanOrEqual(0.006);
    expect(Number(await page.getByTestId('coverage-surveys').textContent())).toBe(2);
    expect(await page.getByTestId('coverage-stale').count()).toBe(0);
    // Only surveys running in 2022 or later: the 2023 inland one.
    await page.getByTestId('coverage-from').fill('2022-01-01');
    await expect.poll(() => page.getByTestId('coverage-stale').isVisible()).toBe(true);
    expect(Math.abs((await shownPct()) - (inlandKm2 / aoiKm2) * 100)).toBeLessThanOrEqual(0.006);
    await expect.poll(() => page.getByTestId('coverage-surveys').textContent()).toBe('1');
    expect(await page.getByTestId('coverage-stale').count()).toBe(0);
    // Dates the wrong way round: the form says so and does not run.
    await page.getByTestId('coverage-to').fill('2021-12-31');
    await expect.poll(() => page.getByTestId('coverage-form-problem').textContent()).toMatch(/start date is after the end date/);
    expect(await page.getByTestId('coverage-run').isDisabled()).toBe(true);
    await page.getByTestId('coverage-to').fill('');
    await page.getByTestId('coverage-from').fill('');
    await shownPct();
    await page.evaluate(() => window.__outcropMap!.jumpTo({ center: [143.5, 43.4], zoom: 5.6 }));
    await waitForMapIdle(page);
    const drawn = await page.evaluate(() => {
      const map = window.__outcropMap!;
      return { gaps: map.queryRenderedFeatures({ layers: ['overlay-coverage-gaps-fill'] }).length, covered: map.queryRenderedFeatures({ layers: ['overlay-coverage-covered-fill'] }).length };
    });
    expect(drawn.gaps).toBeGreaterThan(0);
    expect(drawn.covered).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, '37-coverage-prefecture.png') });
    await page.getByTestId('lang-ja').click();
    await expect.poll(() => page.getByTestId('coverage-aoi-name').locator('option:checked').textContent()).toBe('北海道');
    await page.screenshot({ path: join(SHOTS, '38-coverage-prefecture-ja.png') });
    await page.getByTestId('lang-en').click();
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

    // One small map per site, in rank order, with one dot per deposit the core counted for it (at most 400).
    const stored = await host.service.call('sites.list', {});
    if (!stored.ok) throw new Error(stored.error.message);
    const api = await host.service.call('analysis.compare', { siteIds: SITES.map((s) => stored.value.find((x) => x.name === s.name)!.id), radiusKm: 50 });
    if (!api.ok) throw new Error(api.error.message);
    const maps = () =>
      page.getByTestId('site-map').evaluateAll((els) =>
        els.map((e) => ({
          name: e.getAttribute('data-name'),
          rank: Number(e.getAttribute('data-rank')),
          dots: e.querySelectorAll('[data-testid="site-map-dot"]').length,
          priority: e.querySelectorAll('[data-testid="site-map-dot"][data-priority="true"]').length,
        })),
      );
    await expect.poll(maps, { timeout: 20_000 }).toEqual(
      ['Tucson porphyry', 'Mountain Pass REE', 'Silver City copper'].map((name, i) => {
        const s = api.value.sites.find((x) => x.name === name)!;
        expect(s.depositCount).toBeLessThanOrEqual(400);
        return { name, rank: i + 1, dots: s.depositCount, priority: s.priorityCount };
      }),
    );
    // Real deposits near these sites: the maps are not empty.
    expect(api.value.sites.reduce((n, s) => n + s.depositCount, 0)).toBeGreaterThan(0);
    // A point site sits in the middle of its map (its 50 km circle is the area drawn), drawn over the dots.
    expect(api.value.sites.map((s) => s.map.point)).toEqual(SITES.map(() => ({ x: 130, y: 130 })));
    expect(await page.getByTestId('site-map').first().locator('svg > :last-child').getAttribute('data-kind')).toBe('site');
    expect(await page.getByTestId('site-map').first().locator('svg').evaluate((e) => e.getBoundingClientRect().width)).toBeGreaterThan(100);
    expect(await page.getByTestId('map-legend').textContent()).toMatch(/priority deposit.*other deposit.*surveyed.*exclusion zone.*area assessed/);
    await page.getByTestId('site-maps').scrollIntoViewIfNeeded();
    await page.getByTestId('compare-panel').screenshot({ path: join(SHOTS, '32b-compare-site-maps.png') });
    // Clicking a small map centres the map on that site.
    await page.locator('[data-testid="site-map"][data-name="Silver City copper"] [data-testid="site-map-show"]').click();
    await expect.poll(() => page.evaluate(() => window.__outcropMap!.getCenter().toArray().map((v) => Math.round(v * 100) / 100))).toEqual([-108.27, 32.77]);

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
    expect(await page.getByTestId('site-map').count()).toBe(5);
    expect(await page.getByTestId('map-legend').textContent()).toMatch(/重点鉱床.*その他の鉱床.*調査済み.*除外区域.*評価範囲/);
    await page.getByTestId('map-legend').scrollIntoViewIfNeeded();
    await page.getByTestId('compare-panel').screenshot({ path: join(SHOTS, '33b-compare-site-maps-ja.png') });
    await page.getByTestId('lang-en').click();
  });

  it('draws a polygon site on the map, edits its fields and moves it, adds permit reviews, and undoes/redoes each step', async () => {
    const stored = async (name: string) => {
      const r = await host.service.call('sites.list', {});
      if (!r.ok) throw new Error(r.error.message);
      return r.value.find((s) => s.name === name) ?? null;
    };
    const siteCount = () => page.getByTestId('site-check').count();
    if (!(await page.getByTestId('compare-panel').isVisible())) await page.getByTestId('tool-compare').click();
    await expect.poll(siteCount).toBeGreaterThanOrEqual(3);
    const n0 = await siteCount();
    await page.evaluate(() => window.__outcropMap!.jumpTo({ center: [-112.1, 33.4], zoom: 8, padding: { top: 0, bottom: 0, left: 0, right: 0 } }));
    await waitForMapIdle(page);
    if (!(await page.getByTestId('site-add-form').isVisible())) await page.getByText('Add a site').click();
    await page.getByTestId('site-name').fill('Phoenix separation hub');
    const map = (await page.getByTestId('map').boundingBox())!;
    // Pick a point on the map: the form shows it, and "Type coordinates" puts it in the fields.
    await page.getByTestId('site-pick-point').click();
    await expect.poll(() => page.getByTestId('site-pen-hint').textContent()).toMatch(/Click the site’s place/);
    await page.mouse.click(map.x + 300, map.y + 150);
    await expect.poll(() => page.getByTestId('site-shape').textContent()).toMatch(/^Point on the map: /);
    const picked = await page.evaluate(() => window.__outcropMap!.unproject([300, 150]).toArray());
    await page.getByTestId('site-type-coords').click();
    expect(Math.abs(Number(await page.getByTestId('site-lng').inputValue()) - picked[0])).toBeLessThan(1e-6);
    expect(Math.abs(Number(await page.getByTestId('site-lat').inputValue()) - picked[1])).toBeLessThan(1e-6);
    // Then an area instead.
    await page.getByTestId('site-draw-area').click();
    await expect.poll(() => page.getByTestId('site-pen-hint').textContent()).toMatch(/click the first one to close/);
    // Corners in the top part of the map (the compare panel covers the bottom half).
    const corners = [
      [map.x + 420, map.y + 60],
      [map.x + 560, map.y + 70],
      [map.x + 540, map.y + 190],
      [map.x + 430, map.y + 170],
    ];
    const click = async (x: number, y: number) => {
      await page.mouse.move(x, y, { steps: 2 });
      await page.mouse.click(x, y);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    };
    for (const [x, y] of corners) await click(x, y);
    await click(corners[0][0], corners[0][1]); // close on the first corner
    await expect.poll(() => page.getByTestId('site-shape').textContent()).toMatch(/4 corners/);
    // Where those pixels are on the map, by MapLibre's own projection.
    const lngLats = await page.evaluate(
      ({ pts, box }) => pts.map(([x, y]) => window.__outcropMap!.unproject([x - box.x, y - box.y]).toArray()),
      { pts: corners, box: map },
    );
    await page.getByTestId('site-role-separation').check();
    await page.getByTestId('site-targets').fill('Nd, Dy');
    await page.getByTestId('site-notes').fill('Next to the rail spur');
    await page.screenshot({ path: join(SHOTS, '35-site-drawn.png') });
    await page.getByTestId('site-save').click();
    await expect.poll(siteCount).toBe(n0 + 1);
    const drawn = (await stored('Phoenix separation hub'))!;
    expect(drawn).toMatchObject({ roles: ['separation'], targetCommodities: ['Nd', 'Dy'], notes: 'Next to the rail spur', permitReviews: [] });
    expect(drawn.geometry?.type).toBe('Polygon');
    const ring = (drawn.geometry as Polygon).coordinates[0];
    expect(ring).toHaveLength(5);
    // Each clicked corner is a vertex of the stored ring (to the pen's 1e-9° precision, whatever the winding).
    for (const [lng, lat] of lngLats) expect(ring.some(([x, y]) => Math.abs(x - lng) < 1e-6 && Math.abs(y - lat) < 1e-6)).toBe(true);
    // The pen is put down: map clicks select again.
    await expect.poll(() => page.evaluate(() => window.__outcropMap!.getCanvas().style.cursor)).toBe('');

    // Edit: new name and notes, and the whole shape dragged 80 px east.
    await page.locator('[data-testid="site-edit"][data-name="Phoenix separation hub"]').click();
    await page.getByTestId('site-name').fill('Phoenix separation hub (revised)');
    await page.getByTestId('site-notes').fill('Rail spur and water rights');
    await page.getByTestId('site-role-magnet').check();
    await page.getByTestId('site-edit-shape').click();
    await expect.poll(() => page.getByTestId('site-pen-hint').textContent()).toMatch(/Drag a corner or the whole shape/);
    const inside = [map.x + 490, map.y + 120];
    await page.mouse.move(inside[0], inside[1], { steps: 2 });
    await page.mouse.down();
    await page.mouse.move(inside[0] + 40, inside[1], { steps: 5 });
    await page.mouse.move(inside[0] + 80, inside[1], { steps: 5 });
    await page.mouse.up();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    await page.screenshot({ path: join(SHOTS, '36a-site-moved.png') });
    await page.getByTestId('site-save').click();
    await expect.poll(async () => (await stored('Phoenix separation hub (revised)'))?.notes).toBe('Rail spur and water rights');
    const moved = (await stored('Phoenix separation hub (revised)'))!;
    expect(moved.id).toBe(drawn.id);
    expect(moved.roles).toEqual(['separation', 'magnet']);
    // A horizontal drag moves the shape rigidly east (every vertex by the same longitude step, at
    // most the 80 px dragged: the pen starts dragging after a few pixels) and keeps the latitudes.
    const dLng80 = await page.evaluate(() => {
      const m = window.__outcropMap!;
      return m.unproject([580, 100]).lng - m.unproject([500, 100]).lng;
    });
    const movedRing = (moved.geometry as Polygon).coordinates[0];
    expect(movedRing).toHaveLength(5);
    const step = movedRing[0][0] - ring[0][0];
    expect(step).toBeGreaterThan(dLng80 * 0.8);
    expect(step).toBeLessThan(dLng80 * 1.01);
    for (let i = 0; i < 5; i++) {
      expect(Math.abs(movedRing[i][0] - ring[i][0] - step)).toBeLessThan(1e-6);
      expect(Math.abs(movedRing[i][1] - ring[i][1])).toBeLessThan(1e-6);
    }

    // Permit reviews, entered out of date order: listed oldest first, the stage follows the latest.
    await page.locator('[data-testid="site-edit"][data-name="Phoenix separation hub (revised)"]').click();
    await expect.poll(() => page.getByTestId('site-edit-form').isVisible()).toBe(true);
    await page.getByTestId('review-date').fill('2026-03-01');
    await page.getByTestId('review-stage').selectOption('applied');
    await page.getByTestId('review-note').fill('Filed with ADEQ');
    await page.getByTestId('review-add').click();
    await expect.poll(() => page.getByTestId('permit-review').count()).toBe(1);
    await page.getByTestId('review-date').fill('2025-11-20');
    await page.getByTestId('review-stage').selectOption('exploration-licence');
    await page.getByTestId('review-add').click();
    await expect.poll(() => page.getByTestId('permit-review').count()).toBe(2);
    expect(await page.getByTestId('permit-review').evaluateAll((li) => li.map((l) => [l.getAttribute('data-date'), l.getAttribute('data-stage')]))).toEqual([
      ['2025-11-20', 'exploration-licence'],
      ['2026-03-01', 'applied'],
    ]);
    expect(await page.getByTestId('site-permit-follows').textContent()).toMatch(/\(Applied\)/);
    // A date that does not exist is refused by the core, and said so.
    await page.getByTestId('review-date').fill('2026-02-30');
    await page.getByTestId('review-stage').selectOption('granted');
    await page.getByTestId('review-add').click();
    await expect.poll(() => page.getByTestId('review-error').textContent()).toMatch(/2026-02-30/);
    await page.getByTestId('permit-reviews').scrollIntoViewIfNeeded();
    await page.getByTestId('compare-panel').screenshot({ path: join(SHOTS, '36-site-permit-reviews.png') });
    expect((await stored('Phoenix separation hub (revised)'))!.permitStage).toBe('applied');

    // Undo, step by step, through the app's undo button: the panel follows each step.
    const undo = async () => {
      await page.getByTestId('tool-undo').click();
    };
    await undo();
    await expect.poll(() => page.getByTestId('permit-review').count()).toBe(1);
    await undo();
    await expect.poll(() => page.getByTestId('permit-review').count()).toBe(0);
    expect((await stored('Phoenix separation hub (revised)'))!.permitStage).toBeNull();
    await undo(); // the edit: name, notes, roles and shape as drawn
    await expect.poll(() => page.locator('[data-testid="site-check"][data-name="Phoenix separation hub"]').count()).toBe(1);
    const back = (await stored('Phoenix separation hub'))!;
    expect(back).toMatchObject({ notes: 'Next to the rail spur', roles: ['separation'] });
    expect(back.geometry).toEqual(drawn.geometry);
    await undo(); // the add
    await expect.poll(siteCount).toBe(n0);
    expect(await stored('Phoenix separation hub')).toBeNull();
    // Redo brings back the site as drawn, then the edit.
    await page.getByTestId('tool-redo').click();
    await expect.poll(siteCount).toBe(n0 + 1);
    await page.getByTestId('tool-redo').click();
    await expect.poll(() => page.locator('[data-testid="site-check"][data-name="Phoenix separation hub (revised)"]').count()).toBe(1);
    expect((await stored('Phoenix separation hub (revised)'))!.geometry).toEqual(moved.geometry);
    await page.getByTestId('compare-panel').screenshot({ path: join(SHOTS, '36c-site-after-undo-redo.png') });
    // Redo the two reviews too, and read them in Japanese in the site's form.
    await page.getByTestId('tool-redo').click();
    await expect.poll(async () => (await stored('Phoenix separation hub (revised)'))?.permitReviews.length).toBe(1);
    await page.getByTestId('tool-redo').click();
    await expect.poll(async () => (await stored('Phoenix separation hub (revised)'))?.permitReviews.length).toBe(2);
    await expect.poll(() => page.getByTestId('tool-redo').isDisabled()).toBe(true);
    await page.locator('[data-testid="site-edit"][data-name="Phoenix separation hub (revised)"]').click();
    await page.getByTestId('lang-ja').click();
    await expect.poll(() => page.getByTestId('permit-review').allTextContents()).toEqual(['2025-11-20 探査許可', '2026-03-01 申請中 — Filed with ADEQ']);
    await page.getByTestId('site-edit-form').scrollIntoViewIfNeeded();
    await page.getByTestId('compare-panel').screenshot({ path: join(SHOTS, '36d-site-edit-ja.png') });
    // The core's refusal of a date that does not exist, in Japanese (its key and params, issue 6).
    await page.getByTestId('review-date').fill('2026-02-30');
    await page.getByTestId('review-stage').selectOption('granted');
    await page.getByTestId('review-add').click();
    await expect.poll(() => page.getByTestId('review-error').textContent()).toBe('許認可の審査: 日付は YYYY[-MM[-DD]] の形式で入力してください（入力値: "2026-02-30"）');
    await page.getByTestId('review-error').scrollIntoViewIfNeeded();
    await page.getByTestId('compare-panel').screenshot({ path: join(SHOTS, '36e-site-review-error-ja.png') });
    // Back in English, the same error reads as the core wrote it.
    await page.getByTestId('lang-en').click();
    await expect.poll(() => page.getByTestId('review-error').textContent()).toBe('permit review: date must be a date YYYY[-MM[-DD]], got "2026-02-30"');
    await page.getByTestId('site-cancel').click();
    await expect.poll(() => page.getByTestId('site-edit-form').count()).toBe(0);
  });

  it('imports a protected-areas layer into the project from the compare panel: the site inside it is flagged and ranked last, then penalised', async () => {
    if (!(await page.getByTestId('compare-panel').isVisible())) await page.getByTestId('tool-compare').click();
    // Compare the three original sites only, all weight on permitting (Tucson 1, Mountain Pass 2, Silver City 3).
    for (const box of await page.getByTestId('site-check').all()) if (await box.isChecked()) await box.uncheck();
    for (const s of SITES) await page.locator(`[data-testid="site-check"][data-name="${s.name}"]`).check();
    for (const k of ['deposits', 'development', 'resources', 'infrastructure', 'coverage', 'exclusion']) await page.getByTestId(`weight-${k}`).fill('0');
    await page.getByTestId('weight-permitting').fill('1');
    const rows = () =>
      page.getByTestId('ranking-row').evaluateAll((rs) => rs.map((r) => [r.getAttribute('data-name'), Number(r.getAttribute('data-rank')), r.getAttribute('data-excluded')]));
    await expect.poll(rows, { timeout: 20_000 }).toEqual([
      ['Tucson porphyry', 1, 'false'],
      ['Mountain Pass REE', 2, 'false'],
      ['Silver City copper', 3, 'false'],
    ]);
    // Independently: Turf puts Mountain Pass inside the fixture's Mojave zone and the others outside it.
    const zones = JSON.parse(readFileSync(PROTECTED, 'utf8')) as FeatureCollection<Polygon>;
    const inside = SITES.filter((s) => zones.features.some((z) => booleanPointInPolygon(s.at, z))).map((s) => s.name);
    expect(inside).toEqual(['Mountain Pass REE']);

    await page.getByTestId('layer-import').locator('summary').click();
    await page.getByTestId('layer-import-path').fill(PROTECTED);
    await page.getByTestId('layer-import-role').selectOption('exclusion');
    await page.getByTestId('layer-import-name').fill('protected areas');
    await page.getByTestId('layer-import-start').click();
    await expect.poll(() => page.getByTestId('layer-import-done').textContent(), { timeout: 20_000 }).toMatch(/protected areas.*2 features/);
    // The new layer is ticked as an exclusion layer; hard mode (default) excludes Mountain Pass and ranks it last.
    await expect.poll(() => page.locator('[data-testid="exclusion-layer"][data-name="protected areas"]').isChecked()).toBe(true);
    await expect.poll(rows, { timeout: 20_000 }).toEqual([
      ['Tucson porphyry', 1, 'false'],
      ['Silver City copper', 2, 'false'],
      ['Mountain Pass REE', 3, 'true'],
    ]);
    expect(await page.getByTestId('ranking-excluded').getAttribute('title')).toMatch(/Mojave National Preserve \(simplified outline\) — excluded/);
    expect(await page.getByTestId('compare-layers').textContent()).toMatch(/exclusion zones: protected areas \(Exclude \(hard\)\)/);
    // Stored in the project: the core lists it.
    const listed = await host.service.call('layers.list', {});
    expect(listed.ok && listed.value.map((l) => [l.name, l.role, l.featureCount])).toEqual([['protected areas', 'exclusion', 2]]);
    await page.evaluate(() => window.__outcropMap!.jumpTo({ center: [-112, 33.5], zoom: 4.6 }));
    await waitForMapIdle(page);
    await page.getByTestId('compare-panel').screenshot({ path: join(SHOTS, '38-compare-exclusion-layer.png') });
    // Its small map draws the zone (only the site inside it has one), named on hover.
    const zonesDrawn = () => page.getByTestId('site-map').evaluateAll((els) => els.map((e) => [e.getAttribute('data-name'), [...e.querySelectorAll('path[data-kind="exclusion"] title')].map((t) => t.textContent)]));
    expect(await zonesDrawn()).toEqual([
      ['Tucson porphyry', []],
      ['Silver City copper', []],
      ['Mountain Pass REE', ['Mojave National Preserve (simplified outline)']],
    ]);
    await page.getByTestId('map-legend').scrollIntoViewIfNeeded();
    await page.getByTestId('compare-panel').screenshot({ path: join(SHOTS, '38b-compare-site-maps-exclusion.png') });

    // Penalty instead: no longer excluded; with the exclusion weight at 0 the permit order is back.
    await page.getByTestId('exclusion-mode-penalty').check();
    await expect.poll(rows, { timeout: 20_000 }).toEqual([
      ['Tucson porphyry', 1, 'false'],
      ['Mountain Pass REE', 2, 'false'],
      ['Silver City copper', 3, 'false'],
    ]);
    // The commodity priorities editor: Japanese labels from the vocabulary, remove one, defaults back.
    await page.getByTestId('lang-ja').click();
    expect(await page.locator('[data-testid="commodity-row"][data-code="Nd"] td').first().textContent()).toBe('Nd · ネオジム');
    const n = await page.getByTestId('commodity-row').count();
    await page.getByTestId('commodity-remove-Nd').click();
    await expect.poll(() => page.getByTestId('commodity-row').count()).toBe(n - 1);
    await page.getByTestId('commodity-add-select').selectOption('Sc');
    await page.getByTestId('commodity-add').click();
    expect(await page.locator('[data-testid="commodity-row"][data-code="Sc"] input').inputValue()).toBe('1');
    await page.locator('[data-testid="commodity-row"][data-code="Sc"]').scrollIntoViewIfNeeded();
    await page.getByTestId('compare-panel').screenshot({ path: join(SHOTS, '39-compare-settings-ja.png') });
    await page.getByTestId('commodities-reset').click();
    await expect.poll(() => page.getByTestId('commodity-row').count()).toBe(n);
    await page.getByTestId('lang-en').click();
    await page.getByTestId('exclusion-mode-hard').check();

    // All weight on the priority deposits: the panel's ranks and commodity-priority verdicts are the core's for the same request.
    await page.getByTestId('weight-permitting').fill('0');
    await page.getByTestId('weight-deposits').fill('1');
    const listedSites = await host.service.call('sites.list', {});
    if (!listedSites.ok) throw new Error(listedSites.error.message);
    const opts = await host.service.call('analysis.options', {});
    if (!opts.ok) throw new Error(opts.error.message);
    const criteria = Object.fromEntries(Object.keys(opts.value.defaultWeights.criteria).map((k) => [k, k === 'deposits' ? 1 : 0]));
    const core = await host.service.call('analysis.compare', {
      siteIds: SITES.map((s) => listedSites.value.find((x) => x.name === s.name)!.id),
      weights: { criteria, commodities: opts.value.defaultWeights.commodities, otherCritical: opts.value.defaultWeights.otherCritical, exclusionMode: 'hard' },
      replaceCommodities: true,
      exclusionLayers: ['protected areas'],
      radiusKm: 50,
    });
    if (!core.ok) throw new Error(core.error.message);
    expect(core.value.commodityVariations.length).toBeGreaterThan(0);
    const want = core.value.sites.map((s) => [s.name, s.rank, String(s.commodityStable)]).sort((a, b) => Number(a[1]) - Number(b[1]) || String(a[0]).localeCompare(String(b[0])));
    const shown = () =>
      page.getByTestId('ranking-row').evaluateAll((rs) => rs.map((r) => [r.getAttribute('data-name'), Number(r.getAttribute('data-rank')), r.getAttribute('data-commodity-stable')]));
    await expect.poll(shown, { timeout: 20_000 }).toEqual(want);
    await page.getByTestId('ranking').scrollIntoViewIfNeeded();
    await page.getByTestId('compare-panel').screenshot({ path: join(SHOTS, '40-compare-commodity-sensitivity.png') });
  });

  it.skipIf(!hasCommand('ogrinfo'))('lists a site whose place another program cleared as "(no location)", keeps it out of comparisons, and lets the user place it again', async () => {
    const name = 'Tucson porphyry';
    // GDAL (as QGIS would) clears the site's point through its own connection.
    execFileSync('ogrinfo', [projectFile, '-sql', `UPDATE sites SET geom = NULL WHERE name = '${name}'`], { stdio: 'pipe' });
    await openProject(page, host.url, projectFile);
    await page.getByTestId('tool-compare').click();
    const row = page.locator('.site-list li').filter({ hasText: name });
    await expect.poll(() => row.getByTestId('site-no-location').count(), { timeout: 10_000 }).toBe(1);
    const box = page.locator(`[data-testid="site-check"][data-name="${name}"]`);
    expect([await box.isChecked(), await box.isDisabled()]).toEqual([false, true]);
    await page.getByTestId('compare-panel').screenshot({ path: join(SHOTS, '51-site-no-location.png') });

    await row.getByTestId('site-edit').click();
    expect(await page.getByTestId('site-lng').inputValue()).toBe('');
    await page.getByTestId('site-lng').fill('-110.97');
    await page.getByTestId('site-lat').fill('32.0');
    await page.getByTestId('site-save').click();
    await expect.poll(() => row.getByTestId('site-no-location').count(), { timeout: 10_000 }).toBe(0);
    expect(await box.isDisabled()).toBe(false);
    const stored = readProject(projectFile, (p) => p.db.prepare('SELECT geom FROM sites WHERE name = ?').pluck().get(name) as Buffer | null);
    expect(decodeGeometry(stored!)).toEqual({ type: 'Point', coordinates: [-110.97, 32.0] });
  });

  it('made no external request and logged no console error', () => {
    expect(b.external).toEqual([]);
    expect(b.consoleErrors).toEqual([]);
  });
});
