import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFile, type CheckedFeature } from '../../../src/import/pipeline';
import { FIXTURES, hasSharedData, readSharedJson } from '../../helpers/data';
import { distanceM } from './geodesic';

const CSV = join(FIXTURES, 'crs', 'japan-sites-jgd2011-ix-xy.csv');

async function checkAll(path: string, opts = {}): Promise<CheckedFeature[]> {
  const out: CheckedFeature[] = [];
  for await (const c of checkFile(path, opts)) out.push(c);
  return out;
}

describe('CSV with projected x/y and --crs', () => {
  it.skipIf(!hasSharedData)('EPSG:6677 x/y come back to the source WGS 84 positions within 1 mm', async () => {
    const fc = readSharedJson('deposits', 'japan-sites.geojson');
    const src = new Map<string, number[]>(fc.features.map((f: any) => [String(f.properties.record_id), f.geometry.coordinates]));
    const checked = await checkAll(CSV, { crs: 'EPSG:6677', csv: { lon: 'X', lat: 'Y' } });
    expect(checked).toHaveLength(21);
    let maxM = 0;
    for (const c of checked) {
      expect(c.ok, JSON.stringify(!c.ok && c.problems)).toBe(true);
      if (!c.ok) continue;
      maxM = Math.max(maxM, distanceM(c.geometry.coordinates as number[], src.get(String(c.raw.properties.record_id))!));
    }
    console.info(`EPSG:6677 CSV x/y, 21 points: max ${(maxM * 1000).toExponential(2)} mm`);
    expect(maxM * 1000).toBeLessThan(1);
  });

  it('without --crs the metres fail the range checks instead of landing somewhere', async () => {
    const checked = await checkAll(CSV, { csv: { lon: 'X', lat: 'Y' } });
    expect(checked.every((c) => !c.ok)).toBe(true);
  });

  it('an unknown --crs is refused naming the file', async () => {
    await expect(checkAll(CSV, { crs: 'EPSG:1234', csv: { lon: 'X', lat: 'Y' } })).rejects.toThrow(/japan-sites-jgd2011-ix-xy\.csv \(--crs\): unknown CRS "EPSG:1234"/);
  });

  it('GeoJSON refuses --crs (RFC 7946 is WGS 84)', async () => {
    await expect(checkAll(join(FIXTURES, 'geojson', 'japan-sites-first-3.geojson'), { crs: 'EPSG:6677' })).rejects.toThrow(/RFC 7946/);
  });
});
