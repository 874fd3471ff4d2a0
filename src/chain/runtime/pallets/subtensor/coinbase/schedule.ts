/**
 * When a network runs its epoch: Subtensor's `blocks_until_next_epoch` (run_coinbase.rs at
 * 688d4a7ff; block_step.rs at de1026780 computes the same, with 1000 instead of u64::MAX for
 * tempo 0):
 *
 *   blocks_until_next_epoch = tempo − ((block + netuid + 1) mod (tempo + 1)),   u64::MAX for tempo 0
 *
 * and the epoch runs when it is 0, i.e. when the remainder equals `tempo`: once every tempo + 1
 * blocks, staggered by netuid, never with tempo 0. (Subtensor's doc comment says "when
 * (block + netuid + 1) % (tempo + 1) = 0", which is one block later than its code; the code is
 * what runs, and what the Bittensor SDK computes client-side to time weight setting.)
 *
 * Pure: the same function times the subnets' Yuma epochs (coinbase.ts) and the root epoch
 * (subnetSplit.ts), and clients can reproduce it from `Tempo` and the block number.
 */
import { U64_MAX } from "../constants.js";

/** Rust's u64 `saturating_add`. */
const satAdd = (a: bigint, b: bigint): bigint => (a + b > U64_MAX ? U64_MAX : a + b);

/** Blocks until `netuid`'s next epoch: 0 on an epoch block; u64::MAX for tempo 0 (never). */
export function blocksUntilNextEpoch(netuid: number, tempo: number, block: bigint): bigint {
  if (tempo === 0) return U64_MAX;
  const tempoPlusOne = BigInt(tempo) + 1n;
  const remainder = satAdd(block, BigInt(netuid) + 1n) % tempoPlusOne;
  return BigInt(tempo) - remainder;
}

/** Whether `block` is an epoch block of `netuid` (Subtensor's `should_run_epoch`). */
export function isEpochBlock(netuid: number, tempo: number, block: bigint): boolean {
  return blocksUntilNextEpoch(netuid, tempo, block) === 0n;
}
