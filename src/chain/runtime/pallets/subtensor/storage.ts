/**
 * SubtensorModule (pallet index 7) storage, declared once: names, key hashers, value types,
 * ValueQuery/OptionQuery and defaults are those of classic Subtensor at commit de1026780
 * (2024-07-02, `pallets/subtensor/src/lib.rs`), with the runtime's configured `Initial*` values
 * (`runtime/src/lib.rs` at the same commit) where a default reads `T::InitialX::get()`.
 *
 * Items that classic Subtensor only gained later (StakingHotkeys, OwnedHotkeys, liquid alpha and
 * Yuma3 switches) are appended at the end, declared as at HEAD (14bc6f9f).
 *
 * Where HEAD renamed or re-typed an item that the Python SDK / btcli read, a `HEAD:` note says so;
 * the declaration here keeps the classic form (u16 netuids instead of the NetUid newtype, u64
 * instead of TaoBalance/AlphaBalance, …).
 *
 * Every item is bound to the pallet name "SubtensorModule" when this module loads, so runtime code
 * and tests can compute keys and read/write state before the Pallet object is built (the Pallet
 * constructor binds them again with the same name, which is a no-op).
 *
 * Array and tuple defaults are frozen: `get` returns the default object itself, so code that
 * appends to a vector must copy it first (`[...Rank.get(state, netuid), 0]`), never push into it.
 */
import { Codec, ScaleReader, ScaleWriter, bool, bytes, struct, tuple, u8, u16, u32, u64, u128, vec, type TypeInfo } from "../../../codec/scale.js";
import { AccountId32, H256 } from "../../../codec/types.js";
import { storageDoubleMap, storageMap, storageValue, type AnyStorageItem, type Hasher, type KeyPart } from "../../frame/storage.js";
import * as C from "./constants.js";

export const SUBTENSOR_PALLET_NAME = "SubtensorModule";

// ------------------------------------------------------------------ helper codecs

/** Subnet id. Classic: a plain u16. HEAD: the newtype `subtensor_runtime_common::NetUid(u16)` (same bytes). */
export const NetUid = u16;
/** Neuron position within a subnet. */
export const Uid = u16;
/** Hotkeys and coldkeys (sr25519 public keys). */
export const AccountId = AccountId32;
/** Block numbers as Subtensor stores them (`get_current_block_as_u64`). */
export const BlockNumberU64 = u64;
/** Balances in RAO. Classic: u64. HEAD: the newtype `TaoBalance(u64)` (same bytes). */
export const Rao = u64;

/** i16 (the frame's scale.ts exports no i16 codec; AlphaSigmoidSteepness needs one). */
class I16Codec extends Codec<number> {
  encodeTo(v: number, w: ScaleWriter): void {
    if (!Number.isInteger(v) || v < -32768 || v > 32767) throw new RangeError(`i16: out of range: ${v}`);
    w.uint(v < 0 ? v + 65536 : v, 2);
  }
  decodeFrom(r: ScaleReader): number {
    const u = r.uint(2);
    return u >= 32768 ? u - 65536 : u;
  }
  get info(): TypeInfo {
    return { path: [], params: [], def: { kind: "primitive", primitive: "i16" }, docs: [] };
  }
}
export const i16: Codec<number> = new I16Codec();

/** A sparse row of Weights/Bonds: (uid, u16 value) pairs. */
export type SparseRow = Array<[number, number]>;
export const SparseRowCodec = vec(tuple(u16, u16)) as Codec<SparseRow>;

export type AxonInfo = {
  /** block at which the axon was served */
  block: bigint;
  version: number;
  /** IPv4 or IPv6 address as u128 */
  ip: bigint;
  port: number;
  /** 4 or 6 */
  ipType: number;
  protocol: number;
  placeholder1: number;
  placeholder2: number;
};

/** `pallet_subtensor::pallet::AxonInfo` (declared inside `pub mod pallet` at de1026780 and at HEAD). */
export const AxonInfoCodec = struct<AxonInfo>(
  [
    { name: "block", type: u64, typeName: "u64", docs: ["Axon serving block."] },
    { name: "version", type: u32, typeName: "u32", docs: ["Axon version"] },
    { name: "ip", type: u128, typeName: "u128", docs: ["Axon u128 encoded ip address of type v6 or v4."] },
    { name: "port", type: u16, typeName: "u16", docs: ["Axon u16 encoded port."] },
    { name: "ip_type", type: u8, typeName: "u8", docs: ["Axon ip type, 4 for ipv4 and 6 for ipv6."] },
    { name: "protocol", type: u8, typeName: "u8", docs: ["Axon protocol. TCP, UDP, other."] },
    { name: "placeholder1", type: u8, typeName: "u8", docs: ["Axon proto placeholder 1."] },
    { name: "placeholder2", type: u8, typeName: "u8", docs: ["Axon proto placeholder 2."] },
  ],
  { path: ["pallet_subtensor", "pallet", "AxonInfo"], docs: ["Data structure for Axon information."] },
);

export type PrometheusInfo = {
  block: bigint;
  version: number;
  ip: bigint;
  port: number;
  ipType: number;
};

/** `pallet_subtensor::pallet::PrometheusInfo`. */
export const PrometheusInfoCodec = struct<PrometheusInfo>(
  [
    { name: "block", type: u64, typeName: "u64", docs: ["Prometheus serving block."] },
    { name: "version", type: u32, typeName: "u32", docs: ["Prometheus version."] },
    { name: "ip", type: u128, typeName: "u128", docs: ["Prometheus u128 encoded ip address of type v6 or v4."] },
    { name: "port", type: u16, typeName: "u16", docs: ["Prometheus u16 encoded port."] },
    { name: "ip_type", type: u8, typeName: "u8", docs: ["Prometheus ip type, 4 for ipv4 and 6 for ipv6."] },
  ],
  { path: ["pallet_subtensor", "pallet", "PrometheusInfo"], docs: ["Data structure for Prometheus information."] },
);

/** `LoadedEmission` entries: (hotkey, server emission, validator emission) in RAO. */
export type LoadedEmissionEntry = [Uint8Array, bigint, bigint];
export const LoadedEmissionCodec = vec(tuple(AccountId32, u64, u64)) as Codec<LoadedEmissionEntry[]>;

/** `WeightCommits` value at de1026780: (commit hash, commit block). */
export type WeightCommit = [Uint8Array, bigint];
export const WeightCommitCodec = tuple(H256, u64) as Codec<WeightCommit>;

// ------------------------------------------------------------------ declaration helpers

/** `T::AccountId::decode(&mut TrailingZeroInput::zeroes())`: the all-zero account. */
export const ZERO_ACCOUNT = new Uint8Array(32);

const frozen = <T>(v: T): T => Object.freeze(v) as T;
const EMPTY_U16_VEC: number[] = frozen([]);
const EMPTY_U64_VEC: bigint[] = frozen([]);
const EMPTY_BOOL_VEC: boolean[] = frozen([]);
const EMPTY_ROW: SparseRow = frozen([]);
const EMPTY_ACCOUNT_VEC: Uint8Array[] = frozen([]);

const key = <K>(hasher: Hasher, codec: Codec<K>): KeyPart<K> => ({ hasher, codec });
const NETUID = key("Identity", NetUid);
const UID = key("Identity", Uid);

/** StorageMap<_, Identity, u16 (netuid), V, ValueQuery, default>. */
function netMap<V>(name: string, value: Codec<V>, def: V, docs: string) {
  return storageMap({ name, key: NETUID, value, default: def, docs: [docs] });
}

// ================================================================== Senate (classic; not used by our calls)

/** Percentage of total stake required to join the senate. Default `InitialSenateRequiredStakePercentage` = 1. */
export const SenateRequiredStakePercentage = storageValue({
  name: "SenateRequiredStakePercentage",
  value: u64,
  default: C.InitialSenateRequiredStakePercentage,
  docs: ["ITEM ( senate_required_stake_percentage ) (classic senate; kept for metadata parity)"],
});

// ================================================================== Staking + accounts

/** HEAD: TaoBalance (u64 newtype); includes pool TAO. */
export const TotalStake = storageValue({ name: "TotalStake", value: u64, default: 0n, docs: ["ITEM ( total_stake )"] });
/** HEAD: renamed MaxDelegateTake. Read as the maximum delegate take (sudo_set_default_take writes it). */
export const MaxTake = storageValue({ name: "MaxTake", value: u16, default: C.InitialDefaultTake, docs: ["ITEM ( default_take )"] });
/** HEAD: renamed MinDelegateTake (default 0 at HEAD; 5898 = 9 % classic). */
export const MinTake = storageValue({ name: "MinTake", value: u16, default: C.InitialMinTake, docs: ["ITEM ( min_take )"] });
export const BlockEmission = storageValue({ name: "BlockEmission", value: u64, default: C.DefaultBlockEmission, docs: ["ITEM ( global_block_emission )"] });
/** Subtensor's own issuance (free + staked TAO); drives the issuance-based halving. HEAD: TaoBalance. */
export const TotalIssuance = storageValue({ name: "TotalIssuance", value: u64, default: C.InitialIssuance, docs: ["ITEM ( total_issuance )"] });
/** Removed at HEAD. */
export const TargetStakesPerInterval = storageValue({
  name: "TargetStakesPerInterval",
  value: u64,
  default: C.InitialTargetStakesPerInterval,
  docs: ["ITEM (target_stakes_per_interval)"],
});
/** Removed at HEAD. */
export const StakeInterval = storageValue({ name: "StakeInterval", value: u64, default: C.DefaultStakeInterval, docs: ["ITEM (default_stake_interval)"] });
/** Removed at HEAD (dTAO: TotalHotkeyAlpha). */
export const TotalHotkeyStake = storageMap({
  name: "TotalHotkeyStake",
  key: key("Identity", AccountId32),
  value: u64,
  default: 0n,
  docs: ["MAP ( hot ) --> stake | Returns the total amount of stake under a hotkey."],
});
/** Removed at HEAD. */
export const TotalColdkeyStake = storageMap({
  name: "TotalColdkeyStake",
  key: key("Identity", AccountId32),
  value: u64,
  default: 0n,
  docs: ["MAP ( cold ) --> stake | Returns the total amount of stake under a coldkey."],
});
/** (hot, cold) → (stake operations this interval, block of the last one). Removed at HEAD. */
export const TotalHotkeyColdkeyStakesThisInterval = storageDoubleMap({
  name: "TotalHotkeyColdkeyStakesThisInterval",
  keys: [key("Identity", AccountId32), key("Identity", AccountId32)],
  value: tuple(u64, u64) as Codec<[bigint, bigint]>,
  default: frozen([0n, 0n]) as [bigint, bigint],
  docs: [" MAP (hot, cold) --> stake | Returns a tuple (u64: stakes, u64: block_number)"],
});
/** hot → cold. Default: the all-zero account (`DefaultAccount`). Read by the SDK. */
export const Owner = storageMap({
  name: "Owner",
  key: key("Blake2_128Concat", AccountId32),
  value: AccountId32,
  default: ZERO_ACCOUNT,
  docs: ["MAP ( hot ) --> cold | Returns the controlling coldkey for a hotkey."],
});
/** hot → take; presence = the hotkey is a delegate (classic). Default `InitialDefaultTake` = 11796. */
export const Delegates = storageMap({
  name: "Delegates",
  key: key("Blake2_128Concat", AccountId32),
  value: u16,
  default: C.InitialDefaultTake,
  docs: ["MAP ( hot ) --> take | Returns the hotkey delegation take. And signals that this key is open for delegation."],
});
/** (hot, cold) → stake in RAO. Removed at HEAD (dTAO: Alpha NMap of share-pool shares). */
export const Stake = storageDoubleMap({
  name: "Stake",
  keys: [key("Blake2_128Concat", AccountId32), key("Identity", AccountId32)],
  value: u64,
  default: 0n,
  docs: ["DMAP ( hot, cold ) --> stake | Returns the stake under a coldkey prefixed by hotkey."],
});

// ================================================================== Difficulty / registrations

/** PoW seals already used (replay protection). */
export const UsedWork = storageMap({ name: "UsedWork", key: key("Identity", bytes), value: u64, default: 0n, docs: ["StorageItem Global Used Work."] });
/** Current burn-registration price. HEAD: TaoBalance, default 0.1 TAO. */
export const Burn = netMap("Burn", u64, C.InitialBurn, "MAP ( netuid ) --> Burn");
export const Difficulty = netMap("Difficulty", u64, C.InitialDifficulty, "MAP ( netuid ) --> Difficulty");
/** HEAD: TaoBalance, default 0.0005 TAO. */
export const MinBurn = netMap("MinBurn", u64, C.InitialMinBurn, "MAP ( netuid ) --> MinBurn");
export const MaxBurn = netMap("MaxBurn", u64, C.InitialMaxBurn, "MAP ( netuid ) --> MaxBurn");
export const MinDifficulty = netMap("MinDifficulty", u64, C.InitialMinDifficulty, "MAP ( netuid ) --> MinDifficulty");
export const MaxDifficulty = netMap("MaxDifficulty", u64, C.InitialMaxDifficulty, "MAP ( netuid ) --> MaxDifficulty");
export const LastAdjustmentBlock = netMap("LastAdjustmentBlock", u64, 0n, "MAP ( netuid ) -->  Block at last adjustment.");
export const RegistrationsThisBlock = netMap("RegistrationsThisBlock", u16, 0, "MAP ( netuid ) --> Registrations of this Block.");
export const MaxRegistrationsPerBlock = netMap("MaxRegistrationsPerBlock", u16, C.InitialMaxRegistrationsPerBlock, "ITEM( global_max_registrations_per_block )");
export const RAORecycledForRegistration = netMap(
  "RAORecycledForRegistration",
  u64,
  C.InitialRAORecycledForRegistration,
  "MAP ( netuid, global_RAO_recycled_for_registration )",
);

// ================================================================== Subnetworks

/** HEAD default 128. */
export const SubnetLimit = storageValue({ name: "SubnetLimit", value: u16, default: C.InitialSubnetLimit, docs: ["ITEM( maximum_number_of_networks )"] });
/** Number of subnets including root. Read by the SDK. */
export const TotalNetworks = storageValue({ name: "TotalNetworks", value: u16, default: 0, docs: ["ITEM( total_number_of_existing_networks )"] });
export const SubnetworkN = netMap("SubnetworkN", u16, 0, "MAP ( netuid ) --> subnetwork_n (Number of UIDs in the network).");
/** Removed at HEAD. */
export const NetworkModality = netMap("NetworkModality", u16, 0, "MAP ( netuid ) --> modality   TEXT: 0, IMAGE: 1, TENSOR: 2");
/** Subnet existence. Read by the SDK. */
export const NetworksAdded = netMap("NetworksAdded", bool, false, "MAP ( netuid ) --> network_is_added");
export const IsNetworkMember = storageDoubleMap({
  name: "IsNetworkMember",
  keys: [key("Blake2_128Concat", AccountId32), NETUID],
  value: bool,
  default: false,
  docs: ["DMAP ( hotkey, netuid ) --> bool"],
});
/** HEAD default true. */
export const NetworkRegistrationAllowed = netMap("NetworkRegistrationAllowed", bool, false, "MAP ( netuid ) --> network_registration_allowed");
/** HEAD default true (PoW itself removed in 2026). */
export const NetworkPowRegistrationAllowed = netMap("NetworkPowRegistrationAllowed", bool, false, "MAP ( netuid ) --> network_pow_allowed");
export const NetworkRegisteredAt = netMap("NetworkRegisteredAt", u64, 0n, "MAP ( netuid ) --> block_created");
/** HEAD default 1,296,000. */
export const NetworkImmunityPeriod = storageValue({
  name: "NetworkImmunityPeriod",
  value: u64,
  default: C.InitialNetworkImmunityPeriod,
  docs: ["ITEM( network_immunity_period )"],
});
/** Block of the last `register_network` (the network rate limit and lock decay start here). Removed at HEAD. */
export const NetworkLastRegistered = storageValue({ name: "NetworkLastRegistered", value: u64, default: 0n, docs: ["ITEM( network_last_registered_block )"] });
/** Removed at HEAD (per-subnet MinAllowedUids). */
export const NetworkMinAllowedUids = storageValue({
  name: "NetworkMinAllowedUids",
  value: u16,
  default: C.InitialNetworkMinAllowedUids,
  docs: ["ITEM( network_min_allowed_uids )"],
});
/** HEAD: TaoBalance. */
export const NetworkMinLockCost = storageValue({ name: "NetworkMinLockCost", value: u64, default: C.InitialNetworkMinLockCost, docs: ["ITEM( min_network_lock_cost )"] });
/** Default is the *min* lock cost, as in Rust (`DefaultNetworkMinLockCost`). HEAD: TaoBalance. */
export const NetworkLastLockCost = storageValue({ name: "NetworkLastLockCost", value: u64, default: C.InitialNetworkMinLockCost, docs: ["ITEM( last_network_lock_cost )"] });
export const NetworkLockReductionInterval = storageValue({
  name: "NetworkLockReductionInterval",
  value: u64,
  default: C.InitialNetworkLockReductionInterval,
  docs: ["ITEM( network_lock_reduction_interval )"],
});
export const SubnetOwnerCut = storageValue({ name: "SubnetOwnerCut", value: u16, default: C.InitialSubnetOwnerCut, docs: ["ITEM( subnet_owner_cut )"] });
/** Rust returns 0 in `pow-faucet` builds; the production default is 7200 (genesis may override). */
export const NetworkRateLimit = storageValue({ name: "NetworkRateLimit", value: u64, default: C.InitialNetworkRateLimit, docs: ["ITEM( network_rate_limit )"] });
/** Read by the SDK. */
export const NominatorMinRequiredStake = storageValue({
  name: "NominatorMinRequiredStake",
  value: u64,
  default: 0n,
  docs: ["ITEM( nominator_min_required_stake )"],
});

// ================================================================== Subnetwork features (emission)

/** HEAD default 360 (10 with fast-runtime); classic runtime default 99. New subnets get 360 explicitly. */
export const Tempo = netMap("Tempo", u16, C.InitialTempo, "MAP ( netuid ) --> tempo");
/** RAO per block the subnet receives (set by the root epoch). Removed at HEAD. */
export const EmissionValues = netMap("EmissionValues", u64, 0n, "MAP ( netuid ) --> emission_values");
/** Emission accumulated until the subnet's next epoch. Removed at HEAD (PendingServerEmission …). */
export const PendingEmission = netMap("PendingEmission", u64, 0n, "MAP ( netuid ) --> pending_emission");
/** Read by the SDK. */
export const BlocksSinceLastStep = netMap("BlocksSinceLastStep", u64, 0n, "MAP ( netuid ) --> blocks_since_last_step");
/** (sic: Rust's spelling, which clients query by name.) */
export const LastMechansimStepBlock = netMap("LastMechansimStepBlock", u64, 0n, "MAP ( netuid ) --> last_mechanism_step_block");
export const SubnetOwner = netMap("SubnetOwner", AccountId32, ZERO_ACCOUNT, "MAP ( netuid ) --> subnet_owner");
/** Lock paid by the owner at `register_network`, refunded on removal. HEAD: TaoBalance. */
export const SubnetLocked = netMap("SubnetLocked", u64, 0n, "MAP ( netuid ) --> subnet_locked");

// ================================================================== Rate limits, axons, prometheus

/** Read by the SDK. */
export const TxRateLimit = storageValue({ name: "TxRateLimit", value: u64, default: C.InitialTxRateLimit, docs: ["ITEM ( tx_rate_limit )"] });
export const TxDelegateTakeRateLimit = storageValue({
  name: "TxDelegateTakeRateLimit",
  value: u64,
  default: C.InitialTxDelegateTakeRateLimit,
  docs: ["ITEM ( tx_rate_limit )"],
});
/** key → block of its last rate-limited transaction. Deprecated at HEAD (LastRateLimitedBlock). */
export const LastTxBlock = storageMap({ name: "LastTxBlock", key: key("Identity", AccountId32), value: u64, default: 0n, docs: ["MAP ( key ) --> last_block"] });
/** Deprecated at HEAD. */
export const LastTxBlockDelegateTake = storageMap({
  name: "LastTxBlockDelegateTake",
  key: key("Identity", AccountId32),
  value: u64,
  default: 0n,
  docs: ["MAP ( key ) --> last_block"],
});
export const ServingRateLimit = netMap("ServingRateLimit", u64, C.InitialServingRateLimit, "MAP ( netuid ) --> serving_rate_limit");
export const Axons = storageDoubleMap({
  name: "Axons",
  keys: [NETUID, key("Blake2_128Concat", AccountId32)],
  value: AxonInfoCodec,
  optional: true,
  docs: ["MAP ( netuid, hotkey ) --> axon_info"],
});
export const Prometheus = storageDoubleMap({
  name: "Prometheus",
  keys: [NETUID, key("Blake2_128Concat", AccountId32)],
  value: PrometheusInfoCodec,
  optional: true,
  docs: ["MAP ( netuid, hotkey ) --> prometheus_info"],
});

// ================================================================== Subnetwork hyperparameters

/** Minimum stake to set weights. HEAD: renamed `StakeThreshold` (same u64, default 0; the SDK/btcli read that name). */
export const WeightsMinStake = storageValue({ name: "WeightsMinStake", value: u64, default: 0n, docs: ["ITEM( weights_min_stake )"] });
export const Rho = netMap("Rho", u16, C.InitialRho, "MAP ( netuid ) --> Rho");
export const Kappa = netMap("Kappa", u16, C.InitialKappa, "MAP ( netuid ) --> Kappa");
/** Removed at HEAD. */
export const NeuronsToPruneAtNextEpoch = netMap("NeuronsToPruneAtNextEpoch", u16, 0, "MAP ( netuid ) --> uid, we use to record uids to prune at next epoch.");
export const RegistrationsThisInterval = netMap("RegistrationsThisInterval", u16, 0, "MAP ( netuid ) --> registrations_this_interval");
export const POWRegistrationsThisInterval = netMap("POWRegistrationsThisInterval", u16, 0, "MAP ( netuid ) --> pow_registrations_this_interval");
export const BurnRegistrationsThisInterval = netMap("BurnRegistrationsThisInterval", u16, 0, "MAP ( netuid ) --> burn_registrations_this_interval");
/** HEAD default 256; classic runtime default 4096. New subnets get 256 explicitly. */
export const MaxAllowedUids = netMap("MaxAllowedUids", u16, C.InitialMaxAllowedUids, "MAP ( netuid ) --> max_allowed_uids");
/** New subnets get 5000 explicitly. */
export const ImmunityPeriod = netMap("ImmunityPeriod", u16, C.InitialImmunityPeriod, "MAP ( netuid ) --> immunity_period");
/** HEAD: deprecated in favour of ActivityCutoffFactorMilli. */
export const ActivityCutoff = netMap("ActivityCutoff", u16, C.InitialActivityCutoff, "MAP ( netuid ) --> activity_cutoff");
/** HEAD default 65535; classic runtime default 1000. New subnets get 65535 explicitly. */
export const MaxWeightsLimit = netMap("MaxWeightsLimit", u16, C.InitialMaxWeightsLimit, "MAP ( netuid ) --> max_weight_limit");
export const WeightsVersionKey = netMap("WeightsVersionKey", u64, C.InitialWeightsVersionKey, "MAP ( netuid ) --> weights_version_key");
/** New subnets get 1 explicitly. */
export const MinAllowedWeights = netMap("MinAllowedWeights", u16, C.InitialMinAllowedWeights, "MAP ( netuid ) --> min_allowed_weights");
/** New subnets get 64 explicitly. */
export const MaxAllowedValidators = netMap("MaxAllowedValidators", u16, C.InitialMaxAllowedValidators, "MAP ( netuid ) --> max_allowed_validators");
/** New subnets get 360 explicitly. */
export const AdjustmentInterval = netMap("AdjustmentInterval", u16, C.InitialAdjustmentInterval, "MAP ( netuid ) --> adjustment_interval");
export const BondsMovingAverage = netMap("BondsMovingAverage", u64, C.InitialBondsMovingAverage, "MAP ( netuid ) --> bonds_moving_average");
export const WeightsSetRateLimit = netMap("WeightsSetRateLimit", u64, C.DefaultWeightsSetRateLimit, "MAP ( netuid ) --> weights_set_rate_limit");
export const ValidatorPruneLen = netMap("ValidatorPruneLen", u64, C.InitialValidatorPruneLen, "MAP ( netuid ) --> validator_prune_len");
export const ScalingLawPower = netMap("ScalingLawPower", u16, C.InitialScalingLawPower, "MAP ( netuid ) --> scaling_law_power");
/** New subnets get 1 explicitly. */
export const TargetRegistrationsPerInterval = netMap(
  "TargetRegistrationsPerInterval",
  u16,
  C.InitialTargetRegistrationsPerInterval,
  "MAP ( netuid ) --> target_registrations_this_interval",
);
export const BlockAtRegistration = storageDoubleMap({
  name: "BlockAtRegistration",
  keys: [NETUID, UID],
  value: u64,
  default: 0n,
  docs: ["DMAP ( netuid, uid ) --> block_at_registration"],
});
/** New subnets get 0.97 × u64::MAX explicitly. */
export const AdjustmentAlpha = netMap("AdjustmentAlpha", u64, C.InitialAdjustmentAlpha, "DMAP ( netuid ) --> adjustment_alpha");
/**
 * Commit-reveal v1: one (hash, commit block) per (netuid, hotkey).
 * HEAD: re-typed to VecDeque<(H256, commit_epoch, commit_block, _)> keyed by NetUidStorageIndex.
 */
export const WeightCommits = storageDoubleMap({
  name: "WeightCommits",
  keys: [key("Twox64Concat", NetUid), key("Twox64Concat", AccountId32)],
  value: WeightCommitCodec,
  optional: true,
  docs: ["MAP (netuid, who) --> (hash, weight) | Returns the hash and weight committed by an account for a given netuid."],
});
/** Blocks per commit/reveal window. HEAD: replaced by `RevealPeriodEpochs` (epochs, default 1). */
export const WeightCommitRevealInterval = netMap("WeightCommitRevealInterval", u64, C.DefaultWeightCommitRevealInterval, "DMAP ( netuid ) --> interval");
/** HEAD default true. */
export const CommitRevealWeightsEnabled = netMap("CommitRevealWeightsEnabled", bool, false, "DMAP ( netuid ) --> interval");

// ================================================================== Subnetwork consensus storage (per UID)

/** (netuid, hotkey) → uid; OptionQuery. Read by the SDK. */
export const Uids = storageDoubleMap({
  name: "Uids",
  keys: [NETUID, key("Blake2_128Concat", AccountId32)],
  value: u16,
  optional: true,
  docs: ["DMAP ( netuid, hotkey ) --> uid"],
});
/** (netuid, uid) → hotkey; default the all-zero account (`DefaultKey`). */
export const Keys = storageDoubleMap({
  name: "Keys",
  keys: [NETUID, UID],
  value: AccountId32,
  default: ZERO_ACCOUNT,
  docs: ["DMAP ( netuid, uid ) --> hotkey"],
});
/** Epoch output awaiting payout: (hotkey, server emission, validator emission). */
export const LoadedEmission = storageMap({
  name: "LoadedEmission",
  key: NETUID,
  value: LoadedEmissionCodec,
  optional: true,
  docs: ["DMAP ( netuid ) --> (hotkey, se, ve)"],
});
export const Active = netMap("Active", vec(bool), EMPTY_BOOL_VEC, "DMAP ( netuid ) --> active");
/** Not computed at HEAD (removed). */
export const Rank = netMap("Rank", vec(u16), EMPTY_U16_VEC, "DMAP ( netuid ) --> rank");
/** Not computed at HEAD (removed). */
export const Trust = netMap("Trust", vec(u16), EMPTY_U16_VEC, "DMAP ( netuid ) --> trust");
export const Consensus = netMap("Consensus", vec(u16), EMPTY_U16_VEC, "DMAP ( netuid ) --> consensus");
/** HEAD: keyed by NetUidStorageIndex (netuid + mechanism offset; equal to netuid for mechanism 0). */
export const Incentive = netMap("Incentive", vec(u16), EMPTY_U16_VEC, "DMAP ( netuid ) --> incentive");
export const Dividends = netMap("Dividends", vec(u16), EMPTY_U16_VEC, "DMAP ( netuid ) --> dividends");
/** RAO per UID of the last epoch. HEAD: Vec<AlphaBalance>. */
export const Emission = netMap("Emission", vec(u64), EMPTY_U64_VEC, "DMAP ( netuid ) --> emission");
/** HEAD: keyed by NetUidStorageIndex. */
export const LastUpdate = netMap("LastUpdate", vec(u64), EMPTY_U64_VEC, "DMAP ( netuid ) --> last_update");
export const ValidatorTrust = netMap("ValidatorTrust", vec(u16), EMPTY_U16_VEC, "DMAP ( netuid ) --> validator_trust");
/** Not computed at HEAD (removed). */
export const PruningScores = netMap("PruningScores", vec(u16), EMPTY_U16_VEC, "DMAP ( netuid ) --> pruning_scores");
/** Read by the SDK. */
export const ValidatorPermit = netMap("ValidatorPermit", vec(bool), EMPTY_BOOL_VEC, "DMAP ( netuid ) --> validator_permit");
/** (netuid, uid) → sparse weight row. Read by the SDK. HEAD: keyed by NetUidStorageIndex. */
export const Weights = storageDoubleMap({
  name: "Weights",
  keys: [NETUID, UID],
  value: SparseRowCodec,
  default: EMPTY_ROW,
  docs: ["DMAP ( netuid, uid ) --> weights"],
});
/** (netuid, uid) → sparse bond row. Read by the SDK. HEAD: keyed by NetUidStorageIndex. */
export const Bonds = storageDoubleMap({
  name: "Bonds",
  keys: [NETUID, UID],
  value: SparseRowCodec,
  default: EMPTY_ROW,
  docs: ["DMAP ( netuid, uid ) --> bonds"],
});

// ================================================================== added after de1026780 (declared as at HEAD)

/** cold → hotkeys it has staked to (mid-2024 → HEAD, populated by migration on mainnet). */
export const StakingHotkeys = storageMap({
  name: "StakingHotkeys",
  key: key("Blake2_128Concat", AccountId32),
  value: vec(AccountId32),
  default: EMPTY_ACCOUNT_VEC,
  docs: ["MAP ( cold ) --> Vec<hot> | Maps coldkey to hotkeys that stake to it"],
});
/** cold → hotkeys it owns. Read by the SDK. */
export const OwnedHotkeys = storageMap({
  name: "OwnedHotkeys",
  key: key("Blake2_128Concat", AccountId32),
  value: vec(AccountId32),
  default: EMPTY_ACCOUNT_VEC,
  docs: ["MAP ( cold ) --> Vec<hot> | Returns the vector of hotkeys controlled by this coldkey."],
});
/** Liquid alpha switch. Note the Blake2_128Concat hasher (as declared in Rust, unlike the other netuid maps). */
export const LiquidAlphaOn = storageMap({
  name: "LiquidAlphaOn",
  key: key("Blake2_128Concat", NetUid),
  value: bool,
  default: C.InitialLiquidAlphaOn,
  docs: ["MAP ( netuid ) --> Whether or not Liquid Alpha is enabled"],
});
/** (alpha_low, alpha_high) as u16 proportions: (0.7, 0.9). */
export const AlphaValues = storageMap({
  name: "AlphaValues",
  key: NETUID,
  value: tuple(u16, u16) as Codec<[number, number]>,
  default: frozen([C.InitialAlphaLow, C.InitialAlphaHigh]) as [number, number],
  docs: [" MAP ( netuid ) --> (alpha_low, alpha_high)"],
});
/** Yuma3 switch (Blake2_128Concat hasher, as in Rust). */
export const Yuma3On = storageMap({
  name: "Yuma3On",
  key: key("Blake2_128Concat", NetUid),
  value: bool,
  default: C.InitialYuma3On,
  docs: ["MAP ( netuid ) --> Whether or not Yuma3 is enabled"],
});
/** 0 = raw weights for bonds, 65535 = clipped weights. */
export const BondsPenalty = netMap("BondsPenalty", u16, C.InitialBondsPenalty, "MAP ( netuid ) --> bonds_penalty");
/** Steepness of the liquid-alpha sigmoid (i16). */
export const AlphaSigmoidSteepness = netMap("AlphaSigmoidSteepness", i16, C.InitialAlphaSigmoidSteepness, "MAP ( netuid ) --> AlphaSigmoidSteepness");

// ------------------------------------------------------------------ all items, in declaration order

export const SUBTENSOR_STORAGE: AnyStorageItem[] = [
  SenateRequiredStakePercentage,
  // staking + accounts
  TotalStake,
  MaxTake,
  MinTake,
  BlockEmission,
  TotalIssuance,
  TargetStakesPerInterval,
  StakeInterval,
  TotalHotkeyStake,
  TotalColdkeyStake,
  TotalHotkeyColdkeyStakesThisInterval,
  Owner,
  Delegates,
  Stake,
  // difficulty / registrations
  UsedWork,
  Burn,
  Difficulty,
  MinBurn,
  MaxBurn,
  MinDifficulty,
  MaxDifficulty,
  LastAdjustmentBlock,
  RegistrationsThisBlock,
  MaxRegistrationsPerBlock,
  RAORecycledForRegistration,
  // subnetworks
  SubnetLimit,
  TotalNetworks,
  SubnetworkN,
  NetworkModality,
  NetworksAdded,
  IsNetworkMember,
  NetworkRegistrationAllowed,
  NetworkPowRegistrationAllowed,
  NetworkRegisteredAt,
  NetworkImmunityPeriod,
  NetworkLastRegistered,
  NetworkMinAllowedUids,
  NetworkMinLockCost,
  NetworkLastLockCost,
  NetworkLockReductionInterval,
  SubnetOwnerCut,
  NetworkRateLimit,
  NominatorMinRequiredStake,
  // subnetwork features
  Tempo,
  EmissionValues,
  PendingEmission,
  BlocksSinceLastStep,
  LastMechansimStepBlock,
  SubnetOwner,
  SubnetLocked,
  // rate limits, serving
  TxRateLimit,
  TxDelegateTakeRateLimit,
  LastTxBlock,
  LastTxBlockDelegateTake,
  ServingRateLimit,
  Axons,
  Prometheus,
  // hyperparameters
  WeightsMinStake,
  Rho,
  Kappa,
  NeuronsToPruneAtNextEpoch,
  RegistrationsThisInterval,
  POWRegistrationsThisInterval,
  BurnRegistrationsThisInterval,
  MaxAllowedUids,
  ImmunityPeriod,
  ActivityCutoff,
  MaxWeightsLimit,
  WeightsVersionKey,
  MinAllowedWeights,
  MaxAllowedValidators,
  AdjustmentInterval,
  BondsMovingAverage,
  WeightsSetRateLimit,
  ValidatorPruneLen,
  ScalingLawPower,
  TargetRegistrationsPerInterval,
  BlockAtRegistration,
  AdjustmentAlpha,
  WeightCommits,
  WeightCommitRevealInterval,
  CommitRevealWeightsEnabled,
  // consensus
  Uids,
  Keys,
  LoadedEmission,
  Active,
  Rank,
  Trust,
  Consensus,
  Incentive,
  Dividends,
  Emission,
  LastUpdate,
  ValidatorTrust,
  PruningScores,
  ValidatorPermit,
  Weights,
  Bonds,
  // later additions
  StakingHotkeys,
  OwnedHotkeys,
  LiquidAlphaOn,
  AlphaValues,
  Yuma3On,
  BondsPenalty,
  AlphaSigmoidSteepness,
];

/** Number of items that exist at de1026780 (the rest were added later). */
export const CLASSIC_STORAGE_COUNT = 98;

for (const item of SUBTENSOR_STORAGE) item.bind(SUBTENSOR_PALLET_NAME);
