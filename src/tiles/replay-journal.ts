import type { Project } from '../store/project';
import type { ClusterPyramid } from './cluster-pyramid';
import type { JournalRange } from './data-version';
import { afterSql } from '../store/history-after';

/** Past this many deposit changes, one rescan is cheaper than replaying the journal. */
export const MAX_REPLAYED_CHANGES = 20_000;

interface JournalState {
  geometry?: { type?: string; coordinates?: unknown };
  properties?: { commodities_main?: unknown };
}

/**
 * Bring an unfiltered cluster pyramid up to date by replaying the deposit history rows in
 * `range`: each change takes its "before" state away and adds its "after" state, so an edit on
 * a million-deposit project costs a few map updates instead of a 2-second rescan.
 * Returns false (pyramid untouched) when there are too many changes; rebuild then.
 */
export function replayDepositJournal(project: Project, pyramid: ClusterPyramid, range: JournalRange): boolean {
  if (range.toSeq <= range.fromSeq) return true;
  const n = project.db
    .prepare(`SELECT count(*) FROM outcrop_history WHERE seq > ? AND seq <= ? AND layer = 'deposits' AND applied = 1`)
    .pluck()
    .get(range.fromSeq, range.toSeq) as number;
  if (n > MAX_REPLAYED_CHANGES) return false;
  const rows = project.db
    .prepare(`SELECT h.before, ${afterSql()} FROM outcrop_history h WHERE h.seq > ? AND h.seq <= ? AND h.layer = 'deposits' AND h.applied = 1 ORDER BY h.seq`)
    .raw()
    .iterate(range.fromSeq, range.toSeq) as IterableIterator<[string | null, string | null]>;
  for (const [before, after] of rows) {
    if (before) apply(pyramid, JSON.parse(before) as JournalState, -1);
    if (after) apply(pyramid, JSON.parse(after) as JournalState, 1);
  }
  return true;
}

function apply(pyramid: ClusterPyramid, state: JournalState, sign: 1 | -1): void {
  const g = state.geometry;
  if (!g || g.type !== 'Point' || !Array.isArray(g.coordinates)) return;
  const [lng, lat] = g.coordinates as number[];
  const main = state.properties?.commodities_main;
  const first = Array.isArray(main) && typeof main[0] === 'string' && main[0] ? main[0] : null;
  pyramid.add(lng, lat, first, sign);
}
