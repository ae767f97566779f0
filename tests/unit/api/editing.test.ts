/**
 * The API behind the drawing tools and the attribute form: inline validation that writes
 * nothing, exact snapping vertices, and saves/edits that land in history (undoable).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Position } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../src/api/contract';
import { OutcropService } from '../../../src/api/service';
import { readSharedJson, sharedPath } from '../../helpers/data';

let dir: string;
let svc: OutcropService;

async function importAndWait(path: string, opts: { layer?: 'surveys'; skipInvalid?: boolean } = {}): Promise<JobEvent> {
  const started = await svc.call('jobs.import', { path, ...opts });
  if (!started.ok || !started.value) throw new Error(JSON.stringify(started));
  const jobId = started.value.jobId;
  return new Promise((resolve) => {
    const off = svc.onJobEvent((e) => {
      if (e.jobId === jobId && e.type !== 'progress') {
        off();
        resolve(e);
      }
    });
  });
}

async function ok<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: unknown }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-edit-'));
  svc = new OutcropService({ host: 'web', version: 'test', settingsDir: join(dir, 'settings'), actor: 'geologist-1' });
  await ok(svc.call('project.open', { path: join(dir, 'p.gpkg'), create: true }));
  expect(await importAndWait(sharedPath('deposits', 'japan-sites.geojson'))).toMatchObject({ type: 'done' });
  expect(await importAndWait(sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), { layer: 'surveys', skipInvalid: true })).toMatchObject({ type: 'done' });
});
afterAll(async () => {
  await svc.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('features.validate (inline form validation)', () => {
  it('names each bad field and writes nothing', async () => {
    const before = await ok(svc.call('project.current', {}));
    const problems = await ok(
      svc.call('features.validate', {
        layer: 'deposits',
        properties: { name: 'Test', commodities_main: ['Li', 'Unobtainium'], status: 'bogus' },
        geometry: { type: 'Point', coordinates: [140.1, 39.7] },
      }),
    );
    expect(problems.map((p) => p.field).sort()).toEqual(['commodities_main', 'status']);
    expect(problems.find((p) => p.field === 'commodities_main')?.message).toMatch(/Unobtainium/);
    const after = await ok(svc.call('project.current', {}));
    expect(after?.dataVersion).toBe(before?.dataVersion);
    expect(after?.undo.undoLabel).toBe(before?.undo.undoLabel);
  });

  it('accepts a valid deposit form, with or without geometry yet', async () => {
    const properties = { name: '黒鉱 test', commodities_main: ['Cu', 'Zn'], deposit_type: 'vms', status: 'prospect' };
    expect(await ok(svc.call('features.validate', { layer: 'deposits', properties }))).toEqual([]);
    expect(await ok(svc.call('features.validate', { layer: 'deposits', properties, geometry: { type: 'Point', coordinates: [140.1, 39.7] } }))).toEqual([]);
  });

  it('names a missing name, a bad date and a bow-tie survey outline', async () => {
    const problems = await ok(
      svc.call('features.validate', {
        layer: 'surveys',
        properties: { name: '', start_date: '2026-13-01', methods: ['geochemistry'] },
        geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] },
      }),
    );
    const fields = problems.map((p) => p.field);
    expect(fields).toContain('start_date');
    expect(fields.some((f) => f?.startsWith('geometry'))).toBe(true);
    expect(problems.find((p) => f(p.field).startsWith('geometry'))?.message).toMatch(/crosses itself/);
  });

  it('refuses a point as a survey area', async () => {
    const problems = await ok(svc.call('features.validate', { layer: 'surveys', properties: { name: 'x' }, geometry: { type: 'Point', coordinates: [1, 1] } }));
    expect(problems).toContainEqual({ field: 'geometry', message: 'a survey area must be a polygon' });
  });
});

const f = (s: string | undefined) => s ?? '';

describe('features.vertices (snapping while drawing)', () => {
  it('returns exactly the stored survey vertices and deposit points inside the view', async () => {
    // Brute force from the source files: every vertex of every Earth MRI area that was imported
    // (the rest were refused as invalid) and every Japanese site inside the box.
    const bbox: [number, number, number, number] = [-108.5, 32, -106, 34.5];
    const inBox = (p: Position) => p[0] >= bbox[0] && p[0] <= bbox[2] && p[1] >= bbox[1] && p[1] <= bbox[3];
    const stored = await ok(svc.call('features.table', { layer: 'surveys', offset: 0, limit: 100 }));
    const names = new Set(stored.rows.map((r) => r.name));
    const mri = readSharedJson('polygons', 'usgs-earthmri-projects-nm-sw.geojson');
    const expected = new Set<string>();
    for (const feat of mri.features) {
      if (!names.has(feat.properties.pname)) continue;
      for (const poly of feat.geometry.coordinates) for (const ring of poly) for (const p of ring) if (inBox(p)) expected.add(`${p[0]},${p[1]}`);
    }
    expect(expected.size).toBeGreaterThan(20);
    const got = await ok(svc.call('features.vertices', { bbox }));
    expect(got.truncated).toBe(false);
    expect(new Set(got.vertices.map((p) => `${p[0]},${p[1]}`))).toEqual(expected);
  });

  it('includes deposit points and stops at the limit, saying so', async () => {
    const bbox: [number, number, number, number] = [129, 30, 146, 46];
    const japan = readSharedJson('deposits', 'japan-sites.geojson');
    const pts: Position[] = japan.features.map((x: any) => x.geometry.coordinates);
    const expected = new Set(pts.filter((p) => p[0] >= bbox[0] && p[0] <= bbox[2] && p[1] >= bbox[1] && p[1] <= bbox[3]).map((p) => `${p[0]},${p[1]}`));
    expect(expected.size).toBeGreaterThan(150);
    const got = await ok(svc.call('features.vertices', { bbox }));
    expect(new Set(got.vertices.map((p) => `${p[0]},${p[1]}`))).toEqual(expected);
    const few = await ok(svc.call('features.vertices', { bbox, limit: 10 }));
    expect(few).toMatchObject({ truncated: true });
    expect(few.vertices).toHaveLength(10);
  });
});

describe('saving from the attribute form', () => {
  it('adds a drawn survey, edits its shape with a hole, and undo walks both back', async () => {
    const shell: Position[] = [[-107.2, 33.1], [-106.8, 33.1], [-106.8, 33.4], [-107.2, 33.4], [-107.2, 33.1]];
    const added = await ok(
      svc.call('features.saveSurvey', {
        properties: { name: 'Caballo Mts field mapping', agency: 'NMBGMR', team: 'Team 2', methods: ['geological-mapping'], status: 'active' },
        geometry: { type: 'Polygon', coordinates: [shell] },
      }),
    );
    expect(added.feature.geometry!.type).toBe('MultiPolygon');
    expect(added.project.undo.undoLabel).toBe('Add survey Caballo Mts field mapping');
    const hole: Position[] = [[-107.1, 33.2], [-107.0, 33.2], [-107.0, 33.3], [-107.1, 33.3], [-107.1, 33.2]];
    const edited = await ok(
      svc.call('features.saveSurvey', { id: added.feature.id, properties: added.feature.properties, geometry: { type: 'Polygon', coordinates: [shell, hole] } }),
    );
    expect((edited.feature.geometry as any).coordinates[0]).toHaveLength(2);
    const history = await ok(svc.call('features.history', { id: added.feature.id }));
    expect(history.map((h) => h.action)).toEqual(['insert', 'update']);
    expect(history[1].changed).toEqual(['geometry']);

    await ok(svc.call('edit.undo', {}));
    const back = await ok(svc.call('features.get', { layer: 'surveys', id: added.feature.id }));
    expect((back?.geometry as any).coordinates[0]).toHaveLength(1);
    await ok(svc.call('edit.undo', {}));
    expect(await ok(svc.call('features.get', { layer: 'surveys', id: added.feature.id }))).toBeNull();
    await ok(svc.call('edit.redo', {}));
    expect(await ok(svc.call('features.get', { layer: 'surveys', id: added.feature.id }))).not.toBeNull();
  });

  it('refuses a hole outside its shell with the ring named, and writes nothing', async () => {
    const before = await ok(svc.call('project.current', {}));
    const r = await svc.call('features.saveSurvey', {
      properties: { name: 'bad hole' },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]],
          [[2, 2], [3, 2], [3, 3], [2, 3], [2, 2]],
        ],
      },
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', problems: [{ field: expect.stringMatching(/^geometry/), message: expect.stringMatching(/hole/i) }] } });
    expect((await ok(svc.call('project.current', {})))?.counts).toEqual(before?.counts);
  });
});

describe('the provenance filter (agency)', () => {
  it('keeps exactly the survey areas of the chosen agencies, in tables and tiles', async () => {
    const mri = readSharedJson('polygons', 'usgs-earthmri-projects-nm-sw.geojson');
    const stored = await ok(svc.call('features.table', { layer: 'surveys', offset: 0, limit: 100 }));
    const names = new Set(stored.rows.map((r) => r.name));
    const agency = 'New Mexico Bureau of Geology and Mineral Resources';
    const expected = mri.features.filter((f: any) => names.has(f.properties.pname) && f.properties.affiliatio === agency).map((f: any) => f.properties.pname).sort();
    expect(expected.length).toBeGreaterThan(1);
    const page = await ok(svc.call('features.table', { layer: 'surveys', filter: { agency: [agency] }, offset: 0, limit: 100 }));
    expect(page.rows.map((r) => r.name).sort()).toEqual(expected);
    // The map's tiles take the same filter (as the tile URL's filter parameter).
    const all = svc.tile('surveys', 0, 0, 0);
    const only = svc.tile('surveys', 0, 0, 0, JSON.stringify({ agency: [agency] }));
    expect(only!.length).toBeLessThan(all!.length);
    expect(() => svc.tile('surveys', 0, 0, 0, JSON.stringify({ agency: 'not a list' }))).toThrow(/tile filter/);
  });
});

