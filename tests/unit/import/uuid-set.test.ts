import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newId } from '../../../src/model/ids';
import { UuidSet } from '../../../src/import/uuid-set';

describe('UuidSet (the ids seen in one import file)', () => {
  it('agrees with a Set of the lower-cased strings on 200,000 adds with repeats, across growth', () => {
    // v7 ids minted in one millisecond share their leading bits; v4 ids are random; a few repeat.
    const pool = [...Array.from({ length: 60_000 }, () => newId()), ...Array.from({ length: 60_000 }, () => randomUUID())];
    const set = new UuidSet(16);
    const brute = new Set<string>();
    let seed = 7;
    for (let i = 0; i < 200_000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const id = pool[seed % pool.length];
      const text = seed & 1 ? id.toUpperCase() : id; // the same UUID in either case
      const isNew = !brute.has(id);
      brute.add(id);
      expect(set.add(text)).toBe(isNew);
    }
    expect(set.size).toBe(brute.size);
  });

  it('tells UUIDs apart that differ in any one hex digit, the nil UUID included', () => {
    const base = '00000000-0000-0000-0000-000000000000';
    const set = new UuidSet();
    expect(set.add(base)).toBe(true);
    expect(set.add(base)).toBe(false);
    const positions = [...base].map((c, i) => (c === '-' ? -1 : i)).filter((i) => i >= 0);
    expect(positions).toHaveLength(32);
    for (const i of positions) {
      for (const d of 'f1') {
        const id = base.slice(0, i) + d + base.slice(i + 1);
        expect(set.add(id)).toBe(true);
        expect(set.add(id)).toBe(false);
      }
    }
    expect(set.size).toBe(1 + 32 * 2);
  });
});
