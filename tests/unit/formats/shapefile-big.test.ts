import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasSharedData, sharedPath } from '../../helpers/data';

// A big Shapefile read and imported in bounded memory (issue 6). The file is made here with
// ogr2ogr from the real MinMod sites (110,459 points, three times over: 331,377 points, a
// 306 MB .dbf), zipped, and read in a child process so that its peak RSS is the job's own.
// Before streaming, the reader unzipped every entry into memory and collected every geometry:
// reading peaked at 490–530 MB RSS and the import at 770–820 MB; see README's Benchmark notes.
const hasOgr = spawnSync('ogr2ogr', ['--version']).status === 0;
const hasZip = spawnSync('zip', ['-v']).status === 0;
const CHILD = resolve(__dirname, '../../helpers/shapefile-memory-child.ts');
const why = !hasOgr ? 'ogr2ogr (gdal-bin) is not installed' : !hasSharedData ? '../shared/data is missing' : undefined;
if (why) console.warn(`skipping the big Shapefile memory test: ${why}`);

let dir: string;
let zipPath: string;
let unzippedBytes = 0;
let expected = 0;

function child(mode: 'read' | 'import', file: string, project?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, mode, file, ...(project ? [project] : [])], { encoding: 'utf8', cwd: resolve(__dirname, '../../..') });
  if (r.status !== 0) throw new Error(`child ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { features: number; ok: number; ms: number; baselineRssMb: number; maxRssMb: number };
}

describe.skipIf(!!why)('a 331,377-point Shapefile', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'outcrop-shp-big-'));
    const src = `/vsigzip/${sharedPath('deposits', 'minmod-mineral-sites-located.csv.gz')}`;
    const shp = join(dir, 'sites.shp');
    const open = ['-oo', 'X_POSSIBLE_NAMES=longitude', '-oo', 'Y_POSSIBLE_NAMES=latitude', '-a_srs', 'EPSG:4326'];
    const sql = ['-sql', 'SELECT record_id, name, country, commodities, deposit_type FROM "minmod-mineral-sites-located"'];
    execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-lco', 'ENCODING=UTF-8', ...open, ...sql, '-nln', 'sites', shp, src], { stdio: 'pipe' });
    for (let i = 0; i < 2; i++) execFileSync('ogr2ogr', ['-append', ...open, ...sql, '-nln', 'sites', shp, src], { stdio: 'pipe' });
    expected = Number(/Feature Count: (\d+)/.exec(execFileSync('ogrinfo', ['-ro', '-so', '-al', shp], { encoding: 'utf8' }))![1]);
    const parts = readdirSync(dir).filter((n) => n.startsWith('sites.'));
    unzippedBytes = parts.reduce((n, p) => n + statSync(join(dir, p)).size, 0);
    zipPath = join(dir, 'sites.zip');
    if (hasZip) execFileSync('zip', ['-q', '-j', zipPath, ...parts.map((p) => join(dir, p))]);
    else execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-lco', 'ENCODING=UTF-8', join(dir, 'sites.shp.zip'), shp], { stdio: 'pipe' });
    if (!hasZip) zipPath = join(dir, 'sites.shp.zip');
  }, 300_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is read from the zip with peak RSS growing by far less than the unzipped file', () => {
    expect(expected).toBe(331_377);
    expect(unzippedBytes).toBeGreaterThan(300e6);
    const r = child('read', zipPath);
    const growth = r.maxRssMb - r.baselineRssMb;
    console.info(`read ${r.features} features from ${(statSync(zipPath).size / 1e6).toFixed(1)} MB zip (${(unzippedBytes / 1e6).toFixed(0)} MB unzipped) in ${(r.ms / 1000).toFixed(1)} s; peak RSS ${r.maxRssMb.toFixed(0)} MB (+${growth.toFixed(0)} MB)`);
    expect(r.features).toBe(expected);
    expect(r.ok).toBe(expected);
    expect(growth).toBeLessThan(100);
  }, 300_000);

  it('is imported (validation, mapping, SQLite writer in one transaction) with peak RSS growth below the unzipped size', () => {
    const r = child('import', zipPath, join(dir, 'big.gpkg'));
    const growth = r.maxRssMb - r.baselineRssMb;
    console.info(`imported ${r.ok} deposits in ${(r.ms / 1000).toFixed(1)} s; peak RSS ${r.maxRssMb.toFixed(0)} MB (+${growth.toFixed(0)} MB)`);
    expect(r.ok).toBe(expected);
    expect(growth).toBeLessThan(unzippedBytes / 1e6);
  }, 600_000);
});
