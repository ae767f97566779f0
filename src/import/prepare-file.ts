import type { Problem } from '../errors';
import type { RawFeatureWithProblems } from '../formats/types';
import { type AuditDefaults, prepareInsert, type PreparedInsert } from '../store/write-session';
import { checkFileBatches, type ReadInputOptions } from './pipeline';

/** One feature of an import: ready to write, or rejected with its problems. */
export type PreparedFeature =
  | { ok: true; insert: PreparedInsert }
  | { ok: false; raw: RawFeatureWithProblems; problems: Problem[] };

/** Features per batch, in this thread and from the worker (one message each). */
export const PREPARE_BATCH = 512;

/**
 * Read, validate, map and turn into ready-to-insert rows every feature of a file, in file
 * order and in batches. Runs in whatever thread calls it: in-thread for small files, inside
 * src/import/prepare-worker.ts for large ones (see prepare-in-worker.ts). Nothing is written.
 * `extra` counts, per property kept verbatim in `extra`, the ready features that carry it (for
 * the import report; counted here so the writer does not scan the rows again).
 */
export async function* prepareFile(path: string, opts: ReadInputOptions, defaults: AuditDefaults, extra?: Map<string, number>): AsyncGenerator<PreparedFeature[]> {
  let batch: PreparedFeature[] = [];
  for await (const checked of checkFileBatches(path, opts)) {
    for (const c of checked) {
      opts.signal?.throwIfAborted(); // as checkFile would, between features
      if (c.ok && extra) for (const k of Object.keys(c.fields.extra)) extra.set(k, (extra.get(k) ?? 0) + 1);
      batch.push(
        c.ok
          ? { ok: true, insert: prepareInsert(c.layer, c.fields, c.geometry, c.id, c.audit, defaults) }
          : { ok: false, raw: c.raw, problems: c.problems },
      );
      if (batch.length >= PREPARE_BATCH) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length) yield batch;
}
