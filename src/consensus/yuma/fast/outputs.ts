/**
 * The O(n) ends of the fast epoch: normalised stake in, storage forms out (u16 proportions,
 * max-upscaled pruning scores, RAO amounts, bond rows). Wide-type steps defer to the bigint
 * helpers when a value could leave the exact range.
 */
import { normalisedStakeOf, raoAmounts } from "../epoch-reference.js";
import { vecMaxUpscaleToU16, type DivMode } from "../math.js";
import type { FlatRows } from "../types.js";
import type { Csr } from "./csr.js";
import { divPos, fromBig, HALF, mulPos, proportionToU16, TWO32 } from "./fixed-num.js";

const TWO16 = 65536;

/**
 * `is_topk` / `is_topk_nonzero` on exact numbers: all but the n−k smallest, in Rust's stable
 * ascending order (ties by uid). Stakes are proportions (bits ≤ 2^32), so stake·2^16 + uid is an
 * exact key (< 2^49) whose numeric order is that order: one typed-array sort, no comparator.
 */
export function topk(stake: Float64Array, k: number, nonzero: boolean): Uint8Array {
  const n = stake.length;
  const result = new Uint8Array(n);
  for (let i = 0; i < n; i++) result[i] = nonzero ? (stake[i] !== 0 ? 1 : 0) : 1;
  if (n < k) return result;
  let packable = true;
  for (let i = 0; i < n; i++) if (!(stake[i] >= 0 && stake[i] <= TWO32 * 2)) packable = false;
  if (packable) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = stake[i] * TWO16 + i;
    keys.sort();
    for (let t = 0; t < n - k; t++) result[keys[t] % TWO16] = 0;
  } else {
    const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => stake[a] - stake[b]);
    for (let t = 0; t < n - k; t++) result[idx[t]] = 0;
  }
  return result;
}

/**
 * Normalised stake S (§3 step 2). In Rust: I64F64(x)·2^64 / I64F64(Σ) then floored to I32F32,
 * which equals ⌊x·2^32 / Σ⌋ while Σ < 2^63 (no wrap of the I64F64 sum, no saturation of a
 * u64 above the I64F64 range); otherwise the bigint reference computes it.
 */
export function normalisedStakeFast(stake: ArrayLike<bigint>, threshold: bigint, owner: number | null, mode: DivMode): Float64Array {
  const n = stake.length;
  const filtered: bigint[] = new Array(n);
  let sum = 0n;
  for (let uid = 0; uid < n; uid++) {
    const s = stake[uid];
    const v = owner !== uid && s < threshold ? 0n : s;
    filtered[uid] = v;
    sum += v;
  }
  const out = new Float64Array(n);
  if (sum >= 1n << 63n) {
    const ref = normalisedStakeOf(stake, threshold, owner, mode);
    for (let i = 0; i < n; i++) out[i] = fromBig(ref[i]);
    return out;
  }
  if (sum === 0n) return out;
  if (sum < 1n << 49n) {
    // every x ≤ Σ < 2^49, quotient ≤ 2^32: divPos's exact range
    const s = Number(sum);
    for (let i = 0; i < n; i++) out[i] = divPos(Number(filtered[i]), s);
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = filtered[i] === 0n ? 0 : Number((filtered[i] << 32n) / sum);
  return out;
}

/** floor(I96F32(part)·rao_emission) as u64 per uid; parts are proportions (bits ≤ 2^33). */
export function raoAmountsFast(parts: Float64Array, rao: bigint): BigUint64Array {
  const out = new BigUint64Array(parts.length);
  if (rao >= 1n << 40n) {
    const big = raoAmounts(Array.from(parts, (p) => BigInt(p)), rao);
    for (let i = 0; i < big.length; i++) out[i] = big[i];
    return out;
  }
  const r = Number(rao);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p > 0) out[i] = BigInt(mulPos(p, r));
  }
  return out;
}

/**
 * `vec_max_upscale_to_u16` for proportions (max ≤ 2, so the "max > 32768" branch cannot
 * apply): round(e·65535 / max), i.e. ⌊(q + ½) ⌋ of the I32F32 quotient q.
 */
export function maxUpscaleToU16(vec: Float64Array, mode: DivMode): Uint16Array {
  let m = 0;
  let negative = false;
  for (let i = 0; i < vec.length; i++) {
    if (vec[i] > m) m = vec[i];
    if (vec[i] < 0) negative = true;
  }
  if (vec.length > 0 && (m >= TWO32 * 2 || negative)) return Uint16Array.from(vecMaxUpscaleToU16(Array.from(vec, (x) => BigInt(x)), mode));
  const out = new Uint16Array(vec.length);
  if (m === 0) return out;
  for (let i = 0; i < vec.length; i++) {
    const q = divPos(vec[i] * 65535, m); // e·65535 < 2^49: exact
    const r = Math.floor((q + HALF) * (1 / TWO32)); // exact: power-of-two scaling
    out[i] = r > 65535 ? 65535 : r;
  }
  return out;
}

export function u16Of(x: Float64Array): Uint16Array {
  const out = new Uint16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = proportionToU16(x[i]);
  return out;
}

/**
 * The stored Bonds rows after the epoch: uids with a new permit get their EMA row (as u16
 * proportions); uids that had a permit get an empty row; the others keep their stored row
 * (classic) or get an empty one (current: the epoch terms rewrite every row).
 */
export function bondRows(ema: Csr, newPermits: Uint8Array, oldPermits: Uint8Array, stored: FlatRows, keepOthers: boolean): FlatRows {
  const n = newPermits.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (newPermits[i] !== 0) total += ema.start[i + 1] - ema.start[i];
    else if (oldPermits[i] === 0 && keepOthers) total += stored.start[i + 1] - stored.start[i];
  }
  const start = new Uint32Array(n + 1);
  const col = new Uint16Array(total);
  const val = new Uint16Array(total);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (newPermits[i] !== 0) k = emaRowToU16(ema.col, ema.val, ema.start[i], ema.start[i + 1], col, val, k);
    else if (oldPermits[i] === 0 && keepOthers) k = copyRow(stored.col, stored.val, stored.start[i], stored.start[i + 1], col, val, k);
    start[i + 1] = k;
  }
  return { start, col, val };
}

function emaRowToU16(ec: Int32Array, ev: Float64Array, from: number, to: number, col: Uint16Array, val: Uint16Array, k: number): number {
  for (let p = from; p < to; p++) {
    col[k] = ec[p];
    val[k++] = proportionToU16(ev[p]);
  }
  return k;
}

function copyRow(sc: Uint16Array, sv: Uint16Array, from: number, to: number, col: Uint16Array, val: Uint16Array, k: number): number {
  for (let p = from; p < to; p++) {
    col[k] = sc[p];
    val[k++] = sv[p];
  }
  return k;
}
