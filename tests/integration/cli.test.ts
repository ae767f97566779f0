import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { booleanPointInPolygon, distance } from '@turf/turf';
import proj4 from 'proj4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, hasCommand, runCli } from '../helpers/cli';
import { Project } from '../../src/store/project';
import { getDeposit } from '../../src/store/read';
import { FIXTURES, readSharedJson, sharedPath } from '../helpers/data';

let dir: string;
let project: string;
const japan = readSharedJson('deposits', 'japan-sites.geojson');
const earthMri = readSharedJson('polygons', 'usgs-earthmri-projects-nm-sw.geojson');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-cli-'));
  project = join(dir, 'demo.gpkg');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('outcrop CLI', () => {
  it('--help lists every command, each with an example', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['init', 'import', 'export', 'query', 'stats', 'validate']) expect(r.stdout).toMatch(new RegExp(`\\n  ${c}\\b`));
    for (const c of [['init'], ['import'], ['export'], ['query'], ['query', 'within'], ['query', 'near'], ['query', 'nearest'], ['stats'], ['validate']]) {
      const h = runCli([...c, '--help']);
      expect(h.code, c.join(' ')).toBe(0);
      expect(h.stdout, c.join(' ')).toMatch(/Examples?:\n\s+\$ outcrop/);
    }
  });

  it('usage errors exit 2 with a message', () => {
    const r = runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command/);
    expect(runCli(['import', join(dir, 'missing.gpkg'), 'x.geojson']).code).toBe(2);
    expect(runCli(['query', 'x.gpkg', 'near', '200', '0', '--km', '5']).stderr).toMatch(/longitude must be a number within −180…180/);
    // An option of another query mode is refused, not ignored (near --survey answered for every survey).
    for (const [args, message] of [
      [['near', '10', '10', '--km', '5', '--survey', 'abc'], /--survey applies to query within only, not to query near/],
      [['nearest', '10', '10', '--survey', 'abc'], /--survey applies to query within only, not to query nearest/],
      [['nearest', '10', '10', '--km', '1'], /--km applies to query near only/],
      [['near', '10', '10', '--km', '5', '-k', '3'], /-k\/--count applies to query nearest only/],
      [['within', 'area.geojson', '--km', '5'], /--km applies to query near only/],
    ] as const) {
      const r = runCli(['query', 'x.gpkg', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    for (const top of ['abc', '-1', '0', '2.5']) expect(runCli(['stats', 'x.gpkg', '--top', top]).stderr).toMatch(/--top must be a whole number ≥ 1/);
    expect(runCli(['import', 'x.gpkg', 'y.csv', '--max-problems', 'many']).stderr).toMatch(/--max-problems must be a whole number ≥ 0/);
  });

  it('init, import real data, stats', () => {
    expect(runCli(['init', project]).code).toBe(0);
    expect(runCli(['init', project]).code).toBe(2); // exists already
    const imp = runCli(['import', project, sharedPath('deposits', 'japan-sites.geojson')]);
    expect(imp.stderr).toBe('');
    expect(imp.code).toBe(0);
    expect(imp.stdout).toMatch(/Imported 207 deposits and 0 surveys/);
    // Earth MRI project 20047 has self-crossing rings on the Los Angeles coast (GEOS agrees):
    // the whole file is refused, naming the feature, then imported with --skip-invalid.
    const earthMriFile = sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson');
    const strict = runCli(['import', project, earthMriFile]);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/feature 9 \(id "https:\/\/mrdata\.usgs\.gov\/earthmri\/data-acquisition\/project\/20047"\).*crosses itself/);
    expect(strict.stderr).toMatch(/Nothing was imported/);
    const imp2 = runCli(['import', project, earthMriFile, '--skip-invalid', '--report', join(dir, 'earthmri-rejected.geojson')]);
    expect(imp2.code).toBe(0);
    expect(imp2.stdout).toMatch(/Imported 0 deposits and 12 surveys/);
    expect(imp2.stderr).toMatch(/Rejected 1 invalid feature; report/);
    const s = JSON.parse(runCli(['stats', project, '--json']).stdout);
    expect(s.layers).toEqual({ deposits: 207, surveys: 12 });
    const countries = Object.fromEntries(s.byCountry.map((c: any) => [c.key, c.count]));
    expect(countries).toEqual({ Japan: 207 });
    // main commodity counts, computed independently from the source file
    const expectedCu = japan.features.filter((f: any) => /(^|; )(Cu|copper)(;|$)/i.test(f.properties.commodities)).length;
    const cu = s.byCommodity.find((c: any) => c.key === 'Cu');
    expect(cu.count).toBe(expectedCu);
  });

  it('import --map puts source fields where the user says, and refuses a bad one with exit 2', () => {
    const mapped = join(dir, 'mapped.gpkg');
    expect(runCli(['init', mapped]).code).toBe(0);
    const zip = join(FIXTURES, 'shapefile/prefectures-cp932-jgd2011.zip');
    const bad = runCli(['import', mapped, zip, '--map', 'nam_ja=nmae']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"nam_ja" → "nmae": not a deposit or survey field/);
    const r = runCli(['import', mapped, zip, '--map', 'nam_ja=name', '--map', 'nam=name_romaji', '--map', 'id=extra']);
    expect(r.code).toBe(0);
    const fc = JSON.parse(runCli(['query', mapped, 'nearest', '141.35', '43.06', '-k', '1']).stdout);
    expect(fc.features[0].properties).toMatchObject({ name: '北海道', name_romaji: 'Hokkai Do', name_ja: null, extra: { id: 1 } });
  });

  it('query within a polygon file matches brute force over the source file', () => {
    // A box around Tōhoku (Kamaishi, Hosokura, Osarizawa …)
    const area = { type: 'Polygon', coordinates: [[[139.5, 37.5], [142.2, 37.5], [142.2, 40.5], [139.5, 40.5], [139.5, 37.5]]] };
    const areaFile = join(dir, 'tohoku.geojson');
    writeFileSync(areaFile, JSON.stringify({ type: 'Feature', properties: {}, geometry: area }));
    const r = runCli(['query', project, 'within', areaFile]);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout);
    const expected = japan.features.filter((f: any) => booleanPointInPolygon(f.geometry, area as any));
    expect(expected.length).toBeGreaterThan(5);
    expect(got.features.map((f: any) => f.properties.name).sort()).toEqual(expected.map((f: any) => f.properties.name).sort());
  });

  it('query near and nearest use great-circle km', () => {
    const tokyo = [139.69, 35.69];
    const r = JSON.parse(runCli(['query', project, 'near', '139.69', '35.69', '--km', '150']).stdout);
    const expected = japan.features.filter((f: any) => distance(tokyo, f.geometry.coordinates) <= 150);
    expect(r.features).toHaveLength(expected.length);
    const n = JSON.parse(runCli(['query', project, 'nearest', '139.69', '35.69', '-k', '3']).stdout);
    const sorted = japan.features.map((f: any) => distance(tokyo, f.geometry.coordinates)).sort((a: number, b: number) => a - b);
    expect(n.features.map((f: any) => f.properties.distance_km)).toEqual(sorted.slice(0, 3).map((d: number) => expect.closeTo(d, 2)));
  });

  it('query within --survey uses the stored survey area', () => {
    const ex = runCli(['export', project, join(dir, 'surveys.geojson'), '--layer', 'surveys']);
    expect(ex.stderr).toBe('');
    expect(ex.code).toBe(0);
    const surveys = JSON.parse(readFileSync(join(dir, 'surveys.geojson'), 'utf8'));
    expect(surveys.features).toHaveLength(12);
    const r = runCli(['query', project, 'within', '--survey', surveys.features[0].id]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).features).toEqual([]); // the Japanese sites are not in New Mexico
    expect(runCli(['query', project, 'within', '--survey', '00000000-0000-0000-0000-000000000000']).code).toBe(2);
  });

  it('export with filters writes only matching deposits; CSV too', () => {
    const out = join(dir, 'cu.geojson');
    expect(runCli(['export', project, out, '--commodity', 'copper']).code).toBe(0);
    const fc = JSON.parse(readFileSync(out, 'utf8'));
    const expected = japan.features.filter((f: any) => /(^|; )(Cu|copper)(;|$)/i.test(f.properties.commodities)).length;
    expect(fc.features).toHaveLength(expected);
    const csv = join(dir, 'all.csv');
    expect(runCli(['export', project, csv]).code).toBe(0);
    const lines = readFileSync(csv, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^id,longitude,latitude,name/);
    expect(lines).toHaveLength(208);
  });

  it('export filters by provenance: --agency, and --team (deposits recorded in that team\'s surveys)', async () => {
    const p = Project.open(project);
    const ids = p.db.prepare(`SELECT id FROM deposits WHERE name LIKE 'K%'`).pluck().all() as string[];
    await p.write('edit', 'agency GSJ', (w) => {
      for (const id of ids) {
        const { geometry, id: _id, createdAt, updatedAt, createdBy, updatedBy, ...fields } = getDeposit(p, id)!;
        w.updateDeposit(id, { ...fields, agency: 'GSJ' }, geometry);
      }
    });
    p.close();
    expect(ids.length).toBe(japan.features.filter((f: any) => /^k/i.test(f.properties.name)).length);
    const out = join(dir, 'gsj.geojson');
    expect(runCli(['export', project, out, '--agency', 'GSJ']).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).features.map((f: any) => f.properties.name).sort()).toEqual(
      japan.features.map((f: any) => f.properties.name).filter((n: string) => /^k/i.test(n)).sort(),
    );
    // No survey has a team here: no deposit was recorded in one.
    const none = join(dir, 'team.geojson');
    expect(runCli(['export', project, none, '--agency', 'GSJ', '--team', 'GSJ field team']).code).toBe(0);
    expect(JSON.parse(readFileSync(none, 'utf8')).features).toHaveLength(0);
  });

  it('validate reports every problem with file, feature and field, and exits 2', () => {
    const bad = join(dir, 'bad.geojson');
    writeFileSync(
      bad,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', id: 'ok-1', properties: { name: 'Good' }, geometry: { type: 'Point', coordinates: [140, 36] } },
          { type: 'Feature', id: 'dep-7', properties: { name: 'Bad lon' }, geometry: { type: 'Point', coordinates: [200, 36] } },
          { type: 'Feature', properties: { name: 'Bad commodity', commodities: 'unobtainium' }, geometry: { type: 'Point', coordinates: [140, 36] } },
        ],
      }),
    );
    const r = runCli(['validate', bad]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/bad\.geojson: feature 1 \(id "dep-7"\).*longitude/);
    expect(r.stdout).toMatch(/bad\.geojson: feature 2.*unobtainium/);
    expect(r.stderr).toMatch(/3 features, 1 valid/);
    // import of the same file is all-or-nothing
    const before = JSON.parse(runCli(['stats', project, '--json']).stdout).layers.deposits;
    const imp = runCli(['import', project, bad]);
    expect(imp.code).toBe(2);
    expect(imp.stderr).toMatch(/nothing was imported/i);
    expect(JSON.parse(runCli(['stats', project, '--json']).stdout).layers.deposits).toBe(before);
    // --skip-invalid stores the good one and reports the two others
    const report = join(dir, 'rejected.geojson');
    const skip = runCli(['import', project, bad, '--skip-invalid', '--report', report]);
    expect(skip.code).toBe(0);
    expect(skip.stdout).toMatch(/Imported 1 deposit and/);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(rep.features.map((f: any) => f.properties.outcrop_feature_index)).toEqual([1, 2]);

    // A report that would land on the project or the input, or cannot be written at all, stops
    // the import before anything is stored (it used to overwrite them, or be dropped silently).
    const count = () => JSON.parse(runCli(['stats', project, '--json']).stdout).layers.deposits;
    const projectBytes = readFileSync(project);
    const inputBytes = readFileSync(bad);
    const n = count();
    for (const [target, message] of [
      [project, /would overwrite the project/],
      [`${project}-wal`, /would overwrite the project/],
      [bad, /would overwrite the file being imported/],
      [join(dir, 'no-such-folder', 'rejected.geojson'), /cannot write .*no-such-folder.*does not exist/],
    ] as const) {
      const r = runCli(['import', project, bad, '--skip-invalid', '--report', target]);
      expect(r.code, target).toBe(2);
      expect(r.stderr, target).toMatch(message);
      expect(r.stderr, target).not.toMatch(/internal error/);
    }
    expect(count()).toBe(n);
    expect(readFileSync(bad).equals(inputBytes)).toBe(true);
    expect(readFileSync(project).length).toBeGreaterThanOrEqual(projectBytes.length);
    expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('validate reads a file the way import does: --lon/--lat, --crs, --delimiter and --map', () => {
    // Japanese survey coordinates (JGD2011 zone IX, X = northing) of the real Kanto sites, made
    // with proj4 here, in columns Outcrop does not detect, ";"-separated, the name under nam_ja.
    const zoneIX = '+proj=tmerc +lat_0=36 +lon_0=139.833333333333 +k=0.9999 +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs';
    const kanto = (japan.features as any[]).filter((f) => f.geometry.coordinates[0] > 138.6 && f.geometry.coordinates[0] < 140.9 && f.geometry.coordinates[1] > 34.9 && f.geometry.coordinates[1] < 37.2);
    expect(kanto.length).toBeGreaterThan(5);
    const rows = kanto.map((f) => {
      const [e, n] = proj4(zoneIX, f.geometry.coordinates);
      return [n.toFixed(3), e.toFixed(3), f.properties.name.replaceAll(';', ','), 'Au'].join(';');
    });
    const csv = join(dir, 'kanto-survey-xy.csv');
    writeFileSync(csv, ['pos_x;pos_y;nam_ja;commodities', ...rows].join('\n') + '\n');
    const options = ['--lon', 'pos_y', '--lat', 'pos_x', '--crs', 'EPSG:6677', '--delimiter', ';', '--map', 'nam_ja=name'];

    const plain = runCli(['validate', csv, '--crs', 'EPSG:6677']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/no geometry columns/);
    const unmapped = runCli(['validate', csv, ...options.slice(0, -2)]);
    expect(unmapped.code).toBe(2); // every row lacks a name until nam_ja is mapped onto it
    expect(unmapped.stdout).toMatch(/kanto-survey-xy\.csv: feature 0, line 2: "name"/);
    const checked = runCli(['validate', csv, ...options]);
    expect(checked.stdout).toBe('');
    expect(checked.code).toBe(0);
    expect(checked.stderr).toMatch(new RegExp(`${kanto.length} features, ${kanto.length} valid \\(${kanto.length} deposits`));

    // import with the same options stores what validate passed, each site back where it was.
    const target = join(dir, 'kanto-xy.gpkg');
    expect(runCli(['init', target]).code).toBe(0);
    const imp = runCli(['import', target, csv, ...options]);
    expect(imp.code).toBe(0);
    const db = new Database(target, { readonly: true });
    const stored = db.prepare('SELECT name, geom FROM deposits').all() as { name: string; geom: Buffer }[];
    db.close();
    expect(stored.length).toBe(kanto.length);
    const at = stored.map((r) => [r.geom.readDoubleLE(13), r.geom.readDoubleLE(21)]); // GeoPackage point: 8-byte header, no envelope, then WKB
    for (const f of kanto) {
      const nearest = Math.min(...at.map((p) => distance(p, f.geometry.coordinates, { units: 'meters' })));
      expect(nearest, f.properties.name).toBeLessThan(0.01);
    }
  });

  it('a feature id too long to be one is named by its start and length, not echoed whole', () => {
    const big = join(dir, 'big-id.geojson');
    const id = 'x'.repeat(2 * 1024 * 1024); // over the 1 MiB a field may hold
    writeFileSync(big, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', id, properties: { name: 'Big id' }, geometry: { type: 'Point', coordinates: [140, 36] } }] }));
    const text = runCli(['validate', big]);
    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(/^big-id\.geojson: feature 0 \(id "x{80}… \(2,097,152 characters\)"\), line 1: "feature_id": .*2\.0 MiB long; the limit is 1 MiB per field\n$/);
    expect(text.stderr).toMatch(/1 feature, 0 valid/);
    const json = runCli(['validate', big, '--json']);
    expect(json.stdout.length).toBeLessThan(1000);
    expect(JSON.parse(json.stdout.trim())).toMatchObject({ featureIndex: 0, featureId: `${'x'.repeat(80)}… (2,097,152 characters)`, field: 'feature_id' });
  });

  it('a query area that is not valid JSON is refused with the line and column of the mistake, as an import words it', () => {
    const area = join(dir, 'area-typo.geojson');
    writeFileSync(area, '{"type": "Feature", "properties": {"name": "Kanto"},\n "geometry": {"type": "Polygon", "coordinates": [[[139, 35], [140, 35], [140, 36], [139, 35]],]}}\n');
    const r = runCli(['query', project, 'within', area]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/area-typo\.geojson: line 2, column \d+: not valid JSON: a comma right before '\]'/);
    const empty = join(dir, 'area-empty.geojson');
    writeFileSync(empty, '');
    expect(runCli(['query', project, 'within', empty]).stderr).toMatch(/area-empty\.geojson: line 1, column 1: the file is empty/);
  });

  it('validate --json prints a file that cannot be read at all as one more JSON line, marked fatal', () => {
    const broken = join(dir, 'broken.geojson');
    writeFileSync(broken, '{"type":"FeatureCollection","features":[{"type":"Feature",,}]}');
    const r = runCli(['validate', broken, '--json']);
    expect(r.code).toBe(2);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([expect.objectContaining({ file: 'broken.geojson', line: 1, column: 59, code: 'geojson.jsonExpectedKey', fatal: true })]);
    expect(r.stderr).toMatch(/error: broken\.geojson: line 1, column 59: not valid JSON/);
  });

  it('--skip-invalid with every feature rejected exits 2: nothing was imported, not even an empty undo step', () => {
    const fresh = join(dir, 'all-bad.gpkg');
    expect(runCli(['init', fresh]).code).toBe(0);
    const bad = join(dir, 'all-bad.geojson');
    writeFileSync(bad, JSON.stringify({ type: 'FeatureCollection', features: [200, 300].map((lon) => ({ type: 'Feature', properties: { name: `lon ${lon}` }, geometry: { type: 'Point', coordinates: [lon, 0] } })) }));
    const r = runCli(['import', fresh, bad, '--skip-invalid', '--report', join(dir, 'all-bad-report.geojson')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/all-bad\.geojson: all 2 features are invalid, nothing was imported \(report: .*all-bad-report\.geojson\)/);
    expect(r.stderr).toMatch(/Nothing was imported: no feature of the file is valid/);
    expect(JSON.parse(readFileSync(join(dir, 'all-bad-report.geojson'), 'utf8')).features).toHaveLength(2);
    // The transaction rolled back: no operation (undo step) and no source row were left behind.
    const db = new Database(fresh, { readonly: true });
    try {
      expect(db.prepare("SELECT count(*) FROM outcrop_ops WHERE kind = 'import'").pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM outcrop_sources').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });

  it('a file that is not a project, or an empty one, is bad input (exit 2), not an internal error', () => {
    const csvAsProject = join(dir, 'sites.gpkg');
    writeFileSync(csvAsProject, 'name,longitude,latitude\nA,140,36\n');
    const empty = join(dir, 'empty.gpkg');
    writeFileSync(empty, '');
    for (const file of [csvAsProject, empty]) {
      for (const args of [['stats', file], ['export', file, join(dir, 'x.geojson')], ['import', file, sharedPath('deposits', 'japan-sites.geojson')]]) {
        const r = runCli(args);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr, args.join(' ')).toMatch(/not an Outcrop project|cannot open as a GeoPackage|is empty/);
        expect(r.stderr, args.join(' ')).not.toMatch(/internal error|SqliteError/);
      }
    }
    // Export into a folder that does not exist: a plain message.
    const fresh = join(dir, 'fresh.gpkg');
    expect(runCli(['init', fresh]).code).toBe(0);
    const r = runCli(['export', fresh, join(dir, 'nowhere', 'x.geojson')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write .*nowhere.*does not exist/);
  });

  // Permissions do not apply to root, so this runs the CLI as "nobody" (skipped where it cannot).
  const asNobody = process.getuid?.() === 0 && hasCommand('runuser') ? it : it.skip;
  asNobody('a read-only project or folder gets a plain message (exit 2); a read-only file in a writable folder can still be read', () => {
    const base = mkdtempSync(join(tmpdir(), 'outcrop-ro-'));
    try {
      chmodSync(base, 0o755);
      const src = join(base, 'src.gpkg');
      expect(runCli(['init', src]).code).toBe(0);
      expect(runCli(['import', src, sharedPath('deposits', 'japan-sites.geojson')]).code).toBe(0);
      const roDir = join(base, 'ro');
      const rwDir = join(base, 'rw');
      mkdirSync(roDir);
      mkdirSync(rwDir);
      for (const d of [roDir, rwDir]) copyFileSync(src, join(d, 'p.gpkg'));
      for (const f of [join(roDir, 'p.gpkg'), join(rwDir, 'p.gpkg')]) chmodSync(f, 0o444);
      chmodSync(roDir, 0o555);
      chmodSync(rwDir, 0o777);
      const nobody = (args: string[]) => {
        const r = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, BIN, ...args], { encoding: 'utf8', env: { ...process.env, HOME: base } });
        return { code: r.status, stdout: r.stdout, stderr: r.stderr };
      };
      const japan = sharedPath('deposits', 'japan-sites.geojson');
      const readOnlyFolder = nobody(['stats', join(roDir, 'p.gpkg')]);
      expect(readOnlyFolder.code).toBe(2);
      expect(readOnlyFolder.stderr).toMatch(/p\.gpkg cannot be read where it is: .*read-only/);
      for (const d of [roDir, rwDir]) {
        const imp = nobody(['import', join(d, 'p.gpkg'), japan]);
        expect(imp.code, d).toBe(2);
        expect(imp.stderr, d).toMatch(/p\.gpkg cannot be changed: the file or its folder is read-only/);
      }
      const stats = nobody(['stats', join(rwDir, 'p.gpkg'), '--json']);
      expect(stats.code).toBe(0);
      expect(JSON.parse(stats.stdout).layers.deposits).toBe(207);
    } finally {
      chmodSync(join(base, 'ro'), 0o755);
      rmSync(base, { recursive: true, force: true });
    }
  });
});
