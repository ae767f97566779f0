import { basename } from 'node:path';
import type { Command } from 'commander';
import { BadInputError, errorKey, formatProblem, ValidationError } from '../../errors';
import { checkFile } from '../../import/pipeline';
import { cancelOnSigint, out } from '../context';
import { progressReporter } from '../progress';
import { plural } from '../../messages/plural';
import { addReadOptions, readOptionsFrom } from '../read-options';

export function validateCommand(program: Command): void {
  const cmd = program
    .command('validate')
    .description('check a GeoJSON, CSV, GeoPackage layer or Shapefile (.zip or .shp) and report every problem; imports nothing. Takes the reading options import takes')
    .argument('<file>');
  addReadOptions(cmd)
    .option('--json', 'print problems as JSON lines')
    .addHelpText('after', '\nExamples:\n  $ outcrop validate field-notes.geojson\n  $ outcrop validate sites-xy.csv --lon Y --lat X --crs EPSG:6677   (Japanese survey X/Y: X is the northing)')
    .action(async (file: string, o: Record<string, any>) => {
      const read = readOptionsFrom(o);
      const ac = cancelOnSigint();
      const progress = progressReporter(`Checking ${basename(file)}`);
      let total = 0;
      let bad = 0;
      let problems = 0;
      const layers = { deposits: 0, surveys: 0 };
      let unlocated = 0;
      try {
        for await (const c of checkFile(file, { ...read, signal: ac.signal, onProgress: progress.onProgress })) {
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
      const summary = `${basename(file)}: ${plural(total, 'feature')}, ${total - bad} valid (${plural(layers.deposits, 'deposit')}, ${plural(layers.surveys, 'survey')}${unlocated ? `; ${unlocated} without a location` : ''}), ${bad} invalid with ${plural(problems, 'problem')}`;
      if (bad) throw new ValidationError([], summary);
      process.stderr.write(summary + '\n');
    });
}
