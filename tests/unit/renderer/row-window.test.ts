import { describe, expect, it } from 'vitest';
import { rowWindow } from '../../../renderer/state/row-window';

describe('rowWindow', () => {
  it('is empty for an empty list', () => {
    expect(rowWindow(0, 500, 26, 0, 200)).toEqual({ start: 0, end: 0, pages: [] });
  });
  it('covers the viewport plus overscan at the top', () => {
    expect(rowWindow(0, 260, 26, 110_459, 200, 10)).toEqual({ start: 0, end: 20, pages: [0] });
  });
  it('spans two pages at a page boundary, deep in a 110k list', () => {
    const w = rowWindow(195 * 26, 260, 26, 110_459, 200, 10);
    expect(w).toEqual({ start: 185, end: 215, pages: [0, 1] });
  });
  it('clamps at the end of the list', () => {
    const w = rowWindow(110_459 * 26, 260, 26, 110_459, 200, 10);
    expect(w.end).toBe(110_459);
    expect(w.pages).toEqual([552]);
  });
});
