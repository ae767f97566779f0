// Child process for the Shapefile memory test (tests/unit/formats/shapefile-big.test.ts): reads or
// imports one file and prints JSON with its own peak RSS, so the numbers are this job's alone.
//   node --import tsx shapefile-memory-child.ts read <file>
//   node --import tsx shapefile-memory-child.ts import <file> <project.gpkg>
import { performance } from 'node:perf_hooks';
import { importFile } from '../../src/import/import-file';
import { checkFile } from '../../src/import/pipeline';
import { Project } from '../../src/store/project';

const [mode, file, projectFile] = process.argv.slice(2);
const baselineRssMb = process.memoryUsage().rss / 1e6;
const t0 = performance.now();
let features = 0;
let ok = 0;
if (mode === 'read') {
  for await (const c of checkFile(file)) {
    features++;
    if (c.ok) ok++;
  }
} else {
  const project = Project.open(projectFile, { create: true });
  const r = await importFile(project, file, { skipInvalid: true });
  project.close();
  ok = r.written.deposits + r.written.surveys;
  features = ok + r.rejected;
}
const ms = performance.now() - t0;
console.log(JSON.stringify({ features, ok, ms, baselineRssMb, maxRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6 }));
