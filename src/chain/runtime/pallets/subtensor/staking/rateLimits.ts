/**
 * The rate limits of staking, delegation and key swaps (utils.rs / staking.rs at de1026780).
 *
 * - `TxRateLimit` (1000 blocks) since the coldkey's `LastTxBlock`: become_delegate, swap_hotkey
 *   (add_stake / remove_stake only record the block).
 * - `TxDelegateTakeRateLimit` (216 000 blocks) since `LastTxBlockDelegateTake`: increase_take.
 * - `TargetStakesPerInterval` stake operations (add or remove) per (coldkey, hotkey) per
 *   `StakeInterval` blocks, counted in `TotalHotkeyColdkeyStakesThisInterval`.
 */
import type { StorageAccess } from "../../../../state/types.js";
import { StakeInterval, TargetStakesPerInterval, TotalHotkeyColdkeyStakesThisInterval, TxDelegateTakeRateLimit, TxRateLimit } from "../storage.js";
import { saturatingAdd } from "./ledger.js";

/** `exceeds_tx_rate_limit`: a previous transaction (block ≠ 0) within TxRateLimit blocks (limit 0 = off). */
export function exceedsTxRateLimit(state: StorageAccess, prevTxBlock: bigint, currentBlock: bigint): boolean {
  const limit = TxRateLimit.get(state);
  if (limit === 0n || prevTxBlock === 0n) return false;
  return currentBlock - prevTxBlock <= limit;
}

/** `exceeds_tx_delegate_take_rate_limit`: the same with TxDelegateTakeRateLimit. */
export function exceedsTxDelegateTakeRateLimit(state: StorageAccess, prevTxBlock: bigint, currentBlock: bigint): boolean {
  const limit = TxDelegateTakeRateLimit.get(state);
  if (limit === 0n || prevTxBlock === 0n) return false;
  return currentBlock - prevTxBlock <= limit;
}

/**
 * `get_stakes_this_interval_for_coldkey_hotkey`: stake operations of this pair in the current
 * interval. An interval ends StakeInterval blocks after the pair's last operation; then the count
 * is reset to 0 (written, keeping the old block) and 0 is returned.
 *
 * Note the key order: the Rust declaration says (hot, cold) but every access passes
 * (coldkey, hotkey), so the stored keys are coldkey first; we store them as Subtensor does.
 */
export function getStakesThisIntervalForColdkeyHotkey(state: StorageAccess, coldkey: Uint8Array, hotkey: Uint8Array, currentBlock: bigint): bigint {
  const [stakes, lastBlock] = TotalHotkeyColdkeyStakesThisInterval.get(state, coldkey, hotkey);
  if (saturatingAdd(lastBlock, StakeInterval.get(state)) <= currentBlock) {
    setStakesThisIntervalForColdkeyHotkey(state, coldkey, hotkey, 0n, lastBlock);
    return 0n;
  }
  return stakes;
}

/** `set_stakes_this_interval_for_coldkey_hotkey`. */
export function setStakesThisIntervalForColdkeyHotkey(state: StorageAccess, coldkey: Uint8Array, hotkey: Uint8Array, stakes: bigint, block: bigint): void {
  TotalHotkeyColdkeyStakesThisInterval.put(state, [stakes, block], coldkey, hotkey);
}

/** `get_target_stakes_per_interval`. */
export function getTargetStakesPerInterval(state: StorageAccess): bigint {
  return TargetStakesPerInterval.get(state);
}
