/**
 * Exact I32F32 arithmetic on raw bits held in JS numbers.
 *
 * bigint costs ~200 ns per operation here (every result is a heap object), which puts a 256-uid
 * epoch at tens of ms. The epoch's values are small (mostly proportions in [0, 1], i.e. raw bits
 * ≤ 2^32), so their bits fit a double's 53-bit integer range exactly. These kernels are integer
 * algorithms carried out on doubles whose every intermediate is an integer < 2^53 — hence exactly
 * representable — so each result equals the bigint/Rust result bit for bit. Multiplying by a power
 * of two (2^-16, 2^-32) is exact; beyond that, the only properties of JavaScript floating point
 * relied upon are IEEE 754's correct rounding (an operation's result is within half an ulp of
 * the exact value) and two consequences of it:
 *
 *   For integers 0 ≤ x < 2^53 and 1 ≤ b < 2^53, Math.floor(x / b) = ⌊x/b⌋.
 *   (If x/b is an integer the quotient is exact. Otherwise its distance to the next integer is at
 *   least 1/b, while the rounding error of the division is at most (x/b)·2^-53 < 1/b.)
 *
 *   An integer known to within less than ½ is recovered exactly by rounding. mulPos and
 *   expSmall get the high part of a product wider than 53 bits that way (its low 32 bits come
 *   exact from Math.imul, the rest from the rounded product); divPos bounds the error of a
 *   rounded quotient and settles the rare near-integer case with an exact remainder. Each says
 *   where its bound comes from, and fast.test.ts checks them against bigints.
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
const TWO72 = 4722366482869645213696;

/** ⌊a·b / 2^32⌋ for integers 0 ≤ a, b < 2^52. */
export function mulPos(a: number, b: number): number {
  const p = a * b;
  // a product below 2^53 is exact (and one at or above it cannot round below 2^53)
  if (p < TWO53) return Math.floor(p * INV32);
  if (p < TWO72) {
    // a·b = hi·2^32 + lo with lo = (a·b) mod 2^32, which Math.imul gives exactly (ToInt32 of
    // an integer is its residue mod 2^32). p is within 2^19 of a·b (half an ulp below 2^72),
    // the subtraction rounds by at most 2^19 more, so (p − lo)·2^-32 = hi + ε with |ε| ≤ 2^-12
    // and rounding to the nearest integer gives hi exactly.
    return Math.round((p - (Math.imul(a | 0, b | 0) >>> 0)) * INV32);
  }
  return mulPosWide(a, b);
}

/** mulPos for products of 2^72 and beyond: exact partial products of 32/16-bit halves. */
function mulPosWide(a: number, b: number): number {
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
  return mulSigned(a, b);
}

/**
 * mul with a negative operand: q = ⌊|a·b| / 2^32⌋ as in mulPos, and for a negative product
 * −⌈|a·b| / 2^32⌉, i.e. −q − 1 unless the product is a multiple of 2^32 (its low 32 bits,
 * which the mulPos paths have at hand, are 0).
 */
function mulSigned(a: number, b: number): number {
  const aa = a < 0 ? -a : a;
  const bb = b < 0 ? -b : b;
  const p = aa * bb;
  let q: number;
  let exact: boolean;
  if (p < TWO53) {
    q = Math.floor(p * INV32);
    exact = q * TWO32 === p;
  } else if (p < TWO72) {
    const lo = Math.imul(aa | 0, bb | 0) >>> 0;
    q = Math.round((p - lo) * INV32);
    exact = lo === 0;
  } else {
    q = mulPosWide(aa, bb);
    exact = productIsMultipleOf2to32(aa, bb);
  }
  if (a < 0 === b < 0) return q;
  return exact ? 0 - q : -q - 1;
}

const POW2: number[] = Array.from({ length: 33 }, (_, i) => 2 ** i);
const TWO40 = 1099511627776;
/** 2^-10 */
const DIV_EPS = 0.0009765625;

/**
 * ⌊a·2^32 / b⌋ for integers a ≥ 0, b ≥ 1, a, b < 2^49, result < 2^52.
 *
 * Fast path (quotient below 2^40, b below 2^40): q = a·2^32 / b in floating point (the
 * numerator is exact, the division correctly rounded, so |q − Q| ≤ 2^-14 for the exact
 * quotient Q). When the fraction of q is at least 2^-10 away from an integer, ⌊q⌋ = ⌊Q⌋.
 * Otherwise let k be the integer nearest q: |Q − k| < 2^-9, so the remainder a·2^32 − k·b lies
 * strictly between −2^31 and 2^31 (b < 2^40), and it is ≡ −k·b (mod 2^32) because a·2^32 is a
 * multiple of 2^32: Math.imul gives it exactly, and its sign decides between k and k − 1.
 */
export function divPos(a: number, b: number): number {
  const q = (a * TWO32) / b;
  if (q < TWO40 && b < TWO40) {
    const c = Math.floor(q);
    const f = q - c; // exact (Sterbenz)
    if (f > DIV_EPS && f < 1 - DIV_EPS) return c;
    const k = f < 0.5 ? c : c + 1;
    return (-Math.imul(k | 0, b | 0) | 0) >= 0 ? k : k - 1;
  }
  return divPosLong(a, b);
}

/** divPos by long division, for quotients or divisors beyond the fast path. */
function divPosLong(a: number, b: number): number {
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
 * substrate-fixed `exp` for |x| ≤ 10 (exact there: all terms < 2^44, the result < 2^47); null
 * when |x| > 10 so the caller can use the bigint implementation. Same algorithm as
 * transcendental.exp: term_i = ⌊⌊term_{i−1}·|x| / 2^32⌋ / i⌋ (checked_div by I32F32(i) on a
 * non-negative term is ⌊term / i⌋), summed for i < 32, inverted for negative x.
 *
 * With |x| = xh·2^32 + xl: ⌊term·|x| / 2^32⌋ = term·xh + ⌊term·xl / 2^32⌋, the latter by the
 * mulPos rounding argument (term·xl < 2^76: p is within 2^23 of it, the subtraction adds at most
 * 2^23, far below the 2^31 that rounding to the nearest multiple of 2^32 tolerates). Once a term
 * is 0 every later one is 0, so the loop stops there.
 */
export function expSmall(x: number): number | null {
  if (x === 0) return ONE;
  if (x === ONE) return E_BITS;
  const neg = x < 0;
  const ax = neg ? -x : x;
  if (ax > EXP_FAST_MAX) return null;
  const xh = Math.floor(ax * INV32);
  const xl = ax - xh * TWO32;
  const xl32 = xl | 0;
  let result = ax + ONE;
  let term = ax;
  for (let i = 2; i < 32; i++) {
    const p = term * xl;
    const prod = term * xh + Math.round((p - (Math.imul(term | 0, xl32) >>> 0)) * INV32);
    term = Math.floor(prod / i);
    if (term === 0) break;
    result += term;
  }
  return neg ? divPos(ONE, result) : result;
}

/**
 * expSmall of x[0..len) into out[0..len), every |x| ≤ 10. The series of four arguments are
 * computed in one loop: each term is a multiply–round–divide chain that waits on the previous
 * term, so interleaving independent chains lets them overlap (about 3× the throughput). Lanes
 * whose terms reached 0 keep adding 0, which is what their own loop would have stopped at.
 */
export function expSmallBatch(x: Float64Array, out: Float64Array, len: number): void {
  const grouped = len - (len & 3);
  for (let q = 0; q < grouped; q += 4) series4(x, out, q);
  for (let q = 0; q < grouped; q++) {
    const v = x[q];
    if (v === 0) out[q] = ONE;
    else if (v === ONE) out[q] = E_BITS;
    else if (v < 0) out[q] = divPos(ONE, out[q]);
  }
  for (let q = grouped; q < len; q++) out[q] = expSmall(x[q]) as number;
}

/** the series Σ term_i (i < 32) on |x| for x[q..q+3] into out[q..q+3] (see expSmall) */
function series4(x: Float64Array, out: Float64Array, q: number): void {
  const a0 = Math.abs(x[q]);
  const a1 = Math.abs(x[q + 1]);
  const a2 = Math.abs(x[q + 2]);
  const a3 = Math.abs(x[q + 3]);
  const h0 = Math.floor(a0 * INV32);
  const l0 = a0 - h0 * TWO32;
  const k0 = l0 | 0;
  const h1 = Math.floor(a1 * INV32);
  const l1 = a1 - h1 * TWO32;
  const k1 = l1 | 0;
  const h2 = Math.floor(a2 * INV32);
  const l2 = a2 - h2 * TWO32;
  const k2 = l2 | 0;
  const h3 = Math.floor(a3 * INV32);
  const l3 = a3 - h3 * TWO32;
  const k3 = l3 | 0;
  let r0 = a0 + ONE;
  let r1 = a1 + ONE;
  let r2 = a2 + ONE;
  let r3 = a3 + ONE;
  let t0 = a0;
  let t1 = a1;
  let t2 = a2;
  let t3 = a3;
  for (let i = 2; i < 32; i++) {
    t0 = Math.floor((t0 * h0 + Math.round((t0 * l0 - (Math.imul(t0 | 0, k0) >>> 0)) * INV32)) / i);
    t1 = Math.floor((t1 * h1 + Math.round((t1 * l1 - (Math.imul(t1 | 0, k1) >>> 0)) * INV32)) / i);
    t2 = Math.floor((t2 * h2 + Math.round((t2 * l2 - (Math.imul(t2 | 0, k2) >>> 0)) * INV32)) / i);
    t3 = Math.floor((t3 * h3 + Math.round((t3 * l3 - (Math.imul(t3 | 0, k3) >>> 0)) * INV32)) / i);
    r0 += t0;
    r1 += t1;
    r2 += t2;
    r3 += t3;
    if (t0 + t1 + t2 + t3 === 0) break;
  }
  out[q] = r0;
  out[q + 1] = r1;
  out[q + 2] = r2;
  out[q + 3] = r3;
}

/**
 * `fixed_to_fixed_u16_proportion(I32F32(v))` = ⌊v·2^32 / 65535⌋ for a u16 v: since
 * 2^32 = 65535·65537 + 1, v·2^32 / 65535 = v·65537 + v/65535, whose floor is v·65537 plus 1
 * exactly when v = 65535. Yuma3 reads every stored bond through it.
 */
export function u16Proportion(v: number): number {
  return v * 65537 + (v === 65535 ? 1 : 0);
}
