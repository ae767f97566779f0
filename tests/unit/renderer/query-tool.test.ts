import { describe, expect, it, vi } from 'vitest';
import type { OutcropApi } from '../../../src/api/contract';
import { withinSchema } from '../../../src/api/contract';
import { bboxPolygon, runQuery } from '../../../renderer/map/query.tool';

const fakeApi = () => {
  const call = vi.fn(async () => ({ ok: true as const, value: { count: 0, hits: [] } }));
  return { api: { call, onJobEvent: () => () => {}, tileUrl: () => '' } as unknown as OutcropApi, call };
};

describe('query tool', () => {
  it('makes a closed counter-clockwise box the contract accepts', () => {
    const area = bboxPolygon([-116, 35, -115, 36]);
    expect(area.coordinates[0][0]).toEqual(area.coordinates[0][4]);
    expect(withinSchema.safeParse({ area }).success).toBe(true);
  });
  it('asks near with a wrapped longitude and the radius', async () => {
    const { api, call } = fakeApi();
    await runQuery(api, 'near', { kind: 'point', lngLat: [-115.5 + 360, 35.5] }, { km: 50, k: 5 });
    expect(call).toHaveBeenCalledWith('query.near', { center: [-115.5, 35.5], km: 50 });
  });
  it('asks nearest with k, within with a survey id, and ignores a pick of the wrong kind', async () => {
    const { api, call } = fakeApi();
    await runQuery(api, 'nearest', { kind: 'point', lngLat: [139.7, 35.7] }, { km: 50, k: 5 });
    expect(call).toHaveBeenLastCalledWith('query.nearest', { center: [139.7, 35.7], k: 5 });
    await runQuery(api, 'survey', { kind: 'survey', surveyId: 'x' }, { km: 1, k: 1 });
    expect(call).toHaveBeenLastCalledWith('query.within', { surveyId: 'x' });
    expect(runQuery(api, 'rect', { kind: 'point', lngLat: [0, 0] }, { km: 1, k: 1 })).toBeNull();
  });
  it('asks within the drawn polygon as drawn, and only in the area mode', async () => {
    const { api, call } = fakeApi();
    const polygon = { type: 'Polygon' as const, coordinates: [[[-116, 35], [-115, 35], [-115.5, 36], [-116, 35]]] as [number, number][][] };
    await runQuery(api, 'area', { kind: 'area', polygon }, { km: 1, k: 1 });
    expect(call).toHaveBeenLastCalledWith('query.within', { area: polygon });
    expect(withinSchema.safeParse({ area: polygon }).success).toBe(true);
    expect(runQuery(api, 'rect', { kind: 'area', polygon }, { km: 1, k: 1 })).toBeNull();
  });
});
