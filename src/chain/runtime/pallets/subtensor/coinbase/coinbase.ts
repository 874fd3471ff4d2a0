/**
 * The per-block coinbase (classic block_step's root epoch + `generate_emission` + drain, in the
 * form DESIGN.md asks for). Every block:
 *
 *  1. Block emission (blockEmission.ts) split across subnets and minted into their PendingEmission
 *     (subnetSplit.ts; the root epoch runs there on the root network's epoch blocks).
 *  2. Every subnet but root whose epoch falls on this block
 *     (`(block + netuid + 1) % (tempo + 1) == 0`, schedule.ts):
 *       - drains PendingEmission;
 *       - the owner cut (SubnetOwnerCut/65535 of it, `splitOwnerCut`) goes to the owner coldkey's
 *         free balance, minted in Balances (SubtensorModule.TotalIssuance already counts it);
 *       - Yuma (epochDriver.ts) splits the rest into incentive and dividends per UID and writes
 *         the per-UID vectors; LastMechansimStepBlock := block, BlocksSinceLastStep := 0;
 *       - the RAO that Yuma's floored amounts leave over (rest − Σ emission) goes back into
 *         PendingEmission, so it is paid with the next epoch and never lost.
 *     Other subnets: BlocksSinceLastStep += 1.
 *  3. The epochs' emission is paid out as stake (payout.ts), subnet by subnet, and an `EpochRun`
 *     event reports each epoch's amounts.
 *
 * After every block: SubtensorModule.TotalIssuance == Σ balances + Σ stakes + Σ SubnetLocked +
 * Σ PendingEmission.
 *
 * Deviations from classic Subtensor (de1026780), all documented where they happen:
 *  - the whole block emission is minted at once and counted in TotalIssuance immediately
 *    (classic counted it when paid); the split is exact (subnetSplit.ts);
 *  - the owner cut is taken from the drained pending emission at the epoch (classic: from each
 *    block's share, every block), and is exact (`splitOwnerCut`: owner + rest == pending);
 *  - the emission is paid out in the epoch block itself (classic stored it in LoadedEmission and
 *    paid it in the next block's `drain_emission`); all due epochs run before any payout, so each
 *    epoch reads the stakes as they were before this block's payouts, as in classic;
 *  - Yuma's left-over RAO returns to PendingEmission (classic never minted it);
 *  - an epoch whose input is structurally invalid (YumaError) is skipped: its pending emission is
 *    restored untouched and nothing else changes (Rust would have panicked the block).
 */
import type { HookContext } from "../../../frame/dispatch.js";
import { splitOwnerCut } from "../../../../../consensus/emission.js";
import { YumaError } from "../../../../../consensus/yuma/errors.js";
import { ROOT_NETUID, U64_MAX } from "../constants.js";
import { BlocksSinceLastStep, LastMechansimStepBlock, PendingEmission, SubnetOwner, SubnetOwnerCut, Tempo } from "../storage.js";
import { addBalanceToColdkeyAccount } from "../staking/coldkeyBalance.js";
import { blockEmissionAt } from "./blockEmission.js";
import { emissionTuples, runSubnetEpoch, type EmissionTuple, type SubnetEpoch } from "./epochDriver.js";
import { epochRunEvent } from "./events.js";
import { emitInflationThroughHotkeyAccount } from "./payout.js";
import { isEpochBlock } from "./schedule.js";
import { accrueBlockEmission, type BlockSplit } from "./subnetSplit.js";

export interface EpochReport {
  netuid: number;
  /** PendingEmission drained (this block's share included) */
  pending: bigint;
  ownerCut: bigint;
  /** handed to Yuma: pending − ownerCut */
  raoEmission: bigint;
  epoch: SubnetEpoch;
  tuples: EmissionTuple[];
  server: bigint;
  validator: bigint;
  /** returned to PendingEmission */
  carried: bigint;
}

export interface CoinbaseReport {
  blockEmission: bigint;
  split: BlockSplit;
  epochs: EpochReport[];
  /** netuids whose epoch was due but skipped (invalid input, or Yuma handing out too much) */
  skipped: number[];
}

const addPending = (ctx: HookContext, netuid: number, amount: bigint): void => {
  if (amount > 0n) PendingEmission.put(ctx.state, PendingEmission.get(ctx.state, netuid) + amount, netuid);
};

export function runCoinbase(ctx: HookContext): CoinbaseReport {
  const { state } = ctx;
  const block = BigInt(ctx.block.number);

  // --- 1. this block's emission into the subnets' pending emission
  const blockEmission = blockEmissionAt(state, block);
  const split = accrueBlockEmission(state, block, blockEmission);

  // --- 2. epochs due in this block (Tempo iteration order, as classic generate_emission)
  const epochs: EpochReport[] = [];
  const skipped: number[] = [];
  for (const { keys, value: tempo } of Tempo.entries(state)) {
    const netuid = keys[0];
    if (netuid === ROOT_NETUID) continue;
    if (!isEpochBlock(netuid, tempo, block)) {
      const since = BlocksSinceLastStep.get(state, netuid);
      BlocksSinceLastStep.put(state, since < U64_MAX ? since + 1n : since, netuid);
      continue;
    }
    const pending = PendingEmission.get(state, netuid);
    const hasOwner = SubnetOwner.exists(state, netuid);
    const { owner: ownerCut, rest } = hasOwner ? splitOwnerCut(pending, SubnetOwnerCut.get(state)) : { owner: 0n, rest: pending };
    let epoch: SubnetEpoch;
    try {
      epoch = runSubnetEpoch(state, netuid, block, rest);
    } catch (e) {
      if (!(e instanceof YumaError)) throw e;
      skipped.push(netuid);
      continue;
    }
    const tuples = emissionTuples(epoch);
    let server = 0n;
    let validator = 0n;
    for (const [, s, v] of tuples) {
      server += s;
      validator += v;
    }
    // classic's safety check: an epoch that hands out more than it was given pays nothing
    if (server + validator > rest) {
      skipped.push(netuid);
      continue;
    }
    PendingEmission.put(state, 0n, netuid);
    if (hasOwner) addBalanceToColdkeyAccount(ctx, SubnetOwner.get(state, netuid), ownerCut);
    const carried = rest - server - validator;
    addPending(ctx, netuid, carried);
    BlocksSinceLastStep.put(state, 0n, netuid);
    LastMechansimStepBlock.put(state, block, netuid);
    epochs.push({ netuid, pending, ownerCut, raoEmission: rest, epoch, tuples, server, validator, carried });
  }

  // --- 3. payouts, then one event per epoch
  for (const e of epochs) {
    for (const [hotkey, s, v] of e.tuples) emitInflationThroughHotkeyAccount(state, hotkey, s, v);
    ctx.deposit(epochRunEvent({ netuid: e.netuid, block, pending: e.pending, ownerCut: e.ownerCut, server: e.server, validator: e.validator, carried: e.carried }));
  }
  return { blockEmission, split, epochs, skipped };
}
