import { describe, expect, it } from 'vitest';
import { assignHoles, nearestVertex, roundPosition } from '../../../renderer/map/draw.geometry';
import { fieldProblems } from '../../../renderer/panels/feature-form.model';
import { readSharedJson } from '../../helpers/data';

describe('snapping', () => {
  // Real candidates (the Japanese sites), on a plain equirectangular screen (1 px = 0.01°).
  const sites: [number, number][] = readSharedJson('deposits', 'japan-sites.geojson').features.map((f: any) => f.geometry.coordinates);
  const toScreen = (p: number[]): [number, number] => [p[0] * 100, -p[1] * 100];

  it('picks the nearest candidate within the distance, exactly as stored', () => {
    const target = sites[17];
    const [x, y] = toScreen(target);
    // Brute force over every pair: the nearest site to the pointer 3 px off the target.
    const at: [number, number] = [x + 3, y - 2];
    const byDistance = [...sites].sort((a, b) => Math.hypot(toScreen(a)[0] - at[0], toScreen(a)[1] - at[1]) - Math.hypot(toScreen(b)[0] - at[0], toScreen(b)[1] - at[1]));
    expect(nearestVertex(sites, at, toScreen, 10)).toEqual(byDistance[0]);
  });

  it('returns null when nothing is within the distance', () => {
    expect(nearestVertex(sites, [0, 0], toScreen, 10)).toBeNull();
    expect(nearestVertex([], [0, 0], toScreen, 10)).toBeNull();
  });

  it('rounds to the pen precision', () => {
    expect(roundPosition([140.123456789123, 39.987654321987], 9)).toEqual([140.123456789, 39.987654322]);
  });
});

describe('holes go back to the part that contains them', () => {
  const a = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]];
  const b = [[20, 0], [30, 0], [30, 10], [20, 10], [20, 0]];
  const holeInB = [[22, 2], [24, 2], [24, 4], [22, 2]];
  const holeInA = [[2, 2], [4, 2], [4, 4], [2, 2]];
  it('assigns each hole to its own part', () => {
    expect(assignHoles([a, b], [holeInB, holeInA])).toEqual([[a, holeInA], [b, holeInB]]);
  });
  it('keeps a hole outside every part (on the first) so the core names the problem', () => {
    const outside = [[50, 50], [51, 50], [51, 51], [50, 50]];
    expect(assignHoles([a, b], [outside])).toEqual([[a, outside], [b]]);
  });
});

describe('problems grouped by form field', () => {
  it('groups coordinate and resource paths under their field and keeps the path in the message', () => {
    const g = fieldProblems([
      { field: 'name', message: 'name is required' },
      { field: 'resources[0].grade', message: '150 % is more than the whole rock' },
      { field: 'geometry.coordinates[0][2]', message: 'outline crosses itself' },
      { field: 'geometry.coordinates[0][2]', message: 'outline crosses itself' },
      { message: 'something general' },
    ]);
    expect(Object.fromEntries(g)).toEqual({
      name: ['name is required'],
      resources: ['[0].grade: 150 % is more than the whole rock'],
      geometry: ['coordinates[0][2]: outline crosses itself'],
      '': ['something general'],
    });
  });
});
