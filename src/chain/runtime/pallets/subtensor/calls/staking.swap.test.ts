/**
 * swap_hotkey through real signed extrinsics: everything keyed by the old hotkey moves to the new
 * one, the 1 TAO cost is burned (free balance, Balances.TotalIssuance and
 * SubtensorModule.TotalIssuance all go down), and every error path.
 *
 * Genesis: subnets 1 and 3 owned by Alice with //Alice//hot as UID 0 on both, subnet 2 by Bob with
 * //Bob//hot, subnet 4 by //Poor (0.5 TAO) with //Poor//hot.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { ChainHarness } from "../../../../../../test/utils/chainHarness.js";
import { devChainSpec, TAO } from "../../../../spec.js";
import { TotalIssuance as BalancesTotalIssuance } from "../../balances.js";
import * as C from "../constants.js";
import {
  Axons,
  Delegates,
  IsNetworkMember,
  Keys,
  LastTxBlock,
  LoadedEmission,
  OwnedHotkeys,
  Owner,
  Prometheus,
  Stake,
  StakingHotkeys,
  TotalColdkeyStake,
  TotalHotkeyColdkeyStakesThisInterval,
  TotalHotkeyStake,
  TotalIssuance,
  TotalStake,
  Uids,
  WeightCommits,
} from "../storage.js";
import { createAccountIfNonExistent } from "../subnetsInit.js";
import { increaseStakeOnColdkeyHotkeyAccount } from "../staking/ledger.js";
import { assertLedgerAddsUp, eventsOf, outcomes, skipBlocks, st, sudoWrite, view, type Block } from "../../../../../../test/utils/subtensor/staking.js";

let keyring: Keyring;
let alice: KeyringPair, bob: KeyringPair, charlie: KeyringPair, dave: KeyringPair, poor: KeyringPair;
let aliceHot: Uint8Array, bobHot: Uint8Array, poorHot: Uint8Array, newHot: Uint8Array;

beforeAll(async () => {
  await cryptoWaitReady();
  keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
  [alice, bob, charlie, dave, poor] = ["Alice", "Bob", "Charlie", "Dave", "Poor"].map((n) => keyring.addFromUri(`//${n}`));
  [aliceHot, bobHot, poorHot, newHot] = ["//Alice//hot", "//Bob//hot", "//Poor//hot", "//Alice//hot2"].map((u) => keyring.addFromUri(u).publicKey);
});

let h: ChainHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function chain(): Promise<ChainHarness> {
  const spec = await devChainSpec();
  spec.balances.push([poor.address, (TAO / 2n).toString()]);
  const hot = (k: Uint8Array) => keyring.encodeAddress(k);
  spec.subtensor = {
    emission: { equalSplitFallback: false }, // exact issuance assertions: no block emission here
    txRateLimit: 5,
    stakeInterval: 10,
    subnets: [
      { netuid: 1, owner: alice.address, ownerHotkey: hot(aliceHot) },
      { netuid: 2, owner: bob.address, ownerHotkey: hot(bobHot) },
      { netuid: 3, owner: alice.address, ownerHotkey: hot(aliceHot) },
      { netuid: 4, owner: poor.address, ownerHotkey: hot(poorHot) },
    ],
  };
  h = await ChainHarness.create(spec);
  return h;
}

const call = (signer: KeyringPair, name: string, args: Record<string, unknown>, nonce?: number) => st(h!, signer, name, args, nonce);
async function block(...xts: Uint8Array[]): Promise<Block & { out: string[] }> {
  const b = await h!.produce(xts);
  return { ...b, out: outcomes(b) };
}

describe("swap_hotkey", () => {
  it("moves ownership, delegation, every stake row, subnet membership and per-hotkey subnet data; burns 1 TAO", async () => {
    await chain();
    // block 1: Alice opens her hotkey; Charlie and Dave nominate it. block 2: Alice stakes on it.
    expect(
      (
        await block(
          call(alice, "become_delegate", { hotkey: aliceHot }),
          call(charlie, "add_stake", { hotkey: aliceHot, amountStaked: 50n * TAO }),
          call(dave, "add_stake", { hotkey: aliceHot, amountStaked: 20n * TAO }),
        )
      ).out,
    ).toEqual(["ok", "ok", "ok"]);
    expect((await block(call(alice, "add_stake", { hotkey: aliceHot, amountStaked: 100n * TAO }))).out).toEqual(["ok"]);
    // Serving data, a weight commit and loaded emission keyed by the hotkey (no call writes these yet).
    const axon = { block: 2n, version: 1, ip: 0x7f000002n, port: 8091, ipType: 4, protocol: 4, placeholder1: 0, placeholder2: 0 };
    const prometheus = { block: 2n, version: 1, ip: 0x7f000002n, port: 9090, ipType: 4 };
    const commit: [Uint8Array, bigint] = [new Uint8Array(32).fill(7), 2n];
    await sudoWrite(h!, (s) => {
      Axons.put(s, axon, 1, aliceHot);
      Prometheus.put(s, prometheus, 1, aliceHot);
      WeightCommits.put(s, commit, 3, aliceHot);
      LoadedEmission.put(
        s,
        [
          [aliceHot, 5n, 6n],
          [bobHot, 1n, 2n],
        ],
        1,
      );
    }); // block 3
    await skipBlocks(h!, 5); // blocks 4…8: 8 − 2 > TxRateLimit (5)

    const s0 = h!.chain.bestState();
    const [free0, bti0, sti0, total0] = [h!.freeOf(alice.publicKey), BalancesTotalIssuance.get(s0), TotalIssuance.get(s0), TotalStake.get(s0)];
    const counter = TotalHotkeyColdkeyStakesThisInterval.get(s0, charlie.publicKey, aliceHot);
    const b = await block(call(alice, "swap_hotkey", { hotkey: aliceHot, newHotkey: newHot })); // block 9
    expect(b.out).toEqual(["ok"]);
    expect(eventsOf(b)).toEqual([["HotkeySwapped", { coldkey: alice.publicKey, oldHotkey: aliceHot, newHotkey: newHot }]]);

    const s = h!.chain.bestState();
    // the cost is burned everywhere
    expect(h!.freeOf(alice.publicKey)).toBe(free0 - C.HOTKEY_SWAP_COST);
    expect(BalancesTotalIssuance.get(s)).toBe(bti0 - C.HOTKEY_SWAP_COST);
    expect(TotalIssuance.get(s)).toBe(sti0 - C.HOTKEY_SWAP_COST);
    expect(LastTxBlock.get(s, alice.publicKey)).toBe(9n);
    // ownership and delegation
    expect(Owner.exists(s, aliceHot)).toBe(false);
    expect(Owner.get(s, newHot)).toEqual(alice.publicKey);
    expect(OwnedHotkeys.get(s, alice.publicKey)).toEqual([newHot]);
    expect(Delegates.exists(s, aliceHot)).toBe(false);
    expect(Delegates.get(s, newHot)).toBe(C.InitialDefaultTake);
    // stake rows, totals, staking lists, rate-limit counters
    const v = view(h!);
    expect(Stake.entries(v, aliceHot)).toEqual([]);
    expect(Stake.get(s, newHot, alice.publicKey)).toBe(100n * TAO);
    expect(Stake.get(s, newHot, charlie.publicKey)).toBe(50n * TAO);
    expect(Stake.get(s, newHot, dave.publicKey)).toBe(20n * TAO);
    expect(TotalHotkeyStake.exists(s, aliceHot)).toBe(false);
    expect(TotalHotkeyStake.get(s, newHot)).toBe(170n * TAO);
    expect(TotalColdkeyStake.get(s, charlie.publicKey)).toBe(50n * TAO);
    expect(TotalStake.get(s)).toBe(total0);
    expect(StakingHotkeys.get(s, alice.publicKey)).toEqual([newHot]);
    expect(StakingHotkeys.get(s, charlie.publicKey)).toEqual([newHot]);
    expect(StakingHotkeys.get(s, dave.publicKey)).toEqual([newHot]);
    expect(TotalHotkeyColdkeyStakesThisInterval.exists(s, charlie.publicKey, aliceHot)).toBe(false);
    expect(TotalHotkeyColdkeyStakesThisInterval.get(s, charlie.publicKey, newHot)).toEqual(counter);
    // subnets 1 and 3: membership, UID ↔ hotkey, serving data, commits, loaded emission
    for (const netuid of [1, 3]) {
      expect(IsNetworkMember.exists(s, aliceHot, netuid)).toBe(false);
      expect(IsNetworkMember.get(s, newHot, netuid)).toBe(true);
      expect(Uids.get(s, netuid, aliceHot)).toBeNull();
      expect(Uids.get(s, netuid, newHot)).toBe(0);
      expect(Keys.get(s, netuid, 0)).toEqual(newHot);
    }
    expect(Axons.get(s, 1, aliceHot)).toBeNull();
    expect(Axons.get(s, 1, newHot)).toEqual(axon);
    expect(Prometheus.get(s, 1, newHot)).toEqual(prometheus);
    expect(WeightCommits.get(s, 3, aliceHot)).toBeNull();
    expect(WeightCommits.get(s, 3, newHot)).toEqual(commit);
    expect(LoadedEmission.get(s, 1)).toEqual([
      [newHot, 5n, 6n],
      [bobHot, 1n, 2n],
    ]);
    assertLedgerAddsUp(v);

    // The old hotkey is gone; the new one carries the delegation.
    await skipBlocks(h!, 1); // block 10; Charlie's last operation was block 1, its interval is over
    const after = await block(
      call(charlie, "add_stake", { hotkey: aliceHot, amountStaked: TAO }, 1),
      call(charlie, "remove_stake", { hotkey: newHot, amountUnstaked: 10n * TAO }, 2),
    );
    expect(after.out).toEqual(["HotKeyAccountNotExists", "ok"]);
    expect(Stake.get(h!.chain.bestState(), newHot, charlie.publicKey)).toBe(40n * TAO);
  });

  it("a new hotkey that exists unregistered (owned by another coldkey) changes hands and its stake merges", async () => {
    await chain();
    const stray = keyring.addFromUri("//Bob//stray").publicKey;
    await sudoWrite(h!, (s) => {
      createAccountIfNonExistent(s, bob.publicKey, stray);
      increaseStakeOnColdkeyHotkeyAccount(s, bob.publicKey, stray, 3n * TAO);
      TotalIssuance.put(s, TotalIssuance.get(s) + 3n * TAO);
    });
    await block(call(alice, "add_stake", { hotkey: aliceHot, amountStaked: 7n * TAO }));
    await skipBlocks(h!, 5);
    expect((await block(call(alice, "swap_hotkey", { hotkey: aliceHot, newHotkey: stray }))).out).toEqual(["ok"]);
    const s = h!.chain.bestState();
    expect(Owner.get(s, stray)).toEqual(alice.publicKey);
    expect(OwnedHotkeys.get(s, bob.publicKey)).toEqual([bobHot]);
    expect(OwnedHotkeys.get(s, alice.publicKey)).toEqual([stray]);
    expect(TotalHotkeyStake.get(s, stray)).toBe(10n * TAO);
    expect(Stake.get(s, stray, alice.publicKey)).toBe(7n * TAO);
    expect(Stake.get(s, stray, bob.publicKey)).toBe(3n * TAO);
    assertLedgerAddsUp(view(h!));
  });

  it("errors: NonAssociatedColdKey, NewHotKeyIsSameWithOld, HotKeyAlreadyRegisteredInSubNet, NotEnoughBalanceToPaySwapHotKey", async () => {
    await chain();
    const unknown = keyring.addFromUri("//Nobody//hot").publicKey;
    const b = await block(
      call(bob, "swap_hotkey", { hotkey: aliceHot, newHotkey: newHot }), // not Bob's
      call(charlie, "swap_hotkey", { hotkey: unknown, newHotkey: newHot }), // no such hotkey
      call(alice, "swap_hotkey", { hotkey: aliceHot, newHotkey: aliceHot }, 0),
      call(alice, "swap_hotkey", { hotkey: aliceHot, newHotkey: bobHot }, 1), // registered on subnet 2
      call(poor, "swap_hotkey", { hotkey: poorHot, newHotkey: newHot }), // 0.5 TAO < 1 TAO
    );
    expect(b.out).toEqual(["NonAssociatedColdKey", "NonAssociatedColdKey", "NewHotKeyIsSameWithOld", "HotKeyAlreadyRegisteredInSubNet", "NotEnoughBalanceToPaySwapHotKey"]);
    expect(h!.freeOf(poor.publicKey)).toBe(TAO / 2n);
    expect(Owner.get(h!.chain.bestState(), aliceHot)).toEqual(alice.publicKey);
  });

  it("HotKeySetTxRateLimitExceeded within TxRateLimit blocks of the coldkey's last transaction", async () => {
    await chain();
    await block(call(alice, "add_stake", { hotkey: aliceHot, amountStaked: TAO })); // block 1
    await skipBlocks(h!, 4); // blocks 2…5
    expect((await block(call(alice, "swap_hotkey", { hotkey: aliceHot, newHotkey: newHot }))).out).toEqual(["HotKeySetTxRateLimitExceeded"]); // block 6
    expect((await block(call(alice, "swap_hotkey", { hotkey: aliceHot, newHotkey: newHot }))).out).toEqual(["ok"]); // block 7
    // and the swap itself starts a new window
    const back = await block(call(alice, "swap_hotkey", { hotkey: newHot, newHotkey: aliceHot }));
    expect(back.out).toEqual(["HotKeySetTxRateLimitExceeded"]);
  });
});
