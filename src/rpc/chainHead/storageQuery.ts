/**
 * Storage queries of chainHead_v1_storage and archive_v1_storage, answered a bounded amount at a
 * time: `value`, `hash` (blake2_256 of the value), `closestDescendantMerkleValue`, and the two
 * descendant iterations, which walk the trie in key order and resume where the last page ended —
 * a large prefix costs one page of work per call, never the whole prefix at once.
 */
import type { StateReader } from "../../chain/state/types.js";
import { toHex } from "../../util/bytes.js";
import { blake2_256 } from "../../util/hash.js";
import { array, looseHex, oneOf, optional, type ParamSpec } from "../params.js";
import { invalidParams } from "../errors.js";

export const STORAGE_QUERY_TYPES = ["value", "hash", "closestDescendantMerkleValue", "descendantsValues", "descendantsHashes"] as const;
export type StorageQueryType = (typeof STORAGE_QUERY_TYPES)[number];

export interface StorageQuery {
  key: Uint8Array;
  type: StorageQueryType;
  /** archive_v1_storage: resume a descendants iteration after this key (exclusive) */
  paginationStartKey?: Uint8Array;
}

/** One item of `operationStorageItems` (chainHead) or of a `storage` event (archive). */
export interface StorageResultItem {
  key: string;
  value?: string;
  hash?: string;
  closestDescendantMerkleValue?: string;
}

/** What a query reads: a block's state and its trie's Merkle values. */
export interface StorageSource {
  state: StateReader;
  closestDescendantMerkleValue(key: Uint8Array): Uint8Array | undefined;
}

const itemSpecs = { key: looseHex(), type: oneOf(STORAGE_QUERY_TYPES), paginationStartKey: optional(looseHex()) };

/** The `items` parameter: `[{key, type, paginationStartKey?}]` (the last one only for archive). */
export function storageItems(opts: { pagination: boolean; maxLength?: number }): ParamSpec<StorageQuery[]> {
  const item: ParamSpec<StorageQuery> = {
    optional: false,
    expected: "object with key and type",
    named: () => item,
    parse(value: unknown, at: string): StorageQuery {
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalidParams(`${at}: expected an object with key and type`);
      const o = value as Record<string, unknown>;
      const q: StorageQuery = { key: itemSpecs.key.parse(o.key, `${at}.key`), type: itemSpecs.type.parse(o.type, `${at}.type`) };
      if (opts.pagination) {
        const start = itemSpecs.paginationStartKey.parse(o.paginationStartKey, `${at}.paginationStartKey`);
        if (start !== undefined) q.paginationStartKey = start;
      }
      return q;
    },
  };
  return array(item, { maxLength: opts.maxLength });
}

const isDescendants = (t: StorageQueryType): boolean => t === "descendantsValues" || t === "descendantsHashes";

/**
 * Walks a list of queries. `next()` returns the next results, at most `maxItems` items and about
 * `maxBytes` of hex (always at least one item when any is left), and whether everything is done.
 */
export class StorageQueryCursor {
  private index = 0;
  /** where the descendants iteration of query `index` resumes (exclusive) */
  private after: Uint8Array | undefined;

  constructor(
    private readonly source: StorageSource,
    private readonly queries: readonly StorageQuery[],
  ) {
    this.after = queries[0]?.paginationStartKey;
  }

  get done(): boolean {
    return this.index >= this.queries.length;
  }

  next(maxItems: number, maxBytes: number): { items: StorageResultItem[]; done: boolean } {
    const items: StorageResultItem[] = [];
    let bytes = 0;
    const full = (): boolean => items.length >= maxItems || (items.length > 0 && bytes >= maxBytes);
    const push = (item: StorageResultItem): void => {
      items.push(item);
      bytes += item.key.length + (item.value?.length ?? 0) + (item.hash?.length ?? 0) + (item.closestDescendantMerkleValue?.length ?? 0);
    };
    while (!this.done && !full()) {
      const q = this.queries[this.index];
      if (!isDescendants(q.type)) {
        const item = this.single(q);
        if (item) push(item);
        this.advance();
        continue;
      }
      const want = maxItems - items.length;
      const keys = this.source.state.keys(q.key, { startAfter: this.after, limit: want });
      let stoppedEarly = false;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        this.after = key;
        const value = this.source.state.get(key);
        if (value !== undefined) push(q.type === "descendantsValues" ? { key: toHex(key), value: toHex(value) } : { key: toHex(key), hash: toHex(blake2_256(value)) });
        if (full() && i < keys.length - 1) {
          stoppedEarly = true;
          break;
        }
      }
      // fewer keys than asked for, all of them read: the prefix is exhausted
      if (!stoppedEarly && keys.length < want) this.advance();
    }
    return { items, done: this.done };
  }

  private single(q: StorageQuery): StorageResultItem | undefined {
    const key = toHex(q.key);
    if (q.type === "closestDescendantMerkleValue") {
      const merkle = this.source.closestDescendantMerkleValue(q.key);
      return merkle === undefined ? undefined : { key, closestDescendantMerkleValue: toHex(merkle) };
    }
    const value = this.source.state.get(q.key);
    if (value === undefined) return undefined;
    return q.type === "value" ? { key, value: toHex(value) } : { key, hash: toHex(blake2_256(value)) };
  }

  private advance(): void {
    this.index++;
    this.after = this.queries[this.index]?.paginationStartKey;
  }
}
