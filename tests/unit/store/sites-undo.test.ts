import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature, FeatureCollection, Point, Polygon } from 'geojson';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyDepositFields } from '../../../src/model/defaults';
import { redo, redoTarget, undo, undoTarget } from '../../../src/store/history';
import { Project } from '../../../src/store/project';
import { getDeposit } from '../../../src/store/read';
import { addPermitReview, deleteSites, emptySiteFields, insertSites, updateSite } from '../../../src/store/sites';

// Undo/redo of candidate-site operations (issue 5) on sites made from real sample data: an
// Arizona geology polygon and three Japanese deposit points (tests/fixtures/geojson). Each check
// compares raw rows of `sites`, `outcrop_site_permits` and the sites R*Tree, read with SQL here.

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../fixtures/geojson', name), 'utf8')) as FeatureCollection;
const arizona = fixture('arizona-geology-1m-polygons-2462.geojson').features[0] as Feature<Polygon>;
const japan = fixture('japan-sites-first-3.geojson').features as Feature<Point>[];

let dir: string;
let p: Project;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-sites-undo-'));
  p = Project.open(join(dir, 'p.gpkg'), { create: true, actor: 'planner' });
});
afterEach(() => {
  p.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Everything stored about sites, as raw rows (fid left out: a restored row may get a new one). */
function snapshot(): { sites: any[]; permits: any[]; rtree: any[]; rtreeCount: unknown } {
  const db = p.db;
  return {
    sites: db.prepare('SELECT id, hex(geom) AS geom, name, roles, target_commodities, permit_stage, notes, extra, created_at, updated_at, created_by, updated_by FROM sites ORDER BY id').all(),
    permits: db.prepare('SELECT permit_id, site_id, date, stage, note FROM outcrop_site_permits ORDER BY permit_id').all(),
    // The R*Tree follows the rows: one box per site, matching the site's current fid.
    rtree: db.prepare('SELECT s.id, r.minx, r.maxy FROM rtree_sites_geom r JOIN sites s ON s.fid = r.id ORDER BY s.id').all(),
    rtreeCount: db.prepare('SELECT count(*) FROM rtree_sites_geom').pluck().get(),
  };
}

const japanSite = (f: Feature<Point>) => ({
  fields: { ...emptySiteFields(String(f.properties!.name)), roles: ['mine' as const], targetCommodities: String(f.properties!.commodities).split(';').map((s) => s.trim()) },
  geometry: f.geometry,
});

describe('undo and redo of site operations', () => {
  it('add: undo removes the sites (rows, R*Tree), redo puts back exactly the same rows', async () => {
    const empty = snapshot();
    const ids = await insertSites(p, japan.map(japanSite), 'add 3 sites');
    const added = snapshot();
    expect(added.sites.map((s: any) => s.name).sort()).toEqual(['Hitachi', 'Konomai', japan[2].properties!.name].sort());
    expect(added.rtreeCount).toBe(3);
    expect(undoTarget(p)?.label).toBe('add 3 sites');

    expect(undo(p)?.label).toBe('Undo add 3 sites');
    expect(snapshot()).toEqual(empty);
    expect(redoTarget(p)).toBeDefined();
    redo(p);
    expect(snapshot()).toEqual(added);
    expect(p.db.prepare('SELECT id FROM sites ORDER BY fid').pluck().all()).toEqual(ids);
    // and undo again after the redo
    undo(p);
    expect(snapshot()).toEqual(empty);
  });

  it('edit of a polygon site (name, roles, notes, shape): undo restores the row as it was, redo the edit', async () => {
    const [id] = await insertSites(p, [{ fields: { ...emptySiteFields('Phoenix processing'), roles: ['processing'], targetCommodities: ['Cu'] }, geometry: arizona.geometry }]);
    const before = snapshot();
    // Hand-made new shape: a square around the Arizona polygon's first vertex.
    const [x, y] = arizona.geometry.coordinates[0][0];
    const square: Polygon = { type: 'Polygon', coordinates: [[[x - 0.1, y - 0.1], [x + 0.1, y - 0.1], [x + 0.1, y + 0.1], [x - 0.1, y + 0.1], [x - 0.1, y - 0.1]]] };
    await new Promise((r) => setTimeout(r, 5)); // a later updated_at
    await updateSite(p, id, { ...emptySiteFields('Phoenix separation'), roles: ['separation', 'recycling'], targetCommodities: ['Nd'], notes: 'near I-10' }, square);
    const edited = snapshot();
    expect(edited.sites[0]).toMatchObject({ name: 'Phoenix separation', roles: 'separation;recycling', notes: 'near I-10' });
    // The R*Tree box moved to the new shape (float32, rounded outwards).
    expect(edited.rtree[0].minx).toBeCloseTo(x - 0.1, 4);
    expect(edited.rtree[0].maxy).toBeCloseTo(y + 0.1, 4);
    expect(edited.sites[0].updated_at).not.toBe(before.sites[0].updated_at);

    undo(p);
    expect(snapshot()).toEqual(before);
    redo(p);
    expect(snapshot()).toEqual(edited);
  });

  it('delete: undo brings the site back with its permit reviews (same ids); redo deletes them again', async () => {
    const ids = await insertSites(p, japan.map(japanSite));
    await addPermitReview(p, { siteId: ids[0], date: '2025-04-01', stage: 'exploration-licence', note: '探鉱権' });
    await addPermitReview(p, { siteId: ids[0], date: '2026-02-10', stage: 'applied', note: null });
    await addPermitReview(p, { siteId: ids[1], date: '2026-01-05', stage: 'granted', note: 'MITI' });
    const before = snapshot();
    expect(before.permits).toHaveLength(3);

    await deleteSites(p, [ids[0], ids[1]]);
    const deleted = snapshot();
    expect(deleted.sites.map((s: any) => s.id)).toEqual([ids[2]]);
    expect(deleted.permits).toEqual([]);
    expect(deleted.rtreeCount).toBe(1);

    expect(undo(p)?.label).toBe('Undo delete 2 sites');
    expect(snapshot()).toEqual(before);
    redo(p);
    expect(snapshot()).toEqual(deleted);
  });

  it('permit review: undo removes the review and puts the stage back; redo re-adds the same review', async () => {
    const [id] = await insertSites(p, [{ fields: { ...japanSite(japan[0]).fields, permitStage: 'exploration-licence' }, geometry: japan[0].geometry }]);
    await addPermitReview(p, { siteId: id, date: '2026-03-01', stage: 'applied', note: 'filed with the prefecture' });
    const one = snapshot();
    // A review dated earlier than the latest does not change the stage (it follows the latest by date).
    await addPermitReview(p, { siteId: id, date: '2025-12-01', stage: 'exploration-licence', note: null });
    expect(p.db.prepare('SELECT permit_stage FROM sites').pluck().get()).toBe('applied');
    await addPermitReview(p, { siteId: id, date: '2026-09-15', stage: 'environmental-review', note: '環境アセス' });
    const three = snapshot();
    expect(three.sites[0].permit_stage).toBe('environmental-review');
    expect(three.permits.map((r: any) => [r.date, r.stage])).toEqual([
      ['2026-03-01', 'applied'],
      ['2025-12-01', 'exploration-licence'],
      ['2026-09-15', 'environmental-review'],
    ]);
    const details = JSON.parse(p.db.prepare(`SELECT details FROM outcrop_ops WHERE kind = 'site-permit' ORDER BY op_id DESC LIMIT 1`).pluck().get() as string);
    expect(details.permitReview).toMatchObject({ permitId: three.permits[2].permit_id, stageBefore: 'applied' });

    undo(p);
    const two = snapshot();
    expect(two.sites[0].permit_stage).toBe('applied');
    expect(two.permits.map((r: any) => r.date)).toEqual(['2026-03-01', '2025-12-01']);
    undo(p);
    expect(snapshot()).toEqual(one);
    undo(p);
    expect(snapshot().sites[0].permit_stage).toBe('exploration-licence');
    expect(snapshot().permits).toEqual([]);
    redo(p);
    redo(p);
    expect(snapshot()).toEqual(two);
    redo(p);
    expect(snapshot()).toEqual(three);
  });

  it('refuses a permit review with an impossible date or unknown stage, writing nothing', async () => {
    const [id] = await insertSites(p, [japanSite(japan[0])]);
    const ops = () => p.db.prepare('SELECT count(*) FROM outcrop_ops').pluck().get();
    const n = ops();
    await expect(addPermitReview(p, { siteId: id, date: '2026-02-30', stage: 'applied', note: null })).rejects.toThrow(/date must be a date YYYY\[-MM\[-DD\]\], got "2026-02-30"/);
    await expect(addPermitReview(p, { siteId: id, date: '2026-13', stage: 'applied', note: null })).rejects.toThrow(/got "2026-13"/);
    await expect(addPermitReview(p, { siteId: id, date: '2026-06-01', stage: 'approved' as never, note: null })).rejects.toThrow(/stage "approved" is not a permit stage/);
    await expect(addPermitReview(p, { siteId: 'nope', date: '2026-06-01', stage: 'applied', note: null })).rejects.toThrow(/no site with id "nope"/);
    expect(ops()).toBe(n);
    await addPermitReview(p, { siteId: id, date: '2024-02-29', stage: 'applied', note: '  ' }); // leap day; a blank note is no note
    expect(p.db.prepare('SELECT note FROM outcrop_site_permits').pluck().all()).toEqual([null]);
  });

  it('site and deposit operations share one linear undo; a new edit after an undo drops the redo', async () => {
    const dep = await p.write('edit', 'Add Kamaishi', (w) => w.insertDeposit(emptyDepositFields('Kamaishi'), { type: 'Point', coordinates: [141.88, 39.27] }));
    const [site] = await insertSites(p, [japanSite(japan[1])], 'add Hitachi');
    expect(undo(p)?.label).toBe('Undo add Hitachi');
    expect(p.db.prepare('SELECT count(*) FROM sites').pluck().get()).toBe(0);
    expect(getDeposit(p, dep)).toBeDefined();
    expect(undo(p)?.label).toBe('Undo Add Kamaishi');
    expect(getDeposit(p, dep)).toBeUndefined();
    expect(redo(p)?.label).toBe('Redo Add Kamaishi');
    expect(getDeposit(p, dep)).toBeDefined();
    // A site edit now is a new operation: the undone site add can no longer be redone.
    await insertSites(p, [japanSite(japan[2])], 'add third');
    expect(redoTarget(p)).toBeUndefined();
    expect(p.db.prepare('SELECT count(*) FROM sites WHERE id = ?').pluck().get(site)).toBe(0);
  });

  it('a site operation journalled before site undo existed (no revertible mark) is still skipped', async () => {
    const dep = await p.write('edit', 'Add A', (w) => w.insertDeposit(emptyDepositFields('A'), { type: 'Point', coordinates: [1, 1] }));
    await p.write('site-add', 'old add', (w) => w.setDetails({ layer: 'sites', sites: [{ action: 'insert', id: 'x', after: {} }] }));
    expect(undo(p)?.label).toBe('Undo Add A');
    expect(getDeposit(p, dep)).toBeUndefined();
  });
});
