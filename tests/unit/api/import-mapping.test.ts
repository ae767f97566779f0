/** The import dialog's field mapping step through the API: inspect, import with a mapping, remembered next time. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../src/api/contract';
import { OutcropService } from '../../../src/api/service';
import { FIXTURES } from '../../helpers/data';

const ZIP = join(FIXTURES, 'shapefile/prefectures-cp932-jgd2011.zip');
let dir: string;
let svc: OutcropService;

function jobEnd(jobId: string): Promise<JobEvent> {
  return new Promise((resolve) => {
    const off = svc.onJobEvent((e) => {
      if (e.jobId === jobId && e.type !== 'progress') {
        off();
        resolve(e);
      }
    });
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-mapping-'));
  svc = new OutcropService({ host: 'web', version: 'test', settingsDir: join(dir, 'settings'), actor: 't' });
  await svc.call('project.open', { path: join(dir, 'p.gpkg'), create: true });
});
afterAll(async () => {
  await svc.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('field mapping step (import.inspect + jobs.import fieldMap)', () => {
  it('shows the fields and the layer targets; nothing remembered the first time', async () => {
    const r = await svc.call('import.inspect', { path: ZIP });
    expect(r).toMatchObject({ ok: true, value: { path: ZIP, format: 'shapefile', layer: 'deposits', remembered: null } });
    const v = (r as any).value;
    expect(v.targets).toContain('commodities_main');
    expect(v.targets).not.toContain('methods');
    expect(v.fields.map((f: any) => f.name)).toEqual(['id', 'nam', 'nam_ja']);
  });

  it('imports with the mapping and remembers it for the same fields', async () => {
    const fieldMap = { nam_ja: 'name', nam: 'name_romaji', id: null };
    const started = await svc.call('jobs.import', { path: ZIP, layer: 'deposits', fieldMap });
    const end = await jobEnd((started as any).value.jobId);
    expect(end).toMatchObject({ type: 'done', summary: 'Imported 47 deposits and 0 surveys from prefectures-cp932-jgd2011.zip; converted from JGD2011' });
    const page = await svc.call('features.table', { layer: 'deposits', search: '北海道', offset: 0, limit: 5 });
    expect((page as any).value.rows.map((r: any) => r.name)).toEqual(['北海道']);

    const again = await svc.call('import.inspect', { path: ZIP });
    expect(again).toMatchObject({ ok: true, value: { remembered: { map: fieldMap, file: 'prefectures-cp932-jgd2011.zip' } } });
    // Another team's service (a new run) reads it from the settings folder too.
    const next = new OutcropService({ host: 'web', version: 'test', settingsDir: join(dir, 'settings') });
    expect(await next.call('import.inspect', { path: ZIP })).toMatchObject({ ok: true, value: { remembered: { map: fieldMap } } });
    await next.dispose();
  });

  it('reports a bad mapping as the job error, naming file and field', async () => {
    const started = await svc.call('jobs.import', { path: ZIP, layer: 'deposits', fieldMap: { nam: 'commodity' } });
    expect(await jobEnd((started as any).value.jobId)).toMatchObject({ type: 'error', error: { message: expect.stringMatching(/prefectures-cp932-jgd2011\.zip \(field mapping\): "nam" → "commodity"/) } });
  });
});
