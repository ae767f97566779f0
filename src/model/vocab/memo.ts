/**
 * Memoise a pure function of one string. Imports repeat the same commodity lists and deposit-
 * type words across 100k rows (MinMod: 11k distinct lists, 678 type texts in 110k sites), and
 * parsing them was a third of the mapping's time. Texts longer than `maxLength` are not kept,
 * and the cache is dropped whole at `max` entries, so hostile input cannot grow it unbounded.
 */
export function memoizeText<T>(fn: (text: string) => T, max = 32768, maxLength = 256): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    if (text.length > maxLength) return fn(text);
    let hit = cache.get(text);
    if (hit === undefined && !cache.has(text)) {
      if (cache.size >= max) cache.clear();
      hit = fn(text);
      cache.set(text, hit);
    }
    return hit as T;
  };
}
