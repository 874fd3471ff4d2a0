/**
 * substrate-fixed's `transcendental` module (v0.6.0) on raw bits, plus Subtensor's safe wrappers
 * (`exp_safe`, `sigmoid_safe`, `safe_ln`, `safe_exp` from epoch/math.rs).
 *
 * These are NOT the mathematical functions: they are the exact step-by-step algorithms of the
 * crate (truncated Taylor series for exp, bit-by-bit squaring for log2, Newton for sqrt), with
 * the same intermediate rounding, so that results match Subtensor bit for bit — e.g. exp(20) in
 * I32F32 is ≈ 4.81e8, not 4.85e8, because the series stops at the 31st term.
 *
 * All functions take and return bits of the given FixedType (source and destination types are
 * the same everywhere Subtensor calls them). `null` stands for Rust's `Err(())`.
 */
import { FixedType, I32F32, I9F23 } from "./fixed.js";

/** e in I9F23 (`consts::E >> 103`) and log2(e) in I9F23 (`consts::LOG2_E >> 104`). */
export const E_I9F23_BITS = 0x15bf0a8n;
export const LOG2_E_I9F23_BITS = 0xb8aa3bn;

/** A constant of type I9F23 converted to `t` (`D::from(I9F23)`: exact widening, or floor). */
function fromI9F23(t: FixedType, bits: bigint): bigint {
  return t.fromFixed(I9F23, bits);
}

/** `rs`: right shift by one with rounding (adds back the bit shifted out). */
function rs(x: bigint): bigint {
  return (x >> 1n) + (x & 1n);
}

/** log2 of x ≥ 1 (bits of `t`). The integer part is counted in units, then shifted in. */
function log2Inner(t: FixedType, operand: bigint): bigint {
  const two = 2n << t.fracN;
  let x = operand;
  let result = 0n; // raw integer "bits" counter, see below
  while (x >= two) {
    result += 1n;
    x = rs(x);
  }
  if (x === t.ONE) {
    // `D::from_num(result)`: the counter is an integer value
    return t.wrap(result << t.fracN);
  }
  for (let i = 0; i < t.frac; i++) {
    x = t.wrappingMul(x, x);
    result = t.wrap(result << 1n);
    if (x >= two) {
      result |= 1n;
      x = rs(x);
    }
  }
  return result;
}

/** `log2(x)`; Err for x <= 0 or when 1/x overflows. */
export function log2(t: FixedType, operand: bigint): bigint | null {
  if (operand <= 0n) return null;
  if (operand < t.ONE) {
    const inverse = t.checkedDiv(t.ONE, operand);
    if (inverse === null) return null;
    return t.wrappingNeg(log2Inner(t, inverse));
  }
  return log2Inner(t, operand);
}

/** `ln(x) = log2(x) / LOG2_E` with the plain (wrapping) division operator. */
export function ln(t: FixedType, operand: bigint): bigint | null {
  const l = log2(t, operand);
  if (l === null) return null;
  return t.wrappingDiv(l, fromI9F23(t, LOG2_E_I9F23_BITS));
}

/**
 * `exp(x)`: 1 + x + Σ_{i=2}^{frac−1} term_i with term_i = floor(term_{i−1}·x) / i (truncated),
 * evaluated on |x|, then inverted for negative x. Exact special cases for 0 and 1.
 * Every step is checked: any overflow is Err.
 */
export function exp(t: FixedType, operand: bigint): bigint | null {
  if (operand === 0n) return t.ONE;
  if (operand === t.ONE) return fromI9F23(t, E_I9F23_BITS);
  let x = operand;
  const neg = x < 0n;
  if (neg) {
    const nx = t.checkedNeg(x);
    if (nx === null) return null;
    x = nx;
  }
  let result = t.checkedAdd(x, t.ONE);
  if (result === null) return null;
  let term = x;
  for (let i = 2; i < t.frac; i++) {
    const m = t.checkedMul(term, x);
    if (m === null) return null;
    const d = t.checkedDiv(m, t.fromInt(i));
    if (d === null) return null;
    term = d;
    const r = t.checkedAdd(result, term);
    if (r === null) return null;
    result = r;
  }
  if (neg) {
    const inv = t.checkedDiv(t.ONE, result);
    if (inv === null) return null;
    result = inv;
  }
  return result;
}

/** `sqrt(x)`: Newton iterations (frac of them) on x or 1/x; Err for x < 0. */
export function sqrt(t: FixedType, operand: bigint): bigint | null {
  if (operand < 0n) return null;
  if (operand === 0n || operand === t.ONE) return operand;
  let x = operand;
  let invert = false;
  if (x < t.ONE) {
    invert = true;
    const inv = t.checkedDiv(t.ONE, x);
    if (inv === null) return null;
    x = inv;
  }
  const two = t.fromInt(2);
  let l = t.wrappingAdd(t.wrappingDiv(x, two), t.ONE);
  for (let i = 0; i < t.frac; i++) {
    l = t.wrappingDiv(t.wrappingAdd(l, t.wrappingDiv(x, l)), two);
  }
  if (invert) {
    const inv = t.checkedDiv(t.ONE, l);
    if (inv === null) return null;
    l = inv;
  }
  return l;
}

/** `pow(x, e) = exp(ln(x)·e)`, with the crate's shortcuts for x = 0, e = 0, e = 1. */
export function pow(t: FixedType, operand: bigint, exponent: bigint): bigint | null {
  if (operand === 0n) return 0n;
  if (exponent === 0n) return t.ONE;
  if (exponent === t.ONE) return operand;
  const l = ln(t, operand);
  if (l === null) return null;
  const r = t.checkedMul(l, exponent);
  if (r === null) return null;
  return exp(t, r);
}

/** `powi(x, k)`: repeated checked multiplication, inverted for negative k. */
export function powi(t: FixedType, operand: bigint, exponent: number): bigint | null {
  if (operand === 0n) return 0n;
  if (exponent === 0) return t.ONE;
  if (exponent === 1) return operand;
  let r = operand;
  for (let i = 1; i < Math.abs(exponent); i++) {
    const m = t.checkedMul(r, operand);
    if (m === null) return null;
    r = m;
  }
  if (exponent < 0) {
    const inv = t.checkedDiv(t.ONE, r);
    if (inv === null) return null;
    r = inv;
  }
  return r;
}

// ------------------------------------------------------------------ Subtensor wrappers (I32F32)

const EXP_MIN = I32F32.fromInt(-20);
const EXP_MAX = I32F32.fromInt(20);

/** Subtensor `exp_safe`: input clamped to [−20, 20]; on Err, 0 for x ≤ 0 else I32F32::MAX. */
export function expSafe(input: bigint): bigint {
  const x = input < EXP_MIN ? EXP_MIN : input > EXP_MAX ? EXP_MAX : input;
  const r = exp(I32F32, x);
  if (r !== null) return r;
  return x <= 0n ? 0n : I32F32.MAX;
}

/**
 * Subtensor `sigmoid_safe(x, rho, kappa) = 1 / (1 + exp_safe(−rho·(x − kappa)))`.
 * `div` selects the final division: current code uses `safe_div`, classic `saturating_div`.
 */
export function sigmoidSafe(input: bigint, rho: bigint, kappa: bigint, div: "safe" | "saturating" = "safe"): bigint {
  const t = I32F32;
  const offset = t.saturatingSub(input, kappa);
  const negRho = t.saturatingMul(rho, t.saturatingNeg(t.ONE));
  const expInput = t.saturatingMul(negRho, offset);
  const denominator = t.saturatingAdd(expSafe(expInput), t.ONE);
  return div === "safe" ? t.safeDiv(t.ONE, denominator) : t.saturatingDiv(t.ONE, denominator);
}

/** Subtensor `safe_ln`: ln or 0 on Err. */
export function safeLn(x: bigint): bigint {
  return ln(I32F32, x) ?? 0n;
}

/** Subtensor (classic) `safe_exp`: exp (no clamping) or 0 on Err. */
export function safeExp(x: bigint): bigint {
  return exp(I32F32, x) ?? 0n;
}
