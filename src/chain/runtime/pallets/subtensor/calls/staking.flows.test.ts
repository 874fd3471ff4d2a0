/**
 * Scenario: stake and delegate flows with totals that always add up.
 *
 * Four coldkeys nominate Alice's delegate hotkey (and later Bob's) over many blocks: adds and
 * removes, nominations below the minimum (refused, or cleared on remove), the per-(coldkey, hotkey)
 * rate-limit window sliding from each pair's last operation, take changes. After EVERY block:
 * TotalStake == Σ Stake == Σ TotalHotkeyStake == Σ TotalColdkeyStake (and per key), and — as all
 * these calls are fee-free — SubtensorModule.TotalIssuance == Σ balances + Σ stakes exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { ChainHarness } from "../../../../../../test/utils/chainHarness.js";
import { devChainSpec, TAO } from "../../../../spec.js";
import { Delegates, Stake, TotalHotkeyStake, TotalStake } from "../storage.js";
import { assertIssuanceInvariant, assertLedgerAddsUp, outcomes, st, view } from "../../../../../../test/utils/subtensor/staking.js";

let h: ChainHarness;
let keyring: Keyring;
let alice: KeyringPair, bob: KeyringPair, charlie: KeyringPair, dave: KeyringPair, eve: KeyringPair, ferdie: KeyringPair;
let aliceHot: Uint8Array, bobHot: Uint8Array;

beforeAll(async () => {
  await cryptoWaitReady();
  keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
  [alice, bob, charlie, dave, eve, ferdie] = ["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"].map((n) => keyring.addFromUri(`//${n}`));
  aliceHot = keyring.addFromUri("//Alice//hot").publicKey;
  bobHot = keyring.addFromUri("//Bob//hot").publicKey;
  const spec = await devChainSpec();
  spec.subtensor = {
    txRateLimit: 3,
    txDelegateTakeRateLimit: 5,
    stakeInterval: 4,
    targetStakesPerInterval: 2,
    nominatorMinRequiredStake: (2n * TAO).toString(),
    subnets: [
      { netuid: 1, owner: alice.address, ownerHotkey: keyring.encodeAddress(aliceHot) },
      { netuid: 2, owner: bob.address, ownerHotkey: keyring.encodeAddress(bobHot) },
    ],
  };
  h = await ChainHarness.create(spec);
});

afterAll(async () => {
  await h?.close();
});

type Tx = [KeyringPair, string, Record<string, unknown>, string];
const add = (who: KeyringPair, hotkey: Uint8Array, tao: bigint, expect: string): Tx => [who, "add_stake", { hotkey, amountStaked: tao * TAO }, expect];
const remove = (who: KeyringPair, hotkey: Uint8Array, tao: bigint, expect: string): Tx => [who, "remove_stake", { hotkey, amountUnstaked: tao * TAO }, expect];

describe("stake and delegate flows with totals that always add up", () => {
  it("several coldkeys nominating delegates over 16 blocks: outcomes, ledger and issuance checked after every block", async () => {
    const plan: Tx[][] = [
      /* 1 */ [
        [alice, "become_delegate", { hotkey: aliceHot }, "ok"],
        add(charlie, aliceHot, 10n, "ok"),
        add(dave, aliceHot, 1n, "NomStakeBelowMinimumThreshold"),
      ],
      /* 2 */ [add(dave, aliceHot, 5n, "ok"), add(eve, aliceHot, 8n, "ok"), add(ferdie, bobHot, 3n, "HotKeyNotDelegateAndSignerNotOwnHotKey")],
      /* 3 */ [add(charlie, aliceHot, 4n, "ok"), add(alice, aliceHot, 50n, "ok")], // Charlie's 2nd operation in his window
      /* 4 */ [remove(charlie, aliceHot, 1n, "UnstakeRateLimitExceeded"), [bob, "become_delegate", { hotkey: bobHot }, "ok"]],
      /* 5 */ [add(ferdie, bobHot, 3n, "ok"), add(eve, bobHot, 2n, "ok")], // Eve's pair with Bob's hotkey has its own count
      /* 6 */ [remove(eve, aliceHot, 7n, "ok")], // leaves 1 < 2 TAO: the nomination is cleared, all 8 TAO returned
      /* 7 */ [remove(charlie, aliceHot, 1n, "ok"), remove(dave, aliceHot, 5n, "ok")], // 3 + 4 ≤ 7: Charlie's window is over
      /* 8 */ [[alice, "decrease_take", { hotkey: aliceHot, take: 9_000 }, "ok"], add(bob, bobHot, 20n, "ok")],
      /* 9 */ [add(charlie, aliceHot, 2n, "ok")],
      /* 10 */ [add(charlie, aliceHot, 2n, "StakeRateLimitExceeded")], // 2 operations since block 7
      /* 11 */ [[alice, "increase_take", { hotkey: aliceHot, take: 10_000 }, "ok"], add(dave, bobHot, 1n, "NomStakeBelowMinimumThreshold")],
      /* 12 */ [remove(ferdie, bobHot, 3n, "ok"), remove(alice, aliceHot, 50n, "ok")],
      /* 13 */ [remove(charlie, aliceHot, 15n, "ok"), remove(eve, bobHot, 3n, "NotEnoughStakeToWithdraw")],
      /* 14 */ [[alice, "increase_take", { hotkey: aliceHot, take: 11_000 }, "DelegateTxRateLimitExceeded"]],
      /* 15 */ [],
      /* 16 */ [[alice, "become_delegate", { hotkey: aliceHot }, "HotKeyAlreadyDelegate"]],
    ];

    const free0 = new Map([charlie, dave, eve, ferdie, bob].map((k) => [k.address, h.freeOf(k.publicKey)]));
    assertLedgerAddsUp(view(h), "at genesis");
    assertIssuanceInvariant(view(h), "at genesis");
    for (const [i, txs] of plan.entries()) {
      const nonces = new Map<string, number>();
      const xts = txs.map(([who, name, args]) => {
        const n = nonces.get(who.address) ?? h.nonceOf(who);
        nonces.set(who.address, n + 1);
        return st(h, who, name, args, n);
      });
      const block = await h.produce(xts);
      expect(outcomes(block), `block ${i + 1}`).toEqual(txs.map((t) => t[3]));
      assertLedgerAddsUp(view(h), `after block ${i + 1}`);
      assertIssuanceInvariant(view(h), `after block ${i + 1}`);
    }

    const s = h.chain.bestState();
    // Alice's hotkey: every nominator has left (cleared rows are gone); Alice's own row stays at 0.
    expect(TotalHotkeyStake.get(s, aliceHot)).toBe(0n);
    expect(Stake.exists(s, aliceHot, charlie.publicKey)).toBe(false);
    expect(Stake.exists(s, aliceHot, dave.publicKey)).toBe(false);
    expect(Stake.exists(s, aliceHot, eve.publicKey)).toBe(false);
    expect(Stake.get(s, aliceHot, alice.publicKey)).toBe(0n);
    // Bob's hotkey: Bob 20, Eve 2 (Ferdie's nomination cleared).
    expect(Stake.get(s, bobHot, bob.publicKey)).toBe(20n * TAO);
    expect(Stake.get(s, bobHot, eve.publicKey)).toBe(2n * TAO);
    expect(Stake.exists(s, bobHot, ferdie.publicKey)).toBe(false);
    expect(TotalStake.get(s)).toBe(22n * TAO);
    expect(Delegates.get(s, aliceHot)).toBe(10_000);
    // Fee-free calls: everyone who left got exactly their TAO back.
    expect(h.freeOf(charlie.publicKey)).toBe(free0.get(charlie.address));
    expect(h.freeOf(dave.publicKey)).toBe(free0.get(dave.address));
    expect(h.freeOf(ferdie.publicKey)).toBe(free0.get(ferdie.address));
    expect(h.freeOf(eve.publicKey)).toBe(free0.get(eve.address)! - 2n * TAO);
    expect(h.freeOf(bob.publicKey)).toBe(free0.get(bob.address)! - 20n * TAO);
  });
});
