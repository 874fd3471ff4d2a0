/**
 * Reference Yuma epoch on bigint fixed-point: a step-by-step transliteration of Subtensor's
 * sparse `epoch_mechanism` (current, 14bc6f9f9) and classic `epoch` (688d4a7ff), see
 * yuma-spec.md §3–§4. Slow but auditable; `runEpoch` uses the optimised path and falls back to
 * this one for inputs outside the optimised path's proven-exact range. Tests compare the two.
 */
import { I32F32, I64F64, I96F32 } from "./fixed.js";
import { classicLiquidAlphas, liquidAlphaMatrix } from "./liquid-alpha.js";
import {
  colClipSparse,
  fixed64ToFixed32,
  fixedProportionToU16,
  inplaceColMaxUpscaleSparse,
  inplaceColNormalizeSparse,
  inplaceMaskVector,
  inplaceNormalize,
  inplaceNormalize64,
  inplaceNormalizeUsingSum,
  inplaceRowNormalizeSparse,
  interpolateSparse,
  isTopk,
  isTopkNonzero,
  isZero,
  maskDiagSparse,
  maskDiagSparseExceptIndex,
  maskRowsSparse,
  matEmaAlphaSparse,
  matEmaAlphaVecSparse,
  matEmaSparse,
  matmulSparse,
  matmulTransposeSparse,
  matVecMulSparse,
  rowHadamardSparse,
  rowSumSparse,
  scalarVecMaskSparseMatrix,
  vecdiv,
  vecMaskSparseMatrix,
  vecMaxUpscaleToU16,
  vecMul,
  weightedMedianColSparse,
  type DivMode,
  type Fx,
  type SparseMatrix,
} from "./math.js";
import type { EpochInput, EpochOutput, U16Row, YumaHyperparameters } from "./types.js";

const T = I32F32;
const U64_MAX = (1n << 64n) - 1n;

export function saturatingAddU64(a: bigint, b: bigint): bigint {
  const s = a + b;
  return s > U64_MAX ? U64_MAX : s;
}

export function saturatingSubU64(a: bigint, b: bigint): bigint {
  return a > b ? a - b : 0n;
}

/** Stake / threshold / owner exemption → normalised I32F32 stake S (§3 step 2). */
export function normalisedStake(input: EpochInput, owner: number | null, mode: DivMode): Fx[] {
  return normalisedStakeOf(input.stake, stakeThresholdOf(input), owner, mode);
}

/** The stake threshold the epoch applies (current version only). */
export function stakeThresholdOf(input: { version: EpochInput["version"]; hyperparameters: YumaHyperparameters }): bigint {
  return input.version === "classic" ? 0n : input.hyperparameters.stakeThreshold;
}

export function normalisedStakeOf(stake: ArrayLike<bigint>, threshold: bigint, owner: number | null, mode: DivMode): Fx[] {
  const filtered = Array.from(stake, (s, uid) => {
    const v = I64F64.fromInt(s);
    return owner !== uid && I64F64.toU64(v) < threshold ? 0n : v;
  });
  inplaceNormalize64(filtered, mode);
  return filtered.map(fixed64ToFixed32);
}

/** The owner uid the epoch honours: current version only, and only a registered uid. */
export function effectiveOwner(input: Pick<EpochInput, "version" | "n" | "hyperparameters">): number | null {
  const o = input.hyperparameters.ownerUid;
  return input.version === "current" && o !== null && o < input.n ? o : null;
}

/** `bonds_moving_average / 1e6` in I64F64, then alpha = 1 − that in I32F32. */
export function fixedEmaAlpha(bondsMovingAverage: bigint): Fx {
  const ma = I64F64.safeDiv(I64F64.fromInt(bondsMovingAverage), I64F64.fromInt(1_000_000));
  return T.saturatingSub(T.ONE, T.fromFixed(I64F64, ma));
}

/** The block from which bonds count as "before the last epoch" (current bonds mask, §3 step 11). */
export function lastTempoBlock(currentBlock: bigint, hp: YumaHyperparameters): bigint {
  return hp.lastMechanismStepBlock === 0n
    ? saturatingSubU64(currentBlock, BigInt(hp.tempo))
    : saturatingAddU64(hp.lastMechanismStepBlock, 1n);
}

function loadRows(rows: readonly U16Row[], n: number, conv: (v: number) => Fx): SparseMatrix {
  const out: SparseMatrix = [];
  for (let i = 0; i < n; i++) {
    const row = i < rows.length ? rows[i] : [];
    out.push(row.filter(([j]) => j < n).map(([j, v]) => [j, conv(v)] as [number, Fx]));
  }
  return out;
}

/** Emission split in RAO: floor(I96F32(part)·rao_emission) as u64 (§3 step 12). */
export function raoAmounts(parts: readonly Fx[], raoEmission: bigint): bigint[] {
  const rao = I96F32.fromInt(raoEmission);
  return parts.map((p) => I96F32.toU64(I96F32.saturatingMul(I96F32.fromFixed(I32F32, p), rao)));
}

export function runEpochReference(input: EpochInput): EpochOutput {
  const classic = input.version === "classic";
  const mode: DivMode = classic ? "saturating" : "safe";
  const hp = input.hyperparameters;
  const n = input.n;
  const owner = effectiveOwner(input);
  const lastUpdate = input.lastUpdate;
  const reg = input.blockAtRegistration;

  // 1. active
  const inactive = lastUpdate.map((u) => saturatingAddU64(u, hp.activityCutoff) < input.currentBlock);
  const active = inactive.map((b) => !b);

  // 2. stake
  const stake = normalisedStake(input, owner, mode);

  // 3. permits: the epoch masks with the OLD permits and only stores the new ones
  const oldPermits = input.validatorPermit.slice(0, n);
  while (oldPermits.length < n) oldPermits.push(false);
  if (owner !== null) oldPermits[owner] = true;
  const forbids = oldPermits.map((p) => !p);
  const newPermits = classic ? isTopk(stake, hp.maxAllowedValidators) : isTopkNonzero(stake, hp.maxAllowedValidators);
  if (owner !== null) newPermits[owner] = true;

  // 4. active stake
  const activeStake = stake.slice();
  inplaceMaskVector(inactive, activeStake);
  inplaceMaskVector(forbids, activeStake);
  inplaceNormalize(activeStake, mode);

  // 5. weights
  let weights = loadRows(input.weights, n, (v) => T.fromInt(v));
  weights = maskRowsSparse(forbids, weights);
  weights = owner !== null ? maskDiagSparseExceptIndex(weights, owner) : maskDiagSparse(weights);
  weights = vecMaskSparseMatrix(weights, lastUpdate, reg, (u, r) => u <= r);
  inplaceRowNormalizeSparse(weights, mode);
  const preranks = matmulSparse(weights, activeStake, n);

  // 6–8. consensus, clip, validator trust
  const kappa = classic
    ? T.saturatingDiv(T.fromInt(hp.kappa), T.fromInt(65535))
    : T.safeDiv(T.fromInt(hp.kappa), T.fromInt(65535));
  const consensus = weightedMedianColSparse(activeStake, weights, n, kappa, mode);
  const clipped = colClipSparse(weights, consensus);
  const validatorTrust = rowSumSparse(clipped);

  // 9. ranks, trust, incentive
  const ranks = matmulSparse(clipped, activeStake, n);
  const trust = vecdiv(ranks, preranks, mode);
  inplaceNormalize(ranks, mode);
  const incentive = ranks.slice();

  // 10–11. bonds and dividends
  const alphaLow = T.safeDiv(T.fromInt(hp.alphaLow), T.fromInt(65535));
  const alphaHigh = T.safeDiv(T.fromInt(hp.alphaHigh), T.fromInt(65535));
  let dividends: Fx[];
  let emaBonds: SparseMatrix;
  if (classic) {
    let bonds = loadRows(input.bonds, n, (v) => T.fromInt(v));
    bonds = vecMaskSparseMatrix(bonds, lastUpdate, reg, (u, r) => u <= r);
    inplaceColNormalizeSparse(bonds, n, mode);
    const delta = rowHadamardSparse(clipped, activeStake);
    inplaceColNormalizeSparse(delta, n, mode);
    const alphas = hp.liquidAlphaEnabled ? classicLiquidAlphas(consensus, alphaLow, alphaHigh) : null;
    emaBonds = alphas ? matEmaAlphaVecSparse(delta, bonds, alphas) : matEmaSparse(delta, bonds, fixedEmaAlpha(hp.bondsMovingAverage));
    inplaceColNormalizeSparse(emaBonds, n, mode);
    dividends = matmulTransposeSparse(emaBonds, incentive);
    inplaceNormalize(dividends, mode);
    inplaceColMaxUpscaleSparse(emaBonds, n, mode);
  } else {
    const bondsPenalty = T.safeDiv(T.fromInt(hp.bondsPenalty), T.fromInt(65535));
    const weightsForBonds = interpolateSparse(weights, clipped, n, bondsPenalty);
    const lastTempo = lastTempoBlock(input.currentBlock, hp);
    const registeredSince = (lt: bigint, r: bigint): boolean => lt <= r;
    if (hp.yuma3Enabled) {
      let bonds = loadRows(input.bonds, n, (v) => T.safeDiv(T.fromInt(v), T.fromInt(65535)));
      bonds = scalarVecMaskSparseMatrix(bonds, lastTempo, reg, registeredSince);
      if (hp.liquidAlphaEnabled && consensus.some((c) => c !== 0n)) {
        const steepness = T.fromInt(hp.alphaSigmoidSteepness);
        const alphas = liquidAlphaMatrix(weightsForBonds, bonds, consensus, alphaLow, alphaHigh, steepness);
        emaBonds = matEmaAlphaSparse(weightsForBonds, bonds, alphas);
      } else {
        emaBonds = matEmaSparse(weightsForBonds, bonds, fixedEmaAlpha(hp.bondsMovingAverage));
      }
      const emaNorm: SparseMatrix = emaBonds.map((r) => r.map(([j, v]) => [j, v] as [number, Fx]));
      inplaceColNormalizeSparse(emaNorm, n, mode);
      const perValidator = rowSumSparse(matVecMulSparse(emaNorm, incentive));
      dividends = vecMul(perValidator, activeStake);
      inplaceNormalize(dividends, mode);
    } else {
      let bonds = loadRows(input.bonds, n, (v) => T.fromInt(v));
      bonds = scalarVecMaskSparseMatrix(bonds, lastTempo, reg, registeredSince);
      inplaceColNormalizeSparse(bonds, n, mode);
      const delta = rowHadamardSparse(weightsForBonds, activeStake);
      inplaceColNormalizeSparse(delta, n, mode);
      emaBonds = matEmaSparse(delta, bonds, fixedEmaAlpha(hp.bondsMovingAverage));
      inplaceColNormalizeSparse(emaBonds, n, mode);
      dividends = matmulTransposeSparse(emaBonds, incentive);
      inplaceNormalize(dividends, mode);
      inplaceColMaxUpscaleSparse(emaBonds, n, mode);
    }
  }

  // 12. emission
  const combined = incentive.map((x, i) => T.saturatingAdd(x, dividends[i] ?? 0n));
  const emissionSum = T.sum(combined);
  const serverPart = incentive.slice();
  let validatorPart = dividends.slice();
  let combinedPart = combined.slice();
  inplaceNormalizeUsingSum(serverPart, emissionSum, mode);
  inplaceNormalizeUsingSum(validatorPart, emissionSum, mode);
  inplaceNormalize(combinedPart, mode);
  if (emissionSum === 0n) {
    const fallback = isZero(activeStake) ? stake : activeStake;
    validatorPart = fallback.slice();
    combinedPart = fallback.slice();
  }

  // 13. storage forms
  const bondsOut: U16Row[] = [];
  for (let i = 0; i < n; i++) {
    if (newPermits[i]) bondsOut.push((emaBonds[i] ?? []).map(([j, v]) => [j, fixedProportionToU16(v)]));
    else if (oldPermits[i]) bondsOut.push([]);
    // classic leaves the row untouched; current rewrites every row from the epoch terms, whose
    // default bond row is empty (persist_mechanism_epoch_terms)
    else bondsOut.push(classic ? (input.bonds[i] ?? []).map(([j, v]) => [j, v] as [number, number]) : []);
  }

  return {
    active,
    validatorPermit: newPermits,
    stakeWeight: stake.map(fixedProportionToU16),
    consensus: consensus.map(fixedProportionToU16),
    incentive: incentive.map(fixedProportionToU16),
    dividends: dividends.map(fixedProportionToU16),
    validatorTrust: validatorTrust.map(fixedProportionToU16),
    rank: ranks.map(fixedProportionToU16),
    trust: trust.map(fixedProportionToU16),
    pruningScores: vecMaxUpscaleToU16(combinedPart, mode),
    emission: raoAmounts(combinedPart, input.raoEmission),
    serverEmission: raoAmounts(serverPart, input.raoEmission),
    validatorEmission: raoAmounts(validatorPart, input.raoEmission),
    bonds: bondsOut,
  };
}
