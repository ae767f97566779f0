import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadInputError } from '../../src/errors';
import { importFile } from '../../src/import/import-file';
import { Project } from '../../src/store/project';
import { runCli } from '../helpers/cli';
import { readSharedJson, sharedPath } from '../helpers/data';

// Files as they arrive from other people: saved in Windows-1252, or cut off by an interrupted
// download. Each is a problem of the file (exit 2) that names what is wrong; before, a small
// non-UTF-8 GeoJSON killed the process ("Unhandled 'error' event") and a cut-off .gz was an
// internal error with a stack trace.
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-cut-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a file that is not what it claims', () => {
  it('a small GeoJSON saved in Windows-1252 is refused naming the line and encoding, by the CLI and the core API alike', async () => {
    // Real sites, one renamed with accents, written by iconv as a Windows program would save them.
    const sites = readSharedJson('deposits', 'usgs-major-deposits-world.geojson').features.filter((f: unknown) => /^[\x20-\x7e]*$/.test(JSON.stringify(f))).slice(0, 40);
    expect(sites.length).toBe(40);
    sites[7].properties.name = 'Mina Corazón de Atacama (Región de Atacama)';
    const text = JSON.stringify({ type: 'FeatureCollection', features: sites }, null, 1);
    const file = join(dir, 'sitios.geojson');
    writeFileSync(file, execFileSync('iconv', ['-f', 'UTF-8', '-t', 'WINDOWS-1252'], { input: text }));
    const line = text.slice(0, text.indexOf('Corazón')).split('\n').length;

    const v = runCli(['validate', file]);
    expect(v.stderr).not.toMatch(/Unhandled|at .*\.ts:\d+/);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(new RegExp(`sitios\\.geojson: line ${line}: the bytes F3 .* are not UTF-8 text.*windows-1252`));

    const project = Project.open(join(dir, 'api.gpkg'), { create: true });
    try {
      await expect(importFile(project, file)).rejects.toBeInstanceOf(BadInputError);
      expect(project.db.prepare('SELECT count(*) FROM deposits').pluck().get()).toBe(0);
      // and with the encoding given, it imports with the name as written
      const r = await importFile(project, file, { encoding: 'windows-1252' });
      expect(r.written.deposits).toBe(40);
      expect(project.db.prepare('SELECT count(*) FROM deposits WHERE name = ?').pluck().get('Mina Corazón de Atacama (Región de Atacama)')).toBe(1);
    } finally {
      project.close();
    }
  });

  it('a gzipped file cut off halfway is refused as cut off, and the project is unchanged', () => {
    const project = join(dir, 'cut.gpkg');
    expect(runCli(['init', project]).code).toBe(0);
    const whole = [
      ['sites.geojson.gz', gzipSync(readFileSync(sharedPath('deposits', 'japan-sites.geojson')))],
      ['minmod.csv.gz', readFileSync(sharedPath('deposits', 'minmod-mineral-sites-located.csv.gz'))],
    ] as const;
    const before = readFileSync(project);
    for (const [name, bytes] of whole) {
      const file = join(dir, name);
      writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
      for (const args of [['validate', file], ['import', project, file]]) {
        const r = runCli(args);
        expect(r.code, `${args[0]} ${name}`).toBe(2);
        expect(r.stderr, `${args[0]} ${name}`).toMatch(new RegExp(`${name.replace('.', '\\.')} is cut off: the compressed data ends before the file does`));
        expect(r.stderr).not.toMatch(/internal error/);
      }
    }
    expect(readFileSync(project).equals(before)).toBe(true);
  });
});
