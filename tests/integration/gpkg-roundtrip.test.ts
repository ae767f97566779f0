/**
 * Outcrop reads back its own GeoPackage export: real deposits (USGS REE, Japan sites, USGS
 * lithium sites with their resource estimates) and real Earth MRI survey areas go into a
 * project, out to a .gpkg (list fields as JSON text), into a fresh project, and both projects
 * out to GeoJSON. The model fields must be equal, nothing may come back as a "*_original"
 * extra, and the values are checked against the source files themselves.
 */
import { parse } from 'csv-parse/sync';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { hasSharedData, readSharedJson, sharedPath } from '../helpers/data';

const DEPOSIT_FIELDS = [
  'name', 'name_ja', 'name_romaji', 'alt_names', 'commodities_main', 'commodities_secondary', 'commodities_trace',
  'deposit_type', 'deposit_type_text', 'status', 'resources', 'host_rock', 'host_rock_unit', 'ore_minerals',
  'gangue_minerals', 'country', 'admin_area', 'county', 'region', 'agency', 'observer', 'survey_id', 'notes',
  'source', 'source_id', 'source_url', 'created_at', 'updated_at', 'created_by', 'updated_by',
];
const SURVEY_FIELDS = [
  'name', 'agency', 'team', 'country', 'methods', 'start_date', 'end_date', 'status', 'notes', 'source',
  'source_id', 'source_url', 'created_at', 'updated_at', 'created_by', 'updated_by',
];

/** Survey methods per Earth MRI project, read by hand from each project's `program`. */
const METHODS_BY_PID: Record<string, string[]> = {
  1014: ['geophysics'], // Geophysics / Magnetic and Radiometric
  1034: ['geophysics'],
  1054: ['geophysics'],
  5013: ['geological-mapping', 'geochemistry'], // Geologic mapping, geochemistry
  5027: ['geological-mapping', 'geochemistry'],
  5029: ['geological-mapping', 'geochemistry'],
  5059: ['geological-mapping', 'geochemistry'],
  20033: ['geochemistry'], // Reconnaissance geochemistry
  20038: ['geochemistry'],
  40001: ['geochemistry'], // Mine waste characterization ("Geochemistry of critical minerals in mine wastes")
  40011: ['geochemistry'],
  50001: ['remote-sensing'], // Hyperspectral
};

/** USMIN commodity words that are elements, with their symbols (the rest, e.g. potash, salt, stay text). */
const ELEMENTS: Record<string, string> = {
  lithium: 'Li', bromine: 'Br', boron: 'B', tungsten: 'W', tin: 'Sn', zinc: 'Zn', lead: 'Pb', sodium: 'Na',
  potassium: 'K', calcium: 'Ca', magnesium: 'Mg', strontium: 'Sr', barium: 'Ba', rubidium: 'Rb', cesium: 'Cs',
  iron: 'Fe', manganese: 'Mn', fluorine: 'F', chlorine: 'Cl',
};
const GRADE_UNITS: Record<string, string> = { percent: '%', 'weight percent': '%', 'parts per million': 'ppm', 'milligrams per liter': 'mg/L' };
const num = (s: string) => Number(s.replace(/,/g, ''));

type Row = Record<string, string>;
const readCsv = (name: string) => parse(readFileSync(sharedPath('deposits', 'usgs-lithium-us-2019', name)), { columns: true, bom: true }) as Row[];

/**
 * The USGS lithium sites (Site.csv) as GeoJSON, with their resource estimates from
 * Resources.csv (non-negative tonnages in tonnes only), alias lists as arrays and element commodities.
 */
function lithiumGeoJson() {
  // USMIN codes some amounts as negative numbers (see its metadata); those are left out.
  const resources = readCsv('Resources.csv').filter((r) => (r.Mat_Units === 'tonnes' || r.Mat_Units === 'metric tons') && num(r.Mat_Amnt) >= 0);
  const features = readCsv('Site.csv').map((s) => {
    const id = s['Site_ID *'];
    const words = s.Commodity.split(';').map((w) => w.trim());
    const estimates = resources
      .filter((r) => r['Site_ID *'] === id)
      .map((r) => {
        const e: Record<string, unknown> = { tonnage: num(r.Mat_Amnt), tonnage_unit: 't', classification: r.Rsrc_Class, year: Number(r.Rsrc_Date), source: r.Ref_ID };
        const symbol = /\(([A-Z][a-z]?)\)$/.exec(r.Material)?.[1];
        if (symbol && Object.values(ELEMENTS).includes(symbol)) e.commodity = symbol;
        if (GRADE_UNITS[r.Grade_Unit] && Number.isFinite(num(r.Grade))) Object.assign(e, { grade: num(r.Grade), grade_unit: GRADE_UNITS[r.Grade_Unit] });
        return e;
      });
    return {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [Number(s.Approx_Lon), Number(s.Approx_Lat)] },
      properties: {
        name: s.Site_Name,
        alt_names: s.Other_Name === '<Null>' ? [] : s.Other_Name.split('; '),
        commodities_main: words.filter((w) => ELEMENTS[w]).map((w) => ELEMENTS[w]),
        usmin_commodity: s.Commodity,
        source: 'USGS USMIN lithium 2019',
        source_id: id,
        resources: estimates,
      },
    };
  });
  return { type: 'FeatureCollection', features };
}

describe.skipIf(!hasSharedData)('GeoPackage export → import round trip on real data', () => {
  const ree = readSharedJson('deposits', 'usgs-ree-deposits-world.geojson');
  const japan = readSharedJson('deposits', 'japan-sites.geojson');
  const mri = readSharedJson('polygons', 'usgs-earthmri-projects-nm-sw.geojson');
  const lithium = lithiumGeoJson();
  const resourceRows = lithium.features.reduce((n, f) => n + f.properties.resources.length, 0);
  let dir: string;
  let a: any; // first project, exported to GeoJSON
  let b: any; // the project made from the first one's .gpkg export
  const reimports: { code: number | null; stdout: string; stderr: string }[] = [];

  const ok = (args: string[]) => {
    const r = runCli(args);
    if (r.code !== 0) throw new Error(`outcrop ${args.join(' ')} → exit ${r.code}\n${r.stderr}`);
    return r;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'outcrop-gpkg-rt-'));
    const p = join(dir, 'a.gpkg');
    const q = join(dir, 'b.gpkg');
    const gpkg = join(dir, 'out.gpkg');
    writeFileSync(join(dir, 'lithium.geojson'), JSON.stringify(lithium));
    ok(['init', p]);
    ok(['import', p, sharedPath('deposits', 'usgs-ree-deposits-world.geojson')]);
    ok(['import', p, sharedPath('deposits', 'japan-sites.geojson')]);
    ok(['import', p, join(dir, 'lithium.geojson')]);
    ok(['import', p, sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), '--layer', 'surveys', '--skip-invalid']);
    ok(['export', p, gpkg]);
    ok(['export', p, join(dir, 'a.geojson')]);
    ok(['init', q]);
    for (const layer of ['deposits', 'surveys']) reimports.push(runCli(['import', q, gpkg, '--source-layer', layer]));
    ok(['export', q, join(dir, 'b.geojson')]);
    a = JSON.parse(readFileSync(join(dir, 'a.geojson'), 'utf8'));
    b = JSON.parse(readFileSync(join(dir, 'b.geojson'), 'utf8'));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const deposits = (fc: any) => fc.features.filter((f: any) => f.geometry.type === 'Point');
  const surveys = (fc: any) => fc.features.filter((f: any) => f.geometry.type !== 'Point');

  it('imports the whole export without a problem', () => {
    expect(reimports.map((r) => r.code)).toEqual([0, 0]);
    expect(reimports[0].stdout).toContain(`Imported ${578 + 207 + lithium.features.length} deposits and 0 surveys`);
    expect(reimports[1].stdout).toContain('Imported 0 deposits and 12 surveys');
    for (const r of reimports) expect(r.stderr).not.toMatch(/invalid|not a known commodity|not a survey method/);
  });

  it('keeps every id, in order, and every model field', () => {
    expect(deposits(a)).toHaveLength(578 + 207 + lithium.features.length);
    expect(surveys(a)).toHaveLength(mri.features.length - 1); // pid 20047 is invalid in the source
    expect(b.features.map((f: any) => f.id)).toEqual(a.features.map((f: any) => f.id));
    b.features.forEach((f: any, i: number) => {
      const before = a.features[i].properties;
      for (const k of f.geometry.type === 'Point' ? DEPOSIT_FIELDS : SURVEY_FIELDS) {
        expect({ id: f.id, [k]: f.properties[k] }).toEqual({ id: f.id, [k]: before[k] });
      }
    });
  });

  it('adds no "*_original" extras', () => {
    const originals = (fc: any) => fc.features.flatMap((f: any) => Object.keys(f.properties).filter((k) => k.endsWith('_original')));
    expect(originals(a)).toEqual([]); // the sources hold nothing lossy in these fields…
    expect(b.features).toHaveLength(a.features.length);
    expect(originals(b)).toEqual([]); // …and the re-import adds none
  });

  it('names, alt names, commodities and coordinates are those of the source files', () => {
    const byRecord = new Map<string, any>([...ree.features, ...japan.features].map((f: any) => [`${f.properties.dataset}|${f.properties.record_id}`, f]));
    const mapped = deposits(b).filter((f: any) => f.properties.source !== 'USGS USMIN lithium 2019');
    expect(mapped).toHaveLength(byRecord.size);
    let symbolsChecked = 0;
    for (const f of mapped) {
      // MinMod records: `dataset` is the source, `record_id` the source id.
      const src = byRecord.get(`${f.properties.source}|${f.properties.source_id}`);
      expect(src, `${f.properties.source}|${f.properties.source_id}`).toBeDefined();
      if (src.properties.name) expect(f.properties.name).toBe(src.properties.name);
      const aliases = src.properties.aliases ? src.properties.aliases.split(';').map((s: string) => s.trim()).filter(Boolean) : [];
      expect(f.properties.alt_names).toEqual(aliases);
      // Commodities given as plain element symbols ("Au; Ag") must come back as exactly those.
      const pieces: string[] = src.properties.commodities.split('; ');
      if (pieces.every((c) => /^(Au|Ag|Cu|Pb|Zn|Fe|Mn|Cr|Ni|Ti|Hg)$/.test(c))) {
        expect(f.properties.commodities_main).toEqual([...new Set(pieces)]);
        symbolsChecked++;
      }
      expect(Math.abs(f.geometry.coordinates[0] - src.geometry.coordinates[0])).toBeLessThan(1e-7);
      expect(Math.abs(f.geometry.coordinates[1] - src.geometry.coordinates[1])).toBeLessThan(1e-7);
    }
    expect(symbolsChecked).toBe(42); // the Japan sites whose commodities are all such symbols (counted in the source file)
  });

  it('lithium sites keep alias lists, element commodities and resource estimates of USMIN', () => {
    const back = new Map<string, any>(deposits(b).filter((f: any) => f.properties.source === 'USGS USMIN lithium 2019').map((f: any) => [f.properties.source_id, f]));
    expect(back.size).toBe(lithium.features.length);
    let estimates = 0;
    for (const src of lithium.features) {
      const f = back.get(src.properties.source_id);
      expect(f.properties.name).toBe(src.properties.name);
      expect(f.properties.alt_names).toEqual(src.properties.alt_names);
      expect(f.properties.commodities_main).toEqual(src.properties.commodities_main);
      expect(f.properties.commodities_secondary).toEqual([]);
      const r = f.properties.resources as any[];
      expect(r.map((e) => [e.tonnage, e.classification, e.year])).toEqual(src.properties.resources.map((e: any) => [e.tonnage, e.classification, e.year]));
      expect(r.map((e) => e.grade ?? null)).toEqual(src.properties.resources.map((e: any) => e.grade ?? null));
      estimates += r.length;
      expect(Math.abs(f.geometry.coordinates[0] - src.geometry.coordinates[0])).toBeLessThan(1e-7);
      expect(Math.abs(f.geometry.coordinates[1] - src.geometry.coordinates[1])).toBeLessThan(1e-7);
    }
    expect(estimates).toBe(resourceRows);
    expect(estimates).toBe(31); // Resources.csv rows in tonnes with a non-negative amount
    // Smackover-Lanxess, by hand from Site.csv and Resources.csv (rows 1–3)
    expect(back.get('AR00002').properties.alt_names).toEqual(['Lanxess Property', 'South Arkansas Lithium Brine Project', 'Lanxess Smackover Lithium-Brine Property', 'Smackover']);
    expect(back.get('AR00002').properties.commodities_main).toEqual(['Li', 'Br']);
    expect(back.get('AR00002').properties.resources.map((e: any) => e.tonnage)).toEqual([114000, 164000, 303000]);
  });

  it('a project of survey areas alone exports to a GeoPackage and imports back (its export once failed for want of gpkg_data_columns)', () => {
    const only = join(dir, 'surveys-only.gpkg');
    ok(['init', only]);
    ok(['import', only, sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), '--layer', 'surveys', '--skip-invalid']);
    const out = join(dir, 'surveys-only-out.gpkg');
    const r = runCli(['export', only, out]);
    expect(r.code, r.stderr).toBe(0);
    const again = join(dir, 'surveys-only-again.gpkg');
    ok(['init', again]);
    expect(ok(['import', again, out, '--source-layer', 'surveys']).stdout).toContain('Imported 0 deposits and 12 surveys');
  });

  it('survey methods are those of the Earth MRI programs, and every vertex is kept to 1e-7', () => {
    const src = new Map<string, any>(mri.features.map((f: any) => [String(f.properties.pid), f]));
    const before = new Map<string, any>(surveys(a).map((f: any) => [f.id, f]));
    for (const f of surveys(b)) {
      expect(f.properties.methods).toEqual(METHODS_BY_PID[f.properties.source_id]);
      const s = src.get(f.properties.source_id);
      expect(f.properties.name).toBe(s.properties.pname);
      const g = f.geometry.coordinates as number[][][][];
      const g0 = before.get(f.id).geometry.coordinates as number[][][][];
      // Same parts and ring sizes as the source (ring order/winding is the exporter's, see import-export.test.ts)
      expect(g.map((poly) => poly.map((ring) => ring.length))).toEqual(s.geometry.coordinates.map((poly: number[][][]) => poly.map((ring) => ring.length)));
      g.forEach((poly, i) => poly.forEach((ring, j) => ring.forEach((pt, k) => {
        expect(Math.abs(pt[0] - g0[i][j][k][0])).toBeLessThan(1e-7);
        expect(Math.abs(pt[1] - g0[i][j][k][1])).toBeLessThan(1e-7);
      })));
    }
    expect(surveys(b).map((f: any) => f.properties.source_id).sort()).toEqual(Object.keys(METHODS_BY_PID).sort());
  });
});

describe.skipIf(!hasSharedData)('GeoPackage export column types and names', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'outcrop-gpkg-types-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps numbers as numbers and booleans as booleans, and gives clashing names columns of their own', async () => {
    const project = join(dir, 'p.gpkg');
    expect(runCli(['init', project]).code).toBe(0);
    const mri = readSharedJson('polygons', 'usgs-earthmri-projects-nm-sw.geojson') as { features: { properties: Record<string, unknown> }[] };
    expect(runCli(['import', project, sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), '--layer', 'surveys', '--skip-invalid']).code).toBe(0);
    // Extra properties SQLite would take for the same column (names are case-insensitive), or for the table's own.
    const odd = join(dir, 'odd.geojson');
    const props = { name: 'Field note site', depth: 12.5, Depth: 'shallow', fid: 7, geom: 'field note', drilled: true };
    writeFileSync(odd, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: props, geometry: { type: 'Point', coordinates: [139.7, 35.7] } }] }));
    expect(runCli(['import', project, odd]).code).toBe(0);
    const out = join(dir, 'out.gpkg');
    const r = runCli(['export', project, out]);
    expect(r.code, r.stderr).toBe(0);

    const { default: Database } = await import('better-sqlite3');
    const db = new Database(out, { readonly: true });
    try {
      const surveys = db.prepare('SELECT name, typeof(parea) AS t, parea FROM surveys').all() as { name: string; t: string; parea: number }[];
      expect(surveys.length).toBeGreaterThan(0);
      for (const s of surveys) {
        const src = mri.features.find((f) => f.properties.pname === s.name)!.properties;
        expect([s.t, s.parea]).toEqual(['integer', src.parea]); // was the text "2237.0"

      }
      const cols = (db.prepare("SELECT name, type FROM pragma_table_info('deposits')").all() as { name: string; type: string }[]).map((c) => `${c.name}:${c.type}`);
      expect(cols).toEqual(expect.arrayContaining(['depth:REAL', 'extra_Depth:TEXT', 'extra_fid:INTEGER', 'extra_geom:TEXT', 'drilled:BOOLEAN']));
      const row = db.prepare('SELECT depth, extra_Depth, extra_fid, extra_geom, drilled FROM deposits WHERE name = ?').get('Field note site');
      expect(row).toEqual({ depth: 12.5, extra_Depth: 'shallow', extra_fid: 7, extra_geom: 'field note', drilled: 1 });
    } finally {
      db.close();
    }
    // Read back by Outcrop: the number a number, the boolean a boolean again.
    const again = join(dir, 'again.gpkg');
    expect(runCli(['init', again]).code).toBe(0);
    expect(runCli(['import', again, out, '--source-layer', 'deposits']).code).toBe(0);
    const back = join(dir, 'again.geojson');
    expect(runCli(['export', again, back]).code).toBe(0);
    const site = (JSON.parse(readFileSync(back, 'utf8')).features as { properties: Record<string, unknown> }[]).find((f) => f.properties.name === 'Field note site')!;
    expect(site.properties).toMatchObject({ depth: 12.5, drilled: true });
  });
});
