/**
 * `do_swap_hotkey` (registration.rs at de1026780): the checks in that order and the 1 TAO burn;
 * then everything keyed by the old hotkey moves to the new one. The move list is the classic one
 * as completed in July 2024 (`perform_hotkey_swap`, swap_hotkey.rs d790ab394): Owner,
 * OwnedHotkeys, TotalHotkeyStake, Stake (+ StakingHotkeys of every staker), the stake rate-limit
 * counters, LastTxBlock / LastTxBlockDelegateTake, Delegates, and on every subnet the hotkey is a
 * member of: IsNetworkMember, Uids/Keys, Axons, Prometheus, WeightCommits, LoadedEmission.
 * Per-UID state (weights, bonds, emission vectors …) is indexed by UID and stays where it is.
 */
import { isHotkeyRegisteredOnAnyNetwork } from "../subnetsInit.js";
import type { DispatchContext } from "../../../frame/dispatch.js";
import type { StorageAccess } from "../../../../state/types.js";
import { bytesEqual } from "../../../../../util/bytes.js";
import { HOTKEY_SWAP_COST } from "../constants.js";
import { subtensorError } from "../errors.js";
import { subtensorEvent } from "../events.js";
import {
  Axons,
  Delegates,
  IsNetworkMember,
  Keys,
  LastTxBlock,
  LastTxBlockDelegateTake,
  LoadedEmission,
  OwnedHotkeys,
  Owner,
  Prometheus,
  Stake,
  StakingHotkeys,
  TotalHotkeyColdkeyStakesThisInterval,
  TotalHotkeyStake,
  Uids,
  WeightCommits,
} from "../storage.js";
import { burnTokens, canRemoveBalanceFromColdkeyAccount, removeBalanceFromColdkeyAccount } from "./coldkeyBalance.js";
import { coldkeyOwnsHotkey, saturatingAdd } from "./ledger.js";
import { exceedsTxRateLimit } from "./rateLimits.js";


/** swap_hotkey: the caller's `oldHotkey` becomes `newHotkey` everywhere, for a 1 TAO burn. */
export function doSwapHotkey(ctx: DispatchContext, coldkey: Uint8Array, oldHotkey: Uint8Array, newHotkey: Uint8Array): void {
  const { state } = ctx;
  if (!coldkeyOwnsHotkey(state, coldkey, oldHotkey)) throw subtensorError("NonAssociatedColdKey");
  const block = BigInt(ctx.block.number);
  if (exceedsTxRateLimit(state, LastTxBlock.get(state, coldkey), block)) throw subtensorError("HotKeySetTxRateLimitExceeded");
  if (bytesEqual(oldHotkey, newHotkey)) throw subtensorError("NewHotKeyIsSameWithOld");
  if (isHotkeyRegisteredOnAnyNetwork(state, newHotkey)) throw subtensorError("HotKeyAlreadyRegisteredInSubNet");

  if (!canRemoveBalanceFromColdkeyAccount(state, coldkey, HOTKEY_SWAP_COST)) throw subtensorError("NotEnoughBalanceToPaySwapHotKey");
  // The cost is burned: it leaves the balance, Balances.TotalIssuance and SubtensorModule.TotalIssuance.
  const burned = removeBalanceFromColdkeyAccount(ctx, coldkey, HOTKEY_SWAP_COST);
  burnTokens(state, burned);

  performHotkeySwap(state, oldHotkey, newHotkey, coldkey);

  LastTxBlock.put(state, block, coldkey);
  ctx.deposit(subtensorEvent("HotkeySwapped", { coldkey, oldHotkey, newHotkey }));
}

/** Moves a single-key account-keyed value from the old key to the new one, if present. */
function moveIfPresent<V>(item: { get(s: StorageAccess, k: Uint8Array): V; exists(s: StorageAccess, k: Uint8Array): boolean; put(s: StorageAccess, v: V, k: Uint8Array): void; remove(s: StorageAccess, k: Uint8Array): void }, state: StorageAccess, from: Uint8Array, to: Uint8Array): void {
  if (!item.exists(state, from)) return;
  const value = item.get(state, from);
  item.remove(state, from);
  item.put(state, value, to);
}

/**
 * `perform_hotkey_swap`. Where the new hotkey already holds something (it can exist without being
 * registered), amounts are added as in the July 2024 version so the stake totals stay consistent.
 */
export function performHotkeySwap(state: StorageAccess, oldHotkey: Uint8Array, newHotkey: Uint8Array, coldkey: Uint8Array): void {
  // Ownership. A new hotkey owned by another coldkey changes hands (as in Subtensor); it also leaves
  // that coldkey's OwnedHotkeys so the list keeps matching Owner.
  if (Owner.exists(state, newHotkey)) {
    const previous = Owner.get(state, newHotkey);
    if (!bytesEqual(previous, coldkey)) {
      OwnedHotkeys.put(
        state,
        OwnedHotkeys.get(state, previous).filter((h) => !bytesEqual(h, newHotkey)),
        previous,
      );
    }
  }
  Owner.remove(state, oldHotkey);
  Owner.put(state, coldkey, newHotkey);
  const owned = OwnedHotkeys.get(state, coldkey).filter((h) => !bytesEqual(h, oldHotkey) && !bytesEqual(h, newHotkey));
  OwnedHotkeys.put(state, [...owned, newHotkey], coldkey);

  // Stake: every (old, coldkey) row is added to (new, coldkey); totals per hotkey follow.
  if (TotalHotkeyStake.exists(state, oldHotkey)) {
    const total = saturatingAdd(TotalHotkeyStake.get(state, oldHotkey), TotalHotkeyStake.get(state, newHotkey));
    TotalHotkeyStake.remove(state, oldHotkey);
    TotalHotkeyStake.put(state, total, newHotkey);
  }
  for (const { keys, value } of Stake.entries(state, oldHotkey)) {
    const staker = keys[1];
    Stake.remove(state, oldHotkey, staker);
    Stake.put(state, saturatingAdd(Stake.get(state, newHotkey, staker), value), newHotkey, staker);
    const staking = StakingHotkeys.get(state, staker).filter((h) => !bytesEqual(h, oldHotkey) && !bytesEqual(h, newHotkey));
    StakingHotkeys.put(state, [...staking, newHotkey], staker);
    // The pair's stake rate-limit counter follows, so a swap does not reset the limit.
    if (TotalHotkeyColdkeyStakesThisInterval.exists(state, staker, oldHotkey)) {
      const counter = TotalHotkeyColdkeyStakesThisInterval.get(state, staker, oldHotkey);
      TotalHotkeyColdkeyStakesThisInterval.remove(state, staker, oldHotkey);
      TotalHotkeyColdkeyStakesThisInterval.put(state, counter, staker, newHotkey);
    }
  }

  moveIfPresent(LastTxBlock, state, oldHotkey, newHotkey);
  moveIfPresent(LastTxBlockDelegateTake, state, oldHotkey, newHotkey);
  moveIfPresent(Delegates, state, oldHotkey, newHotkey);

  // Subnet membership and everything keyed by (netuid, hotkey).
  for (const { keys, value: isMember } of IsNetworkMember.entries(state, oldHotkey)) {
    const netuid = keys[1];
    IsNetworkMember.remove(state, oldHotkey, netuid);
    if (!isMember) continue;
    IsNetworkMember.put(state, true, newHotkey, netuid);
    const uid = Uids.get(state, netuid, oldHotkey);
    if (uid !== null) {
      Uids.remove(state, netuid, oldHotkey);
      Uids.put(state, uid, netuid, newHotkey);
      Keys.put(state, newHotkey, netuid, uid);
    }
    const axon = Axons.get(state, netuid, oldHotkey);
    if (axon !== null) {
      Axons.remove(state, netuid, oldHotkey);
      Axons.put(state, axon, netuid, newHotkey);
    }
    const prometheus = Prometheus.get(state, netuid, oldHotkey);
    if (prometheus !== null) {
      Prometheus.remove(state, netuid, oldHotkey);
      Prometheus.put(state, prometheus, netuid, newHotkey);
    }
    const commit = WeightCommits.get(state, netuid, oldHotkey);
    if (commit !== null) {
      WeightCommits.remove(state, netuid, oldHotkey);
      WeightCommits.put(state, commit, netuid, newHotkey);
    }
    const loaded = LoadedEmission.get(state, netuid);
    if (loaded !== null && loaded.some(([h]) => bytesEqual(h, oldHotkey))) {
      LoadedEmission.put(
        state,
        loaded.map(([h, se, ve]) => [bytesEqual(h, oldHotkey) ? newHotkey : h, se, ve]),
        netuid,
      );
    }
  }
}
