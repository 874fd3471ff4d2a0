/**
 * SubtensorModule (index 7, crate pallet_subtensor): the Pallet object assembled from the
 * declarations in this directory. The calls are written in the domain files (registration,
 * staking, weights, serving, subnets, …) and passed in; storage, events, errors and constants come
 * from here, so their indices and encodings are the ones the metadata advertises.
 *
 * Domain code that needs an error or an event before the Pallet exists uses `subtensorError` /
 * `subtensorEvent` (re-exported here), which build the same values from the tables.
 */
import { u16, u64, type Codec } from "../../../codec/scale.js";
import type { HookContext } from "../../frame/dispatch.js";
import { Pallet, type CallDecl, type ConstantDecl } from "../../frame/pallet.js";
import * as C from "./constants.js";
import { SUBTENSOR_ERRORS, SUBTENSOR_PALLET_INDEX } from "./errors.js";
import { SUBTENSOR_EVENTS } from "./events.js";
import { SUBTENSOR_PALLET_NAME, SUBTENSOR_STORAGE } from "./storage.js";

export { subtensorError, subtensorErrorIndex, isSubtensorError, SubtensorErrors, type SubtensorErrorName } from "./errors.js";
export { subtensorEvent, SubtensorEvents, type SubtensorEventName } from "./events.js";
export { SUBTENSOR_PALLET_INDEX, SUBTENSOR_PALLET_NAME };

const k = (name: string, codec: Codec<any>, value: unknown, doc: string): ConstantDecl => ({ name, codec, value, docs: [doc] });

/**
 * The pallet's metadata constants: the `#[pallet::constant]` associated types of
 * `pallet_subtensor::Config` at de1026780, in declaration order, with the runtime's values.
 */
export const SUBTENSOR_CONSTANTS: ConstantDecl[] = [
  k("InitialIssuance", u64, C.InitialIssuance, "Initial currency issuance."),
  k("InitialMinAllowedWeights", u16, C.InitialMinAllowedWeights, "Initial min allowed weights setting."),
  k("InitialEmissionValue", u16, C.InitialEmissionValue, "Initial Emission Ratio."),
  k("InitialMaxWeightsLimit", u16, C.InitialMaxWeightsLimit, "Initial max weight limit."),
  k("InitialTempo", u16, C.InitialTempo, "Tempo for each network."),
  k("InitialDifficulty", u64, C.InitialDifficulty, "Initial Difficulty."),
  k("InitialMaxDifficulty", u64, C.InitialMaxDifficulty, "Initial Max Difficulty."),
  k("InitialMinDifficulty", u64, C.InitialMinDifficulty, "Initial Min Difficulty."),
  k("InitialRAORecycledForRegistration", u64, C.InitialRAORecycledForRegistration, "Initial RAO Recycled."),
  k("InitialBurn", u64, C.InitialBurn, "Initial Burn."),
  k("InitialMaxBurn", u64, C.InitialMaxBurn, "Initial Max Burn."),
  k("InitialMinBurn", u64, C.InitialMinBurn, "Initial Min Burn."),
  k("InitialAdjustmentInterval", u16, C.InitialAdjustmentInterval, "Initial adjustment interval."),
  k("InitialBondsMovingAverage", u64, C.InitialBondsMovingAverage, "Initial bonds moving average."),
  k("InitialTargetRegistrationsPerInterval", u16, C.InitialTargetRegistrationsPerInterval, "Initial target registrations per interval."),
  k("InitialRho", u16, C.InitialRho, "Rho constant."),
  k("InitialKappa", u16, C.InitialKappa, "Kappa constant."),
  k("InitialMaxAllowedUids", u16, C.InitialMaxAllowedUids, "Max UID constant."),
  k("InitialValidatorPruneLen", u64, C.InitialValidatorPruneLen, "Initial validator context pruning length."),
  k("InitialScalingLawPower", u16, C.InitialScalingLawPower, "Initial scaling law power."),
  k("InitialImmunityPeriod", u16, C.InitialImmunityPeriod, "Immunity Period Constant."),
  k("InitialActivityCutoff", u16, C.InitialActivityCutoff, "Activity constant."),
  k("InitialMaxRegistrationsPerBlock", u16, C.InitialMaxRegistrationsPerBlock, "Initial max registrations per block."),
  k("InitialPruningScore", u16, C.InitialPruningScore, "Initial pruning score for each neuron."),
  k("InitialMaxAllowedValidators", u16, C.InitialMaxAllowedValidators, "Initial maximum allowed validators per network."),
  k("InitialDefaultTake", u16, C.InitialDefaultTake, "Initial default delegation take."),
  k("InitialMinTake", u16, C.InitialMinTake, "Initial minimum delegation take."),
  k("InitialWeightsVersionKey", u64, C.InitialWeightsVersionKey, "Initial weights version key."),
  k("InitialServingRateLimit", u64, C.InitialServingRateLimit, "Initial serving rate limit."),
  k("InitialTxRateLimit", u64, C.InitialTxRateLimit, "Initial transaction rate limit."),
  k("InitialTxDelegateTakeRateLimit", u64, C.InitialTxDelegateTakeRateLimit, "Initial delegate take transaction rate limit."),
  k("InitialSenateRequiredStakePercentage", u64, C.InitialSenateRequiredStakePercentage, "Initial percentage of total stake required to join senate."),
  k("InitialAdjustmentAlpha", u64, C.InitialAdjustmentAlpha, "Initial adjustment alpha on burn and pow."),
  k("InitialNetworkImmunityPeriod", u64, C.InitialNetworkImmunityPeriod, "Initial network immunity period"),
  k("InitialNetworkMinAllowedUids", u16, C.InitialNetworkMinAllowedUids, "Initial minimum allowed network UIDs"),
  k("InitialNetworkMinLockCost", u64, C.InitialNetworkMinLockCost, "Initial network minimum burn cost"),
  k("InitialSubnetOwnerCut", u16, C.InitialSubnetOwnerCut, "Initial network subnet cut."),
  k("InitialNetworkLockReductionInterval", u64, C.InitialNetworkLockReductionInterval, "Initial lock reduction interval."),
  k("InitialSubnetLimit", u16, C.InitialSubnetLimit, "Initial max allowed subnets"),
  k("InitialNetworkRateLimit", u64, C.InitialNetworkRateLimit, "Initial network creation rate limit"),
  k("InitialTargetStakesPerInterval", u64, C.InitialTargetStakesPerInterval, "Initial target stakes per interval issuance."),
];

export interface SubtensorHooks {
  /** `on_initialize` → block_step (registration terms, root epoch, emission, epochs). */
  onInitialize?: (ctx: HookContext) => void;
  onFinalize?: (ctx: HookContext) => void;
}

/** Assembles SubtensorModule with the calls written in the domain files. */
export function buildSubtensorPallet(calls: CallDecl[], hooks: SubtensorHooks = {}): Pallet {
  const seen = new Map<number, string>();
  for (const c of calls) {
    const other = seen.get(c.index);
    if (other !== undefined) throw new Error(`SubtensorModule: call index ${c.index} used by both ${other} and ${c.name}`);
    seen.set(c.index, c.name);
  }
  return new Pallet({
    name: SUBTENSOR_PALLET_NAME,
    index: SUBTENSOR_PALLET_INDEX,
    crate: "pallet_subtensor",
    storage: SUBTENSOR_STORAGE,
    calls: [...calls].sort((a, b) => a.index - b.index),
    events: SUBTENSOR_EVENTS,
    errors: SUBTENSOR_ERRORS,
    constants: SUBTENSOR_CONSTANTS,
    onInitialize: hooks.onInitialize,
    onFinalize: hooks.onFinalize,
    docs: ["Subtensor: subnets, registration, staking and delegation, weights, serving, Yuma consensus and emission (classic, pre-dTAO)."],
  });
}
