import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from '../helpers/cli';

// A CSV with an `id` column (what re-importing Outcrop's own CSV export looks like) is imported
// in bounded memory. Each id the reader cut from the text was kept in a Set of the ids seen, and
// with it (a V8 sliced string points into its parent) the whole piece of text it came from: the
// import held about the file's size in the reading thread's heap, and a 441,836-row export (270
// MB with two copies) ran out of memory under --max-old-space-size=200. Here a 250,000-row,
// ~111 MB file is imported under --max-old-space-size=64; before the fix the reading thread ran
// out of memory (ERR_WORKER_OUT_OF_MEMORY).
const ROWS = 250_000;
const HEAP_MB = 64;
const idOf = (i: number) => `01a252dc-0000-7000-8000-${i.toString(16).padStart(12, '0')}`;

let dir: string;
let csv: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-csv-id-memory-'));
  csv = join(dir, 'export.csv');
  const out = createWriteStream(csv);
  const notes = 'Quartz veins with pyrite and chalcopyrite in altered andesite; old workings, adits and dumps. '.repeat(4);
  out.write('id,longitude,latitude,name,notes\r\n');
  for (let i = 0; i < ROWS; i++) {
    const row = `${idOf(i)},${(-170 + (i % 3400) / 10).toFixed(1)},${(-60 + (i % 1300) / 10).toFixed(1)},Site ${i},"${notes}"\r\n`;
    if (!out.write(row)) await new Promise((r) => out.once('drain', r));
  }
  // The first row's id again (in upper case: the same UUID), on line ROWS + 2.
  out.write(`${idOf(0).toUpperCase()},140.5,36.5,Again,\r\n`);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a CSV with an id column', () => {
  it(`imports ${ROWS.toLocaleString('en')} rows under --max-old-space-size=${HEAP_MB}, and still finds an id used twice`, () => {
    expect(statSync(csv).size).toBeGreaterThan(100e6);
    const project = join(dir, 'p.gpkg');
    expect(runCli(['init', project]).code).toBe(0);
    const report = join(dir, 'rejected.geojson');
    const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, BIN, 'import', project, csv, '--skip-invalid', '--report', report], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, OUTCROP_USER: 'test-geologist', FORCE_COLOR: '0' },
    });
    expect(r.stderr).not.toMatch(/out of memory|ERR_WORKER/i);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Imported ${ROWS.toLocaleString('en').replace(/,/g, '')} deposits`);
    const db = new Database(project, { readonly: true });
    try {
      expect((db.prepare('SELECT count(*) AS n FROM deposits').get() as { n: number }).n).toBe(ROWS);
      const last = db.prepare('SELECT name FROM deposits WHERE id = ?').get(idOf(ROWS - 1)) as { name: string };
      expect(last.name).toBe(`Site ${ROWS - 1}`);
    } finally {
      db.close();
    }
    // The repeated id is the one feature rejected, for being used by an earlier feature in the file.
    const rejected = JSON.parse(readFileSync(report, 'utf8')) as { features: { properties: Record<string, unknown> }[] };
    expect(rejected.features).toHaveLength(1);
    expect(rejected.features[0].properties).toMatchObject({
      name: 'Again',
      outcrop_line: ROWS + 2,
      outcrop_problems: [`id: id "${idOf(0).toUpperCase()}" is used by an earlier feature in this file; ids must be unique`],
    });
  }, 300_000);
});
