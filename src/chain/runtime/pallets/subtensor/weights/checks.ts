/**
 * The predicates of weight setting (weights.rs / root.rs / utils.rs / uids.rs helpers at
 * de1026780), each under its Subtensor name so the dispatch code reads like `do_set_weights`.
 */
import type { ReadAccess, StorageAccess } from "../../../../state/types.js";
import { ROOT_NETUID, U16_MAX } from "../constants.js";
import {
  Keys,
  LastUpdate,
  MaxWeightsLimit,
  MinAllowedWeights,
  NetworksAdded,
  SubnetworkN,
  TotalHotkeyStake,
  Uids,
  ValidatorPermit,
  WeightsMinStake,
  WeightsSetRateLimit,
  WeightsVersionKey,
} from "../storage.js";
import { checkVecMaxLimited } from "./fixed32.js";

/** `if_subnet_exist`. */
export const ifSubnetExist = (state: ReadAccess, netuid: number): boolean => NetworksAdded.get(state, netuid);

/** `is_uid_exist_on_network`: a Keys entry is stored for the uid. */
export const isUidExistOnNetwork = (state: ReadAccess, netuid: number, uid: number): boolean => Keys.exists(state, netuid, uid);

/** `is_hotkey_registered_on_network`. */
export const isHotkeyRegisteredOnNetwork = (state: ReadAccess, netuid: number, hotkey: Uint8Array): boolean => Uids.exists(state, netuid, hotkey);

/** `get_uid_for_net_and_hotkey` (null where Rust returns HotKeyNotRegisteredInSubNet). */
export const uidForNetAndHotkey = (state: ReadAccess, netuid: number, hotkey: Uint8Array): number | null => Uids.get(state, netuid, hotkey);

/** `check_weights_min_stake`: the hotkey's total stake reaches WeightsMinStake (StakeThreshold at HEAD). */
export const checkWeightsMinStake = (state: ReadAccess, hotkey: Uint8Array): boolean => TotalHotkeyStake.get(state, hotkey) >= WeightsMinStake.get(state);

/** `check_version_key`: accepted when the subnet's key is 0 or the caller's is at least it. */
export function checkVersionKey(state: ReadAccess, netuid: number, versionKey: bigint): boolean {
  const networkKey = WeightsVersionKey.get(state, netuid);
  return networkKey === 0n || versionKey >= networkKey;
}

/** `get_last_update_for_uid`: 0 when the vector is shorter. */
export const lastUpdateForUid = (state: ReadAccess, netuid: number, uid: number): bigint => LastUpdate.get(state, netuid)[uid] ?? 0n;

/** `set_last_update_for_uid`: a uid beyond the vector is silently ignored, as in Rust. */
export function setLastUpdateForUid(state: StorageAccess, netuid: number, uid: number, block: bigint): void {
  const v = LastUpdate.get(state, netuid);
  if (uid >= v.length) return;
  const next = [...v];
  next[uid] = block;
  LastUpdate.put(state, next, netuid);
}

/**
 * `check_rate_limit`: a registered uid may set weights when it never did (LastUpdate 0, the storage
 * default) or when at least WeightsSetRateLimit blocks have passed since its LastUpdate.
 */
export function checkRateLimit(state: ReadAccess, netuid: number, uid: number, currentBlock: bigint): boolean {
  if (!isUidExistOnNetwork(state, netuid, uid)) return false;
  const last = lastUpdateForUid(state, netuid, uid);
  if (last === 0n) return true;
  const since = currentBlock > last ? currentBlock - last : 0n;
  return since >= WeightsSetRateLimit.get(state, netuid);
}

/** `uids_match_values`. */
export const uidsMatchValues = (uids: readonly number[], values: readonly number[]): boolean => uids.length === values.length;

/** `has_duplicate_uids`. */
export const hasDuplicateUids = (uids: readonly number[]): boolean => new Set(uids).size !== uids.length;

/** `contains_invalid_uids`: some uid has no Keys entry on the subnet. */
export const containsInvalidUids = (state: ReadAccess, netuid: number, uids: readonly number[]): boolean => uids.some((uid) => !isUidExistOnNetwork(state, netuid, uid));

/** `contains_invalid_root_uids`: on the root network the "uids" are netuids, each must exist. */
export const containsInvalidRootUids = (state: ReadAccess, netuids: readonly number[]): boolean => netuids.some((n) => !ifSubnetExist(state, n));

/** `is_self_weight`: exactly one weight, on the caller's own uid. */
export const isSelfWeight = (uid: number, uids: readonly number[], weights: readonly number[]): boolean => weights.length === 1 && uids.length > 0 && uids[0] === uid;

/** `get_validator_permit_for_uid`. */
export const validatorPermitForUid = (state: ReadAccess, netuid: number, uid: number): boolean => ValidatorPermit.get(state, netuid)[uid] ?? false;

/** `check_validator_permit`: a self-weight needs no permit; anything else does. */
export function checkValidatorPermit(state: ReadAccess, netuid: number, uid: number, uids: readonly number[], weights: readonly number[]): boolean {
  if (isSelfWeight(uid, uids, weights)) return true;
  return validatorPermitForUid(state, netuid, uid);
}

/** `check_len_uids_within_allowed`: no more uids than neurons on the subnet. */
export const checkLenUidsWithinAllowed = (state: ReadAccess, netuid: number, uids: readonly number[]): boolean => uids.length <= SubnetworkN.get(state, netuid);

/**
 * `check_length`: at least min(MinAllowedWeights, SubnetworkN) weights, except a self-weight
 * outside the root network.
 */
export function checkLength(state: ReadAccess, netuid: number, uid: number, uids: readonly number[], weights: readonly number[]): boolean {
  const subnetN = SubnetworkN.get(state, netuid);
  const minAllowed = Math.min(subnetN, MinAllowedWeights.get(state, netuid));
  if (netuid !== ROOT_NETUID && isSelfWeight(uid, uids, weights)) return true;
  return weights.length >= minAllowed;
}

/**
 * `max_weight_limited`: self-weights and subnets whose MaxWeightsLimit is u16::MAX pass; otherwise
 * the largest normalized weight must not exceed MaxWeightsLimit / 65535.
 */
export function maxWeightLimited(state: ReadAccess, netuid: number, uid: number, uids: readonly number[], weights: readonly number[]): boolean {
  if (isSelfWeight(uid, uids, weights)) return true;
  const limit = MaxWeightsLimit.get(state, netuid);
  if (limit === U16_MAX) return true;
  return checkVecMaxLimited(weights, limit);
}
