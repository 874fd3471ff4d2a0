/**
 * AdminUtils: the declarations clients see (names, indices, argument types, dispatch class and
 * fee), and every extra check beyond origin and subnet existence, through real extrinsics:
 * MaxAllowedUIdsLessThanCurrentUIds, MaxValidatorsLargerThanMaxUIds, BondsMovingAverageMaxReached,
 * NegativeSigmoidSteepness, LiquidAlphaDisabled / AlphaHighTooLow / AlphaLowOutOfRange, and the
 * small-nomination clearing of sudo_set_nominator_min_required_stake.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Metadata, TypeRegistry, expandMetadata } from "@polkadot/types";
import { createRuntime } from "../../index.js";
import { buildMetadata } from "../../metadata.js";
import { EXTRINSIC_BASE_WEIGHT } from "../transactionPayment.js";
import { Account } from "../system.js";
import { TotalIssuance as BalancesTotalIssuance } from "../balances.js";
import * as S from "../subtensor/storage.js";
import { adminUtilsCalls } from "./calls.js";
import { AdminHarness, BAD_ORIGIN, MISSING_NETUID, OTHER_NETUID, OWNED_NETUID, adminErr, subtensorErr, summary } from "../../../../../test/utils/adminUtils.js";

// ------------------------------------------------------------------ declarations

/** [call, index, [argument, type]…] as in pallets/admin-utils (classic de1026780; HEAD for 50, 51, 60, 68, 69). */
const DECLARED: Array<[string, number, Array<[string, string]>]> = [
  ["sudo_set_default_take", 1, [["default_take", "u16"]]],
  ["sudo_set_tx_rate_limit", 2, [["tx_rate_limit", "u64"]]],
  ["sudo_set_serving_rate_limit", 3, [["netuid", "u16"], ["serving_rate_limit", "u64"]]],
  ["sudo_set_min_difficulty", 4, [["netuid", "u16"], ["min_difficulty", "u64"]]],
  ["sudo_set_max_difficulty", 5, [["netuid", "u16"], ["max_difficulty", "u64"]]],
  ["sudo_set_weights_version_key", 6, [["netuid", "u16"], ["weights_version_key", "u64"]]],
  ["sudo_set_weights_set_rate_limit", 7, [["netuid", "u16"], ["weights_set_rate_limit", "u64"]]],
  ["sudo_set_adjustment_interval", 8, [["netuid", "u16"], ["adjustment_interval", "u16"]]],
  ["sudo_set_adjustment_alpha", 9, [["netuid", "u16"], ["adjustment_alpha", "u64"]]],
  ["sudo_set_max_weight_limit", 12, [["netuid", "u16"], ["max_weight_limit", "u16"]]],
  ["sudo_set_immunity_period", 13, [["netuid", "u16"], ["immunity_period", "u16"]]],
  ["sudo_set_min_allowed_weights", 14, [["netuid", "u16"], ["min_allowed_weights", "u16"]]],
  ["sudo_set_max_allowed_uids", 15, [["netuid", "u16"], ["max_allowed_uids", "u16"]]],
  ["sudo_set_kappa", 16, [["netuid", "u16"], ["kappa", "u16"]]],
  ["sudo_set_rho", 17, [["netuid", "u16"], ["rho", "u16"]]],
  ["sudo_set_activity_cutoff", 18, [["netuid", "u16"], ["activity_cutoff", "u16"]]],
  ["sudo_set_network_registration_allowed", 19, [["netuid", "u16"], ["registration_allowed", "bool"]]],
  ["sudo_set_network_pow_registration_allowed", 20, [["netuid", "u16"], ["registration_allowed", "bool"]]],
  ["sudo_set_target_registrations_per_interval", 21, [["netuid", "u16"], ["target_registrations_per_interval", "u16"]]],
  ["sudo_set_min_burn", 22, [["netuid", "u16"], ["min_burn", "u64"]]],
  ["sudo_set_max_burn", 23, [["netuid", "u16"], ["max_burn", "u64"]]],
  ["sudo_set_difficulty", 24, [["netuid", "u16"], ["difficulty", "u64"]]],
  ["sudo_set_max_allowed_validators", 25, [["netuid", "u16"], ["max_allowed_validators", "u16"]]],
  ["sudo_set_bonds_moving_average", 26, [["netuid", "u16"], ["bonds_moving_average", "u64"]]],
  ["sudo_set_max_registrations_per_block", 27, [["netuid", "u16"], ["max_registrations_per_block", "u16"]]],
  ["sudo_set_subnet_owner_cut", 28, [["subnet_owner_cut", "u16"]]],
  ["sudo_set_network_rate_limit", 29, [["rate_limit", "u64"]]],
  ["sudo_set_tempo", 30, [["netuid", "u16"], ["tempo", "u16"]]],
  ["sudo_set_total_issuance", 33, [["total_issuance", "u64"]]],
  ["sudo_set_network_immunity_period", 35, [["immunity_period", "u64"]]],
  ["sudo_set_network_min_lock_cost", 36, [["lock_cost", "u64"]]],
  ["sudo_set_subnet_limit", 37, [["max_subnets", "u16"]]],
  ["sudo_set_lock_reduction_interval", 38, [["interval", "u64"]]],
  ["sudo_set_rao_recycled", 39, [["netuid", "u16"], ["rao_recycled", "u64"]]],
  ["sudo_set_weights_min_stake", 42, [["min_stake", "u64"]]],
  ["sudo_set_nominator_min_required_stake", 43, [["min_stake", "u64"]]],
  ["sudo_set_tx_delegate_take_rate_limit", 45, [["tx_rate_limit", "u64"]]],
  ["sudo_set_min_delegate_take", 46, [["take", "u16"]]],
  ["sudo_set_target_stakes_per_interval", 47, [["target_stakes_per_interval", "u64"]]],
  ["sudo_set_commit_reveal_weights_interval", 48, [["netuid", "u16"], ["interval", "u64"]]],
  ["sudo_set_commit_reveal_weights_enabled", 49, [["netuid", "u16"], ["enabled", "bool"]]],
  ["sudo_set_liquid_alpha_enabled", 50, [["netuid", "u16"], ["enabled", "bool"]]],
  ["sudo_set_alpha_values", 51, [["netuid", "u16"], ["alpha_low", "u16"], ["alpha_high", "u16"]]],
  ["sudo_set_bonds_penalty", 60, [["netuid", "u16"], ["bonds_penalty", "u16"]]],
  ["sudo_set_alpha_sigmoid_steepness", 68, [["netuid", "u16"], ["steepness", "i16"]]],
  ["sudo_set_yuma3_enabled", 69, [["netuid", "u16"], ["enabled", "bool"]]],
];

/** Calls Rust declares `(weight, DispatchClass::Operational, Pays::No)`; every other one is Normal and pays. */
const OPERATIONAL_FREE = [
  "sudo_set_tx_rate_limit",
  "sudo_set_adjustment_alpha",
  "sudo_set_network_registration_allowed",
  "sudo_set_network_pow_registration_allowed",
  "sudo_set_subnet_owner_cut",
  "sudo_set_network_rate_limit",
  "sudo_set_total_issuance",
  "sudo_set_network_immunity_period",
  "sudo_set_network_min_lock_cost",
  "sudo_set_subnet_limit",
  "sudo_set_lock_reduction_interval",
  "sudo_set_rao_recycled",
  "sudo_set_weights_min_stake",
  "sudo_set_nominator_min_required_stake",
  "sudo_set_tx_delegate_take_rate_limit",
  "sudo_set_min_delegate_take",
  "sudo_set_target_stakes_per_interval",
];

describe("AdminUtils declarations", () => {
  it("the runtime metadata lists every setter with Subtensor's name, call index and argument types", () => {
    const registry = new TypeRegistry();
    const metadata = new Metadata(registry, buildMetadata(createRuntime(), []).v14);
    registry.setMetadata(metadata);
    // The raw metadata: the Call enum's variants with their snake_case field names and type names.
    const pallet = metadata.asLatest.pallets.find((p) => p.name.toString() === "AdminUtils")!;
    expect(pallet.index.toNumber()).toBe(19);
    const variants = registry.lookup.getSiType(pallet.calls.unwrap().type).def.asVariant.variants;
    const seen = variants.map((v) => [v.name.toString(), v.index.toNumber(), v.fields.map((f) => [f.name.unwrap().toString(), f.typeName.unwrap().toString()])]);
    expect(seen.sort((x, y) => (x[1] as number) - (y[1] as number))).toEqual(DECLARED);
    // And polkadot-js builds the same calls from it (pallet 19, Subtensor's indices).
    const tx = expandMetadata(registry, metadata).tx.adminUtils;
    expect(Object.values(tx).map((f) => [f.meta.name.toString(), f.callIndex[0], f.callIndex[1]]).sort((x, y) => (x[2] as number) - (y[2] as number))).toEqual(
      DECLARED.map(([name, index]) => [name, 19, index]),
    );
  });

  it("dispatch class and fee as in Rust: Operational + Pays::No where Rust says so, otherwise Normal + pays", () => {
    for (const c of adminUtilsCalls) {
      const free = OPERATIONAL_FREE.includes(c.name);
      expect([c.name, c.class, c.paysFee]).toEqual([c.name, free ? "Operational" : "Normal", !free]);
    }
  });
});

// ------------------------------------------------------------------ extra checks

describe("AdminUtils extra checks", () => {
  let a: AdminHarness;
  beforeEach(async () => {
    a = await AdminHarness.create();
  });
  afterEach(async () => {
    await a.close();
  });

  it("sudo_set_max_allowed_uids must exceed the current number of UIDs (strictly, as classic)", async () => {
    expect(S.SubnetworkN.get(a.state(), OWNED_NETUID)).toBe(1); // //Dave, the owner hotkey
    const block = await a.produce([
      a.sudo("sudo_set_max_allowed_uids", { netuid: OWNED_NETUID, maxAllowedUids: 0 }),
      a.sudo("sudo_set_max_allowed_uids", { netuid: OWNED_NETUID, maxAllowedUids: 1 }, 1),
      a.sudo("sudo_set_max_allowed_uids", { netuid: OWNED_NETUID, maxAllowedUids: 2 }, 2),
    ]);
    expect(summary(a.outcome(block, 1))).toEqual(adminErr("MaxAllowedUIdsLessThanCurrentUIds"));
    expect(summary(a.outcome(block, 2))).toEqual(adminErr("MaxAllowedUIdsLessThanCurrentUIds"));
    expect(a.callEvents(block, 2)).toEqual([]);
    expect(summary(a.outcome(block, 3))).toBe("ok");
    expect(a.callEvents(block, 3)).toEqual([["SubtensorModule.MaxAllowedUidsSet", [OWNED_NETUID, 2]]]);
    expect(S.MaxAllowedUids.get(a.state(), OWNED_NETUID)).toBe(2);
  });

  it("sudo_set_max_allowed_validators may not exceed MaxAllowedUids", async () => {
    expect(S.MaxAllowedUids.get(a.state(), OWNED_NETUID)).toBe(256);
    const b1 = await a.produce([
      a.sudo("sudo_set_max_allowed_validators", { netuid: OWNED_NETUID, maxAllowedValidators: 257 }),
      a.sudo("sudo_set_max_allowed_validators", { netuid: OWNED_NETUID, maxAllowedValidators: 256 }, 1),
    ]);
    expect(summary(a.outcome(b1, 1))).toEqual(adminErr("MaxValidatorsLargerThanMaxUIds"));
    expect(summary(a.outcome(b1, 2))).toBe("ok");
    expect(S.MaxAllowedValidators.get(a.state(), OWNED_NETUID)).toBe(256);
    // The bound follows MaxAllowedUids as it is now.
    const b2 = await a.produce([
      a.sudo("sudo_set_max_allowed_uids", { netuid: OWNED_NETUID, maxAllowedUids: 10 }),
      a.sudo("sudo_set_max_allowed_validators", { netuid: OWNED_NETUID, maxAllowedValidators: 11 }, 1),
      a.sudo("sudo_set_max_allowed_validators", { netuid: OWNED_NETUID, maxAllowedValidators: 10 }, 2),
    ]);
    expect(summary(a.outcome(b2, 2))).toEqual(adminErr("MaxValidatorsLargerThanMaxUIds"));
    expect(summary(a.outcome(b2, 3))).toBe("ok");
    expect(S.MaxAllowedValidators.get(a.state(), OWNED_NETUID)).toBe(10);
  });

  it("sudo_set_bonds_moving_average: the subnet owner is capped at 975000 (BondsMovingAverageMaxReached), root is not", async () => {
    const block = await a.produce([
      a.signed(a.bob, "sudo_set_bonds_moving_average", { netuid: OWNED_NETUID, bondsMovingAverage: 975_001n }),
      a.signed(a.bob, "sudo_set_bonds_moving_average", { netuid: OWNED_NETUID, bondsMovingAverage: 975_000n }, 1),
    ]);
    expect(summary(a.outcome(block, 1))).toEqual(adminErr("BondsMovingAverageMaxReached"));
    expect(summary(a.outcome(block, 2))).toBe("ok");
    expect(S.BondsMovingAverage.get(a.state(), OWNED_NETUID)).toBe(975_000n);
    const b2 = await a.produce([a.sudo("sudo_set_bonds_moving_average", { netuid: OWNED_NETUID, bondsMovingAverage: 999_999n })]);
    expect(summary(a.outcome(b2, 1))).toBe("ok");
    expect(a.callEvents(b2, 1)).toEqual([["SubtensorModule.BondsMovingAverageSet", [OWNED_NETUID, 999_999n]]]);
    expect(S.BondsMovingAverage.get(a.state(), OWNED_NETUID)).toBe(999_999n);
  });

  it("sudo_set_alpha_sigmoid_steepness: only root may set a negative value (NegativeSigmoidSteepness)", async () => {
    const block = await a.produce([
      a.signed(a.bob, "sudo_set_alpha_sigmoid_steepness", { netuid: OWNED_NETUID, steepness: -1 }),
      a.signed(a.charlie, "sudo_set_alpha_sigmoid_steepness", { netuid: OTHER_NETUID, steepness: -1 }),
      a.signed(a.bob, "sudo_set_alpha_sigmoid_steepness", { netuid: OWNED_NETUID, steepness: 0 }, 1),
      a.sudo("sudo_set_alpha_sigmoid_steepness", { netuid: OTHER_NETUID, steepness: -32_768 }),
      a.sudo("sudo_set_alpha_sigmoid_steepness", { netuid: MISSING_NETUID, steepness: -5 }, 1),
    ]);
    expect(summary(a.outcome(block, 1))).toEqual(adminErr("NegativeSigmoidSteepness"));
    expect(summary(a.outcome(block, 2))).toEqual(adminErr("NegativeSigmoidSteepness"));
    expect(summary(a.outcome(block, 3))).toBe("ok");
    expect(summary(a.outcome(block, 4))).toBe("ok");
    // The subnet must exist before the sign is looked at.
    expect(summary(a.outcome(block, 5))).toEqual(adminErr("SubnetDoesNotExist"));
    expect(S.AlphaSigmoidSteepness.get(a.state(), OWNED_NETUID)).toBe(0);
    expect(S.AlphaSigmoidSteepness.get(a.state(), OTHER_NETUID)).toBe(-32_768);
  });

  describe("sudo_set_alpha_values", () => {
    const set = (netuid: number, alphaLow: number, alphaHigh: number) => ({ netuid, alphaLow, alphaHigh });

    it("needs liquid alpha on (LiquidAlphaDisabled), for root and owner alike", async () => {
      const block = await a.produce([a.sudo("sudo_set_alpha_values", set(OWNED_NETUID, 20_000, 60_000)), a.signed(a.bob, "sudo_set_alpha_values", set(OWNED_NETUID, 20_000, 60_000))]);
      expect(summary(a.outcome(block, 1))).toEqual(subtensorErr("LiquidAlphaDisabled"));
      expect(summary(a.outcome(block, 2))).toEqual(subtensorErr("LiquidAlphaDisabled"));
      expect(S.AlphaValues.exists(a.state(), OWNED_NETUID)).toBe(false);
    });

    it("bounds: alpha_high ≥ 1638 (AlphaHighTooLow), 1638 ≤ alpha_low ≤ alpha_high (AlphaLowOutOfRange)", async () => {
      await a.produce([a.signed(a.bob, "sudo_set_liquid_alpha_enabled", { netuid: OWNED_NETUID, enabled: true })]);
      const tries: Array<[number, number]> = [
        [1_638, 1_637], // high too low
        [1_637, 1_638], // low below the minimum
        [40_000, 39_999], // low above high
        [1_638, 1_638], // the smallest accepted pair
      ];
      const block = await a.produce(tries.map(([low, high], i) => a.sudo("sudo_set_alpha_values", set(OWNED_NETUID, low, high), i)));
      expect(summary(a.outcome(block, 1))).toEqual(subtensorErr("AlphaHighTooLow"));
      expect(summary(a.outcome(block, 2))).toEqual(subtensorErr("AlphaLowOutOfRange"));
      expect(summary(a.outcome(block, 3))).toEqual(subtensorErr("AlphaLowOutOfRange"));
      expect(summary(a.outcome(block, 4))).toBe("ok");
      expect(a.callEvents(block, 4)).toEqual([]);
      expect(S.AlphaValues.get(a.state(), OWNED_NETUID)).toEqual([1_638, 1_638]);
    });

    it("origins: root and the subnet owner may set it, another account gets BadOrigin; no subnet-existence check", async () => {
      await a.produce([a.signed(a.bob, "sudo_set_liquid_alpha_enabled", { netuid: OWNED_NETUID, enabled: true })]);
      const b1 = await a.produce([a.signed(a.bob, "sudo_set_alpha_values", set(OWNED_NETUID, 20_000, 60_000)), a.signed(a.charlie, "sudo_set_alpha_values", set(OWNED_NETUID, 30_000, 50_000))]);
      expect(summary(a.outcome(b1, 1))).toBe("ok");
      expect(a.outcome(b1, 2)).toEqual({ ok: false, error: BAD_ORIGIN });
      expect(S.AlphaValues.get(a.state(), OWNED_NETUID)).toEqual([20_000, 60_000]);
      const b2 = await a.produce([a.sudo("sudo_set_alpha_values", set(OWNED_NETUID, 45_875, 58_982))]);
      expect(summary(a.outcome(b2, 1))).toBe("ok");
      expect(S.AlphaValues.get(a.state(), OWNED_NETUID)).toEqual([45_875, 58_982]);
      // A netuid with no subnet: liquid alpha is off there (LiquidAlphaDisabled) until root turns it on.
      const b3 = await a.produce([
        a.sudo("sudo_set_alpha_values", set(MISSING_NETUID, 2_000, 3_000)),
        a.sudo("sudo_set_liquid_alpha_enabled", { netuid: MISSING_NETUID, enabled: true }, 1),
        a.sudo("sudo_set_alpha_values", set(MISSING_NETUID, 2_000, 3_000), 2),
        a.signed(a.bob, "sudo_set_alpha_values", set(MISSING_NETUID, 2_000, 4_000)),
      ]);
      expect(summary(a.outcome(b3, 1))).toEqual(subtensorErr("LiquidAlphaDisabled"));
      expect(summary(a.outcome(b3, 3))).toBe("ok");
      expect(a.outcome(b3, 4)).toEqual({ ok: false, error: BAD_ORIGIN });
      expect(S.AlphaValues.get(a.state(), MISSING_NETUID)).toEqual([2_000, 3_000]);
    });
  });

  it("Operational + Pays::No setters cost the owner nothing; Normal ones charge the fee for their benchmarked weight", async () => {
    const before = Account.get(a.state(), a.bob.publicKey).data.free;
    const b1 = await a.produce([a.signed(a.bob, "sudo_set_network_registration_allowed", { netuid: OWNED_NETUID, registrationAllowed: false })]);
    expect(a.dispatchInfo(b1, 1)).toMatchObject({ weight: { refTime: EXTRINSIC_BASE_WEIGHT + 4_000_000n + 100_000_000n }, class: { tag: "Operational" }, paysFee: { tag: "No" } });
    expect(Account.get(a.state(), a.bob.publicKey).data.free).toBe(before);
    const b2 = await a.produce([a.signed(a.bob, "sudo_set_kappa", { netuid: OWNED_NETUID, kappa: 100 })]);
    expect(a.dispatchInfo(b2, 1)).toMatchObject({ weight: { refTime: EXTRINSIC_BASE_WEIGHT + 46_440_000n + 25_000_000n + 100_000_000n }, class: { tag: "Normal" }, paysFee: { tag: "Yes" } });
    expect(Account.get(a.state(), a.bob.publicKey).data.free < before).toBe(true);
  });
});

// ------------------------------------------------------------------ nominator minimum

describe("sudo_set_nominator_min_required_stake clears small nominations when it goes up", () => {
  let a: AdminHarness;
  beforeAll(async () => {
    a = await AdminHarness.create();
  });
  afterAll(async () => {
    await a.close();
  });

  const hot = () => a.pair("Dave").publicKey; // owned by //Bob (subnet 1's owner hotkey)
  const cold = (name: string) => a.pair(name).publicKey;
  const feePaid = (block: Awaited<ReturnType<AdminHarness["produce"]>>) =>
    a.h
      .eventsOf(block)
      .filter((e) => e.name === "TransactionPayment.TransactionFeePaid")
      .reduce((s, e) => s + (e.data as { actualFee: bigint }).actualFee, 0n);

  /** Writes stakes on //Dave (and their totals, and SubtensorModule.TotalIssuance) through Sudo(System.set_storage). */
  async function seed(stakes: Array<[string, bigint]>): Promise<void> {
    const s = a.state();
    const items: Array<[Uint8Array, Uint8Array]> = [];
    let added = 0n;
    let hotTotal = S.TotalHotkeyStake.get(s, hot());
    for (const [name, amount] of stakes) {
      const c = cold(name);
      const previous = S.Stake.get(s, hot(), c);
      added += amount - previous;
      hotTotal += amount - previous;
      items.push([S.Stake.key(hot(), c), S.Stake.value.encode(amount)]);
      items.push([S.TotalColdkeyStake.key(c), S.TotalColdkeyStake.value.encode(S.TotalColdkeyStake.get(s, c) + amount - previous)]);
      items.push([S.StakingHotkeys.key(c), S.StakingHotkeys.value.encode([hot()])]);
    }
    items.push([S.TotalHotkeyStake.key(hot()), S.TotalHotkeyStake.value.encode(hotTotal)]);
    items.push([S.TotalStake.key(), S.TotalStake.value.encode(S.TotalStake.get(s) + added)]);
    items.push([S.TotalIssuance.key(), S.TotalIssuance.value.encode(S.TotalIssuance.get(s) + added)]);
    const block = await a.produce([a.sudoCall(a.h.encodeCall("System", "set_storage", { items }))]);
    expect(summary(a.outcome(block, 1))).toBe("ok");
  }

  it("removes nominations below the new minimum, pays them back, keeps owners' own stake and large ones", async () => {
    // //Bob owns //Dave (own stake, never cleared); //Charlie and //Zed nominate little, //Eve a lot.
    // //Zed has no account: 100 RAO is below the existential deposit, so it is lost as dust.
    await seed([
      ["Bob", 50n],
      ["Charlie", 40n],
      ["Eve", 5_000n],
      ["Zed", 100n],
    ]);
    const s0 = a.state();
    const charlieFree = Account.get(s0, cold("Charlie")).data.free;
    const balancesIssuance = BalancesTotalIssuance.get(s0);
    const subtensorIssuance = S.TotalIssuance.get(s0);
    const totalStake = S.TotalStake.get(s0);

    const block = await a.produce([a.sudo("sudo_set_nominator_min_required_stake", { minStake: 1_000n })]);
    expect(summary(a.outcome(block, 1))).toBe("ok");
    expect(a.callEvents(block, 1)).toEqual([]);
    const s = a.state();
    expect(S.NominatorMinRequiredStake.get(s)).toBe(1_000n);
    expect(S.Stake.exists(s, hot(), cold("Charlie"))).toBe(false);
    expect(S.Stake.exists(s, hot(), cold("Zed"))).toBe(false);
    expect(S.Stake.get(s, hot(), cold("Bob"))).toBe(50n);
    expect(S.Stake.get(s, hot(), cold("Eve"))).toBe(5_000n);
    expect(S.TotalHotkeyStake.get(s, hot())).toBe(5_050n);
    expect(S.TotalColdkeyStake.get(s, cold("Charlie"))).toBe(0n);
    expect(S.TotalColdkeyStake.get(s, cold("Zed"))).toBe(0n);
    expect(S.TotalColdkeyStake.get(s, cold("Eve"))).toBe(5_000n);
    expect(S.TotalStake.get(s)).toBe(totalStake - 140n);
    expect(S.StakingHotkeys.get(s, cold("Charlie"))).toEqual([]);
    expect(S.StakingHotkeys.get(s, cold("Eve"))).toEqual([hot()]);
    // //Charlie's 40 RAO are back in his free balance; //Zed's 100 RAO went as dust.
    expect(Account.get(s, cold("Charlie")).data.free).toBe(charlieFree + 40n);
    expect(Account.get(s, cold("Zed")).data.free).toBe(0n);
    expect(BalancesTotalIssuance.get(s)).toBe(balancesIssuance + 40n - feePaid(block));
    // the dust and the sudo call's fee leave SubtensorModule.TotalIssuance too (TransactionFeeHandler)
    expect(S.TotalIssuance.get(s)).toBe(subtensorIssuance - 100n - feePaid(block));
  });

  it("lowering or repeating the minimum clears nothing; raising it again does", async () => {
    await seed([["Charlie", 5n]]);
    const lower = await a.produce([a.sudo("sudo_set_nominator_min_required_stake", { minStake: 10n })]);
    expect(summary(a.outcome(lower, 1))).toBe("ok");
    expect(S.NominatorMinRequiredStake.get(a.state())).toBe(10n);
    const same = await a.produce([a.sudo("sudo_set_nominator_min_required_stake", { minStake: 10n })]);
    expect(summary(a.outcome(same, 1))).toBe("ok");
    expect(S.Stake.get(a.state(), hot(), cold("Charlie"))).toBe(5n);
    const raise = await a.produce([a.sudo("sudo_set_nominator_min_required_stake", { minStake: 11n })]);
    expect(summary(a.outcome(raise, 1))).toBe("ok");
    expect(S.Stake.exists(a.state(), hot(), cold("Charlie"))).toBe(false);
    expect(S.Stake.get(a.state(), hot(), cold("Eve"))).toBe(5_000n);
    expect(S.Stake.get(a.state(), hot(), cold("Bob"))).toBe(50n);
  });
});
