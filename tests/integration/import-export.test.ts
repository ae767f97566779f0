import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/import/import-file';
import { exportFile } from '../../src/export/export-file';
import { Project } from '../../src/store/project';
import { countRows } from '../../src/store/read';
import { BadInputError, CancelledError, ValidationError } from '../../src/errors';
import { readSharedJson, sharedPath } from '../helpers/data';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-io-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fresh = (name: string) => Project.open(join(dir, name), { create: true, actor: 'tester' });
const counts = (p: Project) => ({ deposits: countRows(p, 'deposits'), surveys: countRows(p, 'surveys') });

describe('GeoJSON → project → GeoJSON round trip on real data', () => {
  // USGS REE deposits of the world (578 points) + 12 valid Earth MRI areas (MultiPolygons with holes)
  const ree = readSharedJson('deposits', 'usgs-ree-deposits-world.geojson');
  const mri = readSharedJson('polygons', 'usgs-earthmri-projects-nm-sw.geojson');
  let e1: any;
  let e2: any;

  beforeAll(async () => {
    const a = fresh('rt-a.gpkg');
    await importFile(a, sharedPath('deposits', 'usgs-ree-deposits-world.geojson'));
    await importFile(a, sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), { skipInvalid: true });
    await exportFile(a, join(dir, 'e1.geojson'));
    a.close();
    e1 = JSON.parse(readFileSync(join(dir, 'e1.geojson'), 'utf8'));
    const b = fresh('rt-b.gpkg');
    await importFile(b, join(dir, 'e1.geojson'));
    await exportFile(b, join(dir, 'e2.geojson'));
    b.close();
    e2 = JSON.parse(readFileSync(join(dir, 'e2.geojson'), 'utf8'));
  });

  it('keeps every point to 1e-7 degrees, in order', () => {
    const pts = e1.features.filter((f: any) => f.geometry.type === 'Point');
    expect(pts).toHaveLength(578);
    pts.forEach((f: any, i: number) => {
      const src = ree.features[i].geometry.coordinates;
      expect(Math.abs(f.geometry.coordinates[0] - src[0])).toBeLessThan(1e-7);
      expect(Math.abs(f.geometry.coordinates[1] - src[1])).toBeLessThan(1e-7);
    });
  });

  it('keeps every polygon vertex to 1e-7 (rings may only be reversed to RFC 7946 winding)', () => {
    const polys = e1.features.filter((f: any) => f.geometry.type === 'MultiPolygon');
    const srcValid = mri.features.filter((f: any) => f.properties.pid !== 20047);
    expect(polys).toHaveLength(srcValid.length);
    polys.forEach((f: any, i: number) => {
      const src = srcValid[i].geometry.coordinates;
      expect(f.geometry.coordinates).toHaveLength(src.length);
      f.geometry.coordinates.forEach((poly: number[][][], j: number) => {
        poly.forEach((ring, k) => {
          const s = src[j][k];
          // outlines counter-clockwise, holes clockwise: the stored ring equals the source ring or its reverse
          const same = ring.length === s.length && ring.every((p, n) => Math.abs(p[0] - s[n][0]) < 1e-7 && Math.abs(p[1] - s[n][1]) < 1e-7);
          const rev = [...s].reverse();
          const reversed = ring.length === s.length && ring.every((p, n) => Math.abs(p[0] - rev[n][0]) < 1e-7 && Math.abs(p[1] - rev[n][1]) < 1e-7);
          expect(same || reversed, `feature ${i} part ${j} ring ${k}`).toBe(true);
        });
      });
    });
  });

  it('keeps every source property: mapped onto the model or verbatim', () => {
    const pts = e1.features.filter((f: any) => f.geometry.type === 'Point');
    // Mapping of MinMod columns (docs/data-model.md), applied by hand here
    const mapped: Record<string, string> = { name: 'name', country: 'country', state_or_province: 'admin_area', dataset: 'source', record_id: 'source_id', source_id: 'source_url', deposit_type: 'deposit_type_text' };
    pts.forEach((f: any, i: number) => {
      const src = ree.features[i].properties;
      for (const [k, v] of Object.entries(src)) {
        if (v === '' || v === null) continue;
        if (k === 'commodities' || k === 'aliases') continue; // checked below
        if (mapped[k]) {
          if (k === 'name' && !v) continue;
          expect(f.properties[mapped[k]], `${i}.${k}`).toEqual(v);
        } else {
          expect(f.properties[k], `${i}.${k}`).toEqual(v);
        }
      }
      if (src.aliases) expect(f.properties.alt_names).toEqual(String(src.aliases).split('; '));
    });
    // a known real record: Mountain Pass, California, carbonatite REE. Its source commodity list
    // names minerals too ("Pyrite; Quartz; Dolomite; Lanthanum; …"): pyrite is an ore mineral, not a
    // commodity, so the verbatim source text is kept beside the mapped codes.
    const mp = pts.find((f: any) => f.properties.name === 'Mountain Pass');
    const mpSrc = ree.features.find((f: any) => f.properties.name === 'Mountain Pass').properties;
    expect(mp.properties.commodities_main).toEqual(expect.arrayContaining(['La', 'Pr', 'Nd', 'Dy', 'Tb', 'Ce', 'Y']));
    expect(mp.properties.commodities_main).not.toContain('FeS2');
    expect(mp.properties.commodities).toBe(mpSrc.commodities);
    expect(mp.properties.deposit_type).toBe('carbonatite-ree');
    expect(mp.properties.admin_area).toBe('California');
  });

  it('is exact on the second trip: export → import → export gives identical features', () => {
    expect(e2.features).toHaveLength(e1.features.length);
    expect(e2.features).toEqual(e1.features);
  });
});

describe('atomic imports and bad input', () => {
  it('a cancelled import leaves the project unchanged', async () => {
    const p = fresh('cancel.gpkg');
    await importFile(p, sharedPath('deposits', 'japan-sites.geojson'));
    const before = counts(p);
    const ac = new AbortController();
    let seen = 0;
    const run = importFile(p, sharedPath('deposits', 'minmod-mineral-sites-located.csv.gz'), {
      skipInvalid: true,
      signal: ac.signal,
      onProgress: (pr) => {
        if (pr.phase === 'import' && pr.done >= 20000 && !seen) {
          seen = pr.done;
          ac.abort();
        }
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(seen).toBeGreaterThanOrEqual(20000);
    expect(counts(p)).toEqual(before);
    expect((p.db.prepare(`SELECT count(*) n FROM outcrop_ops WHERE kind = 'import'`).get() as any).n).toBe(1);
    p.close();
  });

  it('one bad feature rejects the whole file; every problem is named', async () => {
    const p = fresh('atomic.gpkg');
    const src = readSharedJson('deposits', 'japan-sites.geojson');
    src.features[100].geometry.coordinates = [141.5, 95]; // latitude out of range
    src.features[150].properties.commodities = 'kryptonite';
    const f = join(dir, 'japan-broken.geojson');
    writeFileSync(f, JSON.stringify(src));
    const err = await importFile(p, f).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    const problems = (err as ValidationError).problems;
    expect(problems.map((x) => [x.file, x.featureIndex])).toEqual([
      ['japan-broken.geojson', 100],
      ['japan-broken.geojson', 150],
    ]);
    expect(problems[0].message).toMatch(/latitude 95/);
    expect(problems[1].field).toBe('commodities');
    expect(counts(p)).toEqual({ deposits: 0, surveys: 0 });
    p.close();
  });

  it('stores hostile strings verbatim: HTML, SQL, emoji, Japanese', async () => {
    const p = fresh('hostile.gpkg');
    const strings = {
      name: `<script>alert("x")</script>'; DROP TABLE deposits; --`,
      name_ja: '釜石鉱山 🪨 「テスト」',
      notes: 'line1\nline2\ttab \u0000 nul \u202e rtl',
      'weird_key_😀': 'emoji key',
    };
    const f = join(dir, 'hostile.geojson');
    writeFileSync(f, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: strings, geometry: { type: 'Point', coordinates: [141.88, 39.27] } }] }));
    await importFile(p, f);
    await exportFile(p, join(dir, 'hostile-out.geojson'));
    const out = JSON.parse(readFileSync(join(dir, 'hostile-out.geojson'), 'utf8')).features[0].properties;
    expect(out.name).toBe(strings.name);
    expect(out.name_ja).toBe(strings.name_ja);
    expect(out.notes).toBe(strings.notes);
    expect(out['weird_key_😀']).toBe('emoji key');
    expect(countRows(p, 'deposits')).toBe(1); // the table is still there
    p.close();
  });

  it('a 60 MB property string is refused with a clear message, not a crash', async () => {
    const p = fresh('big-string.gpkg');
    const f = join(dir, 'big-string.geojson');
    writeFileSync(f, `{"type":"FeatureCollection","features":[{"type":"Feature","id":"big","properties":{"name":"x","notes":"${'a'.repeat(60 * 1024 * 1024)}"},"geometry":{"type":"Point","coordinates":[1,2]}}]}`);
    const err = await importFile(p, f).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.problems[0]).toMatchObject({ file: 'big-string.geojson', featureIndex: 0, field: 'notes' });
    expect(err.problems[0].message).toMatch(/60\.0 MiB.*limit is 1 MiB/);
    p.close();
  });

  it('a deeply nested GeometryCollection and a binary file named .geojson give clear errors', async () => {
    const p = fresh('nested.gpkg');
    const deep = join(dir, 'deep.geojson');
    const depth = 100_000;
    writeFileSync(deep, '{"type":"Feature","properties":{},"geometry":' + '{"type":"GeometryCollection","geometries":['.repeat(depth) + ']}'.repeat(depth) + '}');
    await expect(importFile(p, deep)).rejects.toThrow(/deep\.geojson.*nested deeper than 64 levels/);
    const bin = join(dir, 'photo.geojson');
    writeFileSync(bin, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]));
    const e = await importFile(p, bin).catch((x) => x);
    expect(e).toBeInstanceOf(BadInputError);
    expect(e.message).toMatch(/photo\.geojson is a binary file/);
    expect(counts(p)).toEqual({ deposits: 0, surveys: 0 });
    p.close();
  });

  it('--skip-invalid stores the valid features and writes a report of the others', async () => {
    const p = fresh('skip.gpkg');
    const report = join(dir, 'skip-report.geojson');
    const r = await importFile(p, sharedPath('polygons', 'japan-prefectures.geojson'), { skipInvalid: true, reportPath: report });
    // 27 of the 47 prefecture outlines (quantised TopoJSON) self-intersect; GEOS agrees
    expect(r.written.surveys).toBe(20);
    expect(r.rejected).toBe(27);
    expect(existsSync(report)).toBe(true);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(rep.features).toHaveLength(27);
    expect(rep.features[0].properties.outcrop_problems[0]).toMatch(/crosses|overlap|spike|touch/);
    p.close();
  });

  it("re-importing the project's own export: each id it already has is a problem naming file, feature and id; --skip-invalid imports only the new ones", async () => {
    const p = fresh('reimport.gpkg');
    await importFile(p, sharedPath('deposits', 'japan-sites.geojson'));
    const exported = join(dir, 'japan-export.geojson');
    await exportFile(p, exported);
    const fc = JSON.parse(readFileSync(exported, 'utf8'));
    // The export edited elsewhere: one new site (no id) put in the middle.
    const edited = join(dir, 'japan-edited.geojson');
    const added = { type: 'Feature', properties: { name: 'Hishikari (new record)', commodities_main: ['Au'] }, geometry: { type: 'Point', coordinates: [130.65, 32.0] } };
    writeFileSync(edited, JSON.stringify({ ...fc, features: [...fc.features.slice(0, 5), added, ...fc.features.slice(5)] }));
    const before = counts(p);

    const err = await importFile(p, edited).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    const problems = (err as ValidationError).problems;
    expect(problems).toHaveLength(207); // every clash is listed, not just the first
    expect(problems[0]).toMatchObject({ file: 'japan-edited.geojson', featureIndex: 0, featureId: fc.features[0].id, field: 'id', code: 'import.depositIdExists' });
    expect(problems[5]).toMatchObject({ featureIndex: 6, featureId: fc.features[5].id });
    expect((err as Error).message).toMatch(/^japan-edited\.geojson: 207 of 208 features .*feature 0 "id": a deposit with this id is already in the project/);
    expect(counts(p)).toEqual(before);

    // The first import of japan-sites.geojson, seen again: said, not refused (no ids to clash).
    const again = await importFile(p, sharedPath('deposits', 'japan-sites.geojson'));
    expect(again.written.deposits).toBe(207);
    expect(again.importedBefore).toMatchObject({ features: 207, by: 'tester' });
    const other = fresh('reimport-other.gpkg');
    expect((await importFile(other, sharedPath('deposits', 'japan-sites.geojson'))).importedBefore).toBeUndefined();
    other.close();
    before.deposits += 207;

    const report = join(dir, 'reimport-rejected.geojson');
    const r = await importFile(p, edited, { skipInvalid: true, reportPath: report });
    expect(r.written.deposits).toBe(1);
    expect(r.rejected).toBe(207);
    expect(counts(p).deposits).toBe(before.deposits + 1);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(rep.features).toHaveLength(207);
    // The report holds the rejected features as they were in the file (fields and geometry).
    expect(rep.features[0]).toMatchObject({ id: fc.features[0].id, geometry: fc.features[0].geometry, properties: { name: fc.features[0].properties.name, outcrop_feature_index: 0 } });
    expect(rep.features[0].properties.outcrop_problems[0]).toMatch(/^id: a deposit with this id is already in the project/);
    p.close();
  });
});

describe('a bare GeoJSON geometry (an area or point saved on its own)', () => {
  it('imports as one feature named after its file, in the layer its type says', async () => {
    const mri = readSharedJson('polygons', 'usgs-earthmri-projects-nm-sw.geojson').features[0];
    const site = readSharedJson('deposits', 'japan-sites.geojson').features[0];
    const area = join(dir, 'Earth MRI area.geojson');
    writeFileSync(area, JSON.stringify(mri.geometry));
    const point = join(dir, `${site.properties.name}.geojson`);
    writeFileSync(point, JSON.stringify(site.geometry));
    const p = fresh('bare.gpkg');
    try {
      expect((await importFile(p, area)).written).toEqual({ deposits: 0, surveys: 1 });
      expect((await importFile(p, point)).written).toEqual({ deposits: 1, surveys: 0 });
      expect(p.db.prepare('SELECT name FROM surveys').pluck().all()).toEqual(['Earth MRI area']);
      const d = p.db.prepare('SELECT name, geom FROM deposits').get() as { name: string; geom: Buffer };
      expect(d.name).toBe(site.properties.name);
      expect([d.geom.readDoubleLE(d.geom.length - 16), d.geom.readDoubleLE(d.geom.length - 8)]).toEqual(site.geometry.coordinates.slice(0, 2));
    } finally {
      p.close();
    }
  });
});

describe('bilingual exports', () => {
  it('--labels ja writes Japanese vocabulary labels, and importing that file gives back the same records', async () => {
    const a = fresh('labels-a.gpkg');
    await importFile(a, sharedPath('deposits', 'japan-sites.geojson'));
    await exportFile(a, join(dir, 'codes.geojson'));
    await exportFile(a, join(dir, 'ja.geojson'), { labels: 'ja' });
    a.close();
    const ja = JSON.parse(readFileSync(join(dir, 'ja.geojson'), 'utf8'));
    const codes = JSON.parse(readFileSync(join(dir, 'codes.geojson'), 'utf8'));
    const i = codes.features.findIndex((f: any) => f.properties.commodities_main.includes('Cu'));
    expect(ja.features[i].properties.commodities_main).toContain('銅');
    expect(ja.features[i].properties.commodities_main).not.toContain('Cu');
    const b = fresh('labels-b.gpkg');
    await importFile(b, join(dir, 'ja.geojson'));
    await exportFile(b, join(dir, 'codes-again.geojson'));
    b.close();
    expect(JSON.parse(readFileSync(join(dir, 'codes-again.geojson'), 'utf8')).features).toEqual(codes.features);
  });
});
