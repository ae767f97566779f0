import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
      maxM = Math.max(maxM, distanceM(c.geometry!.coordinates as number[], src.get(String(c.raw.properties.record_id))!));
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

  it.skipIf(!hasSharedData)('GeoJSON naming a CRS Outcrop does not know is refused, naming the file; --crs then says it', async () => {
    // The fixture's EPSG:6677 metres as a GeoJSON whose "crs" member names a code Outcrop lacks.
    const rows = readFileSync(CSV, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const dir = mkdtempSync(join(tmpdir(), 'outcrop-gjcrs-'));
    const file = join(dir, 'jgd-ix.geojson');
    writeFileSync(
      file,
      JSON.stringify({
        type: 'FeatureCollection',
        crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::999999' } },
        features: rows.map((r) => ({ type: 'Feature', properties: { record_id: r[2].replace(/"/g, ''), name: r[3] }, geometry: { type: 'Point', coordinates: [Number(r[0]), Number(r[1])] } })),
      }),
    );
    try {
      await expect(checkAll(file)).rejects.toThrow(/jgd-ix\.geojson \("crs" member\): unknown CRS "urn:ogc:def:crs:EPSG::999999"/);
      const fc = readSharedJson('deposits', 'japan-sites.geojson');
      const src = new Map<string, number[]>(fc.features.map((f: any) => [String(f.properties.record_id), f.geometry.coordinates]));
      const checked = await checkAll(file, { crs: 'EPSG:6677' });
      expect(checked).toHaveLength(21);
      for (const c of checked) {
        expect(c.ok).toBe(true);
        if (c.ok) expect(distanceM(c.geometry!.coordinates as number[], src.get(String(c.raw.properties.record_id))!)).toBeLessThan(0.001);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
