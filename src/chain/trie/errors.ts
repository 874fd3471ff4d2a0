/**
 * Typed trie errors. Callers (state backend, RPC `state_getReadProof`, light-client checks) branch on
 * `code`, never on message text. TrieProofError extends TrieError so `instanceof TrieError` catches
 * both, while proof checkers can still single out "this proof is bad" from "our own database is
 * broken".
 */
import { NodeError } from "../../util/errors.js";

export type TrieErrorType =
  /** A node referenced by hash is not in the node store (pruned state, or a corrupt database). */
  | { code: "TRIE_MISSING_NODE"; hash: string }
  /** A V1 hashed value (value node) is not in the node store. */
  | { code: "TRIE_MISSING_VALUE"; hash: string }
  /** Bytes that do not decode as a node, or a node that cannot be encoded. */
  | { code: "TRIE_INVALID_NODE"; reason: string }
  /** A root that is not a 32-byte hash. */
  | { code: "TRIE_INVALID_ROOT"; length: number };

export class TrieError<T extends { code: string } = TrieErrorType> extends NodeError<T> {}

export type TrieProofErrorType =
  /** The proof lacks a node on the path to the key (incomplete, or does not belong to this root). */
  | { code: "TRIE_PROOF_MISSING_NODE"; hash: string }
  /** The proof lacks the value node of a V1 hashed value. */
  | { code: "TRIE_PROOF_MISSING_VALUE"; hash: string }
  /** A proof node on the path does not decode. */
  | { code: "TRIE_PROOF_INVALID_NODE"; reason: string };

export class TrieProofError extends TrieError<TrieProofErrorType> {}
