/**
 * Property tests: the optimised epoch equals the bigint reference on random subnet states (both
 * versions, Yuma2/Yuma3, liquid alpha, bonds penalty, owner, stake threshold, masks), and the
 * outputs keep Subtensor's invariants (u16 incentive/dividends sum to 65535 minus rounding, or
 * are all zero; emission never exceeds rao_emission and loses only rounding).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runEpoch, runEpochReference, type EpochInput, type U16Row } from "./epoch.js";
import { FastPathUnavailable, runEpochFast } from "./fast/epoch-fast.js";
import { syntheticEpochInput } from "../../../test/utils/yuma/testkit.js";

const u16 = fc.integer({ min: 0, max: 65535 });

/** u16 values skewed toward the edges that matter (0, max, small). */
const weightValue = fc.oneof(u16, fc.constantFrom(0, 1, 65535, 32767, 32768));

function rowArb(n: number): fc.Arbitrary<U16Row> {
  return fc.array(fc.tuple(fc.integer({ min: 0, max: n + 1 }), weightValue), { maxLength: n + 2 }).map((r) => r as U16Row);
}

function sortedUniqueRow(n: number): fc.Arbitrary<U16Row> {
  return fc
    .uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: n })
    .chain((cols) => fc.array(weightValue, { minLength: cols.length, maxLength: cols.length }).map((vals) => cols.sort((a, b) => a - b).map((c, k) => [c, vals[k]] as [number, number])));
}

const inputArb: fc.Arbitrary<EpochInput> = fc.integer({ min: 1, max: 9 }).chain((n) => {
  const blocks = fc.bigInt({ min: 0n, max: 12n });
  const row = fc.oneof(rowArb(n), sortedUniqueRow(n));
  return fc.record({
    version: fc.constantFrom("current" as const, "classic" as const),
    n: fc.constant(n),
    currentBlock: fc.bigInt({ min: 0n, max: 14n }),
    raoEmission: fc.oneof(fc.constant(1_000_000_000n), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
    stake: fc.array(fc.oneof(fc.bigInt({ min: 0n, max: 10n }), fc.bigInt({ min: 0n, max: 21_000_000_000_000_000n })), { minLength: n, maxLength: n }),
    lastUpdate: fc.array(blocks, { minLength: n, maxLength: n }),
    blockAtRegistration: fc.array(blocks, { minLength: n, maxLength: n }),
    validatorPermit: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    weights: fc.array(row, { minLength: n, maxLength: n }),
    bonds: fc.array(row, { minLength: n, maxLength: n }),
    hyperparameters: fc.record({
      kappa: fc.oneof(u16, fc.constant(32767)),
      bondsMovingAverage: fc.oneof(fc.constantFrom(900_000n, 975_000n, 0n, 1_000_000n), fc.bigInt({ min: 0n, max: 2_000_000n })),
      bondsPenalty: fc.oneof(fc.constantFrom(0, 65535), u16),
      activityCutoff: fc.bigInt({ min: 0n, max: 6n }),
      maxAllowedValidators: fc.integer({ min: 0, max: n + 1 }),
      tempo: fc.integer({ min: 0, max: 5 }),
      lastMechanismStepBlock: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 12n })),
      liquidAlphaEnabled: fc.boolean(),
      alphaLow: fc.oneof(fc.constantFrom(45875, 6553), u16),
      alphaHigh: fc.oneof(fc.constantFrom(58982, 19660), u16),
      alphaSigmoidSteepness: fc.oneof(fc.constant(1000), fc.integer({ min: -32768, max: 32767 })),
      yuma3Enabled: fc.boolean(),
      stakeThreshold: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 8n })),
      ownerUid: fc.option(fc.integer({ min: 0, max: n - 1 }), { nil: null }),
    }),
  });
});

describe("fast epoch = reference epoch", () => {
  it("on random small subnets", () => {
    let fastRuns = 0;
    fc.assert(
      fc.property(inputArb, (input) => {
        const ref = runEpochReference(input);
        expect(runEpoch(input)).toEqual(ref);
        try {
          expect(runEpochFast(input)).toEqual(ref);
          fastRuns++;
        } catch (e) {
          if (!(e instanceof FastPathUnavailable)) throw e;
        }
      }),
      { numRuns: 1500, seed: 20260701 },
    );
    // most generated states are inside the fast path's range
    expect(fastRuns).toBeGreaterThan(1000);
  });

  it("on random 64-uid subnets with dense weights (current and classic, liquid alpha on/off)", () => {
    const big = fc.integer({ min: 20, max: 64 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        seed: fc.integer(),
        version: fc.constantFrom("current" as const, "classic" as const),
        yuma3: fc.boolean(),
        liquid: fc.boolean(),
        bp: fc.constantFrom(0, 65535, 30000),
      }),
    );
    fc.assert(
      fc.property(big, ({ n, seed, version, yuma3, liquid, bp }) => {
        const input = syntheticEpochInput({ n, seed, version });
        input.hyperparameters.yuma3Enabled = yuma3;
        input.hyperparameters.liquidAlphaEnabled = liquid;
        input.hyperparameters.bondsPenalty = bp;
        expect(runEpochFast(input)).toEqual(runEpochReference(input));
      }),
      { numRuns: 25, seed: 7 },
    );
  });
});

describe("fallback to the reference epoch", () => {
  it("inputs outside the fast path's exact range are computed by the reference", () => {
    const input = syntheticEpochInput({ n: 12, seed: 5, version: "current" });
    input.hyperparameters.yuma3Enabled = false;
    input.hyperparameters.bondsMovingAverage = 1_500_000n; // EMA alpha −0.5: outside [0, 1]
    expect(() => runEpochFast(input)).toThrow(FastPathUnavailable);
    expect(runEpoch(input)).toEqual(runEpochReference(input));
  });
});

describe("epoch output invariants", () => {
  it("incentive and dividends each sum to 65535 minus rounding, or are all zero; emission ≤ rao_emission", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const out = runEpoch(input);
        const n = input.n;
        for (const v of [out.incentive, out.dividends]) {
          const s = v.reduce((a, b) => a + b, 0);
          if (s !== 0) {
            expect(s).toBeLessThanOrEqual(65535);
            expect(s).toBeGreaterThanOrEqual(65535 - n - 1);
          }
        }
        const paid = [...out.serverEmission, ...out.validatorEmission].reduce((a, b) => a + b, 0n);
        expect(paid <= input.raoEmission).toBe(true);
        const combined = out.emission.reduce((a, b) => a + b, 0n);
        expect(combined <= input.raoEmission).toBe(true);
      }),
      { numRuns: 500, seed: 99 },
    );
  });

  it("with default hyperparameters and a live validator set, ≥ 50% goes to miners and validators each, minus rounding", () => {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 40 }), fc.integer(), (n, seed) => {
        const input = syntheticEpochInput({ n, seed, version: "current" });
        const out = runEpoch(input);
        const server = out.serverEmission.reduce((a, b) => a + b, 0n);
        const validator = out.validatorEmission.reduce((a, b) => a + b, 0n);
        const rao = input.raoEmission;
        // each part is ⌊x·rao⌋ with Σx within n·2^-32 of ½ each
        expect(server + validator <= rao).toBe(true);
        expect(rao - (server + validator) <= BigInt(2 * n + 2)).toBe(true);
      }),
      { numRuns: 30, seed: 3 },
    );
  });
});
