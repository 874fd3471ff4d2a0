/**
 * Splits one block's emission across subnets and adds it to their `PendingEmission`.
 *
 * Which subnets can receive emission: every existing subnet except the root network whose
 * registration is allowed (classic `generate_emission`: "no emission for this network if
 * registration is off").
 *
 * How the block emission is split (the root epoch, rootEpoch.ts, refreshes EmissionValues on the
 * root network's epoch blocks first, as classic block_step does):
 *  - Classic root network rule: pro rata to EmissionValues over ALL networks. The shares of
 *    networks that cannot receive emission (the root network itself, registration closed) are
 *    not scheduled: Subtensor never queued them either, i.e. that part is not created.
 *  - Equal-split fallback (genesis option, config.ts): while the root network assigns no
 *    emission at all (every EmissionValues entry is 0: no root validator with stake has set root
 *    weights, or the root epoch that would count them has not run yet), the block emission is
 *    split equally among the receiving subnets instead of not being scheduled. EmissionValues are
 *    left as they are (0), so the root rule takes over at the first root epoch that assigns
 *    emission, and values set by other means (sudo) are honoured.
 *
 * Every split is `splitProRata` (largest remainder), so the shares add up to the block emission
 * exactly; what is scheduled is the sum of the receiving subnets' shares. As in Subtensor
 * (run_coinbase.rs at 688d4a7ff) it only accrues in PendingEmission: nothing is minted and
 * SubtensorModule.TotalIssuance does not move until the subnet's epoch pays it out (coinbase.ts).
 * In a block where no subnet can receive emission nothing is scheduled.
 *
 * Deviation from Subtensor: Subtensor accrues ⌊EmissionValues⌋ per block (a few RAO less than the
 * block emission); we split the block emission exactly.
 */
import type { StorageAccess } from "../../../../state/types.js";
import { splitProRata } from "../../../../../consensus/emission.js";
import { ROOT_NETUID } from "../constants.js";
import { EmissionValues, NetworkRegistrationAllowed, NetworksAdded, PendingEmission, Tempo } from "../storage.js";
import { coinbaseConfig } from "./config.js";
import { isEpochBlock } from "./schedule.js";
import { allSubnetNetuids, runRootEpoch, type RootEpochResult } from "./rootEpoch.js";

/** Whether a network takes part in the block emission (exists, not root, registration allowed). */
export function canReceiveEmission(state: StorageAccess, netuid: number): boolean {
  return netuid !== ROOT_NETUID && NetworksAdded.get(state, netuid) && NetworkRegistrationAllowed.get(state, netuid);
}

export interface BlockSplit {
  /** "fallback": equal split (EmissionValues all 0); "root": pro rata to EmissionValues. */
  mode: "fallback" | "root";
  /** The root epoch's outcome when it ran in this block. */
  rootEpoch: RootEpochResult | null;
  /** [netuid, RAO] for every subnet that received a share (> 0), in storage order. */
  shares: Array<[number, bigint]>;
  /** Σ shares: the RAO scheduled (added to PendingEmission) in this block. */
  accrued: bigint;
}

/** The shares of `amount` for this block (runs the root epoch when it is due). */
export function splitBlockEmission(state: StorageAccess, block: bigint, amount: bigint): Omit<BlockSplit, "accrued"> {
  let rootEpoch: RootEpochResult | null = null;
  if (isEpochBlock(ROOT_NETUID, Tempo.get(state, ROOT_NETUID), block)) rootEpoch = runRootEpoch(state, amount);
  const netuids = allSubnetNetuids(state);
  const values = netuids.map((n) => EmissionValues.get(state, n));
  if (values.some((v) => v > 0n)) {
    const parts = splitProRata(amount, values);
    const shares = netuids.map((n, i): [number, bigint] => [n, parts[i]]).filter(([n, v]) => v > 0n && canReceiveEmission(state, n));
    return { mode: "root", rootEpoch, shares };
  }
  if (!coinbaseConfig(state).equalSplitFallback) return { mode: "root", rootEpoch, shares: [] };
  const receiving = netuids.filter((n) => canReceiveEmission(state, n));
  // nobody to receive: nothing is split (and nothing scheduled)
  const parts = receiving.length ? splitProRata(amount, receiving.map(() => 1n)) : [];
  const shares = receiving.map((n, i): [number, bigint] => [n, parts[i]]).filter(([, v]) => v > 0n);
  return { mode: "fallback", rootEpoch, shares };
}

/** Splits this block's emission and adds each share to its subnet's PendingEmission (no TAO is issued here). */
export function accrueBlockEmission(state: StorageAccess, block: bigint, amount: bigint): BlockSplit {
  const split = splitBlockEmission(state, block, amount);
  let accrued = 0n;
  for (const [netuid, share] of split.shares) {
    PendingEmission.put(state, PendingEmission.get(state, netuid) + share, netuid);
    accrued += share;
  }
  return { ...split, accrued };
}
