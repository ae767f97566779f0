import cliProgress from 'cli-progress';
import type { Progress } from '../task';

/**
 * Progress on stderr: a bar on a TTY, nothing otherwise (so scripts and CI logs stay clean).
 * Byte progress (reading) drives the bar when the total is known; feature counts are shown.
 */
export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr) {
  if (!stream.isTTY || process.env.CI) return { onProgress: (_p: Progress) => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {phase} {info}`, stream, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let features = 0;
  const onProgress = (p: Progress) => {
    if (p.unit === 'features' || p.unit === 'rows') features = p.done;
    const info = features ? `${features.toLocaleString('en-US')} features` : '';
    if (p.total && (p.unit === 'bytes' || !started || p.unit === 'features')) {
      if (!started) {
        bar.start(p.total, 0, { phase: p.phase, info });
        started = true;
      }
      if (p.unit === 'bytes' || p.total) {
        bar.setTotal(p.total);
        bar.update(p.done, { phase: p.phase, info });
      }
    } else if (started) bar.update({ phase: p.phase, info });
  };
  return { onProgress, stop: () => started && bar.stop() };
}
