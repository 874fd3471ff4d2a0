/**
 * Delegation (staking.rs at de1026780): `do_become_delegate`, `do_decrease_take`,
 * `do_increase_take`. Takes are u16 proportions of 65535 (11796 ≈ 18 %).
 *
 * Classic quirks kept as they are: decrease_take and increase_take do not require the hotkey to be
 * a delegate already (on a non-delegate they simply insert the take, which makes it one), and
 * decrease_take checks only MinTake, increase_take only MaxTake.
 */
import type { DispatchContext } from "../../../frame/dispatch.js";
import type { StorageAccess } from "../../../../state/types.js";
import { subtensorError } from "../errors.js";
import { subtensorEvent } from "../events.js";
import { Delegates, LastTxBlock, LastTxBlockDelegateTake, MaxTake, MinTake } from "../storage.js";
import { coldkeyOwnsHotkey, delegateHotkey, hotkeyAccountExists, hotkeyIsDelegate } from "./ledger.js";
import { exceedsTxDelegateTakeRateLimit, exceedsTxRateLimit } from "./rateLimits.js";

/** `do_take_checks`: the hotkey exists and the caller owns it. */
function doTakeChecks(ctx: DispatchContext, coldkey: Uint8Array, hotkey: Uint8Array): void {
  if (!hotkeyAccountExists(ctx.state, hotkey)) throw subtensorError("HotKeyAccountNotExists");
  if (!coldkeyOwnsHotkey(ctx.state, coldkey, hotkey)) throw subtensorError("NonAssociatedColdKey");
}

/** `get_default_take`: the maximum take (MaxTake, 18 % by default). */
export function getDefaultTake(state: StorageAccess): number {
  return MaxTake.get(state);
}

/** become_delegate: opens the caller's hotkey for nomination with `take` (the default take). */
export function doBecomeDelegate(ctx: DispatchContext, coldkey: Uint8Array, hotkey: Uint8Array, take: number): void {
  const { state } = ctx;
  doTakeChecks(ctx, coldkey, hotkey);
  if (hotkeyIsDelegate(state, hotkey)) throw subtensorError("HotKeyAlreadyDelegate");
  const block = BigInt(ctx.block.number);
  if (exceedsTxRateLimit(state, LastTxBlock.get(state, coldkey), block)) throw subtensorError("DelegateTxRateLimitExceeded");
  if (take < MinTake.get(state)) throw subtensorError("DelegateTakeTooLow");
  if (take > MaxTake.get(state)) throw subtensorError("DelegateTakeTooHigh");

  delegateHotkey(state, hotkey, take);
  LastTxBlock.put(state, block, coldkey);
  LastTxBlockDelegateTake.put(state, block, coldkey);
  ctx.deposit(subtensorEvent("DelegateAdded", [coldkey, hotkey, take]));
}

/** decrease_take: a strictly lower take, not below MinTake; not rate-limited. */
export function doDecreaseTake(ctx: DispatchContext, coldkey: Uint8Array, hotkey: Uint8Array, take: number): void {
  const { state } = ctx;
  doTakeChecks(ctx, coldkey, hotkey);
  const current = Delegates.exists(state, hotkey) ? Delegates.get(state, hotkey) : null;
  if (current !== null && take >= current) throw subtensorError("DelegateTakeTooLow");
  if (take < MinTake.get(state)) throw subtensorError("DelegateTakeTooLow");

  Delegates.put(state, take, hotkey);
  ctx.deposit(subtensorEvent("TakeDecreased", [coldkey, hotkey, take]));
}

/** increase_take: a strictly higher take, not above MaxTake, at most once per TxDelegateTakeRateLimit. */
export function doIncreaseTake(ctx: DispatchContext, coldkey: Uint8Array, hotkey: Uint8Array, take: number): void {
  const { state } = ctx;
  doTakeChecks(ctx, coldkey, hotkey);
  const current = Delegates.exists(state, hotkey) ? Delegates.get(state, hotkey) : null;
  if (current !== null && take <= current) throw subtensorError("DelegateTakeTooLow");
  if (take > MaxTake.get(state)) throw subtensorError("DelegateTakeTooHigh");
  const block = BigInt(ctx.block.number);
  if (exceedsTxDelegateTakeRateLimit(state, LastTxBlockDelegateTake.get(state, coldkey), block)) {
    throw subtensorError("DelegateTxRateLimitExceeded");
  }

  LastTxBlockDelegateTake.put(state, block, coldkey);
  Delegates.put(state, take, hotkey);
  ctx.deposit(subtensorEvent("TakeIncreased", [coldkey, hotkey, take]));
}
