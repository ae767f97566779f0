import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { MultiPolygon, Polygon } from 'geojson';
import { BadInputError, formatProblem, OutcropError } from '../../errors';
import { validateGeometry } from '../../geometry/validate';
import { depositsNear, depositsWithin, depositsWithinSurvey, nearestDeposits, type DistanceResult } from '../../spatial';
import type { RecordFeature } from '../../store/columns';
import { Project } from '../../store/project';
import { addFilterOptions, filterFromOptions } from '../filters';

export function queryCommand(program: Command): void {
  const q = program
    .command('query')
    .description('spatial queries on deposits; prints a GeoJSON FeatureCollection on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  $ outcrop query project.gpkg within area.geojson --commodity REE\n  $ outcrop query project.gpkg within --survey 0b5e…\n' +
        '  $ outcrop query project.gpkg near -115.53 35.48 --km 50\n  $ outcrop query project.gpkg nearest 139.69 35.69 -k 5',
    );

  addFilterOptions(
    q
      .command('within')
      .description('deposits inside a polygon file (GeoJSON) or inside a survey area (edges count as inside)')
      .argument('<project.gpkg>')
      .argument('[polygon.geojson]', 'a GeoJSON Polygon/MultiPolygon (geometry, Feature or FeatureCollection: all polygons are used)')
      .option('--survey <id>', 'use this survey area instead of a file')
      .addHelpText('after', '\nExample:\n  $ outcrop query project.gpkg within ../shared/data/polygons/usgs-earthmri-projects-nm-sw.geojson'),
  ).action(async (projectFile: string, polygonFile: string | undefined, o: Record<string, any>) => {
    const filter = filterFromOptions(o);
    const project = Project.open(projectFile, { readonly: true });
    try {
      let found: RecordFeature[];
      if (o.survey) found = depositsWithinSurvey(project, o.survey, filter);
      else if (polygonFile) found = depositsWithin(project, await readArea(polygonFile), filter);
      else throw new OutcropError('USAGE', 'give a polygon file or --survey <id>');
      printCollection(found.map((f) => f));
    } finally {
      project.close();
    }
  });

  addFilterOptions(
    q
      .command('near')
      .description('deposits within a distance of a point, nearest first (great-circle km)')
      .argument('<project.gpkg>')
      .argument('<lon>', 'longitude in degrees')
      .argument('<lat>', 'latitude in degrees')
      .requiredOption('--km <n>', 'radius in kilometres')
      .addHelpText('after', '\nExample:\n  $ outcrop query project.gpkg near 138.25 36.2 --km 100 --commodity Au'),
  ).action((projectFile: string, lon: string, lat: string, o: Record<string, any>) => {
    const center = parseLonLat(lon, lat);
    const km = Number(o.km);
    if (!Number.isFinite(km) || km < 0) throw new OutcropError('USAGE', `--km must be a number ≥ 0, got "${o.km}"`);
    const project = Project.open(projectFile, { readonly: true });
    try {
      printCollection(depositsNear(project, center, km, filterFromOptions(o)).map(withDistance));
    } finally {
      project.close();
    }
  });

  addFilterOptions(
    q
      .command('nearest')
      .description('the k deposits nearest to a point (great-circle distance)')
      .argument('<project.gpkg>')
      .argument('<lon>', 'longitude in degrees')
      .argument('<lat>', 'latitude in degrees')
      .option('-k, --count <n>', 'how many', '1')
      .addHelpText('after', '\nExample:\n  $ outcrop query project.gpkg nearest 139.69 35.69 -k 5 --commodity Cu'),
  ).action((projectFile: string, lon: string, lat: string, o: Record<string, any>) => {
    const center = parseLonLat(lon, lat);
    const k = Number(o.count);
    if (!Number.isInteger(k) || k < 1) throw new OutcropError('USAGE', `-k must be a whole number ≥ 1, got "${o.count}"`);
    const project = Project.open(projectFile, { readonly: true });
    try {
      printCollection(nearestDeposits(project, center, k, filterFromOptions(o)).map(withDistance));
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

/** Read a query area: every polygon in the file, validated and antimeridian-normalised. */
export async function readArea(path: string): Promise<Polygon | MultiPolygon> {
  const file = basename(path);
  let json: any;
  try {
    json = JSON.parse((await readFile(path, 'utf8')).replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new BadInputError(`${file}: not a readable GeoJSON file (${(e as Error).message})`);
  }
  const geoms: unknown[] =
    json?.type === 'FeatureCollection' ? (json.features ?? []).map((f: any) => f?.geometry) : json?.type === 'Feature' ? [json.geometry] : [json];
  const polys: Polygon['coordinates'][] = [];
  geoms.forEach((g, i) => {
    const r = validateGeometry(g, { file, featureIndex: i });
    if (r.problems.length) throw new BadInputError(formatProblem(r.problems[0]));
    if (r.geometry?.type === 'Polygon') polys.push(r.geometry.coordinates);
    else if (r.geometry?.type === 'MultiPolygon') polys.push(...r.geometry.coordinates);
  });
  if (!polys.length) throw new BadInputError(`${file}: no Polygon or MultiPolygon in the file`);
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
}

function printCollection(features: RecordFeature[]): void {
  const w = process.stdout;
  w.write('{"type":"FeatureCollection","features":[');
  features.forEach((f, i) => w.write((i ? ',\n' : '\n') + JSON.stringify(f)));
  w.write('\n]}\n');
  process.stderr.write(`${features.length} deposits\n`);
}
