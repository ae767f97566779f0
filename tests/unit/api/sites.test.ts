import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, MethodName, MethodRequest, MethodResults } from '../../../src/api/contract';
import { OutcropService } from '../../../src/api/service';
import { importFile } from '../../../src/import/import-file';
import { Project } from '../../../src/store/project';

// The compare panel's site calls (issue 5): a polygon site drawn from a real Arizona geology
// polygon, edited, given dated permit reviews, and stepped back and forth with edit.undo/redo,
// checking the project file itself (rows of sites and outcrop_site_permits) with SQL.
const fixtures = join(__dirname, '../../fixtures');
const arizona = (JSON.parse(readFileSync(join(fixtures, 'geojson/arizona-geology-1m-polygons-2462.geojson'), 'utf8')) as FeatureCollection).features[0] as Feature<Polygon>;
const bowTie = (JSON.parse(readFileSync(join(fixtures, 'validation/self-intersection/bad.geojson'), 'utf8')) as FeatureCollection).features[0].geometry as Polygon;

/** The ring wound counter-clockwise (shoelace), as RFC 7946 wants exterior rings stored. */
function ccw(ring: number[][]): number[][] {
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++) a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return a < 0 ? [...ring].reverse() : ring;
}
const arizonaStored: Polygon = { type: 'Polygon', coordinates: [ccw(arizona.geometry.coordinates[0])] };

let dir: string;
let file: string;
let svc: OutcropService;

async function ok<M extends MethodName>(method: M, req: MethodRequest<M>): Promise<MethodResults[M]> {
  const r: ApiResult<MethodResults[M]> = await svc.call(method, req);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

/** The file as another program sees it (a second, read-only connection). */
function rows() {
  const p = Project.open(file, { readonly: true });
  try {
    return {
      sites: p.db.prepare('SELECT id, name, roles, target_commodities, permit_stage, notes FROM sites ORDER BY fid').all() as Record<string, unknown>[],
      permits: p.db.prepare('SELECT site_id, date, stage, note FROM outcrop_site_permits ORDER BY permit_id').all() as Record<string, unknown>[],
    };
  } finally {
    p.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-api-sites-'));
  file = join(dir, 'az.gpkg');
  const p = Project.open(file, { create: true, actor: 'planner' });
  await importFile(p, join(fixtures, 'geojson/japan-sites-first-3.geojson')); // some deposits: their undo must stay as it was
  p.close();
  svc = new OutcropService({ host: 'web', version: 'test', settingsDir: join(dir, 'settings'), exportDir: join(dir, 'exports'), actor: 'planner' });
  await ok('project.open', { path: file });
});
afterAll(async () => {
  await svc?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('sites: polygon, edit, permit reviews, undo/redo', () => {
  let id = '';

  it('refuses a polygon that crosses itself with the place of the crossing; nothing is stored', async () => {
    const r = await svc.call('sites.save', { name: 'Bow tie', geometry: bowTie as never });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('site "Bow tie": outline crosses itself near [1, 1] (a bow-tie)');
    expect(rows().sites).toEqual([]);
  });

  it('saves a polygon site with notes, then edits its name, roles, commodities, notes and shape', async () => {
    const saved = await ok('sites.save', { name: 'Phoenix processing', geometry: arizona.geometry as never, roles: ['processing'], targetCommodities: ['copper'], notes: 'near the rail yard' });
    id = saved.site.id;
    expect(arizona.geometry.coordinates).toHaveLength(1);
    expect(saved.site.geometry).toEqual(arizonaStored);
    expect(saved.project.undo).toMatchObject({ canUndo: true, undoLabel: 'add site Phoenix processing' });
    expect(rows().sites).toEqual([{ id, name: 'Phoenix processing', roles: 'processing', target_commodities: 'Cu', permit_stage: null, notes: 'near the rail yard' }]);

    const [x, y] = arizonaStored.coordinates[0][0];
    const moved: Polygon = { type: 'Polygon', coordinates: [arizonaStored.coordinates[0].map(([a, b]) => [a + 0.5, b - 0.25])] };
    const edited = await ok('sites.save', { id, name: 'Phoenix separation', geometry: moved as never, roles: ['separation', 'magnet'], targetCommodities: ['Nd', 'Dy'], notes: null });
    expect(edited.site.geometry?.type).toBe('Polygon');
    expect((edited.site.geometry as Polygon).coordinates[0][0]).toEqual([x + 0.5, y - 0.25]);
    expect(rows().sites).toEqual([{ id, name: 'Phoenix separation', roles: 'separation;magnet', target_commodities: 'Nd;Dy', permit_stage: null, notes: null }]);
  });

  it('sites.permitReview adds dated reviews; the list shows them oldest first and the stage follows the latest', async () => {
    const a = await ok('sites.permitReview', { siteId: id, date: '2026-03-01', stage: 'applied', note: 'filed with ADEQ' });
    expect(a.site.permitStage).toBe('applied');
    const b = await ok('sites.permitReview', { siteId: id, date: '2025-11-20', stage: 'exploration-licence' });
    expect(b.site.permitStage).toBe('applied'); // an older review does not change the stage
    const c = await ok('sites.permitReview', { siteId: id, date: '2026-09-15', stage: 'environmental-review', note: '環境アセス' });
    expect(c.site.permitReviews).toEqual([
      { date: '2025-11-20', stage: 'exploration-licence', note: null },
      { date: '2026-03-01', stage: 'applied', note: 'filed with ADEQ' },
      { date: '2026-09-15', stage: 'environmental-review', note: '環境アセス' },
    ]);
    expect(c.site.permitStage).toBe('environmental-review');
    expect(c.project.undo.undoLabel).toBe('permit review 2026-09-15 of Phoenix separation');
    expect(rows().permits).toHaveLength(3);
    expect(rows().sites[0].permit_stage).toBe('environmental-review');
    expect((await ok('sites.list', {}))[0].permitReviews.map((r) => r.date)).toEqual(['2025-11-20', '2026-03-01', '2026-09-15']);

    for (const [req, code, msg] of [
      [{ siteId: id, date: '2026-02-30', stage: 'applied' }, 'VALIDATION', /date must be a date/],
      [{ siteId: id, date: '2026-05-01', stage: 'approved' }, 'VALIDATION', /stage "approved" is not a permit stage/],
      [{ siteId: 'no-such-site', date: '2026-05-01', stage: 'applied' }, 'NOT_FOUND', /no site with id "no-such-site"/],
    ] as const) {
      const r = await svc.call('sites.permitReview', req);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe(code);
        expect(r.error.message).toMatch(msg);
      }
    }
    expect(rows().permits).toHaveLength(3);
  });

  it('edit.undo steps back through reviews, the edit, the add (and not into the deposits); edit.redo forward again', async () => {
    const full = rows();
    const v0 = (await ok('project.current', {}))!.dataVersion;
    let info = await ok('edit.undo', {});
    expect(info.dataVersion).not.toBe(v0);
    expect(rows().permits.map((r) => r.date)).toEqual(['2026-03-01', '2025-11-20']);
    expect(rows().sites[0].permit_stage).toBe('applied');
    await ok('edit.undo', {});
    info = await ok('edit.undo', {});
    expect(rows().permits).toEqual([]);
    expect(rows().sites[0].permit_stage).toBeNull();
    expect(info.undo.undoLabel).toBe(`edit site Phoenix separation`);
    info = await ok('edit.undo', {});
    expect(rows().sites).toEqual([{ id, name: 'Phoenix processing', roles: 'processing', target_commodities: 'Cu', permit_stage: null, notes: 'near the rail yard' }]);
    expect((await ok('sites.list', {}))[0].geometry).toEqual(arizonaStored);
    info = await ok('edit.undo', {});
    expect(rows().sites).toEqual([]);
    // Next in line is the import of the deposits, untouched by the site undos.
    expect(info.undo.undoLabel).toMatch(/import/i);
    expect(info.counts.deposits).toBe(3);

    for (let i = 0; i < 5; i++) info = await ok('edit.redo', {});
    expect(info.undo.canRedo).toBe(false);
    expect(rows()).toEqual(full);
  });

  it('delete is undone with its reviews', async () => {
    const before = rows();
    await ok('sites.delete', { ids: [id] });
    expect(rows()).toEqual({ sites: [], permits: [] });
    await ok('edit.undo', {});
    expect(rows()).toEqual(before);
  });
});
