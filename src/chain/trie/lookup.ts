/**
 * Walking one key down a trie, shared by TrieDb.get, TrieDb.proof and verifyProof: they differ only
 * in where nodes come from (node store, store + recorder, proof set), which the caller's loader
 * decides.
 */
import type { ChildRef, DecodedNode, NodeValue } from "./nodeCodec.js";

/**
 * Follows `key` (nibbles) from `root`. Returns the value's node representation if the key is in the
 * trie, undefined if the walk shows it is absent. `loadChild` resolves a child reference (hash or
 * inline encoding) to its node and throws if it cannot.
 */
export function lookupValue(
  root: DecodedNode,
  key: Uint8Array,
  loadChild: (ref: ChildRef) => DecodedNode,
): NodeValue | undefined {
  let node = root;
  let offset = 0;
  for (;;) {
    const partial = node.partialKey;
    if (offset + partial.length > key.length) return undefined;
    for (let i = 0; i < partial.length; i++) if (key[offset + i] !== partial[i]) return undefined;
    offset += partial.length;
    if (offset === key.length) return node.value;
    const child = node.children?.[key[offset]];
    if (child === undefined) return undefined;
    node = loadChild(child);
    offset++;
  }
}
