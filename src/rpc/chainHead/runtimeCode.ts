/**
 * A stand-in for the `:code` storage entry, served by the new interface's storage reads.
 *
 * Why: this node's runtime is native TypeScript, so its state has no `:code` (the Wasm blob a
 * Substrate chain stores there). polkadot-api reads the *hash* of `:code` at every finalized
 * block and keys its runtimes and metadata cache on it; with no `:code` it never builds a runtime
 * and every query fails. So chainHead_v1_storage and archive_v1_storage answer `:code` — only when
 * the state itself has none — with bytes that name this native runtime:
 * `"subtensor-ts:native-runtime:" ++ blake2_256(metadata V15)`. They change exactly when the
 * metadata does, which is what a client caching metadata by code hash needs.
 *
 * The legacy state_* methods still answer from the state alone (`:code` → null), and a
 * closestDescendantMerkleValue query does not see the stand-in (it is not in the trie).
 */
import type { StateReader } from "../../chain/state/types.js";
import { compareBytes, concatBytes, startsWith, utf8Bytes } from "../../util/bytes.js";
import { blake2_256 } from "../../util/hash.js";
import type { RpcServices } from "../methods/services.js";

export const CODE_KEY = utf8Bytes(":code");

const values = new WeakMap<RpcServices["metadata"], Uint8Array>();

/** The stand-in `:code` value of these services' runtime. */
export function nativeRuntimeCode(services: RpcServices): Uint8Array {
  let value = values.get(services.metadata);
  if (!value) values.set(services.metadata, (value = concatBytes(utf8Bytes("subtensor-ts:native-runtime:"), blake2_256(services.metadata.v15))));
  return value;
}

/** `state` with the stand-in `:code` where the state has none (reads and key iteration alike). */
export function withRuntimeCode(state: StateReader, code: Uint8Array): StateReader {
  if (state.get(CODE_KEY) !== undefined) return state;
  return {
    get: (key) => (compareBytes(key, CODE_KEY) === 0 ? code : state.get(key)),
    keys: (prefix, opts = {}) => {
      const keys = state.keys(prefix, opts);
      const wanted = startsWith(CODE_KEY, prefix) && (opts.startAfter === undefined || compareBytes(CODE_KEY, opts.startAfter) > 0);
      if (!wanted) return keys;
      const at = keys.findIndex((k) => compareBytes(k, CODE_KEY) > 0);
      // past the last key returned: it belongs to a later page unless this page was not full
      if (at < 0 && opts.limit !== undefined && keys.length >= opts.limit) return keys;
      const merged = at < 0 ? [...keys, CODE_KEY] : [...keys.slice(0, at), CODE_KEY, ...keys.slice(at)];
      return opts.limit !== undefined ? merged.slice(0, opts.limit) : merged;
    },
  };
}
