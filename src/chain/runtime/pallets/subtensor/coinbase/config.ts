/**
 * The coinbase's genesis options, kept in state so that every node computes the same emission
 * from the chain itself (not from the spec file it was started with) and clients can read them.
 *
 * Two SubtensorModule storage items of our own (classic Subtensor has neither: it always halves by
 * issuance and emits nothing without root weights). They are appended to the pallet's storage by
 * the assembly in `../index.ts`, after every Subtensor item, so no classic item moves.
 *
 * - `EmissionHalvingByIssuance` (bool, default false): false = the height schedule
 *   `1 TAO >> ⌊(h − 1) / 10 500 000⌋` (DESIGN.md), true = Subtensor's issuance-based halving.
 * - `EmissionEqualSplitFallback` (bool, default false): while no root weights exist (the root
 *   network assigns no emission: every EmissionValues entry is 0), split the block emission
 *   equally among the subnets that can receive emission (subnetSplit.ts).
 *
 * Absent items read as classic Subtensor's behaviour (false, false); genesis writes both
 * explicitly, with the fallback on unless the spec turns it off (genesis.ts).
 */
import { bool } from "../../../../codec/scale.js";
import type { ReadAccess, StorageAccess } from "../../../../state/types.js";
import { storageValue, type AnyStorageItem } from "../../../frame/storage.js";
import type { HalvingRule } from "../../../../../consensus/emission.js";
import { SUBTENSOR_PALLET_NAME } from "../storage.js";

export const EmissionHalvingByIssuance = storageValue({
  name: "EmissionHalvingByIssuance",
  value: bool,
  default: false,
  docs: ["ITEM ( emission_halving_by_issuance ) | subtensor-ts: true = issuance-based halving (Subtensor), false = 1 TAO >> floor((h-1)/10.5M)"],
});

export const EmissionEqualSplitFallback = storageValue({
  name: "EmissionEqualSplitFallback",
  value: bool,
  default: false,
  docs: ["ITEM ( emission_equal_split_fallback ) | subtensor-ts: while no root weights exist (EmissionValues all 0), split the block emission equally among subnets with registration allowed"],
});

/** Our items, in the order they are appended to SubtensorModule's storage. */
export const COINBASE_STORAGE: AnyStorageItem[] = [EmissionHalvingByIssuance, EmissionEqualSplitFallback];

for (const item of COINBASE_STORAGE) item.bind(SUBTENSOR_PALLET_NAME);

export interface CoinbaseConfig {
  halving: HalvingRule;
  equalSplitFallback: boolean;
}

/** The options as the coinbase uses them ("height" is emission.ts's name for the genesis "block" rule). */
export function coinbaseConfig(state: ReadAccess): CoinbaseConfig {
  return {
    halving: EmissionHalvingByIssuance.get(state) ? "issuance" : "height",
    equalSplitFallback: EmissionEqualSplitFallback.get(state),
  };
}

/** Genesis: stores the spec's emission options. */
export function putCoinbaseConfig(state: StorageAccess, o: { halving: "block" | "issuance"; equalSplitFallback: boolean }): void {
  EmissionHalvingByIssuance.put(state, o.halving === "issuance");
  EmissionEqualSplitFallback.put(state, o.equalSplitFallback);
}
