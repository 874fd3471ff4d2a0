/**
 * Trie roots computed from scratch over a full key/value set (paritytech `trie-root`): used for the
 * extrinsics root, for genesis, and as the independent reference the incremental TrieDb is tested
 * against. No node store involved: the trie is built bottom-up from the sorted pairs.
 */
import { blake2_256 } from "../../util/hash.js";
import { compareBytes } from "../../util/bytes.js";
import { encodeCompact } from "./compact.js";
import { hashKey } from "./hashKey.js";
import { type ChildRef, type NodeValue, childRefFor, encodeNode, keyToNibbles } from "./nodeCodec.js";

export type TrieVersion = 0 | 1;

/**
 * sp-core TRIE_VALUE_NODE_THRESHOLD: under layout V1, values of at least this many bytes are stored
 * apart and the node holds their hash. 32-byte values stay inline (they would save nothing).
 */
export const TRIE_VALUE_NODE_THRESHOLD = 33;

/** Root of the empty trie, any version: blake2_256(0x00) = 0x03170a2e…1314. Do not mutate. */
export const EMPTY_TRIE_ROOT: Uint8Array = blake2_256(new Uint8Array([0]));

/** How a value is held in its node under the given layout. */
export function nodeValueFor(value: Uint8Array, version: TrieVersion): NodeValue {
  return version === 1 && value.length >= TRIE_VALUE_NODE_THRESHOLD
    ? { kind: "hashed", hash: blake2_256(value) }
    : { kind: "inline", data: value };
}

interface Entry {
  nibbles: Uint8Array;
  value: NodeValue;
}

/**
 * Encodes the sub-trie of entries[lo, hi), all of which share their first `depth` nibbles.
 * No extension nodes: the nibbles the whole range shares beyond `depth` become the partial key of
 * the node (a leaf when one entry is left, else a branch).
 */
function encodeRange(entries: Entry[], lo: number, hi: number, depth: number): Uint8Array {
  const first = entries[lo].nibbles;
  if (hi - lo === 1) return encodeNode(first.subarray(depth), entries[lo].value, undefined);

  // sorted input: the range's common prefix is the common prefix of its first and last keys
  const last = entries[hi - 1].nibbles;
  let end = depth;
  while (end < first.length && end < last.length && first[end] === last[end]) end++;

  let i = lo;
  let value: NodeValue | undefined;
  // a key equal to the common prefix sorts first and becomes the branch's own value
  if (first.length === end) {
    value = entries[lo].value;
    i++;
  }
  const children = new Array<ChildRef | undefined>(16).fill(undefined);
  while (i < hi) {
    const nibble = entries[i].nibbles[end];
    let j = i + 1;
    while (j < hi && entries[j].nibbles[end] === nibble) j++;
    children[nibble] = childRefFor(encodeRange(entries, i, j, end + 1));
    i = j;
  }
  return encodeNode(first.subarray(depth, end), value, children);
}

/** The root node's encoding (0x00 for an empty trie). Exposed for tests and debugging. */
export function trieRootNode(pairs: Iterable<readonly [Uint8Array, Uint8Array]>, version: TrieVersion): Uint8Array {
  // last write wins for duplicate keys (Substrate collects into a BTreeMap)
  const unique = new Map<string, readonly [Uint8Array, Uint8Array]>();
  for (const pair of pairs) unique.set(hashKey(pair[0]), pair);
  if (unique.size === 0) return new Uint8Array([0]);
  const sorted = [...unique.values()].sort((a, b) => compareBytes(a[0], b[0]));
  const entries = sorted.map(([k, v]) => ({ nibbles: keyToNibbles(k), value: nodeValueFor(v, version) }));
  return encodeRange(entries, 0, entries.length, 0);
}

/** Root hash of the trie holding `pairs`. The root is always hashed, even when its encoding is short. */
export function trieRoot(pairs: Iterable<readonly [Uint8Array, Uint8Array]>, version: TrieVersion): Uint8Array {
  return blake2_256(trieRootNode(pairs, version));
}

/**
 * Root of the trie mapping SCALE Compact<u32>(i) -> values[i]: the extrinsics root. Values are
 * taken as given (for extrinsics: the full encoding, including its own length prefix).
 * Note that Substrate uses V0 here for runtimes with system_version <= 1.
 */
export function orderedTrieRoot(values: readonly Uint8Array[], version: TrieVersion): Uint8Array {
  return trieRoot(
    values.map((v, i) => [encodeCompact(i), v] as const),
    version,
  );
}
