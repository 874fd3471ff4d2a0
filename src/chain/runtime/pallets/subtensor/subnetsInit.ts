/**
 * Subnet initialisation shared by genesis and the `register_network` / `root_register` calls:
 * classic Subtensor's `init_new_network` (root.rs at de1026780), the root network set-up of the
 * classic genesis / `migrate_create_root_network`, `append_neuron` (uids.rs) and
 * `create_account_if_non_existent` (staking.rs, with the later OwnedHotkeys/StakingHotkeys upkeep).
 */
import type { EnumValue } from "../../../codec/scale.js";
import type { StorageAccess } from "../../../state/types.js";
import { bytesEqual } from "../../../../util/bytes.js";
import * as C from "./constants.js";
import { subtensorEvent } from "./events.js";
import {
  Active,
  ActivityCutoff,
  AdjustmentAlpha,
  AdjustmentInterval,
  BlockAtRegistration,
  BurnRegistrationsThisInterval,
  Consensus,
  Difficulty,
  Dividends,
  Emission,
  EmissionValues,
  ImmunityPeriod,
  Incentive,
  IsNetworkMember,
  Kappa,
  Keys,
  LastUpdate,
  MaxAllowedUids,
  MaxAllowedValidators,
  MaxDifficulty,
  MaxWeightsLimit,
  MinAllowedWeights,
  MinBurn,
  MinDifficulty,
  NetworkModality,
  NetworkRegistrationAllowed,
  NetworksAdded,
  OwnedHotkeys,
  Owner,
  POWRegistrationsThisInterval,
  PruningScores,
  Rank,
  RegistrationsThisInterval,
  Stake,
  StakingHotkeys,
  SubnetworkN,
  TargetRegistrationsPerInterval,
  Tempo,
  TotalNetworks,
  Trust,
  Uids,
  ValidatorPermit,
  ValidatorTrust,
} from "./storage.js";

/** Receives the events that the Rust setters deposit (omit at genesis: Substrate keeps no events there). */
export type Deposit = (event: EnumValue) => void;

const saturatingIncU16 = (n: number): number => Math.min(n + 1, C.U16_MAX);

/**
 * `init_new_network(netuid, tempo)`: marks the subnet alive with 0 UIDs, increments TotalNetworks,
 * writes the new-subnet values explicitly (registration allowed, 256 UIDs, 64 validators, min
 * allowed weights 1, max weight limit 65535, adjustment interval 360, target registrations 1,
 * adjustment alpha 0.97, immunity 5000, min burn 1 RAO, min/max difficulty u64::MAX), then makes
 * the remaining parameters explicit by writing their current value where no value is stored.
 *
 * With `deposit`, emits the events the Rust setters emit, in the same order (RegistrationAllowed,
 * MaxAllowedUidsSet, MaxAllowedValidatorsSet, MinAllowedWeightSet, MaxWeightLimitSet,
 * AdjustmentIntervalSet, RegistrationPerIntervalSet, AdjustmentAlphaSet, ImmunityPeriodSet,
 * MinBurnSet, MinDifficultySet, MaxDifficultySet).
 */
export function initNewNetwork(state: StorageAccess, netuid: number, tempo: number, deposit?: Deposit): void {
  const emit = (name: Parameters<typeof subtensorEvent>[0], value: unknown) => {
    if (deposit) deposit(subtensorEvent(name, value));
  };

  // 1–4: size, existence, tempo, modality (text = 0).
  SubnetworkN.put(state, 0, netuid);
  NetworksAdded.put(state, true, netuid);
  Tempo.put(state, tempo, netuid);
  NetworkModality.put(state, 0, netuid);

  // 5: total network count.
  TotalNetworks.put(state, saturatingIncU16(TotalNetworks.get(state)));

  // 6: the explicit new-subnet values (each setter emits its event).
  NetworkRegistrationAllowed.put(state, true, netuid);
  emit("RegistrationAllowed", [netuid, true]);
  MaxAllowedUids.put(state, C.NEW_SUBNET_MAX_ALLOWED_UIDS, netuid);
  emit("MaxAllowedUidsSet", [netuid, C.NEW_SUBNET_MAX_ALLOWED_UIDS]);
  MaxAllowedValidators.put(state, C.NEW_SUBNET_MAX_ALLOWED_VALIDATORS, netuid);
  emit("MaxAllowedValidatorsSet", [netuid, C.NEW_SUBNET_MAX_ALLOWED_VALIDATORS]);
  MinAllowedWeights.put(state, C.NEW_SUBNET_MIN_ALLOWED_WEIGHTS, netuid);
  emit("MinAllowedWeightSet", [netuid, C.NEW_SUBNET_MIN_ALLOWED_WEIGHTS]);
  MaxWeightsLimit.put(state, C.NEW_SUBNET_MAX_WEIGHTS_LIMIT, netuid);
  emit("MaxWeightLimitSet", [netuid, C.NEW_SUBNET_MAX_WEIGHTS_LIMIT]);
  AdjustmentInterval.put(state, C.NEW_SUBNET_ADJUSTMENT_INTERVAL, netuid);
  emit("AdjustmentIntervalSet", [netuid, C.NEW_SUBNET_ADJUSTMENT_INTERVAL]);
  TargetRegistrationsPerInterval.put(state, C.NEW_SUBNET_TARGET_REGISTRATIONS_PER_INTERVAL, netuid);
  emit("RegistrationPerIntervalSet", [netuid, C.NEW_SUBNET_TARGET_REGISTRATIONS_PER_INTERVAL]);
  AdjustmentAlpha.put(state, C.NEW_SUBNET_ADJUSTMENT_ALPHA, netuid);
  emit("AdjustmentAlphaSet", [netuid, C.NEW_SUBNET_ADJUSTMENT_ALPHA]);
  ImmunityPeriod.put(state, C.NEW_SUBNET_IMMUNITY_PERIOD, netuid);
  emit("ImmunityPeriodSet", [netuid, C.NEW_SUBNET_IMMUNITY_PERIOD]);
  MinBurn.put(state, C.NEW_SUBNET_MIN_BURN, netuid);
  emit("MinBurnSet", [netuid, C.NEW_SUBNET_MIN_BURN]);
  MinDifficulty.put(state, C.NEW_SUBNET_MIN_DIFFICULTY, netuid);
  emit("MinDifficultySet", [netuid, C.NEW_SUBNET_MIN_DIFFICULTY]);
  MaxDifficulty.put(state, C.NEW_SUBNET_MAX_DIFFICULTY, netuid);
  emit("MaxDifficultySet", [netuid, C.NEW_SUBNET_MAX_DIFFICULTY]);

  // "Make network parameters explicit": store the current (default) value where nothing is stored.
  const explicit = [
    Tempo,
    Kappa,
    Difficulty,
    MaxAllowedUids,
    ImmunityPeriod,
    ActivityCutoff,
    EmissionValues,
    MaxWeightsLimit,
    MinAllowedWeights,
    RegistrationsThisInterval,
    POWRegistrationsThisInterval,
    BurnRegistrationsThisInterval,
  ] as const;
  for (const item of explicit) {
    if (!item.exists(state, netuid)) (item.put as (s: StorageAccess, v: unknown, n: number) => void)(state, item.get(state, netuid), netuid);
  }
}

export interface RootNetworkParams {
  tempo: number;
  maxAllowedUids: number;
  maxAllowedValidators: number;
  minAllowedWeights: number;
  maxWeightsLimit: number;
  targetRegistrationsPerInterval: number;
  registrationAllowed: boolean;
}

/** Classic root network values (genesis at de1026780 and `migrate_create_root_network`). */
export const ROOT_NETWORK_DEFAULTS: Readonly<RootNetworkParams> = Object.freeze({
  tempo: C.ROOT_TEMPO,
  maxAllowedUids: C.ROOT_MAX_ALLOWED_UIDS,
  maxAllowedValidators: C.ROOT_MAX_ALLOWED_VALIDATORS,
  minAllowedWeights: C.ROOT_MIN_ALLOWED_WEIGHTS,
  maxWeightsLimit: C.ROOT_MAX_WEIGHTS_LIMIT,
  targetRegistrationsPerInterval: C.ROOT_TARGET_REGISTRATIONS_PER_INTERVAL,
  registrationAllowed: true,
});

/**
 * Creates the root network (netuid 0) as classic genesis does: NetworksAdded, TotalNetworks + 1,
 * SubnetworkN 0, max 64 UIDs and 64 validators, min allowed weights 0, max weight limit 65535,
 * tempo 100, registration open, target 1 registration per interval. No-op if it already exists
 * (as the migration).
 */
export function initRootNetwork(state: StorageAccess, params: Partial<RootNetworkParams> = {}): void {
  const root = C.ROOT_NETUID;
  if (NetworksAdded.get(state, root)) return;
  const p = { ...ROOT_NETWORK_DEFAULTS, ...params };
  NetworksAdded.put(state, true, root);
  TotalNetworks.put(state, saturatingIncU16(TotalNetworks.get(state)));
  SubnetworkN.put(state, 0, root);
  MaxAllowedUids.put(state, p.maxAllowedUids, root);
  MaxAllowedValidators.put(state, p.maxAllowedValidators, root);
  MinAllowedWeights.put(state, p.minAllowedWeights, root);
  MaxWeightsLimit.put(state, p.maxWeightsLimit, root);
  Tempo.put(state, p.tempo, root);
  NetworkRegistrationAllowed.put(state, p.registrationAllowed, root);
  TargetRegistrationsPerInterval.put(state, p.targetRegistrationsPerInterval, root);
}

/** `hotkey_account_exists`: the hotkey has an owner. */
export function hotkeyAccountExists(state: StorageAccess, hotkey: Uint8Array): boolean {
  return Owner.exists(state, hotkey);
}

/**
 * `create_account_if_non_existent(coldkey, hotkey)`: a hotkey seen for the first time gets
 * Owner = coldkey and a zero Stake entry, and is added to the coldkey's OwnedHotkeys and
 * StakingHotkeys (the latter two as in late-2024 Subtensor). Does nothing for a known hotkey.
 */
export function createAccountIfNonExistent(state: StorageAccess, coldkey: Uint8Array, hotkey: Uint8Array): void {
  if (hotkeyAccountExists(state, hotkey)) return;
  Stake.put(state, 0n, hotkey, coldkey);
  Owner.put(state, coldkey, hotkey);
  const owned = OwnedHotkeys.get(state, coldkey);
  if (!owned.some((h) => bytesEqual(h, hotkey))) OwnedHotkeys.put(state, [...owned, hotkey], coldkey);
  const staking = StakingHotkeys.get(state, coldkey);
  if (!staking.some((h) => bytesEqual(h, hotkey))) StakingHotkeys.put(state, [...staking, hotkey], coldkey);
}

/** `coldkey_owns_hotkey`. */
export function coldkeyOwnsHotkey(state: StorageAccess, coldkey: Uint8Array, hotkey: Uint8Array): boolean {
  return hotkeyAccountExists(state, hotkey) && bytesEqual(Owner.get(state, hotkey), coldkey);
}

/**
 * `append_neuron(netuid, hotkey, block)`: the new UID is SubnetworkN (then incremented); every
 * per-UID vector grows by one (Active true, LastUpdate = block, the rest 0/false), and
 * Keys/Uids/BlockAtRegistration/IsNetworkMember are written. Returns the new UID. The caller checks
 * MaxAllowedUids (registration prunes instead of appending when the subnet is full).
 */
export function appendNeuron(state: StorageAccess, netuid: number, hotkey: Uint8Array, blockNumber: bigint): number {
  const uid = SubnetworkN.get(state, netuid);
  SubnetworkN.put(state, Math.min(uid + 1, C.U16_MAX), netuid);
  Rank.put(state, [...Rank.get(state, netuid), 0], netuid);
  Trust.put(state, [...Trust.get(state, netuid), 0], netuid);
  Active.put(state, [...Active.get(state, netuid), true], netuid);
  Emission.put(state, [...Emission.get(state, netuid), 0n], netuid);
  Consensus.put(state, [...Consensus.get(state, netuid), 0], netuid);
  Incentive.put(state, [...Incentive.get(state, netuid), 0], netuid);
  Dividends.put(state, [...Dividends.get(state, netuid), 0], netuid);
  LastUpdate.put(state, [...LastUpdate.get(state, netuid), blockNumber], netuid);
  PruningScores.put(state, [...PruningScores.get(state, netuid), 0], netuid);
  ValidatorTrust.put(state, [...ValidatorTrust.get(state, netuid), 0], netuid);
  ValidatorPermit.put(state, [...ValidatorPermit.get(state, netuid), false], netuid);
  Keys.put(state, hotkey, netuid, uid);
  Uids.put(state, uid, netuid, hotkey);
  BlockAtRegistration.put(state, blockNumber, netuid, uid);
  IsNetworkMember.put(state, true, hotkey, netuid);
  return uid;
}

/** `is_hotkey_registered_on_any_network`: some IsNetworkMember(hotkey, ·) entry is true. */
export function isHotkeyRegisteredOnAnyNetwork(state: StorageAccess, hotkey: Uint8Array): boolean {
  return IsNetworkMember.entries(state, hotkey).some((e) => e.value);
}
