import { Command, CommanderError } from 'commander';
import { environmentError, OutcropError } from '../errors';
import { backupCommand } from './commands/backup';
import { compareCommand, sitesCommand } from './commands/compare';
import { coverageCommand } from './commands/coverage';
import { exportCommand } from './commands/export';
import { exchangeCommands } from './commands/exchange';
import { importCommand } from './commands/import';
import { initCommand } from './commands/init';
import { layersCommand } from './commands/layers';
import { queryCommand } from './commands/query';
import { statsCommand } from './commands/stats';
import { validateCommand } from './commands/validate';
import { err, exitCodeFor } from './context';
import { Project } from '../store/project';

/** Build the `outcrop` command tree (exported for tests). */
export function buildProgram(): Command {
  const program = new Command('outcrop')
    .description('Outcrop: offline mapping of critical-mineral deposits and survey areas in GeoPackage projects')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .exitOverride()
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 2 bad input or usage, 1 internal error, 130 cancelled.\n' +
        'Quick start:\n  $ outcrop init demo.gpkg\n  $ outcrop import demo.gpkg ../shared/data/deposits/usgs-major-deposits-world.geojson\n  $ outcrop stats demo.gpkg',
    );
  for (const add of [initCommand, importCommand, exportCommand, queryCommand, statsCommand, validateCommand, backupCommand, exchangeCommands, coverageCommand, compareCommand, sitesCommand, layersCommand]) add(program);
  for (const c of program.commands) {
    c.exitOverride();
    for (const sub of c.commands) sub.exitOverride();
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  Project.onWarning = (message) => err(`warning: ${message}`);
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit with code 0; usage errors were already printed by commander
      return e.exitCode === 0 ? 0 : 2;
    }
    e = environmentError(e) ?? e; // a locked project or a full disk: a plain message, exit 2
    const code = exitCodeFor(e);
    const msg = (e as Error)?.message;
    if (code === 130) err('Cancelled; nothing was changed.');
    else if (e instanceof OutcropError) {
      if (msg) err(`error: ${msg}`);
    } else {
      err(`internal error: ${(e as Error)?.stack ?? String(e)}`);
    }
    return code;
  }
}

const isEntry = process.argv[1] && /outcrop(\.js|\.ts)?$/.test(process.argv[1]);
if (isEntry) {
  // `outcrop stats p.gpkg | head`: a closed pipe ends the output quietly, not with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
