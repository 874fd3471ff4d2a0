/**
 * The classic root epoch (`root_epoch` in root.rs at de1026780): the root validators (netuid 0,
 * at most 64, the lowest-stake member replaced by a richer newcomer at registration) vote with
 * their stake over subnets through `set_root_weights`; the result is each subnet's
 * `EmissionValues` entry, the RAO per block it receives.
 *
 *   S = root validators' TotalHotkeyStake, normalised (I64F64)
 *   W = root weights (rows: root uids, columns: NetworksAdded in storage order), row-normalised
 *   rank_j = Σ_i S_i·W_ij; trust_j = Σ_{i: W_ij > 0} S_i / Σ S
 *   consensus_j = 1 / (1 + exp(−ρ·(trust_j − κ)))   (ρ, κ of the root network)
 *   EmissionValues_j = ⌊normalise(consensus ⊙ rank)_j · block emission⌋
 *
 * Every step in I64F64 with Subtensor's saturation and truncation, and substrate-fixed's `exp`.
 * Like the Rust code, an epoch that cannot run (no root validators, no subnets, no stake, a
 * length mismatch) changes nothing and returns the reason.
 */
import type { StorageAccess } from "../../../../state/types.js";
import { I32F32, I64F64 } from "../../../../../consensus/yuma/fixed.js";
import { exp } from "../../../../../consensus/yuma/transcendental.js";
import { ROOT_NETUID } from "../constants.js";
import { EmissionValues, Kappa, Keys, NetworksAdded, Rho, SubnetworkN, TotalHotkeyStake, TotalNetworks, Weights } from "../storage.js";

const t = I64F64;

export type RootEpochResult = { ok: true; netuids: number[]; emission: bigint[] } | { ok: false; reason: string };

/** `get_all_subnet_netuids`: every NetworksAdded key, in storage (iteration) order. */
export function allSubnetNetuids(state: StorageAccess): number[] {
  return NetworksAdded.entries(state).map((e) => e.keys[0]);
}

/** `inplace_normalize_64`: x / Σx (saturating division), untouched when Σx = 0. */
function normalize64(x: bigint[]): void {
  const s = x.reduce((a, b) => a + b, 0n);
  if (s === 0n) return;
  for (let i = 0; i < x.length; i++) x[i] = t.saturatingDiv(x[i], s);
}

/** `inplace_row_normalize_64`: rows with a positive sum are divided by it. */
function rowNormalize64(m: bigint[][]): void {
  for (const row of m) {
    const s = row.reduce((a, b) => a + b, 0n);
    if (s > 0n) for (let j = 0; j < row.length; j++) row[j] = t.saturatingDiv(row[j], s);
  }
}

/** `matmul_64(W, S)`: result_j = Σ_i S_i·W_ij, saturating, over the columns of the first row. */
function matmul64(m: bigint[][], v: bigint[]): bigint[] {
  if (m.length === 0 || m[0].length === 0) return [];
  const acc = new Array<bigint>(m[0].length).fill(0n);
  for (let i = 0; i < m.length; i++) {
    const row = m[i];
    for (let j = 0; j < acc.length; j++) acc[j] = t.saturatingAdd(acc[j], t.saturatingMul(v[i], row[j]));
  }
  return acc;
}

/**
 * The root epoch's emission values for `blockEmission` RAO per block, without writing anything.
 * (The caller decides when it runs: classic runs it on the root network's epoch blocks.)
 */
export function computeRootEmission(state: StorageAccess, blockEmission: bigint): RootEpochResult {
  const fail = (reason: string): RootEpochResult => ({ ok: false, reason });
  const root = ROOT_NETUID;

  // --- 2–3. root validators and subnets
  const n = SubnetworkN.get(state, root);
  if (n === 0) return fail("No validators to validate emission values.");
  const netuids = allSubnetNetuids(state);
  if (netuids.length === 0) return fail("No networks to validate emission values.");
  const emission = t.fromInt(blockEmission);

  // --- 5–6. stake of each root hotkey, in Keys iteration order (= uid order for uids < 256), normalised
  const hotkeys = Keys.entries(state, root);
  const stake = new Array<bigint>(n).fill(0n);
  for (let i = 0; i < Math.min(n, hotkeys.length); i++) stake[i] = t.fromInt(TotalHotkeyStake.get(state, hotkeys[i].value));
  normalize64(stake);

  // --- 7. n × k weights (k = TotalNetworks), columns matched to the subnet list position
  const k = TotalNetworks.get(state);
  const columns = Math.min(k, netuids.length);
  const weights: bigint[][] = Array.from({ length: n }, () => new Array<bigint>(k).fill(0n));
  for (const { keys, value: row } of Weights.entries(state, root)) {
    const uid = keys[1];
    if (uid >= n) continue;
    for (const [netuid, w] of row) {
      const p = netuids.indexOf(netuid);
      if (p >= 0 && p < columns) weights[uid][p] = t.fromInt(w);
    }
  }
  rowNormalize64(weights);

  // --- 8. ranks
  const ranks = matmul64(weights, stake);

  // --- 9. trust: the share of stake that put a non-zero weight on each subnet
  const trust = new Array<bigint>(k).fill(0n);
  let totalStake = 0n;
  for (let i = 0; i < n; i++) {
    totalStake = t.saturatingAdd(totalStake, stake[i]);
    for (let j = 0; j < k; j++) if (weights[i][j] > 0n) trust[j] = t.saturatingAdd(trust[j], stake[i]);
  }
  if (totalStake === 0n) return fail("No stake on network");
  for (let j = 0; j < k; j++) {
    const q = t.checkedDiv(trust[j], totalStake);
    if (q !== null) trust[j] = q;
  }

  // --- 10. consensus: logistic of the trust around the root network's kappa, with its rho
  const kappa = t.fromFixed(I32F32, I32F32.saturatingDiv(I32F32.fromInt(Kappa.get(state, root)), I32F32.fromInt(65535)));
  const rho = t.fromInt(Rho.get(state, root));
  const consensus = trust.map((tr) => {
    const temperatured = t.saturatingMul(t.saturatingSub(tr, kappa), rho);
    const e = exp(t, t.saturatingNeg(temperatured));
    // Rust `expect`s here: the argument lies in (−ρκ, ρ(1−κ)), where exp cannot fail
    if (e === null) throw new Error(`root epoch: exp(${temperatured}) failed`);
    return t.saturatingDiv(t.ONE, t.saturatingAdd(t.ONE, e));
  });

  // --- 10–12. consensus-weighted ranks, normalised, times the block emission
  const weighted = new Array<bigint>(k).fill(0n);
  for (let j = 0; j < Math.min(k, ranks.length); j++) weighted[j] = t.saturatingMul(consensus[j], ranks[j]);
  normalize64(weighted);
  const values = weighted.map((v) => t.toU64(t.saturatingMul(v, emission)));

  // --- 13. set_emission_values' checks
  if (netuids.some((netuid) => !NetworksAdded.get(state, netuid))) return fail("Invalid netuids");
  if (netuids.length !== values.length) return fail("netuids and emission must have the same length");
  return { ok: true, netuids, emission: values };
}

/** `root_epoch`'s effect: computes and stores EmissionValues (nothing changes when it cannot run). */
export function runRootEpoch(state: StorageAccess, blockEmission: bigint): RootEpochResult {
  const r = computeRootEmission(state, blockEmission);
  if (r.ok) r.netuids.forEach((netuid, i) => EmissionValues.put(state, r.emission[i], netuid));
  return r;
}
