/**
 * This block's emission: the schedule chosen at genesis (height or issuance halving, see
 * config.ts), clipped so that SubtensorModule.TotalIssuance never passes 21 000 000 TAO, and shown
 * in `BlockEmission` (written only when it changes, as Subtensor's `get_block_emission_for_issuance`
 * does).
 */
import type { StorageAccess } from "../../../../state/types.js";
import { emissionForBlock } from "../../../../../consensus/emission.js";
import { BlockEmission, TotalIssuance } from "../storage.js";
import { coinbaseConfig } from "./config.js";

/** The RAO block `height` may mint at most (before the split decides how much of it is minted). */
export function blockEmissionAt(state: StorageAccess, height: bigint): bigint {
  const amount = emissionForBlock({ rule: coinbaseConfig(state).halving, height, totalIssuance: TotalIssuance.get(state) });
  if (BlockEmission.get(state) !== amount) BlockEmission.put(state, amount);
  return amount;
}
