import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { OutcropError } from '../../errors';
import { Project } from '../../store/project';
import { cancelOnSigint, out } from '../context';
import { progressReporter } from '../progress';

export function backupCommand(program: Command): void {
  program
    .command('backup')
    .description('copy a project to a new file, consistently, while it may be open (SQLite backup API; never a copy of the open file)')
    .argument('<project.gpkg>', 'the project to copy')
    .argument('<copy.gpkg>', 'the new file (must not exist)')
    .option('--compact', 'write a compacted copy (VACUUM INTO): smaller, slower, no progress')
    .addHelpText('after', '\nExamples:\n  $ outcrop backup survey-2026.gpkg backups/survey-2026-12-07.gpkg\n  $ outcrop backup survey-2026.gpkg survey-2026-archive.gpkg --compact')
    .action(async (projectFile: string, copyFile: string, o: { compact?: boolean }) => {
      // Never overwrite: a slip of the tab key must not replace another project.
      if (existsSync(copyFile)) throw new OutcropError('USAGE', `${copyFile} already exists; choose another name`);
      const project = Project.open(projectFile, { readonly: true });
      const ac = cancelOnSigint();
      const progress = progressReporter(`Backing up ${basename(projectFile)}`);
      try {
        if (o.compact) project.vacuumInto(copyFile);
        else await project.backup(copyFile, { signal: ac.signal, onProgress: progress.onProgress });
      } finally {
        progress.stop();
        project.close();
      }
      out(`Copied ${basename(projectFile)} to ${copyFile} (${(statSync(copyFile).size / 1e6).toFixed(1)} MB)`);
    });
}
