/**
 * The weight-extrinsic arm of classic Subtensor's `SubtensorSignedExtension::validate`
 * (lib.rs at de1026780): `set_weights`, `commit_weights`, `reveal_weights` (checked on the
 * signer) and `set_root_weights` (checked on its `hotkey` argument) are refused before inclusion
 * with `InvalidTransaction::Call` when the hotkey's total stake is below WeightsMinStake, and
 * otherwise ordered by `get_priority_set_weights`.
 */
import type { ReadAccess } from "../../../../state/types.js";
import type { ValidateContext } from "../../../frame/pallet.js";
import { invalid } from "../../../validity.js";
import { checkWeightsMinStake, lastUpdateForUid, uidForNetAndHotkey } from "./checks.js";

const U32_MAX = 0xffff_ffffn;
const U64_MAX = (1n << 64n) - 1n;

/**
 * `get_priority_set_weights`: blocks since the neuron's LastUpdate plus u32::MAX (so a validator
 * that waited longer goes first); 0 for a hotkey without a uid on the subnet. The Rust code reads
 * the stake but does not use it.
 */
export function prioritySetWeights(state: ReadAccess, hotkey: Uint8Array, netuid: number, currentBlock: bigint): bigint {
  const uid = uidForNetAndHotkey(state, netuid, hotkey);
  if (uid === null) return 0n;
  const last = lastUpdateForUid(state, netuid, uid);
  const since = currentBlock > last ? currentBlock - last : 0n;
  const p = since + U32_MAX;
  return p > U64_MAX ? U64_MAX : p;
}

/** The guard itself: throws InvalidTransaction::Call below the stake threshold, else returns the priority. */
export function validateWeightsCall(ctx: ValidateContext, hotkey: Uint8Array, netuid: number): { priority: bigint } {
  if (!checkWeightsMinStake(ctx.state, hotkey)) throw invalid("Call");
  return { priority: prioritySetWeights(ctx.state, hotkey, netuid, BigInt(ctx.current)) };
}
