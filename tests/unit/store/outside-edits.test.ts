import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/import/import-file';
import { exportFile } from '../../../src/export/export-file';
import { registerGpkgFunctions } from '../../../src/store/gpkg/sql-functions';
import { encodeGeometry } from '../../../src/store/gpkg/geometry-blob';
import { redo, undo } from '../../../src/store/history';
import { afterSql } from '../../../src/store/history-after';
import { Project } from '../../../src/store/project';
import { getDeposit } from '../../../src/store/read';
import { tablePage } from '../../../src/api/table';
import { OutcropService } from '../../../src/api/service';
import { compareSites } from '../../../src/compare/compare-sites';
import { depositsWithinSurvey } from '../../../src/spatial/within-area';
import { copyFileSync } from 'node:fs';
import { runCli } from '../../helpers/cli';
import { sharedPath } from '../../helpers/data';

// Another program's connection, as GDAL/QGIS opens a GeoPackage: it has the GeoPackage SQL
// functions the R*Tree triggers call, and nothing of Outcrop.
function otherProgram<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file);
  registerGpkgFunctions(db);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outcrop-outside-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function projectWithJapanSites(name: string): Promise<{ file: string; ids: string[] }> {
  const file = join(dir, name);
  const p = Project.open(file, { create: true, actor: 'geologist' });
  await importFile(p, sharedPath('deposits', 'japan-sites.geojson'));
  const ids = p.db.prepare('SELECT id FROM deposits ORDER BY fid LIMIT 3').pluck().all() as string[];
  p.close();
  return { file, ids };
}

const outsideOps = (p: Project) => p.db.prepare(`SELECT op_id, actor, details FROM outcrop_ops WHERE kind = 'outside-edit' ORDER BY op_id`).all() as { op_id: number; actor: string | null; details: string }[];

describe('edits made by another program', () => {
  it('are journaled when the project is next opened: before and after states, new versions, by nobody known', async () => {
    const { file, ids } = await projectWithJapanSites('reopen.gpkg');
    const before = Project.open(file, { readonly: true });
    const original = getDeposit(before, ids[0])!;
    const versionBefore = before.db.prepare('SELECT version FROM outcrop_history WHERE feature_id = ? ORDER BY seq DESC LIMIT 1').pluck().get(ids[0]);
    before.close();
    otherProgram(file, (db) => {
      db.prepare('UPDATE deposits SET name = ?, geom = ? WHERE id = ?').run('Renamed elsewhere', encodeGeometry({ type: 'Point', coordinates: [140.25, 38.5] }), ids[0]);
      db.prepare('DELETE FROM deposits WHERE id = ?').run(ids[1]);
    });
    const p = Project.open(file, { actor: 'geologist' });
    try {
      const [op] = outsideOps(p);
      expect(op.actor).toBeNull();
      expect(JSON.parse(op.details)).toMatchObject({ outsideEdits: 2, counts: { insert: 0, update: 1, delete: 1 } });
      const rows = p.db.prepare('SELECT feature_id, action, before, after, version, parents FROM outcrop_history WHERE op_id = ? ORDER BY seq').all(op.op_id) as Record<string, string>[];
      expect(rows.map((r) => [r.feature_id, r.action])).toEqual([[ids[0], 'update'], [ids[1], 'delete']]);
      const b = JSON.parse(rows[0].before);
      const a = JSON.parse(rows[0].after);
      expect(b).toMatchObject({ id: ids[0], geometry: original.geometry, properties: { name: original.name } });
      expect(a).toMatchObject({ id: ids[0], geometry: { type: 'Point', coordinates: [140.25, 38.5] }, properties: { name: 'Renamed elsewhere' } });
      expect(JSON.parse(rows[0].parents)).toEqual([versionBefore]);
      expect(rows[0].version).not.toBe(versionBefore);
      expect(p.db.prepare('SELECT count(*) FROM outcrop_outside_edits').pluck().get()).toBe(0);
      // Undo takes the outside edits back like any operation; redo brings them again.
      expect(undo(p)?.label).toBe('Undo Changes made outside Outcrop');
      expect(getDeposit(p, ids[0])).toMatchObject({ name: original.name, geometry: original.geometry });
      expect(getDeposit(p, ids[1])).toBeDefined();
      redo(p);
      expect(getDeposit(p, ids[0])?.name).toBe('Renamed elsewhere');
      expect(getDeposit(p, ids[1])).toBeUndefined();
      // None of Outcrop's own writes (the undo, the redo) were logged as outside edits.
      expect(outsideOps(p)).toHaveLength(1);
      expect(p.db.prepare('SELECT count(*) FROM outcrop_outside_edits').pluck().get()).toBe(0);
    } finally {
      p.close();
    }
  });

  it('made while Outcrop has the project open become their own operation before its next write', async () => {
    const { file, ids } = await projectWithJapanSites('open.gpkg');
    const p = Project.open(file, { actor: 'geologist' });
    try {
      otherProgram(file, (db) => {
        db.prepare('UPDATE deposits SET name = ? WHERE id = ?').run('Two', ids[0]);
        db.prepare('UPDATE deposits SET name = ? WHERE id = ?').run('Three', ids[0]);
        db.prepare(`UPDATE deposits SET id = 'renamed-id' WHERE id = ?`).run(ids[2]);
      });
      const d = getDeposit(p, ids[1])!;
      await p.write('edit', 'Edit a deposit', (w) => w.updateDeposit(ids[1], { ...d, notes: 'checked in the field' }, d.geometry));
      const ops = p.db.prepare('SELECT kind, label, actor FROM outcrop_ops ORDER BY op_id DESC LIMIT 2').all();
      expect(ops).toEqual([
        { kind: 'edit', label: 'Edit a deposit', actor: 'geologist' },
        { kind: 'outside-edit', label: 'Changes made outside Outcrop', actor: null },
      ]);
      const [op] = outsideOps(p);
      const rows = p.db.prepare('SELECT feature_id, action, before, after FROM outcrop_history WHERE op_id = ? ORDER BY seq').all(op.op_id) as Record<string, string>[];
      // Two updates of one feature in a row: each after-image is the next one's before-image.
      expect(rows.map((r) => [r.feature_id, r.action])).toEqual([[ids[0], 'update'], [ids[0], 'update'], [ids[2], 'delete'], ['renamed-id', 'insert']]);
      expect(JSON.parse(rows[0].after).properties.name).toBe('Two');
      expect(JSON.parse(rows[1].before).properties.name).toBe('Two');
      expect(JSON.parse(rows[1].after).properties.name).toBe('Three');
      // The insert under the new id stores no after-image: it is the row as it is now.
      const after = p.db.prepare(`SELECT ${afterSql()} FROM outcrop_history h WHERE h.feature_id = 'renamed-id'`).pluck().all() as string[];
      expect(after).toHaveLength(1);
      expect(JSON.parse(after[0])).toMatchObject({ id: 'renamed-id', properties: { name: JSON.parse(rows[2].before).properties.name } });
    } finally {
      p.close();
    }
  });

  it('undo takes back the newest change, an outside edit included, never writing over one unseen', async () => {
    const { file, ids } = await projectWithJapanSites('undo-order.gpkg');
    const p = Project.open(file, { actor: 'geologist' });
    try {
      const original = getDeposit(p, ids[0])!;
      await p.write('edit', 'Rename', (w) => w.updateDeposit(ids[0], { ...original, name: 'Renamed in Outcrop' }, original.geometry));
      otherProgram(file, (db) => db.prepare('UPDATE deposits SET name = ? WHERE id = ?').run('Renamed in QGIS', ids[0]));
      expect(undo(p)?.label).toBe('Undo Changes made outside Outcrop');
      expect(getDeposit(p, ids[0])?.name).toBe('Renamed in Outcrop');
      expect(undo(p)?.label).toBe('Undo Rename');
      expect(getDeposit(p, ids[0])?.name).toBe(original.name);
    } finally {
      p.close();
    }
  });

  it('a geometry another program set to NULL is journaled as a null geometry and blocks nothing', async () => {
    const { file, ids } = await projectWithJapanSites('null-geom.gpkg');
    otherProgram(file, (db) => db.prepare('UPDATE deposits SET geom = NULL WHERE id = ?').run(ids[0]));
    const p = Project.open(file);
    try {
      const [op] = outsideOps(p);
      expect(JSON.parse(op.details)).toMatchObject({ outsideEdits: 1 });
      const after = p.db.prepare('SELECT after FROM outcrop_history WHERE op_id = ?').pluck().get(op.op_id) as string;
      expect(JSON.parse(after)).toMatchObject({ id: ids[0], geometry: null });
      await p.write('edit', 'Another edit', () => undefined);
    } finally {
      p.close();
    }
  });

  it('opening while another program holds a write still opens; the next write journals the edits', async () => {
    const { file, ids } = await projectWithJapanSites('busy.gpkg');
    const other = new Database(file);
    registerGpkgFunctions(other);
    try {
      other.prepare('UPDATE deposits SET name = ? WHERE id = ?').run('Edited elsewhere', ids[0]);
      other.exec('BEGIN IMMEDIATE'); // and keeps writing past Outcrop's 5 s busy timeout
      const p = Project.open(file);
      try {
        expect(outsideOps(p)).toEqual([]);
        other.exec('COMMIT');
        const d = getDeposit(p, ids[1])!;
        await p.write('edit', 'Edit', (w) => w.updateDeposit(ids[1], { ...d, notes: 'x' }, d.geometry));
        expect(outsideOps(p)).toHaveLength(1);
      } finally {
        p.close();
      }
    } finally {
      other.close();
    }
  }, 20_000);

  it('a bulk import by Outcrop is not logged, and costs the log nothing', async () => {
    const { file } = await projectWithJapanSites('bulk.gpkg');
    const p = Project.open(file);
    try {
      await importFile(p, sharedPath('deposits', 'usgs-ree-deposits-world.geojson'));
      expect(outsideOps(p)).toEqual([]);
      expect(p.db.prepare('SELECT count(*) FROM outcrop_outside_edits').pluck().get()).toBe(0);
      expect(p.db.prepare(`SELECT value FROM outcrop_meta WHERE key = 'outcrop_writing'`).get()).toBeUndefined();
    } finally {
      p.close();
    }
  });
});

describe('a feature whose geometry another program cleared', () => {
  it('reads, exports (GeoJSON null, CSV empty coordinates, GeoPackage NULL) and filters without failing', async () => {
    const { file, ids } = await projectWithJapanSites('cleared.gpkg');
    otherProgram(file, (db) => db.prepare('UPDATE deposits SET geom = NULL WHERE id = ?').run(ids[0]));
    const p = Project.open(file);
    try {
      expect(getDeposit(p, ids[0])).toMatchObject({ id: ids[0], geometry: null });
      const geojson = join(dir, 'cleared.geojson');
      await exportFile(p, geojson);
      const fc = JSON.parse(readFileSync(geojson, 'utf8'));
      expect(fc.features).toHaveLength(207);
      expect(fc.features.find((f: { id: string }) => f.id === ids[0]).geometry).toBeNull();
      const csv = join(dir, 'cleared.csv');
      await exportFile(p, csv);
      expect(readFileSync(csv, 'utf8').split('\n').find((l) => l.startsWith(ids[0]))).toMatch(new RegExp(`^${ids[0]},,,`));
      const gpkg = join(dir, 'cleared-export.gpkg');
      await exportFile(p, gpkg);
      const out = new Database(gpkg, { readonly: true });
      try {
        expect(out.prepare('SELECT count(*) FROM deposits WHERE geom IS NULL').pluck().get()).toBe(1);
        expect(out.prepare('SELECT count(*) FROM deposits').pluck().get()).toBe(207);
      } finally {
        out.close();
      }
    } finally {
      p.close();
    }
  });

  it('comes back from its GeoJSON, CSV and GeoPackage exports as a feature without a location, in its layer', async () => {
    const { file, ids } = await projectWithJapanSites('cleared-rt.gpkg');
    const q = Project.open(file);
    await importFile(q, sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), { skipInvalid: true });
    const surveyIds = q.db.prepare('SELECT id FROM surveys ORDER BY fid').pluck().all() as string[];
    q.close();
    expect(surveyIds).toHaveLength(12); // the valid Earth MRI areas
    otherProgram(file, (db) => {
      db.prepare('UPDATE deposits SET geom = NULL WHERE id IN (?, ?)').run(ids[0], ids[1]);
      db.prepare('UPDATE surveys SET geom = NULL WHERE id = ?').run(surveyIds[0]);
    });
    const p = Project.open(file);
    const outs = { geojson: join(dir, 'cleared-rt.geojson'), csv: join(dir, 'cleared-rt.csv'), wkt: join(dir, 'cleared-rt-surveys.csv'), gpkg: join(dir, 'cleared-rt-out.gpkg') };
    try {
      await exportFile(p, outs.geojson);
      await exportFile(p, outs.csv, { layers: ['deposits'] });
      await exportFile(p, outs.wkt, { layers: ['surveys'] });
      await exportFile(p, outs.gpkg);
    } finally {
      p.close();
    }
    // Each export into a new project: every feature, the cleared ones without a location, no R*Tree entry for them.
    const cases: [string, string, Parameters<typeof importFile>[2], { deposits: number; surveys: number }, string[]][] = [
      ['geojson', outs.geojson, {}, { deposits: 207, surveys: 12 }, [ids[0], ids[1], surveyIds[0]]],
      ['geojson-worker', outs.geojson, { worker: 'always' }, { deposits: 207, surveys: 12 }, [ids[0], ids[1], surveyIds[0]]], // as big files
      ['csv', outs.csv, {}, { deposits: 207, surveys: 0 }, [ids[0], ids[1]]],
      ['wkt', outs.wkt, {}, { deposits: 0, surveys: 12 }, [surveyIds[0]]],
      ['gpkg-deposits', outs.gpkg, { sourceLayer: 'deposits' }, { deposits: 207, surveys: 0 }, [ids[0], ids[1]]],
      ['gpkg-surveys', outs.gpkg, { sourceLayer: 'surveys' }, { deposits: 0, surveys: 12 }, [surveyIds[0]]],
    ];
    for (const [name, path, opts, written, unlocatedIds] of cases) {
      const t = Project.open(join(dir, `cleared-rt-${name}.gpkg`), { create: true });
      try {
        const r = await importFile(t, path, opts);
        expect([name, r.written, r.rejected, r.unlocated]).toEqual([name, written, 0, unlocatedIds.length]);
        const nullIds = t.db.prepare('SELECT id FROM deposits WHERE geom IS NULL UNION ALL SELECT id FROM surveys WHERE geom IS NULL').pluck().all();
        expect(new Set(nullIds)).toEqual(new Set(unlocatedIds));
        const boxes = t.db.prepare('SELECT (SELECT count(*) FROM rtree_deposits_geom) + (SELECT count(*) FROM rtree_surveys_geom)').pluck().get();
        expect(boxes).toBe(written.deposits + written.surveys - unlocatedIds.length);
        // Journaled like every insert, and listed by the table as "(no location)".
        for (const id of unlocatedIds) expect(t.db.prepare("SELECT action FROM outcrop_history WHERE feature_id = ?").pluck().all(id)).toEqual(['insert']);
      } finally {
        t.close();
      }
    }
    // Without --layer a geometry-less feature goes where its properties say; --layer decides otherwise.
    const only = join(dir, 'cleared-rt-only.geojson');
    const fc = JSON.parse(readFileSync(outs.geojson, 'utf8'));
    writeFileSync(only, JSON.stringify({ ...fc, features: fc.features.filter((f: { geometry: unknown }) => f.geometry === null) }));
    const forced = Project.open(join(dir, 'cleared-rt-forced.gpkg'), { create: true });
    try {
      expect((await importFile(forced, only, { layer: 'deposits' })).written).toEqual({ deposits: 3, surveys: 0 });
    } finally {
      forced.close();
    }
    // The CLI says so: validate counts them, import names them.
    const validated = runCli(['validate', only]);
    expect([validated.code, validated.stderr.trim()]).toEqual([0, 'cleared-rt-only.geojson: 3 features, 3 valid (2 deposits, 1 survey; 3 without a location), 0 invalid with 0 problems']);
    const cliProject = join(dir, 'cleared-rt-cli.gpkg');
    expect(runCli(['init', cliProject]).code).toBe(0);
    const imported = runCli(['import', cliProject, only]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('Imported 2 deposits and 1 survey from cleared-rt-only.geojson');
    expect(imported.stdout).toContain('3 of them have no location in the file');
  });

  it('surveys without an outline: a CSV export is WKT (not lon/lat taken from empty rows) and imports back as surveys; the API\'s query in one says why', async () => {
    const file = join(dir, 'cleared-surveys.gpkg');
    const q = Project.open(file, { create: true });
    await importFile(q, sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), { skipInvalid: true });
    q.close();
    otherProgram(file, (db) => db.prepare('UPDATE surveys SET geom = NULL').run());
    const p = Project.open(file);
    const csv = join(dir, 'cleared-surveys.csv');
    let surveyId: string;
    try {
      await exportFile(p, csv, { layers: ['surveys'] });
      surveyId = p.db.prepare('SELECT id FROM surveys LIMIT 1').pluck().get() as string;
    } finally {
      p.close();
    }
    expect(readFileSync(csv, 'utf8').split('\r\n')[0]).toMatch(/^id,wkt,/);
    const back = Project.open(join(dir, 'cleared-surveys-back.gpkg'), { create: true });
    try {
      const r = await importFile(back, csv);
      expect([r.written, r.unlocated]).toEqual([{ deposits: 0, surveys: 12 }, 12]);
    } finally {
      back.close();
    }
    const svc = new OutcropService({ host: 'web', version: 'test', settingsDir: join(dir, 'svc-settings'), exportDir: join(dir, 'svc-exports'), downloadUrl: (f) => f, actor: 'test' });
    try {
      expect((await svc.call('project.open', { path: file })).ok).toBe(true);
      expect(await svc.call('query.within', { surveyId })).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/has no outline/) } });
    } finally {
      await svc.call('project.close', {});
    }
  });

  it('has its fields saved through the API without being placed; a located or a new feature still needs its geometry', async () => {
    const { file, ids } = await projectWithJapanSites('cleared-save.gpkg');
    otherProgram(file, (db) => db.prepare('UPDATE deposits SET geom = NULL WHERE id = ?').run(ids[0]));
    const svc = new OutcropService({ host: 'web', version: 'test', settingsDir: join(dir, 'save-settings'), exportDir: join(dir, 'save-exports'), downloadUrl: (f) => f, actor: 'test' });
    try {
      expect((await svc.call('project.open', { path: file })).ok).toBe(true);
      const got = await svc.call('features.get', { layer: 'deposits', id: ids[0] });
      if (!got.ok) throw new Error(got.error.message);
      const props = { ...got.value!.properties, observer: 'Field check, 2026' };
      const saved = await svc.call('features.saveDeposit', { id: ids[0], properties: props, geometry: null });
      expect(saved.ok && [saved.value.feature.geometry, saved.value.feature.properties.observer]).toEqual([null, 'Field check, 2026']);
      // A located deposit, or a new one, is not saved without a point.
      const located = await svc.call('features.get', { layer: 'deposits', id: ids[1] });
      if (!located.ok) throw new Error(located.error.message);
      for (const req of [{ id: ids[1], properties: located.value!.properties, geometry: null }, { properties: { name: 'New prospect' }, geometry: null }]) {
        expect(await svc.call('features.saveDeposit', req)).toMatchObject({ ok: false, error: { code: 'VALIDATION', problems: [{ field: 'geometry', message: expect.stringMatching(/^a deposit needs a point/) }] } });
      }
    } finally {
      await svc.call('project.close', {});
    }
    const p = Project.open(file, { readonly: true });
    try {
      expect(p.db.prepare('SELECT observer, geom IS NULL AS unlocated FROM deposits WHERE id = ?').get(ids[0])).toEqual({ observer: 'Field check, 2026', unlocated: 1 });
      expect(p.db.prepare('SELECT geom IS NULL FROM deposits WHERE id = ?').pluck().get(ids[1])).toBe(0);
      expect(p.db.prepare("SELECT count(*) FROM outcrop_history WHERE feature_id = ? AND action = 'update'").pluck().get(ids[0])).toBe(2); // the outside edit, then the save
    } finally {
      p.close();
    }
  });

  it('is listed without a location, left out of comparisons, carried by a package and a merge, and put back by undo after a delete', async () => {
    const { file, ids } = await projectWithJapanSites('cleared-more.gpkg');
    const q = Project.open(file);
    await importFile(q, sharedPath('polygons', 'usgs-earthmri-projects-nm-sw.geojson'), { layer: 'surveys', skipInvalid: true });
    const surveyId = q.db.prepare('SELECT id FROM surveys ORDER BY fid LIMIT 1').pluck().get() as string;
    const name = getDeposit(q, ids[0])!.name;
    const site = getDeposit(q, ids[1])!.geometry.coordinates as [number, number];
    q.close();
    // The same project with that deposit deleted instead: what a comparison must see.
    const deleted = join(dir, 'cleared-more-deleted.gpkg');
    copyFileSync(file, deleted);
    otherProgram(deleted, (db) => db.prepare('DELETE FROM deposits WHERE id = ?').run(ids[0]));
    otherProgram(file, (db) => {
      db.prepare('UPDATE deposits SET geom = NULL WHERE id = ?').run(ids[0]);
      db.prepare('UPDATE surveys SET geom = NULL WHERE id = ?').run(surveyId);
    });

    const p = Project.open(file, { actor: 'geologist' });
    try {
      // The table lists it with no place to fly to (it used to fail the whole page).
      const page = tablePage(p, { layer: 'deposits', search: name, offset: 0, limit: 10 });
      expect(page.rows.find((r) => r.id === ids[0])).toMatchObject({ name, center: null });
      const all = tablePage(p, { layer: 'deposits', offset: 0, limit: 5000 });
      expect(all.rows.filter((r) => r.center === null).map((r) => r.id)).toEqual([ids[0]]);
      // "Only without a location" lists just it, among the 207.
      expect(all.total).toBe(207);
      expect(tablePage(p, { layer: 'deposits', unlocated: true, offset: 0, limit: 10 })).toMatchObject({ total: 1, rows: [{ id: ids[0], center: null }] });

      // A comparison counts it as no deposit at all (it crashed decoding the NULL).
      const sites = [{ id: 's1', name: 'near', geometry: { type: 'Point' as const, coordinates: site } }];
      const other = Project.open(deleted, { readonly: true });
      try {
        expect(compareSites(p, sites, { radiusKm: 200 }).scores).toEqual(compareSites(other, sites, { radiusKm: 200 }).scores);
      } finally {
        other.close();
      }

      // A survey without an outline cannot be queried: a clear error naming it, not a TypeError.
      expect(() => depositsWithinSurvey(p, surveyId)).toThrow(/has no outline \(its file had none, or another program cleared it\)/);
      await expect(exportFile(p, join(dir, 'in-cleared-survey.geojson'), { surveyId })).rejects.toThrow(/has no outline/);

      // Deleted and put back by undo: still without a geometry, and the history reads.
      await p.write('edit', 'Delete', (w) => w.delete('deposits', ids[0]));
      expect(getDeposit(p, ids[0])).toBeUndefined();
      undo(p);
      expect(getDeposit(p, ids[0])).toMatchObject({ id: ids[0], name, geometry: null });
      const states = p.db.prepare(`SELECT ${afterSql()} FROM outcrop_history h WHERE h.feature_id = ?`).pluck().all(ids[0]) as (string | null)[];
      expect(states.filter((s) => s !== null).map((s) => JSON.parse(s!).geometry)).toContain(null);
    } finally {
      p.close();
    }

    // Another team merges the package: the features arrive without geometry, the rest intact.
    const pkg = join(dir, 'cleared-more-pkg.gpkg');
    expect(runCli(['package', file, '--out', pkg]).code).toBe(0);
    const team = join(dir, 'cleared-more-team.gpkg');
    expect(runCli(['init', team]).code).toBe(0);
    const merged = runCli(['merge', team, pkg]);
    expect(merged.code, merged.stderr).toBe(0);
    const t = Project.open(team, { readonly: true });
    try {
      expect(getDeposit(t, ids[0])).toMatchObject({ id: ids[0], name, geometry: null });
      expect(t.db.prepare('SELECT count(*) FROM deposits').pluck().get()).toBe(207);
      expect(t.db.prepare('SELECT count(*) FROM rtree_deposits_geom').pluck().get()).toBe(206);
      expect(t.db.prepare('SELECT count(*) FROM surveys WHERE geom IS NULL').pluck().get()).toBe(1);
      expect(t.db.prepare("SELECT rtreecheck('rtree_deposits_geom')").pluck().get()).toBe('ok');
    } finally {
      t.close();
    }
  });
});
