/**
 * Fixed-point semantics against hand-computed values, substrate-fixed's documented examples and
 * Subtensor's math tests (test_math_fixed_overflow, test_math_u64_normalization,
 * test_math_to_num, test_math_exp_safe, test_math_sigmoid_safe).
 */
import { describe, expect, it } from "vitest";
import { I32F32, I64F64, I96F32, U64F64, I110F18 } from "./fixed.js";
import { E_I9F23_BITS, exp, expSafe, ln, log2, pow, powi, sigmoidSafe, sqrt } from "./transcendental.js";
import { fixedEmaAlpha } from "./epoch-reference.js";
import { fixedProportionToU16 } from "./math.js";
import { fromF32, fromF64 } from "../../../test/utils/yuma/floatLiteral.js";

const T = I32F32;
const ONE = T.ONE;
const bits = (x: bigint): bigint => x; // readability: raw bits

describe("I32F32 basics", () => {
  it("integers and ratios", () => {
    expect(T.fromInt(65535)).toBe(65535n << 32n);
    expect(T.fromInt(-1)).toBe(-(1n << 32n));
    expect(T.fromInt(1n << 40n)).toBe(T.MAX); // saturates
    expect(T.checkedFromInt(1n << 40n)).toBeNull();
    // default kappa 32767/65535 = 0.49999237…: trunc(32767·2^32/65535)
    expect(T.fromRatio(32767, 65535)).toBe(2147450879n);
    expect(T.fromRatio(65535, 65535)).toBe(ONE);
    expect(T.fromRatio(1, 0)).toBe(0n); // safe_div by zero
  });

  it("mul floors the exact product (toward −∞) and saturates by operand signs", () => {
    expect(T.saturatingMul(fromF64(1.5), fromF64(1.5))).toBe(fromF64(2.25));
    expect(T.saturatingMul(bits(3n), ONE >> 1n)).toBe(1n); // 1.5 bits → 1
    expect(T.saturatingMul(bits(-3n), ONE >> 1n)).toBe(-2n); // −1.5 bits → −2 (floor, not trunc)
    expect(T.saturatingMul(T.MAX, T.fromInt(2))).toBe(T.MAX);
    expect(T.saturatingMul(T.MAX, T.fromInt(-2))).toBe(T.MIN);
    expect(T.saturatingMul(T.MIN, T.fromInt(-2))).toBe(T.MAX);
    // substrate-fixed docs: max.checked_mul(1) = Some(max), max.checked_mul(2) = None
    expect(T.checkedMul(T.MAX, ONE)).toBe(T.MAX);
    expect(T.checkedMul(T.MAX, T.fromInt(2))).toBeNull();
    // the Rust `*` operator in a release build wraps: 2·(2^63 − 1) bits = 2^64 − 2 → −2
    expect(T.wrappingMul(T.MAX, T.fromInt(2))).toBe(-2n);
  });

  it("div truncates toward zero; safe_div gives 0 on /0 and overflow; saturating_div saturates", () => {
    expect(T.safeDiv(ONE, T.fromInt(3))).toBe(1431655765n);
    expect(T.safeDiv(-ONE, T.fromInt(3))).toBe(-1431655765n); // trunc, floor would be …766
    expect(T.safeDiv(ONE, 0n)).toBe(0n);
    expect(T.checkedDiv(T.MAX, ONE >> 1n)).toBeNull(); // substrate-fixed docs
    expect(T.safeDiv(T.MAX, ONE >> 1n)).toBe(0n);
    expect(T.saturatingDiv(ONE, T.fromInt(2))).toBe(ONE >> 1n); // docs: 1.saturating_div(2) = 0.5
    expect(T.saturatingDiv(T.MAX, ONE >> 1n)).toBe(T.MAX); // docs
    expect(T.saturatingDiv(T.MIN, ONE >> 1n)).toBe(T.MIN);
    expect(() => T.saturatingDiv(ONE, 0n)).toThrow(/division by zero/);
  });

  it("add/sub saturate or wrap; sum wraps like Iterator::sum", () => {
    expect(T.saturatingAdd(T.MAX, 1n)).toBe(T.MAX);
    expect(T.saturatingSub(T.MIN, 1n)).toBe(T.MIN);
    expect(T.wrappingAdd(T.MAX, 1n)).toBe(T.MIN);
    expect(T.sum([T.MAX, 1n])).toBe(T.MIN);
    expect(T.checkedAdd(T.MAX, 1n)).toBeNull();
    // test_math_sum
    expect(T.sum([])).toBe(0n);
    expect(T.sum([T.fromInt(1), T.fromInt(10), T.fromInt(30)])).toBe(T.fromInt(41));
    expect(T.sum([T.fromInt(-1), T.fromInt(10), T.fromInt(30)])).toBe(T.fromInt(39));
  });

  it("conversions floor and saturate", () => {
    expect(T.fromFixed(I64F64, -1n)).toBe(-1n); // −2^-64 floors to −2^-32
    expect(T.fromFixed(I64F64, (1n << 64n) - 1n)).toBe(ONE - 1n); // 1 − 2^-64 → 1 − 2^-32
    expect(T.fromFixed(I64F64, I64F64.MAX)).toBe(T.MAX);
    expect(I96F32.fromFixed(T, T.MAX)).toBe(T.MAX);
    expect(T.toU16(T.fromInt(65535) + ONE - 1n)).toBe(65535);
    expect(T.toU16(T.fromInt(70000))).toBe(65535);
    expect(T.toU16(-1n)).toBe(0);
    expect(T.toU64(T.MAX)).toBe((1n << 31n) - 1n);
    // test_math_to_num: I96F32::from_num(u64::MAX).to_num::<u64>() == u64::MAX
    expect(I96F32.toU64(I96F32.fromInt((1n << 64n) - 1n))).toBe((1n << 64n) - 1n);
    expect(U64F64.fromInt(-5)).toBe(0n);
    expect(I110F18.fromInt(3)).toBe(3n << 18n);
  });

  it("round: nearest, ties away from zero", () => {
    expect(T.round(fromF64(2.5))).toBe(T.fromInt(3));
    expect(T.round(fromF64(-2.5))).toBe(T.fromInt(-3));
    expect(T.round(fromF64(2.4999))).toBe(T.fromInt(2));
    expect(T.round(fromF64(-2.4))).toBe(T.fromInt(-2));
    expect(T.round(fromF64(-2.6))).toBe(T.fromInt(-3));
    expect(T.floor(fromF64(-2.4))).toBe(T.fromInt(-3));
  });

  it("fixed_proportion_to_u16 is floor(x·65535) (spec examples)", () => {
    expect(fixedProportionToU16(fromF64(0.1))).toBe(6553);
    expect(fixedProportionToU16(fromF64(0.3))).toBe(19660);
    expect(fixedProportionToU16(ONE)).toBe(65535);
    expect(fixedProportionToU16(T.fromInt(2))).toBe(65535);
  });

  it("test_math_fixed_overflow: the EMA alpha of bonds_moving_average", () => {
    expect(fixedEmaAlpha(900_000n)).toBe(fromF64(0.1));
    expect(fixedEmaAlpha(1_000_000n)).toBe(0n);
    expect(fixedEmaAlpha(975_000n)).toBe(ONE - (I64F64.safeDiv(I64F64.fromInt(975_000), I64F64.fromInt(1_000_000)) >> 32n));
  });

  it("test_math_u64_normalization", () => {
    const max = I64F64.fromInt(21_000_000_000_000_000n);
    const minFrac = I64F64.safeDiv(I64F64.fromInt(1), max);
    expect(minFrac).toBe(fromF64(0.0000000000000000476, 64));
    expect(T.fromFixed(I64F64, minFrac)).toBe(0n);
    const min32Frac = I64F64.safeDiv(I64F64.fromInt(4_889_444), max);
    expect(min32Frac).toBe(fromF64(0.00000000023283066664, 64));
    expect(T.fromFixed(I64F64, min32Frac)).toBe(fromF64(0.0000000002));
    expect(I64F64.safeDiv(I64F64.fromInt(10_500_000_000_000_000n), max)).toBe(fromF64(0.5, 64));
    expect(I64F64.safeDiv(max, max)).toBe(I64F64.ONE);
  });
});

describe("transcendental (substrate-fixed algorithms)", () => {
  it("exp: exact special cases, truncated series, inversion for x < 0", () => {
    expect(exp(T, 0n)).toBe(ONE);
    expect(exp(T, ONE)).toBe(E_I9F23_BITS << 9n); // e rounded to I9F23
    const e20 = exp(T, T.fromInt(20))!;
    // the series stops at the 31st term: ≈ 4.81e8, not e^20 = 4.85e8
    expect(e20 > T.fromInt(480_000_000) && e20 < T.fromInt(482_000_000)).toBe(true);
    expect(exp(T, T.fromInt(-20))).toBe(T.checkedDiv(ONE, e20));
    const e2 = exp(T, T.fromInt(2))!; // 7.389056…: a truncated 31-term series is accurate here
    expect(Math.abs(Number(e2 - fromF64(7.38905609893065)))).toBeLessThan(64);
    expect(exp(T, T.fromInt(30))).toBeNull(); // overflows I32F32 inside the series
  });

  it("test_math_exp_safe: clamps to [−20, 20]", () => {
    expect(expSafe(0n)).toBe(exp(T, 0n));
    expect(expSafe(ONE)).toBe(exp(T, ONE));
    const lo = exp(T, T.fromInt(-20));
    const hi = exp(T, T.fromInt(20));
    expect(expSafe(T.fromInt(-20))).toBe(lo);
    expect(expSafe(T.fromInt(-21))).toBe(lo);
    expect(expSafe(T.MIN)).toBe(lo);
    expect(expSafe(T.fromInt(20))).toBe(hi);
    expect(expSafe(T.fromInt(21))).toBe(hi);
    expect(expSafe(T.MAX)).toBe(hi);
  });

  it("test_math_sigmoid_safe: exact outputs", () => {
    const trust = [T.MIN, 0n, fromF64(0.4), fromF64(0.5), fromF64(0.6), ONE, T.MAX];
    const tiny = fromF32(0.0000000019);
    expect(trust.map((t) => sigmoidSafe(t, T.MAX, T.MAX))).toEqual([tiny, tiny, tiny, tiny, tiny, tiny, fromF32(0.5)]);
    expect(trust.map((t) => sigmoidSafe(t, T.MIN, T.MIN))).toEqual([fromF32(0.5), tiny, tiny, tiny, tiny, tiny, tiny]);
    const rho30 = [0.0000000019, 0.0000003057, 0.0474258729, 0.5, 0.952574127, 0.9999996943, 0.9999999981].map((x) => fromF64(x));
    expect(trust.map((t) => sigmoidSafe(t, T.fromInt(30), fromF64(0.5)))).toEqual(rho30);
    const trust2 = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map(fromF32);
    const rho40 = [
      0.0000000019, 0.0000001125, 0.0000061442, 0.0003353502, 0.017986214, 0.5, 0.9820138067, 0.9996646498, 0.9999938558,
      0.9999998875, 0.9999999981,
    ].map((x) => fromF64(x));
    expect(trust2.map((t) => sigmoidSafe(t, T.fromInt(40), fromF64(0.5)))).toEqual(rho40);
  });

  it("log2 / ln: bit-by-bit squaring, exact on powers of two, Err for x ≤ 0", () => {
    expect(log2(T, T.fromInt(8))).toBe(T.fromInt(3));
    expect(log2(T, ONE)).toBe(0n);
    expect(log2(T, ONE >> 2n)).toBe(T.fromInt(-2));
    expect(log2(T, 0n)).toBeNull();
    expect(log2(T, -ONE)).toBeNull();
    expect(ln(T, ONE)).toBe(0n);
    const ln2 = ln(T, T.fromInt(2))!;
    // ln 2 = 0.693147180…; limited by LOG2_E held in I9F23
    expect(Math.abs(Number(ln2 - fromF64(Math.LN2)))).toBeLessThan(2 ** 32 * 1e-7);
    expect(ln(T, ONE >> 1n)).toBe(T.wrappingDiv(T.fromInt(-1), 0xb8aa3bn << 9n));
  });

  it("sqrt (Newton) and pow/powi", () => {
    expect(sqrt(T, T.fromInt(4))).toBe(T.fromInt(2));
    expect(sqrt(T, ONE >> 2n)).toBe(ONE >> 1n);
    expect(sqrt(T, 0n)).toBe(0n);
    expect(sqrt(T, -1n)).toBeNull();
    const s2 = sqrt(T, T.fromInt(2))!;
    expect(Math.abs(Number(s2 - fromF64(Math.SQRT2)))).toBeLessThanOrEqual(1);
    expect(powi(T, T.fromInt(3), 4)).toBe(T.fromInt(81));
    expect(powi(T, T.fromInt(2), -2)).toBe(ONE >> 2n);
    expect(pow(T, T.fromInt(5), 0n)).toBe(ONE);
    expect(pow(T, T.fromInt(5), ONE)).toBe(T.fromInt(5));
    const p = pow(T, T.fromInt(4), ONE >> 1n)!; // 4^0.5 through ln and exp
    expect(Math.abs(Number(p - T.fromInt(2)))).toBeLessThan(2 ** 32 * 1e-6);
  });
});
