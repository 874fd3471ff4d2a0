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
import type { StorageAccess } from "../../../src/chain/state/types.js";
import { TotalIssuance as BalancesTotalIssuance } from "../../../src/chain/runtime/pallets/balances.js";
import { Account } from "../../../src/chain/runtime/pallets/system.js";
import { PendingEmission, Stake, SubnetLocked, TotalColdkeyStake, TotalHotkeyStake, TotalIssuance, TotalStake } from "../../../src/chain/runtime/pallets/subtensor/storage.js";

// The extrinsic/outcome primitives are shared with the registration tests.
export { dispatchErrorName, eventsOf, outcomeOf, outcomes, st, sudoWrite, view, type Block, type HarnessLike } from "./subnets.js";
import { eventsOf, type Block, type HarnessLike } from "./subnets.js";

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
 * Σ SubnetLocked (+ `offChain`: TAO that left the balances without leaving
 * SubtensorModule.TotalIssuance, e.g. transaction fees). PendingEmission is not issued yet and is
 * not part of it. Throws with the terms otherwise.
 */
export function assertIssuanceInvariant(state: StorageAccess, where = "", offChain = 0n): IssuanceParts {
  const p = issuanceParts(state);
  const rhs = p.balances + p.stakes + p.locked + offChain;
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

/** The terms of the invariants: Σ (free + reserved) over System.Account, Σ Stake, Σ SubnetLocked, Σ PendingEmission. */
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

/** What a block's coinbase events say: Σ paid (owner cut + incentive + dividends) and Σ dropped. */
export function emissionOutcomeOf(block: Block): { paid: bigint; dropped: bigint; epochs: number } {
  let paid = 0n;
  let dropped = 0n;
  let epochs = 0;
  for (const [name, v] of eventsOf(block)) {
    if (name === "EpochRun") {
      const e = v as { ownerCut: bigint; server: bigint; validator: bigint; dropped: bigint };
      paid += e.ownerCut + e.server + e.validator;
      dropped += e.dropped;
      epochs++;
    } else if (name === "PendingEmissionDropped") dropped += (v as { amount: bigint }).amount;
  }
  return { paid, dropped, epochs };
}

/**
 * Emission accounting over a run: Σ scheduled block emission == Σ paid (the issuance that emission
 * created) + Σ PendingEmission + Σ dropped. `record` adds one block (its scheduled amount is the
 * caller's own computation); `assertHolds` throws with the terms when the books do not balance.
 */
export class EmissionLedger {
  paid = 0n;
  dropped = 0n;
  epochs = 0;

  /** `scheduled` starts at Σ PendingEmission when the books open (scheduled before them). */
  constructor(public scheduled = 0n) {}

  record(block: Block, scheduled: bigint): void {
    const o = emissionOutcomeOf(block);
    this.scheduled += scheduled;
    this.paid += o.paid;
    this.dropped += o.dropped;
    this.epochs += o.epochs;
  }

  assertHolds(state: StorageAccess, where = ""): void {
    const pending = issuanceParts(state).pending;
    if (this.scheduled !== this.paid + pending + this.dropped) {
      const show = JSON.stringify({ scheduled: this.scheduled, paid: this.paid, pending, dropped: this.dropped, difference: this.scheduled - this.paid - pending - this.dropped }, (_, v) =>
        typeof v === "bigint" ? v.toString() : v,
      );
      throw new Error(`emission does not add up ${where}: ${show}`);
    }
  }
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
