import { useCallback, useEffect, useState } from 'react';
import type { ConflictItem, OutcropApi, ProjectInfo } from '../../src/api/contract';

export interface ConflictsState {
  /** Open conflicts of the project (empty without a project). */
  open: ConflictItem[];
  resolved: number;
  refresh(): void;
}

/** Open merge conflicts, fetched again whenever the project's data changes (a merge, a resolve, an undo). */
export function useConflicts(api: OutcropApi, project: ProjectInfo | null): ConflictsState {
  const [open, setOpen] = useState<ConflictItem[]>([]);
  const [resolved, setResolved] = useState(0);
  const [seq, setSeq] = useState(0);
  const key = project ? `${project.path}|${project.dataVersion}` : null;
  useEffect(() => {
    if (!key) {
      setOpen([]);
      setResolved(0);
      return;
    }
    let live = true;
    void api.call('exchange.conflicts', { status: 'open' }).then((r) => {
      if (live && r.ok) setOpen(r.value);
    });
    void api.call('exchange.status', {}).then((r) => {
      if (live && r.ok) setResolved(r.value.resolvedConflicts);
    });
    return () => {
      live = false;
    };
  }, [api, key, seq]);
  const refresh = useCallback(() => setSeq((s) => s + 1), []);
  return { open, resolved, refresh };
}
