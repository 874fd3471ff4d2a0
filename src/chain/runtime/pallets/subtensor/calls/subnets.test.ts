/**
 * register_network (59) and dissolve_network (61) through real extrinsics: the new subnet's
 * state and events, the lock (taken from the coldkey, recorded in SubnetLocked, returned on
 * dissolution), the lock cost doubling and decaying, the rate limit, the subnet limit with the
 * pruning of the lowest-emission non-immune subnet, and every error path.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ChainHarness } from "../../../../../../test/utils/chainHarness.js";
import { devChainSpec } from "../../../../spec.js";
import { TotalIssuance as BalancesTotalIssuance } from "../../balances.js";
import * as C from "../constants.js";
import * as S from "../storage.js";
import { addr, checkIssuance, eventsOf, issuanceGap, hotkey, outcomes, pair, st, sudo, sudoResult, sudoWrite, TAO, view } from "../../../../../../test/utils/subtensor/subnets.js";

const MIN_LOCK = 1000n * TAO;

let h: ChainHarness;
afterEach(async () => {
  await h?.close();
});

async function chain(subtensor: Record<string, unknown>, balances: Array<[string, string]> = []): Promise<ChainHarness> {
  const spec = await devChainSpec();
  h = await ChainHarness.create({ ...spec, balances: [...spec.balances, ...balances], subtensor });
  return h;
}

const free = (who: string) => h.freeOf(pair(who).publicKey);

describe("register_network", () => {
  it("creates subnet 1 with the new-subnet values, locks 1000 TAO from the coldkey, and emits the setters' events then NetworkAdded", async () => {
    await chain({ networkRateLimit: 0 });
    const bob = pair("Bob");
    const before = { bob: free("Bob"), balancesTi: BalancesTotalIssuance.get(view(h)), ti: S.TotalIssuance.get(view(h)) };
    const block = await h.produce([st(h, bob, "register_network")]);
    expect(outcomes(block)).toEqual(["ok"]);

    const s = view(h);
    // First registration ever: multiplier 1, so the price is the minimum (the decay term is tiny).
    expect(S.SubnetLocked.get(s, 1)).toBe(MIN_LOCK);
    expect(free("Bob")).toBe(before.bob - MIN_LOCK);
    // Locked TAO leaves Balances' issuance but SubtensorModule keeps counting it.
    expect(BalancesTotalIssuance.get(s)).toBe(before.balancesTi - MIN_LOCK);
    expect(S.TotalIssuance.get(s)).toBe(before.ti);
    expect(S.NetworkLastLockCost.get(s)).toBe(MIN_LOCK);
    expect(S.NetworkLastRegistered.get(s)).toBe(1n);
    expect(S.NetworkRegisteredAt.get(s, 1)).toBe(1n);
    expect(S.SubnetOwner.get(s, 1)).toEqual(bob.publicKey);
    expect(S.NetworksAdded.get(s, 1)).toBe(true);
    expect(S.TotalNetworks.get(s)).toBe(2); // root + subnet 1
    // classic: the subnet starts without neurons
    expect(S.SubnetworkN.get(s, 1)).toBe(0);
    expect(S.Keys.entries(s, 1)).toEqual([]);
    expect(S.Tempo.get(s, 1)).toBe(360);
    expect(S.MaxAllowedUids.get(s, 1)).toBe(256);
    expect(S.MaxAllowedValidators.get(s, 1)).toBe(64);
    expect(S.MinAllowedWeights.get(s, 1)).toBe(1);
    expect(S.MaxWeightsLimit.get(s, 1)).toBe(65535);
    expect(S.ImmunityPeriod.get(s, 1)).toBe(5000);
    expect(S.AdjustmentInterval.get(s, 1)).toBe(360);
    expect(S.TargetRegistrationsPerInterval.get(s, 1)).toBe(1);
    expect(S.AdjustmentAlpha.get(s, 1)).toBe(17_893_341_751_498_265_066n);
    expect(S.MinBurn.get(s, 1)).toBe(1n);
    expect(S.MinDifficulty.get(s, 1)).toBe(C.U64_MAX);
    expect(S.NetworkRegistrationAllowed.get(s, 1)).toBe(true);
    checkIssuance(h);

    expect(eventsOf(block).map(([n]) => n)).toEqual([
      "RegistrationAllowed",
      "MaxAllowedUidsSet",
      "MaxAllowedValidatorsSet",
      "MinAllowedWeightSet",
      "MaxWeightLimitSet",
      "AdjustmentIntervalSet",
      "RegistrationPerIntervalSet",
      "AdjustmentAlphaSet",
      "ImmunityPeriodSet",
      "MinBurnSet",
      "MinDifficultySet",
      "MaxDifficultySet",
      "NetworkAdded",
    ]);
    expect(eventsOf(block).at(-1)![1]).toEqual([1, 0]);
    expect(eventsOf(block, "Balances")).toContainEqual(["Withdraw", { who: bob.publicKey, amount: MIN_LOCK }]);

    // the owner registers a hotkey like anyone else, and it becomes UID 0
    const ownerHotkey = hotkey(7);
    expect(outcomes(await h.produce([st(h, bob, "burned_register", { netuid: 1, hotkey: ownerHotkey })]))).toEqual(["ok"]);
    expect(S.Keys.get(view(h), 1, 0)).toEqual(ownerHotkey);
    expect(S.Owner.get(view(h), ownerHotkey)).toEqual(bob.publicKey);
  });

  it("takes no argument, as classic Subtensor: the call is SubtensorModule (7) + index 59 and nothing else", async () => {
    await chain({ networkRateLimit: 0 });
    expect(h.encodeCall("SubtensorModule", "register_network")).toEqual(new Uint8Array([7, 59]));
    expect(h.runtime.pallet("SubtensorModule").call("register_network").args).toEqual([]);
    // current Subtensor's form, with a hotkey after the index, does not decode here
    const withHotkey = new Uint8Array([7, 59, ...hotkey(1)]);
    expect(() => h.runtime.callCodec.decode(withHotkey)).toThrow();
  });

  it("takes the next free netuid (a dissolved one is reused)", async () => {
    await chain({ networkRateLimit: 0, subnets: [{ netuid: 2, owner: addr("Eve") }] });
    const b1 = await h.produce([st(h, pair("Bob"), "register_network"), st(h, pair("Charlie"), "register_network")]);
    expect(outcomes(b1)).toEqual(["ok", "ok"]);
    expect(S.SubnetOwner.get(view(h), 1)).toEqual(pair("Bob").publicKey);
    expect(S.SubnetOwner.get(view(h), 3)).toEqual(pair("Charlie").publicKey);
    await h.produce([st(h, pair("Bob"), "dissolve_network", { netuid: 1 })]);
    const b2 = await h.produce([st(h, pair("Dave"), "register_network")]);
    expect(eventsOf(b2).at(-1)).toEqual(["NetworkAdded", [1, 0]]);
  });

  it("prices each registration at double the last lock minus its linear decay (integer formula), back to the minimum", async () => {
    // A short reduction interval makes the decay visible: last_lock / 100 per block.
    await chain({ networkRateLimit: 0, networkLockReductionInterval: 100, subnetLimit: 20 });
    const lockOf = (netuid: number) => S.SubnetLocked.get(view(h), netuid);
    const register = async (who: string) => expect(outcomes(await h.produce([st(h, pair(who), "register_network")]))).toEqual(["ok"]);

    await register("Bob"); // block 1: never registered before → ×1 → the minimum
    expect(lockOf(1)).toBe(1_000_000_000_000n);
    await register("Bob"); // block 2: 2 × 1000 − 10 × 1 = 1990 TAO
    expect(lockOf(2)).toBe(1_990_000_000_000n);
    await register("Charlie"); // block 3: 2 × 1990 − 19.9 × 1 = 3960.1 TAO
    expect(lockOf(3)).toBe(3_960_100_000_000n);
    // 50 empty blocks, then at block 54: 2 × 3960.1 − 39.601 × 51 = 5900.549 TAO
    for (let i = 0; i < 50; i++) await h.produce();
    await register("Dave");
    expect(h.chain.best.number).toBe(54);
    expect(lockOf(4)).toBe(5_900_549_000_000n);
    expect(S.NetworkLastLockCost.get(view(h))).toBe(5_900_549_000_000n);
    // At block 254 the decay (59.00549 × 200) has eaten the whole doubled price: back to the minimum.
    for (let i = 0; i < 199; i++) await h.produce();
    await register("Eve");
    expect(h.chain.best.number).toBe(254);
    expect(lockOf(5)).toBe(MIN_LOCK);
    checkIssuance(h);
  });

  it("withdraws at most free − ED: a coldkey holding exactly the lock cost locks 500 RAO less", async () => {
    const poor = pair("ExactlyOneThousand");
    await chain({ networkRateLimit: 0 }, [[poor.address, MIN_LOCK.toString()]]);
    const block = await h.produce([st(h, poor, "register_network")]);
    expect(outcomes(block)).toEqual(["ok"]);
    expect(S.SubnetLocked.get(view(h), 1)).toBe(MIN_LOCK - 500n);
    expect(S.NetworkLastLockCost.get(view(h))).toBe(MIN_LOCK - 500n);
    expect(h.freeOf(poor.publicKey)).toBe(500n);
    checkIssuance(h);
  });

  it("NotEnoughBalanceToStake when the coldkey cannot pay the lock cost", async () => {
    const poor = pair("Poor");
    await chain({ networkRateLimit: 0 }, [[poor.address, (MIN_LOCK - 1n).toString()]]);
    const block = await h.produce([st(h, poor, "register_network")]);
    expect(outcomes(block)).toEqual(["NotEnoughBalanceToStake"]);
    expect(S.NetworksAdded.get(view(h), 1)).toBe(false);
    expect(h.freeOf(poor.publicKey)).toBe(MIN_LOCK - 1n);
  });

  it("NetworkTxRateLimitExceeded within NetworkRateLimit blocks of the last registration (the classic 7200 blocks by default)", async () => {
    await chain({});
    expect(outcomes(await h.produce([st(h, pair("Bob"), "register_network")]))).toEqual(["NetworkTxRateLimitExceeded"]);
    await h.close();

    await chain({ networkRateLimit: 2 });
    expect(outcomes(await h.produce([st(h, pair("Bob"), "register_network")]))).toEqual(["NetworkTxRateLimitExceeded"]); // block 1: 1 − 0 < 2
    expect(outcomes(await h.produce([st(h, pair("Bob"), "register_network")]))).toEqual(["ok"]); // block 2
    expect(outcomes(await h.produce([st(h, pair("Bob"), "register_network")]))).toEqual(["NetworkTxRateLimitExceeded"]); // block 3: 3 − 2 < 2
    expect(outcomes(await h.produce([st(h, pair("Bob"), "register_network")]))).toEqual(["ok"]); // block 4
  });

  describe("at SubnetLimit", () => {
    // Two subnets allowed (root does not count); immunity 3 blocks after registration.
    const limited = { networkRateLimit: 0, subnetLimit: 2, networkImmunityPeriod: 3 };

    it("AllNetworksInImmunity while every subnet is within NetworkImmunityPeriod", async () => {
      await chain(limited);
      expect(outcomes(await h.produce([st(h, pair("Bob"), "register_network")]))).toEqual(["ok"]); // block 1
      expect(outcomes(await h.produce([st(h, pair("Charlie"), "register_network")]))).toEqual(["ok"]); // block 2
      expect(outcomes(await h.produce([st(h, pair("Dave"), "register_network")]))).toEqual(["AllNetworksInImmunity"]); // block 3: 3 − 1 < 3
      expect(S.TotalNetworks.get(view(h))).toBe(3);
    });

    it("prunes the non-immune subnet with the lowest emission, returns its lock and reuses its netuid", async () => {
      await chain(limited);
      await h.produce([st(h, pair("Bob"), "register_network")]); // subnet 1, block 1
      await h.produce([st(h, pair("Charlie"), "register_network")]); // subnet 2, block 2
      const charlieLock = S.SubnetLocked.get(view(h), 2);
      // Subnet 1 earns emission, subnet 2 none: subnet 2 is pruned although it is the younger one.
      await sudoWrite(h, (s) => S.EmissionValues.put(s, 10n, 1)); // block 3
      await h.produce(); // block 4
      const charlieBefore = free("Charlie");
      const gap = issuanceGap(h);
      // subnet 2 accrued half of block 3's emission (fallback split), nothing once the root rule
      // (EmissionValues) gave everything to subnet 1
      expect(S.PendingEmission.get(view(h), 2)).toBe(TAO / 2n);
      const ti = S.TotalIssuance.get(view(h));
      const block = await h.produce([st(h, pair("Dave"), "register_network")]); // block 5: both out of immunity
      expect(outcomes(block)).toEqual(["ok"]);
      // the pruned subnet's unpaid emission is dropped (never issued), then it is removed
      expect(eventsOf(block).slice(0, 2)).toEqual([
        ["PendingEmissionDropped", { netuid: 2, amount: TAO / 2n }],
        ["NetworkRemoved", 2],
      ]);
      expect(S.TotalIssuance.get(view(h))).toBe(ti);
      expect(eventsOf(block).at(-1)).toEqual(["NetworkAdded", [2, 0]]);
      const s = view(h);
      expect(S.SubnetOwner.get(s, 2)).toEqual(pair("Dave").publicKey);
      expect(S.NetworkRegisteredAt.get(s, 2)).toBe(5n);
      expect(S.SubnetOwner.get(s, 1)).toEqual(pair("Bob").publicKey);
      expect(free("Charlie")).toBe(charlieBefore + charlieLock);
      expect(S.TotalNetworks.get(s)).toBe(3);
      checkIssuance(h, gap);
    });

    it("on equal emission prunes the earliest registered subnet; on a full tie the last netuid in storage order", async () => {
      await chain(limited);
      await h.produce([st(h, pair("Bob"), "register_network")]); // subnet 1, block 1
      await h.produce([st(h, pair("Charlie"), "register_network")]); // subnet 2, block 2
      await h.produce();
      await h.produce(); // block 4
      const b5 = await h.produce([st(h, pair("Dave"), "register_network")]); // block 5: subnet 1 is the oldest
      expect(eventsOf(b5).find(([n]) => n === "NetworkRemoved")).toEqual(["NetworkRemoved", 1]);
      expect(S.SubnetOwner.get(view(h), 1)).toEqual(pair("Dave").publicKey);
      await h.close();

      // Two subnets registered in the same block, same emission: Subtensor's stable sort keeps
      // storage order, and the last of it (netuid 2) goes.
      await chain(limited);
      expect(outcomes(await h.produce([st(h, pair("Bob"), "register_network"), st(h, pair("Charlie"), "register_network")]))).toEqual(["ok", "ok"]);
      for (let i = 0; i < 3; i++) await h.produce();
      const b = await h.produce([st(h, pair("Dave"), "register_network")]);
      expect(eventsOf(b).find(([n]) => n === "NetworkRemoved")).toEqual(["NetworkRemoved", 2]);
    });
  });
});

describe("dissolve_network", () => {
  /** Subnet 1 registered by Bob at block 1, a neuron on it, root weights on it, pending emission. */
  async function withSubnet() {
    await chain({ networkRateLimit: 0 });
    await h.produce([st(h, pair("Bob"), "register_network")]);
    const hk = hotkey(1);
    expect(outcomes(await h.produce([st(h, pair("Charlie"), "burned_register", { netuid: 1, hotkey: hk })]))).toEqual(["ok"]);
    await sudoWrite(h, (s) => {
      S.Weights.put(s, [[1, 100], [2, 50]] as Array<[number, number]>, 0, 0);
      S.PendingEmission.put(s, 5n * TAO, 1); // scheduled, not issued: TotalIssuance does not count it
      S.Axons.put(s, { block: 2n, version: 1, ip: 1n, port: 8091, ipType: 4, protocol: 0, placeholder1: 0, placeholder2: 0 }, 1, hk);
    });
    return { hk, gap: issuanceGap(h) };
  }

  it("by the owner: removes the subnet's state, returns the lock, zeroes root weights on it, emits NetworkRemoved", async () => {
    const { hk, gap } = await withSubnet();
    const bob = pair("Bob");
    const lock = S.SubnetLocked.get(view(h), 1);
    expect(lock).toBe(MIN_LOCK);
    const before = { bob: free("Bob"), ti: S.TotalIssuance.get(view(h)), pending: S.PendingEmission.get(view(h), 1) };
    expect(before.pending).toBe(5n * TAO);
    const block = await h.produce([st(h, bob, "dissolve_network", { netuid: 1 })]);
    expect(outcomes(block)).toEqual(["ok"]);
    // 5 TAO + this block's emission (subnet 1 is the only one to receive it) are dropped unpaid
    expect(eventsOf(block)).toEqual([
      ["PendingEmissionDropped", { netuid: 1, amount: before.pending + TAO }],
      ["NetworkRemoved", 1],
    ]);
    expect(eventsOf(block, "Balances")).toContainEqual(["Deposit", { who: bob.publicKey, amount: lock }]);

    const s = view(h);
    expect(free("Bob")).toBe(before.bob + lock);
    // The unpaid pending emission was never issued: the issuance does not move.
    expect(S.TotalIssuance.get(s)).toBe(before.ti);
    expect(S.NetworksAdded.get(s, 1)).toBe(false);
    expect(S.TotalNetworks.get(s)).toBe(1);
    for (const item of [S.SubnetworkN, S.Tempo, S.SubnetLocked, S.SubnetOwner, S.Burn, S.MaxAllowedUids, S.ImmunityPeriod, S.NetworkRegisteredAt, S.PendingEmission, S.Active, S.PruningScores]) {
      expect(item.exists(s, 1), item.name).toBe(false);
    }
    expect(S.Uids.exists(s, 1, hk)).toBe(false);
    expect(S.Keys.exists(s, 1, 0)).toBe(false);
    expect(S.BlockAtRegistration.exists(s, 1, 0)).toBe(false);
    expect(S.IsNetworkMember.exists(s, hk, 1)).toBe(false);
    expect(S.Axons.exists(s, 1, hk)).toBe(false);
    // The hotkey keeps its owner (ownership is not per subnet).
    expect(S.Owner.get(s, hk)).toEqual(pair("Charlie").publicKey);
    expect(S.Weights.get(s, 0, 0)).toEqual([[1, 0], [2, 50]]);
    checkIssuance(h, gap);
  });

  it("by root through sudo: the lock still goes back to the owner", async () => {
    const { gap } = await withSubnet();
    const before = free("Bob");
    const block = await h.produce([sudo(h, "SubtensorModule", "dissolve_network", { netuid: 1 })]);
    expect(sudoResult(block)).toBe("ok");
    expect(eventsOf(block)).toEqual([
      ["PendingEmissionDropped", { netuid: 1, amount: 6n * TAO }],
      ["NetworkRemoved", 1],
    ]);
    expect(free("Bob")).toBe(before + MIN_LOCK);
    expect(S.NetworksAdded.get(view(h), 1)).toBe(false);
    checkIssuance(h, gap);
  });

  it("NotSubnetOwner for another signer; SubNetworkDoesNotExist for an unknown netuid; the root network cannot be dissolved", async () => {
    await withSubnet();
    const bobNonce = h.nonceOf(pair("Bob"));
    const b1 = await h.produce([
      st(h, pair("Charlie"), "dissolve_network", { netuid: 1 }),
      st(h, pair("Bob"), "dissolve_network", { netuid: 9 }, bobNonce),
      st(h, pair("Bob"), "dissolve_network", { netuid: 0 }, bobNonce + 1),
    ]);
    expect(outcomes(b1)).toEqual(["NotSubnetOwner", "SubNetworkDoesNotExist", "NotSubnetOwner"]);
    expect(S.NetworksAdded.get(view(h), 1)).toBe(true);
    expect(sudoResult(await h.produce([sudo(h, "SubtensorModule", "dissolve_network", { netuid: 0 })]))).toBe("RegistrationNotPermittedOnRootSubnet");
    expect(sudoResult(await h.produce([sudo(h, "SubtensorModule", "dissolve_network", { netuid: 9 })]))).toBe("SubNetworkDoesNotExist");
    expect(S.NetworksAdded.get(view(h), 0)).toBe(true);
  });

  it("a genesis subnet locked nothing: dissolving it returns nothing", async () => {
    await chain({ subnets: [{ netuid: 3, owner: addr("Eve") }] });
    const before = free("Eve");
    const block = await h.produce([st(h, pair("Eve"), "dissolve_network", { netuid: 3 })]);
    expect(outcomes(block)).toEqual(["ok"]);
    expect(free("Eve")).toBe(before);
    expect(eventsOf(block, "Balances")).toEqual([]);
    checkIssuance(h);
  });
});
