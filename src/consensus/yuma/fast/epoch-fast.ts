/**
 * The optimised epoch: same steps, same order and same results as ../epoch-reference.ts (which
 * documents each step against Subtensor), on I32F32 bits held as exact integers in numbers and
 * typed arrays (fixed-num.ts explains why that is exact). O(n)-sized steps that need wide types
 * (stake in I64F64, emission in I96F32) use bigints where a value could leave the exact range.
 *
 * It works on the flat form of the input (FlatEpochInput: weight and bond rows in CSR over u16
 * arrays) and keeps every matrix in compressed rows over typed arrays reused between calls
 * (pool.ts), so an epoch allocates no object per entry. Steps 7–11 of the current version with
 * Yuma3 bonds run one validator row at a time (yuma3.ts); Yuma2 and classic bonds, which need
 * whole-matrix column sums between their steps, use the matrix helpers of csr.ts. Where the
 * reference leaves a choice that cannot change a result (the weighted median's pivots, the order
 * of exact integer sums, merging vs densifying sorted rows) the fast path takes the cheaper one;
 * each such place says why the result is the same. `runEpochFast` is the same epoch on the
 * array-of-pairs API.
 *
 * Throws FastPathUnavailable when an input could drive a value outside the exactly-representable
 * range (e.g. a weight row whose u16 sum reaches 2^31, where Rust's I32F32 sum would wrap, or a
 * bonds_moving_average above 1e6); `runEpoch` then uses the reference implementation.
 */
import { I32F32 } from "../fixed.js";
import { classicLiquidAlphas } from "../liquid-alpha.js";
import type { DivMode } from "../math.js";
import { effectiveOwner, fixedEmaAlpha, lastTempoBlock, stakeThresholdOf } from "../epoch-reference.js";
import type { EpochInput, EpochOutput, FlatEpochInput, FlatEpochOutput, FlatRows } from "../types.js";
import { packRows, toEpochOutput, toFlatInput } from "./convert.js";
import {
  clipAndRank,
  colMaxUpscaleInPlace,
  colNormalizeInPlace,
  emaSparse,
  interpolate,
  matmulTranspose,
  rowHadamard,
} from "./csr.js";
import { bail, div, fromBig, mul, ONE } from "./fixed-num.js";
import { emaAlphaVec, SigmoidAlpha } from "./liquid.js";
import { yuma3DividendsAndBonds, yuma3Rows } from "./yuma3.js";
import { blockKeys, colNormalizeIntegers, loadRows, rowNormalizeIntegers, type EntryMask } from "./load.js";
import { weightedMedianCol } from "./median.js";
import { bondRows, maxUpscaleToU16, normalisedStakeFast, raoAmountsFast, topk, u16Of } from "./outputs.js";
import { Slot } from "./pool.js";

export { FastPathUnavailable } from "./fixed-num.js";

/** normalise in place (sum 0: unchanged) */
function normalize(x: Float64Array): void {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  if (s === 0) return;
  for (let i = 0; i < x.length; i++) x[i] = div(x[i], s);
}

/** x / s per entry, or a copy when s = 0 (`inplace_normalize_using_sum`) */
function normalizedBy(x: Float64Array, s: number): Float64Array {
  const out = x.slice();
  if (s !== 0) for (let i = 0; i < out.length; i++) out[i] = div(out[i], s);
  return out;
}

/** The array-of-pairs API over the flat epoch (no validation: runEpoch validates). */
export function runEpochFast(input: EpochInput): EpochOutput {
  const weights = packRows("weights", input.weights, input.n, false);
  const bonds = packRows("bonds", input.bonds, input.n, false);
  return toEpochOutput(epochFast(toFlatInput(input, weights, bonds)));
}

export function epochFast(input: FlatEpochInput): FlatEpochOutput {
  const classic = input.version === "classic";
  const mode: DivMode = classic ? "saturating" : "safe";
  const hp = input.hyperparameters;
  const n = input.n;
  const owner = effectiveOwner(input);
  const emaAlphaBig = fixedEmaAlpha(hp.bondsMovingAverage);
  if (emaAlphaBig < 0n || emaAlphaBig > I32F32.ONE) bail("EMA alpha outside [0, 1]");
  const emaAlpha = Number(emaAlphaBig);

  // Block numbers as comparable numbers, keyed jointly: last_update, block_at_registration, the
  // activity threshold (u + cutoff < block ⇔ u < block − cutoff, never when block ≤ cutoff; the
  // saturating u64 sum changes nothing) and the last tempo block of the current bonds mask.
  const blocks: bigint[] = new Array(2 * n + 2);
  for (let i = 0; i < n; i++) {
    blocks[i] = input.lastUpdate[i];
    blocks[n + i] = input.blockAtRegistration[i];
  }
  blocks[2 * n] = input.currentBlock > hp.activityCutoff ? input.currentBlock - hp.activityCutoff : 0n;
  blocks[2 * n + 1] = lastTempoBlock(input.currentBlock, hp);
  const keys = blockKeys(blocks);
  const luKey = keys.subarray(0, n);
  const regKey = keys.subarray(n, 2 * n);
  const activeFrom = keys[2 * n];
  const lastTempoKey = keys[2 * n + 1];

  // 1. active
  const active = new Uint8Array(n);
  for (let i = 0; i < n; i++) active[i] = luKey[i] < activeFrom ? 0 : 1;

  // 2. stake (I64F64 normalisation, O(n))
  const stake = normalisedStakeFast(input.stake, stakeThresholdOf(input), owner, mode);

  // 3. permits
  const oldPermits = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = input.validatorPermit[i];
    oldPermits[i] = p === true || p === 1 ? 1 : 0;
  }
  if (owner !== null) oldPermits[owner] = 1;
  const newPermits = topk(stake, hp.maxAllowedValidators, !classic);
  if (owner !== null) newPermits[owner] = 1;

  // 4. active stake
  const activeStake = stake.slice();
  for (let i = 0; i < n; i++) if (active[i] === 0 || oldPermits[i] === 0) activeStake[i] = 0;
  normalize(activeStake);

  // 5. weights: permit rows, diagonal (owner exempt), outdated (last_update_i <= reg_j)
  const weightMask: EntryMask = { keepRow: oldPermits, diagExcept: owner ?? -1, rowKey: luKey, colKey: regKey };
  const weights = rowNormalizeIntegers(loadRows(input.weights, n, weightMask, [Slot.WeightCol, Slot.WeightVal]));

  // 6. consensus
  const kappa = fromBig(
    classic
      ? I32F32.saturatingDiv(I32F32.fromInt(hp.kappa), I32F32.fromInt(65535))
      : I32F32.safeDiv(I32F32.fromInt(hp.kappa), I32F32.fromInt(65535)),
  );
  const consensus = weightedMedianCol(activeStake, weights, n, kappa);

  const alphaLow = fromBig(I32F32.safeDiv(I32F32.fromInt(hp.alphaLow), I32F32.fromInt(65535)));
  const alphaHigh = fromBig(I32F32.safeDiv(I32F32.fromInt(hp.alphaHigh), I32F32.fromInt(65535)));
  const emaSlots = [Slot.EmaCol, Slot.EmaVal] as const;
  let validatorTrust: Float64Array;
  let ranks: Float64Array;
  let trust: Float64Array;
  let dividends: Float64Array;
  let bondsOut: FlatRows;
  if (!classic && hp.yuma3Enabled) {
    // 7–11, row by row: clip, validator trust, ranks; weights for bonds; EMA bonds (yuma3.ts)
    const bp = Number(I32F32.safeDiv(I32F32.fromInt(hp.bondsPenalty), I32F32.fromInt(65535)));
    // bonds of uids registered since the last epoch are dropped: last_tempo <= reg_j
    const bonds = { rows: input.bonds, rowKey: lastTempoKey, colKey: regKey };
    const sigmoid =
      hp.liquidAlphaEnabled && consensus.some((c) => c !== 0)
        ? new SigmoidAlpha(alphaLow, alphaHigh, I32F32.fromInt(hp.alphaSigmoidSteepness))
        : null;
    const r = yuma3Rows(weights, consensus, activeStake, bp, bonds, emaAlpha, sigmoid, emaSlots);
    validatorTrust = r.validatorTrust;
    ranks = r.ranks;
    // 9. trust, incentive
    trust = new Float64Array(n);
    for (let j = 0; j < n; j++) trust[j] = div(ranks[j], r.preranks[j]);
    normalize(ranks);
    // 11. dividends: column-normalised EMA bonds times incentive, times stake
    const d = yuma3DividendsAndBonds(r.ema, r.emaColSum, ranks, newPermits);
    dividends = new Float64Array(n);
    for (let i = 0; i < n; i++) dividends[i] = mul(d.perValidator[i], activeStake[i]);
    normalize(dividends);
    bondsOut = d.bonds;
  } else {
    // 7–9 in one pass: clipped weights, validator trust, ranks (after and before clipping)
    const cr = clipAndRank(weights, consensus, activeStake, n, [Slot.ClipCol, Slot.ClipVal]);
    const clipped = cr.clipped;
    validatorTrust = cr.rowSum;
    ranks = cr.ranks;
    // 9. trust, incentive
    trust = new Float64Array(n);
    for (let j = 0; j < n; j++) trust[j] = div(ranks[j], cr.preranks[j]);
    normalize(ranks);
    const incentive = ranks;
    // 10–11. bonds and dividends
    if (classic) {
      const bondMask: EntryMask = { rowKey: luKey, colKey: regKey };
      const bonds = colNormalizeIntegers(loadRows(input.bonds, n, bondMask, [Slot.BondCol, Slot.BondInt]), n, Slot.BondVal);
      const delta = colNormalizeInPlace(rowHadamard(clipped, activeStake, Slot.DeltaVal), n);
      const alphasBig = hp.liquidAlphaEnabled
        ? classicLiquidAlphas(
            Array.from(consensus, (c) => BigInt(c)),
            BigInt(alphaLow),
            BigInt(alphaHigh),
          )
        : null;
      const ema = alphasBig
        ? emaAlphaVec(delta, bonds, Float64Array.from(alphasBig, fromBig), n, emaSlots)
        : emaSparse(delta, bonds, emaAlpha, n, emaSlots);
      colNormalizeInPlace(ema, n);
      dividends = matmulTranspose(ema, incentive);
      normalize(dividends);
      bondsOut = bondRows(colMaxUpscaleInPlace(ema, n), newPermits, oldPermits, input.bonds, true);
    } else {
      // current, Yuma2
      const bp = Number(I32F32.safeDiv(I32F32.fromInt(hp.bondsPenalty), I32F32.fromInt(65535)));
      const weightsForBonds = bp === 0 ? weights : bp === ONE ? clipped : interpolate(weights, clipped, n, bp, [Slot.InterpCol, Slot.InterpVal]);
      const bondMask: EntryMask = { rowKey: new Float64Array(n).fill(lastTempoKey), colKey: regKey };
      const bonds = colNormalizeIntegers(loadRows(input.bonds, n, bondMask, [Slot.BondCol, Slot.BondInt]), n, Slot.BondVal);
      const delta = colNormalizeInPlace(rowHadamard(weightsForBonds, activeStake, Slot.DeltaVal), n);
      const ema = colNormalizeInPlace(emaSparse(delta, bonds, emaAlpha, n, emaSlots), n);
      dividends = matmulTranspose(ema, incentive);
      normalize(dividends);
      bondsOut = bondRows(colMaxUpscaleInPlace(ema, n), newPermits, oldPermits, input.bonds, false);
    }
  }
  const incentive = ranks;

  // 12. emission
  const combined = new Float64Array(n);
  let emissionSum = 0;
  for (let i = 0; i < n; i++) {
    combined[i] = incentive[i] + dividends[i];
    emissionSum += combined[i];
  }
  const serverPart = normalizedBy(incentive, emissionSum);
  let validatorPart = normalizedBy(dividends, emissionSum);
  let combinedPart = normalizedBy(combined, emissionSum); // inplace_normalize: Σcombined is the same sum
  if (emissionSum === 0) {
    const fallback = activeStake.every((x) => x === 0) ? stake : activeStake;
    validatorPart = fallback.slice();
    combinedPart = fallback.slice();
  }

  // 13. storage forms
  return {
    active,
    validatorPermit: newPermits,
    stakeWeight: u16Of(stake),
    consensus: u16Of(consensus),
    incentive: u16Of(incentive),
    dividends: u16Of(dividends),
    validatorTrust: u16Of(validatorTrust),
    rank: u16Of(ranks),
    trust: u16Of(trust),
    pruningScores: maxUpscaleToU16(combinedPart, mode),
    emission: raoAmountsFast(combinedPart, input.raoEmission),
    serverEmission: raoAmountsFast(serverPart, input.raoEmission),
    validatorEmission: raoAmountsFast(validatorPart, input.raoEmission),
    bonds: bondsOut,
  };
}
