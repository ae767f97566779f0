import type { Project } from '../store/project';
import { type Layer, type RecordFeature, rowToFeature } from '../store/columns';
import { type FeatureFilter, iterateRows } from '../store/read';
import { intersectsBBox } from './bbox';

/**
 * Features of a layer matching a filter, exact: the R*Tree prefilter runs in SQL, then the
 * bbox is rechecked on the real geometry. Streams (bounded memory).
 */
export function* iterateFeatures(
  project: Project,
  layer: Layer,
  filter: FeatureFilter = {},
  opts: { flattenExtra?: boolean; signal?: AbortSignal } = {},
): Generator<RecordFeature> {
  let n = 0;
  for (const row of iterateRows(project, layer, filter)) {
    if ((++n & 1023) === 0) opts.signal?.throwIfAborted();
    const f = rowToFeature(layer, row, opts);
    if (filter.bbox && !intersectsBBox(f.geometry, filter.bbox)) continue;
    yield f;
  }
}
