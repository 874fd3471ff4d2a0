/**
 * This block's emission: the schedule chosen at genesis (height or issuance halving, see
 * config.ts), shown in `BlockEmission` (written only when it changes, as Subtensor's
 * `get_block_emission_for_issuance` does).
 *
 * The issuance rule reads SubtensorModule.TotalIssuance, which (as in Subtensor) counts TAO when
 * it is paid, not while it waits in PendingEmission. The 21 000 000 TAO cap counts both, so the
 * emission already owed to the subnets can always be paid without passing it.
 */
import type { StorageAccess } from "../../../../state/types.js";
import { emissionForBlock } from "../../../../../consensus/emission.js";
import { BlockEmission, PendingEmission, TotalIssuance } from "../storage.js";
import { coinbaseConfig } from "./config.js";

/** Σ PendingEmission: emission scheduled to subnets and not paid out (nor dropped) yet. */
export function totalPendingEmission(state: StorageAccess): bigint {
  let owed = 0n;
  for (const { value } of PendingEmission.entries(state)) owed += value;
  return owed;
}

/** The RAO block `height` schedules to the subnets at most (the split decides how much of it is scheduled). */
export function blockEmissionAt(state: StorageAccess, height: bigint): bigint {
  const amount = emissionForBlock({ rule: coinbaseConfig(state).halving, height, totalIssuance: TotalIssuance.get(state), owed: totalPendingEmission(state) });
  if (BlockEmission.get(state) !== amount) BlockEmission.put(state, amount);
  return amount;
}
