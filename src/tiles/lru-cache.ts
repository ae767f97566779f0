/**
 * A least-recently-used cache bounded by entry count and by a total "size" (bytes for tiles).
 * Map keeps insertion order, so re-inserting on every hit makes its first key the oldest.
 */
export class LruCache<K, V> {
  private readonly map = new Map<K, { value: V; size: number }>();
  private total = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxSize = Infinity,
    private readonly sizeOf: (v: V) => number = () => 0,
  ) {}

  get size(): number {
    return this.map.size;
  }

  /** Sum of `sizeOf` over the entries held. */
  get totalSize(): number {
    return this.total;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  get(key: K): V | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    this.map.delete(key);
    this.map.set(key, hit);
    return hit.value;
  }

  set(key: K, value: V): void {
    this.delete(key);
    const size = this.sizeOf(value);
    this.map.set(key, { value, size });
    this.total += size;
    while (this.map.size > this.maxEntries || (this.total > this.maxSize && this.map.size > 1)) {
      const oldest = this.map.keys().next().value as K;
      this.delete(oldest);
    }
  }

  delete(key: K): boolean {
    const hit = this.map.get(key);
    if (!hit) return false;
    this.total -= hit.size;
    return this.map.delete(key);
  }

  /** Drop every entry whose key matches. */
  deleteWhere(pred: (key: K) => boolean): void {
    for (const key of [...this.map.keys()]) if (pred(key)) this.delete(key);
  }

  clear(): void {
    this.map.clear();
    this.total = 0;
  }
}
