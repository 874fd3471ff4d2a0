/**
 * Paying an epoch's emission out to stake (classic `emit_inflation_through_hotkey_account`,
 * block_step.rs at de1026780). Everything is credited as stake through the ledger, which keeps
 * Stake / TotalHotkeyStake / TotalColdkeyStake / TotalStake together. Issuing what is paid
 * (SubtensorModule.TotalIssuance) is the caller's job, as classic `drain_emission` does after it.
 *
 *  - hotkey not a delegate: server + validator emission as stake on the hotkey (its owner's stake);
 *  - delegate: the take (Delegates[hotkey]/65535 of the validator part, I64F64) and the RAO the
 *    nominators' floors leave over go to the hotkey's owner; the rest of the validator part to
 *    every coldkey staked on the hotkey (the owner included) pro rata to Stake[hotkey][coldkey]
 *    over TotalHotkeyStake as they were before this payout; the server part to the owner.
 *    `splitDelegateEmission` computes these amounts; they add up to server + validator exactly.
 *
 * As in Subtensor a zero amount is still credited (the ledger entry exists afterwards).
 */
import type { StorageAccess } from "../../../../state/types.js";
import { splitDelegateEmission } from "../../../../../consensus/emission.js";
import { Delegates, Stake, TotalHotkeyStake } from "../storage.js";
import { increaseStakeOnColdkeyHotkeyAccount, increaseStakeOnHotkeyAccount } from "../staking/ledger.js";

export interface HotkeyPayout {
  /** credited to the hotkey's owner (take + leftover + server part, or everything for a non-delegate) */
  owner: bigint;
  /** the delegate take (0 for a non-delegate) */
  take: bigint;
  /** [coldkey, amount] credited to each staker of a delegate, in storage order */
  nominators: Array<[Uint8Array, bigint]>;
}

export function emitInflationThroughHotkeyAccount(state: StorageAccess, hotkey: Uint8Array, serverEmission: bigint, validatorEmission: bigint): HotkeyPayout {
  if (!Delegates.exists(state, hotkey)) {
    const amount = serverEmission + validatorEmission;
    increaseStakeOnHotkeyAccount(state, hotkey, amount);
    return { owner: amount, take: 0n, nominators: [] };
  }
  const stakers = Stake.entries(state, hotkey);
  const split = splitDelegateEmission(
    serverEmission,
    validatorEmission,
    Delegates.get(state, hotkey),
    stakers.map((s) => s.value),
    TotalHotkeyStake.get(state, hotkey),
  );
  // nominators first, then the owner: the owner's credit must not change the others' proportions
  const nominators = stakers.map(({ keys }, i): [Uint8Array, bigint] => [keys[1], split.nominators[i]]);
  for (const [coldkey, amount] of nominators) increaseStakeOnColdkeyHotkeyAccount(state, coldkey, hotkey, amount);
  increaseStakeOnHotkeyAccount(state, hotkey, split.hotkey);
  return { owner: split.hotkey, take: split.delegateTake, nominators };
}
