/**
 * Vector / sparse-matrix helpers of Subtensor's `epoch/math.rs`, on I32F32 bits (bigint).
 *
 * This is the reference implementation: each function follows the Rust one step by step (same
 * iteration order, same saturating/checked operation at each step), so it can be audited against
 * the source. The optimised epoch (`fast/`) is tested against these.
 *
 * `DivMode` captures the one systematic difference between the two Subtensor versions we model:
 * current code divides with `safe_div` (0 on /0 or overflow), classic (2024) code with
 * `saturating_div` (saturate on overflow; every call site guards against /0).
 */
import { I32F32, I64F64 } from "./fixed.js";

export type Fx = bigint;
export type SparseRow = Array<[number, Fx]>;
export type SparseMatrix = SparseRow[];
export type DivMode = "safe" | "saturating";

const T = I32F32;
const ZERO = 0n;
const ONE = T.ONE;
const U16_MAX = T.fromInt(65535);

export function div(mode: DivMode, a: Fx, b: Fx): Fx {
  return mode === "safe" ? T.safeDiv(a, b) : T.saturatingDiv(a, b);
}

// ------------------------------------------------------------------ conversions

/** `fixed_proportion_to_u16`: floor(x·65535), saturating. */
export function fixedProportionToU16(x: Fx): number {
  return T.toU16(T.saturatingMul(x, U16_MAX));
}

/** `u16_proportion_to_fixed`: x / 65535 (truncated). */
export function u16ProportionToFixed(x: number): Fx {
  return T.safeDiv(T.fromInt(x), U16_MAX);
}

/** `fixed_to_fixed_u16_proportion`: x / 65535 (truncated). */
export function fixedToFixedU16Proportion(x: Fx): Fx {
  return T.safeDiv(x, U16_MAX);
}

/** `fixed64_to_fixed32`: I64F64 → I32F32 dropping 32 fraction bits (floor), saturating. */
export function fixed64ToFixed32(x: bigint): Fx {
  return T.fromFixed(I64F64, x);
}

/**
 * `vec_max_upscale_to_u16`: scale so that the max becomes 65535, rounding to nearest. The order
 * of mul/div depends on the max (to avoid overflow of e·65535 for large values).
 */
export function vecMaxUpscaleToU16(vec: readonly Fx[], mode: DivMode = "safe"): number[] {
  if (vec.length === 0) return [];
  let m = vec[0];
  for (const v of vec) if (v > m) m = v;
  if (m === ZERO) return vec.map((e) => T.toU16(T.saturatingMul(e, U16_MAX)));
  if (m > T.fromInt(32768)) {
    const factor = div(mode, U16_MAX, m);
    return vec.map((e) => T.toU16(T.round(T.saturatingMul(e, factor))));
  }
  return vec.map((e) => T.toU16(T.round(div(mode, T.saturatingMul(e, U16_MAX), m))));
}

/** `vec_u16_max_upscale_to_u16`: what `set_weights` stores for submitted u16 values. */
export function vecU16MaxUpscaleToU16(vec: readonly number[]): number[] {
  return vecMaxUpscaleToU16(vec.map((e) => T.fromInt(e)));
}

/** `check_vec_max_limited`: normalised max ≤ max_limit/65535. */
export function checkVecMaxLimited(vec: readonly number[], maxLimit: number): boolean {
  const limit = T.safeDiv(T.fromInt(maxLimit), U16_MAX);
  const fixed = vec.map((e) => T.fromInt(e));
  inplaceNormalize(fixed);
  if (fixed.length === 0) return true;
  let m = fixed[0];
  for (const v of fixed) if (v > m) m = v;
  return m <= limit;
}

// ------------------------------------------------------------------ vectors

/** `Iterator::sum()` (wrapping adds). */
export function sum(x: readonly Fx[]): Fx {
  return T.sum(x);
}

export function isZero(x: readonly Fx[]): boolean {
  return sum(x) === ZERO;
}

function stableAscendingIndices(vector: readonly Fx[]): number[] {
  const idxs = vector.map((_, i) => i);
  // Array.prototype.sort is stable (ES2019), as Rust's sort_by_key
  idxs.sort((a, b) => (vector[a] < vector[b] ? -1 : vector[a] > vector[b] ? 1 : 0));
  return idxs;
}

/** `is_topk` (classic permits): everyone if n < k, else all but the n−k smallest (stable). */
export function isTopk(vector: readonly Fx[], k: number): boolean[] {
  const n = vector.length;
  const result = new Array<boolean>(n).fill(true);
  if (n < k) return result;
  const idxs = stableAscendingIndices(vector);
  for (let t = 0; t < n - k; t++) result[idxs[t]] = false;
  return result;
}

/** `is_topk_nonzero` (current permits): like is_topk but zero entries never get a permit. */
export function isTopkNonzero(vector: readonly Fx[], k: number): boolean[] {
  const n = vector.length;
  const result = vector.map((v) => v !== ZERO);
  if (n < k) return result;
  const idxs = stableAscendingIndices(vector);
  for (let t = 0; t < n - k; t++) result[idxs[t]] = false;
  return result;
}

/** `inplace_normalize`: x / Σx, skipped when Σx == 0. */
export function inplaceNormalize(x: Fx[], mode: DivMode = "safe"): void {
  const s = sum(x);
  if (s === ZERO) return;
  for (let i = 0; i < x.length; i++) x[i] = div(mode, x[i], s);
}

export function inplaceNormalizeUsingSum(x: Fx[], s: Fx, mode: DivMode = "safe"): void {
  if (s === ZERO) return;
  for (let i = 0; i < x.length; i++) x[i] = div(mode, x[i], s);
}

/** `inplace_normalize_64`: the I64F64 variant used for stake. */
export function inplaceNormalize64(x: bigint[], mode: DivMode = "safe"): void {
  const s = I64F64.sum(x);
  if (s === 0n) return;
  for (let i = 0; i < x.length; i++) x[i] = mode === "safe" ? I64F64.safeDiv(x[i], s) : I64F64.saturatingDiv(x[i], s);
}

/** `vecdiv`: x_i / y_i, 0 where y_i == 0. */
export function vecdiv(x: readonly Fx[], y: readonly Fx[], mode: DivMode = "safe"): Fx[] {
  return x.map((xi, i) => {
    const yi = i < y.length ? y[i] : ZERO;
    if (mode === "saturating") return yi !== ZERO ? T.saturatingDiv(xi, yi) : ZERO;
    return T.safeDiv(xi, yi);
  });
}

/** `inplace_mask_vector`: mask=true zeroes the entry (missing mask entries count as true). */
export function inplaceMaskVector(mask: readonly boolean[], vector: Fx[]): void {
  if (mask.length === 0) return;
  for (let i = 0; i < vector.length; i++) if (i >= mask.length || mask[i]) vector[i] = ZERO;
}

/** `vec_mul`: element-wise checked product, 0 on overflow. */
export function vecMul(a: readonly Fx[], b: readonly Fx[]): Fx[] {
  const n = Math.min(a.length, b.length);
  const out: Fx[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = T.checkedMul(a[i], b[i]) ?? ZERO;
  return out;
}

/** `clamp_value`: min(high) then max(low). */
export function clampValue(value: Fx, low: Fx, high: Fx): Fx {
  const v = value < high ? value : high;
  return v > low ? v : low;
}

// ------------------------------------------------------------------ sparse matrices: shape

/** `mask_rows_sparse`: rows with mask=true become empty. */
export function maskRowsSparse(mask: readonly boolean[], m: SparseMatrix): SparseMatrix {
  return m.map((row, i) => (i >= mask.length || mask[i] ? [] : row.slice()));
}

/** `mask_diag_sparse`: drop (i,i). */
export function maskDiagSparse(m: SparseMatrix): SparseMatrix {
  return m.map((row, i) => row.filter(([j]) => j !== i));
}

/** `mask_diag_sparse_except_index`: drop (i,i) except (k,k). */
export function maskDiagSparseExceptIndex(m: SparseMatrix, except: number): SparseMatrix {
  return m.map((row, i) => row.filter(([j]) => j !== i || (i === except && j === except)));
}

/** `vec_mask_sparse_matrix`: drop (i,j) where fn(first[i], second[j]) (missing entries read 0). */
export function vecMaskSparseMatrix(
  m: SparseMatrix,
  first: readonly bigint[],
  second: readonly bigint[],
  fn: (a: bigint, b: bigint) => boolean,
): SparseMatrix {
  return m.map((row, i) => {
    const fv = i < first.length ? first[i] : 0n;
    return row.filter(([j]) => !fn(fv, j < second.length ? second[j] : 0n));
  });
}

/** `scalar_vec_mask_sparse_matrix`: drop (i,j) where fn(scalar, vector[j]). */
export function scalarVecMaskSparseMatrix(
  m: SparseMatrix,
  scalar: bigint,
  vector: readonly bigint[],
  fn: (a: bigint, b: bigint) => boolean,
): SparseMatrix {
  return m.map((row) => row.filter(([j]) => !fn(scalar, j < vector.length ? vector[j] : 0n)));
}

// ------------------------------------------------------------------ sparse matrices: sums/norms

/** `row_sum_sparse` (Iterator::sum, wrapping). */
export function rowSumSparse(m: SparseMatrix): Fx[] {
  return m.map((row) => {
    let s = 0n;
    for (const [, v] of row) s += v;
    return T.wrap(s);
  });
}

/** `inplace_row_normalize_sparse`: rows with sum > 0 divided by their sum. */
export function inplaceRowNormalizeSparse(m: SparseMatrix, mode: DivMode = "safe"): void {
  for (const row of m) {
    let s = 0n;
    for (const [, v] of row) s += v;
    s = T.wrap(s);
    if (s > ZERO) for (const e of row) e[1] = div(mode, e[1], s);
  }
}

/** `inplace_col_normalize_sparse`: saturating column sums; columns with sum != 0 normalised. */
export function inplaceColNormalizeSparse(m: SparseMatrix, columns: number, mode: DivMode = "safe"): void {
  const colSum: Fx[] = new Array(columns).fill(ZERO);
  for (const row of m) for (const [j, v] of row) if (j < columns) colSum[j] = T.saturatingAdd(colSum[j], v);
  for (const row of m)
    for (const e of row) {
      const d = e[0] < columns ? colSum[e[0]] : ZERO;
      if (d !== ZERO) e[1] = div(mode, e[1], d);
    }
}

/** `inplace_col_max_upscale_sparse`: each entry divided by its column max (when != 0). */
export function inplaceColMaxUpscaleSparse(m: SparseMatrix, columns: number, mode: DivMode = "safe"): void {
  const colMax: Fx[] = new Array(columns).fill(ZERO);
  for (const row of m) for (const [j, v] of row) if (j < columns && colMax[j] < v) colMax[j] = v;
  for (const row of m)
    for (const e of row) {
      const mx = e[0] < columns ? colMax[e[0]] : ZERO;
      if (mx !== ZERO) e[1] = div(mode, e[1], mx);
    }
}

// ------------------------------------------------------------------ sparse matrices: products

/** `row_hadamard_sparse`: m_ij · v_i. */
export function rowHadamardSparse(m: SparseMatrix, v: readonly Fx[]): SparseMatrix {
  const out: SparseMatrix = [];
  for (let i = 0; i < m.length && i < v.length; i++) out.push(m[i].map(([j, x]) => [j, T.saturatingMul(x, v[i])]));
  return out;
}

/** `matmul_sparse`: r_j = Σ_i v_i · m_ij (each product floored, saturating adds). */
export function matmulSparse(m: SparseMatrix, v: readonly Fx[], columns: number): Fx[] {
  const r: Fx[] = new Array(columns).fill(ZERO);
  for (let i = 0; i < m.length; i++) {
    const scale = i < v.length ? v[i] : ZERO;
    for (const [j, x] of m[i]) if (j < columns) r[j] = T.saturatingAdd(r[j], T.saturatingMul(scale, x));
  }
  return r;
}

/** `matmul_transpose_sparse`: r_i = Σ_j v_j · m_ij. */
export function matmulTransposeSparse(m: SparseMatrix, v: readonly Fx[]): Fx[] {
  return m.map((row) => {
    let acc = ZERO;
    for (const [j, x] of row) acc = T.saturatingAdd(acc, T.saturatingMul(j < v.length ? v[j] : ZERO, x));
    return acc;
  });
}

/** `mat_vec_mul_sparse`: m_ij · v_j, zero products dropped. */
export function matVecMulSparse(m: SparseMatrix, v: readonly Fx[]): SparseMatrix {
  return m.map((row) => {
    const out: SparseRow = [];
    for (const [j, x] of row) {
      if (j >= v.length) continue;
      const p = T.saturatingMul(x, v[j]);
      if (p !== ZERO) out.push([j, p]);
    }
    return out;
  });
}

/** `col_clip_sparse`: entries above C_j become C_j, or are removed when C_j <= 0. */
export function colClipSparse(m: SparseMatrix, threshold: readonly Fx[]): SparseMatrix {
  return m.map((row) => {
    const out: SparseRow = [];
    for (const [j, x] of row) {
      const th = j < threshold.length ? threshold[j] : ZERO;
      if (th < x) {
        if (th > ZERO) out.push([j, th]);
      } else out.push([j, x]);
    }
    return out;
  });
}

/**
 * `interpolate_sparse`: A + ratio·(B − A). ratio exactly 0 / 1 returns A / B untouched (zero
 * entries included); otherwise each row is densified and only positive results are kept.
 */
export function interpolateSparse(m1: SparseMatrix, m2: SparseMatrix, columns: number, ratio: Fx): SparseMatrix {
  if (ratio === ZERO) return m1.map((r) => r.map(([j, v]) => [j, v] as [number, Fx]));
  if (ratio === ONE) return m2.map((r) => r.map(([j, v]) => [j, v] as [number, Fx]));
  if (m1.length !== m2.length) return m2.map((r) => r.map(([j, v]) => [j, v] as [number, Fx]));
  return m1.map((r1, i) => {
    const row1: Fx[] = new Array(columns).fill(ZERO);
    const row2: Fx[] = new Array(columns).fill(ZERO);
    for (const [j, v] of r1) if (j < columns) row1[j] = v;
    for (const [j, v] of m2[i]) if (j < columns) row2[j] = v;
    const out: SparseRow = [];
    for (let j = 0; j < columns; j++) {
      const interp = T.saturatingAdd(row1[j], T.saturatingMul(ratio, T.saturatingSub(row2[j], row1[j])));
      if (interp > ZERO) out.push([j, interp]);
    }
    return out;
  });
}

// ------------------------------------------------------------------ weighted median

/**
 * `weighted_median`: deterministic mid-pivot partition search for the stake-weighted
 * κ-quantile. Scores equal to the pivot go to neither side.
 */
export function weightedMedian(
  stake: readonly Fx[],
  score: readonly Fx[],
  partitionIdx: readonly number[],
  minority: Fx,
  partitionLo: Fx,
  partitionHi: Fx,
): Fx {
  if (stake.length !== score.length) return ZERO;
  let current = partitionIdx.slice();
  let lo = partitionLo;
  let hi = partitionHi;
  const limit = partitionIdx.length;
  let iterations = 0;
  const at = (v: readonly Fx[], i: number): Fx => (i < v.length ? v[i] : ZERO);
  for (;;) {
    const n = current.length;
    if (n === 0) return ZERO;
    if (n === 1) return at(score, current[0]);
    const pivot = at(score, current[n >> 1]);
    let loStake = ZERO;
    let hiStake = ZERO;
    const lower: number[] = [];
    const upper: number[] = [];
    for (const idx of current) {
      const s = at(score, idx);
      if (s === pivot) continue;
      if (s < pivot) {
        loStake = T.saturatingAdd(loStake, at(stake, idx));
        lower.push(idx);
      } else {
        hiStake = T.saturatingAdd(hiStake, at(stake, idx));
        upper.push(idx);
      }
    }
    if (minority < T.saturatingAdd(lo, loStake) && lower.length > 0) {
      current = lower;
      hi = T.saturatingAdd(lo, loStake);
    } else if (T.saturatingSub(hi, hiStake) <= minority && upper.length > 0) {
      current = upper;
      lo = T.saturatingSub(hi, hiStake);
    } else {
      return pivot;
    }
    iterations++;
    if (iterations > limit) return ZERO; // safety limit of the Rust loop (never reached)
  }
}

/**
 * `weighted_median_col_sparse`: consensus per column over the rows with positive stake (stake
 * renormalised over those rows); a row without an entry for a column votes 0.
 */
export function weightedMedianColSparse(
  stake: readonly Fx[],
  score: SparseMatrix,
  columns: number,
  majority: Fx,
  mode: DivMode = "safe",
): Fx[] {
  const useStake = stake.filter((s) => s > ZERO);
  inplaceNormalize(useStake, mode);
  const stakeSum = sum(useStake);
  const minority = T.saturatingSub(stakeSum, majority);
  const idx = useStake.map((_, i) => i);
  const useScore: Fx[][] = [];
  for (let c = 0; c < columns; c++) useScore.push(new Array(useStake.length).fill(ZERO));
  let k = 0;
  for (let i = 0; i < stake.length && i < score.length; i++) {
    if (stake[i] > ZERO) {
      for (const [c, v] of score[i]) if (c < columns) useScore[c][k] = v;
      k++;
    }
  }
  return useScore.map((col) => weightedMedian(useStake, col, idx, minority, ZERO, stakeSum));
}

// ------------------------------------------------------------------ EMA

/** `mat_ema_sparse`: α·new + (1−α)·old over the union of entries, positive results, j ascending. */
export function matEmaSparse(next: SparseMatrix, old: SparseMatrix, alpha: Fx): SparseMatrix {
  const n = next.length;
  if (n === 0) return [];
  const oneMinusAlpha = T.saturatingSub(ONE, alpha);
  return next.map((newRow, i) => {
    const acc: Fx[] = new Array(n).fill(ZERO);
    for (const [j, v] of newRow) if (j < n) acc[j] = T.saturatingAdd(acc[j], T.saturatingMul(alpha, v));
    if (i < old.length)
      for (const [j, v] of old[i]) if (j < n) acc[j] = T.saturatingAdd(acc[j], T.saturatingMul(oneMinusAlpha, v));
    const out: SparseRow = [];
    for (let j = 0; j < n; j++) if (acc[j] > ZERO) out.push([j, acc[j]]);
    return out;
  });
}

/**
 * `mat_ema_alpha_sparse` (current, Yuma3 liquid alpha): per-entry alpha. Only entries present in
 * the `new` row are emitted, in that row's order, value min(1, (1−α)·old + max(0, α·new)), kept
 * when > 0. A bond whose weight entry is absent is therefore dropped.
 */
export function matEmaAlphaSparse(next: SparseMatrix, old: SparseMatrix, alpha: readonly (readonly Fx[])[]): SparseMatrix {
  if (next.length !== old.length || next.length !== alpha.length) return next.map((r) => r.slice());
  return next.map((newRow, i) => {
    const alphaRow = alpha[i];
    const decayed: Fx[] = new Array(alphaRow.length).fill(ZERO);
    for (const [j, v] of old[i]) if (j < alphaRow.length) decayed[j] = T.saturatingMul(T.saturatingSub(ONE, alphaRow[j]), v);
    const out: SparseRow = [];
    for (const [j, v] of newRow) {
      if (j >= alphaRow.length) continue;
      const inc = T.max(T.saturatingMul(alphaRow[j], v), ZERO);
      const val = T.min(T.saturatingAdd(decayed[j], inc), ONE);
      if (val > ZERO) out.push([j, val]);
    }
    return out;
  });
}

/**
 * `mat_ema_alpha_vec_sparse` (classic liquid alpha): per-column alpha; new entries are assigned
 * α_j·new, then (1−α_j)·old is added; positive results, j ascending.
 */
export function matEmaAlphaVecSparse(next: SparseMatrix, old: SparseMatrix, alpha: readonly Fx[]): SparseMatrix {
  const n = next.length;
  return next.map((newRow, i) => {
    const row: Fx[] = new Array(n).fill(ZERO);
    for (const [j, v] of newRow) {
      const a = j < alpha.length ? alpha[j] : ZERO;
      if (j < n) row[j] = T.saturatingMul(a, v);
    }
    for (const [j, v] of old[i]) {
      const a = j < alpha.length ? alpha[j] : ZERO;
      if (j < n) row[j] = T.saturatingAdd(row[j], T.saturatingMul(T.saturatingSub(ONE, a), v));
    }
    const out: SparseRow = [];
    for (let j = 0; j < n; j++) if (row[j] > ZERO) out.push([j, row[j]]);
    return out;
  });
}

/**
 * Classic `quantile(data, q)` for q = quarters/4 (0.25 → 1, 0.75 → 3). The Rust code computes the
 * position in f64; for q a multiple of 1/4 and len < 2^50 that position and its fraction are
 * exact, so we reproduce them with integers: pos = quarters·(len−1)/4.
 */
export function quantileQuarters(data: readonly Fx[], quarters: 1 | 2 | 3): Fx {
  const sorted = data.slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const len = sorted.length;
  if (len === 0) return ZERO;
  const num = quarters * (len - 1);
  const low = Math.floor(num / 4);
  const rem = num % 4;
  if (rem === 0) return sorted[low];
  const high = low + 1;
  const weight = BigInt(rem) << 30n; // rem/4 in I32F32 (exact)
  const lowV = sorted[low];
  const highV = sorted[high];
  return T.saturatingAdd(lowV, T.saturatingMul(T.saturatingSub(highV, lowV), weight));
}
