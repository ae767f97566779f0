import type { Command } from 'commander';
import { plural } from '../../messages/plural';
import { OutcropError } from '../../errors';
import { exportFile } from '../../export/export-file';
import { Project } from '../../store/project';
import { cancelOnSigint, out } from '../context';
import { addFilterOptions, filterFromOptions, noteUnmatchedNames } from '../filters';
import { progressReporter } from '../progress';

export function exportCommand(program: Command): void {
  const cmd = program
    .command('export')
    .description('export features to GeoJSON (RFC 7946), CSV or a GeoPackage for QGIS/GDAL, optionally filtered')
    .argument('<project.gpkg>', 'the project to export from')
    .argument('<out>', 'output file: .geojson, .csv or .gpkg')
    .option('--layer <layer>', 'deposits or surveys (default: both for GeoJSON, deposits for CSV)')
    .option('--survey <id>', 'only deposits of this survey (recorded in it or inside its area), and the survey')
    .option('--csv-geometry <mode>', 'CSV geometry columns: auto, latlon or wkt', 'auto')
    .option('--labels <lang>', 'write vocabulary labels instead of codes: en or ja (e.g. リチウム for Li); imports read either')
    .option('--crs <code>', 'reproject (CSV, GeoPackage), e.g. EPSG:6677 for JGD2011 Japan Plane Rectangular IX; projected CSV points get x,y columns');
  addFilterOptions(cmd)
    .addHelpText(
      'after',
      '\nExamples:\n  $ outcrop export project.gpkg all.geojson\n  $ outcrop export project.gpkg lithium-japan.csv --commodity Li --country Japan\n' +
        '  $ outcrop export project.gpkg fiji.geojson --bbox 176,-20,-178,-15\n' +
        '  $ outcrop export project.gpkg for-qgis.gpkg --country Japan\n' +
        '  $ outcrop export project.gpkg kanto-jgd2011.gpkg --bbox 138.4,34.5,141.2,37.9 --crs EPSG:6677',
    )
    .action(async (projectFile: string, outFile: string, o: Record<string, any>) => {
      if (o.layer && o.layer !== 'deposits' && o.layer !== 'surveys') {
        throw new OutcropError('USAGE', `--layer must be deposits or surveys, got "${o.layer}"`);
      }
      if (o.labels && o.labels !== 'en' && o.labels !== 'ja') throw new OutcropError('USAGE', `--labels must be en or ja, got "${o.labels}"`);
      const project = Project.open(projectFile, { readonly: true });
      const ac = cancelOnSigint();
      const progress = progressReporter(`Exporting ${outFile}`);
      try {
        const filter = filterFromOptions(o);
        noteUnmatchedNames(project, filter);
        const r = await exportFile(project, outFile, {
          layers: o.layer ? [o.layer] : undefined,
          filter,
          surveyId: o.survey,
          csvGeometry: o.csvGeometry,
          labels: o.labels,
          crs: o.crs,
          signal: ac.signal,
          onProgress: progress.onProgress,
        });
        progress.stop();
        out(`Exported ${plural(r.count, 'feature')} (${r.layers.join(' and ')}) to ${outFile}`);
      } finally {
        progress.stop();
        project.close();
      }
    });
}
