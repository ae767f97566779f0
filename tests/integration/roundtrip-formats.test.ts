/**
 * Issue 3, "import what we export": real records go GeoJSON → project → GeoJSON, CSV and
 * GeoPackage (the CLI, as a user runs it) → a fresh project each → GeoJSON, and every property
 * must come back as it went in. The records carry what used to be lost on the way: alternative
 * names holding ";" (real USGS names such as "Lakeshore (Cyprus Casa Grande; Cyprus Tohono)"),
 * commas (USMIN feature names) and quotes (a NI 43-101 project name), several resource estimates
 * (USMIN Resources.csv), a source's own non-UUID `id` (USMIN Site_ID), and extra properties that
 * are lists and objects. Expected values are read from the source files.
 */
import { parse } from 'csv-parse/sync';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCommand, runCli } from '../helpers/cli';
import { FIXTURES, hasSharedData, readSharedJson, sharedPath } from '../helpers/data';

type Row = Record<string, string>;
const num = (s: string) => Number(s.replace(/,/g, ''));
const readUsmin = (name: string) => parse(readFileSync(sharedPath('deposits', 'usgs-lithium-us-2019', name)), { columns: true, bom: true }) as Row[];
const VALIDATOR = '/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py';

/** The input: USMIN lithium sites with their estimates, and three real names holding ";" or quotes. */
function sourceFeatures() {
  const resources = readUsmin('Resources.csv').filter((r) => (r.Mat_Units === 'tonnes' || r.Mat_Units === 'metric tons') && num(r.Mat_Amnt) >= 0);
  const lithium = readUsmin('Site.csv').map((s) => {
    const id = s['Site_ID *'];
    const rows = resources.filter((r) => r['Site_ID *'] === id);
    // Other names: the site's own list, then its resource units' names ("Smackover-Lanxess, South Unit").
    const names = [...(s.Other_Name === '<Null>' ? [] : s.Other_Name.split('; ')), ...rows.map((r) => r.Ftr_Name)];
    return {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [Number(s.Approx_Lon), Number(s.Approx_Lat)] },
      properties: {
        id, // the source's own id, not Outcrop's
        name: s.Site_Name,
        alt_names: [...new Set(names.filter((n) => n !== s.Site_Name))],
        source: 'USGS USMIN lithium 2019',
        source_id: id,
        resources: rows.map((r) => ({ tonnage: num(r.Mat_Amnt), tonnage_unit: 't', classification: r.Rsrc_Class, year: Number(r.Rsrc_Date), source: r.Ref_ID })),
        usmin_commodities: s.Commodity.split(';').map((w) => w.trim()), // an extra that is a list
        usmin_site: { site_id: id, commodity: s.Commodity }, // an extra that is an object
      },
    };
  });
  // Full names holding ";" kept as an alternative name beside the short name.
  const major = readSharedJson('deposits', 'usgs-major-deposits-world.geojson').features.find((f: any) => f.properties.record_id === '479');
  const ree = readSharedJson('deposits', 'usgs-ree-deposits-world.geojson').features.find((f: any) => f.properties.record_id === '177');
  // A NI 43-101 project whose name holds quotes: Project “81" Area.
  const minmod = parse(readFileSync(join(FIXTURES, 'csv', 'in', 'minmod-excerpt.csv')), { columns: true }) as Row[];
  const quoted = minmod.find((r) => r.name.includes('"'))!;
  const named = [
    { full: major.properties.name, at: major.geometry.coordinates, id: `major-deposits-${major.properties.record_id}` },
    { full: ree.properties.name, at: ree.geometry.coordinates, id: `ree-${ree.properties.record_id}` },
    { full: quoted.name, at: [Number(quoted.longitude), Number(quoted.latitude)], id: quoted.record_id },
  ].map((n) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: n.at },
    properties: { id: n.id, name: n.full.split(' (')[0].split(' “')[0], alt_names: [n.full, ` ${n.full} `] },
  }));
  return { type: 'FeatureCollection', features: [...lithium, ...named] };
}

describe.skipIf(!hasSharedData)('GeoJSON, CSV and GeoPackage exports import back as they were (issue 3)', () => {
  const input = hasSharedData ? sourceFeatures() : { features: [] as any[] };
  let dir: string;
  let before: any[]; // the first project's features, exported to GeoJSON
  const back: Record<string, any[]> = {};
  const imports: Record<string, { code: number | null; stdout: string; stderr: string }> = {};

  const ok = (args: string[]) => {
    const r = runCli(args);
    if (r.code !== 0) throw new Error(`outcrop ${args.join(' ')} → exit ${r.code}\n${r.stderr}`);
    return r;
  };
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')).features as any[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'outcrop-rt-formats-'));
    writeFileSync(join(dir, 'in.geojson'), JSON.stringify(input));
    const a = join(dir, 'a.gpkg');
    ok(['init', a]);
    ok(['import', a, join(dir, 'in.geojson')]);
    ok(['export', a, join(dir, 'a.geojson')]);
    before = read(join(dir, 'a.geojson'));
    for (const ext of ['geojson', 'csv', 'gpkg']) {
      const out = join(dir, `out.${ext}`);
      ok(['export', a, out, ...(ext === 'csv' ? [] : ['--layer', 'deposits'])]);
      const b = join(dir, `b-${ext}.gpkg`);
      ok(['init', b]);
      imports[ext] = runCli(['import', b, out]);
      ok(['export', b, join(dir, `b-${ext}.geojson`)]);
      back[ext] = read(join(dir, `b-${ext}.geojson`));
    }
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the first import keeps every alternative name, estimate and the source id as given', () => {
    expect(before).toHaveLength(input.features.length);
    before.forEach((f, i) => {
      const src = input.features[i].properties;
      expect(f.properties.alt_names).toEqual(src.alt_names);
      // In GeoJSON as extra_id: GDAL would take a properties.id for the feature's id field and drop
      // the Feature's own id, Outcrop's UUID.
      expect(f.properties.extra_id).toBe(src.id);
      expect(f.properties.id).toBeUndefined();
      expect(f.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    });
  });

  for (const ext of ['geojson', 'csv', 'gpkg']) {
    it(`${ext}: every record comes back with the same id and the same properties`, () => {
      expect(imports[ext].code, imports[ext].stderr).toBe(0);
      expect(imports[ext].stdout).toContain(`Imported ${input.features.length} deposits`);
      expect(back[ext].map((f) => f.id)).toEqual(before.map((f) => f.id));
      back[ext].forEach((f, i) => {
        const want = { ...before[i].properties };
        const got = { ...f.properties };
        // A table gives every record every column: an extra property another record has comes
        // back empty (NULL in a GeoPackage, "" in a CSV) where this record had none.
        for (const k of Object.keys(got)) if (!(k in want) && got[k] === (ext === 'csv' ? '' : null)) delete got[k];
        if (ext === 'csv') {
          // CSV has no types for extra properties: a list or object comes back as its text.
          for (const k of ['usmin_commodities', 'usmin_site']) {
            if (want[k] === undefined) continue;
            expect(typeof got[k]).toBe('string');
            delete want[k];
            delete got[k];
          }
        }
        expect({ id: f.id, ...got }).toEqual({ id: f.id, ...want });
        expect(f.geometry.coordinates).toEqual(before[i].geometry.coordinates);
      });
    });
  }

  it('the source id is stored as the property "id" again, whichever format carried it', () => {
    for (const ext of ['geojson', 'csv', 'gpkg']) {
      const db = new Database(join(dir, `b-${ext}.gpkg`), { readonly: true });
      try {
        const ids = db.prepare("SELECT json_extract(extra, '$.id') AS id, json_extract(extra, '$.extra_id') AS extra_id FROM deposits ORDER BY fid").all();
        expect(ids, ext).toEqual(input.features.map((f: any) => ({ id: f.properties.id, extra_id: null })));
      } finally {
        db.close();
      }
    }
  });

  it.skipIf(!hasCommand('ogr2ogr'))('a GDAL copy of the GeoJSON export keeps the records\' ids: into the same project it is refused as already there, into a new one it brings the same records', () => {
    const copy = join(dir, 'gdal-copy.gpkg');
    execFileSync('ogr2ogr', ['-f', 'GPKG', copy, join(dir, 'a.geojson')]);
    const again = runCli(['import', join(dir, 'a.gpkg'), copy]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/a deposit with this id is already in the project/);
    const fresh = join(dir, 'gdal-copy-into.gpkg');
    ok(['init', fresh]);
    ok(['import', fresh, copy]);
    const db = new Database(fresh, { readonly: true });
    try {
      const rows = db.prepare("SELECT id, json_extract(extra, '$.id') AS source FROM deposits ORDER BY fid").all();
      expect(rows).toEqual(before.map((f) => ({ id: f.id, source: f.properties.extra_id })));
    } finally {
      db.close();
    }
  });

  it('GeoPackage: a source with both an "id" and an "extra_id" property gets both back under their names', () => {
    const two = { type: 'FeatureCollection', features: input.features.slice(0, 2).map((f: any) => ({ ...f, properties: { ...f.properties, extra_id: `legacy-${f.properties.id}` } })) };
    const src = join(dir, 'two-ids.geojson');
    writeFileSync(src, JSON.stringify(two));
    const [p, out, q] = ['two-ids.gpkg', 'two-ids-out.gpkg', 'two-ids-back.gpkg'].map((n) => join(dir, n));
    ok(['init', p]);
    ok(['import', p, src]);
    ok(['export', p, out, '--layer', 'deposits']);
    ok(['init', q]);
    ok(['import', q, out]);
    const db = new Database(q, { readonly: true });
    try {
      const rows = db.prepare("SELECT json_extract(extra, '$.id') AS id, json_extract(extra, '$.extra_id') AS extra_id, json_extract(extra, '$.extra_extra_id') AS renamed FROM deposits ORDER BY fid").all();
      expect(rows).toEqual(two.features.map((f: any) => ({ id: f.properties.id, extra_id: `legacy-${f.properties.id}`, renamed: null })));
    } finally {
      db.close();
    }
  });

  it('alternative names with ";", "," and quotes come back whole, by hand from the sources', () => {
    for (const ext of ['geojson', 'csv', 'gpkg']) {
      const byName = new Map(back[ext].map((f) => [f.properties.name, f.properties]));
      expect(byName.get('Lakeshore').alt_names).toEqual(['Lakeshore (Cyprus Casa Grande; Cyprus Tohono)', ' Lakeshore (Cyprus Casa Grande; Cyprus Tohono) ']);
      expect(byName.get('Elisenvaara').alt_names[0]).toBe('Elisenvaara (Elisenvaarskii; includes Kaivimyaki/Kaivomaki and Raivimyaki/ Raivimaki)');
      expect(byName.get('Project').alt_names[0]).toBe('Project “81" Area');
      const smackover = back[ext].find((f) => f.properties.extra_id === 'AR00002').properties;
      expect(smackover.alt_names).toEqual(expect.arrayContaining(['Smackover-Lanxess, South Unit', 'Smackover-Lanxess, Central Unit', 'Smackover-Lanxess, West Unit']));
      // Resources.csv rows 1–3: three Inferred estimates of Eccles and others (2018).
      expect(smackover.resources.map((e: any) => [e.tonnage, e.classification, e.year])).toEqual([[114000, 'Inferred', 2018], [164000, 'Inferred', 2018], [303000, 'Inferred', 2018]]);
    }
  });

  it('CSV: a list cell is "; "-joined unless an item holds a separator, then one JSON array', () => {
    const rows = parse(readFileSync(join(dir, 'out.csv')), { columns: true }) as Row[];
    const byId = new Map(rows.map((r) => [JSON.parse(r.extra_json || '{}').id, r]));
    const lakeshore = byId.get('major-deposits-479')!;
    expect(JSON.parse(lakeshore.alt_names)).toEqual(['Lakeshore (Cyprus Casa Grande; Cyprus Tohono)', ' Lakeshore (Cyprus Casa Grande; Cyprus Tohono) ']);
    // A list whose items hold no separator stays as people write lists: "; "-joined.
    const plain = input.features.find((f: any) => f.properties.alt_names.length > 1 && f.properties.alt_names.every((n: string) => !/[;|]/.test(n) && n.trim() === n))!;
    expect(byId.get(plain.properties.id)!.alt_names).toBe(plain.properties.alt_names.join('; '));
  });

  it('CSV: a resources cell with several estimates is one JSON array, read back as those estimates', () => {
    const rows = parse(readFileSync(join(dir, 'out.csv')), { columns: true }) as Row[];
    const smackover = rows.find((r) => JSON.parse(r.extra_json || '{}').id === 'AR00002')!;
    const estimates = JSON.parse(smackover.resources); // one JSON value, not "; "-joined objects
    // Resources.csv rows 1–3 (Smackover-Lanxess South, Central and West Units).
    expect(estimates.map((e: any) => [e.tonnage, e.classification, e.year, e.source])).toEqual([
      [114000, 'Inferred', 2018, 'Eccles and others (2018)'],
      [164000, 'Inferred', 2018, 'Eccles and others (2018)'],
      [303000, 'Inferred', 2018, 'Eccles and others (2018)'],
    ]);
    const withEstimates = input.features.filter((f: any) => f.properties.resources?.length > 1);
    expect(withEstimates.length).toBeGreaterThan(1);
    for (const src of withEstimates) {
      const f = back.csv.find((x) => x.properties.extra_id === src.properties.id);
      expect(f.properties.resources.map((e: any) => e.tonnage)).toEqual(src.properties.resources.map((e: any) => e.tonnage));
    }
  });

  it('CSV from other tools: a hand-written "Li; Co" style cell is still split into entries', () => {
    // Japan site record 455 as a spreadsheet would hold it: names and commodities "; "-joined.
    const otani = readSharedJson('deposits', 'japan-sites.geojson').features.find((f: any) => f.properties.record_id === '455');
    const csv = join(dir, 'hand.csv');
    writeFileSync(csv, `name,alt_names,commodities_main,longitude,latitude\r\nOtani,"${otani.properties.name}",Li; Co,${otani.geometry.coordinates.join(',')}\r\n`);
    const p = join(dir, 'hand.gpkg');
    ok(['init', p]);
    ok(['import', p, csv]);
    ok(['export', p, join(dir, 'hand.geojson')]);
    const f = read(join(dir, 'hand.geojson'))[0];
    expect(otani.properties.name).toBe('Otani; Ohtani');
    expect(f.properties.alt_names).toEqual(['Otani', 'Ohtani']);
    expect(f.properties.commodities_main).toEqual(['Li', 'Co']);
  });

  it('GeoPackage: list and object columns are marked JSON for GDAL, the source id keeps its name, and the file is valid', () => {
    const gpkg = join(dir, 'out.gpkg');
    const db = new Database(gpkg, { readonly: true });
    try {
      const described = db.prepare("SELECT column_name AS c, name, mime_type AS m FROM gpkg_data_columns WHERE table_name = 'deposits' ORDER BY c").all();
      expect(described).toEqual(
        expect.arrayContaining([
          { c: 'alt_names', name: null, m: 'application/json' },
          { c: 'resources', name: null, m: 'application/json' },
          { c: 'usmin_commodities', name: null, m: 'application/json' },
          { c: 'usmin_site', name: null, m: 'application/json' },
          { c: 'extra_id', name: 'id', m: null },
        ]),
      );
      const row = db.prepare("SELECT extra_id, usmin_site FROM deposits WHERE source_id = 'AR00002'").get() as Row;
      expect(row.extra_id).toBe('AR00002');
      expect(JSON.parse(row.usmin_site)).toEqual({ site_id: 'AR00002', commodity: readUsmin('Site.csv').find((s) => s['Site_ID *'] === 'AR00002')!.Commodity });
    } finally {
      db.close();
    }
    if (hasCommand('ogrinfo')) {
      const info = spawnSync('ogrinfo', ['-al', '-so', gpkg], { encoding: 'utf8' });
      expect(info.status).toBe(0);
      expect(info.stderr).not.toMatch(/Warning|ERROR/);
      for (const c of ['alt_names', 'resources', 'usmin_commodities', 'usmin_site']) expect(info.stdout).toContain(`${c}: String(JSON)`);
    }
    if (existsSync(VALIDATOR)) expect(() => execFileSync('python3', [VALIDATOR, '-k', '--extra', '--warning-as-error', gpkg], { stdio: 'pipe' })).not.toThrow();
  });
});
