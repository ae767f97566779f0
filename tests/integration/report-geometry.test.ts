import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/import/import-file';
import { Project } from '../../src/store/project';
import { hasCommand } from '../helpers/cli';
import { readSharedJson } from '../helpers/data';

// The --skip-invalid report is GeoJSON other programs read: a rejected feature's geometry that
// is no GeoJSON geometry at all (WKT text, an unknown type, coordinates in quotes) goes beside
// the problem as JSON text, not into "geometry" (where GDAL failed on it), and comes out of the
// properties again when the fixed report is imported.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-report-geom-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the report of rejected features', () => {
  it('keeps readable geometries as they were and the others as JSON text beside the problem', async () => {
    const real = readSharedJson('deposits', 'japan-sites.geojson').features.slice(0, 7);
    const [lon, lat] = real[0].geometry.coordinates;
    const broken: [unknown, boolean][] = [
      [real[0].geometry, true], // valid: imported
      [{ type: 'Pointy', coordinates: [lon, lat] }, false],
      [{ type: 'Point', coordinates: [String(lon), String(lat)] }, false],
      [`POINT(${lon} ${lat})`, false],
      [{ type: 'Point', coordinates: [lon + 360, lat] }, true], // out of range, but GeoJSON: kept
      [{ type: 'Polygon', coordinates: [[[lon, lat], [lon + 1, lat], [lon + 1, lat + 1]]] }, true], // open ring: kept
      [{ type: 'Polygon', coordinates: [lon, lat] }, false], // a known type nested wrongly: GDAL reads no geometry
    ];
    const file = join(dir, 'field.geojson');
    writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: real.map((f: any, i: number) => ({ ...f, geometry: broken[i][0] })) }));
    const p = Project.open(join(dir, 'p.gpkg'), { create: true });
    try {
      const report = join(dir, 'rejected.geojson');
      const r = await importFile(p, file, { skipInvalid: true, reportPath: report });
      expect(r.written.deposits).toBe(1);
      expect(r.rejected).toBe(6);
      const rep = JSON.parse(readFileSync(report, 'utf8'));
      expect(rep.features.map((f: any) => f.properties.outcrop_feature_index)).toEqual([1, 2, 3, 4, 5, 6]);
      for (const f of rep.features) {
        const [original, readable] = broken[f.properties.outcrop_feature_index];
        if (readable) {
          expect(f.geometry).toEqual(original);
          expect(f.properties).not.toHaveProperty('outcrop_geometry');
        } else {
          expect(f.geometry).toBeNull();
          expect(JSON.parse(f.properties.outcrop_geometry)).toEqual(original);
        }
        expect(f.properties.name).toBe(real[f.properties.outcrop_feature_index].properties.name);
      }
      if (hasCommand('ogrinfo')) {
        const info = execFileSync('ogrinfo', ['-al', '-so', report], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        expect(info).toMatch(/Feature Count: 6/);
      }

      // Fixed by hand (the quoted coordinates made numbers), the report imports; the kept text goes.
      const fixed = rep.features.find((f: any) => f.properties.outcrop_feature_index === 2);
      fixed.geometry = { type: 'Point', coordinates: JSON.parse(fixed.properties.outcrop_geometry).coordinates.map(Number) };
      const again = join(dir, 'fixed.geojson');
      writeFileSync(again, JSON.stringify({ type: 'FeatureCollection', features: [fixed] }));
      expect((await importFile(p, again)).written.deposits).toBe(1);
      const extra = JSON.parse(p.db.prepare('SELECT extra FROM deposits ORDER BY fid DESC LIMIT 1').pluck().get() as string);
      expect(Object.keys(extra).filter((k) => k.startsWith('outcrop_'))).toEqual([]);
    } finally {
      p.close();
    }
  });
});
