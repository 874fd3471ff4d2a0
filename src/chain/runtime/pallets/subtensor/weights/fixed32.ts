/**
 * The little I32F32 arithmetic that weight setting needs (Subtensor's math.rs at de1026780:
 * `vec_u16_max_upscale_to_u16`, `vec_max_upscale_to_u16`, `check_vec_max_limited`,
 * `inplace_normalize`), on raw bits held in bigints: value = bits / 2^32.
 *
 * substrate-fixed semantics reproduced:
 *  - `saturating_mul`: exact product shifted right by 32 (floor), clamped to the i64 range;
 *  - `saturating_div`: `(a << 32) / b` truncated toward zero, clamped;
 *  - `round()`: nearest integer, ties away from zero;
 *  - `to_num::<u16>()`: drops the fraction (floor) — results here never exceed u16::MAX;
 *  - `Iterator::sum()`: wrapping `+` (runtime release build).
 * Weights are u16 and non-negative, so floor and truncation agree everywhere below.
 */

export const FRAC = 32n;
export const ONE = 1n << FRAC;
const MIN = -(1n << 63n);
const MAX = (1n << 63n) - 1n;
const U16_MAX = 65_535;

const clamp = (v: bigint): bigint => (v < MIN ? MIN : v > MAX ? MAX : v);

/** `I32F32::from_num(int)`. */
export const fromInt = (n: number | bigint): bigint => clamp(BigInt(n) << FRAC);

export function saturatingMul(a: bigint, b: bigint): bigint {
  const v = (a * b) >> FRAC;
  if (v >= MIN && v <= MAX) return v;
  return a < 0n !== b < 0n ? MIN : MAX;
}

/** Callers never divide by zero (Rust would panic). */
export function saturatingDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError("I32F32 division by zero");
  return clamp((a << FRAC) / b);
}

/** `round()`: ties away from zero. */
export function round(a: bigint): bigint {
  const half = ONE >> 1n;
  return a >= 0n ? ((a + half) >> FRAC) << FRAC : -(((-a + half) >> FRAC) << FRAC);
}

/** `to_num::<u16>()`: integer part, wrapped to 16 bits as a release build does on overflow. */
export const toU16 = (a: bigint): number => Number(BigInt.asUintN(16, a >> FRAC));

/** `Iterator::sum()` over I32F32 values: wrapping addition. */
export function sum(values: readonly bigint[]): bigint {
  let s = 0n;
  for (const v of values) s += v;
  return BigInt.asIntN(64, s);
}

/** `inplace_normalize`: divide by the sum unless it is zero. */
export function normalize(values: readonly bigint[]): bigint[] {
  const s = sum(values);
  if (s === 0n) return [...values];
  return values.map((v) => saturatingDiv(v, s));
}

const maxOf = (values: readonly bigint[]): bigint | undefined => values.reduce<bigint | undefined>((m, v) => (m === undefined || v > m ? v : m), undefined);

/**
 * `vec_max_upscale_to_u16`: scale so that the largest element becomes u16::MAX. Above 32768 the
 * factor 65535/max is computed first (e × 65535 would overflow I32F32), otherwise e × 65535 / max;
 * both rounded to the nearest integer.
 */
export function vecMaxUpscaleToU16(values: readonly bigint[]): number[] {
  const u16Max = fromInt(U16_MAX);
  const threshold = fromInt(32_768);
  const max = maxOf(values);
  if (max === undefined) return [];
  if (max === 0n) return values.map((e) => toU16(saturatingMul(e, u16Max)));
  if (max > threshold) {
    const factor = saturatingDiv(u16Max, max);
    return values.map((e) => toU16(round(saturatingMul(e, factor))));
  }
  return values.map((e) => toU16(round(saturatingDiv(saturatingMul(e, u16Max), max))));
}

/** `vec_u16_max_upscale_to_u16`: the u16 weights as I32F32, max-upscaled. */
export function vecU16MaxUpscaleToU16(values: readonly number[]): number[] {
  return vecMaxUpscaleToU16(values.map(fromInt));
}

/**
 * `check_vec_max_limited`: after normalizing to sum 1, the largest element must not exceed
 * `maxLimit / 65535` (both as I32F32). An empty vector passes.
 */
export function checkVecMaxLimited(values: readonly number[], maxLimit: number): boolean {
  const limit = saturatingDiv(fromInt(maxLimit), fromInt(U16_MAX));
  const max = maxOf(normalize(values.map(fromInt)));
  return max === undefined || max <= limit;
}
