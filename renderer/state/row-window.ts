/**
 * Which rows of a long list to draw and which pages to fetch, for a fixed row height. Pure, so
 * the feature table's virtualisation is tested without a DOM.
 */
export interface RowWindow {
  /** First and one-past-last row index to render (overscan included). */
  start: number;
  end: number;
  /** Page indexes (of `pageSize` rows) the rendered rows fall on. */
  pages: number[];
}

export function rowWindow(scrollTopPx: number, viewportPx: number, rowPx: number, total: number, pageSize: number, overscan = 10): RowWindow {
  if (total <= 0 || rowPx <= 0) return { start: 0, end: 0, pages: [] };
  const first = Math.floor(Math.max(0, scrollTopPx) / rowPx);
  const start = Math.max(0, Math.min(total, first - overscan));
  const end = Math.min(total, first + Math.ceil(Math.max(0, viewportPx) / rowPx) + overscan);
  const pages: number[] = [];
  if (end > start) for (let p = Math.floor(start / pageSize); p <= Math.floor((end - 1) / pageSize); p++) pages.push(p);
  return { start, end, pages };
}
