/**
 * The O(n) ends of the fast epoch: normalised stake in, storage forms out (u16 proportions,
 * max-upscaled pruning scores, RAO amounts, bond rows). Wide-type steps defer to the bigint
 * helpers when a value could leave the exact range.
 */
import { normalisedStake, raoAmounts } from "../epoch-reference.js";
import { vecMaxUpscaleToU16, type DivMode } from "../math.js";
import type { EpochInput, U16Row } from "../types.js";
import type { Csr } from "./csr.js";
import { divPos, fromBig, HALF, mulPos, proportionToU16, TWO32 } from "./fixed-num.js";

/** `is_topk` / `is_topk_nonzero` on exact numbers (same stable ascending order as on bigints). */
export function topk(stake: Float64Array, k: number, nonzero: boolean): boolean[] {
  const n = stake.length;
  const result: boolean[] = new Array(n);
  for (let i = 0; i < n; i++) result[i] = nonzero ? stake[i] !== 0 : true;
  if (n < k) return result;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => stake[a] - stake[b]);
  for (let t = 0; t < n - k; t++) result[idx[t]] = false;
  return result;
}

/**
 * Normalised stake S (§3 step 2). In Rust: I64F64(x)·2^64 / I64F64(Σ) then floored to I32F32,
 * which equals ⌊x·2^32 / Σ⌋ while Σ < 2^63 (no wrap of the I64F64 sum, no saturation of a
 * u64 above the I64F64 range); otherwise the bigint reference computes it.
 */
export function normalisedStakeFast(input: EpochInput, owner: number | null, mode: DivMode): Float64Array {
  const threshold = input.version === "classic" ? 0n : input.hyperparameters.stakeThreshold;
  const filtered = input.stake.map((s, uid) => (owner !== uid && s < threshold ? 0n : s));
  let sum = 0n;
  for (const x of filtered) sum += x;
  if (sum >= 1n << 63n) return Float64Array.from(normalisedStake(input, owner, mode), fromBig);
  return Float64Array.from(filtered, (x) => (sum === 0n ? 0 : Number((x << 32n) / sum)));
}

/** floor(I96F32(part)·rao_emission) as u64 per uid; parts are proportions (bits ≤ 2^33). */
export function raoAmountsFast(parts: Float64Array, rao: bigint): bigint[] {
  if (rao >= 1n << 40n) return raoAmounts(Array.from(parts, (p) => BigInt(p)), rao);
  const r = Number(rao);
  return Array.from(parts, (p) => (p <= 0 ? 0n : BigInt(mulPos(p, r))));
}

/**
 * `vec_max_upscale_to_u16` for proportions (max ≤ 2, so the "max > 32768" branch cannot
 * apply): round(e·65535 / max), i.e. ⌊(q + ½) ⌋ of the I32F32 quotient q.
 */
export function maxUpscaleToU16(vec: Float64Array, mode: DivMode): number[] {
  let m = 0;
  for (let i = 0; i < vec.length; i++) if (vec[i] > m) m = vec[i];
  if (vec.length > 0 && (m >= TWO32 * 2 || vec.some((e) => e < 0))) return vecMaxUpscaleToU16(Array.from(vec, (x) => BigInt(x)), mode);
  if (m === 0) return Array.from(vec, () => 0);
  return Array.from(vec, (e) => {
    const q = divPos(e * 65535, m); // e·65535 < 2^49: exact
    const r = Math.floor((q + HALF) * (1 / TWO32)); // exact: power-of-two scaling
    return r > 65535 ? 65535 : r;
  });
}

export function toRows(m: Csr): U16Row[] {
  const out: U16Row[] = new Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    const from = m.start[i];
    const row: U16Row = new Array(m.start[i + 1] - from);
    for (let p = from; p < m.start[i + 1]; p++) row[p - from] = [m.col[p], proportionToU16(m.val[p])];
    out[i] = row;
  }
  return out;
}

export function toBigArray(x: Float64Array): bigint[] {
  return Array.from(x, (v) => BigInt(v));
}

export function u16Of(x: Float64Array): number[] {
  return Array.from(x, proportionToU16);
}
