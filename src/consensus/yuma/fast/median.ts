/**
 * `weighted_median_col_sparse` on exact-integer numbers (see ../math.ts weightedMedianColSparse
 * for the annotated reference). Per column, the scores of the positive-stake rows are laid out
 * in a scratch vector (absent entries vote 0) and the mid-pivot partition search runs with three
 * rotating index buffers, so no allocation happens per column.
 *
 * Each phase is its own small function: V8 then optimises each with complete type feedback
 * instead of on-stack-replacing one long function mid-loop (which deoptimised repeatedly).
 */
import type { Csr } from "./csr.js";
import { div } from "./fixed-num.js";

export function weightedMedianCol(stake: Float64Array, score: Csr, columns: number, majority: number): Float64Array {
  const rowK = positiveRows(stake);
  const useStake = renormalised(stake, rowK);
  const v = useStake.length;
  let stakeSum = 0;
  for (let k = 0; k < v; k++) stakeSum += useStake[k];
  const median = new Float64Array(columns);
  if (v === 0) return median;
  const byColumn = transposeRows(score, rowK, columns, Math.min(stake.length, score.rows));
  mediansByColumn(byColumn, useStake, columns, stakeSum - majority, stakeSum, median);
  return median;
}

/** index k of each positive-stake row among them, −1 for the others */
function positiveRows(stake: Float64Array): Int32Array {
  const rowK = new Int32Array(stake.length).fill(-1);
  let v = 0;
  for (let i = 0; i < stake.length; i++) if (stake[i] > 0) rowK[i] = v++;
  return rowK;
}

/** the positive stakes, normalised (`inplace_normalize` of `use_stake`) */
function renormalised(stake: Float64Array, rowK: Int32Array): Float64Array {
  let v = 0;
  let total = 0;
  for (let i = 0; i < stake.length; i++)
    if (rowK[i] >= 0) {
      v++;
      total += stake[i];
    }
  const out = new Float64Array(v);
  for (let i = 0; i < stake.length; i++) if (rowK[i] >= 0) out[rowK[i]] = div(stake[i], total);
  return out;
}

interface ByColumn {
  /** entries of column c are start[c] .. start[c+1]−1 */
  start: Int32Array;
  k: Int32Array;
  val: Float64Array;
}

/**
 * The entries of positive-stake rows grouped by column (a counting sort that keeps row order, so
 * a later duplicate (c, k) overwrites an earlier one, as the Rust assignment loop does).
 */
function transposeRows(score: Csr, rowK: Int32Array, columns: number, rows: number): ByColumn {
  const start = new Int32Array(columns + 1);
  for (let i = 0; i < rows; i++) {
    if (rowK[i] < 0) continue;
    for (let p = score.start[i]; p < score.start[i + 1]; p++) if (score.col[p] < columns) start[score.col[p] + 1]++;
  }
  for (let c = 0; c < columns; c++) start[c + 1] += start[c];
  const total = start[columns];
  const k = new Int32Array(total);
  const val = new Float64Array(total);
  const fill = start.slice(0, columns);
  for (let i = 0; i < rows; i++) {
    const ki = rowK[i];
    if (ki < 0) continue;
    for (let p = score.start[i]; p < score.start[i + 1]; p++) {
      const c = score.col[p];
      if (c < columns) {
        const at = fill[c]++;
        k[at] = ki;
        val[at] = score.val[p];
      }
    }
  }
  return { start, k, val };
}

function mediansByColumn(t: ByColumn, stake: Float64Array, columns: number, minority: number, stakeSum: number, out: Float64Array): void {
  const v = stake.length;
  const scores = new Float64Array(v);
  const b0 = new Int32Array(v);
  const b1 = new Int32Array(v);
  const b2 = new Int32Array(v);
  for (let c = 0; c < columns; c++) {
    const from = t.start[c];
    const to = t.start[c + 1];
    if (from === to) continue; // every row votes 0: the median is 0
    for (let p = from; p < to; p++) scores[t.k[p]] = t.val[p];
    out[c] = weightedMedian(stake, scores, v, minority, stakeSum, b0, b1, b2);
    for (let p = from; p < to; p++) scores[t.k[p]] = 0;
  }
}

/** `weighted_median` over indices 0..len−1 (see ../math.ts). */
function weightedMedian(
  stake: Float64Array,
  score: Float64Array,
  len0: number,
  minority: number,
  stakeSum: number,
  b0: Int32Array,
  b1: Int32Array,
  b2: Int32Array,
): number {
  let cur = b0;
  let lower = b1;
  let upper = b2;
  for (let i = 0; i < len0; i++) cur[i] = i;
  let len = len0;
  let lo = 0;
  let hi = stakeSum;
  for (let iter = 0; iter <= len0; iter++) {
    if (len === 0) return 0;
    if (len === 1) return score[cur[0]];
    const pivot = score[cur[len >> 1]];
    let loStake = 0;
    let hiStake = 0;
    let nl = 0;
    let nu = 0;
    for (let t = 0; t < len; t++) {
      const idx = cur[t];
      const s = score[idx];
      if (s < pivot) {
        loStake += stake[idx];
        lower[nl++] = idx;
      } else if (s > pivot) {
        hiStake += stake[idx];
        upper[nu++] = idx;
      }
    }
    if (minority < lo + loStake && nl > 0) {
      hi = lo + loStake;
      const free = cur;
      cur = lower;
      lower = free;
      len = nl;
    } else if (hi - hiStake <= minority && nu > 0) {
      lo = hi - hiStake;
      const free = cur;
      cur = upper;
      upper = free;
      len = nu;
    } else {
      return pivot;
    }
  }
  return 0; // the Rust safety limit (unreachable: every round shrinks the partition)
}
