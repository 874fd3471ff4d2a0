/**
 * Exact I32F32 arithmetic on raw bits held in JS numbers.
 *
 * bigint costs ~200 ns per operation here (every result is a heap object), which puts a 256-uid
 * epoch at tens of ms. The epoch's values are small (mostly proportions in [0, 1], i.e. raw bits
 * ≤ 2^32), so their bits fit a double's 53-bit integer range exactly. These kernels are integer
 * algorithms carried out on doubles whose every intermediate is an integer < 2^53 — hence exactly
 * representable — so each result equals the bigint/Rust result bit for bit. Multiplying by a power
 * of two (2^-16, 2^-32) is exact; beyond that, no rounding of JavaScript floating point is ever
 * relied upon except the following fact for `Math.floor(x / b)`:
 *
 *   For integers 0 ≤ x < 2^53 and 1 ≤ b < 2^53, Math.floor(x / b) = ⌊x/b⌋.
 *   (If x/b is an integer the quotient is exact. Otherwise its distance to the next integer is at
 *   least 1/b, while the rounding error of the division is at most (x/b)·2^-53 < 1/b.)
 *
 * Every kernel refuses (FastPathUnavailable) operands or results outside its proven range
 * (|bits| ≥ 2^52); the caller then runs the bigint reference epoch instead. Within range none of
 * the I32F32 saturation/overflow cases (at 2^63) can occur, so saturating, checked and safe
 * variants of Rust coincide here.
 */

export class FastPathUnavailable extends Error {
  constructor(reason: string) {
    super(`fast epoch path unavailable: ${reason}`);
    this.name = "FastPathUnavailable";
  }
}

export const TWO16 = 65536;
/** exact reciprocals: multiplying by a power of two is exact, and much cheaper than dividing */
const INV16 = 1 / 65536;
const INV32 = 1 / 4294967296;
export const TWO21 = 2097152;
export const TWO32 = 4294967296;
/** I32F32 raw bits of 1.0 */
export const ONE = TWO32;
export const HALF = TWO32 / 2;
/** results at or beyond this magnitude are refused */
export const LIMIT = 4503599627370496; // 2^52
const TWO20 = 1048576;
const TWO33 = 8589934592;
const TWO41 = 2199023255552;
const TWO49 = 562949953421312;

export function bail(reason: string): never {
  throw new FastPathUnavailable(reason);
}

const TWO53 = 9007199254740992;

/** ⌊a·b / 2^32⌋ for integers 0 ≤ a, b < 2^52 (general case: split into exact partial products). */
export function mulPos(a: number, b: number): number {
  const p = a * b;
  // a product below 2^53 is exact (and one at or above it cannot round below 2^53)
  if (p < TWO53) return Math.floor(p * INV32);
  if (a < TWO32 && b < TWO32) {
    // both operands below 1.0 (the common case): ⌊a·b / 2^32⌋ from 16-bit halves of a
    const a1 = Math.floor(a * INV16);
    const yh = Math.floor((a - a1 * TWO16) * b * INV16);
    return Math.floor((a1 * b + yh) * INV16);
  }
  if (a >= LIMIT || b >= LIMIT) bail("mul out of range");
  const ah = Math.floor(a * INV32);
  const al = a - ah * TWO32;
  const bh = Math.floor(b * INV32);
  const bl = b - bh * TWO32;
  // ⌊al·bl / 2^32⌋ with al = a1·2^16 + a0: every partial product < 2^48
  const a1 = Math.floor(al * INV16);
  const a0 = al - a1 * TWO16;
  const yh = Math.floor(a0 * bl * INV16);
  const zh = Math.floor((a1 * bl + yh) * INV16);
  // each term ≤ the result, so all partial sums are exact while the result is < 2^52
  const q = ah * bh * TWO32 + ah * bl + al * bh + zh;
  if (q >= LIMIT) bail("mul out of range");
  return q;
}

/** whether a·b (a, b ≥ 0 integers < 2^52) is a multiple of 2^32, i.e. the floor dropped nothing */
function productIsMultipleOf2to32(a: number, b: number): boolean {
  // a·b mod 2^32 = (al·bl) mod 2^32, computed from 16-bit halves of al (all partials < 2^48)
  const al = a % TWO32;
  const bl = b % TWO32;
  const a1 = Math.floor(al * INV16);
  const a0 = al - a1 * TWO16;
  const y = a0 * bl;
  const yh = Math.floor(y * INV16);
  const z = a1 * bl + yh;
  return y - yh * TWO16 === 0 && z - Math.floor(z * INV16) * TWO16 === 0;
}

/** I32F32 `saturating_mul` / `checked_mul` / `*`: the exact product floored (toward −∞). */
export function mul(a: number, b: number): number {
  if (a >= 0 && b >= 0) return mulPos(a, b);
  const negative = a < 0 !== b < 0;
  const aa = a < 0 ? -a : a;
  const bb = b < 0 ? -b : b;
  const q = mulPos(aa, bb);
  if (!negative) return q;
  // floor of a negative product: −⌈|a·b| / 2^32⌉
  return productIsMultipleOf2to32(aa, bb) ? -q : -q - 1;
}

const POW2: number[] = Array.from({ length: 33 }, (_, i) => 2 ** i);

/** ⌊a·2^32 / b⌋ for integers a ≥ 0, b ≥ 1, a, b < 2^49, result < 2^52. */
export function divPos(a: number, b: number): number {
  const q1 = Math.floor(a / b);
  if (q1 >= TWO20 || a >= TWO49) bail("div out of range");
  let r = a - q1 * b;
  if (r < TWO21) return q1 * TWO32 + Math.floor((r * TWO32) / b);
  if (b >= TWO49) bail("div out of range");
  // long division in chunks of k bits, with r·2^k < 2^53 since r < b
  const k = b < TWO33 ? 20 : b < TWO41 ? 12 : 4;
  let q = q1;
  let bits = 32;
  while (bits > 0) {
    const s = bits < k ? bits : k;
    const t = r * POW2[s];
    const d = Math.floor(t / b);
    r = t - d * b;
    q = q * POW2[s] + d;
    bits -= s;
  }
  return q;
}

/** I32F32 division `(a << 32) / b` truncated toward zero; `safe_div` semantics (0 for b = 0). */
export function div(a: number, b: number): number {
  if (b === 0) return 0;
  if (a >= 0) return b > 0 ? divPos(a, b) : -divPos(a, -b);
  return b > 0 ? -divPos(-a, b) : divPos(-a, -b);
}

/** `fixed_proportion_to_u16`: ⌊x·65535⌋ clamped to u16 (x as I32F32 bits). */
export function proportionToU16(x: number): number {
  if (x <= 0) return 0;
  if (x >= TWO33) return 65535;
  const v = Math.floor(x * 65535 * INV32); // x·65535 < 2^49: exact
  return v > 65535 ? 65535 : v;
}

/** bigint I32F32 bits → number bits, refusing values outside the exact range. */
export function fromBig(x: bigint): number {
  if (x >= BigInt(LIMIT) || x <= -BigInt(LIMIT)) bail("value out of range");
  return Number(x);
}

/** I9F23 e widened to I32F32: 0x15BF0A8 << 9 */
const E_BITS = 0x15bf0a8 * 512;
const EXP_FAST_MAX = 10 * TWO32;

/**
 * substrate-fixed `exp` for |x| ≤ 10 (exact there: all terms < 2^47); null when |x| > 10 so the
 * caller can use the bigint implementation. Same algorithm as transcendental.exp.
 */
export function expSmall(x: number): number | null {
  if (x === 0) return ONE;
  if (x === ONE) return E_BITS;
  const neg = x < 0;
  const ax = neg ? -x : x;
  if (ax > EXP_FAST_MAX) return null;
  let result = ax + ONE;
  let term = ax;
  for (let i = 2; i < 32; i++) {
    term = Math.floor(mulPos(term, ax) / i); // checked_div by I32F32(i) = ⌊term / i⌋ for term ≥ 0
    result += term;
  }
  return neg ? divPos(ONE, result) : result;
}

let proportionTable: Float64Array | null = null;

/**
 * `fixed_to_fixed_u16_proportion(I32F32(v))` = ⌊v·2^32 / 65535⌋ for every u16 v, computed once
 * with divPos (512 KiB): Yuma3 reads every stored bond through it.
 */
export function u16Proportion(v: number): number {
  if (proportionTable === null) {
    proportionTable = new Float64Array(65536);
    for (let x = 0; x < 65536; x++) proportionTable[x] = divPos(x, 65535);
  }
  return proportionTable[v];
}
