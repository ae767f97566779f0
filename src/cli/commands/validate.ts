import { basename } from 'node:path';
import type { Command } from 'commander';
import { BadInputError, errorKey, formatProblem, ValidationError } from '../../errors';
import { checkFile } from '../../import/pipeline';
import { cancelOnSigint, out } from '../context';
import { progressReporter } from '../progress';
import { plural } from '../../messages/plural';

export function validateCommand(program: Command): void {
  program
    .command('validate')
    .description('check a GeoJSON, CSV, GeoPackage layer or Shapefile (.zip or .shp) and report every problem; imports nothing')
    .argument('<file>')
    .option('--layer <layer>', 'check as if importing into this layer: deposits or surveys')
    .option('--format <format>', 'geojson, csv, gpkg or shapefile (default: from the extension)')
    .option('--crs <code>', 'CRS of the coordinates, e.g. EPSG:6677 (CSV x/y; GeoPackage/Shapefile without one)')
    .option('--source-layer <name>', 'GeoPackage layer or Shapefile in the .zip to check, when there are several')
    .option('--encoding <name>', 'CSV/GeoJSON text encoding, e.g. windows-1252 or shift_jis (default: UTF-8, or UTF-16 with a byte-order mark)')
    .option('--json', 'print problems as JSON lines')
    .addHelpText('after', '\nExample:\n  $ outcrop validate field-notes.geojson')
    .action(async (file: string, o: Record<string, any>) => {
      const ac = cancelOnSigint();
      const progress = progressReporter(`Checking ${basename(file)}`);
      let total = 0;
      let bad = 0;
      let problems = 0;
      const layers = { deposits: 0, surveys: 0 };
      let unlocated = 0;
      try {
        for await (const c of checkFile(file, { layer: o.layer, format: o.format, crs: o.crs, sourceLayer: o.sourceLayer, encoding: o.encoding, signal: ac.signal, onProgress: progress.onProgress })) {
          total++;
          if (c.ok) {
            layers[c.layer]++;
            if (!c.geometry) unlocated++;
            continue;
          }
          bad++;
          for (const p of c.problems) {
            problems++;
            out(o.json ? JSON.stringify(p) : formatProblem(p));
          }
        }
      } catch (e) {
        progress.stop();
        // A file unusable as a whole: with --json, one more line of the same kind, marked fatal.
        if (o.json && e instanceof BadInputError) {
          const key = errorKey(e);
          out(JSON.stringify({ file: basename(file), ...(e.problem ?? {}), message: e.problem?.message ?? e.message, ...(key ? { code: key.key, params: key.params } : {}), fatal: true }));
        }
        throw e;
      }
      progress.stop();
      const summary = `${basename(file)}: ${total} features, ${total - bad} valid (${plural(layers.deposits, 'deposit')}, ${plural(layers.surveys, 'survey')}${unlocated ? `; ${unlocated} without a location` : ''}), ${bad} invalid with ${plural(problems, 'problem')}`;
      if (bad) throw new ValidationError([], summary);
      process.stderr.write(summary + '\n');
    });
}
