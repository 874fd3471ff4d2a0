/**
 * DelegateInfo (Subtensor 688d4a7ff `rpc_info/delegate_info.rs`): a delegate hotkey with its
 * nominators, registrations, permits and estimated daily returns, read from storage at one block.
 *
 * Orders follow storage iteration, as Subtensor's do: delegates by `Delegates` key
 * (blake2_128(hotkey) ++ hotkey), nominators by coldkey bytes (`Stake` prefix of the hotkey),
 * registrations by the little-endian netuid bytes (`IsNetworkMember` prefix of the hotkey).
 *
 * Returns are computed in U64F64 exactly as Subtensor does:
 *   emissions_per_day = Σ over registered subnets with tempo > 0 of emission[uid] × (7200 / tempo)
 *   return_per_1000   = emissions_per_day × 0.82 / (total_stake / 1000)   (0 without stake)
 * where 0.82 is `U64F64::from_num(0.82f64)`: the f64 nearest to 0.82, which U64F64 holds exactly.
 */
import type { StorageAccess } from "../../../../state/types.js";
import { U64F64 } from "../../../../../consensus/yuma/fixed.js";
import { Delegates, Emission, IsNetworkMember, Owner, Stake, Tempo, TotalHotkeyStake, Uids, ValidatorPermit } from "../storage.js";
import type { DelegateInfoValue } from "./types.js";

/** `U64F64::from_num(0.82)`: the bits of the f64 0.82 (7385903388887613 × 2^-53) as U64F64. */
export const U64F64_0_82 = 0xd1eb851eb851e800n;
/** Blocks per day in Subtensor's estimate (12 s blocks). */
const BLOCKS_PER_DAY = 7200;

const at = <T>(v: readonly T[], i: number, fallback: T): T => (i < v.length ? v[i] : fallback);

/** The netuids a hotkey is registered on, in `IsNetworkMember` key order. */
export function registeredNetworks(state: StorageAccess, hotkey: Uint8Array): number[] {
  return IsNetworkMember.entries(state, hotkey)
    .filter(({ value }) => value)
    .map(({ keys: [, netuid] }) => netuid);
}

function delegateInfo(state: StorageAccess, delegate: Uint8Array): DelegateInfoValue {
  const nominators: Array<[Uint8Array, bigint]> = Stake.entries(state, delegate)
    .filter(({ value }) => value !== 0n)
    .map(({ keys: [, nominator], value }) => [nominator, value]);

  const registrations = registeredNetworks(state, delegate);
  const validatorPermits: number[] = [];
  let emissionsPerDay = 0n;
  for (const netuid of registrations) {
    const uid = Uids.get(state, netuid, delegate);
    if (uid === null) continue;
    if (at(ValidatorPermit.get(state, netuid), uid, false)) validatorPermits.push(netuid);
    const emission = U64F64.fromInt(at(Emission.get(state, netuid), uid, 0n));
    const tempo = U64F64.fromInt(Tempo.get(state, netuid));
    if (tempo > 0n) {
      const epochsPerDay = U64F64.saturatingDiv(U64F64.fromInt(BLOCKS_PER_DAY), tempo);
      emissionsPerDay = U64F64.saturatingAdd(emissionsPerDay, U64F64.saturatingMul(emission, epochsPerDay));
    }
  }

  const totalStake = U64F64.fromInt(TotalHotkeyStake.get(state, delegate));
  const returnPer1000 =
    totalStake > 0n ? U64F64.saturatingDiv(U64F64.saturatingMul(emissionsPerDay, U64F64_0_82), U64F64.saturatingDiv(totalStake, U64F64.fromInt(1000))) : 0n;

  return {
    delegateSs58: delegate,
    take: Delegates.get(state, delegate),
    nominators,
    ownerSs58: Owner.get(state, delegate),
    registrations,
    validatorPermits,
    returnPer1000: U64F64.toU64(returnPer1000),
    totalDailyReturn: U64F64.toU64(emissionsPerDay),
  };
}

/** Every delegate (a hotkey with a `Delegates` entry). */
export function getDelegates(state: StorageAccess): DelegateInfoValue[] {
  return Delegates.entries(state).map(({ keys: [delegate] }) => delegateInfo(state, delegate));
}

/** One delegate, from its account as raw bytes (exactly 32, else none); null when not a delegate. */
export function getDelegate(state: StorageAccess, accountBytes: Uint8Array): DelegateInfoValue | null {
  if (accountBytes.length !== 32) return null;
  if (!Delegates.exists(state, accountBytes)) return null;
  return delegateInfo(state, accountBytes);
}

/**
 * The delegates a coldkey (raw bytes: the first 32 are read, as `AccountId::decode` does; fewer is
 * no account) has stake on, each with that stake.
 */
export function getDelegated(state: StorageAccess, accountBytes: Uint8Array): Array<[DelegateInfoValue, bigint]> {
  if (accountBytes.length < 32) return [];
  const delegatee = accountBytes.slice(0, 32);
  const out: Array<[DelegateInfoValue, bigint]> = [];
  for (const { keys: [delegate] } of Delegates.entries(state)) {
    const staked = Stake.get(state, delegate, delegatee);
    if (staked === 0n) continue;
    out.push([delegateInfo(state, delegate), staked]);
  }
  return out;
}
