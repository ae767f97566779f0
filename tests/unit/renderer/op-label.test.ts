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

  it('leaves a label of an unknown kind as the core wrote it', () => {
    expect(opLabel('Recompute something', ja.t)).toBe('Recompute something');
  });
});
