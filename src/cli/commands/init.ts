import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { OutcropError } from '../../errors';
import { Project } from '../../store/project';
import { out } from '../context';

export function initCommand(program: Command): void {
  program
    .command('init')
    .description('create a new, empty project (a GeoPackage file)')
    .argument('<project.gpkg>', 'the project file to create')
    .addHelpText('after', '\nExample:\n  $ outcrop init survey-2026.gpkg')
    .action((file: string) => {
      if (existsSync(file)) throw new OutcropError('USAGE', `${file} already exists; choose another name or open it`);
      Project.open(file, { create: true }).close();
      out(`Created ${file}`);
    });
}
