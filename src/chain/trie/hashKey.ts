/**
 * Map keys for 32-byte hashes. JS Maps compare Uint8Array keys by identity, so the node store and
 * the node cache key by the hex string. Buffer's native encoder returns a flat string in one
 * allocation (a `+=` loop builds a chain of cons-strings that the Map must flatten again), and the
 * Buffer shares the bytes instead of copying them.
 */
export function hashKey(hash: Uint8Array): string {
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString("hex");
}

/** `0x`-prefixed hex, for error messages and logs. */
export function hashHex(hash: Uint8Array): string {
  return "0x" + hashKey(hash);
}

/**
 * Map keys for hashes inside the trie (node cache, an update's new nodes): one byte per char. A
 * 32-char one-byte string is cheaper to build and to hash than the 64-char hex of `hashKey`, and
 * node lookups do it once per trie level.
 */
export function mapKey(hash: Uint8Array): string {
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString("latin1");
}
