/**
 * root_register (62) through real extrinsics: joining the root network (netuid 0, created at
 * genesis), the forced delegate take, the per-block and per-interval limits, and the stake-based
 * replacement when root is full (StakeTooLowForRoot; the replaced hotkey is unstaked when it is
 * registered nowhere else, as classic `replace_neuron` does).
 */
import { afterEach, describe, expect, it } from "vitest";
import { ChainHarness } from "../../../../../../test/utils/chainHarness.js";
import { devChainSpec } from "../../../../spec.js";
import type { StorageAccess } from "../../../../state/types.js";
import * as S from "../storage.js";
import { addr, advanceTo, checkIssuance, eventsOf, hotkey, issuanceGap, outcomes, pair, st, sudoWrite, TAO, view } from "../../../../../../test/utils/subtensor/subnets.js";

let h: ChainHarness;
afterEach(async () => {
  await h?.close();
});

async function chain(subtensor: Record<string, unknown> = {}): Promise<ChainHarness> {
  const spec = await devChainSpec();
  h = await ChainHarness.create({ ...spec, subtensor });
  return h;
}

const rootRegister = (signer: string, hk: Uint8Array, nonce?: number) => st(h, pair(signer), "root_register", { hotkey: hk }, nonce);

/**
 * Gives `hk` a stake of `amount` from `coldkey`, as add_stake would leave it: the hotkey has an
 * owner (the coldkey if it had none), and the ledger, its totals and the issuance agree.
 */
function stake(s: StorageAccess, hk: Uint8Array, coldkey: Uint8Array, amount: bigint): void {
  if (!S.Owner.exists(s, hk)) S.Owner.put(s, coldkey, hk);
  S.Stake.put(s, S.Stake.get(s, hk, coldkey) + amount, hk, coldkey);
  S.TotalHotkeyStake.put(s, S.TotalHotkeyStake.get(s, hk) + amount, hk);
  S.TotalColdkeyStake.put(s, S.TotalColdkeyStake.get(s, coldkey) + amount, coldkey);
  S.TotalStake.put(s, S.TotalStake.get(s) + amount);
  S.TotalIssuance.put(s, S.TotalIssuance.get(s) + amount);
}

describe("root_register", () => {
  it("appends the hotkey to root, binds it to the coldkey and makes it a delegate with the 18 % take", async () => {
    await chain();
    const bob = pair("Bob");
    const hk = hotkey(1);
    const block = await h.produce([rootRegister("Bob", hk)]);
    expect(outcomes(block)).toEqual(["ok"]);
    expect(eventsOf(block)).toEqual([["NeuronRegistered", [0, 0, hk]]]);
    const s = view(h);
    expect(S.Uids.get(s, 0, hk)).toBe(0);
    expect(S.SubnetworkN.get(s, 0)).toBe(1);
    expect(S.Owner.get(s, hk)).toEqual(bob.publicKey);
    expect(S.Delegates.get(s, hk)).toBe(11_796);
    expect(S.Delegates.exists(s, hk)).toBe(true);
    expect(S.RegistrationsThisBlock.get(s, 0)).toBe(1);
    expect(S.RegistrationsThisInterval.get(s, 0)).toBe(1);
    // Root registration is free and does not touch the recycled-burn counters.
    expect(S.BurnRegistrationsThisInterval.get(s, 0)).toBe(0);
    checkIssuance(h);
  });

  it("keeps the take of a hotkey that already is a delegate", async () => {
    await chain();
    const hk = hotkey(1);
    await sudoWrite(h, (s) => S.Delegates.put(s, 5000, hk));
    expect(outcomes(await h.produce([rootRegister("Bob", hk)]))).toEqual(["ok"]);
    expect(S.Delegates.get(view(h), hk)).toBe(5000);
  });

  it("RootNetworkDoesNotExist when genesis created no root network", async () => {
    await chain({ rootNetwork: false });
    expect(outcomes(await h.produce([rootRegister("Bob", hotkey(1))]))).toEqual(["RootNetworkDoesNotExist"]);
  });

  it("TooManyRegistrationsThisBlock (root allows 1 per block), TooManyRegistrationsThisInterval (3 × target 1 per 100 blocks), HotKeyAlreadyRegisteredInSubNet", async () => {
    await chain();
    const n = h.nonceOf(pair("Bob"));
    expect(outcomes(await h.produce([rootRegister("Bob", hotkey(1), n), rootRegister("Bob", hotkey(2), n + 1)]))).toEqual(["ok", "TooManyRegistrationsThisBlock"]);
    expect(outcomes(await h.produce([rootRegister("Bob", hotkey(1))]))).toEqual(["HotKeyAlreadyRegisteredInSubNet"]);
    expect(outcomes(await h.produce([rootRegister("Bob", hotkey(2))]))).toEqual(["ok"]);
    expect(outcomes(await h.produce([rootRegister("Bob", hotkey(3))]))).toEqual(["ok"]);
    // The interval cap is not guarded in the pool for root_register: the call itself refuses.
    expect(outcomes(await h.produce([rootRegister("Bob", hotkey(4))]))).toEqual(["TooManyRegistrationsThisInterval"]);
    // Block 100 ends root's first adjustment interval (AdjustmentInterval 100): counters reset.
    await advanceTo(h, 99);
    expect(outcomes(await h.produce([rootRegister("Bob", hotkey(4))]))).toEqual(["ok"]);
    expect(S.LastAdjustmentBlock.get(view(h), 0)).toBe(100n);
    expect(S.SubnetworkN.get(view(h), 0)).toBe(4);
  });

  describe("when root is full (2 slots here)", () => {
    const full = { rootNetwork: { maxAllowedUids: 2, maxAllowedValidators: 2 }, subnets: [{ netuid: 1, owner: addr("Alice"), hyperparameters: { maxRegistrationsPerBlock: 10 } }] };

    it("StakeTooLowForRoot unless the newcomer's stake is strictly above the lowest member's; then replaces that member and unstakes it", async () => {
      await chain(full);
      const [a, b, c] = [hotkey(1), hotkey(2), hotkey(3)];
      const charlie = pair("Charlie").publicKey;
      await h.produce([rootRegister("Bob", a)]); // uid 0
      await h.produce([rootRegister("Charlie", b)]); // uid 1
      await sudoWrite(h, (s) => {
        stake(s, a, pair("Bob").publicKey, 10n * TAO);
        stake(s, b, charlie, 5n * TAO);
        stake(s, c, pair("Dave").publicKey, 5n * TAO);
      });
      const gap = issuanceGap(h);
      checkIssuance(h, gap);

      expect(outcomes(await h.produce([rootRegister("Dave", c)]))).toEqual(["StakeTooLowForRoot"]);
      expect(S.Keys.get(view(h), 0, 1)).toEqual(b);

      await sudoWrite(h, (s) => stake(s, c, pair("Dave").publicKey, 1n));
      const gap2 = issuanceGap(h);
      const charlieBefore = h.freeOf(charlie);
      const block = await h.produce([rootRegister("Dave", c)]);
      expect(outcomes(block)).toEqual(["ok"]);
      expect(eventsOf(block)).toEqual([["NeuronRegistered", [0, 1, c]]]);
      const s = view(h);
      expect(S.Keys.get(s, 0, 1)).toEqual(c);
      expect(S.Uids.get(s, 0, c)).toBe(1);
      expect(S.Uids.exists(s, 0, b)).toBe(false);
      expect(S.IsNetworkMember.exists(s, b, 0)).toBe(false);
      expect(S.BlockAtRegistration.get(s, 0, 1)).toBe(BigInt(h.chain.best.number));
      expect(S.SubnetworkN.get(s, 0)).toBe(2);
      // b is registered nowhere else any more: its nominators are paid out (classic replace_neuron).
      expect(h.freeOf(charlie)).toBe(charlieBefore + 5n * TAO);
      expect(S.Stake.get(s, b, charlie)).toBe(0n);
      expect(S.TotalHotkeyStake.get(s, b)).toBe(0n);
      expect(S.TotalColdkeyStake.get(s, charlie)).toBe(0n);
      expect(S.TotalStake.get(s)).toBe(10n * TAO + 5n * TAO + 1n);
      expect(S.Owner.get(s, b)).toEqual(charlie); // ownership survives deregistration
      checkIssuance(h, gap2);
    });

    it("on equal lowest stakes replaces the first UID in storage order; a member registered on a subnet keeps its stake", async () => {
      await chain(full);
      const [a, b, c] = [hotkey(1), hotkey(2), hotkey(3)];
      const bob = pair("Bob").publicKey;
      await h.produce([rootRegister("Bob", a), st(h, pair("Bob"), "burned_register", { netuid: 1, hotkey: a }, h.nonceOf(pair("Bob")) + 1)]);
      await h.produce([rootRegister("Charlie", b)]);
      await sudoWrite(h, (s) => {
        stake(s, a, bob, 5n * TAO);
        stake(s, b, pair("Charlie").publicKey, 5n * TAO);
        stake(s, c, pair("Dave").publicKey, 6n * TAO);
      });
      const gap = issuanceGap(h);
      const bobBefore = h.freeOf(bob);
      const block = await h.produce([rootRegister("Dave", c)]);
      expect(eventsOf(block)).toEqual([["NeuronRegistered", [0, 0, c]]]);
      const s = view(h);
      expect(S.Keys.get(s, 0, 0)).toEqual(c);
      expect(S.Uids.exists(s, 0, a)).toBe(false);
      // a is still on subnet 1, so its stake stays where it is.
      expect(S.IsNetworkMember.get(s, a, 1)).toBe(true);
      expect(S.Stake.get(s, a, bob)).toBe(5n * TAO);
      expect(h.freeOf(bob)).toBe(bobBefore);
      checkIssuance(h, gap);
    });
  });
});
