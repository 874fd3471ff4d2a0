/**
 * The emission schedule the dashboard plots: issuance over block height if every block mints its
 * full emission (1 TAO halving every 10.5M blocks, capped at 21M TAO), and where the next halving
 * falls. Under the issuance rule the halving follows TotalIssuance instead (recycled TAO delays
 * it); the thresholds are where issuance crosses 21M × (1 − 2^-k).
 */
import { DEFAULT_BLOCK_EMISSION, HALVING_INTERVAL, TOTAL_SUPPLY } from "../../src/consensus/emission.js";

const TAO = 1e9;

/** Issuance (TAO) at `height` when the chain started at `genesisTao` and every block minted in full. */
export function scheduledIssuance(height: number, genesisTao: number): number {
  const interval = Number(HALVING_INTERVAL);
  let minted = 0;
  let left = height;
  for (let era = 0; left > 0 && era < 64; era++) {
    const blocks = Math.min(left, interval);
    minted += blocks * (Number(DEFAULT_BLOCK_EMISSION) / TAO) / 2 ** era;
    left -= blocks;
  }
  return Math.min(genesisTao + minted, Number(TOTAL_SUPPLY) / TAO);
}

/** The curve from genesis through `halvings` halving intervals, sampled for a chart. */
export function scheduleCurve(genesisTao: number, halvings = 6, samples = 120): Array<{ x: number; y: number }> {
  const end = Number(HALVING_INTERVAL) * halvings;
  return Array.from({ length: samples + 1 }, (_, i) => {
    const x = Math.round((end * i) / samples);
    return { x, y: scheduledIssuance(x, genesisTao) };
  });
}

/** Height rule: the first block of the next era (block h mints 1 TAO >> ⌊(h − 1) / 10.5M⌋). */
export function nextHalvingBlock(best: number): number {
  const interval = Number(HALVING_INTERVAL);
  return Math.floor(Math.max(best - 1, 0) / interval + 1) * interval + 1;
}

/** Issuance rule: the issuance (TAO) at which emission halves next. */
export function nextHalvingIssuance(issuanceTao: number): number {
  const supply = Number(TOTAL_SUPPLY) / TAO;
  for (let k = 1; k < 64; k++) {
    const threshold = supply * (1 - 2 ** -k);
    if (issuanceTao < threshold) return threshold;
  }
  return supply;
}
