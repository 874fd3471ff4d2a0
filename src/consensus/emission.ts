/**
 * Block emission and the pure splits of the payout (subtensor-reference.md §2). All amounts are
 * RAO (1 TAO = 10^9 RAO) as bigint. Every split returns parts that add up to the input exactly.
 *
 * Two halving rules:
 *  - "height": 1 TAO >> ⌊(h − 1) / 10 500 000⌋ per block (h ≥ 1; nothing at genesis, h = 0);
 *  - "issuance": Subtensor's `get_block_emission_for_issuance`, where the halving follows the
 *    total issuance (recycled TAO postpones it), computed with the same I96F32 / log2 steps.
 * Either way the block's emission is clipped so that issuance never exceeds 21 000 000 TAO.
 */
import { I64F64, I96F32 } from "./yuma/fixed.js";
import { log2 } from "./yuma/transcendental.js";

export const RAO_PER_TAO = 1_000_000_000n;
/** 21 000 000 TAO (`TotalSupply`) */
export const TOTAL_SUPPLY = 21_000_000n * RAO_PER_TAO;
/** `DefaultBlockEmission`: 1 TAO */
export const DEFAULT_BLOCK_EMISSION = RAO_PER_TAO;
export const HALVING_INTERVAL = 10_500_000n;
/** `SubnetOwnerCut` / `DefaultDelegateTake` default: 11796/65535 ≈ 18% */
export const DEFAULT_OWNER_CUT = 11796;
export const DEFAULT_DELEGATE_TAKE = 11796;

export type HalvingRule = "height" | "issuance";

export class EmissionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EmissionError";
  }
}

/** Height-based schedule: 10^9 RAO >> ⌊(h − 1) / 10.5M⌋ for h ≥ 1, 0 for h = 0. */
export function blockEmission(height: bigint): bigint {
  if (height < 0n) throw new EmissionError(`negative block height ${height}`);
  if (height === 0n) return 0n;
  const halvings = (height - 1n) / HALVING_INTERVAL;
  // bigint shifts are exact for any count; beyond 30 halvings 10^9 >> k is 0
  return DEFAULT_BLOCK_EMISSION >> halvings;
}

/** Clips a mint so that `totalIssuance + minted` never exceeds the supply cap. */
export function capMint(amount: bigint, totalIssuance: bigint, supply: bigint = TOTAL_SUPPLY): bigint {
  if (amount <= 0n) return 0n;
  const room = supply - totalIssuance;
  if (room <= 0n) return 0n;
  return amount < room ? amount : room;
}

/**
 * Subtensor `get_block_emission_for_issuance`: if issuance ≥ 21e15 → 0; else
 * k = ⌊log2(1 / (1 − issuance / 2.1e16))⌋ and emission = ⌊10^9 / 2^k⌋, every step in I96F32
 * with substrate-fixed's log2. A failed step (Rust `Err`) mints nothing.
 */
export function blockEmissionForIssuance(issuance: bigint): bigint {
  const t = I96F32;
  const totalIssuance = t.fromInt(issuance);
  if (totalIssuance >= t.fromInt(TOTAL_SUPPLY)) return 0n;
  const twoHalves = t.saturatingMul(t.fromInt(2), t.fromInt(10_500_000_000_000_000n));
  const ratio = t.checkedDiv(totalIssuance, twoHalves);
  if (ratio === null) return 0n;
  const oneMinus = t.checkedSub(t.ONE, ratio);
  if (oneMinus === null) return 0n;
  const inverse = t.checkedDiv(t.ONE, oneMinus);
  if (inverse === null) return 0n;
  const residual = log2(t, inverse);
  if (residual === null) return 0n;
  const k = t.toU64(t.floor(residual));
  let multiplier = t.ONE;
  // saturating doublings; the multiplier saturates long before 200 steps (k ≤ 32 in practice)
  for (let i = 0n; i < k && i < 200n; i++) multiplier = t.saturatingMul(multiplier, t.fromInt(2));
  const percentage = t.safeDiv(t.ONE, multiplier);
  return t.toU64(t.saturatingMul(percentage, t.fromInt(DEFAULT_BLOCK_EMISSION)));
}

/**
 * The emission of one block under the chosen rule, clipped to the supply cap. The issuance rule
 * reads `totalIssuance` alone (Subtensor's `get_block_emission` reads TotalIssuance, which counts
 * TAO when it is paid). The cap also counts `owed`: emission scheduled earlier and not paid yet
 * (PendingEmission), so that paying it can never take the issuance past 21M TAO.
 */
export function emissionForBlock(opts: { rule: HalvingRule; height: bigint; totalIssuance: bigint; owed?: bigint }): bigint {
  const raw = opts.rule === "height" ? blockEmission(opts.height) : blockEmissionForIssuance(opts.totalIssuance);
  return capMint(raw, opts.totalIssuance + (opts.owed ?? 0n));
}

// ------------------------------------------------------------------ splits

function checkU16(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 65535) throw new EmissionError(`${name} must be a u16, got ${v}`);
}

/**
 * Subnet owner cut at the epoch (Subtensor's `run_coinbase` at 688d4a7ff, step 4.5):
 *
 *   owner_cut = I96F32(pending) × (I96F32(SubnetOwnerCut) / I96F32(65535))
 *
 * in that order: the ratio first (I96F32 division, truncated to 32 fraction bits), then the
 * product (floored to 32 fraction bits), then `to_num::<u64>()` (floor). Because the ratio is
 * truncated first, the owner gets a few RAO less than ⌊pending·cut/65535⌋ on typical amounts
 * (38 000 000 000 RAO at 11796 → 6 839 826 045, not 6 839 826 047). The rest, handed to Yuma, is
 * `pending − owner` (Subtensor's u64 `saturating_sub`), so owner + rest = pending exactly.
 */
export function splitOwnerCut(amount: bigint, cut: number = DEFAULT_OWNER_CUT): { owner: bigint; rest: bigint } {
  checkU16("owner cut", cut);
  if (amount < 0n) throw new EmissionError(`negative amount ${amount}`);
  const t = I96F32;
  const ratio = t.saturatingDiv(t.fromInt(cut), t.fromInt(65535));
  const owner = t.toU64(t.saturatingMul(t.fromInt(amount), ratio));
  return { owner, rest: amount - owner };
}

/**
 * Distributes exactly `total` pro rata to `weights`. Each share is ⌊total·w_i / W⌋; the
 * remainder (fewer RAO than there are non-zero weights) goes one RAO at a time to the entries
 * with the largest fractional parts, ties to the lower index (largest-remainder method). With
 * W = 0 there is no basis to split on: allowed only for total = 0.
 */
export function splitProRata(total: bigint, weights: readonly bigint[]): bigint[] {
  if (total < 0n) throw new EmissionError(`negative total ${total}`);
  let w = 0n;
  for (const x of weights) {
    if (x < 0n) throw new EmissionError(`negative weight ${x}`);
    w += x;
  }
  if (w === 0n) {
    if (total === 0n) return weights.map(() => 0n);
    throw new EmissionError("cannot split a non-zero amount over zero weights");
  }
  const shares = weights.map((x) => (total * x) / w);
  const fractions = weights.map((x) => (total * x) % w);
  let remainder = total - shares.reduce((a, b) => a + b, 0n);
  const order = weights.map((_, i) => i).sort((a, b) => (fractions[a] > fractions[b] ? -1 : fractions[a] < fractions[b] ? 1 : a - b));
  for (let k = 0; remainder > 0n; k++, remainder--) shares[order[k]] += 1n;
  return shares;
}

/**
 * Classic `emit_inflation_through_hotkey_account` for a delegate hotkey: the delegate keeps
 * ⌊take/65535 · validatorEmission⌋ (I64F64), each staker i gets ⌊(stake_i / totalStake) ·
 * rest⌋ (I64F64 proportion, truncated), and the RAO left over by those floors also goes to the
 * delegate — so Subtensor itself conserves RAO here; no deviation. The server (miner) emission
 * goes to the hotkey in full. `totalStake` defaults to Σ stakes (on chain it is
 * `TotalHotkeyStake`, which equals that sum).
 */
export function splitDelegateEmission(
  serverEmission: bigint,
  validatorEmission: bigint,
  take: number,
  stakes: readonly bigint[],
  totalStake?: bigint,
): { hotkey: bigint; delegateTake: bigint; nominators: bigint[] } {
  checkU16("delegate take", take);
  if (validatorEmission < 0n || serverEmission < 0n) throw new EmissionError("negative emission");
  const t = I64F64;
  const sum = stakes.reduce((a, b) => a + b, 0n);
  const total = totalStake ?? sum;
  // with Σ stakes > total the proportions would exceed 1 and Subtensor's saturating_reduce would
  // mint RAO; on chain TotalHotkeyStake equals the sum, so refuse inconsistent input instead
  if (sum > total) throw new EmissionError(`stakes sum ${sum} exceeds the hotkey's total stake ${total}`);
  const takeProportion = t.saturatingDiv(t.fromInt(take), t.fromInt(65535));
  const delegateTake = t.toU64(t.saturatingMul(takeProportion, t.fromInt(validatorEmission)));
  const rest = validatorEmission - delegateTake;
  const nominators = stakes.map((s) => {
    if (total === 0n) return 0n;
    const proportion = t.saturatingDiv(t.fromInt(s), t.fromInt(total));
    return t.toU64(t.saturatingMul(t.fromInt(rest), proportion));
  });
  let leftover = rest;
  for (const x of nominators) leftover = leftover > x ? leftover - x : 0n; // saturating_reduce
  return { hotkey: delegateTake + leftover + serverEmission, delegateTake, nominators };
}
