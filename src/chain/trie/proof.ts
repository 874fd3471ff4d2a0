/**
 * Checking a read proof (sp-trie `read_proof_check`): the proof is an unordered set of node
 * encodings (and V1 value nodes); we index them by blake2_256 and walk the key from the root.
 * A node that was removed or altered breaks the hash link from its parent, so it shows up as a
 * missing node: an incomplete proof and a proof for another root fail the same way.
 */
import { blake2_256 } from "../../util/hash.js";
import { bytesEqual } from "../../util/bytes.js";
import { TrieError, TrieProofError } from "./errors.js";
import { hashHex, hashKey } from "./hashKey.js";
import { lookupValue } from "./lookup.js";
import { type ChildRef, type DecodedNode, HASH_LENGTH, decodeNode, keyToNibbles } from "./nodeCodec.js";
import { EMPTY_TRIE_ROOT, type TrieVersion } from "./trieRoot.js";

function decodeProofNode(encoding: Uint8Array): DecodedNode {
  let node: DecodedNode | null;
  try {
    node = decodeNode(encoding);
  } catch (e) {
    if (e instanceof TrieError) throw new TrieProofError({ code: "TRIE_PROOF_INVALID_NODE", reason: e.message });
    throw e;
  }
  if (node === null) throw new TrieProofError({ code: "TRIE_PROOF_INVALID_NODE", reason: "empty node inside a trie" });
  return node;
}

/**
 * Check a read proof: returns the value, undefined if the proof shows the key is absent; throws
 * TrieProofError if the proof is incomplete or does not match the root.
 *
 * `version` is accepted for symmetry with the writer but does not change the check: node decoding
 * is the same for V0 and V1 (a migrating chain holds both node kinds), and the hashed-value header
 * variants say by themselves where a value node is needed.
 */
export function verifyProof(root: Uint8Array, proof: Uint8Array[], key: Uint8Array, version: TrieVersion = 1): Uint8Array | undefined {
  void version;
  if (bytesEqual(root, EMPTY_TRIE_ROOT)) return undefined;
  const byHash = new Map<string, Uint8Array>();
  for (const item of proof) byHash.set(hashKey(blake2_256(item)), item);

  const load = (hash: Uint8Array): DecodedNode => {
    const encoding = byHash.get(hashKey(hash));
    if (encoding === undefined) {
      const hex = hashHex(hash);
      throw new TrieProofError({ code: "TRIE_PROOF_MISSING_NODE", hash: hex }, `proof lacks trie node ${hex}`);
    }
    return decodeProofNode(encoding);
  };
  const loadChild = (ref: ChildRef): DecodedNode => (ref.length === HASH_LENGTH ? load(ref) : decodeProofNode(ref));

  const value = lookupValue(load(root), keyToNibbles(key), loadChild);
  if (value === undefined) return undefined;
  if (value.kind === "inline") return new Uint8Array(value.data); // a copy, also of a Buffer
  const data = byHash.get(hashKey(value.hash));
  if (data === undefined) {
    const hex = hashHex(value.hash);
    throw new TrieProofError({ code: "TRIE_PROOF_MISSING_VALUE", hash: hex }, `proof lacks value node ${hex}`);
  }
  return new Uint8Array(data);
}
