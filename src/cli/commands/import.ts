import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { formatProblem, OutcropError, ValidationError } from '../../errors';
import type { FieldMap } from '../../import/field-map';
import { importFile } from '../../import/import-file';
import { Project } from '../../store/project';
import { cancelOnSigint, err, out } from '../context';
import { progressReporter } from '../progress';
import { plural } from '../../messages/plural';

export function importCommand(program: Command): void {
  program
    .command('import')
    .description('import deposits and survey areas from GeoJSON, CSV, GeoPackage or zipped Shapefile (points → deposits, polygons → surveys)')
    .argument('<project.gpkg>', 'the project to import into')
    .argument('<file>', 'a .geojson/.json or .csv file (may be gzipped: .geojson.gz, .csv.gz), a .gpkg, a .zip holding a Shapefile, or a .shp beside its .dbf/.prj')
    .option('--layer <layer>', 'put every feature in this layer: deposits or surveys')
    .option('--skip-invalid', 'store the valid features and write a report of the rejected ones')
    .option('--report <file>', 'where --skip-invalid writes the rejected features (GeoJSON)')
    .option('--format <format>', 'geojson, csv, gpkg or shapefile (default: from the extension)')
    .option('--crs <code>', 'CRS of the coordinates, e.g. EPSG:6677 (CSV x/y; GeoPackage/Shapefile without one; GeoJSON whose "crs" member Outcrop does not know); converted to WGS 84')
    .option('--source-layer <name>', 'GeoPackage layer or Shapefile in the .zip to read, when there are several')
    .option('--lon <column>', 'CSV: longitude column (default: detected)')
    .option('--lat <column>', 'CSV: latitude column (default: detected)')
    .option('--wkt <column>', 'CSV: WKT geometry column (default: detected)')
    .option('--delimiter <char>', 'CSV: field delimiter (default: detected)')
    .option('--encoding <name>', 'CSV/GeoJSON text encoding, e.g. windows-1252 or shift_jis (default: UTF-8, or UTF-16 with a byte-order mark)')
    .option('--map <source=field>', 'map a source field onto an Outcrop field (e.g. nam_ja=name, or id=extra to keep it as is); repeat for more', (v: string, prev: string[] = []) => [...prev, v])
    .option('--max-problems <n>', 'list at most this many problems', '50')
    .addHelpText(
      'after',
      '\nExamples:\n  $ outcrop import project.gpkg ../shared/data/deposits/usgs-major-deposits-world.geojson\n' +
        '  $ outcrop import project.gpkg mrds-extract.csv --skip-invalid --report rejected.geojson\n' +
        '  $ outcrop import project.gpkg sites-xy.csv --lon X --lat Y --crs EPSG:6677\n' +
        '  $ outcrop import project.gpkg kozan-excel.csv --encoding shift_jis\n' +
        '  $ outcrop import project.gpkg survey.gpkg --source-layer sites\n' +
        '  $ outcrop import project.gpkg prefectures.zip --map nam_ja=name --map nam=name_romaji --map id=extra',
    )
    .action(async (projectFile: string, file: string, o: Record<string, string | boolean | string[] | undefined>) => {
      if (o.layer && o.layer !== 'deposits' && o.layer !== 'surveys') {
        throw new OutcropError('USAGE', `--layer must be deposits or surveys, got "${o.layer}"`);
      }
      const fieldMap = parseMapOptions(o.map as string[] | undefined);
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
          layer: o.layer as 'deposits' | 'surveys' | undefined,
          skipInvalid: !!o.skipInvalid,
          reportPath,
          format: o.format as 'geojson' | 'csv' | 'gpkg' | 'shapefile' | undefined,
          crs: o.crs as string | undefined,
          sourceLayer: o.sourceLayer as string | undefined,
          encoding: o.encoding as string | undefined,
          fieldMap,
          csv: { lon: o.lon as string, lat: o.lat as string, wkt: o.wkt as string, delimiter: o.delimiter as string },
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
          err(`Note: a file named ${r.file} of the same size was imported into this project before (${b.features} features, ${b.at}${b.by ? `, by ${b.by}` : ''}). If it is the same file, its features without ids are now in the project twice: undo this import in the app (Edit › Undo, or the Undo button).`);
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

/** `--map a=name --map b=extra` → { a: 'name', b: null }. */
export function parseMapOptions(list: string[] | undefined): FieldMap | undefined {
  if (!list?.length) return undefined;
  const map: FieldMap = {};
  for (const item of list) {
    const i = item.indexOf('=');
    const source = i > 0 ? item.slice(0, i).trim() : '';
    const target = i > 0 ? item.slice(i + 1).trim() : '';
    if (!source || !target) throw new OutcropError('USAGE', `--map takes source=field (e.g. nam_ja=name), got "${item}"`);
    map[source] = target === 'extra' ? null : target;
  }
  return map;
}
