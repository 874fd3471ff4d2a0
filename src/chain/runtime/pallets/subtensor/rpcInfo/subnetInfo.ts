/**
 * SubnetInfo, SubnetInfov2 and SubnetHyperparams (Subtensor 688d4a7ff `rpc_info/subnet_info.rs`),
 * read from storage at one block. A subnet that does not exist (`NetworksAdded` false) has none.
 *
 * Kept as Subtensor has them:
 * - `network_connect` is deprecated there and always empty;
 * - the subnet lists hold one `Option<SubnetInfo>` per existing subnet, by ascending netuid;
 * - `get_subnets_info_v2` returns the *v1* SubnetInfo list (Subtensor's implementation does);
 * - v2's `identity` comes from `SubnetIdentities`, which no call of this chain sets: always None;
 * - `commit_reveal_weights_interval` is the subnet's commit-reveal period (this chain keeps the
 *   classic `WeightCommitRevealInterval`, in blocks).
 */
import type { StorageAccess } from "../../../../state/types.js";
import {
  ActivityCutoff,
  AdjustmentAlpha,
  AdjustmentInterval,
  AlphaValues,
  BlocksSinceLastStep,
  BondsMovingAverage,
  Burn,
  CommitRevealWeightsEnabled,
  Difficulty,
  EmissionValues,
  ImmunityPeriod,
  Kappa,
  LiquidAlphaOn,
  MaxAllowedUids,
  MaxAllowedValidators,
  MaxBurn,
  MaxDifficulty,
  MaxRegistrationsPerBlock,
  MaxWeightsLimit,
  MinAllowedWeights,
  MinBurn,
  MinDifficulty,
  NetworkModality,
  NetworkRegistrationAllowed,
  NetworksAdded,
  Rho,
  ScalingLawPower,
  ServingRateLimit,
  SubnetOwner,
  SubnetworkN,
  TargetRegistrationsPerInterval,
  Tempo,
  WeightCommitRevealInterval,
  WeightsSetRateLimit,
  WeightsVersionKey,
} from "../storage.js";
import type { SubnetHyperparamsValue, SubnetInfoV2Value, SubnetInfoValue } from "./types.js";

export function getSubnetInfo(state: StorageAccess, netuid: number): SubnetInfoValue | null {
  if (!NetworksAdded.get(state, netuid)) return null;
  return {
    netuid,
    rho: Rho.get(state, netuid),
    kappa: Kappa.get(state, netuid),
    difficulty: Difficulty.get(state, netuid),
    immunityPeriod: ImmunityPeriod.get(state, netuid),
    maxAllowedValidators: MaxAllowedValidators.get(state, netuid),
    minAllowedWeights: MinAllowedWeights.get(state, netuid),
    maxWeightsLimit: MaxWeightsLimit.get(state, netuid),
    scalingLawPower: ScalingLawPower.get(state, netuid),
    subnetworkN: SubnetworkN.get(state, netuid),
    maxAllowedUids: MaxAllowedUids.get(state, netuid),
    blocksSinceLastStep: BlocksSinceLastStep.get(state, netuid),
    tempo: Tempo.get(state, netuid),
    networkModality: NetworkModality.get(state, netuid),
    networkConnect: [],
    emissionValues: EmissionValues.get(state, netuid),
    burn: Burn.get(state, netuid),
    owner: SubnetOwner.get(state, netuid),
  };
}

export function getSubnetInfoV2(state: StorageAccess, netuid: number): SubnetInfoV2Value | null {
  const v1 = getSubnetInfo(state, netuid);
  return v1 && { ...v1, identity: null };
}

/** The netuids of existing subnets, ascending (Subtensor walks 0..=max over NetworksAdded). */
export function existingNetuids(state: StorageAccess): number[] {
  return NetworksAdded.entries(state)
    .filter(({ value }) => value)
    .map(({ keys: [netuid] }) => netuid)
    .sort((a, b) => a - b);
}

export function getSubnetsInfo(state: StorageAccess): Array<SubnetInfoValue | null> {
  return existingNetuids(state).map((netuid) => getSubnetInfo(state, netuid));
}

export function getSubnetHyperparams(state: StorageAccess, netuid: number): SubnetHyperparamsValue | null {
  if (!NetworksAdded.get(state, netuid)) return null;
  const [alphaLow, alphaHigh] = AlphaValues.get(state, netuid);
  return {
    rho: Rho.get(state, netuid),
    kappa: Kappa.get(state, netuid),
    immunityPeriod: ImmunityPeriod.get(state, netuid),
    minAllowedWeights: MinAllowedWeights.get(state, netuid),
    maxWeightsLimit: MaxWeightsLimit.get(state, netuid),
    tempo: Tempo.get(state, netuid),
    minDifficulty: MinDifficulty.get(state, netuid),
    maxDifficulty: MaxDifficulty.get(state, netuid),
    weightsVersion: WeightsVersionKey.get(state, netuid),
    weightsRateLimit: WeightsSetRateLimit.get(state, netuid),
    adjustmentInterval: AdjustmentInterval.get(state, netuid),
    activityCutoff: ActivityCutoff.get(state, netuid),
    registrationAllowed: NetworkRegistrationAllowed.get(state, netuid),
    targetRegsPerInterval: TargetRegistrationsPerInterval.get(state, netuid),
    minBurn: MinBurn.get(state, netuid),
    maxBurn: MaxBurn.get(state, netuid),
    bondsMovingAvg: BondsMovingAverage.get(state, netuid),
    maxRegsPerBlock: MaxRegistrationsPerBlock.get(state, netuid),
    servingRateLimit: ServingRateLimit.get(state, netuid),
    maxValidators: MaxAllowedValidators.get(state, netuid),
    adjustmentAlpha: AdjustmentAlpha.get(state, netuid),
    difficulty: Difficulty.get(state, netuid),
    commitRevealWeightsInterval: WeightCommitRevealInterval.get(state, netuid),
    commitRevealWeightsEnabled: CommitRevealWeightsEnabled.get(state, netuid),
    alphaHigh,
    alphaLow,
    liquidAlphaEnabled: LiquidAlphaOn.get(state, netuid),
  };
}
