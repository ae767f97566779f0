import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import i18next from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutcropService } from '../../../src/api/service';
import { RESOURCES } from '../../../renderer/i18n';
import { opLabel } from '../../../renderer/state/op-label';
import { sharedPath } from '../../helpers/data';

describe('undo/redo labels in the UI language', () => {
  let dir: string;
  let svc: OutcropService;
  const ja = i18next.createInstance();
  beforeAll(async () => {
    await ja.init({ lng: 'ja', resources: RESOURCES, interpolation: { escapeValue: false } });
    dir = mkdtempSync(join(tmpdir(), 'outcrop-oplabel-'));
    svc = new OutcropService({ host: 'web', version: 't', settingsDir: join(dir, 's') });
    await svc.call('project.open', { path: join(dir, 'p.gpkg'), create: true });
  });
  afterAll(async () => {
    await svc.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('translates the labels the core really writes, keeping names as they are', async () => {
    const saved = await svc.call('features.saveDeposit', { properties: { name: '鴻之舞 Kōnomai' }, geometry: { type: 'Point', coordinates: [143.3, 44.2] } });
    const undoLabel = (saved as any).value.project.undo.undoLabel as string;
    expect(opLabel(undoLabel, ja.t)).toBe('鉱床「鴻之舞 Kōnomai」の追加');
    const id = (saved as any).value.feature.id;
    const del = await svc.call('features.delete', { layer: 'deposits', ids: [id] });
    expect(opLabel((del as any).value.project.undo.undoLabel, ja.t)).toBe('鉱床の削除');
    const started = await svc.call('jobs.import', { path: sharedPath('deposits', 'japan-sites.geojson') });
    await new Promise<void>((res) => svc.onJobEvent((e) => e.jobId === (started as any).value.jobId && e.type === 'done' && res()));
    const info = await svc.call('project.current', {});
    expect(opLabel((info as any).value.undo.undoLabel, ja.t)).toBe('japan-sites.geojson のインポート');
  });

  it('names reference-layer imports and deletions in both languages', async () => {
    const en = i18next.createInstance();
    await en.init({ lng: 'en', resources: RESOURCES, interpolation: { escapeValue: false } });
    const fix = join(__dirname, '../../fixtures/reference');
    const importAs = async (file: string, role: 'infrastructure' | 'exclusion', name: string) => {
      const started = await svc.call('jobs.layerImport', { path: join(fix, file), role, name });
      await new Promise<void>((res) => svc.onJobEvent((e) => e.jobId === (started as any).value.jobId && e.type === 'done' && res()));
    };
    await importAs('sw-us-infrastructure.geojson', 'infrastructure', 'roads');
    await importAs('sw-us-protected-areas.geojson', 'exclusion', '国立公園 parks');
    const undoLabel = async () => (((await svc.call('project.current', {})) as any).value.undo.undoLabel as string);
    const imported = await undoLabel();
    expect(opLabel(imported, en.t)).toBe('Import reference layer 国立公園 parks from sw-us-protected-areas.geojson');
    expect(opLabel(imported, ja.t)).toBe('参照レイヤー「国立公園 parks」のインポート（sw-us-protected-areas.geojson）');
    const one = await svc.call('layers.delete', { names: ['roads'] });
    const deleted = (one as any).value.project.undo.undoLabel as string;
    expect([opLabel(deleted, en.t), opLabel(deleted, ja.t)]).toEqual(['Delete reference layer roads', '参照レイヤー「roads」の削除']);
    await svc.call('edit.undo', {});
    const two = await svc.call('layers.delete', { names: ['roads', '国立公園 parks'] });
    const both = (two as any).value.project.undo.undoLabel as string;
    expect([opLabel(both, en.t), opLabel(both, ja.t)]).toEqual(['Delete 2 reference layers', '参照レイヤー 2 件の削除']);
    // The redo button after an undo names the same operation.
    const undone = await svc.call('edit.undo', {});
    expect(opLabel((undone as any).value.undo.redoLabel, ja.t)).toBe('参照レイヤー 2 件の削除');
  });

  it('leaves a label of an unknown kind as the core wrote it', () => {
    expect(opLabel('Recompute something', ja.t)).toBe('Recompute something');
  });
});
