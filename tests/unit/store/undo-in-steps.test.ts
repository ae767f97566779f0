import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/import/import-file';
import { redoInSteps, undoInSteps, undoTarget } from '../../../src/store/history';
import { Project } from '../../../src/store/project';
import type { Progress } from '../../../src/task';
import { sharedPath } from '../../helpers/data';

// Undoing a large import used to be one synchronous call: the app (its main process, or the web
// host) answered nothing for seconds (7 s for the 110k MinMod import). undoInSteps writes the same
// operation with a turn of the event loop every 2,000 changes; a cancel rolls all of it back.
let dir: string;
let p: Project;
const ids = () => (p.db.prepare('SELECT id FROM deposits ORDER BY id').pluck().all() as string[]).join(',');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-undo-steps-'));
  p = Project.open(join(dir, 'p.gpkg'), { create: true, actor: 'tester' });
  const r = await importFile(p, sharedPath('deposits', 'usgs-major-deposits-world.geojson'));
  expect(r.written.deposits).toBe(3161);
});
afterAll(() => {
  p.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('undo and redo in steps', () => {
  it('a cancelled undo changes nothing; a whole one takes the import back while the event loop keeps turning; redo brings it back', async () => {
    const imported = ids();
    const target = undoTarget(p)!;
    expect(target.kind).toBe('import');

    const ac = new AbortController();
    await expect(undoInSteps(p, { signal: ac.signal, onProgress: () => ac.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(ids()).toBe(imported);
    expect(undoTarget(p)?.opId).toBe(target.opId); // still the one to undo

    // Other work waiting for the event loop (an IPC call, a tile request) gets its turn midway.
    let finished = false;
    const seenMidway: number[] = [];
    const tick = () => {
      if (finished) return;
      if (progress.length) seenMidway.push(progress.length);
      setImmediate(tick);
    };
    const progress: Progress[] = [];
    const undoing = undoInSteps(p, { onProgress: (x) => progress.push(x) }).then((r) => ((finished = true), r));
    setImmediate(tick);
    const op = await undoing;
    expect(seenMidway.length).toBeGreaterThan(0);
    expect(op?.kind).toBe('undo');
    expect(p.db.prepare('SELECT count(*) FROM deposits').pluck().get()).toBe(0);
    expect(progress.map((x) => x.done)).toEqual([2000]);
    expect(progress[0]).toMatchObject({ phase: 'undo', total: 3161, unit: 'features' });

    const back = await redoInSteps(p);
    expect(back?.kind).toBe('redo');
    expect(ids()).toBe(imported);
    expect(p.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('an undo asked for while an import is still writing is refused, not run on that import once it ends', async () => {
    let attempt: Promise<unknown> | undefined;
    const r = await importFile(p, sharedPath('deposits', 'usgs-major-deposits-world.geojson'), {
      layer: 'deposits',
      onProgress: () => {
        attempt ??= undoInSteps(p).catch((e: unknown) => e);
      },
    });
    expect(attempt).toBeDefined();
    expect(await attempt).toMatchObject({ message: expect.stringMatching(/is busy with another change/) });
    expect(undoTarget(p)?.opId).toBe(r.opId); // the import stands, and is the one to undo
    expect(p.db.prepare('SELECT count(*) FROM deposits').pluck().get()).toBe(2 * 3161);
  });
});
