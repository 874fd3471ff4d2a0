/**
 * The row-at-a-time Yuma3 pipeline (yuma3.ts) and the weighted median equal their math.ts
 * references bit for bit on random matrices that reach every path: dense rows (scan), sparse
 * ascending rows (merge), unsorted rows with duplicates (dense accumulator / cursor walk), every
 * bonds penalty regime, liquid alpha on and off, and both layouts of the median.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { I32F32 } from "../fixed.js";
import { liquidAlphaMatrix } from "../liquid-alpha.js";
import {
  colClipSparse,
  fixedProportionToU16,
  interpolateSparse,
  matEmaAlphaSparse,
  matEmaSparse,
  matmulSparse,
  rowSumSparse,
  weightedMedianColSparse,
  type SparseMatrix,
} from "../math.js";
import type { FlatRows } from "../types.js";
import { Csr } from "./csr.js";
import { SigmoidAlpha } from "./liquid.js";
import { weightedMedianCol } from "./median.js";
import { yuma3DividendsAndBonds, yuma3Rows } from "./yuma3.js";

const T = I32F32;
const ONE = 2 ** 32;

function toCsr(m: SparseMatrix): Csr {
  const start = new Int32Array(m.length + 1);
  const entries = m.flat();
  const col = new Int32Array(entries.length);
  const val = new Float64Array(entries.length);
  let k = 0;
  m.forEach((row, i) => {
    for (const [j, v] of row) {
      col[k] = j;
      val[k++] = Number(v);
    }
    start[i + 1] = k;
  });
  return new Csr(m.length, start, col, val);
}

function fromCsr(m: Csr): SparseMatrix {
  const out: SparseMatrix = [];
  for (let i = 0; i < m.rows; i++) {
    const row: Array<[number, bigint]> = [];
    for (let p = m.start[i]; p < m.start[i + 1]; p++) row.push([m.col[p], BigInt(m.val[p])]);
    out.push(row);
  }
  return out;
}

/** bits of a stored u16 bond as Yuma3 reads it (`u16_proportion_to_fixed`) */
const u16Bits = (v: number): number => Number(T.safeDiv(T.fromInt(v), T.fromInt(65535)));
const proportion = fc.oneof(
  fc.integer({ min: 0, max: ONE }),
  fc.constantFrom(0, 1, ONE, ONE / 2),
  fc.integer({ min: 0, max: 2 ** 26 }),
  // equal to a bond now and then (the liquid-alpha buy/sell choice at w = b)
  fc.constantFrom(0, 1, 2, 3, 40000, 65535).map(u16Bits),
);

/** a row of `n` columns: dense, sparse ascending, or arbitrary (unsorted, duplicates) */
function rowArb<V>(n: number, value: fc.Arbitrary<V>, maxCol = n - 1): fc.Arbitrary<Array<[number, V]>> {
  const sorted = (maxLength: number): fc.Arbitrary<Array<[number, V]>> =>
    fc
      .uniqueArray(fc.integer({ min: 0, max: maxCol }), { maxLength })
      .chain((cols) => fc.array(value, { minLength: cols.length, maxLength: cols.length }).map((vals) => cols.sort((a, b) => a - b).map((c, k) => [c, vals[k]] as [number, V])));
  return fc.oneof(
    sorted(maxCol + 1),
    sorted(Math.max(1, n >> 3)),
    fc.array(fc.tuple(fc.integer({ min: 0, max: maxCol }), value), { maxLength: n + 2 }),
    fc.constant([] as Array<[number, V]>),
  );
}

const caseArb = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    w: fc.array(rowArb(n, proportion), { minLength: n, maxLength: n }),
    bonds: fc.array(rowArb(n, fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.constantFrom(0, 1, 2, 3, 40000, 65535)), n + 1), { minLength: n, maxLength: n }),
    consensus: fc.array(fc.oneof(proportion, fc.constant(0)), { minLength: n, maxLength: n }),
    stake: fc.array(fc.oneof(fc.constant(0), proportion), { minLength: n, maxLength: n }),
    regKey: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: n, maxLength: n }),
    rowKey: fc.integer({ min: 0, max: 6 }),
    ratio: fc.oneof(fc.constantFrom(0, ONE), fc.integer({ min: 0, max: ONE })),
    alpha: fc.oneof(fc.constantFrom(0, ONE, 429496729), fc.integer({ min: 0, max: ONE })),
    liquid: fc.boolean(),
    low: fc.integer({ min: 0, max: 65535 }),
    high: fc.integer({ min: 0, max: 65535 }),
    steepness: fc.oneof(fc.constantFrom(1000, 0, -1000, 2000), fc.integer({ min: -32768, max: 32767 })),
  }),
);

function flatRows(rows: Array<Array<[number, number]>>): FlatRows {
  const total = rows.reduce((s, r) => s + r.length, 0);
  const start = new Uint32Array(rows.length + 1);
  const col = new Uint16Array(total);
  const val = new Uint16Array(total);
  let k = 0;
  rows.forEach((r, i) => {
    for (const [j, v] of r) {
      col[k] = j;
      val[k++] = v;
    }
    start[i + 1] = k;
  });
  return { start, col, val };
}

describe("yuma3Rows = clip + interpolate + masked bonds + EMA (math.ts)", () => {
  it("on random matrices", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { n } = c;
        const w: SparseMatrix = c.w.map((r) => r.map(([j, v]) => [j, BigInt(v)] as [number, bigint]));
        const consensus = c.consensus.map(BigInt);
        const stake = c.stake.map(BigInt);
        const lowBits = T.safeDiv(T.fromInt(c.low), T.fromInt(65535));
        const highBits = T.safeDiv(T.fromInt(c.high), T.fromInt(65535));
        const steepness = T.fromInt(c.steepness);
        // reference
        const clipped = colClipSparse(w, consensus);
        const wb = interpolateSparse(w, clipped, n, BigInt(c.ratio));
        const bonds: SparseMatrix = c.bonds.map((r) =>
          r.filter(([j]) => j < n && !(c.rowKey <= c.regKey[j])).map(([j, v]) => [j, T.safeDiv(T.fromInt(v), T.fromInt(65535))] as [number, bigint]),
        );
        const ema = c.liquid
          ? matEmaAlphaSparse(wb, bonds, liquidAlphaMatrix(wb, bonds, consensus, lowBits, highBits, steepness))
          : matEmaSparse(wb, bonds, BigInt(c.alpha));
        // fast
        const sigmoid = c.liquid ? new SigmoidAlpha(Number(lowBits), Number(highBits), steepness) : null;
        const r = yuma3Rows(
          toCsr(w),
          Float64Array.from(c.consensus),
          Float64Array.from(c.stake),
          c.ratio,
          { rows: flatRows(c.bonds), rowKey: c.rowKey, colKey: Float64Array.from(c.regKey) },
          c.alpha,
          sigmoid,
          [0, 1],
        );
        expect(fromCsr(r.ema)).toEqual(ema);
        expect(Array.from(r.validatorTrust, BigInt)).toEqual(rowSumSparse(clipped));
        expect(Array.from(r.ranks, BigInt)).toEqual(matmulSparse(clipped, stake, n));
        expect(Array.from(r.preranks, BigInt)).toEqual(matmulSparse(w, stake, n));
        const colSum = new Array<bigint>(n).fill(0n);
        for (const row of ema) for (const [j, v] of row) colSum[j] += v;
        expect(Array.from(r.emaColSum, BigInt)).toEqual(colSum);
        // dividends (before the stake product) and the stored rows of permitted uids
        const incentive = c.consensus;
        const permits = Uint8Array.from(c.stake, (s, i) => (s > 0 || i % 3 === 0 ? 1 : 0));
        const d = yuma3DividendsAndBonds(r.ema, r.emaColSum, Float64Array.from(incentive), permits);
        const want = ema.map((row) =>
          row.reduce((acc, [j, v]) => acc + T.saturatingMul(T.safeDiv(v, colSum[j]), BigInt(incentive[j])), 0n),
        );
        expect(Array.from(d.perValidator, BigInt)).toEqual(want);
        const stored = ema.map((row, i) => (permits[i] ? row.map(([j, v]) => [j, fixedProportionToU16(v)]) : []));
        const got = Array.from({ length: n }, (_, i) => {
          const out: number[][] = [];
          for (let p = d.bonds.start[i]; p < d.bonds.start[i + 1]; p++) out.push([d.bonds.col[p], d.bonds.val[p]]);
          return out;
        });
        expect(got).toEqual(stored);
      }),
      { numRuns: 600, seed: 21 },
    );
  });
});

describe("weightedMedianCol = weighted_median_col_sparse on both layouts", () => {
  it("sparse and dense columns, zero and tiny stakes, many ties", () => {
    const scoreArb = fc.oneof(proportion, fc.constantFrom(0, 7, Math.floor(ONE / 3)));
    const arb = fc.integer({ min: 1, max: 60 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        m: fc.array(rowArb(n, scoreArb), { minLength: n, maxLength: n }),
        stake: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: ONE })), { minLength: n, maxLength: n }),
        kappa: fc.oneof(fc.constantFrom(0, ONE, ONE / 2, 2147450879), fc.integer({ min: 0, max: ONE })),
      }),
    );
    fc.assert(
      fc.property(arb, ({ n, m, stake, kappa }) => {
        const sparse: SparseMatrix = m.map((r) => r.map(([j, v]) => [j, BigInt(v)] as [number, bigint]));
        const want = weightedMedianColSparse(stake.map(BigInt), sparse, n, BigInt(kappa));
        expect(Array.from(weightedMedianCol(Float64Array.from(stake), toCsr(sparse), n, kappa), BigInt)).toEqual(want);
      }),
      { numRuns: 1500, seed: 22 },
    );
  });
});
