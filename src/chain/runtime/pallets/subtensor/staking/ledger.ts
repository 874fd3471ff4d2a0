/**
 * The classic stake ledger (staking.rs at de1026780, with the StakingHotkeys upkeep of July 2024):
 * `Stake[hotkey][coldkey]` and its three running totals `TotalHotkeyStake[hotkey]`,
 * `TotalColdkeyStake[coldkey]` and `TotalStake`, which every stake change updates together so that
 * TotalStake == Σ Stake == Σ TotalHotkeyStake == Σ TotalColdkeyStake always holds.
 *
 * These are the functions other SubtensorModule code calls (emission payout, registration,
 * swap_hotkey, root): the names are Subtensor's, in camelCase. The increase/decrease functions move
 * no TAO: taking it from or giving it to a free balance is the caller's job (coldkeyBalance.ts),
 * and emission must `coinbase` what it credits. Only the nomination clean-ups at the end return
 * stake to free balances themselves. None of them changes SubtensorModule.TotalIssuance: staked
 * TAO stays counted in it.
 */
import type { StorageAccess } from "../../../../state/types.js";
import type { HookContext } from "../../../frame/dispatch.js";
import { bytesEqual } from "../../../../../util/bytes.js";
import { U64_MAX } from "../constants.js";
import { Delegates, NominatorMinRequiredStake, Owner, Stake, StakingHotkeys, TotalColdkeyStake, TotalHotkeyStake, TotalStake } from "../storage.js";
import { coldkeyOwnsHotkey } from "../subnetsInit.js";
import { addBalanceToColdkeyAccount } from "./coldkeyBalance.js";

export { coldkeyOwnsHotkey, createAccountIfNonExistent, hotkeyAccountExists } from "../subnetsInit.js";

/** u64 saturating add / sub, as the Rust ledger does every update. */
export const saturatingAdd = (a: bigint, b: bigint): bigint => (a + b > U64_MAX ? U64_MAX : a + b);
export const saturatingSub = (a: bigint, b: bigint): bigint => (a > b ? a - b : 0n);

// ------------------------------------------------------------------ delegates

/** `hotkey_is_delegate`: the hotkey has a Delegates entry (is open for nomination). */
export function hotkeyIsDelegate(state: StorageAccess, hotkey: Uint8Array): boolean {
  return Delegates.exists(state, hotkey);
}

/** `delegate_hotkey`: opens the hotkey for nomination with this take. */
export function delegateHotkey(state: StorageAccess, hotkey: Uint8Array, take: number): void {
  Delegates.put(state, take, hotkey);
}

/** `get_hotkey_take` (the default take when the hotkey is not a delegate, as the ValueQuery gives). */
export function getHotkeyTake(state: StorageAccess, hotkey: Uint8Array): number {
  return Delegates.get(state, hotkey);
}

/** `get_owning_coldkey_for_hotkey` (the all-zero account for an unknown hotkey). */
export function getOwningColdkeyForHotkey(state: StorageAccess, hotkey: Uint8Array): Uint8Array {
  return Owner.get(state, hotkey);
}

// ------------------------------------------------------------------ reads

export function getTotalStake(state: StorageAccess): bigint {
  return TotalStake.get(state);
}

export function getTotalStakeForHotkey(state: StorageAccess, hotkey: Uint8Array): bigint {
  return TotalHotkeyStake.get(state, hotkey);
}

export function getTotalStakeForColdkey(state: StorageAccess, coldkey: Uint8Array): bigint {
  return TotalColdkeyStake.get(state, coldkey);
}

export function getStakeForColdkeyAndHotkey(state: StorageAccess, coldkey: Uint8Array, hotkey: Uint8Array): bigint {
  return Stake.get(state, hotkey, coldkey);
}

/** `has_enough_stake`: the (coldkey, hotkey) stake covers the decrement. */
export function hasEnoughStake(state: StorageAccess, coldkey: Uint8Array, hotkey: Uint8Array, decrement: bigint): boolean {
  return getStakeForColdkeyAndHotkey(state, coldkey, hotkey) >= decrement;
}

// ------------------------------------------------------------------ writes

export function increaseTotalStake(state: StorageAccess, increment: bigint): void {
  TotalStake.put(state, saturatingAdd(TotalStake.get(state), increment));
}

export function decreaseTotalStake(state: StorageAccess, decrement: bigint): void {
  TotalStake.put(state, saturatingSub(TotalStake.get(state), decrement));
}

/**
 * `increase_stake_on_coldkey_hotkey_account`: adds to the (hotkey, coldkey) stake and to the three
 * totals, and records the hotkey in the coldkey's StakingHotkeys (July 2024 upkeep).
 */
export function increaseStakeOnColdkeyHotkeyAccount(state: StorageAccess, coldkey: Uint8Array, hotkey: Uint8Array, increment: bigint): void {
  TotalColdkeyStake.put(state, saturatingAdd(TotalColdkeyStake.get(state, coldkey), increment), coldkey);
  TotalHotkeyStake.put(state, saturatingAdd(TotalHotkeyStake.get(state, hotkey), increment), hotkey);
  Stake.put(state, saturatingAdd(Stake.get(state, hotkey, coldkey), increment), hotkey, coldkey);
  increaseTotalStake(state, increment);
  const staking = StakingHotkeys.get(state, coldkey);
  if (!staking.some((h) => bytesEqual(h, hotkey))) StakingHotkeys.put(state, [...staking, hotkey], coldkey);
}

/**
 * `decrease_stake_on_coldkey_hotkey_account`: subtracts from the stake and the totals (saturating).
 * The Stake entry stays (possibly at 0) and so does the StakingHotkeys entry, as in Subtensor.
 */
export function decreaseStakeOnColdkeyHotkeyAccount(state: StorageAccess, coldkey: Uint8Array, hotkey: Uint8Array, decrement: bigint): void {
  TotalColdkeyStake.put(state, saturatingSub(TotalColdkeyStake.get(state, coldkey), decrement), coldkey);
  TotalHotkeyStake.put(state, saturatingSub(TotalHotkeyStake.get(state, hotkey), decrement), hotkey);
  Stake.put(state, saturatingSub(Stake.get(state, hotkey, coldkey), decrement), hotkey, coldkey);
  decreaseTotalStake(state, decrement);
}

/** `increase_stake_on_hotkey_account`: stake credited to the hotkey's owner (emission to non-delegates). */
export function increaseStakeOnHotkeyAccount(state: StorageAccess, hotkey: Uint8Array, increment: bigint): void {
  increaseStakeOnColdkeyHotkeyAccount(state, getOwningColdkeyForHotkey(state, hotkey), hotkey, increment);
}

/** `decrease_stake_on_hotkey_account`. */
export function decreaseStakeOnHotkeyAccount(state: StorageAccess, hotkey: Uint8Array, decrement: bigint): void {
  decreaseStakeOnColdkeyHotkeyAccount(state, getOwningColdkeyForHotkey(state, hotkey), hotkey, decrement);
}

/**
 * `empty_stake_on_coldkey_hotkey_account`: removes the (hotkey, coldkey) entry entirely, takes it
 * out of the totals and of StakingHotkeys, and returns the amount. The caller credits it back.
 *
 * Classic de1026780 also subtracted the amount from SubtensorModule.TotalIssuance here although the
 * caller returns it to the free balance (an accounting bug Subtensor removed on 2024-07-24,
 * f9b682880); we follow the fixed version so TotalIssuance keeps matching balances + stake.
 */
export function emptyStakeOnColdkeyHotkeyAccount(state: StorageAccess, coldkey: Uint8Array, hotkey: Uint8Array): bigint {
  const current = Stake.get(state, hotkey, coldkey);
  TotalColdkeyStake.put(state, saturatingSub(TotalColdkeyStake.get(state, coldkey), current), coldkey);
  TotalHotkeyStake.put(state, saturatingSub(TotalHotkeyStake.get(state, hotkey), current), hotkey);
  Stake.remove(state, hotkey, coldkey);
  decreaseTotalStake(state, current);
  const staking = StakingHotkeys.get(state, coldkey);
  StakingHotkeys.put(
    state,
    staking.filter((h) => !bytesEqual(h, hotkey)),
    coldkey,
  );
  return current;
}

/**
 * `clear_small_nomination_if_required`: a nomination (the coldkey does not own the hotkey) left
 * below NominatorMinRequiredStake is removed and its stake returned to the coldkey's balance.
 */
export function clearSmallNominationIfRequired(ctx: Pick<HookContext, "state" | "deposit">, hotkey: Uint8Array, coldkey: Uint8Array, stake: bigint): void {
  if (coldkeyOwnsHotkey(ctx.state, coldkey, hotkey)) return;
  if (stake >= NominatorMinRequiredStake.get(ctx.state)) return;
  const cleared = emptyStakeOnColdkeyHotkeyAccount(ctx.state, coldkey, hotkey);
  addBalanceToColdkeyAccount(ctx, coldkey, cleared);
}

/** `clear_small_nominations`: the same for every Stake entry (run when the minimum is raised). */
export function clearSmallNominations(ctx: Pick<HookContext, "state" | "deposit">): void {
  for (const { keys, value } of Stake.entries(ctx.state)) {
    const [hotkey, coldkey] = keys;
    clearSmallNominationIfRequired(ctx, hotkey, coldkey, value);
  }
}

/**
 * `unstake_all_coldkeys_from_hotkey_account`: every coldkey's stake on the hotkey goes back to its
 * free balance (a pruned neuron that is registered nowhere else). Entries stay at 0, as in Subtensor.
 */
export function unstakeAllColdkeysFromHotkeyAccount(ctx: Pick<HookContext, "state" | "deposit">, hotkey: Uint8Array): void {
  for (const { keys, value } of Stake.entries(ctx.state, hotkey)) {
    const coldkey = keys[1];
    decreaseStakeOnColdkeyHotkeyAccount(ctx.state, coldkey, hotkey, value);
    addBalanceToColdkeyAccount(ctx, coldkey, value);
  }
}
