/**
 * The flat entry point: runEpochFlat on the CSR form of an input gives exactly what runEpoch
 * gives (and the bigint reference) on random subnets of every kind — current Yuma3 / Yuma2 with
 * liquid alpha, bonds penalty, owner and masks, classic — including sparse and unsorted rows and
 * entries beyond n; typed-array vectors are accepted; malformed flat input is refused; outputs do
 * not share arrays between calls. Also: runEpoch's single-pass row check reports the same error
 * as the separate check it replaces.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  flattenEpochInput,
  runEpoch,
  runEpochFlat,
  runEpochReference,
  unflattenEpochOutput,
  type EpochInput,
  type FlatEpochInput,
  type U16Row,
} from "./epoch.js";
import { YumaError } from "./errors.js";
import { runEpochFast } from "./fast/epoch-fast.js";
import { syntheticEpochInput } from "../../../test/utils/yuma/testkit.js";
import { checkRows } from "./validate.js";

const u16 = fc.integer({ min: 0, max: 65535 });
const weightValue = fc.oneof(u16, fc.constantFrom(0, 1, 65535, 32767, 32768));

/** stored rows: arbitrary (unsorted, duplicates, uids ≥ n), ascending and full, or ascending and sparse */
function rowArb(n: number): fc.Arbitrary<U16Row> {
  const ascending = (maxLength: number): fc.Arbitrary<U16Row> =>
    fc
      .uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength })
      .chain((cols) => fc.array(weightValue, { minLength: cols.length, maxLength: cols.length }).map((vals) => cols.sort((a, b) => a - b).map((c, k) => [c, vals[k]] as [number, number])));
  return fc.oneof(
    fc.array(fc.tuple(fc.integer({ min: 0, max: n + 1 }), weightValue), { maxLength: n + 2 }).map((r) => r as U16Row),
    ascending(n),
    ascending(Math.max(1, n >> 3)),
  );
}

/** random subnets up to `maxN` uids with every hyperparameter drawn, small block numbers */
function inputArb(maxN: number): fc.Arbitrary<EpochInput> {
  return fc.integer({ min: 1, max: maxN }).chain((n) => {
    const blocks = fc.bigInt({ min: 0n, max: 12n });
    return fc.record({
      version: fc.constantFrom("current" as const, "classic" as const),
      n: fc.constant(n),
      currentBlock: fc.bigInt({ min: 0n, max: 14n }),
      raoEmission: fc.oneof(fc.constant(1_000_000_000n), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
      stake: fc.array(fc.oneof(fc.bigInt({ min: 0n, max: 10n }), fc.bigInt({ min: 0n, max: 21_000_000_000_000_000n })), { minLength: n, maxLength: n }),
      lastUpdate: fc.array(blocks, { minLength: n, maxLength: n }),
      blockAtRegistration: fc.array(blocks, { minLength: n, maxLength: n }),
      validatorPermit: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      weights: fc.array(rowArb(n), { minLength: n, maxLength: n }),
      bonds: fc.array(rowArb(n), { minLength: n, maxLength: n }),
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
        alphaSigmoidSteepness: fc.oneof(fc.constantFrom(1000, 2000, -1000), fc.integer({ min: -32768, max: 32767 })),
        yuma3Enabled: fc.boolean(),
        stakeThreshold: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 8n })),
        ownerUid: fc.option(fc.integer({ min: 0, max: n - 1 }), { nil: null }),
      }),
    });
  });
}

describe("runEpochFlat = runEpoch = reference", () => {
  it("on random small subnets (every version and mode)", () => {
    fc.assert(
      fc.property(inputArb(9), (input) => {
        const ref = runEpochReference(input);
        expect(runEpoch(input)).toEqual(ref);
        expect(unflattenEpochOutput(runEpochFlat(flattenEpochInput(input)))).toEqual(ref);
      }),
      { numRuns: 800, seed: 20260702 },
    );
  });

  it("on random subnets of up to 48 uids with sparse, dense and unsorted rows", () => {
    fc.assert(
      fc.property(inputArb(48), (input) => {
        const ref = runEpochReference(input);
        expect(unflattenEpochOutput(runEpochFlat(flattenEpochInput(input)))).toEqual(ref);
      }),
      { numRuns: 150, seed: 20260703 },
    );
  });

  it("on synthetic live subnets (Yuma3, Yuma2, classic, liquid alpha, bonds penalties)", () => {
    const arb = fc.record({
      n: fc.integer({ min: 16, max: 96 }),
      seed: fc.integer(),
      version: fc.constantFrom("current" as const, "classic" as const),
      yuma3: fc.boolean(),
      liquid: fc.boolean(),
      bp: fc.constantFrom(0, 65535, 30000),
      steepness: fc.constantFrom(1000, 2000, 5000, -3000),
    });
    fc.assert(
      fc.property(arb, ({ n, seed, version, yuma3, liquid, bp, steepness }) => {
        const input = syntheticEpochInput({ n, seed, version });
        Object.assign(input.hyperparameters, { yuma3Enabled: yuma3, liquidAlphaEnabled: liquid, bondsPenalty: bp, alphaSigmoidSteepness: steepness });
        const ref = runEpochReference(input);
        expect(runEpochFast(input)).toEqual(ref);
        expect(unflattenEpochOutput(runEpochFlat(flattenEpochInput(input)))).toEqual(ref);
      }),
      { numRuns: 24, seed: 8 },
    );
  });

  it("accepts typed-array vectors (BigUint64Array stakes and blocks, 0/1 permits)", () => {
    const input = syntheticEpochInput({ n: 40, seed: 9, version: "current" });
    const flat = flattenEpochInput(input);
    const typed: FlatEpochInput = {
      ...flat,
      stake: BigUint64Array.from(input.stake),
      lastUpdate: BigUint64Array.from(input.lastUpdate),
      blockAtRegistration: BigUint64Array.from(input.blockAtRegistration),
      validatorPermit: Uint8Array.from(input.validatorPermit, (p) => (p ? 1 : 0)),
    };
    expect(runEpochFlat(typed)).toEqual(runEpochFlat(flat));
    expect(unflattenEpochOutput(runEpochFlat(typed))).toEqual(runEpoch(input));
  });

  it("inputs outside the fast path's range go to the reference", () => {
    const input = syntheticEpochInput({ n: 12, seed: 5, version: "current" });
    input.hyperparameters.yuma3Enabled = false;
    input.hyperparameters.bondsMovingAverage = 1_500_000n; // EMA alpha −0.5
    expect(unflattenEpochOutput(runEpochFlat(flattenEpochInput(input)))).toEqual(runEpochReference(input));
  });

  it("outputs own their arrays (a later epoch does not change an earlier result)", () => {
    const a = flattenEpochInput(syntheticEpochInput({ n: 64, seed: 1, version: "current" }));
    const b = flattenEpochInput(syntheticEpochInput({ n: 64, seed: 2, version: "current" }));
    const first = runEpochFlat(a);
    const snapshot = structuredClone(first);
    runEpochFlat(b);
    runEpoch(syntheticEpochInput({ n: 80, seed: 3, version: "classic" }));
    expect(first).toEqual(snapshot);
  });
});

describe("flat input validation", () => {
  const base = (): FlatEpochInput => flattenEpochInput(syntheticEpochInput({ n: 6, seed: 4, version: "current" }));
  const bad = (mutate: (i: FlatEpochInput) => void, field: RegExp): void => {
    const input = base();
    mutate(input);
    expect(() => runEpochFlat(input)).toThrow(YumaError);
    expect(() => runEpochFlat(input)).toThrow(field);
  };

  it("refuses malformed CSR rows and vectors", () => {
    bad((i) => (i.weights = { ...i.weights, start: new Uint32Array(3) }), /weights\.start/);
    bad((i) => (i.weights = { ...i.weights, col: Int32Array.from(i.weights.col) as unknown as Uint16Array }), /weights\.col/);
    bad((i) => (i.bonds = { ...i.bonds, val: i.bonds.val.subarray(1) }), /bonds/);
    bad((i) => {
      const start = i.bonds.start.slice();
      start[2] = start[3] + 1;
      i.bonds = { ...i.bonds, start };
    }, /bonds\.start/);
    bad((i) => (i.validatorPermit = [true, false, 2, true, true, true] as unknown as boolean[]), /validator_permit\[2\]/);
    bad((i) => (i.stake = [1n, 2n, 3n]), /stake/);
    bad((i) => (i.lastUpdate = [...Array.from(i.lastUpdate).slice(0, 5), -1n]), /last_update\[5\]/);
    bad((i) => (i.hyperparameters = { ...i.hyperparameters, kappa: 70000 }), /kappa/);
  });
});

describe("runEpoch's row check while packing", () => {
  it("reports the same error as checkRows for malformed rows", () => {
    const base = syntheticEpochInput({ n: 5, seed: 6, version: "current" });
    const cases: Array<(rows: U16Row[]) => unknown> = [
      (r) => r.slice(0, 4),
      (r) => [...r.slice(0, 4), "x"],
      (r) => r.map((row, i) => (i === 2 ? [[1, 2], [3]] : row)),
      (r) => r.map((row, i) => (i === 1 ? [[1, 2.5]] : row)),
      (r) => r.map((row, i) => (i === 3 ? [[70000, 1]] : row)),
      (r) => r.map((row, i) => (i === 3 ? [[1, -1]] : row)),
      (r) => r.map((row, i) => (i === 0 ? [[1, 2], { 0: 1, 1: 2, length: 2 }] : row)),
      (r) => r.map((row, i) => (i === 4 ? [["1", 2]] : row)),
      (r) => r.map((row, i) => (i === 1 ? [[1, 2], [3, 4, 5]] : i === 0 ? [[0, 1n]] : row)),
      (r) => r.map((row, i) => (i === 2 ? [[1, NaN]] : row)),
    ];
    for (const field of ["weights", "bonds"] as const)
      for (const make of cases) {
        const input = { ...base, [field]: make(base[field]) } as EpochInput;
        let expected: unknown = null;
        try {
          checkRows(field, input[field], input.n);
        } catch (e) {
          expected = e;
        }
        expect(expected).toBeInstanceOf(YumaError);
        expect(() => runEpoch(input)).toThrow((expected as Error).message);
      }
  });
});
