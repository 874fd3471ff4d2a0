/**
 * Test support for the subnet and registration tests (not a test file).
 *
 * Every call under test goes through a real signed extrinsic in a block. State no call can set up
 * (pruning scores, a hotkey's stake, emission values) is written by a real
 * `Sudo.sudo(System.set_storage)` extrinsic computed on an overlay of the best state.
 *
 * Typed structurally (no import of test/utils), so the production `tsc` build does not pull the
 * chain harness in.
 */
import type { KeyringPair } from "@polkadot/keyring/types";
import { Keyring } from "@polkadot/keyring";
import { blake2AsU8a } from "@polkadot/util-crypto";
import type { EnumValue } from "../../../src/chain/codec/scale.js";
import type { EventRecordValue } from "../../../src/chain/runtime/frame/runtime.js";
import { StateOverlay } from "../../../src/chain/state/overlay.js";
import type { StateReader, StorageAccess } from "../../../src/chain/state/types.js";
import { TotalIssuance as BalancesTotalIssuance } from "../../../src/chain/runtime/pallets/balances.js";
import { Account } from "../../../src/chain/runtime/pallets/system.js";
import { SUBTENSOR_ERRORS, SUBTENSOR_PALLET_INDEX } from "../../../src/chain/runtime/pallets/subtensor/errors.js";
import { PendingEmission, Stake, SubnetLocked, TotalIssuance } from "../../../src/chain/runtime/pallets/subtensor/storage.js";

/** The parts of test/utils/chainHarness.ts ChainHarness these helpers use. */
export interface HarnessLike {
  readonly alice: KeyringPair;
  readonly keyring: Keyring;
  readonly chain: { bestState(): StateReader; readonly best: { number: number; hash: Uint8Array } };
  readonly runtime: { callCodec: { decode(bytes: Uint8Array): unknown } };
  readonly pool: { submit(bytes: Uint8Array): unknown };
  encodeCall(pallet: string, call: string, args?: Record<string, unknown>): Uint8Array;
  sign(pair: KeyringPair, callBytes: Uint8Array, o?: { nonce?: number }): Uint8Array;
  produce(extrinsics?: Uint8Array[]): Promise<{ events: EventRecordValue[]; skipped: unknown[] }>;
}

export type Block = { events: EventRecordValue[]; skipped: unknown[] };

export const TAO = 1_000_000_000n;

/** A read/write view of the best state (writes stay local), for iteration and typed reads. */
export const view = (h: HarnessLike): StorageAccess => new StateOverlay(h.chain.bestState());

/** A deterministic hotkey that needs no key pair (burned_register does not sign with it). */
export const hotkey = (i: number): Uint8Array => blake2AsU8a(new TextEncoder().encode(`subnets-test-hotkey-${i}`), 256);

const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
/** A dev-style key pair //name (for signers and SS58 addresses in specs). */
export const pair = (name: string): KeyringPair => keyring.addFromUri(`//${name}`);
export const addr = (name: string): string => pair(name).address;

/** A signed SubtensorModule extrinsic. */
export function st(h: HarnessLike, signer: KeyringPair, call: string, args: Record<string, unknown> = {}, nonce?: number): Uint8Array {
  return h.sign(signer, h.encodeCall("SubtensorModule", call, args), nonce === undefined ? {} : { nonce });
}

/** An extrinsic by //Alice (the sudo key) running `call` with root origin. */
export function sudo(h: HarnessLike, pallet: string, call: string, args: Record<string, unknown>, nonce?: number): Uint8Array {
  const inner = h.runtime.callCodec.decode(h.encodeCall(pallet, call, args));
  return h.sign(h.alice, h.encodeCall("Sudo", "sudo", { call: inner }), nonce === undefined ? {} : { nonce });
}

/** An extrinsic by //Alice dispatching a SubtensorModule call signed as `who` (Sudo.sudo_as). */
export function sudoAs(h: HarnessLike, who: Uint8Array, call: string, args: Record<string, unknown>): Uint8Array {
  const inner = h.runtime.callCodec.decode(h.encodeCall("SubtensorModule", call, args));
  return h.sign(h.alice, h.encodeCall("Sudo", "sudo_as", { who: { tag: "Id", value: who }, call: inner }));
}

/** A DispatchError as a readable name: the SubtensorModule error name (Module index 7), else the raw form. */
export function dispatchErrorName(err: EnumValue): string {
  if (err.tag !== "Module") return err.tag;
  const m = err.value as { index: number; error: Uint8Array };
  if (m.index !== SUBTENSOR_PALLET_INDEX) return `Module(${m.index}).${m.error[0]}`;
  return SUBTENSOR_ERRORS[m.error[0]].name;
}

/** Outcome of the extrinsic at `index` (0 is the timestamp inherent): "ok" or the error name. */
export function outcomeOf(block: Block, index: number): string {
  for (const r of block.events) {
    if (r.phase.tag !== "ApplyExtrinsic" || r.phase.value !== index || r.event.tag !== "System") continue;
    const e = r.event.value as EnumValue;
    if (e.tag === "ExtrinsicSuccess") return "ok";
    if (e.tag === "ExtrinsicFailed") return dispatchErrorName((e.value as { dispatchError: EnumValue }).dispatchError);
  }
  throw new Error(`no ExtrinsicSuccess/ExtrinsicFailed for extrinsic ${index} (skipped: ${block.skipped.length})`);
}

/** Outcomes of the signed extrinsics of a block, in order (extrinsics 1…n); fails if any was skipped. */
export function outcomes(block: Block): string[] {
  if (block.skipped.length) throw new Error(`${block.skipped.length} extrinsic(s) were skipped as invalid: ${String(block.skipped[0])}`);
  const n = Math.max(0, ...block.events.filter((r) => r.phase.tag === "ApplyExtrinsic").map((r) => r.phase.value as number));
  return Array.from({ length: n }, (_, i) => outcomeOf(block, i + 1));
}

/** The result of the inner call of a Sudo.sudo / sudo_as extrinsic in `block`: "ok" or the error name. */
export function sudoResult(block: Block): string {
  const ev = eventsOf(block, "Sudo").find(([n]) => n === "Sudid" || n === "SudoAsDone");
  if (!ev) throw new Error("no Sudid / SudoAsDone event");
  const r = (ev[1] as { sudoResult: EnumValue }).sudoResult;
  return r.tag === "Ok" ? "ok" : dispatchErrorName(r.value as EnumValue);
}

/** Events of a pallet in a block as [name, value] pairs, in order (optionally only those of one extrinsic / phase). */
export function eventsOf(block: Block, pallet = "SubtensorModule", phase?: EnumValue): Array<[string, unknown]> {
  return block.events
    .filter((r) => r.event.tag === pallet && (!phase || (r.phase.tag === phase.tag && r.phase.value === phase.value)))
    .map((r) => [(r.event.value as EnumValue).tag, (r.event.value as EnumValue).value]);
}

/** Applies `write` to the chain in the next block through Sudo(System.set_storage). */
export async function sudoWrite(h: HarnessLike, write: (state: StorageAccess) => void): Promise<Block> {
  const overlay = new StateOverlay(h.chain.bestState());
  write(overlay);
  const changes = overlay.drain();
  if (changes.some(([, v]) => v === null)) throw new Error("sudoWrite: deletions are not supported");
  const block = await h.produce([sudo(h, "System", "set_storage", { items: changes })]);
  if (sudoResult(block) !== "ok") throw new Error("sudoWrite: set_storage failed");
  return block;
}

/** Produces empty blocks until the best block is `n`. */
export async function advanceTo(h: HarnessLike, n: number): Promise<void> {
  while (h.chain.best.number < n) await h.produce();
}

/**
 * The issuance invariant: SubtensorModule.TotalIssuance = Σ free + reserved balances + Σ stakes +
 * Σ SubnetLocked (PendingEmission is issued only when paid); and Balances.TotalIssuance = Σ balances.
 */
export function issuance(h: HarnessLike): { subtensor: bigint; balances: bigint; sumBalances: bigint; sumStakes: bigint; sumLocked: bigint; sumPending: bigint } {
  const s = view(h);
  const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);
  return {
    subtensor: TotalIssuance.get(s),
    balances: BalancesTotalIssuance.get(s),
    sumBalances: sum(Account.entries(s).map((e) => e.value.data.free + e.value.data.reserved)),
    sumStakes: sum(Stake.entries(s).map((e) => e.value)),
    sumLocked: sum(SubnetLocked.entries(s).map((e) => e.value)),
    sumPending: sum(PendingEmission.entries(s).map((e) => e.value)),
  };
}

/**
 * SubtensorModule.TotalIssuance − (Σ balances + Σ stakes + Σ locks): 0 on a
 * fresh chain, and no call (nor a transaction fee) changes it. Only a test's own
 * Sudo(System.set_storage) that writes TotalIssuance can leave it off: the value is computed
 * before the extrinsic's fee is charged, so such tests compare against the gap measured after the write.
 */
export function issuanceGap(h: HarnessLike): bigint {
  const i = issuance(h);
  return i.subtensor - (i.sumBalances + i.sumStakes + i.sumLocked);
}

/** Asserts Balances.TotalIssuance = Σ balances and the SubtensorModule issuance gap (0 unless a test wrote TotalIssuance). */
export function checkIssuance(h: HarnessLike, gap = 0n): void {
  const i = issuance(h);
  if (i.balances !== i.sumBalances) throw new Error(`Balances.TotalIssuance ${i.balances} ≠ Σ balances ${i.sumBalances}`);
  const actual = issuanceGap(h);
  if (actual !== gap) throw new Error(`SubtensorModule.TotalIssuance ${i.subtensor} is off by ${actual} (expected ${gap}): balances ${i.sumBalances}, stakes ${i.sumStakes}, locked ${i.sumLocked}, pending ${i.sumPending}`);
}
