/**
 * Commit-reveal of weights, version 1 (weights.rs at de1026780): a hotkey commits
 * BlakeTwo256(SCALE(hotkey, netuid, uids, values, salt, version_key)) and reveals the preimage in
 * the `WeightCommitRevealInterval`-block window that follows the window of its commit; the reveal
 * then goes through `do_set_weights` with all its checks.
 *
 * Windows are aligned on multiples of the interval: [k·I, (k+1)·I). One commit per hotkey and
 * subnet is kept; as in Rust, a successful reveal leaves it in storage (the next commit, allowed
 * from the next window on, overwrites it).
 */
import { tuple, u16, u64, vec, type Codec } from "../../../../codec/scale.js";
import { AccountId32 } from "../../../../codec/types.js";
import type { HookContext } from "../../../frame/dispatch.js";
import { blake2_256 } from "../../../../../util/hash.js";
import { bytesEqual } from "../../../../../util/bytes.js";
import { subtensorError } from "../errors.js";
import { CommitRevealWeightsEnabled, WeightCommitRevealInterval, WeightCommits } from "../storage.js";
import { doSetWeights, type WeightsInput } from "./setWeights.js";

/** (hotkey, netuid, uids, values, salt, version_key), SCALE-encoded as Rust's tuple. */
const CommitPreimage = tuple(AccountId32, u16, vec(u16), vec(u16), vec(u16), u64) as Codec<[Uint8Array, number, number[], number[], number[], bigint]>;

/** `BlakeTwo256::hash_of(&(who, netuid, uids, values, salt, version_key))`. */
export function commitHash(hotkey: Uint8Array, netuid: number, uids: readonly number[], values: readonly number[], salt: readonly number[], versionKey: bigint): Uint8Array {
  return blake2_256(CommitPreimage.encode([hotkey, netuid, [...uids], [...values], [...salt], versionKey]));
}

const intervalStart = (block: bigint, interval: bigint): bigint => block - (block % interval);

/**
 * `can_commit`: no previous commit, a zero interval, or the current window starts after the
 * previous commit's window (and, as Rust writes it, the current block is within that window).
 */
export function canCommit(ctx: HookContext, netuid: number, who: Uint8Array): boolean {
  const prev = WeightCommits.get(ctx.state, netuid, who);
  if (prev === null) return true;
  const interval = WeightCommitRevealInterval.get(ctx.state, netuid);
  if (interval === 0n) return true;
  const current = BigInt(ctx.block.number);
  const start = intervalStart(current, interval);
  const lastStart = intervalStart(prev[1], interval);
  return current <= start + interval && start > lastStart;
}

/** `is_reveal_block_range`: the current block lies in the window right after the commit's window. */
export function isRevealBlockRange(ctx: HookContext, netuid: number, commitBlock: bigint): boolean {
  const interval = WeightCommitRevealInterval.get(ctx.state, netuid);
  if (interval === 0n) return true;
  const revealStart = intervalStart(commitBlock, interval) + interval;
  const current = BigInt(ctx.block.number);
  return current >= revealStart && current < revealStart + interval;
}

/** `do_commit_weights`. */
export function doCommitWeights(ctx: HookContext, who: Uint8Array, netuid: number, hash: Uint8Array): void {
  if (!CommitRevealWeightsEnabled.get(ctx.state, netuid)) throw subtensorError("CommitRevealDisabled");
  if (!canCommit(ctx, netuid, who)) throw subtensorError("WeightsCommitNotAllowed");
  WeightCommits.put(ctx.state, [hash, BigInt(ctx.block.number)], netuid, who);
}

/** `do_reveal_weights`: commit found, right window, matching hash, then `do_set_weights`. */
export function doRevealWeights(ctx: HookContext, who: Uint8Array, input: WeightsInput & { salt: number[] }): void {
  const { netuid } = input;
  if (!CommitRevealWeightsEnabled.get(ctx.state, netuid)) throw subtensorError("CommitRevealDisabled");
  const commit = WeightCommits.get(ctx.state, netuid, who);
  if (commit === null) throw subtensorError("NoWeightsCommitFound");
  const [hash, commitBlock] = commit;
  if (!isRevealBlockRange(ctx, netuid, commitBlock)) throw subtensorError("InvalidRevealCommitTempo");
  if (!bytesEqual(commitHash(who, netuid, input.uids, input.values, input.salt, input.versionKey), hash)) {
    throw subtensorError("InvalidRevealCommitHashNotMatch");
  }
  doSetWeights(ctx, who, input);
}
