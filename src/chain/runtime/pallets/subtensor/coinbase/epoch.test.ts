/**
 * The epoch driver and the payout, on an in-memory state: the input read from storage, every
 * output vector written, the bond-row rules, the owner cut, the delegate / nominator / non-delegate
 * payout split, issuance counted when paid, what an epoch cannot pay dropped (never carried), the
 * EpochRun event, the root network's counters, and both invariants after every block of a
 * multi-epoch run.
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
  NetworkRegistrationAllowed,
  PendingEmission,
  PruningScores,
  Rank,
  Stake,
  SubnetOwnerCut,
  Tempo,
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
import { readEpochInput, readFlatEpochInput, runSubnetEpoch, writeEpochOutput } from "./epochDriver.js";
import { MemoryState, StateOverlay } from "../../../../state/overlay.js";
import type { StorageAccess } from "../../../../state/types.js";
import type { RuntimeDiagnostic } from "../../../frame/dispatch.js";
import { BlockAtRegistration, BondsMovingAverage, LiquidAlphaOn } from "../storage.js";
import { emitInflationThroughHotkeyAccount } from "./payout.js";
import { account, addNeuron, addSubnet, ctxAt, freshState, fund, stake } from "../../../../../../test/utils/subtensor/coinbase.js";

const TAO = 1_000_000_000n;
const OWNER = account(500);

/** Subnet 1 (tempo 9: epochs at blocks 7, 17, …): two validators, two miners, one stale permit. */
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
  // pending emission from earlier blocks (scheduled then, not issued until paid)
  PendingEmission.put(s, 5n * TAO, 1);
  return { s, hotkeys: [v0, v1, m0, m1] };
}

describe("epoch driver", () => {
  it("reads the subnet's state into the epoch input", () => {
    const { s } = subnetWithNeurons();
    const expected: EpochInput = {
      version: "classic",
      n: 4,
      currentBlock: 7n,
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
    expect(readEpochInput(s, 1, 7n, 123n).input).toEqual(expected);
    // Yuma3On selects the current epoch, with WeightsMinStake as its stake threshold
    Yuma3On.put(s, true, 1);
    WeightsMinStake.put(s, 42n);
    const current = readEpochInput(s, 1, 7n, 123n).input;
    expect(current.version).toBe("current");
    expect(current.hyperparameters).toMatchObject({ yuma3Enabled: true, stakeThreshold: 42n });
  });

  it("at the epoch block: drains PendingEmission, pays the owner cut, writes every output vector and the bond rows, pays out, issues what it paid, drops the rest, reports EpochRun", () => {
    const { s, hotkeys } = subnetWithNeurons();
    const sti0 = TotalIssuance.get(s);
    const ctx = ctxAt(s, 6);
    runCoinbase(ctx); // block 6: not an epoch block
    expect(BlocksSinceLastStep.get(s, 1)).toBe(1n);
    expect(PendingEmission.get(s, 1)).toBe(6n * TAO);
    // the block's emission accrues without being issued
    expect(TotalIssuance.get(s)).toBe(sti0);
    expect(ctx.events).toEqual([]);
    assertIssuanceInvariant(s, "block 6");

    const pending = 7n * TAO; // 5 earlier + block 6 + block 7
    const { owner: ownerCut, rest } = splitOwnerCut(pending, SubnetOwnerCut.get(s));
    const before = readEpochInput(s, 1, 7n, rest).input;
    before.raoEmission = rest;
    const expected = runEpoch(before);
    const stake0 = hotkeys.map((h) => TotalHotkeyStake.get(s, h));
    const bti0 = BalancesTotalIssuance.get(s);

    const at7 = ctxAt(s, 7);
    const report = runCoinbase(at7);
    expect(report.epochs).toHaveLength(1);
    const e = report.epochs[0];
    expect(e).toMatchObject({ netuid: 1, pending, ownerCut, raoEmission: rest, yuma: "paid" });
    expect(e.epoch!.input).toEqual(before);
    expect(e.epoch!.output).toEqual(expected);

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
    expect(LastMechansimStepBlock.get(s, 1)).toBe(7n);
    expect(BlocksSinceLastStep.get(s, 1)).toBe(0n);

    // the miners earn incentive, the validators dividends; Yuma's floors leave a few RAO unpaid
    expect(expected.serverEmission[2]).toBeGreaterThan(0n);
    expect(expected.validatorEmission[0]).toBeGreaterThan(0n);
    const paid = expected.emission.reduce((a, b) => a + b, 0n);
    expect(e.server + e.validator).toBe(paid);
    expect(e.dropped).toBe(rest - paid);
    expect(e.dropped).toBeGreaterThan(0n);
    // drained to 0: the dropped RAO are not carried to the next epoch
    expect(PendingEmission.get(s, 1)).toBe(0n);

    // non-delegates: each hotkey's owner gets its whole emission as stake
    hotkeys.forEach((h, uid) => expect(TotalHotkeyStake.get(s, h) - stake0[uid]).toBe(expected.serverEmission[uid] + expected.validatorEmission[uid]));
    // the owner cut: minted in Balances; SubtensorModule.TotalIssuance grew by exactly what was paid
    expect(freeBalance(s, OWNER)).toBe(ownerCut);
    expect(BalancesTotalIssuance.get(s)).toBe(bti0 + ownerCut);
    expect(TotalIssuance.get(s)).toBe(sti0 + ownerCut + paid);
    assertIssuanceInvariant(s, "block 7");
    assertLedgerAddsUp(s, "block 7");

    // one EpochRun event, at the end of the coinbase's events
    const epochRun = at7.events.filter((ev) => ev.tag === "SubtensorModule" && (ev.value as EnumValue).tag === "EpochRun");
    expect(epochRun).toEqual([
      {
        tag: "SubtensorModule",
        value: { tag: "EpochRun", value: { netuid: 1, block: 7n, pending, ownerCut, server: e.server, validator: e.validator, dropped: e.dropped } },
      },
    ]);
    expect(e.pending).toBe(e.ownerCut + e.server + e.validator + e.dropped);

    // the next epoch (block 17) drains only what accrued since: blocks 8…17
    for (let b = 8; b < 17; b++) runCoinbase(ctxAt(s, b));
    expect(PendingEmission.get(s, 1)).toBe(9n * TAO);
    expect(runCoinbase(ctxAt(s, 17)).epochs[0].pending).toBe(10n * TAO);
  });

  it("a subnet without an owner pays no owner cut; tempo 0 never runs", () => {
    const s = freshState();
    addSubnet(s, 1, { tempo: 9, owner: null });
    addSubnet(s, 2, { tempo: 0 });
    addNeuron(s, 1, account(1), account(101), TAO);
    const report = runCoinbase(ctxAt(s, 7));
    expect(report.epochs.map((e) => [e.netuid, e.ownerCut, e.raoEmission])).toEqual([[1, 0n, TAO / 2n]]);
    expect(BlocksSinceLastStep.get(s, 2)).toBe(1n);
    assertIssuanceInvariant(s);
  });

  it("an epoch where nobody has stake drops its emission: TotalIssuance unchanged, the dropped amount in EpochRun, nothing carried", () => {
    const s = freshState();
    addSubnet(s, 1, { tempo: 1 }); // epochs at odd blocks
    addNeuron(s, 1, account(1), account(101), 0n); // a neuron, but no stake anywhere
    SubnetOwnerCut.put(s, 0); // no owner cut either: the epoch pays nothing at all
    const ti0 = TotalIssuance.get(s);
    runCoinbase(ctxAt(s, 2));
    expect(PendingEmission.get(s, 1)).toBe(TAO);
    const ctx = ctxAt(s, 3);
    const e = runCoinbase(ctx).epochs[0];
    expect(e).toMatchObject({ netuid: 1, pending: 2n * TAO, ownerCut: 0n, server: 0n, validator: 0n, dropped: 2n * TAO, yuma: "paid" });
    expect(TotalIssuance.get(s)).toBe(ti0);
    expect(PendingEmission.get(s, 1)).toBe(0n);
    expect(ctx.events).toContainEqual({ tag: "SubtensorModule", value: { tag: "EpochRun", value: { netuid: 1, block: 3n, pending: 2n * TAO, ownerCut: 0n, server: 0n, validator: 0n, dropped: 2n * TAO } } });
    assertIssuanceInvariant(s);
    // the next epoch starts from what accrued since (blocks 4 and 5), not from the dropped 2 TAO
    runCoinbase(ctxAt(s, 4));
    expect(runCoinbase(ctxAt(s, 5)).epochs[0].pending).toBe(2n * TAO);
  });

  it("an empty subnet with an owner: only the owner cut is issued, the rest dropped", () => {
    const s = freshState();
    addSubnet(s, 1, { tempo: 1 });
    const ti0 = TotalIssuance.get(s);
    const e = runCoinbase(ctxAt(s, 3)).epochs[0];
    const { owner } = splitOwnerCut(TAO, SubnetOwnerCut.get(s));
    expect(e).toMatchObject({ pending: TAO, ownerCut: owner, server: 0n, validator: 0n, dropped: TAO - owner });
    expect(TotalIssuance.get(s)).toBe(ti0 + owner);
    expect(PendingEmission.get(s, 1)).toBe(0n);
    assertIssuanceInvariant(s);
  });

  it("a subnet whose registration is closed: drained and dropped at its epoch without Yuma or owner cut (Subtensor skips its payouts)", () => {
    const { s } = subnetWithNeurons();
    NetworkRegistrationAllowed.put(s, false, 1);
    const ti0 = TotalIssuance.get(s);
    const vectors = () => [Emission.get(s, 1), Rank.get(s, 1), Incentive.get(s, 1), Dividends.get(s, 1), ValidatorPermit.get(s, 1), Bonds.get(s, 1, 0)];
    const before = vectors();
    const ctx = ctxAt(s, 7);
    const e = runCoinbase(ctx).epochs[0];
    // 5 TAO accrued earlier; closed subnets accrue nothing new
    expect(e).toMatchObject({ netuid: 1, pending: 5n * TAO, ownerCut: 0n, raoEmission: 0n, yuma: "not run", epoch: null, server: 0n, validator: 0n, dropped: 5n * TAO });
    expect(PendingEmission.get(s, 1)).toBe(0n);
    expect(TotalIssuance.get(s)).toBe(ti0);
    expect(freeBalance(s, OWNER)).toBe(0n);
    // Yuma did not run (it would have taken uid 2's permit); the counters still follow the schedule
    expect(vectors()).toEqual(before);
    expect(ValidatorPermit.get(s, 1)).toEqual([true, true, true, false]);
    expect(LastMechansimStepBlock.get(s, 1)).toBe(7n);
    expect(BlocksSinceLastStep.get(s, 1)).toBe(0n);
    assertIssuanceInvariant(s);
  });

  it("the root network's BlocksSinceLastStep and LastMechansimStepBlock follow blocks_until_next_epoch", () => {
    const s = freshState();
    Tempo.put(s, 9, 0); // root epochs where (block + 1) % 10 == 9: blocks 8, 18, …
    for (let b = 1; b <= 7; b++) runCoinbase(ctxAt(s, b));
    expect(BlocksSinceLastStep.get(s, 0)).toBe(7n);
    const r = runCoinbase(ctxAt(s, 8));
    expect(r.epochs).toEqual([]); // nothing drained, nothing reported
    expect(BlocksSinceLastStep.get(s, 0)).toBe(0n);
    expect(LastMechansimStepBlock.get(s, 0)).toBe(8n);
    runCoinbase(ctxAt(s, 9));
    expect(BlocksSinceLastStep.get(s, 0)).toBe(1n);
  });
});

/**
 * A random subnet 1 on a frozen base: n neurons (the first `validators` staked, with weight rows
 * in random order), random bond rows, permits, LastUpdate (sometimes shorter than n), variant.
 */
function randomSubnetBase(seed: number, n: number, validators: number): MemoryState {
  const rng = prng(seed);
  const s = freshState();
  addSubnet(s, 1, { tempo: 9, owner: OWNER });
  for (let uid = 0; uid < n; uid++) addNeuron(s, 1, account(1000 + uid), account(3000 + uid), uid < validators ? BigInt(1 + rng.int(1000)) * TAO : 0n, BigInt(rng.int(5)));
  MaxAllowedValidators.put(s, Math.max(1, validators - rng.int(3)), 1);
  ValidatorPermit.put(s, Array.from({ length: n }, () => rng.chance(0.5)), 1);
  LastUpdate.put(s, Array.from({ length: rng.chance(0.2) ? Math.max(0, n - 2) : n }, () => BigInt(rng.int(7))), 1);
  for (let uid = 0; uid < n; uid++) {
    if (uid < validators) {
      const targets = Array.from({ length: n }, (_, j) => j).filter(() => rng.chance(0.7));
      for (let i = targets.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [targets[i], targets[j]] = [targets[j], targets[i]];
      }
      Weights.put(s, targets.map((j): [number, number] => [j, rng.int(65536)]), 1, uid);
    }
    if (rng.chance(0.6)) Bonds.put(s, Array.from({ length: n }, (_, j) => j).filter(() => rng.chance(0.5)).map((j): [number, number] => [j, rng.int(65536)]), 1, uid);
    if (rng.chance(0.1)) BlockAtRegistration.put(s, BigInt(rng.int(8)), 1, uid);
  }
  if (rng.chance(0.5)) Yuma3On.put(s, true, 1);
  if (rng.chance(0.3)) LiquidAlphaOn.put(s, true, 1);
  const base = new MemoryState();
  base.apply((s as StateOverlay).drain());
  return base;
}

/** The EpochInput path (rows as pairs): readEpochInput → runEpoch → writeEpochOutput. */
function pairsPath(state: StorageAccess, block: bigint, rao: bigint) {
  const { input } = readEpochInput(state, 1, block, rao);
  const output = runEpoch(input);
  writeEpochOutput(state, 1, input, output);
  return { input, output };
}

describe("epoch driver: the flat path (runEpochFlat)", () => {
  it("reads the same input and writes byte for byte what the pairs path writes, over random subnets of both variants", () => {
    for (let seed = 1; seed <= 24; seed++) {
      const n = 1 + ((seed * 7) % 40);
      const base = randomSubnetBase(seed, n, 1 + (seed % Math.min(n, 8)));
      const a = new StateOverlay(base);
      const b = new StateOverlay(base);
      const expected = pairsPath(a, 7n, 1_000_000_000n);
      const reports: RuntimeDiagnostic[] = [];
      const epoch = runSubnetEpoch(b, 1, 7n, 1_000_000_000n, { report: (d) => reports.push(d) });
      expect(reports).toEqual([]);
      expect(epoch.input).toEqual(expected.input);
      expect(epoch.output).toEqual(expected.output);
      expect(b.drain()).toEqual(a.drain());
    }
  });

  it("the flat input equals readEpochInput's, LastUpdate and ValidatorPermit padded to n", () => {
    const base = randomSubnetBase(99, 12, 4);
    const s = new StateOverlay(base);
    LastUpdate.put(s, [3n, 4n], 1);
    ValidatorPermit.put(s, [true], 1);
    const flat = readFlatEpochInput(s, 1, 7n, 5n).input;
    expect(Array.from(flat.lastUpdate)).toEqual([3n, 4n, ...Array(10).fill(0n)]);
    expect(Array.from(flat.validatorPermit as Uint8Array)).toEqual([1, ...Array(11).fill(0)]);
  });

  it("an input the fast path refuses is computed on the reference path: same state, and the reason is reported", () => {
    const base = randomSubnetBase(5, 12, 4);
    const a = new StateOverlay(base);
    const b = new StateOverlay(base);
    for (const s of [a, b]) {
      Yuma3On.put(s, false, 1);
      BondsMovingAverage.put(s, 1_500_000n, 1); // EMA alpha −0.5: outside the fast path's exact range
    }
    const expected = pairsPath(a, 7n, 1_000_000_000n);
    const reports: RuntimeDiagnostic[] = [];
    const epoch = runSubnetEpoch(b, 1, 7n, 1_000_000_000n, { report: (d) => reports.push(d) });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ kind: "yumaReferenceFallback", netuid: 1, block: 7 });
    expect(reports[0].reason).toMatch(/fast epoch path unavailable/);
    expect(epoch.output).toEqual(expected.output);
    expect(b.drain()).toEqual(a.drain());
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
  it("after every block of a multi-epoch run: TotalIssuance == Σ balances + Σ stakes + Σ locks, it grows by exactly what is paid, and Σ scheduled == Σ paid + Σ pending + Σ dropped", () => {
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
    let scheduled = 0n;
    let paid = 0n;
    let dropped = 0n;
    for (let b = 1; b <= 60; b++) {
      const ti0 = TotalIssuance.get(s);
      const r = runCoinbase(ctxAt(s, b));
      epochs += r.epochs.length;
      scheduled += r.split.accrued;
      let paidNow = 0n;
      for (const e of r.epochs) {
        expect(e.pending).toBe(e.ownerCut + e.server + e.validator + e.dropped);
        paidNow += e.ownerCut + e.server + e.validator;
        dropped += e.dropped;
      }
      paid += paidNow;
      expect(TotalIssuance.get(s) - ti0).toBe(paidNow);
      assertIssuanceInvariant(s, `after block ${b}`);
      assertLedgerAddsUp(s, `after block ${b}`);
      const pending = [1, 2, 3].reduce((a, n) => a + PendingEmission.get(s, n), 0n);
      expect(scheduled).toBe(paid + pending + dropped);
    }
    expect(epochs).toBe(15 + 10 + 8); // subnet 3 still reaches its epochs, with nothing to hand out
    expect(scheduled).toBe(60n * TAO); // subnets 1 and 2 share each block; subnet 3 (closed) gets none
    expect(PendingEmission.get(s, 3)).toBe(0n);
    expect(paid).toBeGreaterThan(50n * TAO); // of 60 TAO scheduled: all but the floors' dust and the last blocks' pending
    expect(dropped).toBeGreaterThan(0n);
    expect(dropped).toBeLessThan(1000n); // Yuma's floors: a few RAO per epoch
  });
});
