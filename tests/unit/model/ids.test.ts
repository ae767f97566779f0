import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { isUuid, newId, newIdRun } from '../../../src/model/ids';

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

describe('newIdRun', () => {
  it('gives runs of distinct, increasing version-7 UUIDs, also when SQL writes them', () => {
    const before = Date.now();
    const count = 100_000;
    const run = newIdRun(count);
    const db = new Database(':memory:');
    const ids = db
      .prepare(`SELECT ? || printf('%012x', ? + value) FROM json_each(?)`)
      .pluck()
      .all(run.prefix, run.first, JSON.stringify(Array.from({ length: count }, (_, k) => k))) as string[];
    const other = newIdRun(count);
    expect(ids[0]).toBe(run.prefix + run.first.toString(16).padStart(12, '0'));
    for (const id of [ids[0], ids[count - 1], other.prefix + '000000000000']) {
      expect(isUuid(id)).toBe(true);
      expect(id[14]).toBe('7');
      expect('89ab').toContain(id[19]);
      expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBeGreaterThanOrEqual(before);
    }
    expect(new Set(ids).size).toBe(count);
    expect([...ids].sort()).toEqual(ids);
  });
});
