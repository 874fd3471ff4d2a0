/**
 * Liquid alpha in the fast epoch: the Yuma3 per-bond EMA (`compute_liquid_alpha_values_sparse` +
 * `mat_ema_alpha_sparse`) and the classic per-column one (`mat_ema_alpha_vec_sparse`). See
 * ../liquid-alpha.ts and ../math.ts for the reference versions.
 */
import { I32F32 } from "../fixed.js";
import { alphaFromDiff } from "../liquid-alpha.js";
import { Csr, CsrBuilder, Scratch } from "./csr.js";
import { divPos, expSmall, fromBig, HALF, mul, ONE, TWO32 } from "./fixed-num.js";

/**
 * Yuma3 liquid-alpha EMA (`compute_liquid_alpha_values_sparse` + `mat_ema_alpha_sparse`). Only
 * the alphas of columns present in a row's weights are ever used, so only those are computed;
 * the (i, j) weight/bond reads reproduce the Rust forward-only cursor walk, whose position at a
 * column does not depend on which smaller columns were visited before.
 */
export function liquidEma(wb: Csr, bonds: Csr, consensus: Float64Array, low: number, high: number, steepness: bigint): Csr {
  const n = consensus.length;
  const lowBig = BigInt(low);
  const highBig = BigInt(high);
  const k = I32F32.saturatingDiv(steepness, I32F32.fromInt(-100));
  const kNum = fromBig(k);
  const memo = new Map<number, number>();
  const alphaOf = (d: number): number => {
    const hit = memo.get(d);
    if (hit !== undefined) return hit;
    let a: number;
    const x = mul(kNum, d - HALF);
    const e = x <= 20 * TWO32 && x >= -20 * TWO32 ? expSmall(x) : null;
    if (e !== null) {
      const sigmoid = divPos(ONE, ONE + e);
      const v = low + mul(sigmoid, high - low);
      a = v < high ? v : high;
      a = a > low ? a : low;
    } else {
      a = fromBig(alphaFromDiff(BigInt(d), lowBig, highBig, steepness));
    }
    memo.set(d, a);
    return a;
  };
  const needed = new Scratch(n);
  const decayed = new Scratch(n);
  const b = new CsrBuilder(wb.rows, wb.nnz);
  for (let i = 0; i < wb.rows; i++) {
    const ws = wb.start[i];
    const we = wb.start[i + 1];
    if (ws === we) {
      b.endRow();
      continue;
    }
    needed.reset();
    for (let p = ws; p < we; p++) if (wb.col[p] < n) needed.set(wb.col[p], 0);
    const cols = needed.sortedColumns();
    // cursor walk over the weight and bond rows, visiting the needed columns in ascending order
    let wp = ws;
    let bp = bonds.start[i];
    const be = bonds.start[i + 1];
    for (let t = 0; t < cols.length; t++) {
      const j = cols[t];
      let w = 0;
      while (wp < we) {
        const c = wb.col[wp];
        if (c < j) wp++;
        else {
          if (c === j) w = wb.val[wp];
          break;
        }
      }
      let bond = 0;
      while (bp < be) {
        const c = bonds.col[bp];
        if (c < j) bp++;
        else {
          if (c === j) bond = bonds.val[bp];
          break;
        }
      }
      const c = consensus[j];
      const buy = clamp01(w - c);
      const sell = clamp01(bond - w);
      needed.set(j, alphaOf(w >= bond ? buy : sell));
    }
    // (1 − α)·old assigned per column (last duplicate wins), then α·new added per new entry
    decayed.reset();
    for (let p = bonds.start[i]; p < be; p++) {
      const j = bonds.col[p];
      if (j < n && needed.has(j)) decayed.set(j, mul(ONE - needed.get(j), bonds.val[p]));
    }
    for (let p = ws; p < we; p++) {
      const j = wb.col[p];
      if (j >= n) continue;
      const a = needed.get(j);
      let inc = mul(a, wb.val[p]);
      if (inc < 0) inc = 0;
      let v = decayed.get(j) + inc;
      if (v > ONE) v = ONE;
      if (v > 0) b.push(j, v);
    }
    b.endRow();
  }
  return b.build();
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > ONE ? ONE : x;
}

/** classic `mat_ema_alpha_vec_sparse`: row[j] = α_j·new, then += (1−α_j)·old; ascending, > 0. */
export function emaAlphaVec(next: Csr, old: Csr, alpha: Float64Array, n: number): Csr {
  const s = new Scratch(n);
  const b = new CsrBuilder(next.rows, next.nnz + old.nnz);
  for (let i = 0; i < next.rows; i++) {
    s.reset();
    for (let p = next.start[i]; p < next.start[i + 1]; p++) {
      const j = next.col[p];
      if (j < n) s.set(j, mul(j < alpha.length ? alpha[j] : 0, next.val[p]));
    }
    for (let p = old.start[i]; p < old.start[i + 1]; p++) {
      const j = old.col[p];
      if (j < n) s.add(j, mul(ONE - (j < alpha.length ? alpha[j] : 0), old.val[p]));
    }
    if (s.count > 0) {
      const cols = s.sortedColumns();
      for (let t = 0; t < cols.length; t++) if (s.acc[cols[t]] > 0) b.push(cols[t], s.acc[cols[t]]);
    }
    b.endRow();
  }
  return b.build();
}
