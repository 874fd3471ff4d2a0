/**
 * Fixed-point numbers as Subtensor uses them (`substrate-fixed` v0.6.0, a fork of `fixed` 0.5).
 *
 * A value is its two's-complement "bits" held in a bigint: value = bits / 2^frac. We never wrap
 * values in objects: every operation is a method of the type descriptor and takes/returns raw
 * bits, so the same bigint can flow through the epoch without allocation of wrappers.
 *
 * Semantics reproduced from substrate-fixed (src/arith.rs, macros_frac.rs, macros_round.rs):
 *  - mul: the exact product shifted right by `frac` (arithmetic shift = floor, i.e. toward −∞);
 *    overflow is reported when the floored result does not fit the storage type.
 *  - div: `(a << frac) / b` with Rust integer division = truncation toward zero; overflow when
 *    the quotient does not fit.
 *  - operators `+ - * /` of Rust in a release build (no overflow checks in the runtime) wrap;
 *    `saturating_*`, `checked_*` and Subtensor's `safe_div` (= checked_div or 0) are separate.
 *  - fixed→fixed and fixed→int conversions drop extra fraction bits (floor) and saturate.
 *  - round(): nearest, ties away from zero.
 *  - comparisons (<, ==, max/min) are plain comparisons of the bits of values of one type.
 */
import { YumaError } from "./errors.js";

export class FixedType {
  readonly bits: number;
  readonly frac: number;
  readonly signed: boolean;
  /** frac as a bigint shift amount */
  readonly fracN: bigint;
  readonly MIN: bigint;
  readonly MAX: bigint;
  readonly ONE: bigint;
  readonly ZERO = 0n;
  private readonly modulus: bigint;
  private readonly fracMask: bigint;

  constructor(
    readonly name: string,
    bits: number,
    frac: number,
    signed: boolean,
  ) {
    this.bits = bits;
    this.frac = frac;
    this.signed = signed;
    this.fracN = BigInt(frac);
    this.modulus = 1n << BigInt(bits);
    this.MIN = signed ? -(1n << BigInt(bits - 1)) : 0n;
    this.MAX = signed ? (1n << BigInt(bits - 1)) - 1n : this.modulus - 1n;
    // ONE is not representable when there are no integer bits (never the case for our types).
    this.ONE = 1n << this.fracN;
    this.fracMask = this.ONE - 1n;
  }

  // ---------------------------------------------------------------- range helpers

  inRange(bits: bigint): boolean {
    return bits >= this.MIN && bits <= this.MAX;
  }

  saturate(bits: bigint): bigint {
    return bits < this.MIN ? this.MIN : bits > this.MAX ? this.MAX : bits;
  }

  /** Two's-complement wrap, what a Rust release build does on overflow of `+`, `*`, `as`. */
  wrap(bits: bigint): bigint {
    return this.signed ? BigInt.asIntN(this.bits, bits) : BigInt.asUintN(this.bits, bits);
  }

  // ---------------------------------------------------------------- construction / conversion

  /** `T::saturating_from_num(int)`: an integer value (u16 weight 65535 becomes 65535.0). */
  fromInt(x: bigint | number): bigint {
    return this.saturate(BigInt(x) << this.fracN);
  }

  /** `T::checked_from_num(int)` */
  checkedFromInt(x: bigint | number): bigint | null {
    const v = BigInt(x) << this.fracN;
    return this.inRange(v) ? v : null;
  }

  /**
   * `T(num) / T(den)` the way Subtensor builds ratios (e.g. kappa = I32F32(kappa)/I32F32(65535)):
   * both operands converted with saturation, then `safe_div` (0 on /0 or overflow).
   */
  fromRatio(num: bigint | number, den: bigint | number): bigint {
    return this.safeDiv(this.fromInt(num), this.fromInt(den));
  }

  /**
   * `T::saturating_from_num(other_fixed)`: extra fraction bits are dropped with an arithmetic shift
   * (floor), missing ones are zero-filled; the integer part saturates.
   */
  fromFixed(src: FixedType, bits: bigint): bigint {
    const shift = this.frac - src.frac;
    const v = shift >= 0 ? bits << BigInt(shift) : bits >> BigInt(-shift);
    return this.saturate(v);
  }

  /** `x.saturating_to_num::<int>()`: floor, then clamp to the integer type's range. */
  toIntSaturating(bits: bigint, intBits: number, intSigned: boolean): bigint {
    const floor = bits >> this.fracN;
    const lo = intSigned ? -(1n << BigInt(intBits - 1)) : 0n;
    const hi = intSigned ? (1n << BigInt(intBits - 1)) - 1n : (1n << BigInt(intBits)) - 1n;
    return floor < lo ? lo : floor > hi ? hi : floor;
  }

  toU16(bits: bigint): number {
    return Number(this.toIntSaturating(bits, 16, false));
  }

  toU64(bits: bigint): bigint {
    return this.toIntSaturating(bits, 64, false);
  }

  // ---------------------------------------------------------------- add / sub

  /** Rust `a + b` in a release build: wraps. (`Iterator::sum()` folds with this.) */
  wrappingAdd(a: bigint, b: bigint): bigint {
    return this.wrap(a + b);
  }

  wrappingSub(a: bigint, b: bigint): bigint {
    return this.wrap(a - b);
  }

  saturatingAdd(a: bigint, b: bigint): bigint {
    return this.saturate(a + b);
  }

  saturatingSub(a: bigint, b: bigint): bigint {
    return this.saturate(a - b);
  }

  checkedAdd(a: bigint, b: bigint): bigint | null {
    const v = a + b;
    return this.inRange(v) ? v : null;
  }

  checkedSub(a: bigint, b: bigint): bigint | null {
    const v = a - b;
    return this.inRange(v) ? v : null;
  }

  /** `Iterator::sum()` over fixed values: a fold with the (wrapping) `+` operator. */
  sum(values: readonly bigint[]): bigint {
    let s = 0n;
    for (const v of values) s += v;
    return this.wrap(s);
  }

  // ---------------------------------------------------------------- neg / abs

  wrappingNeg(a: bigint): bigint {
    return this.wrap(-a);
  }

  checkedNeg(a: bigint): bigint | null {
    const v = -a;
    return this.inRange(v) ? v : null;
  }

  saturatingNeg(a: bigint): bigint {
    return this.saturate(-a);
  }

  abs(a: bigint): bigint {
    return this.wrap(a < 0n ? -a : a);
  }

  // ---------------------------------------------------------------- mul

  /** Exact product floored to `frac` bits; `ok` is false when the result does not fit. */
  private mulExact(a: bigint, b: bigint): bigint {
    return (a * b) >> this.fracN;
  }

  /** Rust `a * b` (release): floor, wrapped on overflow. */
  wrappingMul(a: bigint, b: bigint): bigint {
    return this.wrap(this.mulExact(a, b));
  }

  saturatingMul(a: bigint, b: bigint): bigint {
    const v = this.mulExact(a, b);
    if (this.inRange(v)) return v;
    // substrate-fixed: sign of the operands decides the saturation side
    return a < 0n !== b < 0n ? this.MIN : this.MAX;
  }

  checkedMul(a: bigint, b: bigint): bigint | null {
    const v = this.mulExact(a, b);
    return this.inRange(v) ? v : null;
  }

  // ---------------------------------------------------------------- div

  /** `(a << frac) / b` truncated toward zero, as Rust integer division. Caller checks b != 0. */
  private divExact(a: bigint, b: bigint): bigint {
    // bigint division already truncates toward zero, like Rust
    return (a << this.fracN) / b;
  }

  /** `checked_div`: None (null) on division by zero or when the quotient does not fit. */
  checkedDiv(a: bigint, b: bigint): bigint | null {
    if (b === 0n) return null;
    const v = this.divExact(a, b);
    return this.inRange(v) ? v : null;
  }

  /** Subtensor's `safe_div` (primitives/safe-math): `checked_div().unwrap_or_default()`. */
  safeDiv(a: bigint, b: bigint): bigint {
    return this.checkedDiv(a, b) ?? 0n;
  }

  /** `saturating_div`: saturates on overflow; panics (throws) on division by zero, as in Rust. */
  saturatingDiv(a: bigint, b: bigint): bigint {
    if (b === 0n) throw new YumaError({ code: "FIXED_PANIC", op: `${this.name}::saturating_div` }, "division by zero");
    const v = this.divExact(a, b);
    if (this.inRange(v)) return v;
    return a < 0n !== b < 0n ? this.MIN : this.MAX;
  }

  /** Rust `a / b` (release): truncating, wrapped on overflow; panics on zero. */
  wrappingDiv(a: bigint, b: bigint): bigint {
    if (b === 0n) throw new YumaError({ code: "FIXED_PANIC", op: `${this.name}::div` }, "division by zero");
    return this.wrap(this.divExact(a, b));
  }

  // ---------------------------------------------------------------- rounding

  /** `floor()`: clears the fraction bits (arithmetic, so toward −∞). */
  floor(a: bigint): bigint {
    return this.wrap((a >> this.fracN) << this.fracN);
  }

  /** `round()`: nearest, ties away from zero (substrate-fixed `overflowing_round`, wrapped). */
  round(a: bigint): bigint {
    const int = (a >> this.fracN) << this.fracN; // floor
    const fracPart = a & this.fracMask;
    const half = this.ONE >> 1n;
    if (fracPart < half) return int; // MSB of the fraction clear
    // tie on a negative number: floor is already the value away from zero
    if (fracPart === half && a < 0n) return int;
    return this.wrap(int + this.ONE);
  }

  // ---------------------------------------------------------------- misc

  /** `x.max(y)` / `x.min(y)` on raw bits. */
  max(a: bigint, b: bigint): bigint {
    return a >= b ? a : b;
  }

  min(a: bigint, b: bigint): bigint {
    return a <= b ? a : b;
  }

  /** Debug rendering, e.g. 0.0999975584 — display only, never used in arithmetic. */
  toDecimalString(bits: bigint, digits = 10): string {
    const neg = bits < 0n;
    const mag = neg ? -bits : bits;
    const int = mag >> this.fracN;
    const frac = mag & this.fracMask;
    const scaled = (frac * 10n ** BigInt(digits)) >> this.fracN;
    return `${neg ? "-" : ""}${int}.${scaled.toString().padStart(digits, "0")}`;
  }
}

/** The types the epoch and the emission code use (storage bits, fraction bits, signedness). */
export const I32F32 = new FixedType("I32F32", 64, 32, true);
export const I64F64 = new FixedType("I64F64", 128, 64, true);
export const I96F32 = new FixedType("I96F32", 128, 32, true);
export const U64F64 = new FixedType("U64F64", 128, 64, false);
export const I110F18 = new FixedType("I110F18", 128, 18, true);
export const U96F32 = new FixedType("U96F32", 128, 32, false);
/** Type of the transcendental module's constants (E, LOG2_E). */
export const I9F23 = new FixedType("I9F23", 32, 23, true);
