import { OutcropError, asCancelled } from '../errors';

/** Exit codes: 0 success, 2 bad input or usage, 1 internal error, 130 cancelled (Ctrl-C). */
export function exitCodeFor(err: unknown): number {
  if (asCancelled(err)) return 130;
  if (err instanceof OutcropError) return err.code === 'INTERNAL' ? 1 : 2;
  if ((err as { code?: string })?.code?.startsWith?.('commander.')) return 2;
  return 1;
}

/** One AbortController per CLI run, fired by Ctrl-C (a second Ctrl-C exits at once). */
export function cancelOnSigint(): AbortController {
  const ac = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\nCancelling… (press Ctrl-C again to quit at once)\n');
    ac.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  return ac;
}

export function out(s: string): void {
  process.stdout.write(s.endsWith('\n') ? s : s + '\n');
}

export function err(s: string): void {
  process.stderr.write(s.endsWith('\n') ? s : s + '\n');
}
