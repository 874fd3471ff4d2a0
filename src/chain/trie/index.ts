/** The Substrate state trie: node codec, from-scratch roots, the persistent TrieDb and read proofs. */
export { TrieError, TrieProofError, type TrieErrorType, type TrieProofErrorType } from "./errors.js";
export { encodeCompact } from "./compact.js";
export {
  type ChildRef,
  type DecodedNode,
  type NodeHeader,
  type NodeKind,
  type NodeValue,
  HASH_LENGTH,
  NIBBLE_SIZE_BOUND,
  childRefFor,
  decodeHeader,
  decodeNode,
  encodeHeader,
  encodeNode,
  keyToNibbles,
  nibblesToKey,
  packNibbles,
  unpackNibbles,
} from "./nodeCodec.js";
export {
  EMPTY_TRIE_ROOT,
  TRIE_VALUE_NODE_THRESHOLD,
  type TrieVersion,
  nodeValueFor,
  orderedTrieRoot,
  trieRoot,
  trieRootNode,
} from "./trieRoot.js";
export {
  DEFAULT_NODE_CACHE_SIZE,
  TrieDb,
  type TrieDbOptions,
  type TrieCacheOptions,
  type TrieNodeStore,
  type TrieUpdate,
} from "./trieDb.js";
export { verifyProof } from "./proof.js";
export { MemoryNodeStore } from "./memoryNodeStore.js";
