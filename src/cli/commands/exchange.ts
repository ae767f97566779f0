import { basename } from 'node:path';
import type { Command } from 'commander';
import { plural } from '../../messages/plural';
import { resolveConflict } from '../../exchange/conflicts';
import { mergePackage } from '../../exchange/merge';
import { OutcropError } from '../../errors';
import { createPackage } from '../../exchange/package';
import { Project } from '../../store/project';
import { cancelOnSigint, err, out } from '../context';
import { progressReporter } from '../progress';

export function exchangeCommands(program: Command): void {
  program
    .command('package')
    .description('write an exchange package (a GeoPackage) of your changes for another team to merge')
    .argument('<project.gpkg>')
    .requiredOption('--out <file.gpkg>', 'the package to write')
    .option('--since <when>', '"last" (since the last package you sent), a date (2026-11-01) or a history number')
    .option('--team <name>', 'your team, shown to the other side (remembered in the project)')
    .option('--agency <name>', 'your agency, e.g. USGS, GSJ, JOGMEC (remembered)')
    .option('--country <code>', 'your country (remembered)')
    .option('--observer <name>', 'who recorded the changes (remembered)')
    .option('--device <name>', 'the device the work was done on (remembered)')
    .addHelpText(
      'after',
      '\nProgress (records, then their history) on stderr; Ctrl-C leaves no package and the project unchanged (exit 130).\n' +
        '\nExample:\n  $ outcrop package survey.gpkg --out team-jp-2026-11.gpkg --since last --team "GSJ field team" --agency GSJ',
    )
    .action(async (projectFile: string, o: Record<string, string | undefined>) => {
      const project = Project.open(projectFile);
      const ac = cancelOnSigint();
      const progress = progressReporter(`Packaging ${basename(o.out!)}`);
      try {
        const given = Object.fromEntries(['team', 'agency', 'country', 'observer', 'device'].filter((k) => o[k]).map((k) => [k, o[k]]));
        if (Object.keys(given).length) await project.setSetting('identity', { ...(project.getSetting<object>('identity') ?? {}), ...given });
        // Ctrl-C leaves no package and the project as it was.
        const r = await createPackage(project, o.out!, { since: o.since, signal: ac.signal, onProgress: progress.onProgress }).finally(progress.stop);
        out(`Wrote ${basename(r.file)}: ${plural(r.features, 'feature')} and ${plural(r.historyRows, 'history entry', 'history entries')} (changes after #${r.sinceSeq} up to #${r.upToSeq})`);
        if (r.notRecorded) err(`Note: the package is complete, but it could not be recorded as sent (${r.notRecorded}); the next "--since last" package will carry these changes again.`);
      } finally {
        project.close();
      }
    });

  program
    .command('merge')
    .description("merge another team's exchange package: per-field three-way merge; conflicts are kept, never applied silently")
    .argument('<project.gpkg>')
    .argument('<package.gpkg>')
    .option('--dry-run', 'show what would change and which conflicts would arise; change nothing')
    .option('--json', 'print the merge report as JSON')
    .addHelpText(
      'after',
      '\nOne transaction: progress (records compared, then written) on stderr; Ctrl-C at any point leaves the project unchanged (exit 130).\n' +
        '\nExample:\n  $ outcrop merge survey.gpkg team-us-2026-11.gpkg --dry-run',
    )
    .action(async (projectFile: string, pkg: string, o: { dryRun?: boolean; json?: boolean }) => {
      const project = Project.open(projectFile);
      const ac = cancelOnSigint();
      const progress = progressReporter(`${o.dryRun ? 'Comparing with' : 'Merging'} ${basename(pkg)}`);
      try {
        // One transaction: Ctrl-C (or any error) while comparing or writing leaves the project unchanged.
        const r = await mergePackage(project, pkg, { dryRun: o.dryRun, signal: ac.signal, onProgress: progress.onProgress }).finally(progress.stop);
        if (o.json) return out(JSON.stringify(r, null, 2));
        const who = [r.from.identity.team, r.from.identity.agency].filter(Boolean).join(', ') || r.from.replica;
        out(`${o.dryRun ? 'Would merge' : 'Merged'} ${r.package} from ${who}${r.alreadyMerged ? ' (merged before)' : ''}:`);
        out(`  ${r.added} added, ${r.updated} updated, ${r.deleted} deleted, ${r.combined} combined field by field, ${r.unchanged} already equal`);
        if (r.droppedFields.length) out(`  fields this project cannot store (kept in the package): ${r.droppedFields.join(', ')}`);
        if (r.conflicts.length) {
          err(`  ${r.conflicts.length} conflicts (your version kept; see "outcrop conflicts ${basename(projectFile)}"):`);
          for (const c of r.conflicts) {
            err(`    ${c.name} (${c.featureId}): ${c.kind === 'field' ? `"${c.field}": yours ${JSON.stringify(c.ours)}, theirs ${JSON.stringify(c.theirs)}` : c.kind === 'edit-delete' ? 'you deleted it, they edited it' : c.kind === 'delete-edit' ? 'they deleted it, you edited it' : `"${c.field}" differs (created on both sides)`}`);
          }
        }
      } finally {
        project.close();
      }
    });

  program
    .command('conflicts')
    .description('list merge conflicts (open ones by default)')
    .argument('<project.gpkg>')
    .option('--all', 'include resolved conflicts')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  $ outcrop conflicts survey.gpkg --json')
    .action((projectFile: string, o: { all?: boolean; json?: boolean }) => {
      const project = Project.open(projectFile, { readonly: true });
      try {
        const rows = project.db
          .prepare(`SELECT * FROM outcrop_conflicts ${o.all ? '' : "WHERE status = 'open'"} ORDER BY conflict_id`)
          .all() as any[];
        const list = rows.map((r) => ({ ...r, base: JSON.parse(r.base), ours: JSON.parse(r.ours), theirs: JSON.parse(r.theirs), their_identity: JSON.parse(r.their_identity) }));
        if (o.json) return out(JSON.stringify(list, null, 2));
        if (!list.length) return out('No open conflicts.');
        for (const c of list) {
          out(`#${c.conflict_id} ${c.layer} ${c.feature_id} ${c.kind}${c.field ? ` "${c.field}"` : ''} — theirs from ${c.their_identity.team ?? c.their_origin}: ${JSON.stringify(c.theirs)}; yours: ${JSON.stringify(c.ours)}`);
        }
      } finally {
        project.close();
      }
    });

  program
    .command('resolve')
    .description('resolve a merge conflict: keep yours, take theirs, or set a value of your own (field conflicts)')
    .argument('<project.gpkg>')
    .argument('<conflict-id>', 'the number shown by "outcrop conflicts"')
    .option('--take <side>', 'ours or theirs')
    .option('--value <json>', 'a value of your own for a field conflict, as JSON (e.g. \'"Kamaishi mine"\' or 12.5)')
    .addHelpText('after', '\nExamples:\n  $ outcrop resolve survey.gpkg 3 --take theirs\n  $ outcrop resolve survey.gpkg 4 --value \'"US 2026-10 visit; JP 2026年10月 調査"\'')
    .action(async (projectFile: string, id: string, o: { take?: string; value?: string }) => {
      if (!!o.take === (o.value !== undefined)) throw new OutcropError('USAGE', 'give either --take ours|theirs or --value <json>');
      if (o.take && o.take !== 'ours' && o.take !== 'theirs') throw new OutcropError('USAGE', `--take must be ours or theirs, got "${o.take}"`);
      let value: unknown;
      if (o.value !== undefined) {
        try {
          value = JSON.parse(o.value);
        } catch {
          throw new OutcropError('USAGE', `--value must be JSON (quote text: '"like this"'), got ${o.value}`);
        }
      }
      const n = Number(id);
      if (!Number.isInteger(n) || n < 1) throw new OutcropError('USAGE', `conflict id must be a number, got "${id}"`);
      const project = Project.open(projectFile);
      try {
        const c = await resolveConflict(project, n, o.take ? { take: o.take as 'ours' | 'theirs' } : { value });
        out(`Resolved conflict #${c.conflictId} (${c.kind}${c.field ? ` "${c.field}"` : ''}); the other team adopts it at their next merge.`);
      } finally {
        project.close();
      }
    });
}
