/**
 * Storage values of ONE state root, by storage key: what a read of the best state would find in
 * the trie, without walking it (Substrate keeps such a shared value cache for the same reason).
 * Valid only for `root`: a read of any other root goes to the trie. When a block that extends
 * `root` is committed, `advance` applies its changes in place and the cache then stands for the
 * new root; any other move starts it afresh. Bounded by bytes, two generations (as LruCache):
 * a hit in the old one moves back to the young one. Absent keys are cached too (null).
 *
 * Layout: a generation keeps its values back to back in one byte arena ([u32 length][bytes]) and
 * maps the key (latin1) to the value's offset, a small integer V8 stores unboxed. A Uint8Array per
 * value cost ~200 bytes of object headers on top of its bytes, so an epoch block's working set
 * (hundreds of thousands of small values: stakes, keys, block numbers) did not fit the budget and
 * every read fell through to the trie. Reads return a copy, so callers may keep or mutate it.
 */

import { bytesEqual } from "../../util/bytes.js";

/** Index value of a key known to be absent. */
const ABSENT = -1;

/**
 * What an index entry costs besides its key's bytes: the Map slot with its share of the table
 * (which grows by doubling) and the key string's header. Generous on purpose: the budget is a
 * bound on memory, not a target.
 */
const ENTRY_OVERHEAD = 96;

const INITIAL_ARENA = 64 * 1024;

class Generation {
  readonly index = new Map<string, number>();
  private arena: Uint8Array;
  private used = 0;
  /** index entries (ENTRY_OVERHEAD + key length each), plus the arena's capacity */
  cost: number;

  constructor(initialArena: number) {
    this.arena = new Uint8Array(initialArena);
    this.cost = initialArena;
  }

  /** The value at `offset` (a copy), or null for ABSENT. */
  read(offset: number): Uint8Array | null {
    if (offset === ABSENT) return null;
    const a = this.arena;
    const len = (a[offset] | (a[offset + 1] << 8) | (a[offset + 2] << 16) | (a[offset + 3] << 24)) >>> 0;
    return a.slice(offset + 4, offset + 4 + len);
  }

  put(key: string, value: Uint8Array | null): void {
    if (!this.index.has(key)) this.cost += ENTRY_OVERHEAD + key.length;
    if (value === null) {
      this.index.set(key, ABSENT);
      return;
    }
    const need = 4 + value.length;
    if (this.used + need > this.arena.length) this.grow(need);
    const a = this.arena;
    const o = this.used;
    const len = value.length;
    a[o] = len & 0xff;
    a[o + 1] = (len >>> 8) & 0xff;
    a[o + 2] = (len >>> 16) & 0xff;
    a[o + 3] = (len >>> 24) & 0xff;
    a.set(value, o + 4);
    this.used += need;
    // a value replaced in place leaves its old bytes behind until the generation is dropped
    this.index.set(key, o);
  }

  private grow(need: number): void {
    let size = this.arena.length * 2;
    while (size < this.used + need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.arena.subarray(0, this.used));
    this.cost += size - this.arena.length;
    this.arena = next;
  }
}

export class StateValueCache {
  root: Uint8Array | undefined;
  private young: Generation;
  private old: Generation;
  /** a tiny budget (tests) must not be spent on the first arena alone */
  private readonly initialArena: number;

  constructor(private readonly maxBytes: number) {
    this.initialArena = Math.max(256, Math.min(INITIAL_ARENA, Math.floor(maxBytes / 8)));
    this.young = new Generation(this.initialArena);
    this.old = new Generation(this.initialArena);
  }

  /** The cached value (a copy; null: absent), or undefined when not cached. */
  get(key: string): Uint8Array | null | undefined {
    const y = this.young.index.get(key);
    if (y !== undefined) return this.young.read(y);
    const o = this.old.index.get(key);
    if (o === undefined) return undefined;
    const value = this.old.read(o);
    this.old.index.delete(key);
    this.set(key, value);
    return value;
  }

  /** Caches `value` (copied into the arena; null: absent) for `key`. */
  set(key: string, value: Uint8Array | null): void {
    this.young.put(key, value);
    if (this.young.cost >= this.maxBytes / 2) {
      this.old = this.young;
      this.young = new Generation(this.initialArena);
    }
  }

  /** The state is now `root`: `changes` made from the previous root if `from` is it, else start over with them. */
  advance(from: Uint8Array, root: Uint8Array, changes: Iterable<[Uint8Array, Uint8Array | null]>): void {
    if (!this.root || !bytesEqual(this.root, from)) this.clear();
    this.root = new Uint8Array(root);
    for (const [k, v] of changes) {
      const key = latin1(k);
      this.old.index.delete(key);
      this.set(key, v === null || v === undefined ? null : v);
    }
  }

  clear(): void {
    this.root = undefined;
    this.young = new Generation(this.initialArena);
    this.old = new Generation(this.initialArena);
  }
}

export const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1");
