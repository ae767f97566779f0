import { describe, expect, it } from 'vitest';
import { isUuid, newId } from '../../../src/model/ids';

describe('newId', () => {
  it('mints RFC 9562 version-7 UUIDs carrying the current time', () => {
    const before = Date.now();
    const id = newId();
    const after = Date.now();
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('7'); // version nibble
    expect('89ab').toContain(id[19]); // variant 10xx
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after);
  });

  it('ids minted later sort later (index-friendly), and do not repeat', () => {
    const ids = Array.from({ length: 2000 }, () => newId());
    expect(new Set(ids).size).toBe(2000);
    const first = ids[0].slice(0, 13);
    const last = ids[ids.length - 1].slice(0, 13);
    expect(last >= first).toBe(true);
  });
});
