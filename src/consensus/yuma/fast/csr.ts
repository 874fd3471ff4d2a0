/**
 * Sparse matrices for the fast epoch: compressed rows (CSR) over typed arrays, rows keeping
 * Subtensor's entry order. Values are I32F32 bits as exact integers (see fixed-num.ts). Each
 * function mirrors the `math.rs` helper of the same name; see ../math.ts for the annotated
 * bigint versions they are tested against.
 */
import { div, mul, ONE } from "./fixed-num.js";

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

/** Row-by-row builder; capacity grows by doubling. */
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

/** `inplace_col_normalize_sparse` on a private copy of the values. */
export function colNormalized(m: Csr, columns: number): Csr {
  const sums = new Float64Array(columns);
  const val = m.val.slice();
  for (let p = 0; p < val.length; p++) if (m.col[p] < columns) sums[m.col[p]] += val[p];
  for (let p = 0; p < val.length; p++) {
    const d = m.col[p] < columns ? sums[m.col[p]] : 0;
    if (d !== 0) val[p] = div(val[p], d);
  }
  return m.withValues(val);
}

/** `inplace_col_max_upscale_sparse` on a private copy of the values. */
export function colMaxUpscaled(m: Csr, columns: number): Csr {
  const max = new Float64Array(columns);
  const val = m.val.slice();
  for (let p = 0; p < val.length; p++) {
    const j = m.col[p];
    if (j < columns && max[j] < val[p]) max[j] = val[p];
  }
  for (let p = 0; p < val.length; p++) {
    const mx = m.col[p] < columns ? max[m.col[p]] : 0;
    if (mx !== 0) val[p] = div(val[p], mx);
  }
  return m.withValues(val);
}

/**
 * `matmul_transpose_sparse` of the column-normalised matrix, without materialising it:
 * r_i = Σ_j v_j·(m_ij / colsum_j) — the Yuma3 dividends' `mat_vec_mul` + `row_sum` on the
 * normalised EMA bonds (whose zero products the Rust code drops change no sum).
 */
export function colNormalizedMatmulTranspose(m: Csr, v: Float64Array, columns: number): Float64Array {
  const sums = new Float64Array(columns);
  for (let p = 0; p < m.val.length; p++) if (m.col[p] < columns) sums[m.col[p]] += m.val[p];
  const r = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let acc = 0;
    for (let p = m.start[i]; p < m.start[i + 1]; p++) {
      const j = m.col[p];
      const d = j < columns ? sums[j] : 0;
      const x = d !== 0 ? div(m.val[p], d) : m.val[p];
      acc += mul(x, j < v.length ? v[j] : 0);
    }
    r[i] = acc;
  }
  return r;
}

/** `matmul_transpose_sparse`: r_i = Σ_j v_j·m_ij. */
export function matmulTranspose(m: Csr, v: Float64Array): Float64Array {
  const r = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let acc = 0;
    for (let p = m.start[i]; p < m.start[i + 1]; p++) {
      const j = m.col[p];
      acc += mul(j < v.length ? v[j] : 0, m.val[p]);
    }
    r[i] = acc;
  }
  return r;
}

/** `row_hadamard_sparse`: m_ij·v_i. */
export function rowHadamard(m: Csr, v: Float64Array): Csr {
  const val = new Float64Array(m.val.length);
  for (let i = 0; i < m.rows; i++) {
    const scale = v[i];
    for (let p = m.start[i]; p < m.start[i + 1]; p++) val[p] = mul(m.val[p], scale);
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
): { clipped: Csr; rowSum: Float64Array; ranks: Float64Array; preranks: Float64Array } {
  const b = new CsrBuilder(m.rows, m.nnz);
  const rowSum = new Float64Array(m.rows);
  const ranks = new Float64Array(columns);
  const preranks = new Float64Array(columns);
  for (let i = 0; i < m.rows; i++) {
    const scale = i < stake.length ? stake[i] : 0;
    let s = 0;
    for (let p = m.start[i]; p < m.start[i + 1]; p++) {
      const j = m.col[p];
      const x = m.val[p];
      const th = j < threshold.length ? threshold[j] : 0;
      let kept = x;
      if (th < x) {
        if (!(th > 0)) {
          if (scale !== 0 && j < columns) preranks[j] += mul(scale, x);
          continue; // clipped away
        }
        kept = th;
      }
      b.push(j, kept);
      s += kept;
      if (scale !== 0 && j < columns) {
        preranks[j] += mul(scale, x);
        ranks[j] += mul(scale, kept);
      }
    }
    rowSum[i] = s;
    b.endRow();
  }
  return { clipped: b.build(), rowSum, ranks, preranks };
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

/**
 * `mat_ema_sparse`: α·new + (1−α)·old over the union of each row's entries, positive results,
 * ascending columns. Rows empty in both inputs stay empty (the dense version would emit nothing).
 * The hottest loop of the epoch, so the dense accumulator is inlined rather than a Scratch.
 */
export function emaSparse(next: Csr, old: Csr, alpha: number, n: number): Csr {
  const oneMinusAlpha = ONE - alpha;
  const acc = new Float64Array(n);
  const mark = new Uint8Array(n);
  const touched = new Int32Array(n);
  const b = new CsrBuilder(next.rows, next.nnz + old.nnz);
  for (let i = 0; i < next.rows; i++) {
    let count = 0;
    for (let p = next.start[i]; p < next.start[i + 1]; p++) {
      const j = next.col[p];
      if (j >= n) continue;
      if (mark[j] === 0) {
        mark[j] = 1;
        acc[j] = 0;
        touched[count++] = j;
      }
      acc[j] += mul(alpha, next.val[p]);
    }
    if (i < old.rows)
      for (let p = old.start[i]; p < old.start[i + 1]; p++) {
        const j = old.col[p];
        if (j >= n) continue;
        if (mark[j] === 0) {
          mark[j] = 1;
          acc[j] = 0;
          touched[count++] = j;
        }
        acc[j] += mul(oneMinusAlpha, old.val[p]);
      }
    if (count * 8 >= n) {
      // dense row: scan the columns in order
      for (let j = 0; j < n; j++)
        if (mark[j] !== 0) {
          mark[j] = 0;
          if (acc[j] > 0) b.push(j, acc[j]);
        }
    } else if (count > 0) {
      const cols = touched.subarray(0, count).sort();
      for (let t = 0; t < count; t++) {
        const j = cols[t];
        mark[j] = 0;
        if (acc[j] > 0) b.push(j, acc[j]);
      }
    }
    b.endRow();
  }
  return b.build();
}

/**
 * `interpolate_sparse` for a ratio strictly between 0 and 1 (callers handle 0 and 1, which
 * return an input untouched): A + r·(B − A) per cell, positive results, ascending columns.
 */
export function interpolate(m1: Csr, m2: Csr, columns: number, ratio: number): Csr {
  const s1 = new Scratch(columns);
  const s2 = new Scratch(columns);
  const union = new Scratch(columns);
  const b = new CsrBuilder(m1.rows, m1.nnz + m2.nnz);
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
      if (v > 0) b.push(j, v);
    }
    b.endRow();
  }
  return b.build();
}
