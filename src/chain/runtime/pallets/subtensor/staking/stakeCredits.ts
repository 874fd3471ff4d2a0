/**
 * Stake credits in bulk: what `increaseStakeOnColdkeyHotkeyAccount` does (ledger.ts), for the many
 * credits of one block's epoch payouts, with each ledger entry read once and written once.
 *
 * Why: an epoch block pays every UID of every due subnet, and crediting them one by one read,
 * decoded, encoded and wrote TotalStake once per credit and each (hot, cold) entry's three totals
 * per credit, through the overlay and its string keys. Here the entries touched are held decoded
 * (Maps in first-touch order) and `flush` writes each once with its final value.
 *
 * The end state is the one of the one-by-one path, exactly:
 *  - every credit applies the same saturating add to the same running values, in the same order;
 *  - every entry a credit touched is written (even when it ends where it started: the one-by-one
 *    path writes it too, and a zero credit still creates the Stake entry); StakingHotkeys only
 *    when a hotkey was appended, as there;
 *  - reads in between (a delegate's stakers and total, for its split) see the credits made so far,
 *    as the one-by-one path saw them in the overlay (`stakers` merges the new Stake entries into
 *    the stored ones in storage key order).
 * Nothing else may write these items between the first credit and `flush`.
 */
import type { StorageAccess } from "../../../../state/types.js";
import { latin1 } from "../../../frame/storage.js";
import { compareBytes } from "../../../../../util/bytes.js";
import { Owner, Stake, StakingHotkeys, TotalColdkeyStake, TotalHotkeyStake, TotalStake } from "../storage.js";
import { saturatingAdd } from "./ledger.js";

/** A u64 ledger entry held decoded until the flush. */
interface Entry {
  key: Uint8Array;
  value: bigint;
}

interface StakingList {
  coldkey: Uint8Array;
  hotkeys: Uint8Array[];
  /** latin1 of the hotkeys, for the membership test */
  members: Set<string>;
  appended: boolean;
}

/** Stake[hot][cold] key: Stake.key(hot) (prefix ‖ blake2_128(hot) ‖ hot, memoized) ‖ cold (Identity). */
function stakeKey(hotPrefix: Uint8Array, coldkey: Uint8Array): Uint8Array {
  const k = new Uint8Array(hotPrefix.length + coldkey.length);
  k.set(hotPrefix);
  k.set(coldkey, hotPrefix.length);
  return k;
}

export class StakeCredits {
  private totalStake: bigint | undefined;
  private readonly hotkeyTotals = new Map<string, Entry>();
  private readonly coldkeyTotals = new Map<string, Entry>();
  /** by latin1(hot) then latin1(cold) */
  private readonly stakes = new Map<string, Map<string, Entry & { coldkey: Uint8Array }>>();
  private readonly staking = new Map<string, StakingList>();

  constructor(private readonly state: StorageAccess) {}

  /** `increase_stake_on_coldkey_hotkey_account`. */
  credit(coldkey: Uint8Array, hotkey: Uint8Array, increment: bigint): void {
    const cold = latin1(coldkey);
    const hot = latin1(hotkey);
    const c = this.u64Entry(this.coldkeyTotals, cold, () => TotalColdkeyStake.key(coldkey), TotalColdkeyStake);
    c.value = saturatingAdd(c.value, increment);
    const h = this.hotkeyEntry(hot, hotkey);
    h.value = saturatingAdd(h.value, increment);
    const s = this.stakeEntry(hot, hotkey, cold, coldkey);
    s.value = saturatingAdd(s.value, increment);
    this.totalStake = saturatingAdd(this.totalStake ?? TotalStake.get(this.state), increment);
    const list = this.stakingList(cold, coldkey);
    if (!list.members.has(hot)) {
      list.hotkeys.push(hotkey);
      list.members.add(hot);
      list.appended = true;
    }
  }

  /** `increase_stake_on_hotkey_account`: credited to the hotkey's owner (Owner is not a ledger item: read as stored). */
  creditOwner(hotkey: Uint8Array, increment: bigint): void {
    this.credit(Owner.get(this.state, hotkey), hotkey, increment);
  }

  /** TotalHotkeyStake[hotkey] with the credits so far. */
  totalHotkeyStake(hotkey: Uint8Array): bigint {
    return this.hotkeyEntry(latin1(hotkey), hotkey).value;
  }

  /** What `Stake.entries(state, hotkey)` would give with the credits so far: [coldkey, stake] in storage key order. */
  stakers(hotkey: Uint8Array): Array<[Uint8Array, bigint]> {
    const pending = this.stakes.get(latin1(hotkey));
    const out: Array<[Uint8Array, bigint]> = [];
    const seen = new Set<string>();
    for (const { keys, value } of Stake.entries(this.state, hotkey)) {
      const cold = latin1(keys[1]);
      seen.add(cold);
      const p = pending?.get(cold);
      out.push([keys[1], p ? p.value : value]);
    }
    if (pending) {
      let added = false;
      for (const [cold, e] of pending) {
        if (seen.has(cold)) continue;
        out.push([e.coldkey, e.value]);
        added = true;
      }
      // same hotkey prefix: the order of the full keys is the order of the coldkeys
      if (added) out.sort((a, b) => compareBytes(a[0], b[0]));
    }
    return out;
  }

  /** Writes every entry the credits touched, once, with its final value. */
  flush(): void {
    const { state } = this;
    if (this.totalStake !== undefined) TotalStake.put(state, this.totalStake);
    for (const e of this.coldkeyTotals.values()) state.set(e.key, TotalColdkeyStake.value.encode(e.value));
    for (const e of this.hotkeyTotals.values()) state.set(e.key, TotalHotkeyStake.value.encode(e.value));
    for (const byCold of this.stakes.values()) for (const e of byCold.values()) state.set(e.key, Stake.value.encode(e.value));
    for (const list of this.staking.values()) if (list.appended) StakingHotkeys.put(state, list.hotkeys, list.coldkey);
    this.totalStake = undefined;
    this.coldkeyTotals.clear();
    this.hotkeyTotals.clear();
    this.stakes.clear();
    this.staking.clear();
  }

  // ------------------------------------------------------------------------------------------

  private u64Entry(map: Map<string, Entry>, id: string, key: () => Uint8Array, item: typeof TotalColdkeyStake): Entry {
    let e = map.get(id);
    if (e === undefined) {
      const k = key();
      const raw = this.state.get(k);
      e = { key: k, value: raw === undefined ? 0n : item.value.decode(raw) };
      map.set(id, e);
    }
    return e;
  }

  private hotkeyEntry(hot: string, hotkey: Uint8Array): Entry {
    return this.u64Entry(this.hotkeyTotals, hot, () => TotalHotkeyStake.key(hotkey), TotalHotkeyStake);
  }

  private stakeEntry(hot: string, hotkey: Uint8Array, cold: string, coldkey: Uint8Array): Entry {
    let byCold = this.stakes.get(hot);
    if (byCold === undefined) this.stakes.set(hot, (byCold = new Map()));
    let e = byCold.get(cold);
    if (e === undefined) {
      const k = stakeKey(Stake.key(hotkey), coldkey);
      const raw = this.state.get(k);
      e = { key: k, value: raw === undefined ? 0n : Stake.value.decode(raw), coldkey };
      byCold.set(cold, e);
    }
    return e;
  }

  private stakingList(cold: string, coldkey: Uint8Array): StakingList {
    let list = this.staking.get(cold);
    if (list === undefined) {
      // a copy: the default (absent entry) is a shared constant, and the list is appended to
      const hotkeys = [...StakingHotkeys.get(this.state, coldkey)];
      list = { coldkey, hotkeys, members: new Set(hotkeys.map(latin1)), appended: false };
      this.staking.set(cold, list);
    }
    return list;
  }
}
