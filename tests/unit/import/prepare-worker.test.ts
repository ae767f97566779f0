import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadInputError, ValidationError } from '../../../src/errors';
import { importFile, type ImportOptions } from '../../../src/import/import-file';
import { Project } from '../../../src/store/project';
import type { Progress } from '../../../src/task';
import { FIXTURES, hasSharedData, sharedPath } from '../../helpers/data';
import { historyColumnsSql } from '../../../src/store/history-after';

// The import reads, validates and maps in a worker thread for large files (worker: 'auto'); here
// both paths run on the same real files and must write, reject and report exactly alike.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-prepw-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function freshProject(): Project {
  return Project.open(join(dir, `p${n++}.gpkg`), { create: true, actor: 'tester' });
}

/** Everything an import wrote, minus what differs by nature between two runs (ids, times, fid). */
function snapshot(p: Project) {
  const strip = (r: Record<string, unknown>) => {
    const { fid: _f, id: _i, created_at: _c, updated_at: _u, ...rest } = r;
    return rest;
  };
  const deposits = (p.db.prepare('SELECT * FROM deposits ORDER BY fid').all() as Record<string, unknown>[]).map(strip);
  const surveys = (p.db.prepare('SELECT * FROM surveys ORDER BY fid').all() as Record<string, unknown>[]).map(strip);
  const history = (p.db.prepare(`SELECT ${historyColumnsSql()} FROM outcrop_history h ORDER BY h.seq`).all() as Record<string, any>[]).map((h) => {
    const after = JSON.parse(h.after);
    expect(after.id).toBe(h.feature_id);
    delete after.id;
    delete after.properties.created_at;
    delete after.properties.updated_at;
    expect(h.version).toMatch(/^[0-9a-f-]{36}$/);
    return { layer: h.layer, action: h.action, before: h.before, after, parents: h.parents, applied: h.applied, op_id: h.op_id };
  });
  // history names the stored features, and the R*Tree holds their envelopes (float32, rounded outwards)
  const ids = (p.db.prepare("SELECT id FROM deposits UNION ALL SELECT id FROM surveys").pluck().all() as string[]).sort();
  expect((p.db.prepare('SELECT feature_id FROM outcrop_history').pluck().all() as string[]).sort()).toEqual(ids);
  for (const layer of ['deposits', 'surveys']) {
    const missing = p.db
      .prepare(
        `SELECT count(*) FROM ${layer} t LEFT JOIN rtree_${layer}_geom r ON r.id = t.fid
         WHERE r.id IS NULL
            OR NOT (r.minx <= ST_MinX(t.geom) AND r.maxx >= ST_MaxX(t.geom) AND r.miny <= ST_MinY(t.geom) AND r.maxy >= ST_MaxY(t.geom))
            OR ST_MinX(t.geom) - r.minx > 1e-4 OR r.maxy - ST_MaxY(t.geom) > 1e-4`,
      )
      .pluck()
      .get();
    expect(missing).toBe(0);
    expect(p.db.prepare(`SELECT count(*) FROM rtree_${layer}_geom`).pluck().get()).toBe(p.db.prepare(`SELECT count(*) FROM ${layer}`).pluck().get());
  }
  return { deposits, surveys, history };
}

async function both(file: string, opts: ImportOptions = {}) {
  const out = [];
  for (const worker of ['never', 'always'] as const) {
    const p = freshProject();
    const progress: Progress[] = [];
    try {
      const reportPath = opts.reportPath ? `${opts.reportPath}.${worker}` : undefined;
      const r = await importFile(p, file, { ...opts, reportPath, worker, onProgress: (x) => progress.push(x) });
      // the extra properties reported are those stored, counted here by SQLite
      const stored = ['deposits', 'surveys'].flatMap(
        (layer) => p.db.prepare(`SELECT j.key AS name, count(*) AS count FROM ${layer} AS t, json_each(t.extra) AS j GROUP BY j.key`).all() as { name: string; count: number }[],
      );
      expect([...r.extraFields].sort((x, y) => (x.name < y.name ? -1 : 1))).toEqual(stored.sort((x, y) => (x.name < y.name ? -1 : 1)));
      out.push({ result: { ...r, opId: undefined, reportPath: undefined }, snap: snapshot(p), progress, error: undefined as unknown });
    } catch (error) {
      out.push({ result: undefined, snap: snapshot(p), progress, error });
    } finally {
      p.close();
    }
  }
  return out;
}

describe('import through the worker thread', () => {
  it('writes the same rows, history and R*Tree as the in-thread path (real MinMod CSV excerpt)', async () => {
    const [a, b] = await both(join(FIXTURES, 'csv/in/minmod-excerpt.csv'));
    expect(a.error).toBeUndefined();
    expect(b.result).toEqual(a.result);
    expect(a.snap.deposits.length).toBe(200);
    expect(b.snap).toEqual(a.snap);
    // progress keeps flowing from the reading thread: the same events in the same order
    expect(b.progress).toEqual(a.progress);
    expect(b.progress.some((x) => x.phase === 'read')).toBe(true);
    expect(b.progress.at(-1)).toEqual({ phase: 'import', done: 200, total: 200, unit: 'features' });
  });

  it.skipIf(!hasSharedData)('surveys and a rejected feature: same problems, same written rows, same report', async () => {
    const file = sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson');
    const [a, b] = await both(file, { skipInvalid: true, reportPath: join(dir, 'a-report.geojson') });
    expect(a.error).toBeUndefined();
    expect(a.result!.rejected).toBe(1);
    expect(b.result).toEqual(a.result);
    expect(b.snap).toEqual(a.snap);
    const report = readFileSync(join(dir, 'a-report.geojson.never'), 'utf8');
    expect(JSON.parse(report).features).toHaveLength(1);
    expect(readFileSync(join(dir, 'a-report.geojson.always'), 'utf8')).toBe(report);

    // without skipInvalid: refused by both, with the same error (class, message, problems)
    const [c, d] = await both(file);
    expect(c.error).toBeInstanceOf(ValidationError);
    expect(d.error).toBeInstanceOf(ValidationError);
    expect((d.error as ValidationError).message).toBe((c.error as ValidationError).message);
    expect((d.error as ValidationError).problems).toEqual((c.error as ValidationError).problems);
    expect((d.error as ValidationError).code).toBe('VALIDATION');
    expect((c.error as ValidationError).problems[0]).toMatchObject({ file: 'usgs-earthmri-projects-nm-sw.geojson', featureIndex: 9 });
    expect(d.snap).toEqual({ deposits: [], surveys: [], history: [] });
  });

  it('GeoPackage and zipped Shapefile input in a projected CRS: same rows, same source CRS reported', async () => {
    for (const file of ['gpkg/japan-sites-jgd2011-ix.gpkg', 'shapefile/major-deposits-nad83-utm12n.zip']) {
      const [a, b] = await both(join(FIXTURES, file));
      expect(a.error).toBeUndefined();
      expect(a.result!.sourceCrs?.code).toBeDefined();
      expect(b.result).toEqual(a.result);
      expect(b.snap).toEqual(a.snap);
    }
  });

  it('a file unusable as a whole fails with the same BadInputError (file, line) and writes nothing', async () => {
    const [a, b] = await both(join(FIXTURES, 'csv/in/unclosed-quote.csv'));
    expect(a.error).toBeInstanceOf(BadInputError);
    expect(b.error).toBeInstanceOf(BadInputError);
    expect((b.error as BadInputError).message).toBe((a.error as BadInputError).message);
    expect((b.error as BadInputError).details).toEqual((a.error as BadInputError).details);
    expect((b.error as Error).message).toContain('unclosed-quote.csv');
    expect(b.snap).toEqual({ deposits: [], surveys: [], history: [] });
  });

  it('a missing file fails the same way in both paths', async () => {
    const [a, b] = await both(join(dir, 'no-such-file.csv'));
    expect(a.error).toBeDefined();
    expect((b.error as Error).message).toBe((a.error as Error).message);
    expect((b.error as { code?: string }).code).toBe((a.error as { code?: string }).code);
  });

  it('cancel while the worker is reading writes nothing', async () => {
    // a CSV large enough to be cancelled half way (the excerpt's rows repeated)
    const text = readFileSync(join(FIXTURES, 'csv/in/minmod-excerpt.csv'), 'utf8');
    const [header, ...rows] = text.trimEnd().split('\n');
    const big = join(dir, 'big.csv');
    writeFileSync(big, [header, ...Array.from({ length: 25 }, () => rows).flat()].join('\n') + '\n');
    const p = freshProject();
    const ac = new AbortController();
    const seen: Progress[] = [];
    await expect(
      importFile(p, big, {
        worker: 'always',
        signal: ac.signal,
        onProgress: (x) => {
          seen.push(x);
          if (x.phase === 'import' && x.done >= 2000) ac.abort();
        },
      }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen.some((x) => x.phase === 'import' && x.done === 2000)).toBe(true);
    expect(p.db.prepare('SELECT count(*) FROM deposits').pluck().get()).toBe(0);
    expect(p.db.prepare('SELECT count(*) FROM outcrop_history').pluck().get()).toBe(0);
    expect(p.db.prepare('SELECT count(*) FROM outcrop_ops').pluck().get()).toBe(0);
    // the project stays usable: the same file imports in full afterwards
    const r = await importFile(p, big, { worker: 'always' });
    expect(r.written.deposits).toBe(5000);
    p.close();
  });
});

describe.skipIf(!hasSharedData)('import worker: the writing thread stays responsive', () => {
  it('lets the event loop turn between batches (requests, IPC calls and a cancel get through)', async () => {
    // Node hands a port's waiting messages over in one go; without a turn of the event loop per
    // batch the writer could run batch after batch for seconds with nothing else answered.
    // A ticker that re-arms itself once per turn must advance between two progress reports
    // (every 1,000 features: at least one batch of 512 apart).
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const seen: number[] = [];
    const p = freshProject();
    try {
      const r = await importFile(p, sharedPath('deposits', 'minmod-mineral-sites-located.csv.gz'), {
        worker: 'always',
        skipInvalid: true,
        onProgress: (e: Progress) => {
          if (e.phase === 'import' && e.total === undefined) seen.push(turns);
        },
      });
      expect(r.written.deposits).toBeGreaterThan(100_000);
    } finally {
      ticking = false;
      p.close();
    }
    expect(seen.length).toBeGreaterThan(100);
    const stalled = seen.filter((t, i) => i > 0 && t === seen[i - 1]).length;
    expect(stalled).toBe(0);
  });
});
