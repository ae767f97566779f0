import { basename } from 'node:path';
import type { Command } from 'commander';
import { formatProblem, OutcropError, ValidationError } from '../../errors';
import { Project } from '../../store/project';
import { importReferenceLayer } from '../../import/reference-layer';
import { deleteReferenceLayers, listReferenceLayers, REFERENCE_ROLES, type ReferenceRole } from '../../store/reference-layers';
import { cancelOnSigint, err, out } from '../context';
import { progressReporter } from '../progress';

/** `outcrop layers import|list|delete`: reference layers (infrastructure, exclusion zones) kept in the project. */
export function layersCommand(program: Command): void {
  const layers = program
    .command('layers')
    .description('reference layers kept in the project for site comparison: infrastructure (roads, ports, power lines …) and exclusion zones (protected areas)');
  layers
    .command('import')
    .description('store the features of a GeoJSON file (or a GeoPackage layer / zipped Shapefile) as a reference layer; all or nothing (undoable in the app)')
    .argument('<project.gpkg>', 'the project')
    .argument('<file>', 'GeoJSON (.geojson/.json, also .gz), .gpkg, zipped Shapefile .zip or a .shp beside its .dbf/.prj')
    .requiredOption('--role <role>', 'infrastructure (distances are measured to it) or exclusion (polygons: protected areas)')
    .option('--name <name>', 'layer name (default: the file name without extension)')
    .option('--source-layer <name>', 'GeoPackage layer or Shapefile in the .zip to read, when there are several')
    .option('--replace', 'replace a stored layer of the same name')
    .option('--encoding <name>', 'GeoJSON text encoding, e.g. windows-1252 or shift_jis (default: UTF-8, or UTF-16 with a byte-order mark)')
    .addHelpText(
      'after',
      '\nEach feature is named by its "name" (or NAME) property. Every geometry is validated (polygons crossing ±180° are split);\n' +
        'one bad feature refuses the whole file and names file, feature and field.\n' +
        '\nExamples:\n  $ outcrop layers import project.gpkg roads.geojson --role infrastructure\n' +
        '  $ outcrop layers import project.gpkg protected-areas.geojson --role exclusion --name parks\n' +
        '  $ outcrop compare project.gpkg --sites a,b,c --infrastructure roads --exclusions parks --exclusion-mode penalty',
    )
    .action(async (file: string, input: string, o: Record<string, any>) => {
      if (!(REFERENCE_ROLES as readonly string[]).includes(o.role)) throw new OutcropError('USAGE', `--role must be infrastructure or exclusion, got "${o.role}"`);
      const project = Project.open(file);
      const ac = cancelOnSigint();
      const progress = progressReporter(`Importing ${basename(input)}`);
      try {
        const layer = await importReferenceLayer(project, input, { role: o.role as ReferenceRole, name: o.name, replace: !!o.replace, sourceLayer: o.sourceLayer, encoding: o.encoding, signal: ac.signal, onProgress: progress.onProgress });
        progress.stop();
        out(`Stored ${layer.featureCount} ${layer.role === 'exclusion' ? 'exclusion zones' : 'infrastructure features'} (${layer.geometryTypes.join(', ')}) as reference layer "${layer.name}" in ${basename(file)}`);
      } catch (e) {
        progress.stop();
        if (e instanceof ValidationError && e.problems.length > 1) {
          err(e.message);
          for (const p of e.problems.slice(0, 50)) err(`  ${formatProblem(p)}`);
          e.message = '';
        }
        throw e;
      } finally {
        project.close();
      }
    });
  layers
    .command('list')
    .description('list the stored reference layers (name, role, features, geometry types, source file, imported)')
    .argument('<project.gpkg>', 'the project')
    .option('--json', 'print as JSON')
    .addHelpText('after', '\nExample:\n  $ outcrop layers list project.gpkg')
    .action((file: string, o: Record<string, any>) => {
      const project = Project.open(file, { readonly: true }); // an older file is upgraded first by Project.open
      try {
        const list = listReferenceLayers(project);
        if (o.json) return out(JSON.stringify(list, null, 2));
        if (!list.length) return err('no reference layers stored (add one with "outcrop layers import")');
        for (const l of list) out(`${l.name}\t${l.role}\t${l.featureCount}\t${l.geometryTypes.join(';')}\t${l.sourceFile ?? ''}\t${l.importedAt}`);
      } finally {
        project.close();
      }
    });
  layers
    .command('delete')
    .description('delete stored reference layers and their features (one transaction; undoable in the app)')
    .argument('<project.gpkg>', 'the project')
    .argument('<name...>', 'layer names')
    .addHelpText('after', '\nExample:\n  $ outcrop layers delete project.gpkg roads parks')
    .action(async (file: string, names: string[]) => {
      const project = Project.open(file);
      try {
        const n = await deleteReferenceLayers(project, names);
        err(`${n} reference layer${n === 1 ? '' : 's'} deleted`);
      } finally {
        project.close();
      }
    });
}
