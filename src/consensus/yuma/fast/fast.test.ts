/**
 * The number kernels and fast sparse helpers equal their bigint references bit for bit, on
 * random operands across the whole range they accept (and they refuse what they cannot do).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { I32F32 } from "../fixed.js";
import { exp } from "../transcendental.js";
import {
  fixedProportionToU16,
  fixedToFixedU16Proportion,
  inplaceColNormalizeSparse,
  matEmaSparse,
  weightedMedianColSparse,
  type SparseMatrix,
} from "../math.js";
import { colNormalized, Csr, CsrBuilder, emaSparse } from "./csr.js";
import { div, divPos, expSmall, expSmallBatch, FastPathUnavailable, LIMIT, mul, mulPos, proportionToU16, u16Proportion } from "./fixed-num.js";
import { weightedMedianCol } from "./median.js";

const T = I32F32;
/** integers of every magnitude up to 2^bits, biased to the edges */
const intUpTo = (bits: number): fc.Arbitrary<number> =>
  fc.oneof(
    fc.integer({ min: 0, max: 2 ** 31 }),
    fc.nat({ max: 2 ** Math.min(bits, 53) - 1 }).map((x) => Math.min(x, 2 ** bits - 1)),
    fc.integer({ min: 0, max: 40 }).map((k) => Math.min(2 ** k, 2 ** bits - 1)),
    fc.constantFrom(0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1),
  );
const signed = (bits: number): fc.Arbitrary<number> => fc.tuple(intUpTo(bits), fc.boolean()).map(([x, neg]) => (neg ? -x : x));

describe("exact number kernels", () => {
  it("mul = I32F32 saturating_mul (floor toward −∞) wherever it does not refuse", () => {
    fc.assert(
      fc.property(signed(52), signed(52), (a, b) => {
        const want = T.saturatingMul(BigInt(a), BigInt(b));
        try {
          expect(BigInt(mul(a, b))).toBe(want);
        } catch (e) {
          if (!(e instanceof FastPathUnavailable)) throw e;
          // refused only when the result (or an operand) leaves the proven range
          expect(want >= BigInt(LIMIT) / 2n || want <= -BigInt(LIMIT) / 2n || Math.abs(a) >= LIMIT || Math.abs(b) >= LIMIT).toBe(true);
        }
      }),
      { numRuns: 20000, seed: 1 },
    );
  });

  it("div = I32F32 safe_div (truncation toward zero) wherever it does not refuse", () => {
    fc.assert(
      fc.property(signed(48), signed(48), (a, b) => {
        const want = T.safeDiv(BigInt(a), BigInt(b));
        try {
          expect(BigInt(div(a, b))).toBe(want);
        } catch (e) {
          if (!(e instanceof FastPathUnavailable)) throw e;
          // refused only when the exact quotient leaves the proven range (Rust may overflow there)
          const exact = b === 0 ? 0n : (BigInt(a) << 32n) / BigInt(b);
          expect(exact >= 1n << 51n || exact <= -(1n << 51n) || Math.abs(a) >= 2 ** 49).toBe(true);
        }
      }),
      { numRuns: 20000, seed: 2 },
    );
  });

  it("divPos long-division paths (divisors beyond 2^33 and 2^41)", () => {
    for (const [a, b] of [
      [2 ** 40 + 12345, 2 ** 45 + 7],
      [2 ** 48 - 1, 2 ** 48 - 3],
      [123456789, 2 ** 34 + 1],
      [2 ** 35, 2 ** 42 + 99],
    ])
      expect(BigInt(divPos(a, b))).toBe((BigInt(a) << 32n) / BigInt(b));
    expect(() => divPos(2 ** 50, 3)).toThrow(FastPathUnavailable);
  });

  it("expSmall = substrate-fixed exp for |x| ≤ 10", () => {
    fc.assert(
      fc.property(fc.integer({ min: -10 * 2 ** 32, max: 10 * 2 ** 32 }), (x) => {
        expect(BigInt(expSmall(x)!)).toBe(exp(T, BigInt(x)));
      }),
      { numRuns: 3000, seed: 3 },
    );
    expect(BigInt(expSmall(2 ** 32)!)).toBe(exp(T, 1n << 32n));
    expect(expSmall(11 * 2 ** 32)).toBeNull();
  });

  it("divPos is exact next to integer quotients (the fast path's remainder check)", () => {
    // a·2^32 / b within a hair of an integer: a = ⌊k·b / 2^32⌋ + δ, and exact multiples
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 40 - 1 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: -3, max: 3 }),
        (b, k, delta) => {
          const a = Number((BigInt(k) * BigInt(b)) >> 32n) + delta;
          if (a < 0 || a >= 2 ** 49) return;
          const want = (BigInt(a) << 32n) / BigInt(b);
          try {
            expect(BigInt(divPos(a, b))).toBe(want);
          } catch (e) {
            if (!(e instanceof FastPathUnavailable)) throw e;
            expect(want >= 1n << 51n).toBe(true);
          }
        },
      ),
      { numRuns: 20000, seed: 11 },
    );
    for (const b of [1, 2, 3, 65535, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 39 + 3, 2 ** 40 - 1, 2 ** 40, 2 ** 40 + 1])
      for (const a of [0, 1, b - 1, b, b + 1, 2 * b, 3 * b - 1].filter((x) => x >= 0 && x < 2 ** 49))
        expect(BigInt(divPos(a, b))).toBe((BigInt(a) << 32n) / BigInt(b));
  });

  it("mul and mulPos are exact for products near multiples of 2^32 (floor toward −∞)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 36 }), fc.boolean(), fc.boolean(), (x, m, na, nb) => {
        // a·b = m·2^32 exactly (a = 2^k·…): pick a power of two and its cofactor
        const shift = x % 33;
        const a0 = 2 ** shift;
        const b0 = m * 2 ** (32 - shift);
        if (b0 >= 2 ** 52) return;
        for (const [a, b] of [
          [a0, b0],
          [a0, b0 + 1],
          [x, m],
        ]) {
          const sa = na ? -a : a;
          const sb = nb ? -b : b;
          expect(BigInt(mul(sa, sb))).toBe(T.saturatingMul(BigInt(sa), BigInt(sb)));
          expect(BigInt(mulPos(a, b))).toBe((BigInt(a) * BigInt(b)) >> 32n);
        }
      }),
      { numRuns: 10000, seed: 12 },
    );
  });

  it("expSmallBatch = substrate-fixed exp for every argument, whatever the batch length", () => {
    const args = fc.oneof(
      fc.integer({ min: -10 * 2 ** 32, max: 10 * 2 ** 32 }),
      fc.integer({ min: -(2 ** 33), max: 2 ** 33 }),
      fc.constantFrom(0, 2 ** 32, -(2 ** 32), 10 * 2 ** 32, -10 * 2 ** 32, 1, -1),
    );
    fc.assert(
      fc.property(fc.array(args, { maxLength: 23 }), (xs) => {
        const x = Float64Array.from(xs);
        const out = new Float64Array(xs.length);
        expSmallBatch(x, out, xs.length);
        expect(Array.from(out, (v) => BigInt(v))).toEqual(xs.map((v) => exp(T, BigInt(v))));
      }),
      { numRuns: 400, seed: 13 },
    );
  });

  it("u16Proportion = fixed_to_fixed_u16_proportion for every u16", () => {
    for (let v = 0; v < 65536; v++) if (BigInt(u16Proportion(v)) !== fixedToFixedU16Proportion(T.fromInt(v))) expect(v).toBe(-1);
  });

  it("proportionToU16 = fixed_proportion_to_u16", () => {
    fc.assert(
      fc.property(signed(40), (x) => {
        expect(proportionToU16(x)).toBe(fixedProportionToU16(BigInt(x)));
      }),
      { numRuns: 5000, seed: 4 },
    );
  });
});

function toCsr(m: SparseMatrix): Csr {
  const b = new CsrBuilder(m.length, 8);
  for (const row of m) {
    for (const [j, v] of row) b.push(j, Number(v));
    b.endRow();
  }
  return b.build();
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

/** random sparse matrices of proportions, rows unsorted and possibly with duplicates */
const matrixArb = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    m: fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: 2 ** 32 })), { maxLength: n + 1 }), { minLength: n, maxLength: n }),
    stake: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 ** 32 })), { minLength: n, maxLength: n }),
    kappa: fc.integer({ min: 0, max: 2 ** 32 }),
    alpha: fc.integer({ min: 0, max: 2 ** 32 }),
  }),
);

describe("fast sparse helpers = math.ts references", () => {
  it("weightedMedianCol = weighted_median_col_sparse", () => {
    fc.assert(
      fc.property(matrixArb, ({ n, m, stake, kappa }) => {
        const sparse: SparseMatrix = m.map((r) => r.map(([j, v]) => [j, BigInt(v)] as [number, bigint]));
        const want = weightedMedianColSparse(stake.map(BigInt), sparse, n, BigInt(kappa));
        expect(Array.from(weightedMedianCol(Float64Array.from(stake), toCsr(sparse), n, kappa), (x) => BigInt(x))).toEqual(want);
      }),
      { numRuns: 2000, seed: 5 },
    );
  });

  it("colNormalized and emaSparse = inplace_col_normalize_sparse and mat_ema_sparse", () => {
    fc.assert(
      fc.property(matrixArb, matrixArb, ({ n, m, alpha }, other) => {
        const a: SparseMatrix = m.map((r) => r.map(([j, v]) => [j, BigInt(v)] as [number, bigint]));
        const b: SparseMatrix = a.map((_, i) => (other.m[i] ?? []).filter(([j]) => j < n).map(([j, v]) => [j, BigInt(v)] as [number, bigint]));
        const normalized = a.map((r) => r.map(([j, v]) => [j, v] as [number, bigint]));
        inplaceColNormalizeSparse(normalized, n);
        expect(fromCsr(colNormalized(toCsr(a), n))).toEqual(normalized);
        expect(fromCsr(emaSparse(toCsr(a), toCsr(b), alpha, n))).toEqual(matEmaSparse(a, b, BigInt(alpha)));
      }),
      { numRuns: 2000, seed: 6 },
    );
  });
});
