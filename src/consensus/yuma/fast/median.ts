/**
 * `weighted_median_col_sparse` on exact-integer numbers (see ../math.ts weightedMedianColSparse
 * for the annotated reference): per column, the stake-weighted κ-quantile of the scores of the
 * positive-stake rows (a row without an entry votes 0).
 *
 * What the Rust search returns does not depend on its pivots. It keeps a set C of indices whose
 * scores fill a value interval, with lo = the stake of the scores below that interval and
 * hi = lo + stake(C). With F(p) = stake of the scores < p and G(p) = stake of the scores ≤ p
 * (over all rows), a pivot p taken from C gives lo + L = F(p) and hi − U = G(p), so each round
 * goes to the values below p when minority < F(p), to those above p when G(p) ≤ minority, and
 * otherwise returns p (also when the side to go to is empty). Let u_1 < … < u_r be the distinct
 * scores and t* the least t with G(u_t) > minority (t* = r + 1 if none). By induction on the
 * rounds, each round keeps clamp(t*, α, β) unchanged for the index range [α, β] of C's values —
 * a pivot u_τ with t* < τ moves below (or, at τ = α, returns u_α = the clamp), with t* > τ moves
 * above (or, at τ = β, returns u_β), with t* = τ returns u_τ — and the search ends returning
 * u at that index. So the result is u_min(t*, r): the least score whose G exceeds the minority,
 * or the largest score if none does. This holds for any choice of pivots within C (and for zero
 * stakes: only the monotonicity of G is used), and all sums involved are exact integers below
 * 2^53, so the search below may pick its pivots as it likes: the median of the first, middle and
 * last candidates, which takes about a fifth fewer comparisons than the middle one.
 *
 * Scores are laid out per column (a dense columns × v matrix when the rows are mostly full, else
 * the entries grouped by column and spread into a scratch vector one column at a time).
 */
import type { Csr } from "./csr.js";
import { div } from "./fixed-num.js";
import { pool, Slot } from "./pool.js";

export function weightedMedianCol(stake: Float64Array, score: Csr, columns: number, majority: number): Float64Array {
  const rowK = positiveRows(stake);
  const useStake = renormalised(stake, rowK);
  const v = useStake.length;
  let stakeSum = 0;
  for (let k = 0; k < v; k++) stakeSum += useStake[k];
  const median = new Float64Array(columns);
  if (v === 0) return median;
  const rows = Math.min(stake.length, score.rows);
  let entries = 0;
  for (let i = 0; i < rows; i++) if (rowK[i] >= 0) entries += score.start[i + 1] - score.start[i];
  const minority = stakeSum - majority;
  const search = new QuantileSearch(useStake, minority, stakeSum);
  if (entries * 2 >= columns * v) {
    // mostly dense: lay the scores out as a columns × v matrix (absent entries vote 0)
    const dense = pool.f(Slot.ByColVal, columns * v).fill(0);
    transposeDense(score, rowK, rows, v, columns, dense);
    for (let c = 0; c < columns; c++) median[c] = search.run(dense, c * v);
  } else {
    const byColumn = transposeRows(score, rowK, columns, rows);
    mediansByColumn(byColumn, search, columns, median);
  }
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

/** rows per block of the dense transposition: one cache line of doubles */
const BLOCK = 8;

/**
 * Scores into the column-major dense[c·v + k] (a later duplicate overwrites, as the Rust
 * assignment loop does). Blocks of 8 strictly ascending rows are merged column by column, so
 * each cache line of the matrix is written once rather than by 8 scattered writes.
 */
function transposeDense(score: Csr, rowK: Int32Array, rows: number, v: number, columns: number, dense: Float64Array): void {
  const rowOfK = new Int32Array(v);
  for (let i = 0; i < rows; i++) if (rowK[i] >= 0) rowOfK[rowK[i]] = i;
  const cursor = new Int32Array(BLOCK);
  const end = new Int32Array(BLOCK);
  const { start, col, val } = score;
  for (let k0 = 0; k0 < v; k0 += BLOCK) {
    const size = Math.min(BLOCK, v - k0);
    let ascending = true;
    for (let r = 0; r < size; r++) {
      const i = rowOfK[k0 + r];
      cursor[r] = start[i];
      end[r] = start[i + 1];
      if (!strictlyAscending(col, start[i], start[i + 1])) ascending = false;
    }
    if (ascending) mergeBlock(col, val, cursor, end, size, columns, v, k0, dense);
    else for (let r = 0; r < size; r++) scatterRow(col, val, cursor[r], end[r], columns, v, k0 + r, dense);
  }
}

function strictlyAscending(col: Int32Array, from: number, to: number): boolean {
  for (let p = from + 1; p < to; p++) if (col[p] <= col[p - 1]) return false;
  return true;
}

function mergeBlock(
  col: Int32Array,
  val: Float64Array,
  cursor: Int32Array,
  end: Int32Array,
  size: number,
  columns: number,
  v: number,
  k0: number,
  dense: Float64Array,
): void {
  for (let c = 0; c < columns; c++) {
    const base = c * v + k0;
    for (let r = 0; r < size; r++) {
      const p = cursor[r];
      if (p < end[r] && col[p] === c) {
        dense[base + r] = val[p];
        cursor[r] = p + 1;
      }
    }
  }
}

/** row k's entries into dense[c·v + k] */
function scatterRow(col: Int32Array, val: Float64Array, from: number, to: number, columns: number, v: number, k: number, dense: Float64Array): void {
  for (let p = from; p < to; p++) {
    const c = col[p];
    if (c < columns) dense[c * v + k] = val[p];
  }
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
  const { start: rs, col, val: sv } = score;
  for (let i = 0; i < rows; i++) if (rowK[i] >= 0) countRow(col, rs[i], rs[i + 1], columns, start);
  for (let c = 0; c < columns; c++) start[c + 1] += start[c];
  const total = start[columns];
  const k = pool.i(Slot.ByColK, total);
  const val = pool.f(Slot.ByColVal, total);
  const fill = start.slice(0, columns);
  for (let i = 0; i < rows; i++) if (rowK[i] >= 0) placeRow(col, sv, rs[i], rs[i + 1], columns, rowK[i], fill, k, val);
  return { start, k, val };
}

function countRow(col: Int32Array, from: number, to: number, columns: number, counts: Int32Array): void {
  for (let p = from; p < to; p++) if (col[p] < columns) counts[col[p] + 1]++;
}

function placeRow(col: Int32Array, sv: Float64Array, from: number, to: number, columns: number, ki: number, fill: Int32Array, k: Int32Array, val: Float64Array): void {
  for (let p = from; p < to; p++) {
    const c = col[p];
    if (c < columns) {
      const at = fill[c]++;
      k[at] = ki;
      val[at] = sv[p];
    }
  }
}

function mediansByColumn(t: ByColumn, search: QuantileSearch, columns: number, out: Float64Array): void {
  const scores = new Float64Array(search.stake.length);
  const { start, k, val } = t;
  for (let c = 0; c < columns; c++) {
    const from = start[c];
    const to = start[c + 1];
    if (from === to) continue; // every row votes 0: the median is 0
    for (let p = from; p < to; p++) scores[k[p]] = val[p];
    out[c] = search.run(scores, 0);
    for (let p = from; p < to; p++) scores[k[p]] = 0;
  }
}

/**
 * The quantile search over the v = stake.length scores score[base..base+v), with its index
 * buffers. Each round's partition is its own function, so that V8 sees its three arrays as
 * fixed for the loop (the caller swaps them between rounds).
 */
class QuantileSearch {
  private readonly b0: Int32Array;
  private readonly b1: Int32Array;
  private readonly b2: Int32Array;
  /** a partition's result: [count below, count above, stake below, stake above] */
  private readonly res = new Float64Array(4);

  constructor(
    readonly stake: Float64Array,
    private readonly minority: number,
    private readonly stakeSum: number,
  ) {
    const v = stake.length;
    this.b0 = new Int32Array(v);
    this.b1 = new Int32Array(v);
    this.b2 = new Int32Array(v);
  }

  run(score: Float64Array, base: number): number {
    const { stake, minority, res } = this;
    const v = stake.length;
    if (v === 1) return score[base];
    let cur = this.b0;
    let lower = this.b1;
    let upper = this.b2;
    // first round over all rows, indices implicit
    let pivot = median3(score[base], score[base + (v >> 1)], score[base + v - 1]);
    partitionAll(score, base, stake, v, pivot, lower, upper, res);
    let lo = 0;
    let hi = this.stakeSum;
    for (let round = 0; round < v; round++) {
      const nl = res[0];
      const nu = res[1];
      let len: number;
      if (minority < lo + res[2] && nl > 0) {
        hi = lo + res[2];
        const free = cur;
        cur = lower;
        lower = free;
        len = nl;
      } else if (hi - res[3] <= minority && nu > 0) {
        lo = hi - res[3];
        const free = cur;
        cur = upper;
        upper = free;
        len = nu;
      } else {
        return pivot;
      }
      if (len === 1) return score[base + cur[0]];
      pivot = median3(score[base + cur[0]], score[base + cur[len >> 1]], score[base + cur[len - 1]]);
      partition(score, base, stake, cur, len, pivot, lower, upper, res);
    }
    return 0; // unreachable: every round leaves out at least the pivot's own index
  }
}

/**
 * One round: the indices below / above the pivot into lower / upper, in order, and their stakes.
 * Each index is written to both buffers and only the matching count advances, with the
 * comparisons as 0/1 numbers, so the loop has no data-dependent branch (random scores would
 * mispredict half of them); stakes are integers below 2^33 and multiplying one by 0 or 1 is
 * exact.
 */
function partition(
  score: Float64Array,
  base: number,
  stake: Float64Array,
  cur: Int32Array,
  len: number,
  pivot: number,
  lower: Int32Array,
  upper: Int32Array,
  res: Float64Array,
): void {
  let loStake = 0;
  let hiStake = 0;
  let nl = 0;
  let nu = 0;
  for (let t = 0; t < len; t++) {
    const idx = cur[t];
    const s = score[base + idx];
    const st = stake[idx];
    const isLo = +(s < pivot);
    const isHi = +(s > pivot);
    lower[nl] = idx;
    upper[nu] = idx;
    nl += isLo;
    nu += isHi;
    loStake += st * isLo;
    hiStake += st * isHi;
  }
  res[0] = nl;
  res[1] = nu;
  res[2] = loStake;
  res[3] = hiStake;
}

/** partition of all v indices (the identity order) */
function partitionAll(
  score: Float64Array,
  base: number,
  stake: Float64Array,
  v: number,
  pivot: number,
  lower: Int32Array,
  upper: Int32Array,
  res: Float64Array,
): void {
  let loStake = 0;
  let hiStake = 0;
  let nl = 0;
  let nu = 0;
  for (let t = 0; t < v; t++) {
    const s = score[base + t];
    const st = stake[t];
    const isLo = +(s < pivot);
    const isHi = +(s > pivot);
    lower[nl] = t;
    upper[nu] = t;
    nl += isLo;
    nu += isHi;
    loStake += st * isLo;
    hiStake += st * isHi;
  }
  res[0] = nl;
  res[1] = nu;
  res[2] = loStake;
  res[3] = hiStake;
}

function median3(a: number, b: number, c: number): number {
  return a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
}
