/** Reading only: enough for storage getters. */
export interface ReadAccess {
  get(key: Uint8Array): Uint8Array | undefined;
}

/** The storage interface runtime code sees: raw Substrate keys and SCALE values. */
export interface StorageAccess {
  get(key: Uint8Array): Uint8Array | undefined;
  set(key: Uint8Array, value: Uint8Array): void;
  delete(key: Uint8Array): void;
  /** Every present key that starts with prefix, in byte order. */
  keys(prefix: Uint8Array): Uint8Array[];
}

/** Read-only state of one block (a trie root, or an in-memory map in tests). */
export interface StateReader {
  get(key: Uint8Array): Uint8Array | undefined;
  /**
   * The same as get, for a caller that already holds the key as a latin1 string (one char per
   * byte: the overlay's map key), which the reader may use as its own cache key instead of
   * converting the key again.
   */
  getKeyed?(key: Uint8Array, latin1Key: string): Uint8Array | undefined;
  /** Keys starting with prefix, strictly after startAfter if given, in byte order, at most limit. */
  keys(prefix: Uint8Array, opts?: { startAfter?: Uint8Array; limit?: number }): Uint8Array[];
}
