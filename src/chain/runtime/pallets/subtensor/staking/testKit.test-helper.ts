/**
 * Test support for the staking, delegation and swap_hotkey tests (not a test file).
 *
 * Every call under test goes through a real signed extrinsic in a block. State that no call can
 * create (an axon, a weight commit, an unusual MinTake) is written by a real
 * `Sudo.sudo(System.set_storage)` extrinsic whose items are computed on an overlay of the best state.
 *
 * Typed structurally (no import of test/utils) so the production `tsc` build does not pull the
 * test harness in.
 */
import type { KeyringPair } from "@polkadot/keyring/types";
import type { EnumValue } from "../../../../codec/scale.js";
import type { EventRecordValue } from "../../../frame/runtime.js";
import { StateOverlay } from "../../../../state/overlay.js";
import type { StateReader, StorageAccess } from "../../../../state/types.js";
import { TotalIssuance as BalancesTotalIssuance } from "../../balances.js";
import { Account } from "../../system.js";
import { SUBTENSOR_ERRORS, SUBTENSOR_PALLET_INDEX } from "../errors.js";
import { PendingEmission, Stake, SubnetLocked, TotalColdkeyStake, TotalHotkeyStake, TotalIssuance, TotalStake } from "../storage.js";

/** The parts of test/utils/chainHarness.ts ChainHarness these helpers use. */
export interface HarnessLike {
  readonly alice: KeyringPair;
  readonly chain: { bestState(): StateReader; readonly best: { number: number } };
  readonly runtime: { callCodec: { decode(bytes: Uint8Array): unknown } };
  encodeCall(pallet: string, call: string, args?: Record<string, unknown>): Uint8Array;
  sign(pair: KeyringPair, callBytes: Uint8Array, o?: { nonce?: number }): Uint8Array;
  produce(extrinsics?: Uint8Array[]): Promise<{ events: EventRecordValue[]; skipped: unknown[] }>;
}

export type Block = { events: EventRecordValue[]; skipped: unknown[] };

/** A read/write view of the best state for storage items that need StorageAccess (iteration). */
export const view = (h: HarnessLike): StorageAccess => new StateOverlay(h.chain.bestState());

/** A signed SubtensorModule extrinsic. */
export function st(h: HarnessLike, signer: KeyringPair, call: string, args: Record<string, unknown>, nonce?: number): Uint8Array {
  return h.sign(signer, h.encodeCall("SubtensorModule", call, args), nonce === undefined ? {} : { nonce });
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

/** Outcomes of the signed extrinsics of a block, in order (extrinsics 1…n). */
export function outcomes(block: Block): string[] {
  if (block.skipped.length) throw new Error(`${block.skipped.length} extrinsic(s) were skipped as invalid`);
  const n = Math.max(0, ...block.events.filter((r) => r.phase.tag === "ApplyExtrinsic").map((r) => r.phase.value as number));
  return Array.from({ length: n }, (_, i) => outcomeOf(block, i + 1));
}

/** Events of a pallet in a block as [name, value] pairs, in order. */
export function eventsOf(block: Block, pallet = "SubtensorModule"): Array<[string, unknown]> {
  return block.events.filter((r) => r.event.tag === pallet).map((r) => [(r.event.value as EnumValue).tag, (r.event.value as EnumValue).value]);
}

/** Applies `write` to the chain in the next block through Sudo(System.set_storage). */
export async function sudoWrite(h: HarnessLike, write: (state: StorageAccess) => void): Promise<void> {
  const overlay = new StateOverlay(h.chain.bestState());
  write(overlay);
  const changes = overlay.drain();
  if (changes.some(([, v]) => v === null)) throw new Error("sudoWrite: deletions are not supported");
  const inner = h.runtime.callCodec.decode(h.encodeCall("System", "set_storage", { items: changes }));
  const block = await h.produce([h.sign(h.alice, h.encodeCall("Sudo", "sudo", { call: inner }))]);
  const sudid = eventsOf(block, "Sudo").find(([n]) => n === "Sudid")?.[1] as { sudoResult: EnumValue } | undefined;
  if (block.skipped.length || sudid?.sudoResult.tag !== "Ok") throw new Error("sudoWrite: the set_storage extrinsic did not succeed");
}

/** Advances the chain by `n` empty blocks. */
export async function skipBlocks(h: HarnessLike, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await h.produce();
}

export const sum = (xs: bigint[]): bigint => xs.reduce((a, b) => a + b, 0n);

export interface LedgerTotals {
  totalStake: bigint;
  sumStake: bigint;
  sumHotkeyStake: bigint;
  sumColdkeyStake: bigint;
}

/** TotalStake and the three sums that must equal it. */
export function ledgerTotals(state: StorageAccess): LedgerTotals {
  return {
    totalStake: TotalStake.get(state),
    sumStake: sum(Stake.entries(state).map((e) => e.value)),
    sumHotkeyStake: sum(TotalHotkeyStake.entries(state).map((e) => e.value)),
    sumColdkeyStake: sum(TotalColdkeyStake.entries(state).map((e) => e.value)),
  };
}

/**
 * Throws (with the numbers) unless TotalStake == Σ Stake == Σ TotalHotkeyStake == Σ TotalColdkeyStake,
 * and each TotalHotkeyStake / TotalColdkeyStake equals the sum of that key's Stake rows.
 */
export function assertLedgerAddsUp(state: StorageAccess, where = ""): void {
  const t = ledgerTotals(state);
  if (t.sumStake !== t.totalStake || t.sumHotkeyStake !== t.totalStake || t.sumColdkeyStake !== t.totalStake) {
    throw new Error(`stake ledger does not add up ${where}: ${JSON.stringify(t, (_, v) => (typeof v === "bigint" ? v.toString() : v))}`);
  }
  const byHot = new Map<string, bigint>();
  const byCold = new Map<string, bigint>();
  for (const { keys, value } of Stake.entries(state)) {
    const [hot, cold] = keys.map((k) => Buffer.from(k).toString("hex"));
    byHot.set(hot, (byHot.get(hot) ?? 0n) + value);
    byCold.set(cold, (byCold.get(cold) ?? 0n) + value);
  }
  const check = (name: string, totals: Array<{ keys: [Uint8Array]; value: bigint }>, rows: Map<string, bigint>) => {
    const seen = new Set<string>();
    for (const { keys, value } of totals) {
      const k = Buffer.from(keys[0]).toString("hex");
      seen.add(k);
      if ((rows.get(k) ?? 0n) !== value) throw new Error(`${name}[${k}] = ${value} but its Stake rows sum to ${rows.get(k) ?? 0n} ${where}`);
    }
    for (const [k, v] of rows) if (!seen.has(k) && v !== 0n) throw new Error(`${name}[${k}] missing for Stake rows summing to ${v} ${where}`);
  };
  check("TotalHotkeyStake", TotalHotkeyStake.entries(state), byHot);
  check("TotalColdkeyStake", TotalColdkeyStake.entries(state), byCold);
}

/**
 * The issuance invariant: SubtensorModule.TotalIssuance == Σ (free + reserved) + Σ Stake +
 * Σ SubnetLocked + Σ PendingEmission (+ `offChain`: TAO that left the balances without leaving
 * SubtensorModule.TotalIssuance, e.g. transaction fees). Throws with the terms otherwise.
 */
export function assertIssuanceInvariant(state: StorageAccess, where = "", offChain = 0n): IssuanceParts {
  const p = issuanceParts(state);
  const rhs = p.balances + p.stakes + p.locked + p.pending + offChain;
  if (p.subtensorIssuance !== rhs) {
    const show = JSON.stringify({ ...p, offChain, difference: p.subtensorIssuance - rhs }, (_, v) => (typeof v === "bigint" ? v.toString() : v));
    throw new Error(`issuance invariant broken ${where}: ${show}`);
  }
  return p;
}

export interface IssuanceParts {
  subtensorIssuance: bigint;
  balances: bigint;
  balancesIssuance: bigint;
  stakes: bigint;
  locked: bigint;
  pending: bigint;
}

/** The terms of the issuance invariant: Σ (free + reserved) over System.Account, Σ Stake, Σ SubnetLocked, Σ PendingEmission. */
export function issuanceParts(state: StorageAccess): IssuanceParts {
  return {
    subtensorIssuance: TotalIssuance.get(state),
    balances: sum(Account.entries(state).map((e) => e.value.data.free + e.value.data.reserved)),
    balancesIssuance: BalancesTotalIssuance.get(state),
    stakes: sum(Stake.entries(state).map((e) => e.value)),
    locked: sum(SubnetLocked.entries(state).map((e) => e.value)),
    pending: sum(PendingEmission.entries(state).map((e) => e.value)),
  };
}

/** A small deterministic PRNG (mulberry32) for the randomized runs. */
export function prng(seed: number): { next(): number; int(n: number): number; pick<T>(xs: readonly T[]): T; chance(p: number): boolean } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: (xs) => xs[int(xs.length)], chance: (p) => next() < p };
}
