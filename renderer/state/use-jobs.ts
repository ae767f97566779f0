import { useEffect, useState } from 'react';
import type { JobEvent, OutcropApi } from '../../src/api/contract';

/**
 * The last event of every job since the window opened. Subscribed once at the top, before any job
 * starts: over HTTP a fast job's `done` can arrive before the call that started it returns.
 */
export function useJobEvents(api: OutcropApi): ReadonlyMap<string, JobEvent> {
  const [events, setEvents] = useState<ReadonlyMap<string, JobEvent>>(new Map());
  useEffect(
    () =>
      api.onJobEvent((e) =>
        setEvents((prev) => {
          const last = prev.get(e.jobId);
          // A late progress event never hides the end of a job.
          if (last && last.type !== 'progress' && e.type === 'progress') return prev;
          const next = new Map(prev);
          next.set(e.jobId, e);
          return next;
        }),
      ),
    [api],
  );
  return events;
}
