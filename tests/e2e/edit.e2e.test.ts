/**
 * End to end: drawing and editing with the pen (terra-draw) and the attribute form, in Chromium
 * against the web host, on a project made from real data. Every save is read back from the
 * GeoPackage itself (a second, read-only connection), not from what the UI shows.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import Papa from 'papaparse';
import { unzipSync } from 'fflate';
import { gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/import/import-file';
import { decodeGeometry } from '../../src/store/gpkg/geometry-blob';
import { Project } from '../../src/store/project';
import { hasCommand } from '../helpers/cli';
import { FIXTURES, sharedPath } from '../helpers/data';
import { e2eAvailable, openProject, readProject, SHOTS, startOfflineBrowser, waitForMapIdle, type OfflineBrowser } from './harness';

const canRun = e2eAvailable('edit.e2e.test.ts');

/** Read the project as another process would (WAL: sees every committed write). */

interface StoredSurvey {
  id: string;
  name: string;
  agency: string | null;
  methods: string | null;
  status: string | null;
  rings: number[][][][];
}

function surveyByName(file: string, name: string): StoredSurvey | undefined {
  return readProject(file, (p) => {
    const row = p.db.prepare('SELECT id, name, agency, methods, status, geom FROM surveys WHERE name = ?').get(name) as any;
    if (!row) return undefined;
    // The core's GeoPackage decoder is checked against GDAL in tests/integration/gdal.test.ts.
    const g = decodeGeometry(row.geom) as { coordinates: number[][][][] };
    return { id: row.id, name: row.name, agency: row.agency, methods: row.methods, status: row.status, rings: g.coordinates };
  });
}

/** Screen position (page coordinates) of a [lng, lat]. */
async function screenOf(page: Page, lngLat: [number, number]): Promise<{ x: number; y: number }> {
  return page.evaluate((c) => {
    const map = window.__outcropMap!;
    const p = map.project(c);
    const r = map.getCanvas().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, lngLat);
}

async function clickAt(page: Page, x: number, y: number): Promise<void> {
  await page.mouse.move(x, y, { steps: 2 });
  await page.mouse.click(x, y);
  // terra-draw acts on pointer events; give it a frame.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
}

async function summary(page: Page): Promise<string> {
  return (await page.getByTestId('project-summary').textContent()) ?? '';
}

describe.skipIf(!canRun)('drawing and editing in Chromium (offline)', () => {
  let b: OfflineBrowser;
  let page: Page;
  let projectFile: string;
  /** A vertex of a stored Earth MRI survey, to snap to. */
  let vertex: [number, number];

  beforeAll(async () => {
    b = await startOfflineBrowser(async (dir) => {
      projectFile = join(dir, 'nm.gpkg');
      const p = Project.open(projectFile, { create: true, actor: 'e2e' });
      try {
        await importFile(p, sharedPath('deposits', 'usgs-major-deposits-world.geojson'));
        const mri = await importFile(p, sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), { layer: 'surveys', skipInvalid: true, reportPath: join(dir, 'rejected.geojson') });
        expect(mri.written.surveys).toBe(12);
        const row = p.db.prepare('SELECT geom FROM surveys ORDER BY fid LIMIT 1').get() as { geom: Buffer };
        const g = decodeGeometry(row.geom) as { coordinates: number[][][][] };
        vertex = g.coordinates[0][0][0] as [number, number];
      } finally {
        p.close();
      }
    });
    page = b.page;
    await openProject(page, b.host.url, projectFile);
    await page.waitForFunction(() => /12 surveys/.test(document.querySelector('[data-testid="project-summary"]')?.textContent ?? ''), undefined, { timeout: 20_000 });
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  it('draws a survey area that snaps to an existing vertex, shows inline validation, and saves it', async () => {
    await page.evaluate((c) => window.__outcropMap!.jumpTo({ center: c, zoom: 9 }), vertex);
    await waitForMapIdle(page);
    await page.getByTestId('new-survey').click();
    await expect.poll(() => page.getByTestId('draw-hint').textContent()).toMatch(/first corner/);

    // The name is required: the core says so under the field before anything is saved.
    await expect.poll(() => page.getByTestId('problem-name').textContent(), { timeout: 10_000 }).toMatch(/name is required/);

    const v = await screenOf(page, vertex);
    // First corner 4 px off the stored vertex: it must snap onto it exactly.
    const corners = [
      [v.x + 3, v.y + 2],
      [v.x + 170, v.y + 10],
      [v.x + 160, v.y + 130],
      [v.x + 10, v.y + 120],
    ];
    for (const [x, y] of corners) await clickAt(page, x, y);
    await clickAt(page, v.x, v.y); // close on the first corner
    await page.screenshot({ path: join(SHOTS, '40-draw-survey.png') });

    await page.getByTestId('form-name').fill('Sierra test grid');
    await page.locator('#form-agency').fill('NMBGMR');
    await page.locator('#form-methods').fill('Geochemistry');
    await page.locator('#form-methods').press('Enter');
    await page.locator('#form-status').selectOption('active');
    // A bad date is named under its field, as typed.
    await page.locator('#form-start_date').fill('2026-13-01');
    await expect.poll(() => page.getByTestId('problem-start_date').textContent(), { timeout: 10_000 }).toMatch(/not a date/);
    await page.locator('#form-start_date').fill('2026-05-01');
    await expect.poll(() => page.getByTestId('form-status').textContent(), { timeout: 10_000 }).toBe('Ready to save.');
    await page.screenshot({ path: join(SHOTS, '41-survey-form.png') });
    await page.getByTestId('form-save').click();

    await expect.poll(() => summary(page), { timeout: 10_000 }).toMatch(/13 surveys/);
    const s = surveyByName(projectFile, 'Sierra test grid');
    expect(s).toMatchObject({ agency: 'NMBGMR', methods: 'geochemistry', status: 'active' });
    const ring = s!.rings[0][0];
    expect(ring).toHaveLength(5);
    // Snapped: the stored corner is the existing survey's vertex, bit for bit.
    expect(ring).toContainEqual(vertex);
    // The new area is drawn from the core's tiles.
    await waitForMapIdle(page);
    await expect
      .poll(() => page.evaluate(() => window.__outcropMap!.queryRenderedFeatures({ layers: ['surveys-fill'] }).filter((f) => f.properties.name === 'Sierra test grid').length))
      .toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, '42-survey-saved.png') });
  });

  it('undoes and redoes the new survey with Ctrl+Z / Ctrl+Shift+Z', async () => {
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await expect.poll(() => summary(page), { timeout: 10_000 }).toMatch(/12 surveys/);
    expect(surveyByName(projectFile, 'Sierra test grid')).toBeUndefined();
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => summary(page), { timeout: 10_000 }).toMatch(/13 surveys/);
    expect(surveyByName(projectFile, 'Sierra test grid')).toBeDefined();
  });

  it('moves a corner and cuts a hole in the saved survey; history records the geometry edit', async () => {
    const before = surveyByName(projectFile, 'Sierra test grid')!;
    const shell = before.rings[0][0];
    // Select it by clicking inside, then edit.
    const cx = shell.slice(0, 4).reduce((a, p) => a + p[0], 0) / 4;
    const cy = shell.slice(0, 4).reduce((a, p) => a + p[1], 0) / 4;
    const { x: cx0, y: cy0 } = await page.evaluate((ll) => window.__outcropMap!.project(ll), [cx, cy] as [number, number]);
    const c = await screenOf(page, [cx, cy]);
    // After the redo the project's tiles reload: click once the survey is drawn again.
    await waitForMapIdle(page);
    await expect
      .poll(() => page.evaluate(({ x, y }) => window.__outcropMap!.queryRenderedFeatures([x, y], { layers: ['surveys-fill'] }).map((f) => f.properties.name), { x: cx0, y: cy0 }), { timeout: 15_000 })
      .toContain('Sierra test grid');
    await clickAt(page, c.x, c.y);
    await expect.poll(() => page.getByTestId('details-name').textContent(), { timeout: 10_000 }).toBe('Sierra test grid');
    await page.getByTestId('edit-selected').click();
    await expect.poll(() => page.getByTestId('feature-form').isVisible()).toBe(true);
    expect(await page.getByTestId('form-name').inputValue()).toBe('Sierra test grid');

    // Drag the corner that is not the snapped one 40 px to the right.
    const corner = shell.find((p) => p[0] !== vertex[0] || p[1] !== vertex[1])!;
    const from = await screenOf(page, corner as [number, number]);
    await page.mouse.move(from.x, from.y, { steps: 2 });
    await page.mouse.down();
    await page.mouse.move(from.x + 20, from.y, { steps: 4 });
    await page.mouse.move(from.x + 40, from.y, { steps: 4 });
    await page.mouse.up();

    // A hole: a small triangle around the centre.
    await page.getByTestId('draw-hole').click();
    for (const [dx, dy] of [[-15, -10], [15, -10], [0, 15]]) await clickAt(page, c.x + dx, c.y + dy);
    await clickAt(page, c.x - 15, c.y - 10);
    await expect.poll(() => page.getByTestId('feature-form').textContent()).toMatch(/1 holes/);
    await page.screenshot({ path: join(SHOTS, '43-edit-shape-hole.png') });
    await expect.poll(() => page.getByTestId('form-status').textContent(), { timeout: 10_000 }).toBe('Ready to save.');
    await page.getByTestId('form-save').click();
    await expect.poll(() => page.getByTestId('feature-form').count(), { timeout: 10_000 }).toBe(0);

    const after = surveyByName(projectFile, 'Sierra test grid')!;
    expect(after.id).toBe(before.id);
    expect(after.rings[0]).toHaveLength(2); // shell + hole
    expect(after.rings[0][1]).toHaveLength(4); // a closed triangle
    const moved = after.rings[0][0].find((p) => Math.abs(p[1] - corner[1]) < 1e-6 && p[0] > corner[0]);
    expect(moved, 'the dragged corner moved east').toBeDefined();
    expect(after.rings[0][0]).toContainEqual(vertex); // the snapped corner stayed put
    const history = readProject(projectFile, (p) => p.db.prepare("SELECT count(*) AS n FROM outcrop_history WHERE feature_id = ? AND action = 'update'").get(before.id) as { n: number });
    expect(history.n).toBe(1);
  });

  it('places a new deposit, refuses an impossible grade inline, and saves the corrected record', async () => {
    await page.getByTestId('new-deposit').click();
    const box = (await page.getByTestId('map').boundingBox())!;
    await clickAt(page, box.x + 200, box.y + 200);
    await page.getByTestId('form-name').fill('Test REE prospect');
    await page.locator('#form-commodities_main').fill('Nd');
    await page.locator('#form-commodities_main').press('Enter');
    await page.locator('#form-commodities_main').fill('ジスプロシウム');
    await page.locator('#form-commodities_main').press('Enter');
    await page.locator('#form-status').selectOption('prospect');
    await page.getByTestId('form-grade').fill('150');
    await page.locator('fieldset.resource select').nth(1).selectOption('%');
    await expect.poll(() => page.getByTestId('problem-resources').textContent(), { timeout: 10_000 }).toMatch(/more than the whole rock/);
    await page.getByTestId('problem-resources').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, '44-deposit-form-invalid.png') });
    await page.getByTestId('form-grade').fill('1.5');
    await expect.poll(() => page.getByTestId('form-status').textContent(), { timeout: 10_000 }).toBe('Ready to save.');
    await page.getByTestId('form-save').click();
    await expect.poll(() => page.getByTestId('feature-form').count(), { timeout: 10_000 }).toBe(0);

    const row = readProject(projectFile, (p) => p.db.prepare('SELECT commodities_main, status, resources, created_by FROM deposits WHERE name = ?').get('Test REE prospect')) as any;
    expect(row).toMatchObject({ commodities_main: 'Nd;Dy', status: 'prospect' });
    expect(JSON.parse(row.resources)).toEqual([{ grade: 1.5, gradeUnit: '%' }]);
    expect(await page.getByTestId('details-name').textContent()).toBe('Test REE prospect');
  });

  it('deletes the selected deposit from its form (after a confirmation) and undo brings it back', async () => {
    const count = () => readProject(projectFile, (p) => (p.db.prepare("SELECT count(*) AS n FROM deposits WHERE name = 'Test REE prospect'").get() as { n: number }).n);
    expect(count()).toBe(1);
    // The saved deposit is still selected (details panel): edit it, then delete.
    expect(await page.getByTestId('details-name').textContent()).toBe('Test REE prospect');
    await page.getByTestId('edit-selected').click();
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('form-delete').click();
    await expect.poll(() => page.getByTestId('feature-form').count(), { timeout: 10_000 }).toBe(0);
    expect(count()).toBe(0);
    await expect.poll(() => page.getByTestId('tool-undo').textContent()).toMatch(/Delete/);
    await page.getByTestId('tool-undo').click();
    await expect.poll(count, { timeout: 10_000 }).toBe(1);
  });

  it('shows the drawing tools and the form in Japanese, with Japanese vocabulary labels', async () => {
    await page.getByTestId('lang-ja').click();
    await page.getByTestId('new-deposit').click();
    const form = page.getByTestId('feature-form');
    await expect.poll(() => form.textContent()).toMatch(/新しい鉱床/);
    expect(await form.textContent()).toMatch(/主要鉱種.*鉱床型.*状態/s);
    // A Japanese commodity name finds the code; the chip shows the Japanese label.
    await page.locator('#form-commodities_main').fill('Li');
    await page.locator('#form-commodities_main').press('Enter');
    await expect.poll(() => page.locator('.chip').first().textContent()).toMatch(/リチウム/);
    expect(await page.locator('#form-status option').allTextContents()).toContain('鉱徴地');
    // The core's problems are worded in Japanese too (issue 6): a missing name, a 150 % grade.
    await expect.poll(() => page.getByTestId('problem-name').textContent(), { timeout: 10_000 }).toMatch(/名称は必須です/);
    await page.getByTestId('form-name').fill('テスト鉱床');
    await page.getByTestId('form-grade').fill('150');
    await page.locator('fieldset.resource select').nth(1).selectOption('%');
    await expect.poll(() => page.getByTestId('problem-resources').textContent(), { timeout: 10_000 }).toMatch(/品位 150 % は岩石全体を超えています。上限は 100 % です/);
    expect(await page.getByTestId('feature-form').textContent()).not.toMatch(/more than the whole rock|is required/);
    await page.getByTestId('problem-resources').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, '45-deposit-form-ja.png') });
    await page.getByTestId('form-cancel').click();
    await page.getByTestId('lang-en').click();
  });

  it('imports a zipped Shapefile through the field mapping step, which is remembered for the next file like it', async () => {
    const zip = join(FIXTURES, 'shapefile/prefectures-cp932-jgd2011.zip');
    await page.getByTestId('tool-import').click();
    await page.getByTestId('import-path').fill(zip);
    await page.getByTestId('import-inspect').click();
    const mapping = page.getByTestId('field-mapping');
    await expect.poll(() => mapping.isVisible(), { timeout: 10_000 }).toBe(true);
    // The automatic choices, with the decoded CP932 samples.
    expect(await page.getByTestId('mapping-nam').inputValue()).toBe('name');
    expect(await page.getByTestId('mapping-nam_ja').inputValue()).toBe('name_ja');
    expect(await page.getByTestId('mapping-id').inputValue()).toBe('');
    expect(await mapping.textContent()).toContain('北海道');
    // Two fields onto one target is refused before the core sees it.
    await page.getByTestId('mapping-nam_ja').selectOption('name');
    await expect.poll(() => mapping.textContent()).toMatch(/all go to “Name”/);
    expect(await page.getByTestId('import-start').isDisabled()).toBe(true);
    await page.getByTestId('mapping-nam').selectOption('name_romaji');
    await page.screenshot({ path: join(SHOTS, '46-import-field-mapping.png') });
    await page.getByTestId('import-start').click();
    await expect.poll(() => page.getByTestId('import-done').textContent(), { timeout: 20_000 }).toMatch(/Imported 47 deposits/);
    // The zip's .prj says JGD2011 (geographic): the dialog says what the coordinates came from.
    expect(await page.getByTestId('import-crs-note').textContent()).toMatch(/from JGD2011 \(EPSG:6668\)/);
    // The id was mapped to "extra": the report says so, with how many features carry it.
    expect(await page.getByTestId('import-extra-fields').textContent()).toContain('id (47)');
    await page.getByTestId('import-close').click();

    const rows = readProject(projectFile, (p) => p.db.prepare("SELECT name, name_romaji, extra FROM deposits WHERE source_id IS NULL AND name_romaji IS NOT NULL ORDER BY fid").all()) as { name: string; name_romaji: string; extra: string }[];
    expect(rows).toHaveLength(47);
    expect(rows[0]).toMatchObject({ name: '北海道', name_romaji: 'Hokkai Do' });
    expect(JSON.parse(rows[0].extra)).toEqual({ id: 1 });

    // The next time, the same fields come up mapped the same way: here the same Shapefile
    // unzipped, a plain .shp beside its .dbf/.prj/.cpg, which goes through the same core path.
    const plain = join(dirname(projectFile), 'plain-shp');
    mkdirSync(plain, { recursive: true });
    for (const [name, data] of Object.entries(unzipSync(new Uint8Array(readFileSync(zip))))) writeFileSync(join(plain, name), data);
    await page.getByTestId('tool-import').click();
    await page.getByTestId('import-path').fill(join(plain, 'prefectures_cp932.shp'));
    await page.getByTestId('import-inspect').click();
    await expect.poll(() => page.getByTestId('mapping-remembered').textContent(), { timeout: 10_000 }).toMatch(/prefectures-cp932-jgd2011\.zip/);
    expect(await page.getByTestId('mapping-nam_ja').inputValue()).toBe('name');
    expect(await page.getByTestId('mapping-nam').inputValue()).toBe('name_romaji');
    await page.getByTestId('import-start').click();
    await expect.poll(() => page.getByTestId('import-done').textContent(), { timeout: 20_000 }).toMatch(/Imported 47 deposits/);
    expect(await page.getByTestId('import-crs-note').textContent()).toMatch(/from JGD2011 \(EPSG:6668\)/);
    await page.screenshot({ path: join(SHOTS, '47-import-plain-shp.png') });
    expect(await page.getByTestId('import-imported-before').count()).toBe(0); // another file name
    await page.getByTestId('import-close').click();
    const again = readProject(projectFile, (p) => p.db.prepare("SELECT count(*) AS n FROM deposits WHERE source_id IS NULL AND name = '北海道'").get() as { n: number });
    expect(again.n).toBe(2);

    // The same file once more: imported (its features have no ids), with a warning that says so.
    await page.getByTestId('tool-import').click();
    await page.getByTestId('import-path').fill(join(plain, 'prefectures_cp932.shp'));
    await page.getByTestId('import-inspect').click();
    await expect.poll(() => page.getByTestId('mapping-remembered').textContent(), { timeout: 10_000 }).toMatch(/prefectures-cp932-jgd2011\.zip|prefectures_cp932\.shp/);
    await page.getByTestId('import-start').click();
    await expect.poll(() => page.getByTestId('import-done').textContent(), { timeout: 20_000 }).toMatch(/Imported 47 deposits/);
    expect(await page.getByTestId('import-imported-before').textContent()).toMatch(/same name and size was imported into this project before \(47 features, .*twice: Undo takes this import back/);
    await page.screenshot({ path: join(SHOTS, '47b-import-same-file-again.png') });
    await page.getByTestId('import-close').click();
  });

  it("converts CSV rows whose crs column says NAD27 and says so in the dialog", async () => {
    // Real MinMod rows: three NAD27 sites of the Alaska Resource Data File and one WGS 84 site.
    const [header, ...lines] = gunzipSync(readFileSync(sharedPath('deposits', 'minmod-mineral-sites-located.csv.gz'))).toString('utf8').split('\n');
    const nad27 = lines.filter((l) => l.includes(',EPSG:4267,'));
    const rows = [...nad27.slice(0, 3), lines.find((l) => l.includes(',EPSG:4326,'))!];
    // A fourth NAD27 row with its coordinate cells emptied, in a file shaped as an Outcrop CSV
    // export (its extra_json column): imported without a location, and not counted as converted.
    const [cols, cells] = Papa.parse<string[]>([header, nad27[3]].join('\n')).data;
    rows.push(Papa.unparse([cells.map((c, i) => (cols[i] === 'longitude' || cols[i] === 'latitude' ? '' : c))]));
    const csv = join(dirname(projectFile), 'ardf-nad27.csv');
    writeFileSync(csv, [`${header},extra_json`, ...rows.map((r) => `${r},`)].join('\n') + '\n');
    await page.getByTestId('tool-import').click();
    await page.getByTestId('import-path').fill(csv);
    await page.getByTestId('import-start').click();
    await expect.poll(() => page.getByTestId('import-done').textContent(), { timeout: 20_000 }).toMatch(/Imported 5 deposits/);
    expect(await page.getByTestId('import-unlocated').textContent()).toMatch(/^1 of them has no location in the file/);
    expect(await page.getByTestId('import-row-crs-note').textContent()).toMatch(/^Coordinates of 3 rows converted to WGS 84 from NAD27 \(EPSG:4267\), as their “crs” column says\. Approximate: NAD27 is converted with a 3-parameter datum shift/);
    await page.screenshot({ path: join(SHOTS, '48-import-row-crs.png') });
    await page.getByTestId('import-close').click();
  });

  it('names a projected position that lands far from where its CRS is used, in English and in Japanese', async () => {
    // The real Kantō sites in EPSG:6677, the third written in centimetres: it lands in the Indian Ocean.
    const [header, ...rows] = readFileSync(join(FIXTURES, 'crs', 'japan-sites-jgd2011-ix-xy.csv'), 'utf8').trim().split('\n');
    const cells = rows[2].split(',');
    const given = [Number(cells[0]) * 100, Number(cells[1]) * 100];
    rows[2] = [...given, ...cells.slice(2)].join(',');
    const csv = join(dirname(projectFile), 'kanto-ix-cm.csv');
    writeFileSync(csv, [header, ...rows].join('\n') + '\n');
    const count = () => readProject(projectFile, (p) => p.db.prepare('SELECT count(*) FROM deposits').pluck().get());
    const before = count();
    const tryImport = async () => {
      await page.getByTestId('tool-import').click();
      await page.getByTestId('import-path').fill(csv);
      await page.getByTestId('import-crs').fill('EPSG:6677');
      await page.getByTestId('import-start').click();
      const cell = page.getByTestId('job-problems').locator('tbody tr').first().locator('td').last();
      await expect.poll(() => cell.count(), { timeout: 20_000 }).toBe(1);
      return cell.textContent();
    };
    expect(await tryImport()).toMatch(
      new RegExp(`^position \\[${given[0]}, ${given[1]}\\] in JGD2011 / Japan Plane Rectangular CS IX lands at longitude [0-9.]+, latitude -[0-9.]+, about [0-9,]+ km from where that CRS is used \\(Japan - onshore and offshore; 17\\.09°N–46\\.05°N, 122\\.38°E–157\\.65°E\\): check that the file is in that CRS, that easting and northing are not swapped, and that they are in metres$`),
    );
    expect(await page.getByTestId('job-error').textContent()).toMatch(/1 problemFile/); // the count, then the table's first heading
    await page.getByTestId('import-close').click();
    await page.getByTestId('lang-ja').click();
    expect(await tryImport()).toMatch(/^位置 \[[-0-9.]+, [-0-9.]+\]（JGD2011 \/ Japan Plane Rectangular CS IX）は経度 [0-9.]+、緯度 -[0-9.]+ になり、この座標参照系の適用範囲（Japan - onshore and offshore; .*）から約 [0-9,]+ km 離れています/);
    await page.screenshot({ path: join(SHOTS, '52-import-far-from-crs-area.png') });
    await page.getByTestId('import-close').click();
    await page.getByTestId('lang-en').click();
    expect(count()).toBe(before); // one bad row: nothing of the file is imported
  });

  it.skipIf(!hasCommand('ogrinfo'))('lists a deposit whose location was cleared in another program, and places it again on the map', async () => {
    // GDAL (as QGIS would) clears the point of a real deposit, through its own connection.
    execFileSync('ogrinfo', [projectFile, '-sql', "UPDATE deposits SET geom = NULL WHERE name = 'Mountain Pass'"], { stdio: 'pipe' });
    const cleared = readProject(projectFile, (p) => p.db.prepare("SELECT geom IS NULL FROM deposits WHERE name = 'Mountain Pass'").pluck().get());
    expect(cleared).toBe(1);
    await page.getByTestId('tool-table').click();
    await page.getByTestId('table-search').fill('Mountain Pass');
    const row = page.getByTestId('table-row').filter({ hasText: 'Mountain Pass' }).first();
    await expect.poll(() => row.getByTestId('table-no-location').count(), { timeout: 10_000 }).toBe(1);
    // "Only without a location", with the search cleared: it alone of the project's deposits.
    await page.getByTestId('table-search').fill('');
    // The search alone already showed '1 row': wait for the rows of the new filter, not for the total.
    await page.getByTestId('table-unlocated').check();
    await expect.poll(() => page.getByTestId('table-row').allTextContents(), { timeout: 10_000 }).toEqual([expect.stringContaining('Mountain Pass')]);
    expect(await page.getByTestId('table-total').textContent()).toBe('1 row');
    await page.getByTestId('table-unlocated').uncheck();
    await page.getByTestId('table-search').fill('Mountain Pass');
    await row.click();
    await expect.poll(() => page.getByTestId('details-name').textContent(), { timeout: 10_000 }).toBe('Mountain Pass');
    expect(await page.getByTestId('details').textContent()).toMatch(/Location\s*none \(Edit to place it\)/);
    await page.screenshot({ path: join(SHOTS, '49-no-location-in-table.png') });

    // Its fields first, saved as they are: it stays without a location.
    await page.getByTestId('edit-selected').click();
    await expect.poll(() => page.getByTestId('form-no-location').textContent()).toMatch(/no location.*save its fields as they are/);
    expect(await page.getByTestId('form-name').inputValue()).toBe('Mountain Pass');
    await page.getByTestId('form-observer').fill('Field check, 2026');
    await expect.poll(() => page.getByTestId('form-status').textContent(), { timeout: 10_000 }).toBe('Ready to save.');
    await page.getByTestId('form-save').click();
    await expect.poll(() => page.getByTestId('feature-form').count(), { timeout: 10_000 }).toBe(0);
    expect(readProject(projectFile, (p) => p.db.prepare("SELECT observer, geom IS NULL AS unlocated FROM deposits WHERE name = 'Mountain Pass'").get())).toEqual({ observer: 'Field check, 2026', unlocated: 1 });

    // Then its place.
    await page.getByTestId('edit-selected').click();
    await expect.poll(() => page.getByTestId('form-no-location').count()).toBe(1);
    const box = (await page.getByTestId('map').boundingBox())!;
    const at = { x: box.x + 260, y: box.y + 180 };
    await clickAt(page, at.x, at.y);
    const placed = await page.evaluate((p) => {
      const map = window.__outcropMap!;
      const r = map.getCanvas().getBoundingClientRect();
      const ll = map.unproject([p.x - r.left, p.y - r.top]);
      return [ll.lng, ll.lat];
    }, at);
    await page.screenshot({ path: join(SHOTS, '50-no-location-placed.png') });
    await expect.poll(() => page.getByTestId('form-no-location').count()).toBe(0); // placed: the warning goes
    await expect.poll(() => page.getByTestId('form-status').textContent(), { timeout: 10_000 }).toBe('Ready to save.');
    await page.getByTestId('form-save').click();
    await expect.poll(() => page.getByTestId('feature-form').count(), { timeout: 10_000 }).toBe(0);

    // Read back from the file: the point where the user clicked, the record otherwise as it was,
    // and the history: the outside edit journaled first, then the user's change.
    const stored = readProject(projectFile, (p) => {
      const r = p.db.prepare("SELECT geom, commodities_main, country FROM deposits WHERE name = 'Mountain Pass'").get() as { geom: Buffer | null; commodities_main: string; country: string };
      const ops = p.db.prepare('SELECT kind FROM outcrop_ops ORDER BY op_id DESC LIMIT 3').pluck().all() as string[];
      return { ...r, ops };
    });
    expect(stored.geom).not.toBeNull();
    const point = decodeGeometry(stored.geom!) as { type: string; coordinates: number[] };
    expect(point.type).toBe('Point');
    expect(point.coordinates[0]).toBeCloseTo(placed[0], 4);
    expect(point.coordinates[1]).toBeCloseTo(placed[1], 4);
    expect(stored.commodities_main).toBe('REE;Ba');
    expect(stored.country).toBe('United States');
    expect(stored.ops).toEqual(['edit', 'edit', 'outside-edit']); // the outside edit journaled first, then the fields, then the place
    await page.getByTestId('tool-table').click();
  });

  it('made no request off this machine and logged no errors', () => {
    expect(b.external).toEqual([]);
    expect(b.consoleErrors).toEqual([]);
  });
});
