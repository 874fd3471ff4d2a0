/** Helpers shared by the method modules: block resolution and Substrate's error objects. */
import type { Header } from "../../chain/codec/types.js";
import { TrieState } from "../../chain/blockchain/blockchain.js";
import type { StateReader } from "../../chain/state/types.js";
import { toHex } from "../../util/bytes.js";
import { stateClientError, unknownBlockMessage } from "../runtimeCalls.js";
import type { RpcServices } from "./services.js";

export { toHex, stateClientError };

/** Base codes of Substrate's RPC error families (polkadot-sdk `rpc-api/src/error.rs`). */
export const ErrorBase = { AUTHOR: 1000, SYSTEM: 2000, CHAIN: 3000, STATE: 4000 } as const;

export interface ResolvedBlock {
  hash: Uint8Array;
  header: Header;
}

/** The block `at`, or the best block when `at` is undefined; undefined for an unknown hash. */
export function findBlock(services: RpcServices, at: Uint8Array | undefined): ResolvedBlock | undefined {
  if (at === undefined) {
    const best = services.chain.best;
    return { hash: best.hash, header: best.header };
  }
  const header = services.chain.header(at);
  return header ? { hash: at, header } : undefined;
}

/**
 * Like findBlock, but an unknown hash is the state API's 4003 error. The state is read at the
 * header findBlock already holds (for the best block: the chain's own, swapped whole on every new
 * best, so nothing here can go stale): `chain.stateAt` would look the same header up again, a
 * database read and a decode per storage call.
 */
export function stateBlock(services: RpcServices, at: Uint8Array | undefined): ResolvedBlock & { state: StateReader } {
  const block = findBlock(services, at);
  if (!block) throw stateClientError(unknownBlockMessage(at!));
  return { hash: block.hash, header: block.header, state: new TrieState(services.chain.trie, block.header.stateRoot) };
}
