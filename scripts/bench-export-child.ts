// Child process for the export-memory benchmark: prints JSON with its own peak RSS.
import { performance } from 'node:perf_hooks';
import { exportFile } from '../src/export/export-file';
import { Project } from '../src/store/project';

const [file, out] = process.argv.slice(2);
const project = Project.open(file, { readonly: true });
const baselineRssMb = process.memoryUsage().rss / 1e6;
const t0 = performance.now();
await exportFile(project, out, {});
const ms = performance.now() - t0;
project.close();
console.log(JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024, baselineRssMb, ms }));
