/**
 * Ports of Subtensor's tests/math.rs for the helpers the epoch uses. Literals go through
 * `from_num(f32)` exactly as in Rust (testing/float-literal.ts); tolerances are the Rust ones.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { I32F32, I64F64 } from "./fixed.js";
import {
  checkVecMaxLimited,
  colClipSparse,
  inplaceColMaxUpscaleSparse,
  inplaceColNormalizeSparse,
  inplaceMaskVector,
  inplaceNormalize,
  inplaceNormalize64,
  inplaceRowNormalizeSparse,
  interpolateSparse,
  isTopk,
  isTopkNonzero,
  maskDiagSparse,
  maskDiagSparseExceptIndex,
  maskRowsSparse,
  matEmaAlphaSparse,
  matmulSparse,
  matmulTransposeSparse,
  matVecMulSparse,
  rowHadamardSparse,
  rowSumSparse,
  vecdiv,
  vecMaskSparseMatrix,
  vecMaxUpscaleToU16,
  vecMul,
  vecU16MaxUpscaleToU16,
  weightedMedian,
  weightedMedianColSparse,
  type SparseMatrix,
} from "./math.js";
import { fromF32, fromF64, sparseF32, vecF32 } from "../../../test/utils/yuma/floatLiteral.js";

const T = I32F32;

function expectVecClose(a: bigint[], b: bigint[], eps: bigint): void {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) => expect(x - b[i] <= eps && b[i] - x <= eps, `[${i}] ${x} vs ${b[i]}`).toBe(true));
}

function expectSparseClose(a: SparseMatrix, b: SparseMatrix, eps: bigint): void {
  expect(a.length).toBe(b.length);
  a.forEach((row, i) => {
    expect(row.map(([j]) => j), `row ${i} columns`).toEqual(b[i].map(([j]) => j));
    expectVecClose(
      row.map(([, v]) => v),
      b[i].map(([, v]) => v),
      eps,
    );
  });
}

describe("tests/math.rs ports", () => {
  it("test_vec_max_upscale_to_u16", () => {
    const c = (v: number[]): number[] => vecMaxUpscaleToU16(vecF32(v));
    expect(c([])).toEqual([]);
    expect(c([0])).toEqual([0]);
    expect(c([0, 0])).toEqual([0, 0]);
    expect(c([0, 1])).toEqual([0, 65535]);
    expect(c([0, 0.000000001])).toEqual([0, 65535]);
    expect(c([0, 0.000016, 1])).toEqual([0, 1, 65535]);
    expect(c([0.000000001, 0.000000001])).toEqual([65535, 65535]);
    expect(c([0.000001, 0.000006, 0.000007, 0.0001, 0.001, 0.01, 0.1, 0.2, 0.3, 0.4])).toEqual([0, 1, 1, 16, 164, 1638, 16384, 32768, 49151, 65535]);
    for (const v of [16384, 32768, 32769, 65535]) expect(vecMaxUpscaleToU16([T.fromInt(v)])).toEqual([65535]);
    expect(vecMaxUpscaleToU16([T.MAX])).toEqual([65535]);
    expect(c([0, 1, 65535])).toEqual([0, 1, 65535]);
    expect(c([0, 0.5, 1, 1.5, 2, 32768])).toEqual([0, 1, 2, 3, 4, 65535]);
    expect(c([0, 0.5, 1, 1.5, 2, 32768, 32769])).toEqual([0, 1, 2, 3, 4, 65533, 65535]);
    expect(vecMaxUpscaleToU16([0n, T.fromInt(1), T.fromInt(32768), T.fromInt(32769), T.MAX])).toEqual([0, 0, 1, 1, 65535]);
  });

  it("test_vec_u16_max_upscale_to_u16 (what set_weights stores)", () => {
    expect(vecU16MaxUpscaleToU16([])).toEqual([]);
    expect(vecU16MaxUpscaleToU16([0])).toEqual([0]);
    expect(vecU16MaxUpscaleToU16([0, 0])).toEqual([0, 0]);
    expect(vecU16MaxUpscaleToU16([1])).toEqual([65535]);
    expect(vecU16MaxUpscaleToU16([0, 1])).toEqual([0, 65535]);
    expect(vecU16MaxUpscaleToU16([65534])).toEqual([65535]);
    expect(vecU16MaxUpscaleToU16([65535, 65535])).toEqual([65535, 65535]);
    expect(vecU16MaxUpscaleToU16([0, 1, 65534])).toEqual([0, 1, 65535]);
    expect(vecU16MaxUpscaleToU16([0, 1, 2, 3, 4, 65533, 65535])).toEqual([0, 1, 2, 3, 4, 65533, 65535]);
    // yuma-spec.md §1 example
    expect(vecU16MaxUpscaleToU16([43690, 21845])).toEqual([65535, 32768]);
  });

  it("test_check_vec_max_limited", () => {
    const M = 65535;
    expect(checkVecMaxLimited([], 0)).toBe(true);
    expect(checkVecMaxLimited([], M)).toBe(true);
    expect(checkVecMaxLimited([M], M)).toBe(true);
    expect(checkVecMaxLimited([M], M - 1)).toBe(false);
    expect(checkVecMaxLimited([M], 0)).toBe(false);
    expect(checkVecMaxLimited([0], M)).toBe(true);
    expect(checkVecMaxLimited([0, M], M)).toBe(true);
    expect(checkVecMaxLimited([0, M, M], Math.floor(M / 2))).toBe(false);
    expect(checkVecMaxLimited([0, M, M], Math.floor(M / 2) + 1)).toBe(true);
    expect(checkVecMaxLimited([0, M, M, M], Math.floor(M / 3) - 1)).toBe(false);
    expect(checkVecMaxLimited([0, M, M, M], Math.floor(M / 3))).toBe(true);
  });

  it("test_math_is_topk (+ is_topk_nonzero: zero stake never gets a permit)", () => {
    const v = vecF32([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(isTopk([], 5)).toEqual([]);
    expect(isTopk(v, 0)).toEqual(new Array(10).fill(false));
    expect(isTopk(v, 5)).toEqual([false, false, false, false, false, true, true, true, true, true]);
    expect(isTopk(v, 10)).toEqual(new Array(10).fill(true));
    expect(isTopk(v, 100)).toEqual(new Array(10).fill(true));
    expect(isTopk(vecF32([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]), 5)).toEqual([true, true, true, true, true, false, false, false, false, false]);
    expect(isTopk(vecF32([9, 0, 8, 1, 7, 2, 6, 3, 5, 4]), 5)).toEqual([true, false, true, false, true, false, true, false, true, false]);
    expect(isTopk(vecF32([0.9, 0, 0.8, 0.1, 0.7, 0.2, 0.6, 0.3, 0.5, 0.4]), 5)).toEqual([true, false, true, false, true, false, true, false, true, false]);
    expect(isTopk(vecF32([0, 1, 2, 3, 4, 5, 5, 5, 5, 6]), 5)).toEqual([false, false, false, false, false, true, true, true, true, true]);
    // ties: the stable ascending sort drops the LOWER uid first
    expect(isTopk(vecF32([1, 1, 1]), 2)).toEqual([false, true, true]);
    expect(isTopkNonzero(vecF32([0, 1, 0]), 5)).toEqual([false, true, false]);
    expect(isTopkNonzero(vecF32([0, 1, 1, 2]), 2)).toEqual([false, false, true, true]);
  });

  it("test_math_normalize / inplace_normalize / inplace_normalize_64", () => {
    const eps = fromF32(0.0001);
    const x = vecF32([1, 10, 30]);
    inplaceNormalize(x);
    expectVecClose(x, [0.0243902437, 0.243902439, 0.7317073171].map((v) => fromF64(v)), eps);
    const y = vecF32([-1, 10, 30]);
    inplaceNormalize(y);
    expectVecClose(y, [-0.0256410255, 0.2564102563, 0.769230769].map((v) => fromF64(v)), eps);
    const z = [1, 10, 30].map((v) => I64F64.fromInt(v));
    inplaceNormalize64(z);
    expectVecClose(z, [0.0243902437, 0.243902439, 0.7317073171].map((v) => fromF64(v, 64)), fromF64(0.0001, 64));
  });

  it("test_math_vecdiv", () => {
    expect(vecdiv([], [])).toEqual([]);
    expect(vecdiv(vecF32([0, 1, 0, 1]), vecF32([0, 1, 1, 0]))).toEqual(vecF32([0, 1, 0, 0]));
    expect(vecdiv(vecF32([1, 1, 10]), vecF32([2, 3, 2]))).toEqual([T.safeDiv(T.ONE, T.fromInt(2)), T.safeDiv(T.ONE, T.fromInt(3)), T.fromInt(5)]);
  });

  it("test_math_inplace_row_normalize_sparse / inplace_col_normalize_sparse / col max upscale", () => {
    const eps = fromF32(0.0001);
    const vector = [0, 1, 0, 2, 0, 3, 4, 0, 1, 0, 2, 0, 3, 0, 1, 0, 0, 2, 0, 3, 4, 0, 10, 0, 100, 1000, 0, 10000, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1];
    const normalized = [
      0, 0.1, 0, 0.2, 0, 0.3, 0.4, 0, 0.166666, 0, 0.333333, 0, 0.5, 0, 0.1, 0, 0, 0.2, 0, 0.3, 0.4, 0, 0.0009, 0, 0.009, 0.09, 0, 0.9, 0, 0, 0, 0, 0, 0, 0,
      0.142857, 0.142857, 0.142857, 0.142857, 0.142857, 0.142857, 0.142857,
    ];
    const rows = sparseF32(vector, 6);
    inplaceRowNormalizeSparse(rows);
    expectSparseClose(rows, sparseF32(normalized, 6), eps);
    const cols = sparseF32(vector, 6, true);
    inplaceColNormalizeSparse(cols, 6);
    expectSparseClose(cols, sparseF32(normalized, 6, true), eps);
    const zeros = sparseF32(new Array(12).fill(0), 3);
    inplaceRowNormalizeSparse(zeros);
    inplaceColNormalizeSparse(zeros, 6);
    expect(zeros).toEqual([[], [], []]);
    const upscale = sparseF32(vector, 6, true);
    inplaceColMaxUpscaleSparse(upscale, 6);
    const upscaled = [
      0, 0.25, 0, 0.5, 0, 0.75, 1, 0, 0.333333, 0, 0.666666, 0, 1, 0, 0.25, 0, 0, 0.5, 0, 0.75, 1, 0, 0.001, 0, 0.01, 0.1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1,
    ];
    expectSparseClose(upscale, sparseF32(upscaled, 6, true), eps);
    const one: SparseMatrix = [[[0, 0n]]];
    inplaceColMaxUpscaleSparse(one, 1);
    expect(one).toEqual([[[0, 0n]]]);
  });

  it("test_math_inplace_mask_vector / mask_rows_sparse / mask_diag_sparse(_except_index) / vec_mask_sparse_matrix", () => {
    const v = vecF32([0, 1, 2]);
    inplaceMaskVector([false, true, false], v);
    expect(v).toEqual(vecF32([0, 0, 2]));
    const m = sparseF32([1, 2, 3, 4, 5, 6, 7, 8, 9], 3);
    expect(maskRowsSparse([false, false, false], m)).toEqual(m);
    expect(maskRowsSparse([true, true, true], m)).toEqual([[], [], []]);
    expect(maskRowsSparse([true, false, true], m)).toEqual(sparseF32([0, 0, 0, 4, 5, 6, 0, 0, 0], 3));
    expect(maskDiagSparse(m)).toEqual(sparseF32([0, 2, 3, 4, 0, 6, 7, 8, 0], 3));
    expect(maskDiagSparse(sparseF32([1, 0, 0, 0, 5, 0, 0, 0, 9], 3))).toEqual([[], [], []]);
    for (let i = 0; i < 3; i++) {
      const target = [0, 2, 3, 4, 0, 6, 7, 8, 0];
      target[i * 3 + i] = i * 3 + i + 1;
      expect(maskDiagSparseExceptIndex(m, i)).toEqual(sparseF32(target, 3));
    }
    expect(vecMaskSparseMatrix(m, [1n, 2n, 3n], [1n, 2n, 3n], (a, b) => a === b)).toEqual(sparseF32([0, 2, 3, 4, 0, 6, 7, 8, 0], 3));
    expect(vecMaskSparseMatrix(m, [1n, 2n, 3n], [1n, 2n, 3n], (a, b) => a < b)).toEqual(sparseF32([1, 0, 0, 4, 5, 0, 7, 8, 9], 3));
  });

  it("test_math_vec_mul / mat_vec_mul_sparse / row_hadamard_sparse / row_sum_sparse / sparse matmul (transpose)", () => {
    const v4 = vecF32([1, 2, 3, 4]);
    expect(vecMul(v4, v4)).toEqual(vecF32([1, 4, 9, 16]));
    expect(vecMul([], v4)).toEqual([]);
    expect(vecMul(vecF32(new Array(8).fill(0)), v4)).toEqual(new Array(4).fill(0n));
    const m12 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    expect(matVecMulSparse(sparseF32(m12, 4), vecF32([1, 2, 3]))).toEqual(sparseF32([1, 4, 9, 4, 10, 18, 7, 16, 27, 10, 22, 36], 4));
    expect(matVecMulSparse(sparseF32(m12, 4), vecF32([1, 0, 0]))).toEqual(sparseF32([1, 0, 0, 4, 0, 0, 7, 0, 0, 10, 0, 0], 4));
    expect(matVecMulSparse(sparseF32(m12, 4), [])).toEqual([[], [], [], []]);
    expect(rowHadamardSparse(sparseF32(m12, 4), v4)).toEqual(sparseF32([1, 2, 3, 8, 10, 12, 21, 24, 27, 40, 44, 48], 4));
    expect(rowHadamardSparse(sparseF32([0, 2, 3, 4, 0, 6, 7, 8, 0, 10, 11, 12], 4), v4)).toEqual(sparseF32([0, 2, 3, 8, 0, 12, 21, 24, 0, 40, 44, 48], 4));
    expect(rowSumSparse(sparseF32(m12, 4))).toEqual(vecF32([6, 15, 24, 33]));
    expect(rowSumSparse(sparseF32([1, 2, 3, 0, 0, 0, 7, 8, 9, 10, 11, 12], 4))).toEqual(vecF32([6, 0, 24, 33]));
    expect(matmulSparse(sparseF32(m12, 4), v4, 3)).toEqual(vecF32([70, 80, 90]));
    expect(matmulSparse(sparseF32([0, 2, 3, 4, 0, 6, 7, 8, 0, 10, 11, 12], 4), v4, 3)).toEqual(vecF32([69, 70, 63]));
    expect(matmulTransposeSparse(sparseF32(m12, 4), vecF32([1, 2, 3]))).toEqual(vecF32([14, 32, 50, 68]));
    expect(matmulTransposeSparse(sparseF32([0, 2, 3, 4, 0, 6, 7, 8, 0, 10, 11, 12], 4), vecF32([1, 2, 3]))).toEqual(vecF32([13, 22, 23, 68]));
  });

  it("test_math_col_clip_sparse: values above C_j clipped, removed when C_j = 0", () => {
    const c = vecF32([0, 5, 12]);
    expect(colClipSparse(sparseF32([0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 4), c)).toEqual(sparseF32([0, 2, 3, 0, 5, 6, 0, 5, 9, 0, 5, 12], 4));
    expect(colClipSparse(sparseF32([0, 2, 3, 4, 5, 6, 0, 0, 0, 10, 11, 12], 4), c)).toEqual(sparseF32([0, 2, 3, 0, 5, 6, 0, 0, 0, 0, 5, 12], 4));
  });

  it("test_math_weighted_median: the fixed cases", () => {
    const one = T.ONE;
    const med = (stake: bigint[], score: bigint[], majority: number): bigint =>
      weightedMedian(stake, score, stake.map((_, i) => i), one - fromF32(majority), 0n, T.sum(stake));
    expect(med([], [], 0.51)).toBe(0n);
    const s1 = vecF32([0.51]);
    inplaceNormalize(s1);
    expect(med(s1, vecF32([1]), 0.51)).toBe(one);
    expect(med(vecF32([0.49, 0.51]), vecF32([0.5, 1]), 0.51)).toBe(one);
    expect(med(vecF32([0.51, 0.49]), vecF32([0.5, 1]), 0.51)).toBe(fromF32(0.5));
    expect(med(vecF32([0.49, 0, 0.51]), vecF32([0.5, 0.7, 1]), 0.51)).toBe(one);
    expect(med(vecF32([0.49, 0.01, 0.5]), vecF32([0.5, 0.7, 1]), 0.51)).toBe(fromF32(0.7));
    expect(med(vecF32([0.49, 0.51, 0]), vecF32([0.5, 0.7, 1]), 0.51)).toBe(fromF32(0.7));
    expect(med(vecF32([0, 0.49, 0.51]), vecF32([0.5, 0.7, 1]), 0.51)).toBe(one);
    expect(med(vecF32([0, 0.49, 0, 0.51]), vecF32([0.5, 0.5, 1, 1]), 0.51)).toBe(one);
    expect(med(vecF32([0, 0.49, 0, 0.51, 0]), vecF32([0.5, 0.5, 1, 1, 0.5]), 0.51)).toBe(one);
    expect(med(vecF32([0.2, 0.2, 0.2, 0.2, 0.2]), vecF32([0.8, 0.2, 1, 0.6, 0.4]), 0.51)).toBe(fromF32(0.6));
    expect(med(vecF32(new Array(10).fill(0.1)), vecF32([0.8, 0.8, 0.2, 0.2, 1, 1, 0.6, 0.6, 0.4, 0.4]), 0.51)).toBe(fromF32(0.6));
  });

  it("test_math_weighted_median (random part): the result is one of the brute-force medians, in any order", () => {
    const zero = 0n;
    const one = T.ONE;
    const majorities = vecF32([0, 0.0000001, 0.25, 0.49, 0.5, 0.51, 0.9999999, 1]);
    fc.assert(
      fc.property(
        fc.constantFrom(...majorities),
        fc.boolean(),
        fc.array(fc.tuple(fc.boolean(), fc.boolean()), { minLength: 100, maxLength: 100 }),
        fc.array(fc.nat(), { minLength: 100, maxLength: 100 }),
        (majority, allowEqual, coins, perm) => {
          const n = 100;
          let stake: bigint[] = [];
          let score: bigint[] = [];
          let last = zero;
          for (let i = 0; i < n; i++) {
            if (allowEqual) {
              stake.push(coins[i][0] ? one : zero);
              if (coins[i][1]) last += one;
              score.push(last);
            } else {
              stake.push(one);
              score.push(T.fromInt(i));
            }
          }
          inplaceNormalize(stake);
          const total = T.sum(stake);
          let minority = total - majority;
          if (minority < zero) minority = zero;
          // the Rust test's brute force: scores at the minority boundary of the sorted stake
          const medians: bigint[] = [];
          let medianStake = zero;
          let set = false;
          let acc = zero;
          for (let i = 0; i < n; i++) {
            acc += stake[i];
            if (!set && acc >= minority) {
              medianStake = acc;
              set = true;
            }
            if (set) {
              if (medianStake < acc) {
                if (medianStake === minority && !medians.includes(score[i])) medians.push(score[i]);
                break;
              }
              if (!medians.includes(score[i])) medians.push(score[i]);
            }
          }
          if (medians.length === 0) medians.push(zero);
          const idx = stake.map((_, i) => i);
          expect(medians).toContain(weightedMedian(stake, score, idx, minority, zero, total));
          // any permutation of the uids gives one of the same medians
          const order = idx.slice().sort((a, b) => perm[a] - perm[b] || a - b);
          stake = order.map((i) => stake[i]);
          score = order.map((i) => score[i]);
          expect(medians).toContain(weightedMedian(stake, score, idx, minority, zero, total));
        },
      ),
      { numRuns: 300, seed: 8 },
    );
  });

  it("weighted median examples of yuma-spec.md §3 step 6 (kappa 32767/65535)", () => {
    const kappa = T.safeDiv(T.fromInt(32767), T.fromInt(65535));
    const col = (stake: number[], score: number[]): bigint => {
      const w: SparseMatrix = score.map((s) => [[0, fromF64(s)]]);
      return weightedMedianColSparse(stake.map((s) => fromF64(s)), w, 1, kappa)[0];
    };
    expect(col([0.5, 0.5], [0.2, 0.8])).toBe(fromF64(0.8));
    expect(col([0.5, 0.5], [0.8, 0.2])).toBe(fromF64(0.8));
    expect(col([0.51, 0.49], [0.2, 0.8])).toBe(fromF64(0.2));
    expect(col([0.49, 0.51], [0.2, 0.8])).toBe(fromF64(0.8));
    expect(col([0.25, 0.25, 0.25, 0.25], [0.1, 0.2, 0.3, 0.4])).toBe(fromF64(0.3));
  });

  it("test_math_weighted_median_col_sparse", () => {
    expect(weightedMedianColSparse([], [[]], 0, fromF32(0.5))).toEqual([]);
    expect(weightedMedianColSparse(vecF32([0, 0]), sparseF32([0, 0, 0, 0], 2), 2, fromF32(0.5))).toEqual(vecF32([0, 0]));
    const stake = vecF32([0, 0.75, 0.25, 0]);
    const w = sparseF32([0, 0.1, 0, 0, 0.2, 0.4, 0, 0.3, 0.1, 0, 0.4, 0.5], 4);
    expect(weightedMedianColSparse(stake, w, 3, fromF32(0.24))).toEqual(vecF32([0, 0.3, 0.4]));
    expect(weightedMedianColSparse(stake, w, 3, fromF32(0.26))).toEqual(vecF32([0, 0.2, 0.4]));
    expect(weightedMedianColSparse(stake, w, 3, fromF32(0.76))).toEqual(vecF32([0, 0.2, 0.1]));
    const stake2 = vecF32([0, 0.3, 0.2, 0.5]);
    const w2 = sparseF32([0, 0.1, 0, 0, 0.2, 0.4, 0, 0.3, 0.1, 0, 0, 0.5], 4);
    expect(weightedMedianColSparse(stake2, w2, 3, fromF32(0.51))).toEqual(vecF32([0, 0, 0.4]));
  });

  it("test_math_interpolate_sparse", () => {
    const m1 = sparseF32([0], 1);
    const m2 = sparseF32([1], 1);
    expect(interpolateSparse(m1, m2, 1, 0n)).toEqual(sparseF32([0], 1));
    expect(interpolateSparse(m1, m2, 1, fromF64(0.5))).toEqual(sparseF32([0.5], 1));
    expect(interpolateSparse(m1, m2, 1, T.ONE)).toEqual(sparseF32([1], 1));
    const a = sparseF32([1, 0, 100, 1000, 10000, 100000], 3);
    const b = sparseF32([10, 100, 1000, 10000, 100000, 0], 3);
    expect(interpolateSparse(a, b, 2, 0n)).toEqual(a);
    // `I32F32::from_num(0.9)`: an f64 literal (vec_to_fixed takes f32)
    expectSparseClose(interpolateSparse(a, b, 2, fromF64(0.9)), sparseF32([9.1, 90, 910, 9100, 91000, 10000], 3), fromF32(0.0001));
    const z = sparseF32(new Array(12).fill(0), 4);
    const o = sparseF32(new Array(12).fill(1), 4);
    expect(interpolateSparse(z, o, 3, 0n)).toEqual(z);
    expect(interpolateSparse(z, o, 3, fromF64(0.000000001))).toEqual(sparseF32(new Array(12).fill(0.000000001), 4));
    expect(interpolateSparse(z, o, 3, fromF64(0.5))).toEqual(sparseF32(new Array(12).fill(0.5), 4));
    expect(interpolateSparse(z, o, 3, fromF64(0.9999998808))).toEqual(sparseF32(new Array(12).fill(0.9999999), 4));
    expect(interpolateSparse(z, o, 3, T.ONE)).toEqual(o);
  });

  it("test_math_sparse_mat_ema_alpha and test_mat_ema_alpha_sparse_*", () => {
    const alphas = (v: number): bigint[][] => [0, 1, 2, 3].map(() => vecF32([v, v, v]));
    const eps = fromF32(1e-4);
    expectSparseClose(
      matEmaAlphaSparse(sparseF32([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 4), sparseF32([0.1, 0.2, 3, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.11, 0.12], 4), alphas(0.1)),
      sparseF32([0.19, 0.38, 1, 0.43599, 0.545, 0.65399, 0.763, 0.87199, 0.981, 1, 1, 1], 4),
      eps,
    );
    expectSparseClose(
      matEmaAlphaSparse(
        sparseF32([0.1, 0.2, 3, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.11, 0.12], 4),
        sparseF32([0.001, 0.002, 0.003, 0.004, 0.05, 0.006, 0.007, 0.008, 0.009, 0.01, 0.011, 0.012], 4),
        alphas(0.1),
      ),
      sparseF32([0.0109, 0.0218, 0.3027, 0.007599, 0.05, 0.01139, 0.0133, 0.01519, 0.017, 0.01899, 0.02089, 0.0227], 4),
      eps,
    );
    // a bond without a weight entry is dropped (only the new row's entries are emitted)
    expectSparseClose(
      matEmaAlphaSparse(sparseF32([0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0], 4), sparseF32([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 4), alphas(0.1)),
      sparseF32([0, 0, 0, 0, 0.2, 0, 0, 0, 0, 0, 0, 0], 4),
      fromF32(1e-1),
    );
    expect(matEmaAlphaSparse([], [], [])).toEqual([]);
    const f = fromF64;
    expect(matEmaAlphaSparse([[[0, f(1)]]], [[[0, f(2)]]], [[f(0.5)]])).toEqual([[[0, f(1)]]]);
    expect(matEmaAlphaSparse([[[0, f(1)]]], [[[0, f(2)]]], [[f(0.1), 0n]])).toEqual([[[0, f(1)]]]);
    expect(matEmaAlphaSparse([[[0, f(1)]], [[1, f(4)]]], [[[0, f(5)]], [[1, f(8)]]], [[f(0.5), f(0.5)], [f(0.5), f(0.5)]])).toEqual([[[0, f(1)]], [[1, f(1)]]]);
    expectSparseClose(
      matEmaAlphaSparse(
        [
          [
            [0, f(0.1)],
            [1, f(0.2)],
          ],
          [
            [0, f(0.3)],
            [1, f(0.4)],
          ],
        ],
        [
          [
            [0, f(0.5)],
            [1, f(0.6)],
          ],
          [
            [0, f(0.7)],
            [1, f(0.8)],
          ],
        ],
        [
          [f(0.9), f(0.8)],
          [f(0.5), f(0.7)],
        ],
      ),
      [
        [
          [0, f(0.14)],
          [1, f(0.28)],
        ],
        [
          [0, f(0.499999)],
          [1, f(0.519999)],
        ],
      ],
      f(1e-6),
    );
  });
});
