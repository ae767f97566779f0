import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { formatProblem, OutcropError, ValidationError } from '../../errors';
import { importFile } from '../../import/import-file';
import { Project } from '../../store/project';
import { cancelOnSigint, err, out } from '../context';
import { progressReporter } from '../progress';
import { plural } from '../../messages/plural';
import { addReadOptions, readOptionsFrom } from '../read-options';

export function importCommand(program: Command): void {
  const cmd = program
    .command('import')
    .description('import deposits and survey areas from GeoJSON, CSV, GeoPackage or zipped Shapefile (points → deposits, polygons → surveys)')
    .argument('<project.gpkg>', 'the project to import into')
    .argument('<file>', 'a .geojson/.json or .csv file (may be gzipped: .geojson.gz, .csv.gz), a .gpkg, a .zip holding a Shapefile, or a .shp beside its .dbf/.prj')
    .option('--skip-invalid', 'store the valid features and write a report of the rejected ones')
    .option('--report <file>', 'where --skip-invalid writes the rejected features (GeoJSON)');
  addReadOptions(cmd)
    .option('--max-problems <n>', 'list at most this many problems', '50')
    .addHelpText(
      'after',
      '\nExamples:\n  $ outcrop import project.gpkg ../shared/data/deposits/usgs-major-deposits-world.geojson\n' +
        '  $ outcrop import project.gpkg mrds-extract.csv --skip-invalid --report rejected.geojson\n' +
        '  $ outcrop import project.gpkg sites-xy.csv --lon Y --lat X --crs EPSG:6677   (Japanese survey X/Y: X is the northing)\n' +
        '  $ outcrop import project.gpkg kozan-excel.csv --encoding shift_jis\n' +
        '  $ outcrop import project.gpkg survey.gpkg --source-layer sites\n' +
        '  $ outcrop import project.gpkg prefectures.zip --map nam_ja=name --map nam=name_romaji --map id=extra',
    )
    .action(async (projectFile: string, file: string, o: Record<string, string | boolean | string[] | undefined>) => {
      const read = readOptionsFrom(o);
      const maxShown = Number(o.maxProblems);
      if (!Number.isInteger(maxShown) || maxShown < 0) throw new OutcropError('USAGE', `--max-problems must be a whole number ≥ 0, got "${o.maxProblems}"`);
      const project = Project.open(projectFile);
      const ac = cancelOnSigint();
      const progress = progressReporter(`Importing ${basename(file)}`);
      const reportPath = o.skipInvalid
        ? (o.report as string | undefined) ?? join(dirname(projectFile), `${basename(file).replace(/\.(geo)?json(\.gz)?$|\.csv(\.gz)?$|\.gpkg$|\.zip$|\.shp$/i, '')}.rejected.geojson`)
        : undefined;
      try {
        const r = await importFile(project, file, {
          ...read,
          skipInvalid: !!o.skipInvalid,
          reportPath,
          signal: ac.signal,
          onProgress: progress.onProgress,
        });
        progress.stop();
        out(`Imported ${plural(r.written.deposits, 'deposit')} and ${plural(r.written.surveys, 'survey')} from ${r.file} into ${basename(projectFile)}`);
        if (r.extraFields.length) {
          const shown = r.extraFields.slice(0, 25).map((f) => `${f.name} (${f.count})`);
          out(`Kept as extra properties (no Outcrop field): ${shown.join(', ')}${r.extraFields.length > 25 ? `, and ${r.extraFields.length - 25} more` : ''}`);
        }
        if (r.unlocated) {
          out(`${r.unlocated === 1 ? '1 of them has' : `${r.unlocated} of them have`} no location in the file (a null geometry or empty coordinates): the app lists them as "(no location)"; place each with Edit`);
        }
        if (r.importedBefore) {
          const b = r.importedBefore;
          err(`Note: a file named ${r.file} of the same size was imported into this project before (${plural(b.features, 'feature')}, ${b.at}${b.by ? `, by ${b.by}` : ''}). If it is the same file, its features without ids are now in the project twice: undo this import in the app (Edit › Undo, or the Undo button).`);
        }
        for (const u of r.rowCrs ?? []) {
          out(`Coordinates of ${u.rows} rows converted to WGS 84 from ${u.name}${u.code ? ` (EPSG:${u.code})` : ''}, as their "${u.column}" column says${u.note ? `. Note: ${u.note}` : ''}`);
        }
        if (r.sourceCrs) out(`Coordinates converted to WGS 84 from ${r.sourceCrs.name}${r.sourceCrs.code ? ` (EPSG:${r.sourceCrs.code})` : ''}${r.sourceCrs.note ? `. Note: ${r.sourceCrs.note}` : ''}`);
        if (r.rejected) {
          err(`Rejected ${plural(r.rejected, 'invalid feature')}${r.reportPath ? `; report: ${r.reportPath}` : ''}`);
          for (const p of r.problems.slice(0, maxShown)) err(`  ${formatProblem(p)}`);
          if (r.problems.length > maxShown) err(`  … and more (see the report)`);
        }
      } catch (e) {
        progress.stop();
        if (e instanceof ValidationError) {
          err(e.message);
          for (const p of e.problems.slice(0, maxShown)) err(`  ${formatProblem(p)}`);
          if (e.problems.length > maxShown) err(`  … ${e.problems.length - maxShown} more listed problems (use --max-problems, or "outcrop validate")`);
          err(o.skipInvalid ? 'Nothing was imported: no feature of the file is valid.' : 'Nothing was imported. Fix the file, or use --skip-invalid to import the valid features.');
          e.message = '';
        }
        throw e;
      } finally {
        project.close();
      }
    });
}
