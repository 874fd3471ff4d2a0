/**
 * Liquid alpha: the per-bond (current, Yuma3) and per-column (classic) EMA coefficients.
 *
 * current: `alpha_sigmoid` + `compute_liquid_alpha_values_sparse` (run_epoch.rs)
 * classic: `calculate_logistic_params`, `compute_alpha_values`, `clamp_alpha_values` (688d4a7ff)
 */
import { I32F32 } from "./fixed.js";
import { clampValue, quantileQuarters, type Fx, type SparseMatrix } from "./math.js";
import { expSafe, safeExp, safeLn } from "./transcendental.js";

const T = I32F32;
const ZERO = 0n;
const ONE = T.ONE;
const HALF = ONE >> 1n;
const MINUS_100 = T.fromInt(-100);

/**
 * `alpha_sigmoid(c, w, b)`: buy = clamp(w−c, 0, 1), sell = clamp(b−w, 0, 1),
 * d = buy if w ≥ b else sell; σ = 1/(1 + exp_safe((steepness / −100)·(d − ½)));
 * α = clamp(low + σ·(high − low), low, high).
 */
export function alphaSigmoid(consensus: Fx, weight: Fx, bond: Fx, alphaLow: Fx, alphaHigh: Fx, steepness: Fx): Fx {
  return alphaFromDiff(combinedDiff(consensus, weight, bond), alphaLow, alphaHigh, steepness);
}

/** The only input of the sigmoid that depends on (c, w, b); lets callers memoise alphaFromDiff. */
export function combinedDiff(consensus: Fx, weight: Fx, bond: Fx): Fx {
  const diffBuy = clampValue(T.saturatingSub(weight, consensus), ZERO, ONE);
  const diffSell = clampValue(T.saturatingSub(bond, weight), ZERO, ONE);
  return weight >= bond ? diffBuy : diffSell;
}

export function alphaFromDiff(d: Fx, alphaLow: Fx, alphaHigh: Fx, steepness: Fx): Fx {
  const k = T.saturatingDiv(steepness, MINUS_100);
  return alphaFromExpArg(T.saturatingMul(k, T.saturatingSub(d, HALF)), alphaLow, alphaHigh);
}

/** The rest of `alpha_sigmoid` once its exp argument x = k·(d − ½) is known. */
export function alphaFromExpArg(x: Fx, alphaLow: Fx, alphaHigh: Fx): Fx {
  const e = expSafe(x);
  const sigmoid = T.saturatingDiv(ONE, T.saturatingAdd(ONE, e));
  const alpha = T.saturatingAdd(alphaLow, T.saturatingMul(sigmoid, T.saturatingSub(alphaHigh, alphaLow)));
  return clampValue(alpha, alphaLow, alphaHigh);
}

/**
 * `compute_liquid_alpha_values_sparse`: an n×n alpha matrix. The (i,j) weight and bond are read by
 * walking each sparse row once with a cursor that assumes ascending columns; on an unsorted row
 * the cursor can stop early, so some entries read as 0. We reproduce the walk exactly.
 */
export function liquidAlphaMatrix(
  weights: SparseMatrix,
  bonds: SparseMatrix,
  consensus: readonly Fx[],
  alphaLow: Fx,
  alphaHigh: Fx,
  steepness: Fx,
): Fx[][] {
  if (weights.length !== bonds.length) return [];
  return weights.map((wRow, i) => {
    const bRow = bonds[i];
    const out: Fx[] = new Array(consensus.length);
    let wp = 0;
    let bp = 0;
    for (let j = 0; j < consensus.length; j++) {
      let weight = ZERO;
      while (wp < wRow.length) {
        const [c, v] = wRow[wp];
        if (c < j) wp++;
        else {
          if (c === j) weight = v;
          break;
        }
      }
      let bond = ZERO;
      while (bp < bRow.length) {
        const [c, v] = bRow[bp];
        if (c < j) bp++;
        else {
          if (c === j) bond = v;
          break;
        }
      }
      out[j] = alphaSigmoid(consensus[j], weight, bond, alphaLow, alphaHigh, steepness);
    }
    return out;
  });
}

// ------------------------------------------------------------------ classic (2024)

/**
 * `calculate_logistic_params`: slope a and intercept b of the logistic through
 * (c_low, α_low) and (c_high, α_high); (0, 0) when degenerate.
 */
export function logisticParams(alphaHigh: Fx, alphaLow: Fx, consensusHigh: Fx, consensusLow: Fx): [Fx, Fx] {
  if (consensusHigh <= consensusLow || alphaLow === ZERO || alphaHigh === ZERO) return [ZERO, ZERO];
  const lnHigh = safeLn(T.saturatingSub(T.saturatingDiv(ONE, alphaHigh), ONE));
  const lnLow = safeLn(T.saturatingSub(T.saturatingDiv(ONE, alphaLow), ONE));
  const a = T.saturatingDiv(T.saturatingSub(lnHigh, lnLow), T.saturatingSub(consensusLow, consensusHigh));
  const b = T.saturatingAdd(lnLow, T.saturatingMul(a, consensusLow));
  return [a, b];
}

/** `compute_alpha_values` + `clamp_alpha_values`: α_j = clamp(1/(1+exp(b − a·C_j)), lo, hi). */
export function classicAlphaValues(consensus: readonly Fx[], a: Fx, b: Fx, alphaHigh: Fx, alphaLow: Fx): Fx[] {
  return consensus.map((c) => {
    const e = safeExp(T.saturatingSub(b, T.saturatingMul(a, c)));
    const alpha = T.saturatingDiv(ONE, T.saturatingAdd(ONE, e));
    // a.min(&alpha_high).max(&alpha_low)
    return clampValue(alpha, alphaLow, alphaHigh);
  });
}

/**
 * Classic liquid-alpha gate and coefficients: `null` means "use the fixed bonds_moving_average
 * alpha" (liquid alpha off, all consensus zero, or the quantile condition fails).
 */
export function classicLiquidAlphas(consensus: readonly Fx[], alphaLow: Fx, alphaHigh: Fx): Fx[] | null {
  if (consensus.length === 0 || !consensus.some((c) => c !== ZERO)) return null;
  const cHigh = quantileQuarters(consensus, 3);
  const cLow = quantileQuarters(consensus, 1);
  if (!(cHigh > cLow || cHigh !== ZERO || cLow < ZERO)) return null;
  const [a, b] = logisticParams(alphaHigh, alphaLow, cHigh, cLow);
  return classicAlphaValues(consensus, a, b, alphaHigh, alphaLow);
}
