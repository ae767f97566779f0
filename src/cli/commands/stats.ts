import { OutcropError } from '../../errors';
import type { Command } from 'commander';
import { projectStats } from '../../store/stats';
import { Project } from '../../store/project';
import { out } from '../context';

export function statsCommand(program: Command): void {
  program
    .command('stats')
    .description('counts per layer, main commodity and country')
    .argument('<project.gpkg>')
    .option('--json', 'print JSON instead of tables')
    .option('--top <n>', 'rows per table', '20')
    .addHelpText('after', '\nExample:\n  $ outcrop stats project.gpkg --json')
    .action((projectFile: string, o: { json?: boolean; top: string }) => {
      const top = Number(o.top);
      if (!Number.isInteger(top) || top < 1) throw new OutcropError('USAGE', `--top must be a whole number ≥ 1, got "${o.top}"`);
      const project = Project.open(projectFile, { readonly: true });
      try {
        const s = projectStats(project);
        if (o.json) return out(JSON.stringify(s, null, 2));
        out(`${projectFile}\n  deposits: ${s.layers.deposits}\n  surveys:  ${s.layers.surveys}`);
        const table = (title: string, rows: { key: string | null; count: number }[]) => {
          out(`\n${title}`);
          for (const r of rows.slice(0, top)) out(`  ${String(r.count).padStart(8)}  ${r.key ?? '(none)'}`);
          if (rows.length > top) out(`  … ${rows.length - top} more`);
        };
        table('Deposits by main commodity (a deposit counts once per main commodity)', s.byCommodity);
        table('Deposits by country', s.byCountry);
        table('Deposits by status', s.byStatus);
        table('Surveys by agency', s.surveysByAgency);
      } finally {
        project.close();
      }
    });
}
