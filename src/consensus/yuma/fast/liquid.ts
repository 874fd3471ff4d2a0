/**
 * Liquid alpha in the fast epoch: the Yuma3 per-bond EMA (`compute_liquid_alpha_values_sparse` +
 * `mat_ema_alpha_sparse`, one row at a time: yuma3.ts drives the rows) and the classic
 * per-column one (`mat_ema_alpha_vec_sparse`). See ../liquid-alpha.ts and ../math.ts for the
 * reference versions.
 */
import { I32F32 } from "../fixed.js";
import { alphaFromExpArg } from "../liquid-alpha.js";
import { Csr, colBuffer, Scratch, valBuffer, type Slots } from "./csr.js";
import { divPos, expSmall, expSmallBatch, fromBig, HALF, mul, ONE, TWO32 } from "./fixed-num.js";

const CACHE_BITS = 12;
const CACHE_MASK = (1 << CACHE_BITS) - 1;

/**
 * `alpha_sigmoid` as a function of the combined difference d (liquid-alpha.ts `alphaFromDiff`):
 * σ = 1/(1 + exp_safe(k·(d − ½))) with k = steepness / −100, α = clamp(low + σ·(high − low)).
 * Computed with the exact number kernels while |k·(d − ½)| ≤ 10 (expSmall's proven range: all
 * of it for steepness up to 2000, the default being 1000), with the bigint reference for
 * 10 < |x| < 20, and one cached value each beyond ±20 (where exp_safe clamps its argument). A
 * direct-mapped cache keyed by d (exact keys) serves repeated differences, e.g. the d = 0 of
 * every bond that its weight has caught up with; `fill` computes a row's misses with expSmallBatch.
 */
export class SigmoidAlpha {
  private readonly k: number;
  private readonly lowBig: bigint;
  private readonly highBig: bigint;
  /** α where exp_safe clamps its argument (x ≥ 20, x ≤ −20), computed on first use */
  private atMax = -1;
  private atMin = -1;
  private readonly keys = new Float64Array(1 << CACHE_BITS).fill(-1);
  private readonly values = new Float64Array(1 << CACHE_BITS);
  /** fill(): the positions and exp arguments still to compute */
  private pendingAt = new Int32Array(64);
  private pendingX = new Float64Array(64);
  private pendingE = new Float64Array(64);

  constructor(
    private readonly low: number,
    private readonly high: number,
    steepness: bigint,
  ) {
    this.k = fromBig(I32F32.saturatingDiv(steepness, I32F32.fromInt(-100)));
    this.lowBig = BigInt(low);
    this.highBig = BigInt(high);
  }

  /** α for a difference 0 ≤ d ≤ 1 (I32F32 bits) */
  at(d: number): number {
    const slot = cacheSlot(d);
    if (this.keys[slot] === d) return this.values[slot];
    const x = mul(this.k, d - HALF);
    const a = x <= EXP_FAST * TWO32 && x >= -EXP_FAST * TWO32 ? this.fromExp(expSmall(x) as number) : this.reference(x);
    this.keys[slot] = d;
    this.values[slot] = a;
    return a;
  }

  /** α of d[0..len) into out[0..len): cache hits directly, the rest with batched exp */
  fill(d: Float64Array, len: number, out: Float64Array): void {
    if (this.pendingAt.length < len) {
      this.pendingAt = new Int32Array(len);
      this.pendingX = new Float64Array(len);
      this.pendingE = new Float64Array(len);
    }
    const { keys, values, pendingAt, pendingX, pendingE } = this;
    let m = 0;
    for (let t = 0; t < len; t++) {
      const dt = d[t];
      const slot = cacheSlot(dt);
      if (keys[slot] === dt) {
        out[t] = values[slot];
        continue;
      }
      const x = mul(this.k, dt - HALF);
      if (x <= EXP_FAST * TWO32 && x >= -EXP_FAST * TWO32) {
        pendingAt[m] = t;
        pendingX[m++] = x;
      } else out[t] = this.reference(x);
    }
    expSmallBatch(pendingX, pendingE, m);
    for (let q = 0; q < m; q++) out[pendingAt[q]] = this.fromExp(pendingE[q]);
    for (let t = 0; t < len; t++) {
      const slot = cacheSlot(d[t]);
      keys[slot] = d[t];
      values[slot] = out[t];
    }
  }

  /** α from e = exp_safe(k·(d − ½)) */
  private fromExp(e: number): number {
    const sigmoid = divPos(ONE, ONE + e);
    const v = this.low + mul(sigmoid, this.high - this.low);
    const a = v < this.high ? v : this.high;
    return a > this.low ? a : this.low;
  }

  /**
   * The bigint reference, for exp arguments beyond expSmall's range. exp_safe clamps to ±20, so
   * all arguments beyond share one α each.
   */
  private reference(x: number): number {
    if (x >= EXP_CLAMP * TWO32) {
      if (this.atMax < 0) this.atMax = fromBig(alphaFromExpArg(BigInt(EXP_CLAMP * TWO32), this.lowBig, this.highBig));
      return this.atMax;
    }
    if (x <= -EXP_CLAMP * TWO32) {
      if (this.atMin < 0) this.atMin = fromBig(alphaFromExpArg(BigInt(-EXP_CLAMP * TWO32), this.lowBig, this.highBig));
      return this.atMin;
    }
    return fromBig(alphaFromExpArg(BigInt(x), this.lowBig, this.highBig));
  }
}

/** |x| up to which the exact number exp is used (expSmall's range) */
const EXP_FAST = 10;
/** exp_safe's clamp of its argument */
const EXP_CLAMP = 20;

function cacheSlot(d: number): number {
  return (d ^ (d * (1 / TWO32))) & CACHE_MASK;
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > ONE ? ONE : x;
}

/**
 * One row when the weight row wc/wv[ws..we) and the bond row bc/bv[bs..be) are both strictly
 * ascending (columns < n), where the Rust cursor walk reads exactly the entry at each column:
 * each weight entry meets its bond (or none); bonds without a weight entry are dropped, as
 * `mat_ema_alpha_sparse` emits only the new row's entries. Emission is branchless, so
 * outCol/outVal need one slot of room past the last kept entry.
 */
export function liquidMergeRow(
  wCol: Int32Array,
  wVal: Float64Array,
  ws: number,
  we: number,
  bCol: Int32Array,
  bVal: Float64Array,
  bs: number,
  be: number,
  consensus: Float64Array,
  sigmoid: SigmoidAlpha,
  outCol: Int32Array,
  outVal: Float64Array,
  k: number,
): number {
  const len = we - ws;
  const { diff, alpha } = rowBuffers(len);
  // the bond row spread over the columns (−1: no bond), so each weight entry finds its bond
  // without a data-dependent branch; put back to all −1 before returning
  const bondAt = bondColumns(consensus.length);
  for (let q = bs; q < be; q++) bondAt[bCol[q]] = bVal[q];
  for (let t = 0; t < len; t++) {
    const p = ws + t;
    const j = wCol[p];
    const w = wVal[p];
    const bond = Math.max(bondAt[j], 0);
    const buy = clampBits(w - consensus[j]);
    const sell = clampBits(bond - w);
    // w >= bond ? buy : sell, as exact integer arithmetic
    diff[t] = sell + (buy - sell) * +(w >= bond);
  }
  sigmoid.fill(diff, len, alpha);
  for (let t = 0; t < len; t++) {
    const p = ws + t;
    const j = wCol[p];
    const a = alpha[t];
    // α ≥ 0 and w ≥ 0: the increment is never negative; an absent bond decays to mul(·, 0) = 0
    const v = Math.min(mul(ONE - a, Math.max(bondAt[j], 0)) + mul(a, wVal[p]), ONE);
    outCol[k] = j;
    outVal[k] = v;
    k += +(v > 0);
  }
  for (let q = bs; q < be; q++) bondAt[bCol[q]] = -1;
  return k;
}

/** per-row scratch of liquidMergeRow (grown to the longest row seen) */
let rowBuf = { diff: new Float64Array(64), alpha: new Float64Array(64) };

function rowBuffers(len: number): typeof rowBuf {
  if (rowBuf.diff.length < len) rowBuf = { diff: new Float64Array(len), alpha: new Float64Array(len) };
  return rowBuf;
}

/** a row of −1 per column (grown to the widest subnet seen; callers restore the −1s) */
let bondAtBuf = new Float64Array(64).fill(-1);

function bondColumns(n: number): Float64Array {
  if (bondAtBuf.length < n) bondAtBuf = new Float64Array(n).fill(-1);
  return bondAtBuf;
}

function clampBits(x: number): number {
  return Math.min(ONE, Math.max(0, x));
}

/** Scratch rows of the general liquid-alpha row. */
export class LiquidCursor {
  readonly needed: Scratch;
  readonly decayed: Scratch;
  constructor(n: number) {
    this.needed = new Scratch(n);
    this.decayed = new Scratch(n);
  }
}

/** One row in general (unsorted rows, duplicates): the Rust cursor walk, then the EMA. */
export function liquidCursorRow(
  cursor: LiquidCursor,
  wCol: Int32Array,
  wVal: Float64Array,
  ws: number,
  we: number,
  bCol: Int32Array,
  bVal: Float64Array,
  bs: number,
  be: number,
  consensus: Float64Array,
  sigmoid: SigmoidAlpha,
  outCol: Int32Array,
  outVal: Float64Array,
  k: number,
): number {
  const n = consensus.length;
  const { needed, decayed } = cursor;
  needed.reset();
  for (let p = ws; p < we; p++) if (wCol[p] < n) needed.set(wCol[p], 0);
  const cols = needed.sortedColumns();
  // cursor walk over the weight and bond rows, visiting the needed columns in ascending order
  let wp = ws;
  let bp = bs;
  for (let t = 0; t < cols.length; t++) {
    const j = cols[t];
    let w = 0;
    while (wp < we) {
      const c = wCol[wp];
      if (c < j) wp++;
      else {
        if (c === j) w = wVal[wp];
        break;
      }
    }
    let bond = 0;
    while (bp < be) {
      const c = bCol[bp];
      if (c < j) bp++;
      else {
        if (c === j) bond = bVal[bp];
        break;
      }
    }
    const c = consensus[j];
    needed.set(j, sigmoid.at(w >= bond ? clamp01(w - c) : clamp01(bond - w)));
  }
  // (1 − α)·old assigned per column (last duplicate wins), then α·new added per new entry
  decayed.reset();
  for (let p = bs; p < be; p++) {
    const j = bCol[p];
    if (j < n && needed.has(j)) decayed.set(j, mul(ONE - needed.get(j), bVal[p]));
  }
  for (let p = ws; p < we; p++) {
    const j = wCol[p];
    if (j >= n) continue;
    const a = needed.get(j);
    let inc = mul(a, wVal[p]);
    if (inc < 0) inc = 0;
    let v = decayed.get(j) + inc;
    if (v > ONE) v = ONE;
    if (v > 0) {
      outCol[k] = j;
      outVal[k++] = v;
    }
  }
  return k;
}

/** classic `mat_ema_alpha_vec_sparse`: row[j] = α_j·new, then += (1−α_j)·old; ascending, > 0. */
export function emaAlphaVec(next: Csr, old: Csr, alpha: Float64Array, n: number, slots?: Slots): Csr {
  const s = new Scratch(n);
  const cap = next.nnz + old.nnz;
  const outCol = colBuffer(cap, slots?.[0]);
  const outVal = valBuffer(cap, slots?.[1]);
  const outStart = new Int32Array(next.rows + 1);
  let k = 0;
  for (let i = 0; i < next.rows; i++) {
    s.reset();
    for (let p = next.start[i]; p < next.start[i + 1]; p++) {
      const j = next.col[p];
      if (j < n) s.set(j, mul(j < alpha.length ? alpha[j] : 0, next.val[p]));
    }
    if (i < old.rows)
      for (let p = old.start[i]; p < old.start[i + 1]; p++) {
        const j = old.col[p];
        if (j < n) s.add(j, mul(ONE - (j < alpha.length ? alpha[j] : 0), old.val[p]));
      }
    if (s.count > 0) {
      const cols = s.sortedColumns();
      for (let t = 0; t < cols.length; t++)
        if (s.acc[cols[t]] > 0) {
          outCol[k] = cols[t];
          outVal[k++] = s.acc[cols[t]];
        }
    }
    outStart[i + 1] = k;
  }
  return new Csr(next.rows, outStart, outCol.subarray(0, k), outVal.subarray(0, k));
}
