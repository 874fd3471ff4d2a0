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
 *
 * The credits of many payouts (an epoch block's) go through one StakeCredits and are written once
 * (staking/stakeCredits.ts: the same end state as crediting them one by one).
 */
import type { StorageAccess } from "../../../../state/types.js";
import { splitDelegateEmission } from "../../../../../consensus/emission.js";
import { Delegates } from "../storage.js";
import { StakeCredits } from "../staking/stakeCredits.js";

export interface HotkeyPayout {
  /** credited to the hotkey's owner (take + leftover + server part, or everything for a non-delegate) */
  owner: bigint;
  /** the delegate take (0 for a non-delegate) */
  take: bigint;
  /** [coldkey, amount] credited to each staker of a delegate, in storage order */
  nominators: Array<[Uint8Array, bigint]>;
}

/** One hotkey's payout into `credits` (written to state by `credits.flush()`, so many payouts share the reads and writes). */
export function creditHotkeyEmission(state: StorageAccess, credits: StakeCredits, hotkey: Uint8Array, serverEmission: bigint, validatorEmission: bigint): HotkeyPayout {
  if (!Delegates.exists(state, hotkey)) {
    const amount = serverEmission + validatorEmission;
    credits.creditOwner(hotkey, amount);
    return { owner: amount, take: 0n, nominators: [] };
  }
  const stakers = credits.stakers(hotkey);
  const split = splitDelegateEmission(
    serverEmission,
    validatorEmission,
    Delegates.get(state, hotkey),
    stakers.map(([, stake]) => stake),
    credits.totalHotkeyStake(hotkey),
  );
  // nominators first, then the owner: the owner's credit must not change the others' proportions
  const nominators = stakers.map(([coldkey], i): [Uint8Array, bigint] => [coldkey, split.nominators[i]]);
  for (const [coldkey, amount] of nominators) credits.credit(coldkey, hotkey, amount);
  credits.creditOwner(hotkey, split.hotkey);
  return { owner: split.hotkey, take: split.delegateTake, nominators };
}

/** One hotkey's payout, written to state at once. */
export function emitInflationThroughHotkeyAccount(state: StorageAccess, hotkey: Uint8Array, serverEmission: bigint, validatorEmission: bigint): HotkeyPayout {
  const credits = new StakeCredits(state);
  const payout = creditHotkeyEmission(state, credits, hotkey, serverEmission, validatorEmission);
  credits.flush();
  return payout;
}
