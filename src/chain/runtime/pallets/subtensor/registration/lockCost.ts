/**
 * The subnet lock cost (classic `get_network_lock_cost`, root.rs at de1026780):
 *
 *   lock = max(min_lock, last_lock × mult − (last_lock / reduction_interval) × (block − last_lock_block))
 *
 * with mult = 1 before any `register_network` (NetworkLastRegistered = 0), else 2, all in
 * saturating u64 with integer division. So each registration doubles the price, which then decays
 * linearly back over `NetworkLockReductionInterval` blocks (14 days) to the minimum.
 */
import type { ReadAccess } from "../../../../state/types.js";
import { U64_MAX } from "../constants.js";
import { NetworkLastLockCost, NetworkLastRegistered, NetworkLockReductionInterval, NetworkMinLockCost } from "../storage.js";
import { satMul64, satSub64 } from "./math.js";

export function getNetworkLockCost(state: ReadAccess, block: bigint): bigint {
  const lastLock = NetworkLastLockCost.get(state);
  const minLock = NetworkMinLockCost.get(state);
  const lastLockBlock = NetworkLastRegistered.get(state);
  const interval = NetworkLockReductionInterval.get(state);
  const mult = lastLockBlock === 0n ? 1n : 2n;
  const elapsed = satSub64(block, lastLockBlock);
  // Rust's u64 division by a zero interval would panic; we read a zero interval as "no decay
  // window": the price falls back to the minimum as soon as a block has passed.
  const perBlock = interval === 0n ? (elapsed === 0n ? 0n : U64_MAX) : lastLock / interval;
  const cost = satSub64(satMul64(lastLock, mult), satMul64(perBlock, elapsed));
  return cost < minLock ? minLock : cost;
}
