/**
 * Test support for the weights and serving tests (not a test file).
 *
 * State that no implemented call can create yet (extra neurons, validator permits, stake, a
 * toggled hyperparameter) is written through a REAL extrinsic: the writes are computed on an
 * overlay of the best state with the runtime's own helpers (`appendNeuron`,
 * `createAccountIfNonExistent`) and applied by `Sudo.sudo(System.set_storage)` in a block. The calls
 * under test are then always sent as signed extrinsics through the executive.
 *
 * Typed structurally (no import of test/utils) so the production `tsc` build does not pull the
 * test harness in.
 */
import type { KeyringPair } from "@polkadot/keyring/types";
import type { EnumValue } from "../../../src/chain/codec/scale.js";
import type { EventRecordValue } from "../../../src/chain/runtime/frame/runtime.js";
import { StateOverlay } from "../../../src/chain/state/overlay.js";
import type { StateReader, StorageAccess } from "../../../src/chain/state/types.js";
import { SUBTENSOR_ERRORS, SUBTENSOR_PALLET_INDEX } from "../../../src/chain/runtime/pallets/subtensor/errors.js";
import { Stake, TotalColdkeyStake, TotalHotkeyStake, TotalIssuance, TotalStake, ValidatorPermit } from "../../../src/chain/runtime/pallets/subtensor/storage.js";
import { appendNeuron, createAccountIfNonExistent } from "../../../src/chain/runtime/pallets/subtensor/subnetsInit.js";

/** The parts of test/utils/chainHarness.ts ChainHarness these helpers use. */
export interface HarnessLike {
  readonly alice: KeyringPair;
  readonly chain: { bestState(): StateReader; readonly best: { number: number } };
  readonly runtime: { callCodec: { decode(bytes: Uint8Array): unknown } };
  encodeCall(pallet: string, call: string, args?: Record<string, unknown>): Uint8Array;
  sign(pair: KeyringPair, callBytes: Uint8Array): Uint8Array;
  produce(extrinsics?: Uint8Array[]): Promise<{ events: EventRecordValue[]; skipped: unknown[] }>;
}

/**
 * Genesis balances for hotkeys that sign their own calls (set_weights, serve_axon, …): CheckNonce
 * refuses a signer whose account does not exist, fee-free calls included, so each gets `amount`
 * (default 1 TAO) — as a Bittensor hotkey needs a little TAO to set weights or serve.
 */
export function signerBalances(addressOf: (name: string) => string, names: string[], amount = 1_000_000_000n): Array<[string, string]> {
  return names.map((n): [string, string] => [addressOf(n), amount.toString()]);
}

/** The key/value writes that `write` makes on top of `base`. */
export function stateWrites(base: StateReader, write: (state: StorageAccess) => void): Array<[Uint8Array, Uint8Array]> {
  const overlay = new StateOverlay(base);
  write(overlay);
  const changes = overlay.drain();
  if (changes.some(([, v]) => v === null)) throw new Error("stateWrites: deletions are not supported");
  return changes as Array<[Uint8Array, Uint8Array]>;
}

/**
 * Applies `write` to the chain in the next block through Sudo(System.set_storage); `write` gets
 * that block's number (e.g. the registration block of neurons it appends).
 */
export async function sudoWrite(h: HarnessLike, write: (state: StorageAccess, block: bigint) => void): Promise<void> {
  const next = BigInt(h.chain.best.number + 1);
  const items = stateWrites(h.chain.bestState(), (state) => write(state, next));
  const inner = h.runtime.callCodec.decode(h.encodeCall("System", "set_storage", { items }));
  const block = await h.produce([h.sign(h.alice, h.encodeCall("Sudo", "sudo", { call: inner }))]);
  const sudid = block.events.find((r) => r.event.tag === "Sudo")?.event.value as EnumValue | undefined;
  const result = (sudid?.value as { sudoResult?: EnumValue } | undefined)?.sudoResult;
  if (block.skipped.length || result?.tag !== "Ok") throw new Error("sudoWrite: the set_storage extrinsic did not succeed");
}

export interface NeuronSpec {
  hotkey: Uint8Array;
  coldkey: Uint8Array;
  /** ValidatorPermit for the new uid */
  permit?: boolean;
  /** stake added from the coldkey to the hotkey (RAO) */
  stake?: bigint;
}

/**
 * Registers a neuron the way registration does it (Owner/OwnedHotkeys via
 * createAccountIfNonExistent, then appendNeuron at `block`), optionally with a permit and stake.
 * Stake is accounted as staked TAO (Stake, TotalHotkeyStake, TotalColdkeyStake, TotalStake and
 * SubtensorModule.TotalIssuance all grow). Returns the uid.
 */
export function installNeuron(state: StorageAccess, netuid: number, n: NeuronSpec, block: bigint): number {
  createAccountIfNonExistent(state, n.coldkey, n.hotkey);
  const uid = appendNeuron(state, netuid, n.hotkey, block);
  if (n.permit) {
    const permits = [...ValidatorPermit.get(state, netuid)];
    permits[uid] = true;
    ValidatorPermit.put(state, permits, netuid);
  }
  if (n.stake) addStake(state, n.hotkey, n.coldkey, n.stake);
  return uid;
}

/** Stake bookkeeping for tests (as add_stake leaves it, minus the balance withdrawal). */
export function addStake(state: StorageAccess, hotkey: Uint8Array, coldkey: Uint8Array, amount: bigint): void {
  Stake.put(state, Stake.get(state, hotkey, coldkey) + amount, hotkey, coldkey);
  TotalHotkeyStake.put(state, TotalHotkeyStake.get(state, hotkey) + amount, hotkey);
  TotalColdkeyStake.put(state, TotalColdkeyStake.get(state, coldkey) + amount, coldkey);
  TotalStake.put(state, TotalStake.get(state) + amount);
  TotalIssuance.put(state, TotalIssuance.get(state) + amount);
}

/** Sets a permit on an existing uid. */
export function setPermit(state: StorageAccess, netuid: number, uid: number, permit: boolean): void {
  const permits = [...ValidatorPermit.get(state, netuid)];
  permits[uid] = permit;
  ValidatorPermit.put(state, permits, netuid);
}

/** A DispatchError as a readable name: the SubtensorModule error name (Module index 7), else the raw form. */
export function dispatchErrorName(err: EnumValue): string {
  if (err.tag !== "Module") return err.tag;
  const m = err.value as { index: number; error: Uint8Array };
  if (m.index !== SUBTENSOR_PALLET_INDEX) return `Module(${m.index}).${m.error[0]}`;
  return SUBTENSOR_ERRORS[m.error[0]].name;
}

/**
 * The outcome of the extrinsic at `index` in a block (0 is the timestamp inherent): "ok", the
 * SubtensorModule error name (after checking the Module index is 7), or the raw error tag.
 */
export function outcomeOf(events: EventRecordValue[], index: number): string {
  for (const r of events) {
    if (r.phase.tag !== "ApplyExtrinsic" || r.phase.value !== index || r.event.tag !== "System") continue;
    const e = r.event.value as EnumValue;
    if (e.tag === "ExtrinsicSuccess") return "ok";
    if (e.tag === "ExtrinsicFailed") return dispatchErrorName((e.value as { dispatchError: EnumValue }).dispatchError);
  }
  throw new Error(`no ExtrinsicSuccess/ExtrinsicFailed for extrinsic ${index}`);
}

/**
 * Dispatches `callBytes` with the signed origin of `who` through Sudo.sudo_as in the next block,
 * which bypasses the pool-level guard of the outer (Alice-signed) extrinsic as in Substrate, and
 * returns the inner call's outcome from SudoAsDone.
 */
export async function sudoAs(h: HarnessLike, who: Uint8Array, callBytes: Uint8Array): Promise<string> {
  const call = h.runtime.callCodec.decode(callBytes);
  const block = await h.produce([h.sign(h.alice, h.encodeCall("Sudo", "sudo_as", { who: { tag: "Id", value: who }, call }))]);
  const done = block.events.find((r) => r.event.tag === "Sudo" && (r.event.value as EnumValue).tag === "SudoAsDone");
  if (!done) throw new Error("sudoAs: no SudoAsDone event");
  const result = ((done.event.value as EnumValue).value as { sudoResult: EnumValue }).sudoResult;
  return result.tag === "Ok" ? "ok" : dispatchErrorName(result.value as EnumValue);
}

/** SubtensorModule events of a block as [name, value] pairs, in order. */
export function subtensorEventsOf(events: EventRecordValue[]): Array<[string, unknown]> {
  return events.filter((r) => r.event.tag === "SubtensorModule").map((r) => [(r.event.value as EnumValue).tag, (r.event.value as EnumValue).value]);
}
