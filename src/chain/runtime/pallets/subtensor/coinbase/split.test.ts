/**
 * Block emission accrual and its split across subnets: the schedule and the cap as stored in
 * BlockEmission, the equal-split fallback, the classic root-network rule (EmissionValues from the
 * root epoch), and what is and is not scheduled (nothing is issued before an epoch pays it).
 */
import { describe, expect, it } from "vitest";
import { I64F64 } from "../../../../../consensus/yuma/fixed.js";
import { TOTAL_SUPPLY } from "../../../../../consensus/emission.js";
import { BlockEmission, EmissionValues, PendingEmission, Rho, Kappa, TotalIssuance, Weights } from "../storage.js";
import { blockEmissionAt } from "./blockEmission.js";
import { computeRootEmission, runRootEpoch } from "./rootEpoch.js";
import { accrueBlockEmission, canReceiveEmission } from "./subnetSplit.js";
import { account, addRootValidator, addSubnet, freshState } from "../../../../../../test/utils/subtensor/coinbase.js";
import { coinbaseConfig } from "./config.js";

const TAO = 1_000_000_000n;

describe("block emission (BlockEmission)", () => {
  it("height rule: 1 TAO until block 10 500 000, half from 10 500 001; nothing at genesis; stored only when it changes", () => {
    const s = freshState();
    expect(coinbaseConfig(s).halving).toBe("height");
    expect(blockEmissionAt(s, 1n)).toBe(TAO);
    expect(BlockEmission.exists(s)).toBe(false); // equal to the default: no write, as Subtensor
    expect(blockEmissionAt(s, 10_500_000n)).toBe(TAO);
    expect(blockEmissionAt(s, 10_500_001n)).toBe(TAO / 2n);
    expect(BlockEmission.get(s)).toBe(TAO / 2n);
    expect(blockEmissionAt(s, 21_000_001n)).toBe(TAO / 4n);
    expect(blockEmissionAt(s, 64n * 10_500_000n + 1n)).toBe(0n); // 64th halving: nothing left
    expect(blockEmissionAt(s, 0n)).toBe(0n);
  });

  it("issuance rule: halves when SubtensorModule.TotalIssuance reaches 10.5M TAO", () => {
    const s = freshState({ halving: "issuance" });
    TotalIssuance.put(s, 10_500_000n * TAO - 1n);
    expect(blockEmissionAt(s, 5n)).toBe(TAO);
    TotalIssuance.put(s, 10_500_000n * TAO);
    expect(blockEmissionAt(s, 5n)).toBe(TAO / 2n);
    expect(BlockEmission.get(s)).toBe(TAO / 2n);
  });

  it("never lets TotalIssuance pass 21M TAO: the cap counts the issuance and what is still pending", () => {
    const s = freshState();
    addSubnet(s, 1);
    TotalIssuance.put(s, TOTAL_SUPPLY - 10n);
    PendingEmission.put(s, 7n, 1); // owed from earlier blocks
    const amount = blockEmissionAt(s, 7n);
    expect(amount).toBe(3n);
    expect(accrueBlockEmission(s, 7n, amount).accrued).toBe(3n);
    // scheduled, not issued
    expect(TotalIssuance.get(s)).toBe(TOTAL_SUPPLY - 10n);
    expect(PendingEmission.get(s, 1)).toBe(10n);
    expect(blockEmissionAt(s, 8n)).toBe(0n);
    expect(accrueBlockEmission(s, 8n, 0n).accrued).toBe(0n);
  });

  it("issuance rule reads TotalIssuance alone (emission counts when paid), as Subtensor's get_block_emission", () => {
    const s = freshState({ halving: "issuance" });
    addSubnet(s, 1);
    TotalIssuance.put(s, 10_500_000n * TAO - 1n);
    PendingEmission.put(s, 100n * TAO, 1); // pending emission does not bring the halving forward
    expect(blockEmissionAt(s, 5n)).toBe(TAO);
  });
});

describe("split across subnets", () => {
  it("equal-split fallback: every subnet with registration allowed gets an equal share, exact to the RAO; root and closed subnets get nothing", () => {
    const s = freshState();
    addSubnet(s, 1);
    addSubnet(s, 2);
    addSubnet(s, 3, { registrationAllowed: false });
    addSubnet(s, 4);
    expect([0, 1, 2, 3, 4].map((n) => canReceiveEmission(s, n))).toEqual([false, true, true, false, true]);
    const ti0 = TotalIssuance.get(s);
    const split = accrueBlockEmission(s, 1n, TAO + 1n);
    expect(split.mode).toBe("fallback");
    // 1 000 000 001 = 3 × 333 333 333 + 2: the two left-over RAO go to the first subnets
    expect(split.shares).toEqual([
      [1, 333_333_334n],
      [2, 333_333_334n],
      [4, 333_333_333n],
    ]);
    expect(split.accrued).toBe(TAO + 1n);
    expect(TotalIssuance.get(s)).toBe(ti0); // issued only when an epoch pays it
    expect([1, 2, 3, 4].map((n) => PendingEmission.get(s, n))).toEqual([333_333_334n, 333_333_334n, 0n, 333_333_333n]);
    // EmissionValues stay 0: the fallback does not pretend to be the root network
    expect([1, 2, 4].map((n) => EmissionValues.get(s, n))).toEqual([0n, 0n, 0n]);
    // it accrues block after block
    accrueBlockEmission(s, 2n, TAO + 1n);
    expect(PendingEmission.get(s, 1)).toBe(666_666_668n);
  });

  it("without the fallback (classic), or without a subnet that can receive, nothing is scheduled", () => {
    const off = freshState({ equalSplitFallback: false });
    addSubnet(off, 1);
    const ti0 = TotalIssuance.get(off);
    expect(accrueBlockEmission(off, 1n, TAO)).toMatchObject({ mode: "root", shares: [], accrued: 0n });
    expect(TotalIssuance.get(off)).toBe(ti0);
    expect(PendingEmission.get(off, 1)).toBe(0n);

    const none = freshState();
    addSubnet(none, 1, { registrationAllowed: false });
    expect(accrueBlockEmission(none, 1n, TAO)).toMatchObject({ mode: "fallback", shares: [], accrued: 0n });
    expect(TotalIssuance.get(none)).toBe(0n);
  });

  it("root rule: the block emission is split pro rata to EmissionValues; shares of root and closed subnets are not scheduled", () => {
    const s = freshState();
    addSubnet(s, 1);
    addSubnet(s, 2);
    addSubnet(s, 3, { registrationAllowed: false });
    EmissionValues.put(s, 100n, 0); // root's own share: never created
    EmissionValues.put(s, 300n, 1);
    EmissionValues.put(s, 500n, 2);
    EmissionValues.put(s, 100n, 3);
    const split = accrueBlockEmission(s, 1n, TAO);
    expect(split.mode).toBe("root");
    // 1e9 split 1:3:5:1 over netuids 0,1,2,3
    expect(split.shares).toEqual([
      [1, 300_000_000n],
      [2, 500_000_000n],
    ]);
    expect(split.accrued).toBe(800_000_000n);
    expect([1, 2, 3].map((n) => PendingEmission.get(s, n))).toEqual([300_000_000n, 500_000_000n, 0n]);
    expect(TotalIssuance.get(s)).toBe(0n);
  });

  it("root rule splits exactly: uneven values hand out every RAO of the block emission", () => {
    const s = freshState();
    for (const n of [1, 2, 3]) addSubnet(s, n);
    EmissionValues.put(s, 1n, 1);
    EmissionValues.put(s, 1n, 2);
    EmissionValues.put(s, 1n, 3);
    const split = accrueBlockEmission(s, 1n, 1_000n);
    expect(split.shares.map(([, v]) => v)).toEqual([334n, 333n, 333n]);
    expect(split.accrued).toBe(1_000n);
  });
});

describe("root epoch (classic root_epoch)", () => {
  it("one validator weighting two subnets equally: half the block emission each (and nothing for root)", () => {
    const s = freshState();
    addSubnet(s, 1);
    addSubnet(s, 2);
    addRootValidator(s, account(1), account(101), 1_000n * TAO);
    Weights.put(
      s,
      [
        [1, 65535],
        [2, 65535],
      ],
      0,
      0,
    );
    const r = computeRootEmission(s, TAO);
    expect(r).toEqual({ ok: true, netuids: [0, 1, 2], emission: [0n, 500_000_000n, 500_000_000n] });
  });

  it("consensus favours the subnets backed by most of the stake (logistic of trust around kappa, rho 10)", () => {
    const s = freshState();
    addSubnet(s, 1);
    addSubnet(s, 2);
    addRootValidator(s, account(1), account(101), 3_000n * TAO);
    addRootValidator(s, account(2), account(102), 1_000n * TAO);
    Weights.put(s, [[1, 65535]], 0, 0);
    Weights.put(s, [[2, 65535]], 0, 1);
    expect(Rho.get(s, 0)).toBe(10);
    expect(Kappa.get(s, 0)).toBe(32767);
    const r = computeRootEmission(s, TAO);
    if (!r.ok) throw new Error(r.reason);
    const [e0, e1, e2] = r.emission;
    expect(e0).toBe(0n);
    // oracle in floating point: rank 0.75 / 0.25, trust 0.75 / 0.25, c = 1 / (1 + e^{−10 (t − κ)})
    const kappa = 32767 / 65535;
    const c = (t: number) => 1 / (1 + Math.exp(-10 * (t - kappa)));
    const w1 = c(0.75) * 0.75;
    const w2 = c(0.25) * 0.25;
    const expected1 = (w1 / (w1 + w2)) * 1e9;
    expect(Math.abs(Number(e1) - expected1)).toBeLessThan(2);
    expect(Math.abs(Number(e2) - (1e9 - expected1))).toBeLessThan(2);
    expect(e1 + e2).toBeLessThanOrEqual(TAO);
    expect(e1 + e2).toBeGreaterThanOrEqual(TAO - 2n); // only the floors are lost
  });

  it("cannot run without root validators or without stake: EmissionValues keep their values", () => {
    const s = freshState();
    addSubnet(s, 1);
    EmissionValues.put(s, 7n, 1);
    expect(runRootEpoch(s, TAO)).toEqual({ ok: false, reason: "No validators to validate emission values." });
    addRootValidator(s, account(1), account(101), 0n);
    Weights.put(s, [[1, 65535]], 0, 0);
    expect(runRootEpoch(s, TAO)).toEqual({ ok: false, reason: "No stake on network" });
    expect(EmissionValues.get(s, 1)).toBe(7n);
  });

  it("runs on the root network's epoch blocks and then drives the split; until then the fallback applies", () => {
    const s = freshState();
    addSubnet(s, 1);
    addSubnet(s, 2);
    addRootValidator(s, account(1), account(101), 1_000n * TAO);
    Weights.put(s, [[2, 65535]], 0, 0); // all root weight on subnet 2
    // root tempo 100: blocks_until_next_epoch(0, 100, b) = 100 − (b + 1) % 101 is 0 at block 99
    expect(accrueBlockEmission(s, 98n, TAO)).toMatchObject({ mode: "fallback", rootEpoch: null });
    const at99 = accrueBlockEmission(s, 99n, TAO);
    expect(at99.rootEpoch).toEqual({ ok: true, netuids: [0, 1, 2], emission: [0n, 0n, TAO] });
    expect(at99).toMatchObject({ mode: "root", shares: [[2, TAO]], accrued: TAO });
    expect(EmissionValues.get(s, 2)).toBe(TAO);
    expect(accrueBlockEmission(s, 100n, TAO)).toMatchObject({ mode: "root", rootEpoch: null, shares: [[2, TAO]] });
  });

  it("I64F64 exp is the one the root consensus uses (exp(0) = 1, sigmoid(0) = 1/2)", () => {
    const t = I64F64;
    const s = freshState();
    addSubnet(s, 1);
    addRootValidator(s, account(1), account(101), 5n);
    Weights.put(s, [[1, 1]], 0, 0);
    Kappa.put(s, 65535, 0); // trust 1 − κ 1 = 0 → consensus exactly 1/2; alone it still gets everything
    const r = computeRootEmission(s, 1_000n);
    expect(r).toEqual({ ok: true, netuids: [0, 1], emission: [0n, 1_000n] });
    expect(t.ONE).toBe(1n << 64n);
  });
});
