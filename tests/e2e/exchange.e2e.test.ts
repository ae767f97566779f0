/**
 * End to end, issue 6: two teams start from copies of one project built from the real Japanese
 * sites and edit one record's notes differently. The Japanese team opens its project in the
 * browser, previews and merges the US team's package through the exchange dialog, sees the
 * conflict side by side (and both versions on the map), resolves it by taking theirs, and the
 * project holds their value. No request leaves the machine.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPackage } from '../../src/exchange/package';
import { importFile } from '../../src/import/import-file';
import { rowToDeposit } from '../../src/store/columns';
import { Project } from '../../src/store/project';
import { getDeposit } from '../../src/store/read';
import { sharedPath } from '../helpers/data';
import { countPixels, e2eAvailable, openProject, SHOTS, startOfflineBrowser, waitForMapIdle, type OfflineBrowser } from './harness';

const canRun = e2eAvailable('exchange.e2e.test.ts');

const OURS_NOTES = 'GSJ 2026-11: adit mapped, sampled vein';
const THEIRS_NOTES = 'USGS 2026-11: outcrop re-logged, Au-Ag vein confirmed';
/** Colours of renderer/map/conflict-overlays.ts (literal: a test must not share the code it checks). */
const OURS = [0x1f, 0x5f, 0xbf];
const THEIRS = [0xd9, 0x48, 0x0f];

describe.skipIf(!canRun)('exchange: merge a package with a conflict and resolve it in the browser (offline)', () => {
  let b: OfflineBrowser;
  let page: Page;
  let ours: string;
  let pkg: string;
  let target: { id: string; name: string; coordinates: [number, number] };
  /** Changed by the US team only: merged cleanly. */
  let cleanId: string;
  /** Its romanised name changed on both sides: resolved by editing the value. */
  let editedId: string;
  let editedName: string;

  beforeAll(async () => {
    b = await startOfflineBrowser(async (d) => {
      const base = Project.open(join(d, 'base.gpkg'), { create: true, actor: 'base' });
      await importFile(base, sharedPath('deposits', 'japan-sites.geojson'));
      const [first, second, third] = base.db.prepare('SELECT * FROM deposits ORDER BY fid LIMIT 3').all() as Record<string, any>[];
      const dep = rowToDeposit(first);
      target = { id: dep.id, name: dep.name, coordinates: dep.geometry.coordinates as [number, number] };
      cleanId = second.id;
      editedId = third.id;
      editedName = third.name;
      const baseSeq = base.db.prepare('SELECT max(seq) FROM outcrop_history').pluck().get() as number;
      await base.backup(join(d, 'team-us.gpkg'));
      await base.backup(join(d, 'team-jp.gpkg'));
      base.close();

      const setNotes = async (p: Project, id: string, change: (f: any) => void) => {
        const { geometry, id: _id, createdAt, updatedAt, createdBy, updatedBy, ...fields } = getDeposit(p, id)!;
        change(fields);
        await p.write('edit', 'edit', (w) => w.updateDeposit(id, fields, geometry));
      };
      const us = Project.open(join(d, 'team-us.gpkg'), { actor: 'usgs-geologist' });
      await us.setSetting('identity', { team: 'USGS field team', agency: 'USGS', country: 'US', observer: 'R. Alvarez' });
      await setNotes(us, target.id, (f) => (f.notes = THEIRS_NOTES));
      await setNotes(us, cleanId, (f) => (f.status = 'past-producer'));
      await setNotes(us, editedId, (f) => (f.nameRomaji = `${editedName} (US)`));
      pkg = join(d, 'team-us-2026-11.gpkg');
      await createPackage(us, pkg, { since: String(baseSeq) });
      us.close();

      ours = join(d, 'team-jp.gpkg');
      const jp = Project.open(ours, { actor: 'gsj-geologist' });
      await jp.setSetting('identity', { team: 'GSJ field team', agency: 'GSJ', country: 'JP' });
      await setNotes(jp, target.id, (f) => (f.notes = OURS_NOTES));
      await setNotes(jp, editedId, (f) => (f.nameRomaji = `${editedName} (JP)`));
      jp.close();
    });
    page = b.page;
  }, 180_000);

  afterAll(async () => {
    await b?.close();
  });

  it('previews the package in the exchange dialog: one update, the conflict with both values', async () => {
    await openProject(page, b.host.url, ours);
    await waitForMapIdle(page);
    expect(await page.getByTestId('tool-conflicts').count()).toBe(0); // no conflicts yet: no badge

    await page.getByTestId('tool-exchange').click();
    await page.getByTestId('exchange-tab-merge').click();
    await page.getByTestId('exchange-package-path').fill(pkg);
    await page.getByTestId('exchange-preview').click();
    const preview = page.getByTestId('exchange-preview-result');
    await expect.poll(() => preview.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await preview.textContent()).toContain('From USGS field team · USGS · US');
    expect(await page.getByTestId('exchange-count-updated').locator('dd').textContent()).toBe('1');
    expect(await page.getByTestId('exchange-count-added').locator('dd').textContent()).toBe('0');
    expect(await page.getByTestId('exchange-count-conflicts').locator('dd').textContent()).toBe('2');
    const cells = await page.getByTestId('exchange-conflicts').locator('tbody tr').first().locator('td').allTextContents();
    expect(cells).toEqual([target.name, 'notes', OURS_NOTES, THEIRS_NOTES, '—']);
    expect(await page.getByTestId('exchange-dropped').textContent()).toMatch(/^None/);
    // The USGS MRDS columns without a field of their own travel in `extra` and are listed.
    expect(await page.getByTestId('exchange-extra').textContent()).toMatch(/deposit_type_confidence \(3\)/) // the 3 records the package carries;
    await page.screenshot({ path: join(SHOTS, '20-exchange-preview.png') });

    // A preview writes nothing.
    const before = await b.host.service.call('exchange.conflicts', {});
    expect(before).toEqual({ ok: true, value: [] });
  });

  it('merges with progress and a summary; the badge shows the open conflict', async () => {
    await page.getByTestId('exchange-merge-start').click();
    await expect.poll(() => page.getByTestId('exchange-merge-done').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await page.getByTestId('exchange-merge-done').textContent()).toMatch(/1 updated, 0 deleted, 0 combined, 2 conflicts/);
    await expect.poll(() => page.getByTestId('tool-conflicts-count').textContent()).toBe('2');
    expect(await page.getByTestId('tool-undo').textContent()).toBe('Undo: Merge team-us-2026-11.gpkg from USGS field team');
    const clean = await b.host.service.call('features.get', { layer: 'deposits', id: cleanId });
    expect(clean.ok && clean.value?.properties.status).toBe('past-producer');
  });

  it('shows the conflict side by side and both versions on the map', async () => {
    await page.getByTestId('exchange-open-conflicts').click();
    await expect.poll(() => page.getByTestId('exchange-dialog').count()).toBe(0);
    const card = page.getByTestId('conflict-card');
    await expect.poll(() => card.count()).toBe(1);
    expect(await page.getByTestId('conflict-detail').locator('h3').textContent()).toBe(target.name);
    expect(await card.getByTestId('conflict-ours').locator('.value').textContent()).toBe(OURS_NOTES);
    expect(await card.getByTestId('conflict-theirs').locator('.value').textContent()).toBe(THEIRS_NOTES);
    expect(await card.getByTestId('conflict-base').locator('.value').textContent()).toBe('—');
    expect(await page.getByTestId('conflict-detail').textContent()).toContain('from USGS field team · USGS');

    // The panel flies to the record; ours (solid point) and theirs (point with a dashed ring) are drawn.
    await page.evaluate((c) => window.__outcropMap!.jumpTo({ center: c, zoom: 12 }), target.coordinates);
    await waitForMapIdle(page);
    const drawn = await page.evaluate(() => {
      const map = window.__outcropMap!;
      const n = (id: string) => (map.getLayer(id) ? map.queryRenderedFeatures({ layers: [id] }).length : -1);
      return { ours: n('overlay-conflict-ours-circle'), theirs: n('overlay-conflict-theirs-circle'), ring: n('overlay-conflict-theirs-line') };
    });
    expect(drawn.ours).toBeGreaterThan(0);
    expect(drawn.theirs).toBeGreaterThan(0);
    expect(drawn.ring).toBeGreaterThan(0);
    const colours = { o: await countPixels(page, [OURS], 40), t: await countPixels(page, [THEIRS], 40) };
    // Nobody moved the record: our solid point sits inside their dashed ring, both on the canvas.
    expect(colours.o).toBeGreaterThan(20);
    expect(colours.t).toBeGreaterThan(20);
    await page.screenshot({ path: join(SHOTS, '21-conflict-side-by-side.png') });
  });

  it('resolves by taking theirs, then by editing a value: the project holds them, the list and badge clear', async () => {
    await page.getByTestId('conflict-take-theirs').click();
    await expect.poll(() => page.getByTestId('conflict-resolved-message').textContent(), { timeout: 10_000 }).toContain(target.name);
    await expect.poll(() => page.getByTestId('tool-conflicts-count').textContent()).toBe('1');
    // the next record comes up: its romanised name, edited to a value of our own
    await expect.poll(() => page.getByTestId('conflict-card').getAttribute('data-field')).toBe('name_romaji');
    expect(await page.getByTestId('conflict-theirs').locator('.value').textContent()).toBe(`${editedName} (US)`);
    await page.getByTestId('conflict-edit').click();
    expect(await page.getByTestId('conflict-edit-value').inputValue()).toBe(`${editedName} (JP)`);
    await page.getByTestId('conflict-edit-value').fill(editedName);
    await page.getByTestId('conflict-edit-save').click();
    await expect.poll(() => page.getByTestId('conflicts-none').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.getByTestId('tool-conflicts-count').count()).toBe(0);
    const edited = await b.host.service.call('features.get', { layer: 'deposits', id: editedId });
    expect(edited.ok && edited.value?.properties.name_romaji).toBe(editedName);

    const f = await b.host.service.call('features.get', { layer: 'deposits', id: target.id });
    expect(f.ok && f.value?.properties.notes).toBe(THEIRS_NOTES);
    // and in the file itself
    const db = b.host.service.currentProject!.db;
    expect(db.prepare('SELECT notes FROM deposits WHERE id = ?').pluck().get(target.id)).toBe(THEIRS_NOTES);
    expect(db.prepare('SELECT status, resolution FROM outcrop_conflicts ORDER BY conflict_id').all()).toEqual([
      { status: 'resolved', resolution: JSON.stringify({ take: 'theirs' }) },
      { status: 'resolved', resolution: JSON.stringify({ value: editedName }) },
    ]);
    await waitForMapIdle(page);
    await page.screenshot({ path: join(SHOTS, '22-conflict-resolved.png') });
  });

  it('shows the provenance of a record changed by the other team in the details panel', async () => {
    const clean = await b.host.service.call('features.get', { layer: 'deposits', id: cleanId });
    if (!clean.ok || !clean.value) throw new Error('no record');
    const at = (clean.value.geometry as unknown as { coordinates: [number, number] }).coordinates;
    await page.evaluate((c) => window.__outcropMap!.jumpTo({ center: c, zoom: 12 }), at);
    await waitForMapIdle(page);
    const p = await page.evaluate((c) => {
      const map = window.__outcropMap!;
      const q = map.project(c);
      const r = map.getCanvas().getBoundingClientRect();
      return { x: r.left + q.x, y: r.top + q.y };
    }, at);
    await page.mouse.click(p.x, p.y);
    await expect.poll(() => page.getByTestId('details-name').textContent(), { timeout: 10_000 }).toBe(clean.value.properties.name);
    await expect.poll(() => page.getByTestId('provenance-changed').textContent(), { timeout: 10_000 }).toMatch(/by usgs-geologist — received from USGS field team · USGS$/);
    expect(await page.getByTestId('provenance-created').textContent()).toMatch(/base .*this project/);
    await page.screenshot({ path: join(SHOTS, '23-provenance-details.png') });
  });

  it('exports this team\'s package from the dialog: identity saved, a download offered, a real package', async () => {
    await page.getByTestId('tool-exchange').click();
    await expect.poll(() => page.getByTestId('exchange-identity-team').inputValue()).toBe('GSJ field team');
    await page.getByTestId('exchange-identity-observer').fill('佐藤 花子');
    await page.getByTestId('exchange-identity-device').fill('toughbook-3');
    // Nothing sent yet: "since the last exchange" carries every record changed since the project began.
    expect(await page.getByTestId('exchange-since-last').locator('xpath=..').textContent()).toMatch(/\(20[0-9] records\)/);
    await page.getByTestId('exchange-export-start').click();
    await expect.poll(() => page.getByTestId('exchange-export-done').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await page.getByTestId('exchange-export-done').textContent()).toMatch(/^Wrote outcrop-package-GSJ-field-team-.*\.gpkg: 20[0-9] records/);
    await expect.poll(() => page.getByTestId('exchange-since-last').locator('xpath=..').textContent()).toMatch(/\(0 records\)/);
    const href = await page.getByTestId('exchange-download').getAttribute('href');
    expect(href).toMatch(/^\/downloads\/outcrop-package-GSJ-field-team-.*\.gpkg$/);
    const identity = await b.host.service.call('exchange.identity', {});
    expect(identity).toMatchObject({ ok: true, value: { team: 'GSJ field team', observer: '佐藤 花子', device: 'toughbook-3' } });
    // The download is the package itself: an SQLite file the host serves from loopback.
    const bytes = await page.evaluate(async (u) => new Uint8Array(await (await fetch(u)).arrayBuffer()).slice(0, 15), href!);
    expect(Buffer.from(Object.values(bytes) as number[]).toString('latin1')).toBe('SQLite format 3');
    await page.screenshot({ path: join(SHOTS, '24-exchange-export.png') });
    // In Japanese, the same dialog.
    await page.getByTestId('exchange-close').click();
    await page.getByRole('button', { name: '日本語' }).click();
    await page.getByTestId('tool-exchange').click();
    await page.getByTestId('exchange-tab-merge').click();
    await page.getByTestId('exchange-package-path').fill(pkg);
    await page.getByTestId('exchange-preview').click();
    await expect.poll(() => page.getByTestId('exchange-preview-result').textContent(), { timeout: 20_000 }).toContain('統合済み');
    await page.screenshot({ path: join(SHOTS, '25-exchange-merge-ja.png') });
    await page.getByTestId('exchange-close').click();
    await page.getByRole('button', { name: 'EN' }).click();
  });

  it('made no external request and logged no console error', () => {
    expect(b.external).toEqual([]);
    expect(b.consoleErrors).toEqual([]);
  });
});
