/**
 * Reading the stored u16 rows into CSR with the epoch's masks applied, and normalising the
 * integer-valued rows/columns without leaving the exact range (fast epoch, steps 5 and 11).
 */
import type { U16Row } from "../types.js";
import { Csr, CsrBuilder } from "./csr.js";
import { bail, divPos, TWO32 } from "./fixed-num.js";

const TWO31 = 2147483648;

/**
 * Block numbers (u64) mapped to numbers with the same order, so the per-entry masks compare
 * numbers instead of bigints: the values themselves when all are ≤ 2^53 (always, in practice),
 * otherwise their ranks.
 */
export function blockKeys(values: readonly bigint[]): Float64Array {
  const out = new Float64Array(values.length);
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  if (values.every((v) => v <= max)) {
    for (let i = 0; i < values.length; i++) out[i] = Number(values[i]);
    return out;
  }
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
  /** rows to drop entirely (weights: rows without the old permit) */
  dropRow?: Uint8Array;
  /** drop (i, i) except for this uid (−1: drop every diagonal entry; null: keep the diagonal) */
  diagExcept?: number | null;
  /** drop (i, j) when rowKey[i] <= colKey[j] */
  rowKey: Float64Array;
  colKey: Float64Array;
}

/** Stored u16 rows (entries with j < n) filtered by `mask`: the structure plus the integer values. */
export function loadIntegerRows(rows: readonly U16Row[], n: number, mask: EntryMask): Csr {
  let cap = 0;
  for (let i = 0; i < n; i++) cap += rows[i].length;
  const b = new CsrBuilder(n, cap);
  const { dropRow, rowKey, colKey } = mask;
  const diag = mask.diagExcept === undefined ? null : mask.diagExcept;
  for (let i = 0; i < n; i++) {
    if (dropRow === undefined || dropRow[i] === 0) {
      const row = rows[i];
      const rk = rowKey[i];
      for (let k = 0; k < row.length; k++) {
        const e = row[k];
        const j = e[0];
        if (j >= n) continue;
        if (diag !== null && j === i && i !== diag) continue;
        if (rk <= colKey[j]) continue;
        b.push(j, e[1]);
      }
    }
    b.endRow();
  }
  return b.build();
}

/**
 * Row-normalises integer-valued entries, in place. Stored values are integers v (bits v·2^32)
 * whose row sum S is an integer: the normalised entry (v·2^32)·2^32 / (S·2^32) is exactly
 * ⌊v·2^32 / S⌋ = divPos(v, S), with S < 2^31 (from there on the Rust I32F32 row sum would wrap).
 */
export function rowNormalizeIntegers(m: Csr): Csr {
  const val = m.val;
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let p = m.start[i]; p < m.start[i + 1]; p++) s += val[p];
    if (s >= TWO31) bail("weight row sum wraps");
    for (let p = m.start[i]; p < m.start[i + 1]; p++) val[p] = s > 0 ? divPos(val[p], s) : val[p] * TWO32;
  }
  return m;
}

/**
 * Column-normalises integer-valued entries (bits v·2^32) without leaving the exact range: with
 * column sum S (an integer, saturating in Rust only from 2^31), the result is divPos(v, S).
 */
export function colNormalizeIntegers(m: Csr, columns: number): Csr {
  const intVal = m.val;
  const sums = new Float64Array(columns);
  for (let p = 0; p < intVal.length; p++) if (m.col[p] < columns) sums[m.col[p]] += intVal[p];
  const val = new Float64Array(intVal.length);
  for (let p = 0; p < intVal.length; p++) {
    const j = m.col[p];
    const s = j < columns ? sums[j] : 0;
    if (s >= TWO31) bail("bond column sum saturates");
    val[p] = s !== 0 ? divPos(intVal[p], s) : intVal[p] * TWO32;
  }
  return m.withValues(val);
}
