/**
 * A bounded, approximately-LRU map (the two-generation scheme of `quick-lru`). Entries go into a
 * young generation; when it is full it becomes the old generation and the previous old one is
 * dropped whole. A hit in the old generation moves the entry back to the young one.
 *
 * Why not an exact LRU over one Map (delete + re-insert on every hit): V8 Maps leave a hole per
 * delete and compact only on rehash, so with tens of thousands of entries and a hit on every trie
 * read the churn dominated node lookups (measured: several µs per hit). Here a hit in the young
 * generation is a single Map lookup. The guarantee is slightly weaker but enough for a node cache:
 * anything read or written within the last capacity/2 insertions is still cached, and at most
 * `capacity` entries are held.
 */
export class LruCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly generationSize: number;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`bad cache capacity ${capacity}`);
    this.generationSize = Math.ceil(capacity / 2);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  get(key: K): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined) return v;
    const o = this.old.get(key);
    if (o !== undefined) {
      this.old.delete(key);
      this.setYoung(key, o);
    }
    return o;
  }

  set(key: K, value: V): void {
    if (this.capacity === 0) return;
    // a stale copy left in the old generation is harmless: reads look in the young one first,
    // and it goes away with its generation
    this.setYoung(key, value);
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }

  private setYoung(key: K, value: V): void {
    this.young.set(key, value);
    if (this.young.size >= this.generationSize) {
      this.old = this.young;
      this.young = new Map();
    }
  }
}
