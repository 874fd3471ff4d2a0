/**
 * When a network runs its epoch: on blocks where (block + netuid + 1) mod (tempo + 1) == 0, once
 * every tempo + 1 blocks, staggered by netuid; never with tempo 0. This is the schedule of issue 4
 * and DESIGN.md, and what classic Subtensor's doc comment on `blocks_until_next_epoch` states.
 *
 * Note: Subtensor's code (block_step.rs at de1026780, run_coinbase.rs later) computes
 * `tempo − (block + netuid + 1) mod (tempo + 1)` and runs the epoch when that is 0, i.e. when the
 * remainder equals `tempo` — one block EARLIER than its comment (its table: tempo 100, netuid 0
 * first runs at block 99). We follow the stated schedule; the code's timing would be
 * `return BigInt(tempo) - r` below.
 */

/** Blocks until `netuid`'s next epoch (0 on an epoch block); Subtensor's 1000 for tempo 0 (never). */
export function blocksUntilNextEpoch(netuid: number, tempo: number, block: bigint): bigint {
  if (tempo === 0) return 1000n;
  const period = BigInt(tempo) + 1n;
  const r = (block + BigInt(netuid) + 1n) % period;
  return r === 0n ? 0n : period - r;
}

/** Whether `block` is an epoch block of `netuid`. */
export function isEpochBlock(netuid: number, tempo: number, block: bigint): boolean {
  return blocksUntilNextEpoch(netuid, tempo, block) === 0n;
}
