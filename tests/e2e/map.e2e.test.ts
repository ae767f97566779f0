/**
 * End to end: a project made by the core from real data, served by the web host, drawn by the
 * built renderer in headless Chromium (software WebGL), with no network at all.
 *
 * Skips (saying why) when /usr/bin/chromium or ../shared/data is missing. Builds the renderer
 * first when dist/renderer is missing or older than renderer/. Screenshots go to
 * tests/e2e/screenshots/ (git-ignored).
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { booleanPointInPolygon, distance as turfDistance } from '@turf/turf';
import type { MultiPolygon } from 'geojson';
import { importFile } from '../../src/import/import-file';
import { decodeGeometry, decodePoint } from '../../src/store/gpkg/geometry-blob';
import { Project } from '../../src/store/project';
import { getSurvey } from '../../src/store/read';
import type { WebHost } from '../../src/web/host';
import { readSharedJson, sharedPath } from '../helpers/data';
import { blend, countPixels, e2eAvailable, SHOTS, startOfflineBrowser, waitForMapIdle, type OfflineBrowser } from './harness';

const canRun = e2eAvailable('map.e2e.test.ts');

/** Field teams the test gives the Earth MRI surveys (round robin over the first nine; three keep none). */
const TEAMS = ['NMBGMR crew', 'USGS party 3', 'GSJ field team A'];
/** What fileUnderTeams wrote: survey id → team, deposit id → [survey id, lng, lat]. */
const surveyTeams = new Map<string, { team: string | null; name: string }>();
const depositSurveys = new Map<string, { survey: string; at: [number, number] }>();

/**
 * Give surveys a team and file every stored deposit that lies in a survey area under the first
 * such survey (Turf decides), as a field team's project would have them.
 */
async function fileUnderTeams(p: Project): Promise<void> {
  const surveys = p.db.prepare('SELECT id, name, geom FROM surveys ORDER BY fid').all() as { id: string; name: string; geom: Buffer }[];
  surveys.forEach((s, i) => surveyTeams.set(s.id, { team: i < 9 ? TEAMS[i % 3] : null, name: s.name }));
  const areas = surveys.map((s) => ({ id: s.id, geom: decodeGeometry(s.geom) as MultiPolygon }));
  for (const d of p.db.prepare('SELECT id, geom FROM deposits').all() as { id: string; geom: Buffer }[]) {
    const at = decodePoint(d.geom) as [number, number];
    const area = areas.find((a) => booleanPointInPolygon(at, a.geom));
    if (area) depositSurveys.set(d.id, { survey: area.id, at });
  }
  await p.write('e2e', 'teams', (w) => {
    for (const s of surveys) {
      const survey = getSurvey(p, s.id)!;
      const team = surveyTeams.get(s.id)!.team;
      if (team) w.updateSurvey(s.id, { ...survey, team }, survey.geometry);
    }
    const set = p.db.prepare('UPDATE deposits SET survey_id = ? WHERE id = ?');
    for (const [id, d] of depositSurveys) set.run(d.survey, id);
  });
}

/** Colours of renderer/map/palette.ts and style.ts (kept literal: a test must not share the code it checks). */
const CU = [0xe6, 0x6a, 0x00];
const LAND = [0xf4, 0xf2, 0xec];
const WATER = [0xcf, 0xe0, 0xec];
const CLUSTER_OPACITY = 0.85;

describe.skipIf(!canRun)('map in Chromium against the web host (offline)', () => {
  let b: OfflineBrowser;
  let dir: string;
  let host: WebHost;
  let page: Page;
  let projectFile: string;
  let external: string[];
  let consoleErrors: string[];
  let served: string[];

  beforeAll(async () => {
    b = await startOfflineBrowser(async (d) => {
      projectFile = join(d, 'world.gpkg');
      const p = Project.open(projectFile, { create: true, actor: 'e2e' });
      try {
        await importFile(p, sharedPath('deposits', 'usgs-major-deposits-world.geojson'));
        await importFile(p, sharedPath('deposits', 'japan-sites.geojson'));
        const mri = await importFile(p, sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), {
          layer: 'surveys',
          skipInvalid: true,
          reportPath: join(d, 'rejected.geojson'),
        });
        expect(mri.written.surveys).toBe(12);
        await fileUnderTeams(p);
      } finally {
        p.close();
      }
    });
    ({ dir, host, page, external, consoleErrors, served } = b);
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  it('opens a real project and draws deposits, surveys and labels with no network', async () => {
    await page.goto(`${host.url}?test=1`);
    await page.waitForFunction(() => !!window.__outcropMap);
    await expect.poll(() => page.getByTestId('no-project').isVisible()).toBe(true);

    await page.getByTestId('project-path').fill(projectFile);
    await page.getByTestId('project-open').click();
    await expect.poll(() => page.getByTestId('project-summary').textContent(), { timeout: 20_000 }).toMatch(/3,?3\d\d deposits, 12 surveys/);
    await page.waitForFunction(() => !!window.__outcropMap!.getLayer('deposits') && !!window.__outcropMap!.getLayer('country-labels'));
    await waitForMapIdle(page);
    await page.screenshot({ path: join(SHOTS, '01-world-clusters.png') });

    const rendered = await page.evaluate(() => {
      const map = window.__outcropMap!;
      const n = (layers: string[]) => map.queryRenderedFeatures({ layers }).length;
      return { clusters: n(['deposit-clusters']), deposits: n(['deposits']), surveys: n(['surveys-fill']), labels: n(['country-labels']) };
    });
    expect(rendered.clusters + rendered.deposits).toBeGreaterThan(0);
    expect(rendered.labels).toBeGreaterThan(10);
    expect(served.some((s) => /^200 \/assets\/glyphs\/Noto%20Sans%20Medium\/0-255\.pbf$/.test(s))).toBe(true);
    expect(served.some((s) => /^200 \/tiles\/deposits\//.test(s))).toBe(true);

    // Copper is the commonest main commodity of the USGS major deposits: its colour (as a
    // cluster drawn at 85 % over land or sea) must be on the canvas.
    const copper = await countPixels(page, [blend(CU, LAND, CLUSTER_OPACITY), blend(CU, WATER, CLUSTER_OPACITY), CU], 18);
    expect(copper).toBeGreaterThan(50);
  });

  it('draws the Earth MRI survey areas over New Mexico', async () => {
    await page.evaluate(() => window.__outcropMap!.jumpTo({ center: [-107.5, 33.5], zoom: 5.2 }));
    await waitForMapIdle(page);
    const surveys = await page.evaluate(() => window.__outcropMap!.queryRenderedFeatures({ layers: ['surveys-fill'] }).length);
    expect(surveys).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, '02-new-mexico-surveys.png') });

    // Coloured by agency: the agency with most areas gets the first agency colour (navy), named
    // in the legend; by status (none given in Earth MRI) they were all "no status" grey.
    const agencies = (readSharedJson('polygons', 'usgs-earthmri-projects-nm-sw.geojson').features as { properties: { affiliatio: string } }[]).map((f) => f.properties.affiliatio);
    const counts = new Map<string, number>();
    for (const a of agencies) counts.set(a, (counts.get(a) ?? 0) + 1);
    const top = [...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0][0];
    const NAVY = [0x2f, 0x4b, 0x7c];
    const before = await countPixels(page, [NAVY], 20);
    await page.getByTestId('survey-color-agency').click();
    await expect.poll(() => page.getByTestId('survey-legend').textContent()).toContain(top);
    await waitForMapIdle(page);
    const after = await countPixels(page, [NAVY], 20);
    expect(before).toBeLessThan(20);
    expect(after).toBeGreaterThan(200);
    await page.screenshot({ path: join(SHOTS, '02b-surveys-by-agency.png') });
    await page.getByTestId('survey-color-status').click();

    // Provenance filter: only the top agency's areas are drawn (the core filters the tiles).
    const renderedAgencies = () =>
      page.evaluate(() => [...new Set(window.__outcropMap!.queryRenderedFeatures({ layers: ['surveys-fill'] }).map((f) => String(f.properties.agency)))]);
    expect((await renderedAgencies()).length).toBeGreaterThan(1);
    await page.locator('#map-filter-agency').fill(top);
    await page.locator('#map-filter-agency').press('Enter');
    await expect.poll(() => page.getByTestId('map-filter-state').textContent()).toMatch(/Only features matching/);
    await waitForMapIdle(page);
    await expect.poll(renderedAgencies, { timeout: 15_000 }).toEqual([top]);
    expect(served.some((s) => /^200 \/tiles\/surveys\//.test(s))).toBe(true);
    await page.screenshot({ path: join(SHOTS, '02c-map-filter-agency.png') });
    await page.getByTestId('map-filter-clear').click();
    await waitForMapIdle(page);
    await expect.poll(async () => (await renderedAgencies()).length, { timeout: 15_000 }).toBeGreaterThan(1);
  });

  it('filters the map by field team: the team\'s survey areas and the deposits recorded in them', async () => {
    // The team whose surveys hold the most deposits; expected sets from fileUnderTeams' own record.
    const held = (team: string) => [...depositSurveys.values()].filter((d) => surveyTeams.get(d.survey)!.team === team);
    const team = [...TEAMS].sort((x, y) => held(y).length - held(x).length)[0];
    const deposits = held(team);
    expect(deposits.length).toBeGreaterThan(0);
    expect(deposits.length).toBeLessThan(depositSurveys.size); // other teams' and team-less surveys hold some too
    const teamSurveys = new Set([...surveyTeams.values()].filter((s) => s.team === team).map((s) => s.name));
    const holding = new Set(deposits.map((d) => surveyTeams.get(d.survey)!.name));

    // Frame the team's deposits (all well inside the view).
    const lngs = deposits.map((d) => d.at[0]);
    const lats = deposits.map((d) => d.at[1]);
    await page.evaluate(
      (b) => window.__outcropMap!.fitBounds(b as [number, number, number, number], { padding: 120, maxZoom: 6.5, duration: 0 }),
      [Math.min(...lngs), Math.min(...lats), Math.max(...lngs), Math.max(...lats)],
    );
    await waitForMapIdle(page);
    await page.locator('#map-filter-team').fill(team);
    await page.locator('#map-filter-team').press('Enter');
    await expect.poll(() => page.getByTestId('map-filter-state').textContent()).toMatch(/Only features matching/);
    expect(await page.getByTestId('map-filter-team-hint').textContent()).toMatch(/in no survey are hidden/);
    await waitForMapIdle(page);
    const drawn = () =>
      page.evaluate(() => {
        const map = window.__outcropMap!;
        // A cluster or point near a tile edge comes once per tile that buffers it: count each place once.
        const seen = new Map<string, number>();
        for (const f of map.queryRenderedFeatures({ layers: ['deposit-clusters', 'deposits'] })) {
          const c = (f.geometry as { coordinates: number[] }).coordinates;
          seen.set(`${f.layer.id}|${c[0].toFixed(5)}|${c[1].toFixed(5)}`, Number(f.properties.count ?? 1));
        }
        const surveys = [...new Set(map.queryRenderedFeatures({ layers: ['surveys-fill'] }).map((f) => String(f.properties.name)))];
        return { deposits: [...seen.values()].reduce((a, b) => a + b, 0), surveys };
      });
    await expect.poll(async () => (await drawn()).deposits, { timeout: 15_000 }).toBe(deposits.length);
    const { surveys } = await drawn();
    for (const name of surveys) expect(teamSurveys.has(name), name).toBe(true);
    for (const name of holding) expect(surveys).toContain(name);
    await page.screenshot({ path: join(SHOTS, '02d-map-filter-team.png') });
    await page.getByTestId('lang-ja').click();
    await expect.poll(() => page.locator('label[for="map-filter-team"]').textContent()).toBe('調査班（調査）');
    await page.screenshot({ path: join(SHOTS, '02e-map-filter-team-ja.png') });
    await page.getByTestId('lang-en').click();
    await page.getByTestId('map-filter-clear').click();
    await waitForMapIdle(page);
    await expect.poll(async () => (await drawn()).deposits, { timeout: 15_000 }).toBeGreaterThan(deposits.length);
  });

  it('shows the real name of a clicked deposit', async () => {
    // The deposit nearest Mountain Pass, California, found by the core over the API.
    const nearest = await host.service.call('query.nearest', { center: [-115.53, 35.48], k: 1 });
    if (!nearest.ok) throw new Error(nearest.error.message);
    const hit = nearest.value.hits[0];
    expect(hit.name).toBeTruthy();

    await page.evaluate((c) => window.__outcropMap!.jumpTo({ center: c, zoom: 12 }), hit.coordinates);
    await waitForMapIdle(page);
    const point = await page.evaluate((c) => {
      const map = window.__outcropMap!;
      const p = map.project(c);
      const r = map.getCanvas().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y, rendered: map.queryRenderedFeatures({ layers: ['deposits'] }).length };
    }, hit.coordinates);
    expect(point.rendered).toBeGreaterThan(0);
    await page.mouse.move(point.x, point.y);
    // Hover names the deposit and outlines it.
    await expect.poll(() => page.getByTestId('map-tooltip').textContent()).toBe(hit.name);
    await expect.poll(() => page.evaluate(() => window.__outcropMap!.queryRenderedFeatures({ layers: ['deposit-hover'] }).length)).toBeGreaterThan(0);
    await page.mouse.click(point.x, point.y);
    await expect.poll(() => page.getByTestId('details-name').textContent(), { timeout: 10_000 }).toBe(hit.name);
    await expect.poll(() => page.getByTestId('status-cursor').textContent()).toMatch(/35\.\d+.*°.*N/);
    expect(await page.getByTestId('details').textContent()).toContain('United States');
    // The clicked deposit is outlined on the map.
    await expect
      .poll(() => page.evaluate(() => window.__outcropMap!.queryRenderedFeatures({ layers: ['deposit-selected'] }).map((f) => f.properties.name)))
      .toEqual([hit.name]);
    // Step back for a screenshot with some context (the panel keeps the selection).
    await page.evaluate((c) => window.__outcropMap!.jumpTo({ center: c, zoom: 8.5 }), hit.coordinates);
    await waitForMapIdle(page);
    await page.screenshot({ path: join(SHOTS, '03-deposit-details.png') });
  });

  // ---- issue 4, second slice: import/export dialogs, feature table, query tools, undo ----------

  const counts = () => page.getByTestId('status-counts').textContent();
  let before = '';

  it('imports the USGS REE deposits through the dialog and the counts change', async () => {
    before = (await counts()) ?? '';
    expect(before).toMatch(/Deposits 3,?3\d\d · Surveys 12/);
    await page.getByTestId('tool-import').click();
    await page.getByTestId('import-path').fill(sharedPath('deposits', 'usgs-ree-deposits-world.geojson'));
    await page.getByTestId('import-start').click();
    await expect.poll(() => page.getByTestId('import-done').textContent(), { timeout: 30_000 }).toMatch(/^Imported [\d,]+ deposits and 0 survey areas/);
    await page.screenshot({ path: join(SHOTS, '05-import-ree-done.png') });
    await page.getByTestId('import-close').click();
    await expect.poll(counts).not.toBe(before);
    expect(await page.getByTestId('tool-undo').textContent()).toMatch(/^Undo: /);
  });

  it('refuses the Earth MRI file without skip-invalid and lists the problem in full', async () => {
    const afterRee = await counts();
    await page.getByTestId('tool-import').click();
    await page.getByTestId('import-path').fill(sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'));
    await page.getByTestId('import-start').click();
    await expect.poll(() => page.getByTestId('job-error-message').isVisible(), { timeout: 30_000 }).toBe(true);
    const row = page.getByTestId('job-problems').locator('tbody tr').filter({ hasText: '20047' }).first();
    const cells = await row.locator('td').allTextContents();
    expect(cells[0]).toContain('usgs-earthmri-projects-nm-sw.geojson');
    expect(cells[1]).toBe('9');
    expect(cells[2]).toMatch(/20047$/);
    expect(cells[4]).toMatch(/cross/i);
    await page.screenshot({ path: join(SHOTS, '06-import-mri-problems.png') });
    await page.getByTestId('import-close').click();
    expect(await counts()).toBe(afterRee);
  });

  it('cancels an import of the MinMod CSV (its 110k sites sixteen times) half way and leaves the project unchanged', async () => {
    const afterRee = await counts();
    // The 110k-site file alone imports in about 1.5 s, and a click in a page that shares two
    // cores with the import can take a second or more: the cancel could come after the commit.
    // Sixteen copies of its rows (ids are minted, they do not collide) take about 20 s.
    const [header, ...rows] = gunzipSync(readFileSync(sharedPath('deposits', 'minmod-mineral-sites-located.csv.gz'))).toString('utf8').trimEnd().split('\n');
    const body = rows.join('\n') + '\n';
    const big = join(dir, 'minmod-sites-x16.csv');
    writeFileSync(big, header + '\n');
    for (let i = 0; i < 16; i++) appendFileSync(big, body);
    await page.getByTestId('tool-import').click();
    await page.getByTestId('import-path').fill(big);
    await page.getByTestId('import-skip-invalid').check();
    await page.getByTestId('import-start').click();
    // Wait for real progress (features counted), then cancel.
    await expect.poll(() => page.getByTestId('job-progress-text').textContent(), { timeout: 30_000 }).toMatch(/[1-9][\d,]* features/);
    // Cancel at once: while the import keeps both cores busy a screenshot of the page takes
    // seconds (software WebGL), so it is taken after.
    await page.getByTestId('job-cancel').click();
    await expect.poll(() => page.getByTestId('job-cancelled').isVisible(), { timeout: 30_000 }).toBe(true);
    await page.screenshot({ path: join(SHOTS, '07-import-csv-cancelled.png') });
    await page.getByTestId('import-close').click();
    const r = await host.service.call('project.current', {});
    if (!r.ok || !r.value) throw new Error('no project');
    expect(await counts()).toBe(afterRee);
    expect(`Deposits ${r.value.counts.deposits.toLocaleString('en-US')} · Surveys ${r.value.counts.surveys}`).toBe(afterRee);
  });

  it('finds Mountain Pass in the feature table and selects it on the map', async () => {
    await page.getByTestId('tool-table').click();
    await expect.poll(() => page.getByTestId('table-row').count()).toBeGreaterThan(10);
    await page.getByTestId('table-search').fill('Mountain Pass');
    await expect.poll(() => page.getByTestId('table-total').textContent()).toMatch(/^[1-9] rows?$/);
    const row = page.getByTestId('table-row').filter({ hasText: 'Mountain Pass' }).first();
    await row.click();
    await expect.poll(() => page.getByTestId('details-name').textContent(), { timeout: 10_000 }).toBe('Mountain Pass');
    await expect.poll(() => row.getAttribute('aria-selected')).toBe('true');
    await waitForMapIdle(page);
    await expect
      .poll(() => page.evaluate(() => window.__outcropMap!.queryRenderedFeatures({ layers: ['deposit-selected'] }).map((f) => f.properties.name)), { timeout: 15_000 })
      .toContain('Mountain Pass');
    await page.screenshot({ path: join(SHOTS, '08-table-mountain-pass.png') });
    // Sorting by a header asks the core again (first row changes to the other end of the list).
    await page.getByTestId('table-search').fill('');
    await expect.poll(() => page.getByTestId('table-row').count()).toBeGreaterThan(10);
    await page.getByTestId('table-sort-name').click();
    const asc = await page.getByTestId('table-row').first().textContent();
    await page.getByTestId('table-sort-name').click();
    await expect.poll(() => page.getByTestId('table-row').first().textContent()).not.toBe(asc);
    // Deep scroll: rows far down the list are fetched on demand.
    await page.getByTestId('table-body').evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await expect.poll(() => page.getByTestId('table-row').count()).toBeGreaterThan(5);
    await page.getByTestId('tool-table').click();
  });

  it('lists deposits near Mountain Pass with distances and outlines them on the map', async () => {
    await page.getByTestId('query-mode-near').click();
    await page.getByTestId('query-km').fill('50');
    await page.evaluate(() => window.__outcropMap!.jumpTo({ center: [-115.53, 35.48], zoom: 8 }));
    await waitForMapIdle(page);
    const box = (await page.getByTestId('map').boundingBox())!;
    const p = await page.evaluate(() => window.__outcropMap!.project([-115.53, 35.48]));
    await page.mouse.click(box.x + p.x, box.y + p.y);
    await expect.poll(() => page.getByTestId('query-hit').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const names = await page.getByTestId('query-hit').allTextContents();
    expect(names.some((n) => n.includes('Mountain Pass'))).toBe(true);
    const distances = (await page.getByTestId('query-hit-distance').allTextContents()).map((d) => parseFloat(d));
    expect(distances.every((d) => d >= 0 && d <= 50)).toBe(true);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    await waitForMapIdle(page);
    const outlined = await page.evaluate(() => window.__outcropMap!.queryRenderedFeatures({ layers: ['query-hits'] }).length);
    expect(outlined).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, '09-near-mountain-pass.png') });
    await page.getByTestId('query-mode-near').click();
  });

  it('exports the query result and everything as GeoJSON downloads', async () => {
    const hits = await page.getByTestId('query-hit').count();
    await page.getByTestId('query-export').click();
    expect(await page.getByTestId('export-scope-query').isChecked()).toBe(true);
    await page.getByTestId('export-start').click();
    await expect.poll(() => page.getByTestId('export-download').isVisible(), { timeout: 30_000 }).toBe(true);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
    const fc = JSON.parse(readFileSync((await dl.path())!, 'utf8'));
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.length).toBe(hits);
    await page.getByTestId('export-close').click();
    await page.getByTestId('query-clear').click();

    await page.getByTestId('tool-export').click();
    await page.getByTestId('export-format-geojson').check();
    await page.getByTestId('export-start').click();
    await expect.poll(() => page.getByTestId('export-download').isVisible(), { timeout: 60_000 }).toBe(true);
    await page.screenshot({ path: join(SHOTS, '10-export-done.png') });
    const [all] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
    const everything = JSON.parse(readFileSync((await all.path())!, 'utf8'));
    expect(everything.features.length).toBeGreaterThan(3000);
    await page.getByTestId('export-close').click();
  });

  it('answers Nearest, In survey and In rectangle exactly as a brute-force check over the stored deposits', async () => {
    // Ground truth: every deposit point as stored, read over a second connection; the query
    // code under test is not used for it.
    const points = (() => {
      const p = Project.open(projectFile, { readonly: true });
      try {
        return (p.db.prepare('SELECT id, name, geom FROM deposits').all() as { id: string; name: string; geom: Buffer }[]).map((r) => ({ id: r.id, name: r.name, at: decodePoint(r.geom) }));
      } finally {
        p.close();
      }
    })();
    const box = (await page.getByTestId('map').boundingBox())!;
    const shownIds = async () => {
      await expect.poll(() => page.getByTestId('query-count').count(), { timeout: 10_000 }).toBe(1);
      const count = Number(((await page.getByTestId('query-count').textContent()) ?? '').replace(/[^0-9]/g, ''));
      // querySourceFeatures repeats a feature once per source tile it lies in; the GeoJSON
      // source takes the new hits in its worker, so wait until it holds them all.
      const ids = () => page.evaluate(() => [...new Set(window.__outcropMap!.querySourceFeatures('query-hits').map((f) => String(f.properties.id)))]);
      await expect.poll(async () => (await ids()).length, { timeout: 10_000 }).toBe(count);
      return ids();
    };

    // Nearest 5 to Mountain Pass.
    const mp: [number, number] = [-115.53, 35.48];
    await page.getByTestId('query-mode-nearest').click();
    await page.getByTestId('query-k').fill('5');
    await page.evaluate((c) => window.__outcropMap!.jumpTo({ center: c, zoom: 7 }), mp);
    await waitForMapIdle(page);
    const c = await page.evaluate((c) => window.__outcropMap!.project(c), mp);
    await page.mouse.click(box.x + c.x, box.y + c.y);
    await expect.poll(() => page.getByTestId('query-hit').count(), { timeout: 10_000 }).toBe(5);
    const clicked = await page.evaluate(({ x, y }) => window.__outcropMap!.unproject([x, y]).toArray(), c);
    const expectedNearest = [...points].sort((a, b) => turfDistance(clicked, a.at) - turfDistance(clicked, b.at)).slice(0, 5);
    const shownKm = (await page.getByTestId('query-hit-distance').allTextContents()).map((d) => parseFloat(d));
    expect(shownKm).toEqual(expectedNearest.map((p) => Number(turfDistance(clicked, p.at).toFixed(1))));
    await page.getByTestId('query-clear').click();

    // In survey: click inside an Earth MRI area; the hits are the deposits inside its polygon.
    await page.getByTestId('query-mode-survey').click();
    await page.evaluate(() => window.__outcropMap!.jumpTo({ center: [-107.5, 33.5], zoom: 5.2 }));
    await waitForMapIdle(page);
    // One pixel for each survey area that has a pixel of its own (no overlap there).
    const pixels = await page.evaluate(() => {
      const map = window.__outcropMap!;
      const canvas = map.getCanvas();
      const out: Record<string, { x: number; y: number }> = {};
      for (let y = 40; y < canvas.clientHeight - 40; y += 20)
        for (let x = 40; x < canvas.clientWidth - 40; x += 20) {
          const f = map.queryRenderedFeatures([x, y], { layers: ['surveys-fill'] });
          if (f.length === 1) out[String(f[0].properties.id)] ??= { x, y };
        }
      return out;
    });
    // Click the one that holds the most deposits.
    const surveys = (() => {
      const p = Project.open(projectFile, { readonly: true });
      try {
        return Object.keys(pixels).map((id) => ({ id, geom: decodeGeometry((p.db.prepare('SELECT geom FROM surveys WHERE id = ?').get(id) as { geom: Buffer }).geom) as MultiPolygon }));
      } finally {
        p.close();
      }
    })();
    const inside = (g: MultiPolygon) => points.filter((p) => booleanPointInPolygon(p.at, g)).map((p) => p.id).sort();
    const best = surveys.map((sv) => ({ ...sv, hits: inside(sv.geom) })).sort((a, b) => b.hits.length - a.hits.length)[0];
    await page.mouse.click(box.x + pixels[best.id].x, box.y + pixels[best.id].y);
    const inSurvey = best.hits;
    expect(inSurvey.length).toBeGreaterThan(0);
    expect((await shownIds()).sort()).toEqual(inSurvey);
    expect(await page.getByTestId('query-count').textContent()).toContain(String(inSurvey.length));
    await page.getByTestId('query-clear').click();

    // In rectangle: drag a box over southern Nevada / California.
    await page.getByTestId('query-mode-rect').click();
    await page.evaluate(() => window.__outcropMap!.jumpTo({ center: [-116, 36], zoom: 6 }));
    await waitForMapIdle(page);
    const [x0, y0, x1, y1] = [box.x + 300, box.y + 200, box.x + 700, box.y + 500];
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    await page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, { steps: 4 });
    await page.mouse.move(x1, y1, { steps: 4 });
    await page.mouse.up();
    const [w, n] = await page.evaluate(({ x, y }) => window.__outcropMap!.unproject([x, y]).toArray(), { x: 300, y: 200 });
    const [e, s] = await page.evaluate(({ x, y }) => window.__outcropMap!.unproject([x, y]).toArray(), { x: 700, y: 500 });
    const inBox = points.filter((p) => p.at[0] >= w && p.at[0] <= e && p.at[1] >= s && p.at[1] <= n).map((p) => p.id).sort();
    expect(inBox.length).toBeGreaterThan(5);
    expect((await shownIds()).sort()).toEqual(inBox);
    await page.screenshot({ path: join(SHOTS, '13-query-rectangle.png') });
    await page.getByTestId('query-clear').click();
    await page.getByTestId('query-mode-rect').click();

    // In drawn area: click the corners of a pentagon, close it on the first; the hits are the
    // stored deposits inside the polygon the pen produced (corners may snap onto deposits).
    await page.getByTestId('query-mode-area').click();
    const corners = [[320, 220], [640, 200], [720, 420], [500, 540], [300, 460]];
    for (const [x, y] of [...corners, corners[0]]) {
      await page.mouse.move(box.x + x, box.y + y, { steps: 2 });
      await page.mouse.click(box.x + x, box.y + y);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    }
    // The overlay's GeoJSON is read asynchronously (getData): poll until the area is there.
    const drawnArea = () =>
      page.evaluate(async () => {
        const src = window.__outcropMap!.getSource('overlay-query-area') as unknown as { getData(): Promise<GeoJSON.FeatureCollection> } | undefined;
        const fc = src ? await src.getData() : null;
        return (fc?.features[0]?.geometry as GeoJSON.Polygon | undefined) ?? null;
      });
    await expect.poll(drawnArea, { timeout: 15_000 }).not.toBeNull();
    const polygon = (await drawnArea())!;
    expect(polygon.coordinates[0]).toHaveLength(6);
    const inArea = points.filter((p) => booleanPointInPolygon(p.at, polygon)).map((p) => p.id).sort();
    expect(inArea.length).toBeGreaterThan(5);
    expect((await shownIds()).sort()).toEqual(inArea);
    await page.screenshot({ path: join(SHOTS, '14-query-drawn-area.png') });
    await page.getByTestId('query-clear').click();
    await page.getByTestId('query-mode-area').click();
  });

  it('undoes the REE import (counts back) and redoes it', async () => {
    const withRee = await counts();
    await page.getByTestId('tool-undo').click();
    await expect.poll(counts).toBe(before);
    expect(await page.getByTestId('tool-redo').textContent()).toMatch(/^Redo: Import usgs-ree-deposits-world\.geojson/);
    // Ctrl+Shift+Z redoes (focus on a button, not a text field; a map click would select something).
    await page.getByTestId('tool-table').focus();
    await page.keyboard.press('Control+Shift+Z');
    await expect.poll(counts).toBe(withRee);
    await page.keyboard.press('Control+Z');
    await expect.poll(counts).toBe(before);
    await waitForMapIdle(page);
    await page.screenshot({ path: join(SHOTS, '11-after-undo.png') });
  });

  it('switches the UI to Japanese', async () => {
    expect(await page.getByTestId('project-open').textContent()).toBe('Open');
    await page.getByTestId('lang-ja').click();
    await expect.poll(() => page.getByTestId('project-open').textContent()).toBe('開く');
    expect(await page.getByTestId('project-create').textContent()).toBe('新規作成');
    expect(await page.locator('.legend h2').first().textContent()).toBe('主要鉱種');
    expect(await page.getByTestId('status-zoom').textContent()).toMatch(/^ズーム/);
    // Vocabulary labels follow the language too (the deposit's status/commodity in Japanese).
    expect(await page.locator('.legend').textContent()).toContain('リチウム');

    // Japan: prefectures, the Japanese sites, labels.
    await page.evaluate(() => window.__outcropMap!.jumpTo({ center: [138.5, 37.5], zoom: 4.6 }));
    await waitForMapIdle(page);
    const japan = await page.evaluate(() => window.__outcropMap!.queryRenderedFeatures({ layers: ['deposit-clusters', 'deposits'] }).length);
    expect(japan).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, '04-japan-ja.png') });
  });

  it('shows the new dialogs and tools in Japanese', async () => {
    expect(await page.getByTestId('tool-import').textContent()).toBe('インポート…');
    await page.getByTestId('tool-import').click();
    expect(await page.locator('#import-title').textContent()).toBe('データのインポート');
    expect(await page.getByTestId('import-dialog').textContent()).toContain('不正な地物をスキップする');
    expect(await page.getByTestId('import-start').textContent()).toBe('インポート');
    await page.screenshot({ path: join(SHOTS, '12-import-dialog-ja.png') });
    await page.getByTestId('import-close').click();
    await page.getByTestId('tool-export').click();
    expect(await page.locator('#export-title').textContent()).toBe('データのエクスポート');
    expect(await page.getByTestId('export-dialog').textContent()).toContain('すべて');
    await page.getByTestId('export-close').click();
    await page.getByTestId('tool-table').click();
    expect(await page.getByTestId('table-sort-codes').textContent()).toMatch(/^主要鉱種/);
    await page.getByTestId('tool-table').click();
    expect(await page.getByTestId('query-mode-near').textContent()).toBe('周辺');
  });

  it('lists the problems of a refused import in Japanese: file, feature, field and reason', async () => {
    // Issue 6: geometry and reader problems are worded in the UI's language, not only English.
    const before = await counts();
    await page.getByTestId('tool-import').click();
    await page.getByTestId('import-path').fill(fileURLToPath(new URL('../fixtures/validation/ring-not-closed/bad.geojson', import.meta.url)));
    await page.getByTestId('import-start').click();
    await expect.poll(() => page.getByTestId('job-error-message').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await page.getByTestId('job-error-message').textContent()).toContain(
      'bad.geojson: 2 件中 2 件の地物に問題があるため、何も読み込んでいません。最初の問題: 地物 0 "geometry.coordinates[0]": 外周リング（リング 0）が閉じていません。',
    );
    const rows = await page.getByTestId('job-problems').locator('tbody tr').all();
    // Per feature: the ring, then the missing name (the fixture's features have none).
    expect(rows).toHaveLength(4);
    expect(await rows[0].locator('td').allTextContents()).toEqual([
      'bad.geojson',
      '0',
      '',
      'geometry.coordinates[0]',
      '外周リング（リング 0）が閉じていません。始点 [0,0] と終点 [0,1] が異なります（末尾に始点を繰り返してください）',
    ]);
    expect(await rows[1].locator('td').allTextContents()).toEqual(['bad.geojson', '0', '', 'name', '名称は必須です（調査名も、代わりに使える元データの ID もありません）']);
    expect(await rows[2].locator('td').allTextContents()).toEqual([
      'bad.geojson',
      '1',
      '',
      'geometry.coordinates[0][1]',
      'パーツ 0 のリング 1（穴）が閉じていません。始点 [2,2] と終点 [2,2.5] が異なります（末尾に始点を繰り返してください）',
    ]);
    expect(await page.getByTestId('import-dialog').textContent()).not.toMatch(/is not closed|features are invalid/);
    await page.screenshot({ path: join(SHOTS, '12b-import-problems-ja.png') });
    await page.getByTestId('import-close').click();

    // A CSV row without coordinates: the reader's problem, with its line.
    await page.getByTestId('tool-import').click();
    await page.getByTestId('import-path').fill(fileURLToPath(new URL('../fixtures/csv/in/missing-coords.csv', import.meta.url)));
    await page.getByTestId('import-start').click();
    await expect.poll(() => page.getByTestId('job-error-message').isVisible(), { timeout: 30_000 }).toBe(true);
    const first = await page.getByTestId('job-problems').locator('tbody tr').first().locator('td').allTextContents();
    expect(first).toEqual(['missing-coords.csv', '0', '', 'longitude', '座標がありません: "longitude" と "latitude" が空です（位置のない行を含められるのは、extra_json 列のある Outcrop の CSV 出力だけです）']);
    await page.getByTestId('import-close').click();
    expect(await counts()).toBe(before);
  });

  it('reports a missing project file and creates a new empty project from the path typed', async () => {
    await page.getByTestId('project-path').fill(join(dir, 'missing.gpkg'));
    await page.getByTestId('project-open').click();
    await expect.poll(() => page.getByTestId('status-message').textContent()).toMatch(/^エラー: missing\.gpkg: プロジェクトファイルがありません（"outcrop init .*missing\.gpkg" で作成できます）$/);

    await page.getByTestId('project-path').fill(join(dir, 'new.gpkg'));
    await page.getByTestId('project-create').click();
    await expect.poll(() => page.getByTestId('project-summary').textContent()).toBe('new.gpkg — 鉱床 0 件、調査範囲 0 件');
    expect(await page.getByTestId('status-message').count()).toBe(0);
    await page.waitForFunction(() => !!window.__outcropMap!.getLayer('deposits'));
    await waitForMapIdle(page);
    const left = await page.evaluate(() => window.__outcropMap!.queryRenderedFeatures({ layers: ['deposit-clusters', 'deposits'] }).length);
    expect(left).toBe(0);
  });

  it('made no request off the machine and broke no CSP rule', () => {
    expect(external).toEqual([]);
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
