import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FeatureCollection } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, JobEvent, MethodName, MethodRequest, MethodResults } from '../../../src/api/contract';
import { OutcropService } from '../../../src/api/service';

// Undo/redo of reference-layer imports and deletions through the API as the app calls it
// (jobs.layerImport, layers.delete, edit.undo / edit.redo, layers.list, analysis.compare).
const FIX = resolve(__dirname, '../../fixtures/reference');
const ROADS = join(FIX, 'sw-us-infrastructure.geojson');
const PARKS = join(FIX, 'sw-us-protected-areas.geojson');
const featuresIn = (f: string) => (JSON.parse(readFileSync(f, 'utf8')) as FeatureCollection).features.length;

let dir: string;
let svc: OutcropService;

async function ok<M extends MethodName>(method: M, req: MethodRequest<M>): Promise<MethodResults[M]> {
  const r: ApiResult<MethodResults[M]> = await svc.call(method, req);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

async function importLayer(path: string, role: 'infrastructure' | 'exclusion', name: string): Promise<JobEvent> {
  const ended = new Promise<JobEvent>((res) => {
    const off = svc.onJobEvent((e) => {
      if (e.kind === 'layer-import' && e.type !== 'progress') {
        off();
        res(e);
      }
    });
  });
  await ok('jobs.layerImport', { path, role, name });
  return ended;
}

const listed = async () => (await ok('layers.list', {})).map((l) => [l.name, l.featureCount]);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-api-ref-undo-'));
  svc = new OutcropService({ host: 'web', version: 'test', settingsDir: join(dir, 'settings'), actor: 'planner' });
  await ok('project.open', { path: join(dir, 'p.gpkg'), create: true });
});
afterAll(async () => {
  await svc?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('reference layers: undo and redo through the API', () => {
  it('undoes and redoes imports and a deletion of two layers; a comparison sees what is in effect', async () => {
    const mp = (await ok('sites.save', { name: 'Mountain Pass', geometry: { type: 'Point', coordinates: [-115.53, 35.48] } })).site.id;
    const tu = (await ok('sites.save', { name: 'Tucson', geometry: { type: 'Point', coordinates: [-110.97, 32.0] } })).site.id;
    expect((await importLayer(ROADS, 'infrastructure', 'roads')).type).toBe('done');
    const done = await importLayer(PARKS, 'exclusion', 'parks');
    expect(done.type).toBe('done');
    expect(((done as { result?: any }).result).project.undo).toMatchObject({ canUndo: true, undoLabel: 'Import reference layer parks from sw-us-protected-areas.geojson' });
    const both = [['parks', featuresIn(PARKS)], ['roads', featuresIn(ROADS)]];
    expect(await listed()).toEqual(both);

    const del = await ok('layers.delete', { names: ['roads', 'parks'] });
    expect(del.deleted).toBe(2);
    expect(del.project.undo).toMatchObject({ canUndo: true, undoLabel: 'Delete 2 reference layers', canRedo: false });
    expect(await listed()).toEqual([]);

    const undone = await ok('edit.undo', {});
    expect(undone.undo).toMatchObject({ canRedo: true, redoLabel: 'Delete 2 reference layers', undoLabel: 'Import reference layer parks from sw-us-protected-areas.geojson' });
    expect(undone.dataVersion).not.toBe(del.project.dataVersion);
    expect(await listed()).toEqual(both);
    const cmp = await ok('analysis.compare', { siteIds: [mp, tu], infrastructureLayer: 'roads', exclusionLayers: ['parks'] });
    expect(cmp.sites).toHaveLength(2);

    await ok('edit.redo', {});
    expect(await listed()).toEqual([]);
    expect((await svc.call('analysis.compare', { siteIds: [mp, tu], infrastructureLayer: 'roads' })).ok).toBe(false);

    await ok('edit.undo', {}); // the deletion
    const one = await ok('edit.undo', {}); // the parks import
    expect(await listed()).toEqual([['roads', featuresIn(ROADS)]]);
    expect(one.undo.undoLabel).toBe('Import reference layer roads from sw-us-infrastructure.geojson');
    await ok('edit.undo', {}); // the roads import
    expect(await listed()).toEqual([]);
    // Next in line: the site saved before.
    expect((await ok('project.current', {}))!.undo.undoLabel).toBe('add site Tucson');
    await ok('edit.redo', {});
    await ok('edit.redo', {});
    expect(await listed()).toEqual(both);
  });
});
