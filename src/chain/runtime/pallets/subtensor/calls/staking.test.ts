/**
 * add_stake, remove_stake, become_delegate, decrease_take, increase_take through real signed
 * extrinsics in blocks: the success paths (state and events) and every reachable error path.
 *
 * Hotkeys come from genesis: subnet 1 is owned by Alice with hotkey //Alice//hot, subnet 2 by Bob
 * with //Bob//hot (UID 0 on their subnets). Rate limits are shortened through genesis parameters.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { ChainHarness } from "../../../../../../test/utils/chainHarness.js";
import { devChainSpec, TAO } from "../../../../spec.js";
import { TotalIssuance as BalancesTotalIssuance, EXISTENTIAL_DEPOSIT } from "../../balances.js";
import * as C from "../constants.js";
import {
  Delegates,
  LastTxBlock,
  LastTxBlockDelegateTake,
  MinTake,
  Stake,
  StakingHotkeys,
  TotalColdkeyStake,
  TotalHotkeyColdkeyStakesThisInterval,
  TotalHotkeyStake,
  TotalIssuance,
  TotalStake,
} from "../storage.js";
import { assertLedgerAddsUp, eventsOf, outcomes, st, sudoWrite, view, type Block } from "../../../../../../test/utils/subtensor/staking.js";
import { stakingCalls } from "./staking.js";

let keyring: Keyring;
let alice: KeyringPair, bob: KeyringPair, charlie: KeyringPair, dave: KeyringPair;
let aliceHot: Uint8Array, bobHot: Uint8Array, strayHot: Uint8Array;

beforeAll(async () => {
  await cryptoWaitReady();
  keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
  [alice, bob, charlie, dave] = ["Alice", "Bob", "Charlie", "Dave"].map((n) => keyring.addFromUri(`//${n}`));
  aliceHot = keyring.addFromUri("//Alice//hot").publicKey;
  bobHot = keyring.addFromUri("//Bob//hot").publicKey;
  strayHot = keyring.addFromUri("//Nobody//hot").publicKey;
});

let h: ChainHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A dev chain with subnets 1 (Alice, //Alice//hot) and 2 (Bob, //Bob//hot) and short rate limits. */
async function chain(subtensor: Record<string, unknown> = {}): Promise<ChainHarness> {
  const spec = await devChainSpec();
  spec.subtensor = {
    emission: { equalSplitFallback: false }, // exact issuance assertions: no block emission here
    txRateLimit: 5,
    txDelegateTakeRateLimit: 10,
    stakeInterval: 10,
    subnets: [
      { netuid: 1, owner: alice.address, ownerHotkey: keyring.encodeAddress(aliceHot) },
      { netuid: 2, owner: bob.address, ownerHotkey: keyring.encodeAddress(bobHot) },
    ],
    ...subtensor,
  };
  h = await ChainHarness.create(spec);
  return h;
}

const free = (who: KeyringPair | Uint8Array) => h!.freeOf(who instanceof Uint8Array ? who : who.publicKey);
const stake = (hot: Uint8Array, cold: KeyringPair) => Stake.get(h!.chain.bestState(), hot, cold.publicKey);
const call = (signer: KeyringPair, name: string, args: Record<string, unknown>, nonce?: number) => st(h!, signer, name, args, nonce);
/** Produces one block with the given extrinsics and returns it with the outcomes of its signed extrinsics. */
async function block(...xts: Uint8Array[]): Promise<Block & { out: string[] }> {
  const b = await h!.produce(xts);
  return { ...b, out: outcomes(b) };
}

describe("call declarations", () => {
  it("have classic Subtensor's names, indices, arguments and Pays::No", () => {
    const decl = (name: string) => stakingCalls.find((c) => c.name === name)!;
    expect(stakingCalls.map((c) => [c.name, c.index])).toEqual([
      ["become_delegate", 1],
      ["add_stake", 2],
      ["remove_stake", 3],
      ["decrease_take", 65],
      ["increase_take", 66],
      ["swap_hotkey", 70],
    ]);
    expect(decl("add_stake").args.map((a) => a.name)).toEqual(["hotkey", "amount_staked"]);
    expect(decl("remove_stake").args.map((a) => a.name)).toEqual(["hotkey", "amount_unstaked"]);
    expect(decl("increase_take").args.map((a) => a.name)).toEqual(["hotkey", "take"]);
    expect(decl("swap_hotkey").args.map((a) => a.name)).toEqual(["hotkey", "new_hotkey"]);
    expect(decl("swap_hotkey").class).toBe("Operational");
    expect(stakingCalls.every((c) => c.paysFee === false)).toBe(true);
    // add_stake: 124 µs + 10 reads + 7 writes (RocksDbWeight)
    expect(decl("add_stake").weight({})).toBe(124_000_000n + 10n * 25_000_000n + 7n * 100_000_000n);
  });
});

describe("add_stake", () => {
  it("moves TAO from the coldkey's balance into Stake and the totals (burned from Balances, still in SubtensorModule.TotalIssuance)", async () => {
    await chain();
    const s0 = h!.chain.bestState();
    const [free0, bti0, sti0] = [free(alice), BalancesTotalIssuance.get(s0), TotalIssuance.get(s0)];
    const b = await block(call(alice, "add_stake", { hotkey: aliceHot, amountStaked: 100n * TAO }));
    expect(b.out).toEqual(["ok"]);
    const s = h!.chain.bestState();
    expect(free(alice)).toBe(free0 - 100n * TAO); // Pays::No: no fee either
    expect(BalancesTotalIssuance.get(s)).toBe(bti0 - 100n * TAO);
    expect(TotalIssuance.get(s)).toBe(sti0);
    expect(Stake.get(s, aliceHot, alice.publicKey)).toBe(100n * TAO);
    expect(TotalHotkeyStake.get(s, aliceHot)).toBe(100n * TAO);
    expect(TotalColdkeyStake.get(s, alice.publicKey)).toBe(100n * TAO);
    expect(TotalStake.get(s)).toBe(100n * TAO);
    expect(StakingHotkeys.get(s, alice.publicKey)).toEqual([aliceHot]);
    expect(LastTxBlock.get(s, alice.publicKey)).toBe(1n);
    // the (coldkey, hotkey) rate-limit counter: one operation, at block 1
    expect(TotalHotkeyColdkeyStakesThisInterval.get(s, alice.publicKey, aliceHot)).toEqual([1n, 1n]);
    expect(eventsOf(b)).toEqual([["StakeAdded", [aliceHot, 100n * TAO]]]);
    expect(eventsOf(b, "Balances")).toEqual([
      ["Withdraw", { who: alice.publicKey, amount: 100n * TAO }],
      ["Rescinded", { amount: 100n * TAO }],
    ]);
    assertLedgerAddsUp(view(h!));
  });

  it("nominates a delegate; staking the whole balance stakes all but the existential deposit", async () => {
    await chain();
    await block(call(bob, "become_delegate", { hotkey: bobHot }));
    const all = free(charlie);
    const b = await block(call(charlie, "add_stake", { hotkey: bobHot, amountStaked: all }));
    expect(b.out).toEqual(["ok"]);
    expect(free(charlie)).toBe(EXISTENTIAL_DEPOSIT);
    expect(stake(bobHot, charlie)).toBe(all - EXISTENTIAL_DEPOSIT);
    expect(eventsOf(b)).toEqual([["StakeAdded", [bobHot, all - EXISTENTIAL_DEPOSIT]]]);
    expect(StakingHotkeys.get(h!.chain.bestState(), charlie.publicKey)).toEqual([bobHot]);
    assertLedgerAddsUp(view(h!));
  });

  it("NotEnoughBalanceToStake is checked first; then HotKeyAccountNotExists and HotKeyNotDelegateAndSignerNotOwnHotKey", async () => {
    await chain();
    const before = free(charlie);
    const b = await block(
      call(charlie, "add_stake", { hotkey: strayHot, amountStaked: before + 1n }, 0),
      call(charlie, "add_stake", { hotkey: strayHot, amountStaked: TAO }, 1),
      call(charlie, "add_stake", { hotkey: aliceHot, amountStaked: TAO }, 2),
    );
    expect(b.out).toEqual(["NotEnoughBalanceToStake", "HotKeyAccountNotExists", "HotKeyNotDelegateAndSignerNotOwnHotKey"]);
    expect(free(charlie)).toBe(before); // failed calls cost nothing (Pays::No) and change nothing
    expect(TotalStake.get(h!.chain.bestState())).toBe(0n);
  });

  it("StakeRateLimitExceeded: TargetStakesPerInterval operations per (coldkey, hotkey) per StakeInterval", async () => {
    await chain();
    const add = (n: number) => call(alice, "add_stake", { hotkey: aliceHot, amountStaked: TAO }, n);
    expect((await block(add(0))).out).toEqual(["ok"]); // block 1
    expect((await block(add(1))).out).toEqual(["StakeRateLimitExceeded"]); // block 2
    // Another pair is counted separately: Alice nominating Bob's delegate hotkey.
    const b3 = await block(call(bob, "become_delegate", { hotkey: bobHot }), call(alice, "add_stake", { hotkey: bobHot, amountStaked: TAO }, 2));
    expect(b3.out).toEqual(["ok", "ok"]);
    for (let n = 4; n < 11; n++) await h!.produce(); // blocks 4…10
    expect((await block(add(3))).out).toEqual(["ok"]); // block 11 = 1 + StakeInterval: a new interval
    expect(stake(aliceHot, alice)).toBe(2n * TAO);
  });

  it("NomStakeBelowMinimumThreshold: a nomination must reach NominatorMinRequiredStake; the owner's own stake need not", async () => {
    await chain({ nominatorMinRequiredStake: (10n * TAO).toString() });
    await block(call(bob, "become_delegate", { hotkey: bobHot }));
    const b = await block(
      call(charlie, "add_stake", { hotkey: bobHot, amountStaked: 5n * TAO }, 0),
      call(dave, "add_stake", { hotkey: bobHot, amountStaked: 10n * TAO }, 0),
      call(bob, "add_stake", { hotkey: bobHot, amountStaked: TAO }, 1),
    );
    expect(b.out).toEqual(["NomStakeBelowMinimumThreshold", "ok", "ok"]);
    expect(stake(bobHot, dave)).toBe(10n * TAO);
    expect(stake(bobHot, bob)).toBe(TAO);
  });

  it("ZeroBalanceAfterWithdrawn: an account holding only the existential deposit has nothing to stake", async () => {
    await chain();
    const poor = keyring.addFromUri("//Poor");
    await block(call(bob, "become_delegate", { hotkey: bobHot }), h!.transfer(alice, poor.publicKey, EXISTENTIAL_DEPOSIT));
    expect(free(poor)).toBe(EXISTENTIAL_DEPOSIT);
    const b = await block(call(poor, "add_stake", { hotkey: bobHot, amountStaked: EXISTENTIAL_DEPOSIT }));
    expect(b.out).toEqual(["ZeroBalanceAfterWithdrawn"]);
    expect(free(poor)).toBe(EXISTENTIAL_DEPOSIT);
  });

  it("a zero add_stake succeeds with StakeAdded(hotkey, 0) and counts against the rate limit, as in Subtensor", async () => {
    await chain();
    const b = await block(call(alice, "add_stake", { hotkey: aliceHot, amountStaked: 0n }));
    expect(b.out).toEqual(["ok"]);
    expect(eventsOf(b)).toEqual([["StakeAdded", [aliceHot, 0n]]]);
    expect((await block(call(alice, "add_stake", { hotkey: aliceHot, amountStaked: TAO }))).out).toEqual(["StakeRateLimitExceeded"]);
  });
});

describe("remove_stake", () => {
  it("moves stake back to the coldkey's balance (minted in Balances) and updates the totals", async () => {
    await chain();
    await block(call(alice, "add_stake", { hotkey: aliceHot, amountStaked: 100n * TAO }));
    for (let n = 2; n < 11; n++) await h!.produce();
    const s0 = h!.chain.bestState();
    const [free0, bti0, sti0] = [free(alice), BalancesTotalIssuance.get(s0), TotalIssuance.get(s0)];
    const b = await block(call(alice, "remove_stake", { hotkey: aliceHot, amountUnstaked: 40n * TAO })); // block 11
    expect(b.out).toEqual(["ok"]);
    const s = h!.chain.bestState();
    expect(free(alice)).toBe(free0 + 40n * TAO);
    expect(BalancesTotalIssuance.get(s)).toBe(bti0 + 40n * TAO);
    expect(TotalIssuance.get(s)).toBe(sti0);
    expect(Stake.get(s, aliceHot, alice.publicKey)).toBe(60n * TAO);
    expect(TotalHotkeyStake.get(s, aliceHot)).toBe(60n * TAO);
    expect(TotalColdkeyStake.get(s, alice.publicKey)).toBe(60n * TAO);
    expect(TotalStake.get(s)).toBe(60n * TAO);
    expect(LastTxBlock.get(s, alice.publicKey)).toBe(11n);
    expect(TotalHotkeyColdkeyStakesThisInterval.get(s, alice.publicKey, aliceHot)).toEqual([1n, 11n]);
    expect(eventsOf(b)).toEqual([["StakeRemoved", [aliceHot, 40n * TAO]]]);
    expect(eventsOf(b, "Balances")).toEqual([
      ["Deposit", { who: alice.publicKey, amount: 40n * TAO }],
      ["Issued", { amount: 40n * TAO }],
    ]);
    assertLedgerAddsUp(view(h!));
  });

  it("errors: HotKeyAccountNotExists, HotKeyNotDelegateAndSignerNotOwnHotKey, StakeToWithdrawIsZero, NotEnoughStakeToWithdraw", async () => {
    await chain();
    const b = await block(
      call(alice, "remove_stake", { hotkey: strayHot, amountUnstaked: TAO }, 0),
      call(charlie, "remove_stake", { hotkey: aliceHot, amountUnstaked: TAO }, 0),
      call(alice, "remove_stake", { hotkey: aliceHot, amountUnstaked: 0n }, 1),
      call(alice, "remove_stake", { hotkey: aliceHot, amountUnstaked: TAO }, 2),
    );
    expect(b.out).toEqual(["HotKeyAccountNotExists", "HotKeyNotDelegateAndSignerNotOwnHotKey", "StakeToWithdrawIsZero", "NotEnoughStakeToWithdraw"]);
  });

  it("UnstakeRateLimitExceeded: adds and removes share the per-interval count", async () => {
    await chain();
    expect((await block(call(alice, "add_stake", { hotkey: aliceHot, amountStaked: 10n * TAO }))).out).toEqual(["ok"]); // block 1
    expect((await block(call(alice, "remove_stake", { hotkey: aliceHot, amountUnstaked: TAO }))).out).toEqual(["UnstakeRateLimitExceeded"]);
    for (let n = 3; n < 11; n++) await h!.produce();
    expect((await block(call(alice, "remove_stake", { hotkey: aliceHot, amountUnstaked: TAO }))).out).toEqual(["ok"]); // block 11
    expect(stake(aliceHot, alice)).toBe(9n * TAO);
  });

  it("a nomination left below NominatorMinRequiredStake is cleared and fully returned; the owner's stake is never cleared", async () => {
    await chain({ nominatorMinRequiredStake: (10n * TAO).toString() });
    await block(call(bob, "become_delegate", { hotkey: bobHot }));
    await block(call(charlie, "add_stake", { hotkey: bobHot, amountStaked: 12n * TAO }, 0), call(bob, "add_stake", { hotkey: bobHot, amountStaked: 3n * TAO }, 1)); // block 2
    for (let n = 3; n < 12; n++) await h!.produce();
    const charlie0 = free(charlie);
    const b = await block(
      call(charlie, "remove_stake", { hotkey: bobHot, amountUnstaked: 3n * TAO }), // leaves 9 < 10: cleared
      call(bob, "remove_stake", { hotkey: bobHot, amountUnstaked: 2n * TAO }), // owner keeps 1 TAO
    ); // block 12
    expect(b.out).toEqual(["ok", "ok"]);
    const s = h!.chain.bestState();
    expect(free(charlie)).toBe(charlie0 + 12n * TAO);
    expect(Stake.exists(s, bobHot, charlie.publicKey)).toBe(false);
    expect(StakingHotkeys.get(s, charlie.publicKey)).toEqual([]);
    expect(TotalColdkeyStake.get(s, charlie.publicKey)).toBe(0n);
    expect(stake(bobHot, bob)).toBe(TAO);
    expect(TotalHotkeyStake.get(s, bobHot)).toBe(TAO);
    expect(eventsOf(b)).toEqual([
      ["StakeRemoved", [bobHot, 3n * TAO]],
      ["StakeRemoved", [bobHot, 2n * TAO]],
    ]);
    assertLedgerAddsUp(view(h!));
  });
});

describe("become_delegate", () => {
  it("makes the hotkey a delegate with the default take (MaxTake, 18 %) and records the block for both rate limits", async () => {
    await chain();
    const b = await block(call(bob, "become_delegate", { hotkey: bobHot }));
    expect(b.out).toEqual(["ok"]);
    const s = h!.chain.bestState();
    expect(Delegates.get(s, bobHot)).toBe(C.InitialDefaultTake);
    expect(Delegates.exists(s, bobHot)).toBe(true);
    expect(LastTxBlock.get(s, bob.publicKey)).toBe(1n);
    expect(LastTxBlockDelegateTake.get(s, bob.publicKey)).toBe(1n);
    expect(eventsOf(b)).toEqual([["DelegateAdded", [bob.publicKey, bobHot, 11_796]]]);
  });

  it("takes MaxTake as configured", async () => {
    await chain({ maxTake: 10_000 });
    const b = await block(call(bob, "become_delegate", { hotkey: bobHot }));
    expect(eventsOf(b)).toEqual([["DelegateAdded", [bob.publicKey, bobHot, 10_000]]]);
  });

  it("errors: HotKeyAccountNotExists, NonAssociatedColdKey, HotKeyAlreadyDelegate", async () => {
    await chain();
    await block(call(bob, "become_delegate", { hotkey: bobHot }));
    const b = await block(
      call(charlie, "become_delegate", { hotkey: strayHot }, 0),
      call(charlie, "become_delegate", { hotkey: bobHot }, 1),
      call(bob, "become_delegate", { hotkey: bobHot }, 1),
    );
    expect(b.out).toEqual(["HotKeyAccountNotExists", "NonAssociatedColdKey", "HotKeyAlreadyDelegate"]);
  });

  it("DelegateTxRateLimitExceeded within TxRateLimit blocks of the coldkey's last transaction (add_stake counts)", async () => {
    await chain();
    await block(call(alice, "add_stake", { hotkey: aliceHot, amountStaked: TAO })); // block 1: LastTxBlock = 1
    for (let n = 2; n <= 5; n++) await h!.produce();
    expect((await block(call(alice, "become_delegate", { hotkey: aliceHot }))).out).toEqual(["DelegateTxRateLimitExceeded"]); // block 6: 6 − 1 ≤ 5
    expect((await block(call(alice, "become_delegate", { hotkey: aliceHot }))).out).toEqual(["ok"]); // block 7
  });

  it("DelegateTakeTooLow when MinTake exceeds the default take (MinTake written by sudo set_storage)", async () => {
    await chain();
    await sudoWrite(h!, (s) => MinTake.put(s, 20_000));
    expect((await block(call(bob, "become_delegate", { hotkey: bobHot }))).out).toEqual(["DelegateTakeTooLow"]);
  });
});

describe("decrease_take", () => {
  it("lowers the take (TakeDecreased), down to MinTake, without a rate limit", async () => {
    await chain();
    await block(call(bob, "become_delegate", { hotkey: bobHot }));
    const b1 = await block(call(bob, "decrease_take", { hotkey: bobHot, take: 8_000 }));
    expect(b1.out).toEqual(["ok"]);
    expect(eventsOf(b1)).toEqual([["TakeDecreased", [bob.publicKey, bobHot, 8_000]]]);
    const b2 = await block(call(bob, "decrease_take", { hotkey: bobHot, take: C.InitialMinTake }));
    expect(b2.out).toEqual(["ok"]);
    expect(Delegates.get(h!.chain.bestState(), bobHot)).toBe(C.InitialMinTake);
  });

  it("errors: HotKeyAccountNotExists, NonAssociatedColdKey, DelegateTakeTooLow (not strictly lower, or below MinTake)", async () => {
    await chain();
    await block(call(bob, "become_delegate", { hotkey: bobHot }));
    const b = await block(
      call(bob, "decrease_take", { hotkey: strayHot, take: 8_000 }, 1),
      call(charlie, "decrease_take", { hotkey: bobHot, take: 8_000 }, 0),
      call(bob, "decrease_take", { hotkey: bobHot, take: C.InitialDefaultTake }, 2),
      call(bob, "decrease_take", { hotkey: bobHot, take: C.InitialMinTake - 1 }, 3),
    );
    expect(b.out).toEqual(["HotKeyAccountNotExists", "NonAssociatedColdKey", "DelegateTakeTooLow", "DelegateTakeTooLow"]);
    expect(Delegates.get(h!.chain.bestState(), bobHot)).toBe(C.InitialDefaultTake);
  });

  it("on a hotkey that is not a delegate it inserts the take, making it one (classic behaviour)", async () => {
    await chain();
    const b = await block(call(alice, "decrease_take", { hotkey: aliceHot, take: 9_000 }));
    expect(b.out).toEqual(["ok"]);
    expect(Delegates.get(h!.chain.bestState(), aliceHot)).toBe(9_000);
    expect((await block(call(charlie, "add_stake", { hotkey: aliceHot, amountStaked: TAO }))).out).toEqual(["ok"]);
  });
});

describe("increase_take", () => {
  it("raises the take (TakeIncreased) once TxDelegateTakeRateLimit blocks have passed since the last take change", async () => {
    await chain();
    await block(call(bob, "become_delegate", { hotkey: bobHot })); // block 1
    await block(call(bob, "decrease_take", { hotkey: bobHot, take: 6_000 })); // block 2 (decreases do not record)
    expect((await block(call(bob, "increase_take", { hotkey: bobHot, take: 8_000 }))).out).toEqual(["DelegateTxRateLimitExceeded"]); // block 3
    for (let n = 4; n <= 11; n++) await h!.produce();
    const b = await block(call(bob, "increase_take", { hotkey: bobHot, take: 8_000 })); // block 12: 12 − 1 > 10
    expect(b.out).toEqual(["ok"]);
    expect(eventsOf(b)).toEqual([["TakeIncreased", [bob.publicKey, bobHot, 8_000]]]);
    const s = h!.chain.bestState();
    expect(Delegates.get(s, bobHot)).toBe(8_000);
    expect(LastTxBlockDelegateTake.get(s, bob.publicKey)).toBe(12n);
    expect((await block(call(bob, "increase_take", { hotkey: bobHot, take: 9_000 }))).out).toEqual(["DelegateTxRateLimitExceeded"]);
  });

  it("errors: HotKeyAccountNotExists, NonAssociatedColdKey, DelegateTakeTooLow (not strictly higher), DelegateTakeTooHigh (above MaxTake)", async () => {
    await chain({ txDelegateTakeRateLimit: 0 });
    await block(call(bob, "become_delegate", { hotkey: bobHot }), call(alice, "become_delegate", { hotkey: aliceHot }));
    await block(call(bob, "decrease_take", { hotkey: bobHot, take: 6_000 }));
    const b = await block(
      call(bob, "increase_take", { hotkey: strayHot, take: 8_000 }, 2),
      call(alice, "increase_take", { hotkey: bobHot, take: 8_000 }, 1),
      call(bob, "increase_take", { hotkey: bobHot, take: 6_000 }, 3),
      call(bob, "increase_take", { hotkey: bobHot, take: C.InitialDefaultTake + 1 }, 4),
      call(bob, "increase_take", { hotkey: bobHot, take: C.InitialDefaultTake }, 5), // up to MaxTake is fine
    );
    expect(b.out).toEqual(["HotKeyAccountNotExists", "NonAssociatedColdKey", "DelegateTakeTooLow", "DelegateTakeTooHigh", "ok"]);
  });
});

describe("pool guard", () => {
  it("staking calls get Subtensor's vanilla priority (u64::MAX)", async () => {
    await chain();
    const decl = stakingCalls.find((c) => c.name === "add_stake")!;
    expect(decl.validate!({ state: h!.chain.bestState(), who: alice.publicKey, current: 1 }, {})).toEqual({ priority: C.U64_MAX });
  });
});
