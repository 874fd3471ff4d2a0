/**
 * The result structs of Subtensor's info runtime APIs, field for field as in
 * `pallets/subtensor/src/rpc_info/*.rs` at commit 688d4a7ff: names, order, integer widths and the
 * `Compact<…>` wrappers. Clients decode these bytes by position (the classic APIs return them
 * inside a `Vec<u8>`), so nothing here may be reordered or re-typed.
 */
import { array, bool, bytes, compact, option, struct, tuple, u16, u64, vec, type Codec } from "../../../../codec/scale.js";
import { AccountId32 } from "../../../../codec/types.js";
import { AxonInfoCodec, PrometheusInfoCodec, type AxonInfo, type PrometheusInfo } from "../storage.js";

const path = (file: string, name: string) => ({ path: ["pallet_subtensor", "rpc_info", file, name], params: [{ name: "T" }] });
const cu16 = compact(u16) as Codec<unknown>;
const cu64 = compact(u64) as Codec<unknown>;
const account = AccountId32 as Codec<unknown>;

// ------------------------------------------------------------------ neuron_info.rs

export type NeuronInfoLiteValue = {
  hotkey: Uint8Array;
  coldkey: Uint8Array;
  uid: number;
  netuid: number;
  active: boolean;
  axonInfo: AxonInfo;
  prometheusInfo: PrometheusInfo;
  /** (coldkey, stake): map of coldkey to stake on this neuron/hotkey */
  stake: Array<[Uint8Array, bigint]>;
  rank: number;
  emission: bigint;
  incentive: number;
  consensus: number;
  trust: number;
  validatorTrust: number;
  dividends: number;
  lastUpdate: bigint;
  validatorPermit: boolean;
  pruningScore: number;
}

export type NeuronInfoValue = NeuronInfoLiteValue & {
  /** (uid, weight) */
  weights: Array<[number, number]>;
  /** (uid, bond) */
  bonds: Array<[number, number]>;
}

const neuronHead = [
  { name: "hotkey", type: account, typeName: "AccountId" },
  { name: "coldkey", type: account, typeName: "AccountId" },
  { name: "uid", type: cu16, typeName: "Compact<u16>" },
  { name: "netuid", type: cu16, typeName: "Compact<u16>" },
  { name: "active", type: bool as Codec<unknown>, typeName: "bool" },
  { name: "axon_info", type: AxonInfoCodec as Codec<unknown>, typeName: "AxonInfo" },
  { name: "prometheus_info", type: PrometheusInfoCodec as Codec<unknown>, typeName: "PrometheusInfo" },
  { name: "stake", type: vec(tuple(AccountId32, compact(u64))) as Codec<unknown>, typeName: "Vec<(AccountId, Compact<u64>)>" },
  { name: "rank", type: cu16, typeName: "Compact<u16>" },
  { name: "emission", type: cu64, typeName: "Compact<u64>" },
  { name: "incentive", type: cu16, typeName: "Compact<u16>" },
  { name: "consensus", type: cu16, typeName: "Compact<u16>" },
  { name: "trust", type: cu16, typeName: "Compact<u16>" },
  { name: "validator_trust", type: cu16, typeName: "Compact<u16>" },
  { name: "dividends", type: cu16, typeName: "Compact<u16>" },
  { name: "last_update", type: cu64, typeName: "Compact<u64>" },
  { name: "validator_permit", type: bool as Codec<unknown>, typeName: "bool" },
];
const sparseCompact = vec(tuple(compact(u16), compact(u16))) as Codec<unknown>;
const pruningScore = { name: "pruning_score", type: cu16, typeName: "Compact<u16>" };

export const NeuronInfoCodec = struct<NeuronInfoValue>(
  [
    ...neuronHead,
    { name: "weights", type: sparseCompact, typeName: "Vec<(Compact<u16>, Compact<u16>)>" },
    { name: "bonds", type: sparseCompact, typeName: "Vec<(Compact<u16>, Compact<u16>)>" },
    pruningScore,
  ],
  path("neuron_info", "NeuronInfo"),
);

export const NeuronInfoLiteCodec = struct<NeuronInfoLiteValue>([...neuronHead, pruningScore], path("neuron_info", "NeuronInfoLite"));

// ------------------------------------------------------------------ subnet_info.rs

export type SubnetInfoValue = {
  netuid: number;
  rho: number;
  kappa: number;
  difficulty: bigint;
  immunityPeriod: number;
  maxAllowedValidators: number;
  minAllowedWeights: number;
  maxWeightsLimit: number;
  scalingLawPower: number;
  subnetworkN: number;
  maxAllowedUids: number;
  blocksSinceLastStep: bigint;
  tempo: number;
  networkModality: number;
  /** deprecated in Subtensor: always empty */
  networkConnect: number[][];
  emissionValues: bigint;
  burn: bigint;
  owner: Uint8Array;
}

export type SubnetIdentityValue = {
  subnetName: Uint8Array;
  githubRepo: Uint8Array;
  subnetContact: Uint8Array;
}

export type SubnetInfoV2Value = SubnetInfoValue & {
  identity: SubnetIdentityValue | null;
}

/** `pallet_subtensor::pallet::SubnetIdentity` (lib.rs). */
export const SubnetIdentityCodec = struct<SubnetIdentityValue>(
  [
    { name: "subnet_name", type: bytes, typeName: "Vec<u8>", docs: ["The name of the subnet"] },
    { name: "github_repo", type: bytes, typeName: "Vec<u8>", docs: ["The github repository associated with the chain identity"] },
    { name: "subnet_contact", type: bytes, typeName: "Vec<u8>", docs: ["The subnet's contact"] },
  ],
  { path: ["pallet_subtensor", "pallet", "SubnetIdentity"], docs: ["Data structure for Subnet Identities"] },
);

const subnetFields = [
  { name: "netuid", type: cu16, typeName: "Compact<u16>" },
  { name: "rho", type: cu16, typeName: "Compact<u16>" },
  { name: "kappa", type: cu16, typeName: "Compact<u16>" },
  { name: "difficulty", type: cu64, typeName: "Compact<u64>" },
  { name: "immunity_period", type: cu16, typeName: "Compact<u16>" },
  { name: "max_allowed_validators", type: cu16, typeName: "Compact<u16>" },
  { name: "min_allowed_weights", type: cu16, typeName: "Compact<u16>" },
  { name: "max_weights_limit", type: cu16, typeName: "Compact<u16>" },
  { name: "scaling_law_power", type: cu16, typeName: "Compact<u16>" },
  { name: "subnetwork_n", type: cu16, typeName: "Compact<u16>" },
  { name: "max_allowed_uids", type: cu16, typeName: "Compact<u16>" },
  { name: "blocks_since_last_step", type: cu64, typeName: "Compact<u64>" },
  { name: "tempo", type: cu16, typeName: "Compact<u16>" },
  { name: "network_modality", type: cu16, typeName: "Compact<u16>" },
  { name: "network_connect", type: vec(array(2, u16)) as Codec<unknown>, typeName: "Vec<[u16; 2]>" },
  { name: "emission_values", type: cu64, typeName: "Compact<u64>" },
  { name: "burn", type: cu64, typeName: "Compact<u64>" },
  { name: "owner", type: account, typeName: "AccountId" },
];

export const SubnetInfoCodec = struct<SubnetInfoValue>(subnetFields, path("subnet_info", "SubnetInfo"));

export const SubnetInfoV2Codec = struct<SubnetInfoV2Value>(
  [...subnetFields, { name: "identity", type: option(SubnetIdentityCodec) as Codec<unknown>, typeName: "Option<SubnetIdentity>" }],
  path("subnet_info", "SubnetInfov2"),
);

export type SubnetHyperparamsValue = {
  rho: number;
  kappa: number;
  immunityPeriod: number;
  minAllowedWeights: number;
  maxWeightsLimit: number;
  tempo: number;
  minDifficulty: bigint;
  maxDifficulty: bigint;
  weightsVersion: bigint;
  weightsRateLimit: bigint;
  adjustmentInterval: number;
  activityCutoff: number;
  registrationAllowed: boolean;
  targetRegsPerInterval: number;
  minBurn: bigint;
  maxBurn: bigint;
  bondsMovingAvg: bigint;
  maxRegsPerBlock: number;
  servingRateLimit: bigint;
  maxValidators: number;
  adjustmentAlpha: bigint;
  difficulty: bigint;
  commitRevealWeightsInterval: bigint;
  commitRevealWeightsEnabled: boolean;
  alphaHigh: number;
  alphaLow: number;
  liquidAlphaEnabled: boolean;
}

export const SubnetHyperparamsCodec = struct<SubnetHyperparamsValue>(
  [
    { name: "rho", type: cu16, typeName: "Compact<u16>" },
    { name: "kappa", type: cu16, typeName: "Compact<u16>" },
    { name: "immunity_period", type: cu16, typeName: "Compact<u16>" },
    { name: "min_allowed_weights", type: cu16, typeName: "Compact<u16>" },
    { name: "max_weights_limit", type: cu16, typeName: "Compact<u16>" },
    { name: "tempo", type: cu16, typeName: "Compact<u16>" },
    { name: "min_difficulty", type: cu64, typeName: "Compact<u64>" },
    { name: "max_difficulty", type: cu64, typeName: "Compact<u64>" },
    { name: "weights_version", type: cu64, typeName: "Compact<u64>" },
    { name: "weights_rate_limit", type: cu64, typeName: "Compact<u64>" },
    { name: "adjustment_interval", type: cu16, typeName: "Compact<u16>" },
    { name: "activity_cutoff", type: cu16, typeName: "Compact<u16>" },
    { name: "registration_allowed", type: bool as Codec<unknown>, typeName: "bool" },
    { name: "target_regs_per_interval", type: cu16, typeName: "Compact<u16>" },
    { name: "min_burn", type: cu64, typeName: "Compact<u64>" },
    { name: "max_burn", type: cu64, typeName: "Compact<u64>" },
    { name: "bonds_moving_avg", type: cu64, typeName: "Compact<u64>" },
    { name: "max_regs_per_block", type: cu16, typeName: "Compact<u16>" },
    { name: "serving_rate_limit", type: cu64, typeName: "Compact<u64>" },
    { name: "max_validators", type: cu16, typeName: "Compact<u16>" },
    { name: "adjustment_alpha", type: cu64, typeName: "Compact<u64>" },
    { name: "difficulty", type: cu64, typeName: "Compact<u64>" },
    { name: "commit_reveal_weights_interval", type: cu64, typeName: "Compact<u64>" },
    { name: "commit_reveal_weights_enabled", type: bool as Codec<unknown>, typeName: "bool" },
    { name: "alpha_high", type: cu16, typeName: "Compact<u16>" },
    { name: "alpha_low", type: cu16, typeName: "Compact<u16>" },
    { name: "liquid_alpha_enabled", type: bool as Codec<unknown>, typeName: "bool" },
  ],
  { path: ["pallet_subtensor", "rpc_info", "subnet_info", "SubnetHyperparams"] },
);

// ------------------------------------------------------------------ delegate_info.rs

export type DelegateInfoValue = {
  delegateSs58: Uint8Array;
  take: number;
  /** (nominator, stake) */
  nominators: Array<[Uint8Array, bigint]>;
  ownerSs58: Uint8Array;
  /** netuids this delegate is registered on */
  registrations: number[];
  /** netuids this delegate has a validator permit on */
  validatorPermits: number[];
  /** daily return per 1000 TAO staked, minus take */
  returnPer1000: bigint;
  totalDailyReturn: bigint;
}

export const DelegateInfoCodec = struct<DelegateInfoValue>(
  [
    { name: "delegate_ss58", type: account, typeName: "AccountId" },
    { name: "take", type: cu16, typeName: "Compact<u16>" },
    { name: "nominators", type: vec(tuple(AccountId32, compact(u64))) as Codec<unknown>, typeName: "Vec<(AccountId, Compact<u64>)>" },
    { name: "owner_ss58", type: account, typeName: "AccountId" },
    { name: "registrations", type: vec(compact(u16)) as Codec<unknown>, typeName: "Vec<Compact<u16>>" },
    { name: "validator_permits", type: vec(compact(u16)) as Codec<unknown>, typeName: "Vec<Compact<u16>>" },
    { name: "return_per_1000", type: cu64, typeName: "Compact<u64>" },
    { name: "total_daily_return", type: cu64, typeName: "Compact<u64>" },
  ],
  path("delegate_info", "DelegateInfo"),
);

// ------------------------------------------------------------------ stake_info.rs

export type StakeInfoValue = {
  hotkey: Uint8Array;
  coldkey: Uint8Array;
  stake: bigint;
}

export const StakeInfoCodec = struct<StakeInfoValue>(
  [
    { name: "hotkey", type: account, typeName: "AccountId" },
    { name: "coldkey", type: account, typeName: "AccountId" },
    { name: "stake", type: cu64, typeName: "Compact<u64>" },
  ],
  path("stake_info", "StakeInfo"),
);

// ------------------------------------------------------------------ the encodings the APIs return

/** `Vec<NeuronInfo<T>>` */
export const NeuronInfoVec = vec(NeuronInfoCodec);
/** `Vec<NeuronInfoLite<T>>` */
export const NeuronInfoLiteVec = vec(NeuronInfoLiteCodec);
/** `Vec<Option<SubnetInfo<T>>>` (both get_subnets_info and, as in Subtensor, get_subnets_info_v2) */
export const SubnetInfoOptionVec = vec(option(SubnetInfoCodec));
/** `Vec<DelegateInfo<T>>` */
export const DelegateInfoVec = vec(DelegateInfoCodec);
/** `Vec<(DelegateInfo<T>, Compact<u64>)>`: each delegate with the delegatee's stake on it */
export const DelegatedVec = vec(tuple(DelegateInfoCodec, compact(u64)));
/** `Vec<StakeInfo<T>>` */
export const StakeInfoVec = vec(StakeInfoCodec);
/** `Vec<(AccountId, Vec<StakeInfo<T>>)>` */
export const ColdkeysStakeInfoVec = vec(tuple(AccountId32, vec(StakeInfoCodec)));
