import type { Command } from 'commander';
import { OutcropError } from '../../errors';
import { readAreaFile } from '../../formats/geojson/small-file';
import { depositsNear, depositsWithin, depositsWithinSurvey, nearestDeposits, type DistanceResult } from '../../spatial';
import type { RecordFeature } from '../../store/columns';
import { Project } from '../../store/project';
import { addFilterOptions, filterFromOptions, noteUnmatchedNames } from '../filters';

export function queryCommand(program: Command): void {
  const q = program
    .command('query')
    .description('spatial queries on deposits; prints a GeoJSON FeatureCollection on stdout')
    .argument('<project.gpkg>', 'the project to query')
    .argument('<mode>', 'within | near | nearest')
    .argument('[args...]', 'within: <polygon.geojson> (or --survey <id>); near: <lon> <lat> --km <n>; nearest: <lon> <lat> [-k <n>]')
    .option('--survey <id>', 'within: use this survey area instead of a polygon file')
    .option('--km <n>', 'near: radius in kilometres (great-circle)')
    .option('-k, --count <n>', 'nearest: how many deposits (default 1)')
    .option('--encoding <name>', 'within: text encoding of the polygon file, e.g. windows-1252 or shift_jis (default: UTF-8, or UTF-16 with a byte-order mark)')
    .addHelpText(
      'after',
      '\nModes:\n' +
        '  within <polygon.geojson>   deposits inside the polygon(s) of a GeoJSON file (their union; edges count as inside)\n' +
        '  within --survey <id>       deposits inside a stored survey area\n' +
        '  near <lon> <lat> --km <n>  deposits within n km of a point, nearest first\n' +
        '  nearest <lon> <lat> [-k n] the k deposits nearest to a point\n' +
        'Results carry distance_km for near/nearest. Coordinates are longitude then latitude (WGS 84).\n' +
        '\nExamples:\n  $ outcrop query project.gpkg within area.geojson --commodity REE\n  $ outcrop query project.gpkg within --survey 0b5e4c1e-…\n' +
        '  $ outcrop query project.gpkg near -115.53 35.48 --km 50\n  $ outcrop query project.gpkg nearest 139.69 35.69 -k 5 --commodity Cu',
    );
  addFilterOptions(q).action(async (projectFile: string, mode: string, args: string[], o: Record<string, any>) => {
    const filter = filterFromOptions(o);
    const arity = (n: number, usage: string) => {
      if (args.length !== n) throw new OutcropError('USAGE', `query ${mode} expects ${usage}, got ${args.length ? args.map((a) => `"${a}"`).join(' ') : 'nothing'}`);
    };
    // An option of another mode would be ignored without a word (near --survey answered for all
    // surveys): refused instead.
    const only: [option: string, given: boolean, modes: string][] = [
      ['--survey', o.survey !== undefined, 'within'],
      ['--km', o.km !== undefined, 'near'],
      ['-k/--count', o.count !== undefined, 'nearest'],
      ['--encoding', o.encoding !== undefined, 'within'],
    ];
    for (const [option, given, modes] of only) {
      if (given && ['within', 'near', 'nearest'].includes(mode) && mode !== modes) {
        throw new OutcropError('USAGE', `${option} applies to query ${modes} only, not to query ${mode}`);
      }
    }
    let run: (project: Project) => RecordFeature[];
    switch (mode) {
      case 'within': {
        if (o.survey) {
          arity(0, '--survey <id> and no polygon file');
          run = (p) => depositsWithinSurvey(p, o.survey, filter);
        } else {
          arity(1, 'a polygon file (or --survey <id>)');
          const area = await readAreaFile(args[0], { encoding: o.encoding });
          run = (p) => depositsWithin(p, area, filter);
        }
        break;
      }
      case 'near': {
        arity(2, '<lon> <lat> --km <n>');
        const center = parseLonLat(args[0], args[1]);
        if (o.km === undefined) throw new OutcropError('USAGE', 'query near needs --km <n>');
        const km = Number(o.km);
        if (!Number.isFinite(km) || km < 0) throw new OutcropError('USAGE', `--km must be a number ≥ 0, got "${o.km}"`);
        run = (p) => depositsNear(p, center, km, filter).map(withDistance);
        break;
      }
      case 'nearest': {
        arity(2, '<lon> <lat> [-k <n>]');
        const center = parseLonLat(args[0], args[1]);
        const k = Number(o.count ?? 1);
        if (!Number.isInteger(k) || k < 1) throw new OutcropError('USAGE', `-k must be a whole number ≥ 1, got "${o.count}"`);
        run = (p) => nearestDeposits(p, center, k, filter).map(withDistance);
        break;
      }
      default:
        throw new OutcropError('USAGE', `unknown query "${mode}": use within, near or nearest`);
    }
    const project = Project.open(projectFile, { readonly: true });
    try {
      noteUnmatchedNames(project, filter);
      printCollection(run(project));
    } finally {
      project.close();
    }
  });
}

function withDistance(r: DistanceResult): RecordFeature {
  return { ...r.feature, properties: { ...r.feature.properties, distance_km: Math.round(r.distanceKm * 1000) / 1000 } };
}

function parseLonLat(lon: string, lat: string): [number, number] {
  const x = Number(lon);
  const y = Number(lat);
  if (!Number.isFinite(x) || x < -180 || x > 180) throw new OutcropError('USAGE', `longitude must be a number within −180…180, got "${lon}"`);
  if (!Number.isFinite(y) || y < -90 || y > 90) throw new OutcropError('USAGE', `latitude must be a number within −90…90, got "${lat}"`);
  return [x, y];
}

function printCollection(features: RecordFeature[]): void {
  const w = process.stdout;
  w.write('{"type":"FeatureCollection","features":[');
  features.forEach((f, i) => w.write((i ? ',\n' : '\n') + JSON.stringify(f)));
  w.write('\n]}\n');
  process.stderr.write(`${features.length} deposits\n`);
}
