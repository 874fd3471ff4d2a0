/**
 * Creating and removing subnets: `register_network` (classic `user_add_network`) and
 * `dissolve_network` (classic `user_remove_network`), root.rs at de1026780.
 */
import type { DispatchContext } from "../../../frame/dispatch.js";
import { BadOrigin, ensureSigned } from "../../../frame/dispatch.js";
import type { StorageAccess } from "../../../../state/types.js";
import { bytesEqual } from "../../../../../util/bytes.js";
import * as C from "../constants.js";
import { subtensorError } from "../errors.js";
import { subtensorEvent } from "../events.js";
import * as S from "../storage.js";
import { initNewNetwork } from "../subnetsInit.js";
import { addBalanceToColdkeyAccount, canRemoveBalanceFromColdkeyAccount, removeBalanceFromColdkeyAccount } from "../staking/coldkeyBalance.js";
import { pendingEmissionDroppedEvent } from "../coinbase/events.js";
import { getNetworkLockCost } from "./lockCost.js";
import { satSub64 } from "./math.js";
import { getSubnetToPrune } from "./pruning.js";

type Ctx = Pick<DispatchContext, "state" | "deposit">;

/**
 * `user_add_network(origin = coldkey)`:
 * 1. `block − NetworkLastRegistered ≥ NetworkRateLimit` (NetworkTxRateLimitExceeded);
 * 2. the coldkey can pay the lock cost (NotEnoughBalanceToStake);
 * 3. the netuid: the first free one from 1 while TotalNetworks − 1 (root excluded) < SubnetLimit,
 *    otherwise the subnet `get_subnet_to_prune` picks, which is removed first (NetworkRemoved;
 *    AllNetworksInImmunity when every subnet is immune);
 * 4. the lock is withdrawn from the coldkey (best effort, keeping the account alive) into
 *    SubnetLocked, and becomes NetworkLastLockCost;
 * 5. `init_new_network(netuid, 360)`, NetworkLastRegistered / NetworkRegisteredAt = block,
 *    SubnetOwner = coldkey; event NetworkAdded(netuid, 0).
 * Returns the new netuid. As in classic Subtensor the call takes no argument and the subnet starts
 * without neurons: the owner registers a hotkey like anyone else (current Subtensor's
 * `register_network(hotkey)`, which also makes that hotkey UID 0, is not what the classic-era
 * Bittensor SDK composes).
 */
export function userAddNetwork(ctx: DispatchContext): number {
  const coldkey = ensureSigned(ctx.origin);
  const { state } = ctx;
  const block = BigInt(ctx.block.number);

  if (satSub64(block, S.NetworkLastRegistered.get(state)) < S.NetworkRateLimit.get(state)) throw subtensorError("NetworkTxRateLimitExceeded");

  const lockAmount = getNetworkLockCost(state, block);
  if (!canRemoveBalanceFromColdkeyAccount(state, coldkey, lockAmount)) throw subtensorError("NotEnoughBalanceToStake");

  let netuid: number;
  // TotalNetworks counts the root network, which does not count towards the limit.
  if (Math.max(S.TotalNetworks.get(state) - 1, 0) < S.SubnetLimit.get(state)) {
    netuid = 1;
    while (S.NetworksAdded.get(state, netuid)) netuid++;
  } else {
    netuid = getSubnetToPrune(state, block);
    if (netuid === 0) throw subtensorError("AllNetworksInImmunity");
    removeNetwork(ctx, netuid);
    ctx.deposit(subtensorEvent("NetworkRemoved", netuid));
  }

  const locked = removeBalanceFromColdkeyAccount(ctx, coldkey, lockAmount);
  S.SubnetLocked.put(state, locked, netuid);
  S.NetworkLastLockCost.put(state, locked);

  initNewNetwork(state, netuid, C.NEW_SUBNET_TEMPO, ctx.deposit);
  S.NetworkLastRegistered.put(state, block);
  S.NetworkRegisteredAt.put(state, block, netuid);
  S.SubnetOwner.put(state, coldkey, netuid);
  ctx.deposit(subtensorEvent("NetworkAdded", [netuid, 0]));
  return netuid;
}

/**
 * `dissolve_network(netuid)`: by the subnet owner (classic), or by root through sudo (issue 3).
 * The subnet must exist (SubNetworkDoesNotExist); a signed caller must own it (NotSubnetOwner);
 * the root network cannot be dissolved (RegistrationNotPermittedOnRootSubnet: "operation is not
 * permitted on the root subnet"). The lock goes back to the owner; event NetworkRemoved(netuid).
 */
export function userRemoveNetwork(ctx: DispatchContext, netuid: number): void {
  const { origin, state } = ctx;
  if (origin.kind === "none") throw BadOrigin();
  if (!S.NetworksAdded.get(state, netuid)) throw subtensorError("SubNetworkDoesNotExist");
  if (origin.kind === "signed") {
    if (!bytesEqual(S.SubnetOwner.get(state, netuid), ensureSigned(origin))) throw subtensorError("NotSubnetOwner");
  }
  if (netuid === C.ROOT_NETUID) throw subtensorError("RegistrationNotPermittedOnRootSubnet");
  removeNetwork(ctx, netuid);
  ctx.deposit(subtensorEvent("NetworkRemoved", netuid));
}

/** Per-subnet maps keyed by the netuid alone: all removed with the subnet. */
const NETUID_MAPS = [
  // existence, size, ownership
  S.SubnetworkN,
  S.NetworkModality,
  S.NetworksAdded,
  S.NetworkRegisteredAt,
  S.SubnetOwner,
  S.SubnetLocked,
  // per-UID vectors
  S.Rank,
  S.Trust,
  S.Active,
  S.Emission,
  S.Incentive,
  S.Consensus,
  S.Dividends,
  S.PruningScores,
  S.LastUpdate,
  S.ValidatorPermit,
  S.ValidatorTrust,
  S.LoadedEmission,
  // emission and epoch bookkeeping (PendingEmission is dropped with an event, below)
  S.EmissionValues,
  S.BlocksSinceLastStep,
  S.LastMechansimStepBlock,
  // registration terms and counters
  S.Burn,
  S.Difficulty,
  S.MinBurn,
  S.MaxBurn,
  S.MinDifficulty,
  S.MaxDifficulty,
  S.LastAdjustmentBlock,
  S.RegistrationsThisBlock,
  S.MaxRegistrationsPerBlock,
  S.RAORecycledForRegistration,
  S.RegistrationsThisInterval,
  S.POWRegistrationsThisInterval,
  S.BurnRegistrationsThisInterval,
  S.NetworkRegistrationAllowed,
  S.NetworkPowRegistrationAllowed,
  S.TargetRegistrationsPerInterval,
  S.AdjustmentInterval,
  S.AdjustmentAlpha,
  S.NeuronsToPruneAtNextEpoch,
  // hyperparameters
  S.Tempo,
  S.Rho,
  S.Kappa,
  S.MaxAllowedUids,
  S.ImmunityPeriod,
  S.ActivityCutoff,
  S.MaxWeightsLimit,
  S.WeightsVersionKey,
  S.MinAllowedWeights,
  S.MaxAllowedValidators,
  S.BondsMovingAverage,
  S.WeightsSetRateLimit,
  S.ValidatorPruneLen,
  S.ScalingLawPower,
  S.ServingRateLimit,
  S.WeightCommitRevealInterval,
  S.CommitRevealWeightsEnabled,
  S.LiquidAlphaOn,
  S.AlphaValues,
  S.Yuma3On,
  S.BondsPenalty,
  S.AlphaSigmoidSteepness,
] as const;

/** Double maps whose first key is the netuid: every entry under the netuid is removed. */
const NETUID_PREFIXED = [S.Uids, S.Keys, S.BlockAtRegistration, S.Weights, S.Bonds, S.Axons, S.Prometheus, S.WeightCommits] as const;

/**
 * `remove_network(netuid)`: erases the subnet. Classic removed the existence and size items, the
 * neurons' Uids/Keys, weights and bonds, the per-UID vectors and a dozen parameters, zeroed root
 * weights on the subnet, and paid the lock back to the owner. Issue 3 asks for the subnet's whole
 * state, so we also remove the remaining per-subnet maps (registration terms and counters, every
 * hyperparameter, axons, prometheus, commits, BlockAtRegistration) and the members'
 * IsNetworkMember entries; a later subnet under the same netuid then starts from the defaults.
 * Pending emission that no epoch paid out is dropped with the subnet (Subtensor leaves the
 * PendingEmission entry behind for a later subnet under the netuid to inherit). It was never
 * issued, so TotalIssuance does not change; `PendingEmissionDropped` reports the amount.
 */
export function removeNetwork(ctx: Ctx, netuid: number): void {
  const { state } = ctx;
  const owner = S.SubnetOwner.get(state, netuid);
  const locked = S.SubnetLocked.get(state, netuid);
  const pending = S.PendingEmission.get(state, netuid);

  for (const { value: hotkey } of S.Keys.entries(state, netuid)) S.IsNetworkMember.remove(state, hotkey, netuid);
  for (const item of NETUID_PREFIXED) item.clear(state, netuid);
  for (const item of NETUID_MAPS) (item as { remove(s: StorageAccess, n: number): void }).remove(state, netuid);
  S.PendingEmission.remove(state, netuid);
  if (pending > 0n) ctx.deposit(pendingEmissionDroppedEvent(netuid, pending));
  S.TotalNetworks.put(state, Math.max(S.TotalNetworks.get(state) - 1, 0));

  // Root validators' weights on the removed subnet drop to zero (classic).
  for (const { keys, value: row } of S.Weights.entries(state, C.ROOT_NETUID)) {
    if (!row.some(([dest]) => dest === netuid)) continue;
    S.Weights.put(state, row.map(([dest, w]) => [dest, dest === netuid ? 0 : w] as [number, number]), C.ROOT_NETUID, keys[1]);
  }

  addBalanceToColdkeyAccount(ctx, owner, locked);
}
