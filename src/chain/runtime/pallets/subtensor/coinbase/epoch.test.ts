/**
 * The epoch driver and the payout, on an in-memory state: the input read from storage, every
 * output vector written, the bond-row rules, the owner cut, the delegate / nominator / non-delegate
 * payout split, the left-over RAO returned to PendingEmission, the EpochRun event, and the issuance
 * invariant after every block of a multi-epoch run.
 */
import { describe, expect, it } from "vitest";
import type { EnumValue } from "../../../../codec/scale.js";
import { runEpoch, type EpochInput } from "../../../../../consensus/yuma/index.js";
import { splitOwnerCut } from "../../../../../consensus/emission.js";
import { TotalIssuance as BalancesTotalIssuance, freeBalance } from "../../balances.js";
import {
  Active,
  BlocksSinceLastStep,
  Bonds,
  Consensus,
  Delegates,
  Dividends,
  Emission,
  Incentive,
  LastMechansimStepBlock,
  LastUpdate,
  MaxAllowedValidators,
  PendingEmission,
  PruningScores,
  Rank,
  Stake,
  SubnetOwnerCut,
  TotalColdkeyStake,
  TotalHotkeyStake,
  TotalIssuance,
  TotalStake,
  Trust,
  ValidatorPermit,
  ValidatorTrust,
  Weights,
  WeightsMinStake,
  Yuma3On,
} from "../storage.js";
import { assertIssuanceInvariant, assertLedgerAddsUp, prng } from "../../../../../../test/utils/subtensor/staking.js";
import { runCoinbase } from "./coinbase.js";
import { readEpochInput } from "./epochDriver.js";
import { emitInflationThroughHotkeyAccount } from "./payout.js";
import { account, addNeuron, addSubnet, ctxAt, freshState, fund, stake } from "../../../../../../test/utils/subtensor/coinbase.js";

const TAO = 1_000_000_000n;
const OWNER = account(500);

/** Subnet 1 (tempo 9: epochs at blocks 8, 18, …): two validators, two miners, one stale permit. */
function subnetWithNeurons() {
  const s = freshState();
  addSubnet(s, 1, { tempo: 9, owner: OWNER });
  const v0 = account(1);
  const v1 = account(2);
  const m0 = account(3);
  const m1 = account(4);
  addNeuron(s, 1, v0, account(101), 600n * TAO);
  addNeuron(s, 1, v1, account(102), 400n * TAO);
  addNeuron(s, 1, m0, account(103), 0n);
  addNeuron(s, 1, m1, account(104), 0n);
  MaxAllowedValidators.put(s, 2, 1);
  ValidatorPermit.put(s, [true, true, true, false], 1); // uid 2 holds a permit it will lose
  LastUpdate.put(s, [5n, 5n, 0n, 0n], 1);
  Weights.put(
    s,
    [
      [2, 65535],
      [3, 32768],
    ],
    1,
    0,
  );
  Weights.put(s, [[2, 65535]], 1, 1);
  Bonds.put(s, [[2, 1000]], 1, 0);
  Bonds.put(s, [[3, 500]], 1, 2);
  Bonds.put(s, [[2, 77]], 1, 3);
  // pending emission from earlier blocks (minted then)
  PendingEmission.put(s, 5n * TAO, 1);
  TotalIssuance.put(s, TotalIssuance.get(s) + 5n * TAO);
  return { s, hotkeys: [v0, v1, m0, m1] };
}

describe("epoch driver", () => {
  it("reads the subnet's state into the epoch input", () => {
    const { s } = subnetWithNeurons();
    const expected: EpochInput = {
      version: "classic",
      n: 4,
      currentBlock: 8n,
      raoEmission: 123n,
      stake: [600n * TAO, 400n * TAO, 0n, 0n],
      lastUpdate: [5n, 5n, 0n, 0n],
      blockAtRegistration: [0n, 0n, 0n, 0n],
      validatorPermit: [true, true, true, false],
      weights: [
        [
          [2, 65535],
          [3, 32768],
        ],
        [[2, 65535]],
        [],
        [],
      ],
      bonds: [[[2, 1000]], [], [[3, 500]], [[2, 77]]],
      hyperparameters: {
        kappa: 32767,
        bondsMovingAverage: 900_000n,
        bondsPenalty: 65535,
        activityCutoff: 5000n,
        maxAllowedValidators: 2,
        tempo: 9,
        lastMechanismStepBlock: 0n,
        liquidAlphaEnabled: false,
        alphaLow: 45875,
        alphaHigh: 58982,
        alphaSigmoidSteepness: 1000,
        yuma3Enabled: false,
        stakeThreshold: 0n,
        ownerUid: null,
      },
    };
    expect(readEpochInput(s, 1, 8n, 123n).input).toEqual(expected);
    // Yuma3On selects the current epoch, with WeightsMinStake as its stake threshold
    Yuma3On.put(s, true, 1);
    WeightsMinStake.put(s, 42n);
    const current = readEpochInput(s, 1, 8n, 123n).input;
    expect(current.version).toBe("current");
    expect(current.hyperparameters).toMatchObject({ yuma3Enabled: true, stakeThreshold: 42n });
  });

  it("at the epoch block: drains PendingEmission, pays the owner cut, writes every output vector and the bond rows, pays out, reports EpochRun", () => {
    const { s, hotkeys } = subnetWithNeurons();
    const ctx = ctxAt(s, 7);
    runCoinbase(ctx); // block 7: not an epoch block
    expect(BlocksSinceLastStep.get(s, 1)).toBe(1n);
    expect(PendingEmission.get(s, 1)).toBe(6n * TAO);
    expect(ctx.events).toEqual([]);
    assertIssuanceInvariant(s, "block 7");

    const pending = 7n * TAO; // 5 earlier + block 7 + block 8
    const { owner: ownerCut, rest } = splitOwnerCut(pending, SubnetOwnerCut.get(s));
    const before = readEpochInput(s, 1, 8n, rest).input;
    before.raoEmission = rest;
    const expected = runEpoch(before);
    const stake0 = hotkeys.map((h) => TotalHotkeyStake.get(s, h));
    const sti0 = TotalIssuance.get(s);
    const bti0 = BalancesTotalIssuance.get(s);

    const at8 = ctxAt(s, 8);
    const report = runCoinbase(at8);
    expect(report.epochs).toHaveLength(1);
    const e = report.epochs[0];
    expect(e).toMatchObject({ netuid: 1, pending, ownerCut, raoEmission: rest });
    expect(e.epoch.input).toEqual(before);
    expect(e.epoch.output).toEqual(expected);

    // every output vector
    expect(Active.get(s, 1)).toEqual(expected.active);
    expect(Emission.get(s, 1)).toEqual(expected.emission);
    expect(Rank.get(s, 1)).toEqual(expected.rank);
    expect(Trust.get(s, 1)).toEqual(expected.trust);
    expect(Consensus.get(s, 1)).toEqual(expected.consensus);
    expect(Incentive.get(s, 1)).toEqual(expected.incentive);
    expect(Dividends.get(s, 1)).toEqual(expected.dividends);
    expect(PruningScores.get(s, 1)).toEqual(expected.pruningScores);
    expect(ValidatorTrust.get(s, 1)).toEqual(expected.validatorTrust);
    expect(ValidatorPermit.get(s, 1)).toEqual([true, true, false, false]);
    expect(ValidatorPermit.get(s, 1)).toEqual(expected.validatorPermit);
    // bonds: permitted rows rewritten, the lost permit's row emptied, the never-permitted row kept
    expect(Bonds.get(s, 1, 0)).toEqual(expected.bonds[0]);
    expect(Bonds.get(s, 1, 1)).toEqual(expected.bonds[1]);
    expect(Bonds.get(s, 1, 2)).toEqual([]);
    expect(Bonds.exists(s, 1, 2)).toBe(true);
    expect(Bonds.get(s, 1, 3)).toEqual([[2, 77]]);
    expect(LastMechansimStepBlock.get(s, 1)).toBe(8n);
    expect(BlocksSinceLastStep.get(s, 1)).toBe(0n);

    // the miners earn incentive, the validators dividends; nothing is lost
    expect(expected.serverEmission[2]).toBeGreaterThan(0n);
    expect(expected.validatorEmission[0]).toBeGreaterThan(0n);
    const paid = expected.emission.reduce((a, b) => a + b, 0n);
    expect(e.server + e.validator).toBe(paid);
    expect(e.carried).toBe(rest - paid);
    expect(PendingEmission.get(s, 1)).toBe(e.carried);

    // non-delegates: each hotkey's owner gets its whole emission as stake
    hotkeys.forEach((h, uid) => expect(TotalHotkeyStake.get(s, h) - stake0[uid]).toBe(expected.serverEmission[uid] + expected.validatorEmission[uid]));
    // the owner cut: minted in Balances; SubtensorModule.TotalIssuance only grew by this block's share
    expect(freeBalance(s, OWNER)).toBe(ownerCut);
    expect(BalancesTotalIssuance.get(s)).toBe(bti0 + ownerCut);
    expect(TotalIssuance.get(s)).toBe(sti0 + TAO);
    assertIssuanceInvariant(s, "block 8");
    assertLedgerAddsUp(s, "block 8");

    // one EpochRun event, at the end of the coinbase's events
    const epochRun = at8.events.filter((ev) => ev.tag === "SubtensorModule" && (ev.value as EnumValue).tag === "EpochRun");
    expect(epochRun).toEqual([
      {
        tag: "SubtensorModule",
        value: { tag: "EpochRun", value: { netuid: 1, block: 8n, pending, ownerCut, server: e.server, validator: e.validator, carried: e.carried } },
      },
    ]);
    expect(e.pending).toBe(e.ownerCut + e.server + e.validator + e.carried);
  });

  it("a subnet without an owner pays no owner cut; tempo 0 never runs", () => {
    const s = freshState();
    addSubnet(s, 1, { tempo: 9, owner: null });
    addSubnet(s, 2, { tempo: 0 });
    addNeuron(s, 1, account(1), account(101), TAO);
    const report = runCoinbase(ctxAt(s, 8));
    expect(report.epochs.map((e) => [e.netuid, e.ownerCut, e.raoEmission])).toEqual([[1, 0n, TAO / 2n]]);
    expect(BlocksSinceLastStep.get(s, 2)).toBe(1n);
    assertIssuanceInvariant(s);
  });

  it("an empty subnet keeps its emission pending (Yuma hands out nothing, nothing is lost)", () => {
    const s = freshState();
    addSubnet(s, 1, { tempo: 1 }); // epochs at even blocks
    const r = runCoinbase(ctxAt(s, 2));
    const e = r.epochs[0];
    expect(e.server + e.validator).toBe(0n);
    expect(e.carried).toBe(e.raoEmission);
    expect(PendingEmission.get(s, 1)).toBe(e.raoEmission);
    assertIssuanceInvariant(s);
  });
});

describe("payout (emit_inflation_through_hotkey_account)", () => {
  it("non-delegate: server + validator emission as stake of the hotkey's owner", () => {
    const s = freshState();
    const hot = account(1);
    const cold = account(101);
    stake(s, hot, cold, 10n);
    const p = emitInflationThroughHotkeyAccount(s, hot, 300n, 700n);
    expect(p).toEqual({ owner: 1000n, take: 0n, nominators: [] });
    expect(Stake.get(s, hot, cold)).toBe(1010n);
    expect(TotalHotkeyStake.get(s, hot)).toBe(1010n);
    expect(TotalColdkeyStake.get(s, cold)).toBe(1010n);
    expect(TotalStake.get(s)).toBe(1010n);
  });

  it("delegate: take (18%) and the floors' left-over to the owner, the rest pro rata to every staker, server part to the owner", () => {
    const s = freshState();
    const hot = account(1);
    const owner = account(101);
    const a = account(102);
    const b = account(103);
    stake(s, hot, owner, 600n);
    stake(s, hot, a, 300n, owner);
    stake(s, hot, b, 100n, owner);
    Delegates.put(s, 11796, hot);
    const p = emitInflationThroughHotkeyAccount(s, hot, 500n, 1_000_000n);
    // take ⌊11796/65535 · 10^6⌋ = 179 995; rest 820 005: a 0.3 → 246 001, b 0.1 → 82 000,
    // owner 0.6 → 492 002 (I64F64 proportions truncate just below), 2 RAO left over → owner
    expect(p.take).toBe(179_995n);
    const credited = new Map(p.nominators.map(([c, v]) => [Buffer.from(c).toString("hex"), v]));
    expect(credited.get(Buffer.from(a).toString("hex"))).toBe(246_001n);
    expect(credited.get(Buffer.from(b).toString("hex"))).toBe(82_000n);
    expect(credited.get(Buffer.from(owner).toString("hex"))).toBe(492_002n);
    expect(p.owner).toBe(179_995n + 2n + 500n);
    expect(Stake.get(s, hot, a)).toBe(300n + 246_001n);
    expect(Stake.get(s, hot, b)).toBe(100n + 82_000n);
    expect(Stake.get(s, hot, owner)).toBe(600n + 492_002n + 180_497n);
    expect(TotalHotkeyStake.get(s, hot)).toBe(1000n + 1_000_500n);
    assertLedgerAddsUp(s);
  });

  it("delegate with a custom take and no stake at all: everything goes to the owner", () => {
    const s = freshState();
    const hot = account(1);
    stake(s, hot, account(101), 0n);
    Delegates.put(s, 5898, hot);
    const p = emitInflationThroughHotkeyAccount(s, hot, 7n, 65_535n);
    expect(p.take).toBe(5897n); // ⌊5898/65535 · 65535⌋ with the truncated I64F64 proportion
    expect(p.owner).toBe(7n + 65_535n);
    expect(Stake.get(s, hot, account(101))).toBe(7n + 65_535n);
  });
});

describe("conservation", () => {
  it("SubtensorModule.TotalIssuance == Σ balances + Σ stakes + Σ locks + Σ pending after every block of a multi-epoch run", () => {
    const s = freshState();
    const rng = prng(4);
    addSubnet(s, 1, { tempo: 3 });
    addSubnet(s, 2, { tempo: 5 });
    addSubnet(s, 3, { tempo: 7, registrationAllowed: false });
    const hot = (i: number) => account(10 + i);
    const cold = (i: number) => account(200 + i);
    for (let i = 0; i < 6; i++) {
      const netuid = 1 + (i % 3);
      addNeuron(s, netuid, hot(i), cold(i), BigInt(1 + rng.int(1000)) * TAO, 0n, i % 2 === 0 ? { delegateTake: 11796 } : {});
      if (i % 2 === 0) stake(s, hot(i), cold(50 + i), BigInt(1 + rng.int(100)) * TAO, cold(i)); // a nominator
    }
    for (const netuid of [1, 2, 3]) {
      ValidatorPermit.put(s, ValidatorPermit.get(s, netuid).map(() => true), netuid);
      LastUpdate.put(s, LastUpdate.get(s, netuid).map(() => 1n), netuid);
    }
    // neurons weight each other across the subnet
    Weights.put(s, [[3, 65535]], 1, 0);
    Weights.put(s, [[0, 65535]], 1, 1);
    Weights.put(s, [[1, 40000]], 2, 0);
    fund(s, account(9001), 1000n * TAO);
    assertIssuanceInvariant(s, "setup");
    let epochs = 0;
    let minted = 0n;
    let paid = 0n;
    for (let b = 1; b <= 60; b++) {
      const r = runCoinbase(ctxAt(s, b));
      epochs += r.epochs.length;
      minted += r.split.minted;
      for (const e of r.epochs) {
        expect(e.pending).toBe(e.ownerCut + e.server + e.validator + e.carried);
        paid += e.server + e.validator;
      }
      assertIssuanceInvariant(s, `after block ${b}`);
      assertLedgerAddsUp(s, `after block ${b}`);
    }
    expect(epochs).toBe(15 + 10 + 8); // subnet 3 still runs epochs, with nothing to hand out
    expect(minted).toBe(60n * TAO); // subnets 1 and 2 share each block; subnet 3 (closed) gets none
    expect(PendingEmission.get(s, 3)).toBe(0n);
    expect(paid).toBeGreaterThan(40n * TAO); // of 60 TAO minted: 18% owner cut, the rest paid but the last blocks' pending
  });
});
