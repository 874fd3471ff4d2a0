/**
 * Every AdminUtils hyperparameter setter through real extrinsics: root via Sudo.sudo sets the
 * value and emits the real setter's event; a signed non-owner (//Charlie, owner of another
 * subnet) gets BadOrigin; the subnet owner (//Bob) succeeds directly where Subtensor lets owners
 * set the parameter and gets BadOrigin where it is root only; a nonexistent netuid fails with
 * AdminUtils.SubnetDoesNotExist where the real setter checks it (and otherwise, as in Subtensor,
 * root writes the value while a signed caller gets BadOrigin). Values are read back from state.
 *
 * The expectations (storage item, origin rule, event, existence check) are written out here,
 * independently of setters.ts, so a wrong entry in the implementation's table fails a test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReadAccess } from "../../../state/types.js";
import type { StorageItem } from "../../frame/storage.js";
import * as S from "../subtensor/storage.js";
import { adminUtilsCalls } from "./calls.js";
import { AdminHarness, BAD_ORIGIN, MISSING_NETUID, OWNED_NETUID, adminErr, summary } from "../../../../../test/utils/adminUtils.js";

type V = number | bigint | boolean;
interface Values {
  root: V;
  intruder: V;
  owner: V;
  /** set by root on the nonexistent netuid */
  other: V;
  /** attempted by //Bob on the nonexistent netuid */
  otherIntruder: V;
}
interface Case {
  call: string;
  /** the value argument (camelCase) */
  arg: string;
  scope: "global" | "subnet";
  rule: "root" | "ownerOrRoot";
  /** the real setter checks that the subnet exists */
  exists: boolean;
  read: (s: ReadAccess, netuid: number) => unknown;
  stored: (s: ReadAccess, netuid: number) => boolean;
  v: Values;
  /** the event the call deposits, or undefined when the real setter emits none */
  event?: (netuid: number, value: V) => [string, unknown];
}

const n16 = (b: number): Values => ({ root: b, intruder: b + 1, owner: b + 2, other: b + 3, otherIntruder: b + 4 });
const n64 = (b: bigint): Values => ({ root: b, intruder: b + 1n, owner: b + 2n, other: b + 3n, otherIntruder: b + 4n });
const flag = (root: boolean): Values => ({ root, intruder: !root, owner: !root, other: true, otherIntruder: false });

type AnyItem<K extends unknown[]> = StorageItem<K, any, any>;

/** A root-only global parameter. */
function G(call: string, arg: string, item: AnyItem<[]>, v: Values, event?: string): Case {
  return {
    call,
    arg,
    scope: "global",
    rule: "root",
    exists: false,
    read: (s) => item.get(s),
    stored: (s) => item.exists(s),
    v,
    event: event ? (_n, x) => [`SubtensorModule.${event}`, x] : undefined,
  };
}

/** A per-subnet hyperparameter; the event, if any, is SubtensorModule's (netuid, value). */
function N(call: string, arg: string, rule: Case["rule"], exists: boolean, item: AnyItem<[number]>, v: Values, event?: string | Case["event"]): Case {
  return {
    call,
    arg,
    scope: "subnet",
    rule,
    exists,
    read: (s, n) => item.get(s, n),
    stored: (s, n) => item.exists(s, n),
    v,
    event: typeof event === "string" ? (n, x) => [`SubtensorModule.${event}`, [n, x]] : event,
  };
}

const OWNER = "ownerOrRoot";
const ROOT = "root";

const CASES: Case[] = [
  // global, root only
  G("sudo_set_default_take", "defaultTake", S.MaxTake, n16(10_000), "MaxDelegateTakeSet"),
  G("sudo_set_tx_rate_limit", "txRateLimit", S.TxRateLimit, n64(7n), "TxRateLimitSet"),
  G("sudo_set_subnet_owner_cut", "subnetOwnerCut", S.SubnetOwnerCut, n16(1_234), "SubnetOwnerCutSet"),
  G("sudo_set_network_rate_limit", "rateLimit", S.NetworkRateLimit, n64(99n), "NetworkRateLimitSet"),
  G("sudo_set_total_issuance", "totalIssuance", S.TotalIssuance, n64(123_456_789n)),
  G("sudo_set_network_immunity_period", "immunityPeriod", S.NetworkImmunityPeriod, n64(5_555n), "NetworkImmunityPeriodSet"),
  G("sudo_set_network_min_lock_cost", "lockCost", S.NetworkMinLockCost, n64(42_000_000_000n), "NetworkMinLockCostSet"),
  G("sudo_set_subnet_limit", "maxSubnets", S.SubnetLimit, n16(40), "SubnetLimitSet"),
  G("sudo_set_lock_reduction_interval", "interval", S.NetworkLockReductionInterval, n64(1_000n), "NetworkLockCostReductionIntervalSet"),
  G("sudo_set_weights_min_stake", "minStake", S.WeightsMinStake, n64(1_000_000n), "WeightsMinStake"),
  G("sudo_set_nominator_min_required_stake", "minStake", S.NominatorMinRequiredStake, n64(3_000n)),
  G("sudo_set_tx_delegate_take_rate_limit", "txRateLimit", S.TxDelegateTakeRateLimit, n64(11n), "TxDelegateTakeRateLimitSet"),
  G("sudo_set_min_delegate_take", "take", S.MinTake, n16(100), "MinDelegateTakeSet"),
  G("sudo_set_target_stakes_per_interval", "targetStakesPerInterval", S.TargetStakesPerInterval, n64(9n), "TargetStakesPerIntervalSet"),

  // per subnet, subnet owner or root
  N("sudo_set_serving_rate_limit", "servingRateLimit", OWNER, false, S.ServingRateLimit, n64(20n), "ServingRateLimitSet"),
  N("sudo_set_min_difficulty", "minDifficulty", OWNER, true, S.MinDifficulty, n64(1_000n), "MinDifficultySet"),
  N("sudo_set_max_difficulty", "maxDifficulty", OWNER, true, S.MaxDifficulty, n64(1_000_000n), "MaxDifficultySet"),
  N("sudo_set_weights_version_key", "weightsVersionKey", OWNER, true, S.WeightsVersionKey, n64(4_321n), "WeightsVersionKeySet"),
  N("sudo_set_weights_set_rate_limit", "weightsSetRateLimit", OWNER, true, S.WeightsSetRateLimit, n64(30n), "WeightsSetRateLimitSet"),
  N("sudo_set_adjustment_alpha", "adjustmentAlpha", OWNER, true, S.AdjustmentAlpha, n64(17_893_341_751_498_265_066n), "AdjustmentAlphaSet"),
  N("sudo_set_max_weight_limit", "maxWeightLimit", OWNER, true, S.MaxWeightsLimit, n16(500), "MaxWeightLimitSet"),
  N("sudo_set_immunity_period", "immunityPeriod", OWNER, true, S.ImmunityPeriod, n16(700), "ImmunityPeriodSet"),
  N("sudo_set_min_allowed_weights", "minAllowedWeights", OWNER, true, S.MinAllowedWeights, n16(8), "MinAllowedWeightSet"),
  N("sudo_set_kappa", "kappa", OWNER, true, S.Kappa, n16(30_000), "KappaSet"),
  N("sudo_set_rho", "rho", OWNER, true, S.Rho, n16(30)),
  N("sudo_set_activity_cutoff", "activityCutoff", OWNER, true, S.ActivityCutoff, n16(4_000), "ActivityCutoffSet"),
  N("sudo_set_network_registration_allowed", "registrationAllowed", OWNER, false, S.NetworkRegistrationAllowed, flag(false), "RegistrationAllowed"),
  N("sudo_set_network_pow_registration_allowed", "registrationAllowed", OWNER, false, S.NetworkPowRegistrationAllowed, flag(true), "PowRegistrationAllowed"),
  N("sudo_set_min_burn", "minBurn", OWNER, true, S.MinBurn, n64(500_000n), "MinBurnSet"),
  N("sudo_set_max_burn", "maxBurn", OWNER, true, S.MaxBurn, n64(50_000_000_000n), "MaxBurnSet"),
  N("sudo_set_difficulty", "difficulty", OWNER, true, S.Difficulty, n64(2_000_000n), "DifficultySet"),
  N("sudo_set_bonds_moving_average", "bondsMovingAverage", OWNER, true, S.BondsMovingAverage, n64(500_000n), "BondsMovingAverageSet"),
  N("sudo_set_commit_reveal_weights_interval", "interval", OWNER, true, S.WeightCommitRevealInterval, n64(250n)),
  N("sudo_set_commit_reveal_weights_enabled", "enabled", OWNER, true, S.CommitRevealWeightsEnabled, flag(true)),
  N("sudo_set_liquid_alpha_enabled", "enabled", OWNER, false, S.LiquidAlphaOn, flag(true)),
  N("sudo_set_bonds_penalty", "bondsPenalty", OWNER, true, S.BondsPenalty, n16(1_000), "BondsPenaltySet"),
  N("sudo_set_alpha_sigmoid_steepness", "steepness", OWNER, true, S.AlphaSigmoidSteepness, n16(10)),
  N("sudo_set_yuma3_enabled", "enabled", OWNER, false, S.Yuma3On, flag(true), (n, x) => ["AdminUtils.Yuma3EnableToggled", { netuid: n, enabled: x }]),

  // per subnet, root only
  N("sudo_set_adjustment_interval", "adjustmentInterval", ROOT, true, S.AdjustmentInterval, n16(120), "AdjustmentIntervalSet"),
  N("sudo_set_max_allowed_uids", "maxAllowedUids", ROOT, true, S.MaxAllowedUids, n16(300), "MaxAllowedUidsSet"),
  N("sudo_set_target_registrations_per_interval", "targetRegistrationsPerInterval", ROOT, true, S.TargetRegistrationsPerInterval, n16(5), "RegistrationPerIntervalSet"),
  N("sudo_set_max_allowed_validators", "maxAllowedValidators", ROOT, true, S.MaxAllowedValidators, n16(100), "MaxAllowedValidatorsSet"),
  N("sudo_set_max_registrations_per_block", "maxRegistrationsPerBlock", ROOT, true, S.MaxRegistrationsPerBlock, n16(3), "MaxRegistrationsPerBlockSet"),
  N("sudo_set_tempo", "tempo", ROOT, true, S.Tempo, n16(50), "TempoSet"),
  N("sudo_set_rao_recycled", "raoRecycled", ROOT, true, S.RAORecycledForRegistration, n64(777n), "RAORecycledForRegistrationSet"),
];

/** sudo_set_alpha_values has two values and its own tests (calls.checks.test.ts). */
const SEPARATELY_TESTED = ["sudo_set_alpha_values"];

describe("AdminUtils setters: coverage", () => {
  it("every declared setter has a case here (and no case names a missing call)", () => {
    const declared = adminUtilsCalls.map((c) => c.name).filter((n) => !SEPARATELY_TESTED.includes(n));
    expect(CASES.map((c) => c.call).sort()).toEqual([...declared].sort());
    expect(new Set(CASES.map((c) => c.call)).size).toBe(CASES.length);
  });
});

// One chain per setter: each test below sets what it checks, so they do not depend on their order.
describe.each(CASES)("AdminUtils.$call", (c) => {
  let a: AdminHarness;
  beforeAll(async () => {
    a = await AdminHarness.create();
  });
  afterAll(async () => {
    await a.close();
  });

  const args = (netuid: number, value: V) => (c.scope === "subnet" ? { netuid, [c.arg]: value } : { [c.arg]: value });
  const expectedEvents = (netuid: number, value: V) => (c.event ? [c.event(netuid, value)] : []);

  it("root (Sudo.sudo) sets it and gets the real setter's event; a signed non-owner gets BadOrigin", async () => {
    const block = await a.produce([a.sudo(c.call, args(OWNED_NETUID, c.v.root)), a.signed(a.charlie, c.call, args(OWNED_NETUID, c.v.intruder))]);
    expect(summary(a.outcome(block, 1))).toBe("ok");
    expect(a.callEvents(block, 1)).toEqual(expectedEvents(OWNED_NETUID, c.v.root));
    expect(a.outcome(block, 2)).toEqual({ ok: false, error: BAD_ORIGIN });
    expect(a.callEvents(block, 2)).toEqual([]);
    expect(c.read(a.state(), OWNED_NETUID)).toEqual(c.v.root);
  });

  if (c.rule === "ownerOrRoot") {
    it("the subnet owner (//Bob) sets it directly", async () => {
      const block = await a.produce([a.signed(a.bob, c.call, args(OWNED_NETUID, c.v.owner))]);
      expect(summary(a.outcome(block, 1))).toBe("ok");
      expect(a.callEvents(block, 1)).toEqual(expectedEvents(OWNED_NETUID, c.v.owner));
      expect(c.read(a.state(), OWNED_NETUID)).toEqual(c.v.owner);
    });
  } else {
    it("root only: the subnet owner (//Bob) gets BadOrigin and nothing changes", async () => {
      await a.produce([a.sudo(c.call, args(OWNED_NETUID, c.v.root))]);
      const block = await a.produce([a.signed(a.bob, c.call, args(OWNED_NETUID, c.v.owner))]);
      expect(a.outcome(block, 1)).toEqual({ ok: false, error: BAD_ORIGIN });
      expect(a.callEvents(block, 1)).toEqual([]);
      expect(c.read(a.state(), OWNED_NETUID)).toEqual(c.v.root);
    });
  }

  if (c.scope === "subnet") {
    if (c.exists) {
      it("a nonexistent netuid: root gets AdminUtils.SubnetDoesNotExist, a signed caller BadOrigin; nothing is stored", async () => {
        const block = await a.produce([a.sudo(c.call, args(MISSING_NETUID, c.v.other)), a.signed(a.bob, c.call, args(MISSING_NETUID, c.v.otherIntruder))]);
        expect(summary(a.outcome(block, 1))).toEqual(adminErr("SubnetDoesNotExist"));
        expect(a.outcome(block, 2)).toEqual({ ok: false, error: BAD_ORIGIN });
        expect(a.callEvents(block, 1)).toEqual([]);
        expect(c.stored(a.state(), MISSING_NETUID)).toBe(false);
      });
    } else {
      it("a nonexistent netuid: a signed caller gets BadOrigin; root writes it (Subtensor has no existence check here)", async () => {
        const block = await a.produce([a.sudo(c.call, args(MISSING_NETUID, c.v.other)), a.signed(a.bob, c.call, args(MISSING_NETUID, c.v.otherIntruder))]);
        expect(summary(a.outcome(block, 1))).toBe("ok");
        expect(a.callEvents(block, 1)).toEqual(expectedEvents(MISSING_NETUID, c.v.other));
        expect(a.outcome(block, 2)).toEqual({ ok: false, error: BAD_ORIGIN });
        expect(c.read(a.state(), MISSING_NETUID)).toEqual(c.v.other);
      });
    }
  } else {
    it("global: the subnet owner (//Bob) is no one special and gets BadOrigin", async () => {
      const before = c.read(a.state(), OWNED_NETUID);
      const block = await a.produce([a.signed(a.bob, c.call, args(OWNED_NETUID, c.v.owner))]);
      expect(a.outcome(block, 1)).toEqual({ ok: false, error: BAD_ORIGIN });
      expect(a.callEvents(block, 1)).toEqual([]);
      expect(c.read(a.state(), OWNED_NETUID)).toEqual(before);
    });
  }
});
