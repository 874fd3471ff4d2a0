/**
 * Test support for the coinbase unit tests (not a test file): an in-memory state with the
 * runtime's own helpers to create subnets and neurons, and a hook context that records events.
 * Whatever TAO a helper puts into balances or stake is also counted in
 * SubtensorModule.TotalIssuance, so the issuance invariant holds from the start.
 */
import type { EnumValue } from "../../../src/chain/codec/scale.js";
import { MemoryState, StateOverlay } from "../../../src/chain/state/overlay.js";
import type { StorageAccess } from "../../../src/chain/state/types.js";
import type { HookContext } from "../../../src/chain/runtime/frame/dispatch.js";
import { mint } from "../../../src/chain/runtime/pallets/balances.js";
import { ROOT_NETUID } from "../../../src/chain/runtime/pallets/subtensor/constants.js";
import { NetworkRegistrationAllowed, SubnetOwner } from "../../../src/chain/runtime/pallets/subtensor/storage.js";
import { appendNeuron, createAccountIfNonExistent, initNewNetwork, initRootNetwork } from "../../../src/chain/runtime/pallets/subtensor/subnetsInit.js";
import { coinbase } from "../../../src/chain/runtime/pallets/subtensor/staking/coldkeyBalance.js";
import { delegateHotkey, increaseStakeOnColdkeyHotkeyAccount } from "../../../src/chain/runtime/pallets/subtensor/staking/ledger.js";
import { putCoinbaseConfig } from "../../../src/chain/runtime/pallets/subtensor/coinbase/config.js";

export const account = (n: number): Uint8Array => {
  const a = new Uint8Array(32);
  a[0] = 0xa0;
  a[30] = n >> 8;
  a[31] = n & 0xff;
  return a;
};

export interface TestCtx extends HookContext {
  events: EnumValue[];
}

export function freshState(o: { halving?: "block" | "issuance"; equalSplitFallback?: boolean; root?: boolean } = {}): StorageAccess {
  const state = new StateOverlay(new MemoryState());
  putCoinbaseConfig(state, { halving: o.halving ?? "block", equalSplitFallback: o.equalSplitFallback ?? true });
  if (o.root ?? true) initRootNetwork(state);
  return state;
}

export function ctxAt(state: StorageAccess, block: number | bigint): TestCtx {
  const events: EnumValue[] = [];
  return { state, block: { number: Number(block), parentHash: new Uint8Array(32) }, deposit: (e) => events.push(e), events };
}

export function addSubnet(state: StorageAccess, netuid: number, o: { owner?: Uint8Array | null; tempo?: number; registrationAllowed?: boolean } = {}): void {
  initNewNetwork(state, netuid, o.tempo ?? 360);
  if (o.owner !== null) SubnetOwner.put(state, o.owner ?? account(9000 + netuid), netuid);
  if (o.registrationAllowed === false) NetworkRegistrationAllowed.put(state, false, netuid);
}

/** Gives `who` free balance (counted in both issuances). */
export function fund(state: StorageAccess, who: Uint8Array, amount: bigint): void {
  mint({ state, deposit: () => {} }, who, amount);
  coinbase(state, amount);
}

/** Stakes `amount` of newly counted TAO from `coldkey` on `hotkey` (creating the hotkey under `owner`). */
export function stake(state: StorageAccess, hotkey: Uint8Array, coldkey: Uint8Array, amount: bigint, owner: Uint8Array = coldkey): void {
  createAccountIfNonExistent(state, owner, hotkey);
  increaseStakeOnColdkeyHotkeyAccount(state, coldkey, hotkey, amount);
  coinbase(state, amount);
}

/** Registers `hotkey` (owned by `coldkey`) on `netuid` at `block` with `amount` own stake; returns its uid. */
export function addNeuron(state: StorageAccess, netuid: number, hotkey: Uint8Array, coldkey: Uint8Array, amount: bigint, block = 0n, o: { delegateTake?: number } = {}): number {
  createAccountIfNonExistent(state, coldkey, hotkey);
  const uid = appendNeuron(state, netuid, hotkey, block);
  if (amount > 0n) stake(state, hotkey, coldkey, amount);
  if (o.delegateTake !== undefined) delegateHotkey(state, hotkey, o.delegateTake);
  return uid;
}

/** A root validator: registered on netuid 0 with `amount` stake. */
export function addRootValidator(state: StorageAccess, hotkey: Uint8Array, coldkey: Uint8Array, amount: bigint): number {
  return addNeuron(state, ROOT_NETUID, hotkey, coldkey, amount);
}
