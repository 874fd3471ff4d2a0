/**
 * Steps 7–11 of the current epoch with Yuma3 bonds, one validator row at a time: clip the row
 * (`col_clip_sparse`, its row sum = validator trust, its contributions to ranks and pre-clip
 * ranks), form the row of weights for bonds (`interpolate_sparse` with the bonds penalty), read
 * the row's stored bonds (mask + `u16_proportion_to_fixed`), and emit its EMA bond row
 * (`mat_ema_sparse`, or liquid alpha's `mat_ema_alpha_sparse`) together with the EMA column sums
 * the dividends need. Same values as the math.ts helpers (rows.test.ts compares them on random
 * matrices), without materialising the clipped, interpolated and bond matrices: each row's
 * intermediates live in small buffers that stay in cache.
 *
 * An EMA row is the same whichever way it is formed: α·w + (1−α)·b summed per column over the
 * union of the row's entries, positive sums kept in ascending column order. Rows covering at
 * least half the columns are accumulated densely and scanned (no unpredictable branches); sparser
 * rows are merged when both are strictly ascending (as stored rows are in practice), else
 * accumulated with a touched-column list (csr.ts).
 */
import type { FlatRows } from "../types.js";
import { colBuffer, Csr, DenseRow, emaDenseRow, emaMergeRow, emaScanRow, Scratch, valBuffer, type Slots } from "./csr.js";
import { divPos, mul, ONE, proportionToU16, u16Proportion } from "./fixed-num.js";
import { LiquidCursor, liquidCursorRow, liquidMergeRow, type SigmoidAlpha } from "./liquid.js";

export interface Yuma3Bonds {
  /** stored bond rows; entry (i, j) is dropped when rowKey <= colKey[j] (registered since the last tempo) */
  rows: FlatRows;
  rowKey: number;
  colKey: Float64Array;
}

export interface Yuma3Result {
  /** EMA bonds (rows of every uid; pooled arrays) */
  ema: Csr;
  /** column sums of `ema` */
  emaColSum: Float64Array;
  /** row sums of the clipped weights */
  validatorTrust: Float64Array;
  /** Σ_i stake_i·W̄_ij and Σ_i stake_i·W_ij */
  ranks: Float64Array;
  preranks: Float64Array;
}

/**
 * @param w normalised weights (columns < n)
 * @param ratio bonds penalty as I32F32 bits in [0, 1]
 * @param sigmoid liquid alpha (null: the fixed EMA `alpha`)
 */
export function yuma3Rows(
  w: Csr,
  consensus: Float64Array,
  stake: Float64Array,
  ratio: number,
  bonds: Yuma3Bonds,
  alpha: number,
  sigmoid: SigmoidAlpha | null,
  slots: Slots,
): Yuma3Result {
  const n = consensus.length;
  const rows = w.rows;
  const { start: ws, col: wc, val: wv } = w;
  const { start: bs, col: bcIn, val: bvIn } = bonds.rows;
  let maxW = 0;
  let maxB = 0;
  for (let i = 0; i < rows; i++) {
    if (ws[i + 1] - ws[i] > maxW) maxW = ws[i + 1] - ws[i];
    if (bs[i + 1] - bs[i] > maxB) maxB = bs[i + 1] - bs[i];
  }
  // per-row buffers: clipped row, interpolated row, bond row
  const cCol = new Int32Array(maxW);
  const cVal = new Float64Array(maxW);
  const interpolating = ratio !== 0 && ratio !== ONE;
  const iCol = new Int32Array(interpolating ? maxW : 0);
  const iVal = new Float64Array(interpolating ? maxW : 0);
  const bCol = new Int32Array(maxB);
  const bVal = new Float64Array(maxB);
  let interpScratch: InterpScratch | null = null;
  let dense: DenseRow | null = null;
  let cursor: LiquidCursor | null = null;

  // (one extra slot: emaScanRow writes one entry past the last one it keeps)
  const cap = (sigmoid === null ? w.nnz + bs[rows] : w.nnz) + 1;
  const scanAcc = new Float64Array(sigmoid === null ? n : 0);
  const outCol = colBuffer(cap, slots[0]);
  const outVal = valBuffer(cap, slots[1]);
  const outStart = new Int32Array(rows + 1);
  const emaColSum = new Float64Array(n);
  const validatorTrust = new Float64Array(rows);
  const ranks = new Float64Array(n);
  const preranks = new Float64Array(n);
  const fusable = sigmoid === null && !interpolating;
  let k = 0;
  for (let i = 0; i < rows; i++) {
    const from = ws[i];
    const to = ws[i + 1];
    const scale = i < stake.length ? stake[i] : 0;
    if (fusable && (to - from + bs[i + 1] - bs[i]) * 2 >= n) {
      // the common case in one pass: clip, accumulate, scan (see yuma3ScanRow)
      k = yuma3ScanRow(wc, wv, from, to, consensus, scale, ranks, preranks, validatorTrust, i, ratio === ONE, alpha, bcIn, bvIn, bs[i], bs[i + 1], bonds.rowKey, bonds.colKey, scanAcc, outCol, outVal, k, emaColSum);
      outStart[i + 1] = k;
      continue;
    }
    const cLen = clipRowInto(wc, wv, from, to, consensus, scale, n, ranks, preranks, cCol, cVal, validatorTrust, i);
    const wAscending = ascending(wc, from, to, n);
    // weights for bonds: clipped (penalty 1), raw (penalty 0), or interpolated (ascending)
    let nc: Int32Array = cCol;
    let nv: Float64Array = cVal;
    let p0 = 0;
    let p1 = cLen;
    if (ratio === 0) {
      nc = wc;
      nv = wv;
      p0 = from;
      p1 = to;
    } else if (interpolating) {
      nc = iCol;
      nv = iVal;
      if (wAscending) p1 = interpolateSortedRow(wc, wv, from, to, cCol, cVal, cLen, ratio, iCol, iVal);
      else {
        interpScratch ??= new InterpScratch(n);
        p1 = interpolateScratchRow(interpScratch, wc, wv, from, to, cCol, cVal, cLen, ratio, iCol, iVal);
      }
    }
    const nAscending = interpolating || wAscending;
    const bLen = loadBondRow(bcIn, bvIn, bs[i], bs[i + 1], n, bonds.rowKey, bonds.colKey, bCol, bVal);
    const bAscending = ascending(bCol, 0, bLen, n);
    const k0 = k;
    if (sigmoid === null) {
      if ((p1 - p0 + bLen) * 2 >= n) k = emaScanRow(scanAcc, nc, nv, p0, p1, bCol, bVal, 0, bLen, alpha, outCol, outVal, k);
      else if (nAscending && bAscending) k = emaMergeRow(nc, nv, p0, p1, bCol, bVal, 0, bLen, alpha, outCol, outVal, k);
      else {
        dense ??= new DenseRow(n);
        k = emaDenseRow(dense, nc, nv, p0, p1, bCol, bVal, 0, bLen, alpha, outCol, outVal, k);
      }
    } else if (p0 !== p1) {
      if (nAscending && bAscending) k = liquidMergeRow(nc, nv, p0, p1, bCol, bVal, 0, bLen, consensus, sigmoid, outCol, outVal, k);
      else {
        cursor ??= new LiquidCursor(n);
        k = liquidCursorRow(cursor, nc, nv, p0, p1, bCol, bVal, 0, bLen, consensus, sigmoid, outCol, outVal, k);
      }
    }
    addColSums(outCol, outVal, k0, k, emaColSum);
    outStart[i + 1] = k;
  }
  const ema = new Csr(rows, outStart, outCol.subarray(0, k), outVal.subarray(0, k));
  return { ema, emaColSum, validatorTrust, ranks, preranks };
}

/**
 * One row of the fixed-alpha EMA with the bonds penalty 0 or 1, for rows covering at least half
 * the columns: clipRowInto, loadBondRow and emaScanRow fused, the weights for bonds (the clipped
 * entries, or all entries) and the masked bonds accumulated straight into the dense row
 * (duplicates add up, as in `mat_ema_sparse`), which is then scanned in column order; its column
 * sums are added on the way (a column not kept adds 0: every term is non-negative).
 */
function yuma3ScanRow(
  wc: Int32Array,
  wv: Float64Array,
  from: number,
  to: number,
  threshold: Float64Array,
  scale: number,
  ranks: Float64Array,
  preranks: Float64Array,
  rowSum: Float64Array,
  i: number,
  clippedForBonds: boolean,
  alpha: number,
  bcIn: Uint16Array,
  bvIn: Uint16Array,
  bFrom: number,
  bTo: number,
  rowKey: number,
  colKey: Float64Array,
  acc: Float64Array,
  outCol: Int32Array,
  outVal: Float64Array,
  k: number,
  colSum: Float64Array,
): number {
  const n = acc.length;
  const weighted = scale !== 0;
  let s = 0;
  for (let p = from; p < to; p++) {
    const j = wc[p];
    const x = wv[p];
    const th = threshold[j];
    const kept = th < x ? th : x;
    if (!(kept > 0) && th < x) {
      // clipped away (consensus <= 0)
      if (weighted) preranks[j] += mul(scale, x);
      if (!clippedForBonds) acc[j] += mul(alpha, x);
      continue;
    }
    s += kept;
    if (weighted) {
      preranks[j] += mul(scale, x);
      ranks[j] += mul(scale, kept);
    }
    acc[j] += mul(alpha, clippedForBonds ? kept : x);
  }
  rowSum[i] = s;
  const oneMinusAlpha = ONE - alpha;
  for (let q = bFrom; q < bTo; q++) {
    const j = bcIn[q];
    if (j >= n || rowKey <= colKey[j]) continue;
    acc[j] += mul(oneMinusAlpha, u16Proportion(bvIn[q]));
  }
  for (let j = 0; j < n; j++) {
    const v = acc[j];
    outCol[k] = j;
    outVal[k] = v;
    colSum[j] += v;
    k += +(v > 0);
    acc[j] = 0;
  }
  return k;
}

/** whether col[from..to) is strictly ascending with every column < n */
function ascending(col: Int32Array, from: number, to: number, n: number): boolean {
  let prev = -1;
  for (let p = from; p < to; p++) {
    const j = col[p];
    if (j <= prev) return false;
    prev = j;
  }
  return prev < n;
}

/**
 * `col_clip_sparse` of one row into cCol/cVal (entries above C_j become C_j, or go when
 * C_j <= 0), its sum into rowSum[i], and stake·W̄ / stake·W into ranks / preranks.
 */
function clipRowInto(
  col: Int32Array,
  val: Float64Array,
  from: number,
  to: number,
  threshold: Float64Array,
  scale: number,
  columns: number,
  ranks: Float64Array,
  preranks: Float64Array,
  cCol: Int32Array,
  cVal: Float64Array,
  rowSum: Float64Array,
  i: number,
): number {
  let s = 0;
  let len = 0;
  const weighted = scale !== 0;
  for (let p = from; p < to; p++) {
    const j = col[p];
    const x = val[p];
    const th = j < threshold.length ? threshold[j] : 0;
    // about half the entries of a column lie above its consensus, so "clip or keep" is
    // computed without a branch; only the rare removal (consensus <= 0) branches
    const kept = th < x ? th : x;
    if (!(kept > 0) && th < x) {
      if (weighted && j < columns) preranks[j] += mul(scale, x);
      continue; // clipped away
    }
    cCol[len] = j;
    cVal[len++] = kept;
    s += kept;
    if (weighted && j < columns) {
      preranks[j] += mul(scale, x);
      ranks[j] += mul(scale, kept);
    }
  }
  rowSum[i] = s;
  return len;
}

/**
 * `interpolate_sparse` of one strictly ascending weight row and its clipped row (a subsequence
 * of it): x + r·(c − x) per weight entry, c the clipped value or 0, positive results.
 */
function interpolateSortedRow(
  wc: Int32Array,
  wv: Float64Array,
  from: number,
  to: number,
  cCol: Int32Array,
  cVal: Float64Array,
  cLen: number,
  ratio: number,
  iCol: Int32Array,
  iVal: Float64Array,
): number {
  let q = 0;
  let len = 0;
  for (let p = from; p < to; p++) {
    const j = wc[p];
    const x = wv[p];
    let c = 0;
    if (q < cLen && cCol[q] === j) c = cVal[q++];
    const v = x + mul(ratio, c - x);
    if (v > 0) {
      iCol[len] = j;
      iVal[len++] = v;
    }
  }
  return len;
}

class InterpScratch {
  readonly s1: Scratch;
  readonly s2: Scratch;
  readonly union: Scratch;
  constructor(n: number) {
    this.s1 = new Scratch(n);
    this.s2 = new Scratch(n);
    this.union = new Scratch(n);
  }
}

/** `interpolate_sparse` of one row in general (densified; last duplicate wins; ascending). */
function interpolateScratchRow(
  sc: InterpScratch,
  wc: Int32Array,
  wv: Float64Array,
  from: number,
  to: number,
  cCol: Int32Array,
  cVal: Float64Array,
  cLen: number,
  ratio: number,
  iCol: Int32Array,
  iVal: Float64Array,
): number {
  const { s1, s2, union } = sc;
  const columns = s1.n;
  s1.reset();
  s2.reset();
  union.reset();
  for (let p = from; p < to; p++)
    if (wc[p] < columns) {
      s1.set(wc[p], wv[p]);
      union.set(wc[p], 0);
    }
  for (let q = 0; q < cLen; q++)
    if (cCol[q] < columns) {
      s2.set(cCol[q], cVal[q]);
      union.set(cCol[q], 0);
    }
  const cols = union.sortedColumns();
  let len = 0;
  for (let t = 0; t < cols.length; t++) {
    const j = cols[t];
    const v1 = s1.get(j);
    const v = v1 + mul(ratio, s2.get(j) - v1);
    if (v > 0) {
      iCol[len] = j;
      iVal[len++] = v;
    }
  }
  return len;
}

/** one stored bond row, masked (j < n, rowKey > colKey[j]), as proportions */
function loadBondRow(
  inCol: Uint16Array,
  inVal: Uint16Array,
  from: number,
  to: number,
  n: number,
  rowKey: number,
  colKey: Float64Array,
  bCol: Int32Array,
  bVal: Float64Array,
): number {
  let len = 0;
  for (let p = from; p < to; p++) {
    const j = inCol[p];
    if (j >= n || rowKey <= colKey[j]) continue;
    bCol[len] = j;
    bVal[len++] = u16Proportion(inVal[p]);
  }
  return len;
}

function addColSums(col: Int32Array, val: Float64Array, from: number, to: number, sums: Float64Array): void {
  for (let p = from; p < to; p++) sums[col[p]] += val[p];
}

/**
 * Yuma3 dividends per validator before the stake product, Σ_j incentive_j·(ema_ij / colsum_j)
 * (`inplace_col_normalize_sparse` + `mat_vec_mul_sparse` + `row_sum_sparse`), and in the same
 * pass the stored Bonds rows: the EMA row as u16 proportions for uids with a (new) permit, an
 * empty row for every other uid (current version: the epoch terms rewrite every row).
 */
export function yuma3DividendsAndBonds(
  ema: Csr,
  colSum: Float64Array,
  incentive: Float64Array,
  newPermits: Uint8Array,
): { perValidator: Float64Array; bonds: FlatRows } {
  const rows = ema.rows;
  const { start, col, val } = ema;
  let total = 0;
  for (let i = 0; i < rows; i++) if (newPermits[i] !== 0) total += start[i + 1] - start[i];
  const outStart = new Uint32Array(rows + 1);
  const outCol = new Uint16Array(total);
  const outVal = new Uint16Array(total);
  const perValidator = new Float64Array(rows);
  let k = 0;
  for (let i = 0; i < rows; i++) {
    if (newPermits[i] !== 0) {
      perValidator[i] = dotAndStore(col, val, start[i], start[i + 1], colSum, incentive, outCol, outVal, k);
      k += start[i + 1] - start[i];
    } else perValidator[i] = normalizedDot(col, val, start[i], start[i + 1], colSum, incentive);
    outStart[i + 1] = k;
  }
  return { perValidator, bonds: { start: outStart, col: outCol, val: outVal } };
}

function normalizedDot(col: Int32Array, val: Float64Array, from: number, to: number, sums: Float64Array, v: Float64Array): number {
  let acc = 0;
  for (let p = from; p < to; p++) {
    const j = col[p];
    // an EMA entry is positive, so its column sum is too
    acc += mul(divPos(val[p], sums[j]), v[j]);
  }
  return acc;
}

/** normalizedDot, also storing the row as u16 proportions at outCol/outVal[k..] */
function dotAndStore(
  col: Int32Array,
  val: Float64Array,
  from: number,
  to: number,
  sums: Float64Array,
  v: Float64Array,
  outCol: Uint16Array,
  outVal: Uint16Array,
  k: number,
): number {
  let acc = 0;
  for (let p = from; p < to; p++) {
    const j = col[p];
    const x = val[p];
    acc += mul(divPos(x, sums[j]), v[j]);
    outCol[k] = j;
    outVal[k++] = proportionToU16(x);
  }
  return acc;
}
