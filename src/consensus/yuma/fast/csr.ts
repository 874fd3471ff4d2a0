/**
 * Sparse matrices for the fast epoch: compressed rows (CSR) over typed arrays, rows keeping
 * Subtensor's entry order. Values are I32F32 bits as exact integers (see fixed-num.ts). Each
 * function mirrors the `math.rs` helper of the same name; see ../math.ts for the annotated
 * bigint versions they are tested against.
 *
 * Functions that produce a matrix take an optional pair of pool slots for its arrays (the epoch
 * reuses its buffers across calls); without them they allocate.
 */
import { div, mul, ONE } from "./fixed-num.js";
import { pool, type Slot } from "./pool.js";

export class Csr {
  constructor(
    readonly rows: number,
    /** row i is entries start[i] .. start[i+1]−1 */
    readonly start: Int32Array,
    readonly col: Int32Array,
    readonly val: Float64Array,
  ) {}

  get nnz(): number {
    return this.start[this.rows];
  }

  /** Same structure, new values. */
  withValues(val: Float64Array): Csr {
    return new Csr(this.rows, this.start, this.col, val);
  }
}

/** Output slots of a matrix-producing helper: [column slot, value slot]. */
export type Slots = readonly [Slot, Slot];

export function colBuffer(len: number, slot: Slot | undefined): Int32Array {
  return slot === undefined ? new Int32Array(len) : pool.i(slot, len);
}

export function valBuffer(len: number, slot: Slot | undefined): Float64Array {
  return slot === undefined ? new Float64Array(len) : pool.f(slot, len);
}

/** Row-by-row builder; capacity grows by doubling (for callers without an upper bound). */
export class CsrBuilder {
  private col: Int32Array;
  private val: Float64Array;
  private readonly start: Int32Array;
  private k = 0;
  private row = 0;

  constructor(
    private readonly rows: number,
    capacity: number,
  ) {
    this.col = new Int32Array(Math.max(capacity, 4));
    this.val = new Float64Array(Math.max(capacity, 4));
    this.start = new Int32Array(rows + 1);
  }

  push(j: number, v: number): void {
    if (this.k === this.col.length) {
      const c = new Int32Array(this.col.length * 2);
      c.set(this.col);
      this.col = c;
      const v2 = new Float64Array(this.val.length * 2);
      v2.set(this.val);
      this.val = v2;
    }
    this.col[this.k] = j;
    this.val[this.k] = v;
    this.k++;
  }

  endRow(): void {
    this.row++;
    this.start[this.row] = this.k;
  }

  build(): Csr {
    while (this.row < this.rows) this.endRow();
    return new Csr(this.rows, this.start, this.col.subarray(0, this.k), this.val.subarray(0, this.k));
  }
}

/** Column sums of the entries with j < columns (exact: sums of integers below 2^53). */
export function colSums(m: Csr, columns: number): Float64Array {
  const sums = new Float64Array(columns);
  const col = m.col;
  const val = m.val;
  for (let p = 0; p < val.length; p++) if (col[p] < columns) sums[col[p]] += val[p];
  return sums;
}

/** `inplace_col_normalize_sparse` into `out` (may be m.val itself). */
function colNormalizeInto(m: Csr, columns: number, out: Float64Array): void {
  const sums = colSums(m, columns);
  const col = m.col;
  const val = m.val;
  for (let p = 0; p < val.length; p++) {
    const d = col[p] < columns ? sums[col[p]] : 0;
    out[p] = d !== 0 ? div(val[p], d) : val[p];
  }
}

/** `inplace_col_normalize_sparse` on a private copy of the values (pooled when a slot is given). */
export function colNormalized(m: Csr, columns: number, valSlot?: Slot): Csr {
  const val = valBuffer(m.val.length, valSlot);
  colNormalizeInto(m, columns, val);
  return m.withValues(val);
}

/** `inplace_col_normalize_sparse`, in place. */
export function colNormalizeInPlace(m: Csr, columns: number): Csr {
  colNormalizeInto(m, columns, m.val);
  return m;
}

/** `inplace_col_max_upscale_sparse`, in place. */
export function colMaxUpscaleInPlace(m: Csr, columns: number): Csr {
  const max = new Float64Array(columns);
  const col = m.col;
  const val = m.val;
  for (let p = 0; p < val.length; p++) {
    const j = col[p];
    if (j < columns && max[j] < val[p]) max[j] = val[p];
  }
  for (let p = 0; p < val.length; p++) {
    const mx = col[p] < columns ? max[col[p]] : 0;
    if (mx !== 0) val[p] = div(val[p], mx);
  }
  return m;
}

/** `matmul_transpose_sparse`: r_i = Σ_j v_j·m_ij. */
export function matmulTranspose(m: Csr, v: Float64Array): Float64Array {
  const r = new Float64Array(m.rows);
  const { start, col, val } = m;
  for (let i = 0; i < m.rows; i++) r[i] = dotRow(col, val, start[i], start[i + 1], v);
  return r;
}

function dotRow(col: Int32Array, val: Float64Array, from: number, to: number, v: Float64Array): number {
  let acc = 0;
  for (let p = from; p < to; p++) {
    const j = col[p];
    acc += mul(j < v.length ? v[j] : 0, val[p]);
  }
  return acc;
}

/** `row_hadamard_sparse`: m_ij·v_i. */
export function rowHadamard(m: Csr, v: Float64Array, valSlot?: Slot): Csr {
  const val = valBuffer(m.val.length, valSlot);
  const { start, val: src } = m;
  for (let i = 0; i < m.rows; i++) {
    const scale = i < v.length ? v[i] : 0;
    for (let p = start[i]; p < start[i + 1]; p++) val[p] = mul(src[p], scale);
  }
  return m.withValues(val);
}

/**
 * One pass over the (normalised) weights for steps 7–9: `col_clip_sparse` → W̄, its row sums
 * (validator trust), and both `matmul_sparse` products — ranks Σ_i A_i·W̄_ij and the pre-clip
 * ranks Σ_i A_i·W_ij used for trust. Same values as the separate helpers (sums of exact
 * integers do not depend on their order).
 */
export function clipAndRank(
  m: Csr,
  threshold: Float64Array,
  stake: Float64Array,
  columns: number,
  slots?: Slots,
): { clipped: Csr; rowSum: Float64Array; ranks: Float64Array; preranks: Float64Array } {
  const outCol = colBuffer(m.nnz, slots?.[0]);
  const outVal = valBuffer(m.nnz, slots?.[1]);
  const outStart = new Int32Array(m.rows + 1);
  const rowSum = new Float64Array(m.rows);
  const ranks = new Float64Array(columns);
  const preranks = new Float64Array(columns);
  const { start, col, val } = m;
  let k = 0;
  for (let i = 0; i < m.rows; i++) {
    const scale = i < stake.length ? stake[i] : 0;
    k = clipRow(col, val, start[i], start[i + 1], threshold, scale, columns, ranks, preranks, outCol, outVal, k, rowSum, i);
    outStart[i + 1] = k;
  }
  return { clipped: new Csr(m.rows, outStart, outCol.subarray(0, k), outVal.subarray(0, k)), rowSum, ranks, preranks };
}

function clipRow(
  col: Int32Array,
  val: Float64Array,
  from: number,
  to: number,
  threshold: Float64Array,
  scale: number,
  columns: number,
  ranks: Float64Array,
  preranks: Float64Array,
  outCol: Int32Array,
  outVal: Float64Array,
  k: number,
  rowSum: Float64Array,
  i: number,
): number {
  let s = 0;
  for (let p = from; p < to; p++) {
    const j = col[p];
    const x = val[p];
    const th = j < threshold.length ? threshold[j] : 0;
    let kept = x;
    if (th < x) {
      if (!(th > 0)) {
        if (scale !== 0 && j < columns) preranks[j] += mul(scale, x);
        continue; // clipped away
      }
      kept = th;
    }
    outCol[k] = j;
    outVal[k++] = kept;
    s += kept;
    if (scale !== 0 && j < columns) {
      preranks[j] += mul(scale, x);
      ranks[j] += mul(scale, kept);
    }
  }
  rowSum[i] = s;
  return k;
}

/**
 * Dense scratch row reused across rows: values plus the list of touched columns, so a row can be
 * densified and read back in ascending column order without an O(n) clear.
 */
export class Scratch {
  readonly acc: Float64Array;
  readonly stamp: Int32Array;
  readonly touched: Int32Array;
  private readonly ordered: Int32Array;
  count = 0;
  private gen = 0;

  constructor(readonly n: number) {
    this.acc = new Float64Array(n);
    this.stamp = new Int32Array(n);
    this.touched = new Int32Array(n);
    this.ordered = new Int32Array(n);
  }

  reset(): void {
    this.gen++;
    this.count = 0;
  }

  /** add v to column j (j < n) */
  add(j: number, v: number): void {
    if (this.stamp[j] !== this.gen) {
      this.stamp[j] = this.gen;
      this.acc[j] = 0;
      this.touched[this.count++] = j;
    }
    this.acc[j] += v;
  }

  /** assign v to column j (last assignment wins, like a dense `row[j] = v`) */
  set(j: number, v: number): void {
    if (this.stamp[j] !== this.gen) {
      this.stamp[j] = this.gen;
      this.touched[this.count++] = j;
    }
    this.acc[j] = v;
  }

  has(j: number): boolean {
    return this.stamp[j] === this.gen;
  }

  get(j: number): number {
    return this.stamp[j] === this.gen ? this.acc[j] : 0;
  }

  /**
   * Touched columns in ascending order (the enumeration order of a densified row): a scan of
   * the stamps when the row is dense, a sort of the touched list when it is sparse.
   */
  sortedColumns(): Int32Array {
    if (this.count * 8 < this.n) return this.touched.subarray(0, this.count).sort();
    let k = 0;
    for (let j = 0; j < this.n; j++) if (this.stamp[j] === this.gen) this.ordered[k++] = j;
    return this.ordered.subarray(0, k);
  }
}

/** Whether row i of m has strictly ascending columns, all below n. */
export function rowAscending(m: Csr, i: number, n: number): boolean {
  const { start, col } = m;
  let prev = -1;
  for (let p = start[i]; p < start[i + 1]; p++) {
    const j = col[p];
    if (j <= prev) return false;
    prev = j;
  }
  return prev < n;
}

/**
 * `mat_ema_sparse`: α·new + (1−α)·old over the union of each row's entries, positive results,
 * ascending columns. Rows empty in both inputs stay empty (the dense version would emit nothing).
 * The hottest loop of the epoch: rows that are both strictly ascending (what Subtensor stores in
 * practice) are merged; other rows go through a dense accumulator.
 */
export function emaSparse(next: Csr, old: Csr, alpha: number, n: number, slots?: Slots): Csr {
  const cap = next.nnz + old.nnz;
  const outCol = colBuffer(cap, slots?.[0]);
  const outVal = valBuffer(cap, slots?.[1]);
  const outStart = new Int32Array(next.rows + 1);
  let dense: DenseRow | null = null;
  const empty = new Int32Array(0);
  let k = 0;
  for (let i = 0; i < next.rows; i++) {
    const hasOld = i < old.rows;
    const os = hasOld ? old.start[i] : 0;
    const oe = hasOld ? old.start[i + 1] : 0;
    if (rowAscending(next, i, n) && (!hasOld || rowAscending(old, i, n))) {
      k = emaMergeRow(next.col, next.val, next.start[i], next.start[i + 1], hasOld ? old.col : empty, old.val, os, oe, alpha, outCol, outVal, k);
    } else {
      dense ??= new DenseRow(n);
      k = emaDenseRow(dense, next.col, next.val, next.start[i], next.start[i + 1], old.col, old.val, os, oe, alpha, outCol, outVal, k);
    }
    outStart[i + 1] = k;
  }
  return new Csr(next.rows, outStart, outCol.subarray(0, k), outVal.subarray(0, k));
}

/** One EMA row from two strictly ascending rows: a merge, each output column once. */
export function emaMergeRow(
  nc: Int32Array,
  nv: Float64Array,
  p: number,
  pe: number,
  oc: Int32Array,
  ov: Float64Array,
  q: number,
  qe: number,
  alpha: number,
  outCol: Int32Array,
  outVal: Float64Array,
  k: number,
): number {
  const oneMinusAlpha = ONE - alpha;
  while (p < pe && q < qe) {
    const jn = nc[p];
    const jo = oc[q];
    let j: number;
    let v: number;
    if (jn < jo) {
      j = jn;
      v = mul(alpha, nv[p++]);
    } else if (jo < jn) {
      j = jo;
      v = mul(oneMinusAlpha, ov[q++]);
    } else {
      j = jn;
      v = mul(alpha, nv[p++]) + mul(oneMinusAlpha, ov[q++]);
    }
    if (v > 0) {
      outCol[k] = j;
      outVal[k++] = v;
    }
  }
  for (; p < pe; p++) {
    const v = mul(alpha, nv[p]);
    if (v > 0) {
      outCol[k] = nc[p];
      outVal[k++] = v;
    }
  }
  for (; q < qe; q++) {
    const v = mul(oneMinusAlpha, ov[q]);
    if (v > 0) {
      outCol[k] = oc[q];
      outVal[k++] = v;
    }
  }
  return k;
}

/**
 * One EMA row through a dense accumulator scanned in full (any rows: duplicates add up, output
 * ascending). For rows covering a good part of the n = acc.length columns this beats the merge,
 * whose interleaving of the two rows is a data-dependent branch; the emission here is branchless
 * (each column is written at k and k advances only when the value is kept). `acc` must be all
 * zero and is left so. outCol/outVal need one slot of room past the last kept entry.
 */
export function emaScanRow(
  acc: Float64Array,
  nc: Int32Array,
  nv: Float64Array,
  p: number,
  pe: number,
  oc: Int32Array,
  ov: Float64Array,
  q: number,
  qe: number,
  alpha: number,
  outCol: Int32Array,
  outVal: Float64Array,
  k: number,
): number {
  const n = acc.length;
  const oneMinusAlpha = ONE - alpha;
  for (; p < pe; p++) {
    const j = nc[p];
    if (j < n) acc[j] += mul(alpha, nv[p]);
  }
  for (; q < qe; q++) {
    const j = oc[q];
    if (j < n) acc[j] += mul(oneMinusAlpha, ov[q]);
  }
  for (let j = 0; j < n; j++) {
    const v = acc[j];
    outCol[k] = j;
    outVal[k] = v;
    k += +(v > 0);
    acc[j] = 0;
  }
  return k;
}

/** A dense accumulator row: values, marks and the list of touched columns. */
export class DenseRow {
  readonly acc: Float64Array;
  readonly mark: Uint8Array;
  readonly touched: Int32Array;
  constructor(readonly n: number) {
    this.acc = new Float64Array(n);
    this.mark = new Uint8Array(n);
    this.touched = new Int32Array(n);
  }
}

/** One EMA row of arbitrary (unsorted, duplicated) rows: accumulate densely, emit ascending. */
export function emaDenseRow(
  d: DenseRow,
  nc: Int32Array,
  nv: Float64Array,
  p: number,
  pe: number,
  oc: Int32Array,
  ov: Float64Array,
  q: number,
  qe: number,
  alpha: number,
  outCol: Int32Array,
  outVal: Float64Array,
  k: number,
): number {
  const { acc, mark, touched, n } = d;
  const oneMinusAlpha = ONE - alpha;
  let count = 0;
  for (; p < pe; p++) {
    const j = nc[p];
    if (j >= n) continue;
    if (mark[j] === 0) {
      mark[j] = 1;
      acc[j] = 0;
      touched[count++] = j;
    }
    acc[j] += mul(alpha, nv[p]);
  }
  for (; q < qe; q++) {
    const j = oc[q];
    if (j >= n) continue;
    if (mark[j] === 0) {
      mark[j] = 1;
      acc[j] = 0;
      touched[count++] = j;
    }
    acc[j] += mul(oneMinusAlpha, ov[q]);
  }
  if (count * 8 >= n) {
    // dense row: scan the columns in order
    for (let j = 0; j < n; j++)
      if (mark[j] !== 0) {
        mark[j] = 0;
        if (acc[j] > 0) {
          outCol[k] = j;
          outVal[k++] = acc[j];
        }
      }
  } else if (count > 0) {
    const cols = touched.subarray(0, count).sort();
    for (let t = 0; t < count; t++) {
      const j = cols[t];
      mark[j] = 0;
      if (acc[j] > 0) {
        outCol[k] = j;
        outVal[k++] = acc[j];
      }
    }
  }
  return k;
}

/**
 * `interpolate_sparse` for a ratio strictly between 0 and 1 (callers handle 0 and 1, which
 * return an input untouched): A + r·(B − A) per cell, positive results, ascending columns.
 */
export function interpolate(m1: Csr, m2: Csr, columns: number, ratio: number, slots?: Slots): Csr {
  const s1 = new Scratch(columns);
  const s2 = new Scratch(columns);
  const union = new Scratch(columns);
  const cap = m1.nnz + m2.nnz;
  const outCol = colBuffer(cap, slots?.[0]);
  const outVal = valBuffer(cap, slots?.[1]);
  const outStart = new Int32Array(m1.rows + 1);
  let k = 0;
  for (let i = 0; i < m1.rows; i++) {
    s1.reset();
    s2.reset();
    union.reset();
    for (let p = m1.start[i]; p < m1.start[i + 1]; p++)
      if (m1.col[p] < columns) {
        s1.set(m1.col[p], m1.val[p]);
        union.set(m1.col[p], 0);
      }
    for (let p = m2.start[i]; p < m2.start[i + 1]; p++)
      if (m2.col[p] < columns) {
        s2.set(m2.col[p], m2.val[p]);
        union.set(m2.col[p], 0);
      }
    // cells outside the union are 0 + r·0 = 0 and are not emitted
    const cols = union.sortedColumns();
    for (let t = 0; t < cols.length; t++) {
      const j = cols[t];
      const v1 = s1.get(j);
      const v = v1 + mul(ratio, s2.get(j) - v1);
      if (v > 0) {
        outCol[k] = j;
        outVal[k++] = v;
      }
    }
    outStart[i + 1] = k;
  }
  return new Csr(m1.rows, outStart, outCol.subarray(0, k), outVal.subarray(0, k));
}
