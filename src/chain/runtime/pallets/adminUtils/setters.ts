/**
 * One declaration per AdminUtils hyperparameter setter: call name and index, value argument,
 * origin rule, storage item, extra checks and the event the real setter emits. `calls.ts` turns
 * each into a CallDecl; nothing here dispatches.
 *
 * Sources: `pallets/admin-utils/src/lib.rs` at de1026780 (classic) for every setter that exists
 * there, with the SubtensorModule setters it calls (`utils.rs`, `root.rs`) for storage and events;
 * HEAD for the setters classic lacks (liquid alpha, bonds penalty, sigmoid steepness, Yuma3) and
 * for the subnet-owner cap on bonds_moving_average. HEAD's owner rate limits and admin freeze window
 * are not modelled (classic has neither).
 *
 * Order of checks inside a call, as in Rust: origin → subnet exists → extra checks → write → event.
 * Where the real setter has no existence check (`checkExists: false`), root can write the value
 * for a netuid that has no subnet, exactly as Subtensor does.
 */
import { bool, u16, u64, type Codec, type EnumValue } from "../../../codec/scale.js";
import type { StorageAccess } from "../../../state/types.js";
import type { DispatchContext } from "../../frame/dispatch.js";
import type { StorageItem } from "../../frame/storage.js";
import type { SubtensorEventName } from "../subtensor/events.js";
import * as S from "../subtensor/storage.js";
import { adminUtilsError } from "./errors.js";
import { adminUtilsEvent } from "./events.js";
import { clearSmallNominations } from "../subtensor/staking/ledger.js";

// ------------------------------------------------------------------ weights

/** Substrate's RocksDbWeight (what Subtensor's runtime uses for `T::DbWeight`), in picoseconds. */
const DB_READ = 25_000_000n;
const DB_WRITE = 100_000_000n;

export interface SetterWeight {
  refTime: bigint;
  class: "Normal" | "Operational";
  paysFee: boolean;
}

/** A benchmarked `WeightInfo` weight: Normal class, pays a fee. */
const bench = (base: number, reads: number, writes: number): SetterWeight => ({
  refTime: BigInt(base) + BigInt(reads) * DB_READ + BigInt(writes) * DB_WRITE,
  class: "Normal",
  paysFee: true,
});

/** `(weight, DispatchClass::Operational, Pays::No)`. */
const free = (base = 0, reads = 0, writes = 0): SetterWeight => ({ ...bench(base, reads, writes), class: "Operational", paysFee: false });

// ------------------------------------------------------------------ value kinds

type Kind = "u16" | "u64" | "bool" | "i16";
export type KindValue = { u16: number; u64: bigint; bool: boolean; i16: number };

export const KIND_CODEC: Record<Kind, Codec<unknown>> = {
  u16: u16 as Codec<unknown>,
  u64: u64 as Codec<unknown>,
  bool: bool as Codec<unknown>,
  i16: S.i16 as Codec<unknown>,
};

// ------------------------------------------------------------------ declarations

/** Who may call: root only (`ensure_root`), or the subnet owner or root (`ensure_subnet_owner_or_root`). */
export type OriginRule = "root" | "ownerOrRoot";

/** What an extra check sees. `caller` is the subnet owner's coldkey, or null when the origin is root. */
export interface CheckInput<V> {
  state: StorageAccess;
  netuid: number;
  value: V;
  caller: Uint8Array | null;
}

interface Common<K extends Kind> {
  name: string;
  index: number;
  /** The value argument's Rust name (snake_case). */
  arg: string;
  kind: K;
  weight: SetterWeight;
  docs: string;
}

/** A setter of a global StorageValue: `sudo_set_x(origin, value)`, always root. */
export interface GlobalSetterDecl<K extends Kind = Kind> extends Common<K> {
  scope: "global";
  item: StorageItem<[], KindValue[K], KindValue[K]>;
  /** SubtensorModule event deposited with the new value (none when the Rust setter emits none). */
  event?: SubtensorEventName;
  /** Work the Rust setter does after writing (sees the previous value). */
  after?: (ctx: DispatchContext, previous: KindValue[K], value: KindValue[K]) => void;
}

/** A setter of a per-subnet map: `sudo_set_x(origin, netuid, value)`. */
export interface SubnetSetterDecl<K extends Kind = Kind> extends Common<K> {
  scope: "subnet";
  origin: OriginRule;
  item: StorageItem<[number], KindValue[K], KindValue[K]>;
  /** Whether the real setter checks `if_subnet_exist` (AdminUtils.SubnetDoesNotExist). */
  checkExists: boolean;
  check?: (c: CheckInput<KindValue[K]>) => void;
  /** SubtensorModule event deposited as (netuid, value), or a custom event; none when Rust emits none. */
  event?: SubtensorEventName | ((netuid: number, value: KindValue[K]) => EnumValue);
}

export type SetterDecl = GlobalSetterDecl | SubnetSetterDecl;

const globalParam = <K extends Kind>(d: Omit<GlobalSetterDecl<K>, "scope">): SetterDecl => ({ scope: "global", ...d }) as unknown as SetterDecl;
const subnetParam = <K extends Kind>(d: Omit<SubnetSetterDecl<K>, "scope">): SetterDecl => ({ scope: "subnet", ...d }) as unknown as SetterDecl;

// ------------------------------------------------------------------ extra checks

/** Classic sudo_set_max_allowed_uids: strictly more UIDs than the subnet already has. */
function moreThanCurrentUids({ state, netuid, value }: CheckInput<number>): void {
  if (!(S.SubnetworkN.get(state, netuid) < value)) throw adminUtilsError("MaxAllowedUIdsLessThanCurrentUIds");
}

/** Classic sudo_set_max_allowed_validators: no more validators than UIDs. */
function notMoreThanMaxUids({ state, netuid, value }: CheckInput<number>): void {
  if (value > S.MaxAllowedUids.get(state, netuid)) throw adminUtilsError("MaxValidatorsLargerThanMaxUIds");
}

/** HEAD cap (April 2025): a subnet owner may not set bonds_moving_average above 975 000 (0.975); root may. */
export const OWNER_MAX_BONDS_MOVING_AVERAGE = 975_000n;
function ownerBondsMovingAverageCap({ value, caller }: CheckInput<bigint>): void {
  if (caller !== null && value > OWNER_MAX_BONDS_MOVING_AVERAGE) throw adminUtilsError("BondsMovingAverageMaxReached");
}

/** HEAD: only root may set a negative sigmoid steepness. */
function ownerNonNegativeSteepness({ value, caller }: CheckInput<number>): void {
  if (caller !== null && value < 0) throw adminUtilsError("NegativeSigmoidSteepness");
}

// ------------------------------------------------------------------ the table

export const SETTERS: SetterDecl[] = [
  // --- global parameters (root)
  globalParam({ name: "sudo_set_default_take", index: 1, arg: "default_take", kind: "u16", item: S.MaxTake, event: "MaxDelegateTakeSet", weight: bench(27_199_000, 0, 1), docs: "Sets the maximum (default) delegate take, MaxTake." }),
  globalParam({ name: "sudo_set_tx_rate_limit", index: 2, arg: "tx_rate_limit", kind: "u64", item: S.TxRateLimit, event: "TxRateLimitSet", weight: free(), docs: "Sets the transaction rate limit (blocks)." }),
  globalParam({ name: "sudo_set_subnet_owner_cut", index: 28, arg: "subnet_owner_cut", kind: "u16", item: S.SubnetOwnerCut, event: "SubnetOwnerCutSet", weight: free(14_000_000, 0, 1), docs: "Sets the subnet owners' share of emission (u16 proportion)." }),
  globalParam({ name: "sudo_set_network_rate_limit", index: 29, arg: "rate_limit", kind: "u64", item: S.NetworkRateLimit, event: "NetworkRateLimitSet", weight: free(14_000_000, 0, 1), docs: "Sets the number of blocks between two register_network calls." }),
  globalParam({ name: "sudo_set_total_issuance", index: 33, arg: "total_issuance", kind: "u64", item: S.TotalIssuance, weight: free(), docs: "Overwrites SubtensorModule's TotalIssuance." }),
  globalParam({ name: "sudo_set_network_immunity_period", index: 35, arg: "immunity_period", kind: "u64", item: S.NetworkImmunityPeriod, event: "NetworkImmunityPeriodSet", weight: free(14_000_000, 0, 1), docs: "Sets the network immunity period (blocks)." }),
  globalParam({ name: "sudo_set_network_min_lock_cost", index: 36, arg: "lock_cost", kind: "u64", item: S.NetworkMinLockCost, event: "NetworkMinLockCostSet", weight: free(14_000_000, 0, 1), docs: "Sets the minimum network lock cost (RAO)." }),
  globalParam({ name: "sudo_set_subnet_limit", index: 37, arg: "max_subnets", kind: "u16", item: S.SubnetLimit, event: "SubnetLimitSet", weight: free(14_000_000, 0, 1), docs: "Sets the maximum number of subnets." }),
  globalParam({ name: "sudo_set_lock_reduction_interval", index: 38, arg: "interval", kind: "u64", item: S.NetworkLockReductionInterval, event: "NetworkLockCostReductionIntervalSet", weight: free(14_000_000, 0, 1), docs: "Sets the lock cost reduction interval (blocks)." }),
  // HEAD renamed this call sudo_set_stake_threshold (same index and argument) with the item StakeThreshold.
  globalParam({ name: "sudo_set_weights_min_stake", index: 42, arg: "min_stake", kind: "u64", item: S.WeightsMinStake, event: "WeightsMinStake", weight: free(), docs: "Sets the minimum stake to set weights (WeightsMinStake)." }),
  globalParam({
    name: "sudo_set_nominator_min_required_stake",
    index: 43,
    arg: "min_stake",
    kind: "u64",
    item: S.NominatorMinRequiredStake,
    after: (ctx, previous, value) => {
      if (value > previous) clearSmallNominations(ctx);
    },
    weight: free(),
    docs: "Sets the minimum nomination; raising it clears smaller nominations back to their coldkeys.",
  }),
  globalParam({ name: "sudo_set_tx_delegate_take_rate_limit", index: 45, arg: "tx_rate_limit", kind: "u64", item: S.TxDelegateTakeRateLimit, event: "TxDelegateTakeRateLimitSet", weight: free(), docs: "Sets the delegate-take change rate limit (blocks)." }),
  globalParam({ name: "sudo_set_min_delegate_take", index: 46, arg: "take", kind: "u16", item: S.MinTake, event: "MinDelegateTakeSet", weight: free(), docs: "Sets the minimum delegate take, MinTake." }),
  globalParam({ name: "sudo_set_target_stakes_per_interval", index: 47, arg: "target_stakes_per_interval", kind: "u64", item: S.TargetStakesPerInterval, event: "TargetStakesPerIntervalSet", weight: free(), docs: "Sets the target stake operations per interval." }),

  // --- subnet hyperparameters, subnet owner or root
  subnetParam({ name: "sudo_set_serving_rate_limit", index: 3, arg: "serving_rate_limit", kind: "u64", origin: "ownerOrRoot", checkExists: false, item: S.ServingRateLimit, event: "ServingRateLimitSet", weight: bench(28_290_000, 0, 1), docs: "Sets the serving rate limit (blocks)." }),
  subnetParam({ name: "sudo_set_min_difficulty", index: 4, arg: "min_difficulty", kind: "u64", origin: "ownerOrRoot", checkExists: true, item: S.MinDifficulty, event: "MinDifficultySet", weight: bench(46_909_000, 1, 1), docs: "Sets the minimum PoW difficulty." }),
  subnetParam({ name: "sudo_set_max_difficulty", index: 5, arg: "max_difficulty", kind: "u64", origin: "ownerOrRoot", checkExists: true, item: S.MaxDifficulty, event: "MaxDifficultySet", weight: bench(47_279_000, 1, 1), docs: "Sets the maximum PoW difficulty." }),
  subnetParam({ name: "sudo_set_weights_version_key", index: 6, arg: "weights_version_key", kind: "u64", origin: "ownerOrRoot", checkExists: true, item: S.WeightsVersionKey, event: "WeightsVersionKeySet", weight: bench(47_460_000, 1, 1), docs: "Sets the weights version key." }),
  subnetParam({ name: "sudo_set_weights_set_rate_limit", index: 7, arg: "weights_set_rate_limit", kind: "u64", origin: "ownerOrRoot", checkExists: true, item: S.WeightsSetRateLimit, event: "WeightsSetRateLimitSet", weight: bench(46_970_000, 1, 1), docs: "Sets the weights set rate limit (blocks)." }),
  subnetParam({ name: "sudo_set_adjustment_alpha", index: 9, arg: "adjustment_alpha", kind: "u64", origin: "ownerOrRoot", checkExists: true, item: S.AdjustmentAlpha, event: "AdjustmentAlphaSet", weight: free(14_000_000, 1, 1), docs: "Sets the burn/difficulty adjustment alpha." }),
  subnetParam({ name: "sudo_set_max_weight_limit", index: 12, arg: "max_weight_limit", kind: "u16", origin: "ownerOrRoot", checkExists: true, item: S.MaxWeightsLimit, event: "MaxWeightLimitSet", weight: bench(46_589_000, 1, 1), docs: "Sets the max weight limit." }),
  subnetParam({ name: "sudo_set_immunity_period", index: 13, arg: "immunity_period", kind: "u16", origin: "ownerOrRoot", checkExists: true, item: S.ImmunityPeriod, event: "ImmunityPeriodSet", weight: bench(46_679_000, 1, 1), docs: "Sets the immunity period (blocks)." }),
  subnetParam({ name: "sudo_set_min_allowed_weights", index: 14, arg: "min_allowed_weights", kind: "u16", origin: "ownerOrRoot", checkExists: true, item: S.MinAllowedWeights, event: "MinAllowedWeightSet", weight: bench(47_390_000, 1, 1), docs: "Sets the minimum number of weights." }),
  subnetParam({ name: "sudo_set_kappa", index: 16, arg: "kappa", kind: "u16", origin: "ownerOrRoot", checkExists: true, item: S.Kappa, event: "KappaSet", weight: bench(46_440_000, 1, 1), docs: "Sets kappa." }),
  // Classic set_rho writes without an event (RhoSet is declared but not emitted).
  subnetParam({ name: "sudo_set_rho", index: 17, arg: "rho", kind: "u16", origin: "ownerOrRoot", checkExists: true, item: S.Rho, weight: bench(31_820_000, 1, 1), docs: "Sets rho." }),
  subnetParam({ name: "sudo_set_activity_cutoff", index: 18, arg: "activity_cutoff", kind: "u16", origin: "ownerOrRoot", checkExists: true, item: S.ActivityCutoff, event: "ActivityCutoffSet", weight: bench(46_759_000, 1, 1), docs: "Sets the activity cutoff (blocks)." }),
  subnetParam({ name: "sudo_set_network_registration_allowed", index: 19, arg: "registration_allowed", kind: "bool", origin: "ownerOrRoot", checkExists: false, item: S.NetworkRegistrationAllowed, event: "RegistrationAllowed", weight: free(4_000_000, 0, 1), docs: "Opens or closes registration." }),
  subnetParam({ name: "sudo_set_network_pow_registration_allowed", index: 20, arg: "registration_allowed", kind: "bool", origin: "ownerOrRoot", checkExists: false, item: S.NetworkPowRegistrationAllowed, event: "PowRegistrationAllowed", weight: free(14_000_000, 0, 1), docs: "Opens or closes PoW registration." }),
  subnetParam({ name: "sudo_set_min_burn", index: 22, arg: "min_burn", kind: "u64", origin: "ownerOrRoot", checkExists: true, item: S.MinBurn, event: "MinBurnSet", weight: bench(46_109_000, 1, 1), docs: "Sets the minimum burn (RAO)." }),
  subnetParam({ name: "sudo_set_max_burn", index: 23, arg: "max_burn", kind: "u64", origin: "ownerOrRoot", checkExists: true, item: S.MaxBurn, event: "MaxBurnSet", weight: bench(46_339_000, 1, 1), docs: "Sets the maximum burn (RAO)." }),
  subnetParam({ name: "sudo_set_difficulty", index: 24, arg: "difficulty", kind: "u64", origin: "ownerOrRoot", checkExists: true, item: S.Difficulty, event: "DifficultySet", weight: bench(47_130_000, 1, 1), docs: "Sets the current PoW difficulty." }),
  subnetParam({
    name: "sudo_set_bonds_moving_average",
    index: 26,
    arg: "bonds_moving_average",
    kind: "u64",
    origin: "ownerOrRoot",
    checkExists: true,
    check: ownerBondsMovingAverageCap,
    item: S.BondsMovingAverage,
    event: "BondsMovingAverageSet",
    weight: bench(47_510_000, 1, 1),
    docs: "Sets the bonds moving average (/1e6); a subnet owner may set at most 975000.",
  }),
  // Classic index 48 (blocks, WeightCommitRevealInterval); HEAD moved it to 57 with epochs.
  subnetParam({ name: "sudo_set_commit_reveal_weights_interval", index: 48, arg: "interval", kind: "u64", origin: "ownerOrRoot", checkExists: true, item: S.WeightCommitRevealInterval, weight: bench(47_279_000, 1, 1), docs: "Sets the commit-reveal interval (blocks)." }),
  subnetParam({ name: "sudo_set_commit_reveal_weights_enabled", index: 49, arg: "enabled", kind: "bool", origin: "ownerOrRoot", checkExists: true, item: S.CommitRevealWeightsEnabled, weight: bench(47_279_000, 1, 1), docs: "Turns commit-reveal weights on or off." }),
  // HEAD-only setters (index, arguments and checks as at HEAD).
  subnetParam({ name: "sudo_set_liquid_alpha_enabled", index: 50, arg: "enabled", kind: "bool", origin: "ownerOrRoot", checkExists: false, item: S.LiquidAlphaOn, weight: bench(25_538_000, 4, 1), docs: "Turns liquid alpha on or off." }),
  subnetParam({ name: "sudo_set_bonds_penalty", index: 60, arg: "bonds_penalty", kind: "u16", origin: "ownerOrRoot", checkExists: true, item: S.BondsPenalty, event: "BondsPenaltySet", weight: bench(34_354_000, 5, 1), docs: "Sets the bonds penalty." }),
  subnetParam({
    name: "sudo_set_alpha_sigmoid_steepness",
    index: 68,
    arg: "steepness",
    kind: "i16",
    origin: "ownerOrRoot",
    checkExists: true,
    check: ownerNonNegativeSteepness,
    item: S.AlphaSigmoidSteepness,
    weight: bench(31_438_000, 5, 1),
    docs: "Sets the liquid-alpha sigmoid steepness; only root may set a negative value.",
  }),
  subnetParam({
    name: "sudo_set_yuma3_enabled",
    index: 69,
    arg: "enabled",
    kind: "bool",
    origin: "ownerOrRoot",
    checkExists: false,
    item: S.Yuma3On,
    event: (netuid, enabled) => adminUtilsEvent("Yuma3EnableToggled", { netuid, enabled }),
    weight: bench(28_583_000, 4, 1),
    docs: "Turns Yuma3 on or off.",
  }),

  // --- subnet hyperparameters, root only
  subnetParam({ name: "sudo_set_adjustment_interval", index: 8, arg: "adjustment_interval", kind: "u16", origin: "root", checkExists: true, item: S.AdjustmentInterval, event: "AdjustmentIntervalSet", weight: bench(46_790_000, 1, 1), docs: "Sets the burn/difficulty adjustment interval (blocks)." }),
  subnetParam({
    name: "sudo_set_max_allowed_uids",
    index: 15,
    arg: "max_allowed_uids",
    kind: "u16",
    origin: "root",
    checkExists: true,
    check: moreThanCurrentUids,
    item: S.MaxAllowedUids,
    event: "MaxAllowedUidsSet",
    weight: bench(51_149_000, 2, 1),
    docs: "Sets the subnet size; must exceed the current number of UIDs.",
  }),
  subnetParam({ name: "sudo_set_target_registrations_per_interval", index: 21, arg: "target_registrations_per_interval", kind: "u16", origin: "root", checkExists: true, item: S.TargetRegistrationsPerInterval, event: "RegistrationPerIntervalSet", weight: bench(47_099_000, 1, 1), docs: "Sets the target registrations per interval." }),
  subnetParam({
    name: "sudo_set_max_allowed_validators",
    index: 25,
    arg: "max_allowed_validators",
    kind: "u16",
    origin: "root",
    checkExists: true,
    check: notMoreThanMaxUids,
    item: S.MaxAllowedValidators,
    event: "MaxAllowedValidatorsSet",
    weight: bench(53_640_000, 2, 1),
    docs: "Sets the number of validator permits; at most MaxAllowedUids.",
  }),
  subnetParam({ name: "sudo_set_max_registrations_per_block", index: 27, arg: "max_registrations_per_block", kind: "u16", origin: "root", checkExists: true, item: S.MaxRegistrationsPerBlock, event: "MaxRegistrationsPerBlockSet", weight: bench(46_490_000, 1, 1), docs: "Sets the registrations allowed per block." }),
  subnetParam({ name: "sudo_set_tempo", index: 30, arg: "tempo", kind: "u16", origin: "root", checkExists: true, item: S.Tempo, event: "TempoSet", weight: bench(45_489_000, 1, 1), docs: "Sets the tempo (blocks between epochs)." }),
  subnetParam({ name: "sudo_set_rao_recycled", index: 39, arg: "rao_recycled", kind: "u64", origin: "root", checkExists: true, item: S.RAORecycledForRegistration, event: "RAORecycledForRegistrationSet", weight: free(), docs: "Sets the RAO recycled for registration." }),
];
