import { beforeAll, describe, expect, it } from "vitest";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady, decodeAddress } from "@polkadot/util-crypto";
import type { EnumValue } from "../../../codec/scale.js";
import { ChainSpecError, parseChainSpec } from "../../../spec.js";
import { MemoryState, StateOverlay } from "../../../state/overlay.js";
import { TotalIssuance as BalancesTotalIssuance } from "../balances.js";
import * as C from "./constants.js";
import { SubtensorGenesisError, applySubtensorGenesis, parseSubtensorGenesis } from "./genesis.js";
import * as S from "./storage.js";
import { appendNeuron, initNewNetwork, initRootNetwork } from "./subnetsInit.js";

let ALICE: string;
let BOB: string;
let CHARLIE: string;

beforeAll(async () => {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
  [ALICE, BOB, CHARLIE] = ["Alice", "Bob", "Charlie"].map((n) => keyring.addFromUri(`//${n}`).address);
});

const fresh = () => new StateOverlay(new MemoryState());

/** Runs the parser and returns the SubtensorGenesisError's field (fails the test if it does not throw one). */
function fieldOf(raw: unknown): string {
  try {
    parseSubtensorGenesis(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(SubtensorGenesisError);
    const err = e as SubtensorGenesisError;
    expect(err.code).toBe("SUBTENSOR_GENESIS_INVALID");
    expect(err.message).toContain(err.type.field);
    return err.type.field;
  }
  throw new Error("expected a SubtensorGenesisError");
}

describe("the chain spec loader", () => {
  it("reports an invalid subtensor section as a ChainSpecError naming the field", () => {
    const spec = {
      name: "X",
      id: "x",
      consensus: { slotDurationMs: 1000, authorities: [{ aura: ALICE, grandpa: BOB }] },
      balances: [],
      subtensor: { netwrokRateLimit: 0 },
    };
    try {
      parseChainSpec(spec);
      throw new Error("expected a ChainSpecError");
    } catch (e) {
      expect(e).toBeInstanceOf(ChainSpecError);
      expect((e as ChainSpecError).type).toMatchObject({ code: "CHAIN_SPEC_INVALID", field: "subtensor.netwrokRateLimit" });
    }
  });
});

describe("parseSubtensorGenesis", () => {
  it("accepts an empty object (and undefined) with classic defaults", () => {
    for (const raw of [{}, undefined, null]) {
      expect(parseSubtensorGenesis(raw)).toEqual({
        params: {},
        emission: { halving: "block", equalSplitFallback: true },
        rootNetwork: { create: true, params: {} },
        subnets: [],
      });
    }
  });

  it("normalizes a full spec", () => {
    const g = parseSubtensorGenesis({
      networkRateLimit: 0,
      networkMinLockCost: "100000000000",
      subnetLimit: 32,
      stakeThreshold: "1000000000000",
      emission: { halving: "issuance", equalSplitFallback: true },
      rootNetwork: { tempo: 50 },
      subnets: [{ netuid: 1, owner: ALICE, ownerHotkey: BOB, hyperparameters: { tempo: 99, kappa: 30000, burn: "500000000", yuma3On: true, alphaSigmoidSteepness: -10 } }],
    });
    expect(g.params).toEqual({ networkRateLimit: 0n, networkMinLockCost: 100_000_000_000n, subnetLimit: 32, stakeThreshold: 1_000_000_000_000n });
    expect(g.emission).toEqual({ halving: "issuance", equalSplitFallback: true });
    expect(g.rootNetwork).toEqual({ create: true, params: { tempo: 50 } });
    expect(g.subnets).toEqual([
      { netuid: 1, owner: ALICE, ownerHotkey: BOB, hyperparameters: { tempo: 99, kappa: 30000, burn: 500_000_000n, yuma3On: true, alphaSigmoidSteepness: -10 } },
    ]);
    expect(parseSubtensorGenesis({ rootNetwork: false }).rootNetwork).toEqual({ create: false, params: {} });
  });

  it("names the bad field in every error", () => {
    expect(fieldOf([])).toBe("subtensor");
    expect(fieldOf({ netwrokRateLimit: 0 })).toBe("subtensor.netwrokRateLimit");
    expect(fieldOf({ subnetLimit: 70_000 })).toBe("subtensor.subnetLimit");
    expect(fieldOf({ subnetLimit: 1.5 })).toBe("subtensor.subnetLimit");
    expect(fieldOf({ txRateLimit: -1 })).toBe("subtensor.txRateLimit");
    expect(fieldOf({ networkMinLockCost: 2 ** 60 })).toBe("subtensor.networkMinLockCost"); // unsafe JSON number
    expect(fieldOf({ networkMinLockCost: "18446744073709551616" })).toBe("subtensor.networkMinLockCost");
    expect(fieldOf({ minTake: 20000, maxTake: 10000 })).toBe("subtensor.minTake");
    expect(fieldOf({ emission: { halving: "time" } })).toBe("subtensor.emission.halving");
    expect(fieldOf({ emission: { equalSplit: true } })).toBe("subtensor.emission.equalSplit");
    expect(fieldOf({ emission: { equalSplitFallback: "yes" } })).toBe("subtensor.emission.equalSplitFallback");
    expect(fieldOf({ rootNetwork: 1 })).toBe("subtensor.rootNetwork");
    expect(fieldOf({ rootNetwork: { kappa: 1 } })).toBe("subtensor.rootNetwork.kappa");
    expect(fieldOf({ rootNetwork: { maxAllowedValidators: 100 } })).toBe("subtensor.rootNetwork.maxAllowedValidators");
    expect(fieldOf({ subnets: {} })).toBe("subtensor.subnets");
    expect(fieldOf({ subnets: [7] })).toBe("subtensor.subnets[0]");
    expect(fieldOf({ subnets: [{ owner: ALICE }] })).toBe("subtensor.subnets[0].netuid");
    expect(fieldOf({ subnets: [{ netuid: 0, owner: ALICE }] })).toBe("subtensor.subnets[0].netuid");
    expect(fieldOf({ subnets: [{ netuid: 1, owner: ALICE }, { netuid: 1, owner: BOB }] })).toBe("subtensor.subnets[1].netuid");
    expect(fieldOf({ subnets: [{ netuid: 1 }] })).toBe("subtensor.subnets[0].owner");
    expect(fieldOf({ subnets: [{ netuid: 1, owner: "5NotAnAddress" }] })).toBe("subtensor.subnets[0].owner");
    expect(fieldOf({ subnets: [{ netuid: 1, owner: ALICE, ownerHotkey: 5 }] })).toBe("subtensor.subnets[0].ownerHotkey");
    expect(fieldOf({ subnets: [{ netuid: 1, owner: ALICE, ownerhotkey: BOB }] })).toBe("subtensor.subnets[0].ownerhotkey");
    expect(fieldOf({ subnets: [{ netuid: 1, owner: ALICE, ownerHotkey: CHARLIE }, { netuid: 2, owner: BOB, ownerHotkey: CHARLIE }] })).toBe(
      "subtensor.subnets[1].ownerHotkey",
    );
    expect(fieldOf({ subnets: [{ netuid: 1, owner: ALICE, hyperparameters: { tmpo: 5 } }] })).toBe("subtensor.subnets[0].hyperparameters.tmpo");
    expect(fieldOf({ subnets: [{ netuid: 1, owner: ALICE, hyperparameters: { tempo: 65536 } }] })).toBe("subtensor.subnets[0].hyperparameters.tempo");
    expect(fieldOf({ subnets: [{ netuid: 1, owner: ALICE, hyperparameters: { yuma3On: 1 } }] })).toBe("subtensor.subnets[0].hyperparameters.yuma3On");
    expect(fieldOf({ subnets: [{ netuid: 1, owner: ALICE, hyperparameters: { alphaSigmoidSteepness: 40000 } }] })).toBe(
      "subtensor.subnets[0].hyperparameters.alphaSigmoidSteepness",
    );
    expect(fieldOf({ subnets: [{ netuid: 1, owner: ALICE, hyperparameters: { maxAllowedValidators: 300 } }] })).toBe(
      "subtensor.subnets[0].hyperparameters.maxAllowedValidators",
    );
    expect(fieldOf({ subnets: [{ netuid: 1, owner: ALICE, hyperparameters: { minBurn: "200000000000" } }] })).toBe("subtensor.subnets[0].hyperparameters.minBurn");
    expect(fieldOf({ subnets: [{ netuid: 1, owner: ALICE, hyperparameters: { alphaLow: 60000 } }] })).toBe("subtensor.subnets[0].hyperparameters.alphaLow");
    expect(fieldOf({ subnets: [{ netuid: 1, owner: ALICE, ownerHotkey: BOB, hyperparameters: { maxAllowedUids: 0, maxAllowedValidators: 0 } }] })).toBe(
      "subtensor.subnets[0].hyperparameters.maxAllowedUids",
    );
    const many = Array.from({ length: 13 }, (_, i) => ({ netuid: i + 1, owner: ALICE }));
    expect(fieldOf({ subnets: many })).toBe("subtensor.subnets"); // over the classic SubnetLimit 12
    expect(() => parseSubtensorGenesis({ subnetLimit: 13, subnets: many })).not.toThrow();
  });
});

describe("applySubtensorGenesis", () => {
  it("writes TotalIssuance, the root network and each subnet as classic register_network does", () => {
    const state = fresh();
    BalancesTotalIssuance.put(state, 6_000_000n * 10n ** 9n);
    const g = parseSubtensorGenesis({
      subnets: [
        { netuid: 1, owner: ALICE, ownerHotkey: BOB },
        { netuid: 3, owner: CHARLIE, hyperparameters: { tempo: 99, kappa: 30000, maxAllowedUids: 1024, alphaHigh: 60000, liquidAlphaOn: true } },
      ],
    });
    applySubtensorGenesis(state, g, 0);

    expect(S.TotalIssuance.get(state)).toBe(6_000_000n * 10n ** 9n);
    expect(S.TotalNetworks.get(state)).toBe(3);

    // root network (netuid 0)
    expect(S.NetworksAdded.get(state, 0)).toBe(true);
    expect(S.SubnetworkN.exists(state, 0)).toBe(true);
    expect([S.MaxAllowedUids.get(state, 0), S.MaxAllowedValidators.get(state, 0), S.MinAllowedWeights.get(state, 0)]).toEqual([64, 64, 0]);
    expect([S.MaxWeightsLimit.get(state, 0), S.Tempo.get(state, 0), S.TargetRegistrationsPerInterval.get(state, 0)]).toEqual([65535, 100, 1]);
    expect(S.NetworkRegistrationAllowed.get(state, 0)).toBe(true);

    // netuid 1: init_new_network values, stored explicitly
    const n = 1;
    expect(S.NetworksAdded.get(state, n)).toBe(true);
    expect(S.Tempo.get(state, n)).toBe(360);
    expect(S.NetworkRegistrationAllowed.get(state, n)).toBe(true);
    expect(S.MaxAllowedUids.get(state, n)).toBe(256);
    expect(S.MaxAllowedValidators.get(state, n)).toBe(64);
    expect(S.MinAllowedWeights.get(state, n)).toBe(1);
    expect(S.MaxWeightsLimit.get(state, n)).toBe(65535);
    expect(S.AdjustmentInterval.get(state, n)).toBe(360);
    expect(S.TargetRegistrationsPerInterval.get(state, n)).toBe(1);
    expect(S.AdjustmentAlpha.get(state, n)).toBe(17_893_341_751_498_265_066n);
    expect(S.ImmunityPeriod.get(state, n)).toBe(5000);
    expect(S.MinBurn.get(state, n)).toBe(1n);
    expect(S.MinDifficulty.get(state, n)).toBe(C.U64_MAX);
    expect(S.MaxDifficulty.get(state, n)).toBe(C.U64_MAX);
    for (const item of [S.NetworkModality, S.Kappa, S.Difficulty, S.ActivityCutoff, S.EmissionValues, S.RegistrationsThisInterval, S.POWRegistrationsThisInterval, S.BurnRegistrationsThisInterval]) {
      expect([item.name, item.exists(state, n)]).toEqual([item.name, true]);
    }
    expect([S.Kappa.get(state, n), S.Difficulty.get(state, n), S.ActivityCutoff.get(state, n)]).toEqual([32767, 10_000_000n, 5000]);
    // untouched items keep their runtime defaults (absent from state)
    expect([S.Burn.exists(state, n), S.Burn.get(state, n)]).toEqual([false, 1_000_000_000n]);
    expect(S.NetworkPowRegistrationAllowed.get(state, n)).toBe(false);
    expect(S.SubnetLocked.exists(state, n)).toBe(false);
    // register_network bookkeeping
    expect(S.SubnetOwner.get(state, n)).toEqual(decodeAddress(ALICE));
    expect([S.NetworkRegisteredAt.exists(state, n), S.NetworkRegisteredAt.get(state, n)]).toEqual([true, 0n]);
    expect(S.NetworkLastRegistered.get(state)).toBe(0n);

    // owner hotkey registered as UID 0
    const bob = decodeAddress(BOB);
    const alice = decodeAddress(ALICE);
    expect(S.SubnetworkN.get(state, n)).toBe(1);
    expect(S.Keys.get(state, n, 0)).toEqual(bob);
    expect(S.Uids.get(state, n, bob)).toBe(0);
    expect(S.IsNetworkMember.get(state, bob, n)).toBe(true);
    expect(S.BlockAtRegistration.exists(state, n, 0)).toBe(true);
    expect(S.Owner.get(state, bob)).toEqual(alice);
    expect([S.Stake.exists(state, bob, alice), S.Stake.get(state, bob, alice)]).toEqual([true, 0n]);
    expect(S.OwnedHotkeys.get(state, alice)).toEqual([bob]);
    expect(S.StakingHotkeys.get(state, alice)).toEqual([bob]);
    expect(S.Active.get(state, n)).toEqual([true]);
    expect(S.LastUpdate.get(state, n)).toEqual([0n]);
    expect(S.Emission.get(state, n)).toEqual([0n]);
    expect(S.ValidatorPermit.get(state, n)).toEqual([false]);
    for (const item of [S.Rank, S.Trust, S.Consensus, S.Incentive, S.Dividends, S.PruningScores, S.ValidatorTrust]) expect(item.get(state, n)).toEqual([0]);

    // netuid 3: init values, then the overrides
    expect(S.Tempo.get(state, 3)).toBe(99);
    expect(S.Kappa.get(state, 3)).toBe(30000);
    expect(S.MaxAllowedUids.get(state, 3)).toBe(1024);
    expect(S.MaxAllowedValidators.get(state, 3)).toBe(64);
    expect(S.AlphaValues.get(state, 3)).toEqual([45875, 60000]);
    expect(S.LiquidAlphaOn.get(state, 3)).toBe(true);
    expect(S.SubnetworkN.get(state, 3)).toBe(0);
    expect(S.SubnetOwner.get(state, 3)).toEqual(decodeAddress(CHARLIE));
    expect(S.NetworksAdded.get(state, 2)).toBe(false);
  });

  it("writes the global overrides; a genesis min lock cost is also the last lock cost", () => {
    const state = fresh();
    const g = parseSubtensorGenesis({ networkRateLimit: 0, networkMinLockCost: 100_000_000_000, subnetLimit: 32, stakeThreshold: 5, maxTake: 12000, txRateLimit: 0 });
    applySubtensorGenesis(state, g, 0, { balancesIssuance: 42n });
    expect(S.TotalIssuance.get(state)).toBe(42n);
    expect(S.NetworkRateLimit.get(state)).toBe(0n);
    expect(S.NetworkMinLockCost.get(state)).toBe(100_000_000_000n);
    expect(S.NetworkLastLockCost.get(state)).toBe(100_000_000_000n);
    expect(S.SubnetLimit.get(state)).toBe(32);
    expect(S.WeightsMinStake.get(state)).toBe(5n);
    expect(S.MaxTake.get(state)).toBe(12000);
    expect(S.TxRateLimit.exists(state)).toBe(true);
    expect(S.TxRateLimit.get(state)).toBe(0n);
    expect(S.TxDelegateTakeRateLimit.exists(state)).toBe(false);

    const both = fresh();
    applySubtensorGenesis(both, parseSubtensorGenesis({ networkMinLockCost: 10, networkLastLockCost: 20 }), 0);
    expect([S.NetworkMinLockCost.get(both), S.NetworkLastLockCost.get(both)]).toEqual([10n, 20n]);
  });

  it("creates no root network when asked not to, and applies root overrides otherwise", () => {
    const none = fresh();
    applySubtensorGenesis(none, parseSubtensorGenesis({ rootNetwork: false }), 0);
    expect(S.NetworksAdded.get(none, 0)).toBe(false);
    expect(S.TotalNetworks.get(none)).toBe(0);

    const custom = fresh();
    applySubtensorGenesis(custom, parseSubtensorGenesis({ rootNetwork: { tempo: 10, maxAllowedUids: 16, maxAllowedValidators: 16 } }), 0);
    expect([S.Tempo.get(custom, 0), S.MaxAllowedUids.get(custom, 0), S.MaxAllowedValidators.get(custom, 0), S.MinAllowedWeights.get(custom, 0)]).toEqual([10, 16, 16, 0]);
  });

  it("uses the given genesis block number for registration blocks", () => {
    const state = fresh();
    applySubtensorGenesis(state, parseSubtensorGenesis({ subnets: [{ netuid: 2, owner: ALICE, ownerHotkey: BOB }] }), 5);
    expect(S.NetworkRegisteredAt.get(state, 2)).toBe(5n);
    expect(S.NetworkLastRegistered.get(state)).toBe(5n);
    expect(S.BlockAtRegistration.get(state, 2, 0)).toBe(5n);
    expect(S.LastUpdate.get(state, 2)).toEqual([5n]);
  });
});

describe("initNewNetwork / initRootNetwork / appendNeuron", () => {
  it("emits the events of the Rust setters, in order, when given a deposit", () => {
    const state = fresh();
    const events: EnumValue[] = [];
    initNewNetwork(state, 4, 360, (e) => events.push(e));
    const inner = events.map((e) => e.value as EnumValue);
    expect(events.every((e) => e.tag === "SubtensorModule")).toBe(true);
    expect(inner.map((e) => e.tag)).toEqual([
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
    ]);
    expect(inner[0].value).toEqual([4, true]);
    expect(inner[7].value).toEqual([4, 17_893_341_751_498_265_066n]);
    expect(S.TotalNetworks.get(state)).toBe(1);
  });

  it("keeps values already stored for the 'make explicit' parameters (a re-used netuid)", () => {
    const state = fresh();
    S.Kappa.put(state, 12345, 6);
    S.ActivityCutoff.put(state, 77, 6);
    S.MaxAllowedUids.put(state, 999, 6);
    initNewNetwork(state, 6, 360);
    expect(S.Kappa.get(state, 6)).toBe(12345);
    expect(S.ActivityCutoff.get(state, 6)).toBe(77);
    expect(S.MaxAllowedUids.get(state, 6)).toBe(256); // set explicitly by init_new_network
  });

  it("initRootNetwork is a no-op when the root network exists", () => {
    const state = fresh();
    initRootNetwork(state);
    S.Tempo.put(state, 7, 0);
    initRootNetwork(state);
    expect(S.TotalNetworks.get(state)).toBe(1);
    expect(S.Tempo.get(state, 0)).toBe(7);
  });

  it("appendNeuron hands out consecutive UIDs and grows every vector", () => {
    const state = fresh();
    initNewNetwork(state, 1, 360);
    const a = new Uint8Array(32).fill(1);
    const b = new Uint8Array(32).fill(2);
    expect(appendNeuron(state, 1, a, 10n)).toBe(0);
    expect(appendNeuron(state, 1, b, 11n)).toBe(1);
    expect(S.SubnetworkN.get(state, 1)).toBe(2);
    expect(S.LastUpdate.get(state, 1)).toEqual([10n, 11n]);
    expect(S.Active.get(state, 1)).toEqual([true, true]);
    expect(S.Keys.get(state, 1, 1)).toEqual(b);
    expect(S.Uids.get(state, 1, a)).toBe(0);
    // shared defaults were not mutated
    expect(S.Active.get(state, 2)).toEqual([]);
  });
});
