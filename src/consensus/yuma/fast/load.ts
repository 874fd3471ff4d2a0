/**
 * Reading the stored u16 rows (flat CSR) into the epoch's matrices with the epoch's masks
 * applied, and normalising the integer-valued rows/columns without leaving the exact range (fast
 * epoch, steps 5 and 11).
 */
import type { FlatRows } from "../types.js";
import { Csr, colBuffer, valBuffer, type Slots } from "./csr.js";
import { bail, divPos, TWO32, u16Proportion } from "./fixed-num.js";

const TWO31 = 2147483648;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Block numbers (u64) mapped to numbers with the same order, so the per-entry masks compare
 * numbers instead of bigints: the values themselves when all are ≤ 2^53 (always, in practice),
 * otherwise their ranks.
 */
export function blockKeys(values: readonly bigint[]): Float64Array {
  const out = new Float64Array(values.length);
  let small = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v > MAX_SAFE) {
      small = false;
      break;
    }
    out[i] = Number(v);
  }
  if (small) return out;
  const order = values.map((_, i) => i).sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : 0));
  let rank = 0;
  for (let t = 0; t < order.length; t++) {
    if (t > 0 && values[order[t]] !== values[order[t - 1]]) rank++;
    out[order[t]] = rank;
  }
  return out;
}

/** Which stored entries an epoch keeps: by row permit, diagonal, and a block comparison. */
export interface EntryMask {
  /** rows to keep (weights: rows with the old permit); all rows when absent */
  keepRow?: Uint8Array;
  /** drop (i, i) except for this uid (−1: drop every diagonal entry); absent: keep the diagonal */
  diagExcept?: number;
  /** drop (i, j) when rowKey[i] <= colKey[j] */
  rowKey: Float64Array;
  colKey: Float64Array;
}

/**
 * Stored u16 rows (entries with j < n) filtered by `mask`: the structure plus the integer values,
 * or with `proportion` their `u16_proportion_to_fixed` (Yuma3 bonds).
 */
export function loadRows(rows: FlatRows, n: number, mask: EntryMask, slots: Slots | undefined, proportion = false): Csr {
  const { start: inStart, col: inCol, val: inVal } = rows;
  const cap = inStart[n];
  const col = colBuffer(cap, slots?.[0]);
  const val = valBuffer(cap, slots?.[1]);
  const start = new Int32Array(n + 1);
  const { keepRow, rowKey, colKey } = mask;
  const diag = mask.diagExcept === undefined ? -2 : mask.diagExcept;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (keepRow === undefined || keepRow[i] !== 0) {
      // the diagonal entry to drop in this row (−1: none)
      const dropJ = diag === -2 || i === diag ? -1 : i;
      k = loadRow(inCol, inVal, inStart[i], inStart[i + 1], n, dropJ, rowKey[i], colKey, proportion, col, val, k);
    }
    start[i + 1] = k;
  }
  return new Csr(n, start, col.subarray(0, k), val.subarray(0, k));
}

function loadRow(
  inCol: Uint16Array,
  inVal: Uint16Array,
  from: number,
  to: number,
  n: number,
  dropJ: number,
  rk: number,
  colKey: Float64Array,
  proportion: boolean,
  col: Int32Array,
  val: Float64Array,
  k: number,
): number {
  for (let p = from; p < to; p++) {
    const j = inCol[p];
    if (j >= n || j === dropJ || rk <= colKey[j]) continue;
    col[k] = j;
    val[k++] = proportion ? u16Proportion(inVal[p]) : inVal[p];
  }
  return k;
}

/**
 * Row-normalises integer-valued entries, in place. Stored values are integers v (bits v·2^32)
 * whose row sum S is an integer: the normalised entry (v·2^32)·2^32 / (S·2^32) is exactly
 * ⌊v·2^32 / S⌋, with S < 2^31 (from there on the Rust I32F32 row sum would wrap). v·2^32 < 2^48,
 * so one floating-point division floors exactly (fixed-num.ts).
 */
export function rowNormalizeIntegers(m: Csr): Csr {
  const { start, val } = m;
  for (let i = 0; i < m.rows; i++) if (!rowNormalizeInteger(val, start[i], start[i + 1])) bail("weight row sum wraps");
  return m;
}

function rowNormalizeInteger(val: Float64Array, from: number, to: number): boolean {
  let s = 0;
  for (let p = from; p < to; p++) s += val[p];
  if (s >= TWO31) return false;
  // (s = 0: every entry is 0 and stays 0)
  if (s > 0) for (let p = from; p < to; p++) val[p] = Math.floor((val[p] * TWO32) / s);
  return true;
}

/**
 * Column-normalises integer-valued entries (bits v·2^32) without leaving the exact range: with
 * column sum S (an integer, saturating in Rust only from 2^31), the result is divPos(v, S).
 */
export function colNormalizeIntegers(m: Csr, columns: number, valSlot?: Slots[1]): Csr {
  const intVal = m.val;
  const col = m.col;
  const sums = new Float64Array(columns);
  for (let p = 0; p < intVal.length; p++) if (col[p] < columns) sums[col[p]] += intVal[p];
  const val = valBuffer(intVal.length, valSlot);
  for (let p = 0; p < intVal.length; p++) {
    const j = col[p];
    const s = j < columns ? sums[j] : 0;
    if (s >= TWO31) bail("bond column sum saturates");
    val[p] = s !== 0 ? divPos(intVal[p], s) : intVal[p] * TWO32;
  }
  return m.withValues(val);
}
