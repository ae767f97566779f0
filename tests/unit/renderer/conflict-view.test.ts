import { describe, expect, it } from 'vitest';
import type { ConflictItem } from '../../../src/api/contract';
import { conflictCenter, conflictOverlays, metresPerPixel, ringAround } from '../../../renderer/map/conflict-overlays';
import { editableText, formatConflictValue } from '../../../renderer/panels/conflict-format';

const conflict = (geometry: ConflictItem['geometry']): ConflictItem => ({
  conflictId: 1, layer: 'deposits', featureId: 'f', name: 'Kamaishi', kind: 'field', field: 'geometry', base: null, ours: null, theirs: null,
  from: { team: 'USGS field team', agency: 'USGS', country: 'US', observer: null, device: null, replica: null },
  mergedAt: null, status: 'open', resolution: null, resolvedBy: null, resolvedAt: null, geometry,
});

describe('conflict values as text', () => {
  it('labels vocabulary codes in the UI language, joins lists, dashes empties', () => {
    expect(formatConflictValue('deposits', 'status', 'past-producer', 'en')).toBe('Past producer (past-producer)');
    expect(formatConflictValue('deposits', 'commodities_main', ['Cu', 'Au'], 'ja')).toBe('銅 (Cu), 金 (Au)');
    expect(formatConflictValue('deposits', 'notes', 'JP: 2026年10月 調査', 'en')).toBe('JP: 2026年10月 調査');
    for (const v of [null, undefined, '', []]) expect(formatConflictValue('deposits', 'notes', v, 'en')).toBe('—');
    // a point as lat, lon (coordinates are [lng, lat])
    expect(formatConflictValue('deposits', 'geometry', { type: 'Point', coordinates: [141.88, 39.27] }, 'en')).toBe('39.27000, 141.88000');
    expect(formatConflictValue('surveys', 'geometry', { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 5]]]] }, 'en')).toBe('MultiPolygon (8 vertices)');
    expect(formatConflictValue('deposits', 'resources', [{ tonnage: 5 }], 'en')).toBe('[{"tonnage":5}]');
  });

  it('edits text as text and anything else as JSON', () => {
    expect(editableText('abc', 'def')).toEqual({ text: 'abc', json: false });
    expect(editableText(null, 'def')).toEqual({ text: '', json: false });
    expect(editableText(['Cu'], null)).toEqual({ text: '["Cu"]', json: true });
    // ours is text but theirs a list: the field holds lists, edit as JSON
    expect(editableText('Cu', ['Cu', 'Au'])).toEqual({ text: '"Cu"', json: true });
  });
});

describe('conflict overlays', () => {
  it('metres per pixel: 512-px tiles, ~78 km at zoom 0 on the equator, halving per zoom', () => {
    expect(metresPerPixel(0, 0)).toBeCloseTo(40075016.686 / 512, 3);
    expect(metresPerPixel(60, 10)).toBeCloseTo(40075016.686 * 0.5 / 512 / 1024, 3);
  });

  it('a ring is closed and lies radiusM from its centre (checked with the haversine distance)', () => {
    const c: [number, number] = [141.88, 39.27];
    const ring = ringAround(c, 500);
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    const R = 6371008.8;
    const rad = (d: number) => (d * Math.PI) / 180;
    for (const [lng, lat] of ring) {
      const h = Math.sin(rad(lat - c[1]) / 2) ** 2 + Math.cos(rad(c[1])) * Math.cos(rad(lat)) * Math.sin(rad(lng - c[0]) / 2) ** 2;
      expect(2 * R * Math.asin(Math.sqrt(h))).toBeGreaterThan(490);
      expect(2 * R * Math.asin(Math.sqrt(h))).toBeLessThan(510);
    }
  });

  it('ours solid on top of theirs dashed with a ring; multipolygons split into polygons; nothing when none', () => {
    expect(conflictOverlays(null, 10)).toEqual([]);
    const [theirs, ours] = conflictOverlays(conflict({ ours: { type: 'Point', coordinates: [1, 2] }, theirs: { type: 'Point', coordinates: [1.1, 2] }, base: null }), 12);
    expect(theirs).toMatchObject({ id: 'conflict-theirs', dashed: true });
    expect(theirs.data.features.map((f) => f.geometry.type)).toEqual(['Point', 'LineString']);
    expect(ours).toMatchObject({ id: 'conflict-ours' });
    expect(ours.dashed).toBeFalsy();
    expect(ours.data.features.map((f) => f.geometry)).toEqual([{ type: 'Point', coordinates: [1, 2] }]);
    const area = conflictOverlays(conflict({ ours: { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 5]]]] }, theirs: null, base: null }), 8);
    expect(area[1].data.features.map((f) => f.geometry.type)).toEqual(['Polygon', 'Polygon']);
    expect(area[0].data.features).toEqual([]); // they deleted it
  });

  it('looks at our point, or the centre of an area, or theirs when ours is gone', () => {
    expect(conflictCenter(conflict({ ours: { type: 'Point', coordinates: [1, 2] }, theirs: null, base: null }))).toEqual([1, 2]);
    expect(conflictCenter(conflict({ ours: { type: 'MultiPolygon', coordinates: [[[[0, 0], [4, 0], [4, 2], [0, 0]]]] }, theirs: null, base: null }))).toEqual([2, 1]);
    expect(conflictCenter(conflict({ ours: null, theirs: { type: 'Point', coordinates: [7, 8] }, base: null }))).toEqual([7, 8]);
    expect(conflictCenter(conflict({ ours: null, theirs: null, base: null }))).toBeNull();
  });
});
