/**
 * `do_add_stake` / `do_remove_stake` (staking.rs at de1026780): the checks in Subtensor's order,
 * then the ledger update, the balance move, the rate-limit bookkeeping and the event.
 */
import type { DispatchContext } from "../../../frame/dispatch.js";
import { subtensorError } from "../errors.js";
import { subtensorEvent } from "../events.js";
import { LastTxBlock, NominatorMinRequiredStake, Stake } from "../storage.js";
import { addBalanceToColdkeyAccount, canRemoveBalanceFromColdkeyAccount, removeBalanceFromColdkeyAccount } from "./coldkeyBalance.js";
import {
  clearSmallNominationIfRequired,
  coldkeyOwnsHotkey,
  decreaseStakeOnColdkeyHotkeyAccount,
  getStakeForColdkeyAndHotkey,
  hasEnoughStake,
  hotkeyAccountExists,
  hotkeyIsDelegate,
  increaseStakeOnColdkeyHotkeyAccount,
  saturatingAdd,
} from "./ledger.js";
import { getStakesThisIntervalForColdkeyHotkey, getTargetStakesPerInterval, setStakesThisIntervalForColdkeyHotkey } from "./rateLimits.js";

/** Staking and unstaking need the hotkey to exist and to be a delegate or the caller's own. */
function ensureMayStakeTo(ctx: DispatchContext, coldkey: Uint8Array, hotkey: Uint8Array): void {
  if (!hotkeyAccountExists(ctx.state, hotkey)) throw subtensorError("HotKeyAccountNotExists");
  if (!hotkeyIsDelegate(ctx.state, hotkey) && !coldkeyOwnsHotkey(ctx.state, coldkey, hotkey)) {
    throw subtensorError("HotKeyNotDelegateAndSignerNotOwnHotKey");
  }
}

/**
 * add_stake: moves up to `amount` from the coldkey's free balance (which keeps the existential
 * deposit) into Stake[hotkey][coldkey]; StakeAdded carries the amount actually staked.
 */
export function doAddStake(ctx: DispatchContext, coldkey: Uint8Array, hotkey: Uint8Array, amount: bigint): void {
  const { state } = ctx;
  if (!canRemoveBalanceFromColdkeyAccount(state, coldkey, amount)) throw subtensorError("NotEnoughBalanceToStake");
  ensureMayStakeTo(ctx, coldkey, hotkey);

  const block = BigInt(ctx.block.number);
  const stakesThisInterval = getStakesThisIntervalForColdkeyHotkey(state, coldkey, hotkey, block);
  if (stakesThisInterval >= getTargetStakesPerInterval(state)) throw subtensorError("StakeRateLimitExceeded");

  // A nomination (stake on someone else's hotkey) must end up at or above the nominator minimum.
  if (!coldkeyOwnsHotkey(state, coldkey, hotkey)) {
    const after = saturatingAdd(Stake.get(state, hotkey, coldkey), amount);
    if (after < NominatorMinRequiredStake.get(state)) throw subtensorError("NomStakeBelowMinimumThreshold");
  }

  const staked = removeBalanceFromColdkeyAccount(ctx, coldkey, amount);
  increaseStakeOnColdkeyHotkeyAccount(state, coldkey, hotkey, staked);

  LastTxBlock.put(state, block, coldkey);
  setStakesThisIntervalForColdkeyHotkey(state, coldkey, hotkey, saturatingAdd(stakesThisInterval, 1n), block);
  ctx.deposit(subtensorEvent("StakeAdded", [hotkey, staked]));
}

/**
 * remove_stake: moves `amount` of Stake[hotkey][coldkey] back to the coldkey's free balance; a
 * nomination left below the nominator minimum is cleared entirely (its rest is returned too).
 */
export function doRemoveStake(ctx: DispatchContext, coldkey: Uint8Array, hotkey: Uint8Array, amount: bigint): void {
  const { state } = ctx;
  ensureMayStakeTo(ctx, coldkey, hotkey);
  if (amount === 0n) throw subtensorError("StakeToWithdrawIsZero");
  if (!hasEnoughStake(state, coldkey, hotkey, amount)) throw subtensorError("NotEnoughStakeToWithdraw");

  const block = BigInt(ctx.block.number);
  const unstakesThisInterval = getStakesThisIntervalForColdkeyHotkey(state, coldkey, hotkey, block);
  if (unstakesThisInterval >= getTargetStakesPerInterval(state)) throw subtensorError("UnstakeRateLimitExceeded");

  decreaseStakeOnColdkeyHotkeyAccount(state, coldkey, hotkey, amount);
  addBalanceToColdkeyAccount(ctx, coldkey, amount);
  clearSmallNominationIfRequired(ctx, hotkey, coldkey, getStakeForColdkeyAndHotkey(state, coldkey, hotkey));

  LastTxBlock.put(state, block, coldkey);
  setStakesThisIntervalForColdkeyHotkey(state, coldkey, hotkey, saturatingAdd(unstakesThisInterval, 1n), block);
  ctx.deposit(subtensorEvent("StakeRemoved", [hotkey, amount]));
}
