/**
 * The optimised epoch: same steps, same order and same results as ../epoch-reference.ts (which
 * documents each step against Subtensor), on I32F32 bits held as exact integers in numbers and
 * typed arrays (fixed-num.ts explains why that is exact). O(n)-sized steps that need wide types
 * (stake in I64F64, emission in I96F32, upscaling with rounding) reuse the bigint helpers.
 *
 * Throws FastPathUnavailable when an input could drive a value outside the exactly-representable
 * range (e.g. a weight row whose u16 sum reaches 2^31, where Rust's I32F32 sum would wrap, or a
 * bonds_moving_average above 1e6); `runEpoch` then uses the reference implementation.
 */
import { I32F32 } from "../fixed.js";
import { classicLiquidAlphas } from "../liquid-alpha.js";
import type { DivMode } from "../math.js";
import { effectiveOwner, fixedEmaAlpha, lastTempoBlock, saturatingAddU64 } from "../epoch-reference.js";
import type { EpochInput, EpochOutput, U16Row } from "../types.js";
import {
  clipAndRank,
  colMaxUpscaled,
  colNormalized,
  colNormalizedMatmulTranspose,
  Csr,
  emaSparse,
  interpolate,
  matmulTranspose,
  rowHadamard,
} from "./csr.js";
import { bail, div, fromBig, mul, ONE, u16Proportion } from "./fixed-num.js";
import { emaAlphaVec, liquidEma } from "./liquid.js";
import { blockKeys, colNormalizeIntegers, loadIntegerRows, rowNormalizeIntegers, type EntryMask } from "./load.js";
import { weightedMedianCol } from "./median.js";
import { maxUpscaleToU16, normalisedStakeFast, raoAmountsFast, toBigArray, toRows, topk, u16Of } from "./outputs.js";

export { FastPathUnavailable } from "./fixed-num.js";

/** normalise in place (sum 0: unchanged) */
function normalize(x: Float64Array): void {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  if (s === 0) return;
  for (let i = 0; i < x.length; i++) x[i] = div(x[i], s);
}

export function runEpochFast(input: EpochInput): EpochOutput {
  const classic = input.version === "classic";
  const mode: DivMode = classic ? "saturating" : "safe";
  const hp = input.hyperparameters;
  const n = input.n;
  const owner = effectiveOwner(input);
  const lastUpdate = input.lastUpdate;
  const reg = input.blockAtRegistration;
  const emaAlphaBig = fixedEmaAlpha(hp.bondsMovingAverage);
  if (emaAlphaBig < 0n || emaAlphaBig > I32F32.ONE) bail("EMA alpha outside [0, 1]");
  const emaAlpha = Number(emaAlphaBig);

  // 1. active
  const inactive = lastUpdate.map((u) => saturatingAddU64(u, hp.activityCutoff) < input.currentBlock);
  const active = inactive.map((x) => !x);

  // 2. stake (I64F64 normalisation in bigint, O(n))
  const stake = normalisedStakeFast(input, owner, mode);

  // 3. permits
  const oldPermits = input.validatorPermit.slice(0, n);
  while (oldPermits.length < n) oldPermits.push(false);
  if (owner !== null) oldPermits[owner] = true;
  const newPermits = topk(stake, hp.maxAllowedValidators, !classic);
  if (owner !== null) newPermits[owner] = true;

  // 4. active stake
  const activeStake = stake.slice();
  for (let i = 0; i < n; i++) if (inactive[i] || !oldPermits[i]) activeStake[i] = 0;
  normalize(activeStake);

  // 5. weights: permit rows, diagonal (owner exempt), outdated (last_update_i <= reg_j)
  // last_update and block_at_registration keyed jointly, so that they stay comparable
  const updateRegKeys = blockKeys([...lastUpdate, ...reg]);
  const luKey = updateRegKeys.subarray(0, n);
  const regKey = updateRegKeys.subarray(n);
  const dropRow = Uint8Array.from(oldPermits, (p) => (p ? 0 : 1));
  const weights = rowNormalizeIntegers(
    loadIntegerRows(input.weights, n, { dropRow, diagExcept: owner ?? -1, rowKey: luKey, colKey: regKey }),
  );

  // 6–8. consensus, clip, validator trust
  const kappa = fromBig(
    classic
      ? I32F32.saturatingDiv(I32F32.fromInt(hp.kappa), I32F32.fromInt(65535))
      : I32F32.safeDiv(I32F32.fromInt(hp.kappa), I32F32.fromInt(65535)),
  );
  const consensus = weightedMedianCol(activeStake, weights, n, kappa);
  // 7–9 in one pass: clipped weights, validator trust, ranks (after and before clipping)
  const { clipped, rowSum: validatorTrust, ranks, preranks } = clipAndRank(weights, consensus, activeStake, n);

  // 9. trust, incentive
  const trust = new Float64Array(n);
  for (let j = 0; j < n; j++) trust[j] = div(ranks[j], preranks[j]);
  normalize(ranks);
  const incentive = ranks;

  // 10–11. bonds and dividends
  const alphaLow = fromBig(I32F32.safeDiv(I32F32.fromInt(hp.alphaLow), I32F32.fromInt(65535)));
  const alphaHigh = fromBig(I32F32.safeDiv(I32F32.fromInt(hp.alphaHigh), I32F32.fromInt(65535)));
  let dividends: Float64Array;
  let storedBonds: Csr;
  if (classic) {
    const bonds = colNormalizeIntegers(loadIntegerRows(input.bonds, n, { rowKey: luKey, colKey: regKey }), n);
    const delta = colNormalized(rowHadamard(clipped, activeStake), n);
    let ema: Csr;
    const alphasBig = hp.liquidAlphaEnabled ? classicLiquidAlphas(toBigArray(consensus), BigInt(alphaLow), BigInt(alphaHigh)) : null;
    if (alphasBig) ema = emaAlphaVec(delta, bonds, Float64Array.from(alphasBig, fromBig), n);
    else ema = emaSparse(delta, bonds, emaAlpha, n);
    ema = colNormalized(ema, n);
    dividends = matmulTranspose(ema, incentive);
    normalize(dividends);
    storedBonds = colMaxUpscaled(ema, n);
  } else {
    const bpBig = I32F32.safeDiv(I32F32.fromInt(hp.bondsPenalty), I32F32.fromInt(65535));
    const bp = Number(bpBig);
    const weightsForBonds = bp === 0 ? weights : bp === ONE ? clipped : interpolate(weights, clipped, n, bp);
    // bonds of uids registered since the last epoch are dropped: last_tempo <= reg_j
    const keys = blockKeys([...reg, lastTempoBlock(input.currentBlock, hp)]);
    const bondMask: EntryMask = { rowKey: new Float64Array(n).fill(keys[n]), colKey: keys.subarray(0, n) };
    if (hp.yuma3Enabled) {
      // stored u16 / 65535 as a proportion: (v·2^32)·2^32 / (65535·2^32) = divPos(v, 65535)
      const bonds = loadIntegerRows(input.bonds, n, bondMask);
      for (let p = 0; p < bonds.val.length; p++) bonds.val[p] = u16Proportion(bonds.val[p]);
      let ema: Csr;
      if (hp.liquidAlphaEnabled && consensus.some((c) => c !== 0)) {
        ema = liquidEma(weightsForBonds, bonds, consensus, alphaLow, alphaHigh, I32F32.fromInt(hp.alphaSigmoidSteepness));
      } else {
        ema = emaSparse(weightsForBonds, bonds, emaAlpha, n);
      }
      const perValidator = colNormalizedMatmulTranspose(ema, incentive, n);
      dividends = new Float64Array(n);
      for (let i = 0; i < n; i++) dividends[i] = mul(perValidator[i], activeStake[i]);
      normalize(dividends);
      storedBonds = ema;
    } else {
      const bonds = colNormalizeIntegers(loadIntegerRows(input.bonds, n, bondMask), n);
      const delta = colNormalized(rowHadamard(weightsForBonds, activeStake), n);
      const ema = colNormalized(emaSparse(delta, bonds, emaAlpha, n), n);
      dividends = matmulTranspose(ema, incentive);
      normalize(dividends);
      storedBonds = colMaxUpscaled(ema, n);
    }
  }

  // 12. emission
  const combined = new Float64Array(n);
  let emissionSum = 0;
  for (let i = 0; i < n; i++) {
    combined[i] = incentive[i] + dividends[i];
    emissionSum += combined[i];
  }
  const normalized = (x: Float64Array): Float64Array => (emissionSum === 0 ? x.slice() : x.map((v) => div(v, emissionSum)));
  const serverPart = normalized(incentive);
  let validatorPart = normalized(dividends);
  let combinedPart = normalized(combined); // inplace_normalize: Σcombined is the same sum
  if (emissionSum === 0) {
    const fallback = activeStake.every((x) => x === 0) ? stake : activeStake;
    validatorPart = fallback.slice();
    combinedPart = fallback.slice();
  }

  // 13. storage forms
  const emaRows = toRows(storedBonds);
  const bondsOut: U16Row[] = [];
  for (let i = 0; i < n; i++) {
    if (newPermits[i]) bondsOut.push(emaRows[i]);
    else if (oldPermits[i]) bondsOut.push([]);
    else bondsOut.push(classic ? input.bonds[i].map(([j, v]) => [j, v] as [number, number]) : []);
  }
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
