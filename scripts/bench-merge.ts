/**
 * node --import tsx scripts/bench-merge.ts — the merge of a big exchange package, as the app
 * does it: a preview (dry run), then the merge. Built from the 110k-site MinMod CSV in
 * ../shared/data. Nothing here is asserted in the test suite; the numbers are quoted in
 * docs/exchange-design.md.
 *
 *   initial   an empty project merges team A's full package (every record new)
 *   round     team B (a copy of A's starting file) merges A's full package after A edited 1,000
 *             records: every record compared, 1,000 updated
 */
import { copyFileSync, createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { importFile } from '../src/import/import-file';
import { createPackage } from '../src/exchange/package';
import * as merge from '../src/exchange/merge';
import { getDeposit } from '../src/store/read';
import { Project } from '../src/store/project';

const DATA = resolve(import.meta.dirname, '../../shared/data');
const CSV_GZ = join(DATA, 'deposits/minmod-mineral-sites-located.csv.gz');
const dir = mkdtempSync(join(tmpdir(), 'outcrop-bench-merge-'));
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const time = async <T>(fn: () => Promise<T>): Promise<[number, T]> => {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
};
const mb = () => `${Math.round(process.memoryUsage().rss / 1e6)} MB RSS`;

/** The app's flow: preview, then merge (reusing the preview where this build can). */
async function previewThenMerge(project: Project, pkg: string) {
  const [tPreview, plan] = await time(() => merge.previewMerge(project, pkg));
  const [tMerge, report] = await time(() => merge.mergePackage(project, pkg, { plan }));
  if (report !== plan.report) throw new Error('the merge did not reuse the preview');
  return { tPreview, tMerge, report };
}

async function main() {
  if (!existsSync(CSV_GZ)) throw new Error(`missing ${CSV_GZ}: the benchmark needs ../shared/data`);
  const csv = join(dir, 'sites.csv');
  await pipeline(createReadStream(CSV_GZ), createGunzip(), createWriteStream(csv));
  const a = Project.open(join(dir, 'team-a.gpkg'), { create: true, actor: 'a' });
  const imp = await importFile(a, csv, { skipInvalid: true });
  a.close();
  copyFileSync(join(dir, 'team-a.gpkg'), join(dir, 'team-b.gpkg')); // the file manager's copy
  const A = Project.open(join(dir, 'team-a.gpkg'), { actor: 'a' });
  const ids = A.db.prepare('SELECT id FROM deposits ORDER BY fid').pluck().all() as string[];
  console.log(`project: ${imp.written.deposits} deposits`);

  // initial: an empty project takes A's full package
  const [tPkg, full] = await time(() => createPackage(A, join(dir, 'a-full.gpkg')));
  console.log(`package (everything): ${full.features} records, ${(statSync(full.file).size / 1e6).toFixed(0)} MB, ${fmt(tPkg)}`);
  const C = Project.open(join(dir, 'team-c.gpkg'), { create: true, actor: 'c' });
  const i = await previewThenMerge(C, full.file);
  console.log(`initial: preview ${fmt(i.tPreview)}, merge ${fmt(i.tMerge)}, total ${fmt(i.tPreview + i.tMerge)} (${i.report.added} added) ${mb()}`);
  C.close();

  // round: A edits 1,000 records; B merges A's full package
  await A.write('edit', 'edit 1000', (w) => {
    for (const id of ids.filter((_, k) => k % 100 === 0).slice(0, 1000)) {
      const { geometry, id: _id, createdAt, updatedAt, createdBy, updatedBy, ...fields } = getDeposit(A, id)!;
      w.updateDeposit(id, { ...fields, notes: 'A: checked' }, geometry);
    }
  });
  const full2 = await createPackage(A, join(dir, 'a-full-2.gpkg'));
  const B = Project.open(join(dir, 'team-b.gpkg'), { actor: 'b' });
  const r = await previewThenMerge(B, full2.file);
  console.log(`round: preview ${fmt(r.tPreview)}, merge ${fmt(r.tMerge)}, total ${fmt(r.tPreview + r.tMerge)} (${r.report.updated} updated, ${r.report.unchanged} unchanged) ${mb()}`);
  B.close();
  A.close();
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
