import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import i18next from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorText } from '../../../renderer/problem-text';
import { RESOURCES } from '../../../renderer/i18n';
import { toApiError } from '../../../src/api/service';
import { BadInputError, errorKey } from '../../../src/errors';
import { readShapefile } from '../../../src/formats/shapefile/read';
import { checkFile } from '../../../src/import/pipeline';
import { runCli } from '../../helpers/cli';
import { hasSharedData, readSharedJson } from '../../helpers/data';
import { ARIZONA, hasOgr, PREFS, readAll } from '../../helpers/shapefile';
import { distanceM } from '../crs/geodesic';

// Streaming reads (issue 6): plain .shp beside its siblings, counts checked from the headers,
// damaged zips and encodings refused with coded messages, cancel and early stop release the zip.

async function failure(p: Promise<unknown>): Promise<BadInputError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(BadInputError);
  return e as BadInputError;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-shp-stream-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fixture's entries written as plain files under `sub`, renamed by `rename`. */
function unzipTo(src: string, sub: string, rename: (name: string) => string | undefined = (n) => n): string {
  const out = join(dir, sub);
  mkdirSync(out, { recursive: true });
  for (const [name, data] of Object.entries(unzipSync(new Uint8Array(readFileSync(src))))) {
    const to = rename(name);
    if (to) writeFileSync(join(out, to), data);
  }
  return out;
}

/** Rewrite a fixture zip with `edit` applied to its entries. */
function rezip(src: string, name: string, edit: (e: Record<string, Uint8Array>) => void): string {
  const entries = unzipSync(new Uint8Array(readFileSync(src)));
  edit(entries);
  const out = join(dir, name);
  writeFileSync(out, zipSync(entries));
  return out;
}

/** Overwrite the uncompressed size that the zip's central directory records for `entry`. */
function lieAboutSize(zipPath: string, entry: string, size: number): void {
  const b = readFileSync(zipPath);
  for (let i = b.length - 46; i >= 0; i--) {
    if (b.readUInt32LE(i) !== 0x02014b50) continue;
    const nameLen = b.readUInt16LE(i + 28);
    if (b.subarray(i + 46, i + 46 + nameLen).toString() === entry) {
      b.writeUInt32LE(size, i + 24);
      writeFileSync(zipPath, b);
      return;
    }
  }
  throw new Error(`no central directory entry ${entry}`);
}

/** Does this process hold a file descriptor open on `path`? (Linux /proc.) */
function holdsOpen(path: string): boolean {
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(join('/proc/self/fd', fd)) === path) return true;
    } catch {
      // closed while listing
    }
  }
  return false;
}
const hasProc = (() => {
  try {
    readdirSync('/proc/self/fd');
    return true;
  } catch {
    return false;
  }
})();

describe('plain .shp beside its siblings', () => {
  it.skipIf(!hasSharedData)('reads a .shp whose siblings are named in other cases, back to the source positions within 1 mm', async () => {
    const d = unzipTo(ARIZONA, 'mixed-case', (n) =>
      n.endsWith('.shp') ? 'Major_Deposits_AZ.shp' : n.endsWith('.dbf') ? 'MAJOR_DEPOSITS_AZ.DBF' : n.replace('major_deposits_az', 'Major_Deposits_AZ').replace(/\.(\w+)$/, (x) => x.toUpperCase()),
    );
    const fc = readSharedJson('deposits', 'usgs-major-deposits-world.geojson');
    const src = new Map<string, number[]>(fc.features.map((f: any) => [String(f.properties.record_id), f.geometry.coordinates]));
    const feats = await readAll(join(d, 'Major_Deposits_AZ.shp'));
    expect(feats).toHaveLength(38);
    let maxM = 0;
    for (const f of feats) maxM = Math.max(maxM, distanceM((f.geometry as any).coordinates, src.get(String(f.properties.record_id))!));
    expect(maxM * 1000).toBeLessThan(1);
  });

  it('decodes CP932 names from the .cpg beside a plain .shp, and the pipeline takes .shp by its extension', async () => {
    const d = unzipTo(PREFS, 'prefs');
    const feats = await readAll(join(d, 'prefectures_cp932.shp'));
    expect(feats.map((f) => f.properties.nam_ja)).toContain('東京都');
    let n = 0;
    for await (const c of checkFile(join(d, 'prefectures_cp932.shp'))) if (c.raw.properties.nam_ja === '北海道') n++;
    expect(n).toBe(1);
  });

  it('a plain .shp without .dbf or .prj is refused, naming what is missing', async () => {
    const noDbf = unzipTo(ARIZONA, 'no-dbf', (n) => (n.endsWith('.dbf') ? undefined : n));
    expect((await failure(readAll(join(noDbf, 'major_deposits_az.shp')))).message).toMatch(/^major_deposits_az\.shp has no \.dbf/);
    const noPrj = unzipTo(ARIZONA, 'no-prj', (n) => (n.endsWith('.prj') ? undefined : n));
    const e = await failure(readAll(join(noPrj, 'major_deposits_az.shp')));
    expect(e.message).toMatch(/major_deposits_az\.shp has no \.prj.*--crs/);
    expect(errorKey(e)?.key).toBe('shapefile.noPrj');
    expect(await readAll(join(noPrj, 'major_deposits_az.shp'), { crs: 'EPSG:26912' })).toHaveLength(38);
  });

  it('CLI: import and validate take a plain .shp', () => {
    const d = unzipTo(ARIZONA, 'cli');
    const shp = join(d, 'major_deposits_az.shp');
    const v = runCli(['validate', shp]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stderr).toMatch(/38 features, 38 valid \(38 deposits/);
    const project = join(dir, 'cli.gpkg');
    expect(runCli(['init', project]).code).toBe(0);
    const r = runCli(['import', project, shp]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/38 deposits/);
  });

  it('CLI: validate asks which shapefile of a zip holding several, and takes --source-layer', () => {
    const prefs = unzipSync(new Uint8Array(readFileSync(PREFS)));
    const two = rezip(ARIZONA, 'two-for-cli.zip', (e) => Object.assign(e, prefs));
    const asked = runCli(['validate', two]);
    expect(asked.code).toBe(2);
    expect(asked.stderr).toMatch(/two-for-cli\.zip contains 2 shapefiles; choose one with --source-layer: "major_deposits_az", "prefectures_cp932"/);
    const chosen = runCli(['validate', two, '--source-layer', 'prefectures_cp932']);
    expect(chosen.code, chosen.stderr).toBe(0);
    expect(chosen.stderr).toMatch(/47 features, 47 valid \(47 deposits/);
  });
});

describe('record counts', () => {
  it('a .dbf header that disagrees with the .shx is refused before the first feature, naming both counts', async () => {
    const z = rezip(ARIZONA, 'header-40.zip', (e) => {
      const dbf = e['major_deposits_az.dbf'];
      new DataView(dbf.buffer, dbf.byteOffset).setUint32(4, 40, true); // the header now claims 40 records
    });
    let yielded = 0;
    const e = await failure(
      (async () => {
        for await (const _ of readShapefile(z)) yielded++;
      })(),
    );
    expect(yielded).toBe(0);
    expect(e.message).toMatch(/header-40\.zip: major_deposits_az\.shp has 38 shapes but major_deposits_az\.dbf has 38 records \(its header says 40; the file is truncated\)/);
    expect(errorKey(e)).toEqual({ key: 'shapefile.dbfTruncated', params: expect.objectContaining({ shapes: 38, records: 38, headerCount: 40 }) });
    // The key crosses the API and the dialog words it in Japanese.
    const api = toApiError(e);
    const i = i18next.createInstance();
    await i.init({ lng: 'ja', resources: RESOURCES, interpolation: { escapeValue: false } });
    expect(errorText(i.t, api, 'ja')).toBe(
      'header-40.zip: major_deposits_az.shp の図形は 38 個ですが、major_deposits_az.dbf のレコードは 38 件です（ヘッダーでは 40 件。ファイルが途中で切れています）。両者は 1 対 1 で対応している必要があります',
    );
  });

  it('without a .shx, a truncated .dbf is refused with the shapes counted from the .shp', async () => {
    const d = unzipTo(ARIZONA, 'no-shx-truncated', (n) => (n.endsWith('.shx') ? undefined : n));
    const dbfPath = join(d, 'major_deposits_az.dbf');
    const dbf = readFileSync(dbfPath);
    const recordLength = dbf.readUInt16LE(10);
    writeFileSync(dbfPath, dbf.subarray(0, dbf.length - 1 - 5 * recordLength)); // 5 records and the EOF byte cut off
    const e = await failure(readAll(join(d, 'major_deposits_az.shp')));
    expect(e.message).toMatch(/major_deposits_az\.shp has 38 shapes but major_deposits_az\.dbf has 33 records \(its header says 38; the file is truncated\)/);
  });

  it('without a .shx, more shapes than records is found while reading, naming both counts', async () => {
    const d = unzipTo(ARIZONA, 'no-shx-short', (n) => (n.endsWith('.shx') ? undefined : n));
    const dbfPath = join(d, 'major_deposits_az.dbf');
    const dbf = Buffer.from(readFileSync(dbfPath));
    const headerLength = dbf.readUInt16LE(8);
    const recordLength = dbf.readUInt16LE(10);
    dbf.writeUInt32LE(33, 4); // a whole, consistent table of 33 records
    writeFileSync(dbfPath, dbf.subarray(0, headerLength + 33 * recordLength));
    const e = await failure(readAll(join(d, 'major_deposits_az.shp')));
    expect(e.message).toMatch(/major_deposits_az\.shp has 38 shapes but major_deposits_az\.dbf has 33 records; the two must match one to one/);
    expect(errorKey(e)?.key).toBe('shapefile.countMismatch');
  });

  it('a .shx whose size is not a header plus 8 bytes per shape is refused', async () => {
    const z = rezip(ARIZONA, 'bad-shx.zip', (e) => {
      e['major_deposits_az.shx'] = e['major_deposits_az.shx'].subarray(0, 103);
    });
    expect((await failure(readAll(z))).message).toMatch(/major_deposits_az\.shx is 103 bytes, not a 100-byte header plus 8 bytes per shape/);
  });
});

describe('damaged zips and encodings', () => {
  it('a zip claiming more than deflate can give (a bomb, or a lie) is refused before reading', async () => {
    const z = rezip(ARIZONA, 'bomb.zip', () => {});
    lieAboutSize(z, 'major_deposits_az.dbf', 0xf0000000);
    const e = await failure(readAll(z));
    expect(e.message).toMatch(/bomb\.zip: major_deposits_az\.shp: major_deposits_az\.dbf claims 4026531840 bytes uncompressed from \d+ bytes in the zip/);
    expect(errorKey(e)?.key).toBe('shapefile.impossibleSize');
  });

  it('an entry longer than the zip says is refused, naming the file and the sizes', async () => {
    const z = rezip(ARIZONA, 'short-claim.zip', () => {});
    lieAboutSize(z, 'major_deposits_az.shp', 300); // really 1164 bytes
    const e = await failure(readAll(z));
    // The whole .shp comes in one chunk here, so it is refused at its header rather than at a feature.
    expect(e.message).toMatch(/short-claim\.zip: major_deposits_az\.shp: cannot read the shapes: too many bytes in the stream\. expected 300\. got at least 1164/);
  });

  it('not a zip at all', async () => {
    const p = join(dir, 'not-a.zip');
    writeFileSync(p, 'just text, no zip here');
    expect((await failure(readAll(p))).message).toMatch(/cannot read not-a\.zip as a zip file: /);
  });

  it('text that is not in the .cpg encoding is a problem of that field of that feature, not mojibake', async () => {
    const z = rezip(PREFS, 'wrong-cpg.zip', (e) => {
      e['prefectures_cp932.cpg'] = new TextEncoder().encode('UTF-8'); // the names are CP932
    });
    const feats = await readAll(z);
    expect(feats).toHaveLength(47);
    const bad = feats.filter((f) => f.problems?.length);
    // Every nam_ja ends in 県 (CP932 8C A7), 都 (93 73), 府 (95 7B) or 道 (93 B9): a UTF-8 continuation
    // byte where a character must start, so all 47 are invalid UTF-8; nam and id are ASCII.
    expect(bad.length).toBe(47);
    expect(new Set(bad.flatMap((f) => f.problems!.map((p) => p.field)))).toEqual(new Set(['nam_ja']));
    expect(bad[0].problems![0]).toMatchObject({ field: 'nam_ja', code: 'shapefile.badText' });
    expect(bad[0].problems![0].message).toMatch(/not valid utf-8 \(the encoding prefectures_cp932\.cpg gives\)/);
    let rejected = 0;
    for await (const c of checkFile(z)) if (!c.ok && c.problems.some((p) => p.field === 'nam_ja' && p.featureIndex === c.raw.index && p.file === 'wrong-cpg.zip')) rejected++;
    expect(rejected).toBe(bad.length);
  });

  it('a .cpg naming an encoding nobody knows is refused, never guessed', async () => {
    const z = rezip(PREFS, 'klingon.zip', (e) => {
      e['prefectures_cp932.cpg'] = new TextEncoder().encode('KLINGON-7');
    });
    const e = await failure(readAll(z));
    expect(e.message).toMatch(/prefectures_cp932\.cpg names the text encoding "KLINGON-7", which Outcrop cannot decode/);
    expect(errorKey(e)?.key).toBe('shapefile.unknownEncoding');
  });
});

describe('cancel and early stop', () => {
  it.skipIf(!hasProc)('a cancel mid-read stops with an AbortError, writes no temporary file and closes the zip', async () => {
    const tmp = mkdtempSync(join(dir, 'tmpdir-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp; // os.tmpdir() for the reader, were it to write anything
    try {
      const ac = new AbortController();
      let n = 0;
      const err = await (async () => {
        for await (const _ of readShapefile(PREFS, { signal: ac.signal })) {
          if (++n === 5) {
            expect(holdsOpen(PREFS)).toBe(true);
            expect(readdirSync(tmp)).toEqual([]);
            ac.abort();
          }
        }
      })().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((err as Error).name).toBe('AbortError');
      expect(n).toBe(5);
      expect(readdirSync(tmp)).toEqual([]);
      await new Promise((r) => setTimeout(r, 50)); // the fd closes on the next turns
      expect(holdsOpen(PREFS)).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  it.skipIf(!hasProc)('stopping early (as the field-mapping sample does) closes the zip too', async () => {
    for await (const f of readShapefile(ARIZONA)) if (f.index === 2) break;
    await new Promise((r) => setTimeout(r, 50));
    expect(holdsOpen(ARIZONA)).toBe(false);
  });

  it('reports progress against the .dbf header count', async () => {
    const seen: Array<{ done: number; total?: number }> = [];
    await readAll(PREFS, { onProgress: (p: { done: number; total?: number }) => seen.push(p) });
    expect(seen.at(-1)).toMatchObject({ done: 47, total: 47 });
  });
});

describe.skipIf(!hasOgr)('GDAL agrees', () => {
  it('a plain .shp written by ogr2ogr from a zip: same count as ogrinfo', async () => {
    const d = unzipTo(PREFS, 'gdal');
    const out = spawnSync('ogrinfo', ['-ro', '-so', '-al', join(d, 'prefectures_cp932.shp')], { encoding: 'utf8' }).stdout;
    expect((await readAll(join(d, 'prefectures_cp932.shp'))).length).toBe(Number(/Feature Count: (\d+)/.exec(out)![1]));
  });
});
