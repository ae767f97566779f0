import type { FeatureFilter } from '../store/read';

/**
 * A canonical string for a filter, so equal filters share cached tiles and cluster pyramids:
 * keys sorted, lists sorted, empty lists and unset fields dropped. '' means "no filter".
 */
export function filterKey(f: FeatureFilter | undefined): string {
  if (!f) return '';
  const parts: [string, unknown][] = [];
  for (const key of Object.keys(f).sort()) {
    const v = (f as Record<string, unknown>)[key];
    if (v === undefined || v === null || v === false || v === '') continue;
    if (Array.isArray(v)) {
      if (!v.length) continue;
      parts.push([key, key === 'bbox' ? v : [...new Set(v.map(String))].sort()]);
    } else parts.push([key, v]);
  }
  return parts.length ? JSON.stringify(parts) : '';
}
