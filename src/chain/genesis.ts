/** Chain spec → genesis state (storage key/values) and genesis header. */
import { decodeAddress } from "@polkadot/util-crypto";
import type { ChainSpec } from "./spec.js";
import { MemoryState, StateOverlay } from "./state/overlay.js";
import { Account, BlockHash, LastRuntimeUpgrade, NEW_LOGIC_FLAG, Number_, ParentHash, emptyAccount } from "./runtime/pallets/system.js";
import { TotalIssuance } from "./runtime/pallets/balances.js";
import { Key as SudoKey } from "./runtime/pallets/sudo.js";
import { Authorities } from "./runtime/pallets/aura.js";
import type { RuntimeDefinition } from "./runtime/frame/runtime.js";
import { Authorities as GrandpaAuthorities } from "./runtime/pallets/grandpa.js";
import { applySubtensorGenesis, parseSubtensorGenesis } from "./runtime/pallets/subtensor/genesis.js";
import { EMPTY_TRIE_ROOT, trieRoot } from "./trie/index.js";
import type { Header } from "./codec/types.js";

export interface Genesis {
  /** sorted key/value pairs of the genesis state */
  storage: Array<[Uint8Array, Uint8Array]>;
  header: Header;
}

/** The genesis of `spec` for `runtime` (whose version goes into System.LastRuntimeUpgrade). */
export function buildGenesis(spec: ChainSpec, runtime: RuntimeDefinition): Genesis {
  const base = new MemoryState();
  const state = new StateOverlay(base);
  let issuance = 0n;
  for (const [address, amount] of spec.balances) {
    const free = BigInt(amount);
    const info = emptyAccount();
    info.providers = 1;
    info.data = { ...info.data, free, flags: NEW_LOGIC_FLAG };
    Account.put(state, info, decodeAddress(address));
    issuance += free;
  }
  TotalIssuance.put(state, issuance);
  applySubtensorGenesis(state, parseSubtensorGenesis(spec.subtensor ?? {}), 0, { balancesIssuance: issuance });
  if (spec.sudo) SudoKey.put(state, decodeAddress(spec.sudo));
  // Consensus parameters are chain state: verification reads both sets from the parent block's state.
  Authorities.put(state, spec.consensus.authorities.map((a) => decodeAddress(a.aura)));
  GrandpaAuthorities.put(state, spec.consensus.authorities.map((a): [Uint8Array, bigint] => [decodeAddress(a.grandpa), 1n]));
  Number_.put(state, 0);
  ParentHash.put(state, new Uint8Array(32));
  // Substrate writes a placeholder for block 0 (hash69) that block 1 overwrites with the real hash.
  BlockHash.put(state, new Uint8Array(32).fill(69), 0);
  LastRuntimeUpgrade.put(state, { specVersion: runtime.version.specVersion, specName: runtime.version.specName });
  const storage = state.drain().map(([k, v]) => [k, v!] as [Uint8Array, Uint8Array]);
  const stateRoot = trieRoot(storage, 1);
  return {
    storage,
    header: { parentHash: new Uint8Array(32), number: 0, stateRoot, extrinsicsRoot: EMPTY_TRIE_ROOT, digest: { logs: [] } },
  };
}
