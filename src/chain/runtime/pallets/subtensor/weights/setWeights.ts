/**
 * `do_set_weights` (weights.rs) and `do_set_root_weights` (root.rs) of classic Subtensor at
 * de1026780: every check in the Rust order, so a call that breaks several rules fails with the
 * same error as on the real chain; weights stored max-upscaled to u16, LastUpdate refreshed,
 * `WeightsSet(netuid, uid)` emitted.
 */
import type { HookContext } from "../../../frame/dispatch.js";
import { bytesEqual } from "../../../../../util/bytes.js";
import { ROOT_NETUID } from "../constants.js";
import { subtensorError } from "../errors.js";
import { subtensorEvent } from "../events.js";
import { Owner, Weights } from "../storage.js";
import { hotkeyAccountExists } from "../subnetsInit.js";
import {
  checkLenUidsWithinAllowed,
  checkLength,
  checkRateLimit,
  checkValidatorPermit,
  checkVersionKey,
  checkWeightsMinStake,
  containsInvalidRootUids,
  containsInvalidUids,
  hasDuplicateUids,
  ifSubnetExist,
  isHotkeyRegisteredOnNetwork,
  maxWeightLimited,
  setLastUpdateForUid,
  uidForNetAndHotkey,
  uidsMatchValues,
} from "./checks.js";
import { vecU16MaxUpscaleToU16 } from "./fixed32.js";

export interface WeightsInput {
  netuid: number;
  uids: number[];
  values: number[];
  versionKey: bigint;
}

/** Stores the max-upscaled row, refreshes LastUpdate and emits WeightsSet (steps 14–19 shared by both paths). */
function storeWeights(ctx: HookContext, netuid: number, uid: number, uids: number[], upscaled: number[], currentBlock: bigint): void {
  Weights.put(
    ctx.state,
    uids.map((u, i) => [u, upscaled[i]] as [number, number]),
    netuid,
    uid,
  );
  setLastUpdateForUid(ctx.state, netuid, uid, currentBlock);
  ctx.deposit(subtensorEvent("WeightsSet", [netuid, uid]));
}

/** `do_set_weights`: the hotkey sets its weights on a (non-root) subnet. */
export function doSetWeights(ctx: HookContext, hotkey: Uint8Array, { netuid, uids, values, versionKey }: WeightsInput): void {
  const { state } = ctx;
  if (netuid === ROOT_NETUID) throw subtensorError("CanNotSetRootNetworkWeights");
  if (!uidsMatchValues(uids, values)) throw subtensorError("WeightVecNotEqualSize");
  if (!ifSubnetExist(state, netuid)) throw subtensorError("SubNetworkDoesNotExist");
  if (!checkLenUidsWithinAllowed(state, netuid, uids)) throw subtensorError("UidsLengthExceedUidsInSubNet");
  if (!isHotkeyRegisteredOnNetwork(state, netuid, hotkey)) throw subtensorError("HotKeyNotRegisteredInSubNet");
  if (!checkWeightsMinStake(state, hotkey)) throw subtensorError("NotEnoughStakeToSetWeights");
  if (!checkVersionKey(state, netuid, versionKey)) throw subtensorError("IncorrectWeightVersionKey");

  const uid = uidForNetAndHotkey(state, netuid, hotkey);
  if (uid === null) throw subtensorError("HotKeyNotRegisteredInSubNet");
  const currentBlock = BigInt(ctx.block.number);
  if (!checkRateLimit(state, netuid, uid, currentBlock)) throw subtensorError("SettingWeightsTooFast");
  if (!checkValidatorPermit(state, netuid, uid, uids, values)) throw subtensorError("NeuronNoValidatorPermit");
  if (hasDuplicateUids(uids)) throw subtensorError("DuplicateUids");
  if (containsInvalidUids(state, netuid, uids)) throw subtensorError("UidVecContainInvalidOne");
  if (!checkLength(state, netuid, uid, uids, values)) throw subtensorError("WeightVecLengthIsLow");

  // The limit is checked on the max-upscaled vector, as in Rust (normalization makes it equivalent up to rounding).
  const upscaled = vecU16MaxUpscaleToU16(values);
  if (!maxWeightLimited(state, netuid, uid, uids, upscaled)) throw subtensorError("MaxWeightExceeded");

  storeWeights(ctx, netuid, uid, uids, upscaled, currentBlock);
}

/**
 * `do_set_root_weights`: the coldkey sets the weights of its root-registered hotkey over subnets
 * (the "uids" are netuids). No validator-permit check and no SubnetworkN bound, as in Rust; the
 * root epoch (not here) turns these rows into emission shares.
 */
export function doSetRootWeights(ctx: HookContext, coldkey: Uint8Array, hotkey: Uint8Array, { netuid, uids, values, versionKey }: WeightsInput): void {
  const { state } = ctx;
  if (!hotkeyAccountExists(state, hotkey)) throw subtensorError("HotKeyAccountNotExists");
  if (!bytesEqual(Owner.get(state, hotkey), coldkey)) throw subtensorError("NonAssociatedColdKey");
  if (!ifSubnetExist(state, netuid)) throw subtensorError("SubNetworkDoesNotExist");
  if (netuid !== ROOT_NETUID) throw subtensorError("NotRootSubnet");
  if (!uidsMatchValues(uids, values)) throw subtensorError("WeightVecNotEqualSize");
  if (containsInvalidRootUids(state, uids)) throw subtensorError("UidVecContainInvalidOne");
  if (!isHotkeyRegisteredOnNetwork(state, netuid, hotkey)) throw subtensorError("HotKeyNotRegisteredInSubNet");
  if (!checkWeightsMinStake(state, hotkey)) throw subtensorError("NotEnoughStakeToSetWeights");
  if (!checkVersionKey(state, netuid, versionKey)) throw subtensorError("IncorrectWeightVersionKey");

  const uid = uidForNetAndHotkey(state, netuid, hotkey);
  if (uid === null) throw subtensorError("HotKeyNotRegisteredInSubNet");
  const currentBlock = BigInt(ctx.block.number);
  if (!checkRateLimit(state, netuid, uid, currentBlock)) throw subtensorError("SettingWeightsTooFast");
  if (hasDuplicateUids(uids)) throw subtensorError("DuplicateUids");
  if (!checkLength(state, netuid, uid, uids, values)) throw subtensorError("WeightVecLengthIsLow");

  const upscaled = vecU16MaxUpscaleToU16(values);
  if (!maxWeightLimited(state, netuid, uid, uids, upscaled)) throw subtensorError("MaxWeightExceeded");

  storeWeights(ctx, netuid, uid, uids, upscaled, currentBlock);
}
