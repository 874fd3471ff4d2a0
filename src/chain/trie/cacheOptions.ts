/** The sizes of a TrieDb's caches and their defaults, apart from trieDb.ts so that the CLI can show them without loading the trie. */

/** The sizes of a TrieDb's caches. */
export interface TrieCacheOptions {
  /** decoded nodes kept in memory, default DEFAULT_NODE_CACHE_SIZE; a branch costs roughly 1-2 KB */
  cacheSize?: number;
  /** bytes of the followed state's values kept by storage key (0: none), default DEFAULT_VALUE_CACHE_BYTES */
  valueCacheBytes?: number;
}

export const DEFAULT_NODE_CACHE_SIZE = 50_000;
/** Bytes of storage values kept for the state the chain follows (see StateValueCache in trieDb.ts). */
export const DEFAULT_VALUE_CACHE_BYTES = 64 * 1024 * 1024;
