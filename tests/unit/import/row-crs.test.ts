import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { distance } from '@turf/turf';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/import/import-file';
import { exportFile } from '../../../src/export/export-file';
import { checkFile } from '../../../src/import/pipeline';
import { Project } from '../../../src/store/project';
import { decodeGeometry } from '../../../src/store/gpkg/geometry-blob';
import { hasCommand } from '../../helpers/cli';
import { sharedPath } from '../../helpers/data';

// MinMod's "crs" column: 7,720 of the 110,459 sites (the Alaska Resource Data File) are NAD27,
// the rest WGS 84. Here 60 real ARDF rows, 60 WGS 84 rows and rows with an empty cell.
let dir: string;
let rows: Record<string, string>[];
let nad27: Record<string, string>[];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-rowcrs-'));
  const all = Papa.parse<Record<string, string>>(gunzipSync(readFileSync(sharedPath('deposits', 'minmod-mineral-sites-located.csv.gz'))).toString('utf8'), { header: true, skipEmptyLines: true }).data;
  nad27 = all.filter((r) => r.crs === 'EPSG:4267').slice(0, 60);
  rows = [...nad27, ...all.filter((r) => r.crs === 'EPSG:4326').slice(0, 60), ...all.filter((r) => r.crs === '').slice(0, 10)];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, data: Record<string, string>[]) => {
  const path = join(dir, name);
  writeFileSync(path, Papa.unparse(data));
  return path;
};

async function imported(path: string) {
  const p = Project.open(join(dir, `${Math.random().toString(36).slice(2)}.gpkg`), { create: true });
  try {
    const r = await importFile(p, path, { skipInvalid: true });
    const at = new Map((p.db.prepare('SELECT source_id, geom FROM deposits').all() as { source_id: string; geom: Buffer }[]).map((x) => [x.source_id, (decodeGeometry(x.geom) as { coordinates: number[] }).coordinates]));
    return { r, at };
  } finally {
    p.close();
  }
}

describe('a CSV whose rows say their CRS', () => {
  it('NAD27 rows are converted to WGS 84, WGS 84 and empty ones kept, and the import says how many', async () => {
    const { r, at } = await imported(write('minmod-mixed.csv', rows));
    expect(r.written.deposits).toBe(rows.length);
    expect(r.rowCrs).toEqual([{ column: 'crs', name: 'NAD27', code: 4267, note: expect.stringMatching(/NADCON/), rows: 60 }]);
    for (const row of rows) {
      const [x, y] = at.get(row.record_id)!;
      const given = [Number(row.longitude), Number(row.latitude)];
      const moved = distance(given, [x, y], { units: 'meters' });
      if (row.crs === 'EPSG:4267') expect(moved, row.record_id).toBeGreaterThan(50); // NAD27 → WGS 84 in Alaska: ~100 m
      else expect([x, y], row.record_id).toEqual(given);
    }
  });

  it.skipIf(!hasCommand('gdaltransform'))('the NAD27 conversion agrees with GDAL/PROJ to within the 3-parameter shift’s tens of metres', async () => {
    const { at } = await imported(write('minmod-nad27.csv', nad27));
    const input = nad27.map((r) => `${r.longitude} ${r.latitude}`).join('\n') + '\n';
    const gdal = execFileSync('gdaltransform', ['-s_srs', 'EPSG:4267', '-t_srs', 'EPSG:4326', '-output_xy'], { input, encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/).map(Number));
    nad27.forEach((row, i) => {
      expect(distance(at.get(row.record_id)!, gdal[i], { units: 'meters' }), row.record_id).toBeLessThan(40);
    });
  });

  it('a value that names no CRS rejects that row, naming the column; validate says the same', async () => {
    const bad = rows.slice(0, 4).map((r, i) => (i === 2 ? { ...r, crs: 'Alaska grid 7' } : r));
    const path = write('bad-crs.csv', bad);
    const { r } = await imported(path);
    expect(r.written.deposits).toBe(3);
    expect(r.rejected).toBe(1);
    expect(r.problems).toEqual([expect.objectContaining({ file: 'bad-crs.csv', featureIndex: 2, field: 'crs', code: 'csv.rowCrsUnknown', message: expect.stringMatching(/"Alaska grid 7", which is not a CRS Outcrop knows/) })]);
    const checked = [];
    for await (const c of checkFile(path)) checked.push(c);
    expect(checked.filter((c) => !c.ok)).toHaveLength(1);
  });

  it('a position the named CRS cannot take to WGS 84 rejects that row, naming index, coordinate, position and CRS; so does --crs', async () => {
    // Row 3 says JGD2011 / Japan Plane Rectangular CS IX, but holds microdegrees: far outside the projection.
    const far = rows.slice(0, 4).map((r, i) => (i === 3 ? { ...r, crs: 'EPSG:6677', longitude: String(Number(r.longitude) * 1e6), latitude: String(Number(r.latitude) * 1e6) } : r));
    const path = write('far.csv', far);
    const reason = `position [${far[3].longitude}, ${far[3].latitude}] cannot be converted from JGD2011 / Japan Plane Rectangular CS IX to WGS 84: it lies outside the area that CRS is defined for`;
    const { r } = await imported(path);
    expect(r.rejected).toBe(1);
    expect(r.problems).toEqual([expect.objectContaining({ file: 'far.csv', featureIndex: 3, line: 5, field: 'geometry.coordinates', code: 'crs.outsideArea', message: reason })]);
    const p = Project.open(join(dir, 'far-whole.gpkg'), { create: true });
    try {
      const whole = await importFile(p, write('far-whole.csv', [far[0], far[3]].map(({ crs: _, ...row }) => row)), { crs: 'EPSG:6677', skipInvalid: true });
      expect(whole.problems).toEqual([expect.objectContaining({ file: 'far-whole.csv', featureIndex: 1, field: 'geometry.coordinates', code: 'crs.outsideArea', message: reason })]);
    } finally {
      p.close();
    }
  });

  it('names such as NAD83 or JGD2011 are understood; --crs for the whole file wins over the column', async () => {
    const named = rows.slice(0, 3).map((r) => ({ ...r, crs: 'NAD83' }));
    const { r } = await imported(write('named.csv', named));
    expect(r.rowCrs).toEqual([expect.objectContaining({ name: expect.stringMatching(/NAD83/), code: 4269, rows: 3 })]);
    const p = Project.open(join(dir, 'whole.gpkg'), { create: true });
    try {
      const whole = await importFile(p, write('whole.csv', nad27.slice(0, 3)), { crs: 'EPSG:4326' });
      expect(whole.rowCrs).toBeUndefined();
    } finally {
      p.close();
    }
  });

  it('a CSV export imported again lands where the first import put each row, also when exported in NAD27', async () => {
    const first = Project.open(join(dir, 'roundtrip.gpkg'), { create: true });
    const out = join(dir, 'roundtrip.csv');
    const nad = join(dir, 'roundtrip-nad27.csv');
    try {
      await importFile(first, write('minmod-roundtrip.csv', rows), { skipInvalid: true });
      await exportFile(first, out);
      await exportFile(first, nad, { crs: 'EPSG:4267' });
    } finally {
      first.close();
    }
    const { at: once } = await imported(write('minmod-again.csv', rows));
    const exported = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8'), { header: true, skipEmptyLines: true }).data;
    // Converted rows now say what their stored coordinates are in, and keep where they came from.
    const ardf = exported.find((r) => r.source_id === nad27[0].record_id)!;
    expect(ardf).toMatchObject({ crs: 'EPSG:4326', crs_source: 'EPSG:4267' });
    const { r, at: twice } = await imported(out);
    expect(r.rowCrs).toBeUndefined(); // nothing to convert the second time
    for (const row of rows) expect(twice.get(row.record_id), row.record_id).toEqual(once.get(row.record_id));
    // Exported in NAD27: every row's cell says so, and the file comes back to the same places
    // (within the conversion's round-trip error: centimetres, against ~100 m for a second shift).
    const inNad = Papa.parse<Record<string, string>>(readFileSync(nad, 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(new Set(inNad.filter((x) => x.crs !== '').map((x) => x.crs))).toEqual(new Set(['EPSG:4267']));
    const { at: back } = await imported(nad);
    for (const row of rows.filter((x) => x.crs !== '')) expect(distance(back.get(row.record_id)!, once.get(row.record_id)!, { units: 'meters' }), row.record_id).toBeLessThan(0.1);
  });

  it('a "Datum" column of dates is no CRS column: imported as data, exported unchanged; one naming NAD27 is', async () => {
    const dated = rows.filter((r) => r.crs !== 'EPSG:4267').slice(0, 20).map(({ crs, ...r }, i) => ({ ...r, Datum: `2019-04-${String(i + 1).padStart(2, '0')}` }));
    const p = Project.open(join(dir, 'datum-dates.gpkg'), { create: true });
    const out = join(dir, 'datum-dates.csv');
    try {
      const r = await importFile(p, write('datum-dates.csv', dated));
      expect(r.written.deposits).toBe(20);
      expect(r.rowCrs).toBeUndefined();
      await exportFile(p, out);
    } finally {
      p.close();
    }
    const back = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(back.map((x) => x.Datum).sort()).toEqual(dated.map((x) => x.Datum).sort());
    // The same real NAD27 rows with their CRS under "datum" are converted as under "crs".
    const { r, at } = await imported(write('datum-nad27.csv', nad27.map(({ crs, ...x }) => ({ ...x, datum: crs }))));
    expect(r.rowCrs).toEqual([expect.objectContaining({ column: 'datum', code: 4267, rows: nad27.length })]);
    const { at: viaCrs } = await imported(write('crs-nad27.csv', nad27));
    for (const x of nad27) expect(at.get(x.record_id)).toEqual(viaCrs.get(x.record_id));
  });
});
