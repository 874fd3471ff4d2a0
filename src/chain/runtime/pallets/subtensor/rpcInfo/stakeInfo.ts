/**
 * StakeInfo (Subtensor 688d4a7ff `rpc_info/stake_info.rs`): a coldkey's stakes, one entry per
 * hotkey it stakes to, in `Stake` storage order (the whole map is walked, as Subtensor does).
 * Accounts come as raw bytes: anything but exactly 32 bytes is skipped (no account).
 */
import type { StorageAccess } from "../../../../state/types.js";
import { bytesEqual } from "../../../../../util/bytes.js";
import { Stake } from "../storage.js";
import type { StakeInfoValue } from "./types.js";

function stakeInfoForColdkeys(state: StorageAccess, coldkeys: Uint8Array[]): Array<[Uint8Array, StakeInfoValue[]]> {
  if (coldkeys.length === 0) return [];
  const all = Stake.entries(state);
  return coldkeys.map((coldkey): [Uint8Array, StakeInfoValue[]] => [
    coldkey,
    all.filter(({ keys: [, cold] }) => bytesEqual(cold, coldkey)).map(({ keys: [hotkey, cold], value }) => ({ hotkey, coldkey: cold, stake: value })),
  ]);
}

export function getStakeInfoForColdkeys(state: StorageAccess, accounts: Uint8Array[]): Array<[Uint8Array, StakeInfoValue[]]> {
  return stakeInfoForColdkeys(
    state,
    accounts.filter((a) => a.length === 32),
  );
}

export function getStakeInfoForColdkey(state: StorageAccess, account: Uint8Array): StakeInfoValue[] {
  if (account.length !== 32) return [];
  return stakeInfoForColdkeys(state, [account])[0]?.[1] ?? [];
}
