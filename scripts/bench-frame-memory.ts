/**
 * Peak memory of the Chromium processes this script started (browser, GPU, renderers and their
 * web workers, where MapLibre parses GeoJSON and cuts tiles), sampled from /proc on Linux as the
 * sum of each process's PSS (proportional set size, so shared pages are not counted twice).
 * Elsewhere it reports nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      // Field 4 (ppid) follows the command name, which is in brackets and may hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(e));
      children.set(ppid, list);
    } catch {
      // the process ended meanwhile
    }
  }
  const out: number[] = [];
  const todo = [...(children.get(root) ?? [])];
  while (todo.length) {
    const pid = todo.pop()!;
    out.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return out;
}

function pssBytes(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Sum of PSS of every process below this one (the browser we launched), in bytes; null off Linux. */
export function childrenPss(): number | null {
  if (process.platform !== 'linux') return null;
  return descendants(process.pid).reduce((a, pid) => a + pssBytes(pid), 0);
}

/** Samples childrenPss() and this process's RSS every `intervalMs` until stop(); reports the peaks. */
export function startMemorySampler(intervalMs = 250): { stop(): { browserPssPeak: number | null; nodeRssPeak: number } } {
  let browser: number | null = childrenPss();
  let node = process.memoryUsage.rss();
  const tick = () => {
    const b = childrenPss();
    if (b != null) browser = Math.max(browser ?? 0, b);
    node = Math.max(node, process.memoryUsage.rss());
  };
  const timer = setInterval(tick, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return { browserPssPeak: browser, nodeRssPeak: node };
    },
  };
}
