/**
 * The per-block coinbase, in the shape of Subtensor's pre-dTAO `run_coinbase` (run_coinbase.rs at
 * 688d4a7ff). Every block:
 *
 *  1. The block emission (blockEmission.ts) is split across subnets and accrues in their
 *     PendingEmission (subnetSplit.ts; the root epoch runs there on the root network's epoch
 *     blocks). Nothing is issued yet: SubtensorModule.TotalIssuance does not move.
 *  2. For every network (NetworksAdded order, root included) whose epoch falls on this block
 *     (`blocks_until_next_epoch == 0`, schedule.ts):
 *       - PendingEmission is drained (set to 0);
 *       - the root network, and a subnet whose registration is closed, stop there: what was
 *         drained is dropped (Subtensor skips their payouts and does not run Yuma);
 *       - the owner cut (`splitOwnerCut`, Subtensor's I96F32 order) is issued (`coinbase`) and
 *         credited to the owner coldkey's free balance;
 *       - Yuma (epochDriver.ts) splits `pending − owner cut` into incentive and dividends per UID
 *         and writes the per-UID vectors;
 *       - BlocksSinceLastStep := 0, LastMechansimStepBlock := block.
 *     Other networks: BlocksSinceLastStep += 1.
 *  3. The epochs' emission is paid out as stake (payout.ts) and issued, subnet by subnet, and an
 *     `EpochRun` event reports each subnet epoch: drained, paid, dropped.
 *
 * TAO is issued exactly when it reaches an account. What an epoch cannot pay (Yuma's floors, an
 * epoch where nobody has stake or weights, a closed subnet) is dropped with the drain: never
 * issued, never carried to the next epoch. After every block SubtensorModule.TotalIssuance ==
 * Σ balances + Σ stakes + Σ SubnetLocked, and Σ scheduled emission == Σ paid + Σ PendingEmission +
 * Σ dropped.
 *
 * Deviations from Subtensor (688d4a7ff), all documented where they happen:
 *  - the split of the block emission across subnets is exact (subnetSplit.ts);
 *  - the emission is paid out as stake in the epoch block itself (Subtensor accumulates it in
 *    PendingdHotkeyEmission and drains it to nominators every HotkeyEmissionTempo blocks, with
 *    classic's delegate/nominator split, payout.ts); all due epochs run before any payout, so
 *    each epoch reads the stakes as they were before this block's payouts;
 *  - an epoch whose input is structurally invalid (YumaError, where Rust would have panicked the
 *    block), or whose Yuma result hands out more than it was given (classic's safety check), pays
 *    no incentive or dividends: the Yuma part is dropped and listed in `skipped`.
 */
import type { HookContext } from "../../../frame/dispatch.js";
import { splitOwnerCut } from "../../../../../consensus/emission.js";
import { YumaError } from "../../../../../consensus/yuma/errors.js";
import { ROOT_NETUID, U64_MAX } from "../constants.js";
import { BlocksSinceLastStep, LastMechansimStepBlock, NetworkRegistrationAllowed, PendingEmission, SubnetOwner, SubnetOwnerCut, Tempo } from "../storage.js";
import { addBalanceToColdkeyAccount, coinbase } from "../staking/coldkeyBalance.js";
import { blockEmissionAt } from "./blockEmission.js";
import { emissionTuples, runSubnetEpoch, type EmissionTuple, type SubnetEpoch } from "./epochDriver.js";
import { epochRunEvent } from "./events.js";
import { creditHotkeyEmission } from "./payout.js";
import { StakeCredits } from "../staking/stakeCredits.js";
import { allSubnetNetuids } from "./rootEpoch.js";
import { isEpochBlock } from "./schedule.js";
import { accrueBlockEmission, type BlockSplit } from "./subnetSplit.js";

/**
 * What became of Yuma's part of an epoch: "paid"; "not run" (the root network, or a subnet whose
 * registration is closed); "invalid input" (YumaError); "overpaid" (classic's safety check).
 */
export type YumaOutcome = "paid" | "not run" | "invalid input" | "overpaid";

export interface EpochReport {
  netuid: number;
  /** PendingEmission drained (this block's share included) */
  pending: bigint;
  /** credited to the owner's coldkey (and issued) */
  ownerCut: bigint;
  /** handed to Yuma: pending − owner cut as computed (0 when Yuma did not run) */
  raoEmission: bigint;
  yuma: YumaOutcome;
  /** Yuma's run (null when it did not run) */
  epoch: SubnetEpoch | null;
  /** what is paid out as stake, per UID (empty unless `yuma` is "paid") */
  tuples: EmissionTuple[];
  server: bigint;
  validator: bigint;
  /** drained and not paid: pending − ownerCut − server − validator */
  dropped: bigint;
}

export interface CoinbaseReport {
  blockEmission: bigint;
  split: BlockSplit;
  /** every subnet epoch of this block (the root network's are not reported) */
  epochs: EpochReport[];
  /** netuids whose Yuma part was not paid: invalid input, or Yuma handing out too much */
  skipped: number[];
}

/** The owner cut of `pending`: issued, then credited; returns [the cut as computed, what reached the coldkey]. */
function payOwnerCut(ctx: HookContext, netuid: number, pending: bigint): [computed: bigint, credited: bigint] {
  const { state } = ctx;
  if (!SubnetOwner.exists(state, netuid)) return [0n, 0n];
  const { owner } = splitOwnerCut(pending, SubnetOwnerCut.get(state));
  // Issued first, as Subtensor's coinbase(owner_cut); a credit the account cannot take (below the
  // existential deposit of a dead account) is burned again by addBalanceToColdkeyAccount.
  coinbase(state, owner);
  return [owner, addBalanceToColdkeyAccount(ctx, SubnetOwner.get(state, netuid), owner)];
}

/** Runs Yuma over `raoEmission`; returns what to pay, or why nothing of it is paid. */
function runYuma(ctx: HookContext, netuid: number, block: bigint, raoEmission: bigint): { outcome: YumaOutcome; epoch: SubnetEpoch | null; tuples: EmissionTuple[] } {
  let epoch: SubnetEpoch;
  try {
    epoch = runSubnetEpoch(ctx.state, netuid, block, raoEmission, ctx.diagnostics);
  } catch (e) {
    if (!(e instanceof YumaError)) throw e;
    return { outcome: "invalid input", epoch: null, tuples: [] };
  }
  const tuples = emissionTuples(epoch);
  const total = tuples.reduce((a, [, s, v]) => a + s + v, 0n);
  // classic's safety check: an epoch that hands out more than it was given pays nothing
  if (total > raoEmission) return { outcome: "overpaid", epoch, tuples: [] };
  return { outcome: "paid", epoch, tuples };
}

/** The epoch of `netuid` at `block` (its epoch block): drain, owner cut, Yuma, counters. */
function runNetworkEpoch(ctx: HookContext, netuid: number, block: bigint): EpochReport | null {
  const { state } = ctx;
  const pending = PendingEmission.get(state, netuid);
  PendingEmission.put(state, 0n, netuid);
  const report = payEpoch(ctx, netuid, block, pending);
  // Subtensor 688d4a7ff writes these before its epoch(), whose classic variant does not read
  // them; the current (Yuma3) variant reads LastMechansimStepBlock as the PREVIOUS epoch's block
  // (HEAD writes it after the epoch), so they are written once Yuma has run. Same end state.
  BlocksSinceLastStep.put(state, 0n, netuid);
  LastMechansimStepBlock.put(state, block, netuid);
  return report;
}

/** Pays the drained `pending` of `netuid`'s epoch: owner cut, then Yuma; null for root with nothing drained. */
function payEpoch(ctx: HookContext, netuid: number, block: bigint, pending: bigint): EpochReport | null {
  const { state } = ctx;
  const report: EpochReport = { netuid, pending, ownerCut: 0n, raoEmission: 0n, yuma: "not run", epoch: null, tuples: [], server: 0n, validator: 0n, dropped: pending };
  // The root network never accrues; its drain only matters if something wrote PendingEmission[0].
  if (netuid === ROOT_NETUID) return pending > 0n ? report : null;
  if (!NetworkRegistrationAllowed.get(state, netuid)) return report;

  const [computed, credited] = payOwnerCut(ctx, netuid, pending);
  report.ownerCut = credited;
  report.raoEmission = pending - computed;
  const yuma = runYuma(ctx, netuid, block, report.raoEmission);
  report.yuma = yuma.outcome;
  report.epoch = yuma.epoch;
  report.tuples = yuma.tuples;
  for (const [, s, v] of yuma.tuples) {
    report.server += s;
    report.validator += v;
  }
  report.dropped = pending - credited - report.server - report.validator;
  return report;
}

export function runCoinbase(ctx: HookContext): CoinbaseReport {
  const { state } = ctx;
  const block = BigInt(ctx.block.number);

  // --- 1. this block's emission into the subnets' pending emission
  const blockEmission = blockEmissionAt(state, block);
  const split = accrueBlockEmission(state, block, blockEmission);

  // --- 2. epochs due in this block (NetworksAdded order, as Subtensor's get_all_subnet_netuids)
  const epochs: EpochReport[] = [];
  for (const netuid of allSubnetNetuids(state)) {
    if (!isEpochBlock(netuid, Tempo.get(state, netuid), block)) {
      const since = BlocksSinceLastStep.get(state, netuid);
      BlocksSinceLastStep.put(state, since < U64_MAX ? since + 1n : since, netuid);
      continue;
    }
    const report = runNetworkEpoch(ctx, netuid, block);
    if (report) epochs.push(report);
  }

  // --- 3. payouts, issued as they are paid, then one event per epoch. The stake credits of all
  // epochs are written once at the end (StakeCredits: the same state as one by one; nothing in
  // between touches the stake ledger)
  const credits = new StakeCredits(state);
  for (const e of epochs) {
    for (const [hotkey, s, v] of e.tuples) creditHotkeyEmission(state, credits, hotkey, s, v);
    coinbase(state, e.server + e.validator);
    ctx.deposit(epochRunEvent({ netuid: e.netuid, block, pending: e.pending, ownerCut: e.ownerCut, server: e.server, validator: e.validator, dropped: e.dropped }));
  }
  credits.flush();
  const skipped = epochs.filter((e) => e.yuma === "invalid input" || e.yuma === "overpaid").map((e) => e.netuid);
  return { blockEmission, split, epochs, skipped };
}
