/**
 * The coinbase's events, appended by `../index.ts` at the END of SubtensorModule's event table
 * (indices SUBTENSOR_EVENTS.length, +1, …, after every classic and later event), so no existing
 * index moves. Classic Subtensor emits no event when an epoch runs; HEAD's EpochTriggered /
 * EpochDeferred / EpochSkipped concern dynamic tempo, so these are ours.
 *
 * `EpochRun { netuid, block, pending, owner_cut, server, validator, dropped }`: the subnet's epoch
 * block came at `block`; it drained `pending` RAO of PendingEmission, paid `owner_cut` to the
 * owner's coldkey, `server` RAO of incentive and `validator` RAO of dividends as stake, and
 * dropped the rest: what Yuma's floored amounts leave over, an epoch where nobody has stake or
 * weights, a subnet whose registration is closed (no Yuma), an owner cut below the existential
 * deposit of a dead account. Dropped RAO was never issued and is not carried to the next epoch.
 * pending == owner_cut + server + validator + dropped, and SubtensorModule.TotalIssuance rises by
 * owner_cut + server + validator.
 *
 * `PendingEmissionDropped { netuid, amount }`: a subnet was removed (dissolve_network, or pruned by
 * register_network) with `amount` RAO of PendingEmission that no epoch had paid; it is dropped
 * with the subnet (never issued). Deposited only when the amount is not zero.
 */
import { u16, u64, type Codec, type EnumValue, type FieldSpec } from "../../../../codec/scale.js";
import type { EventDecl } from "../../../frame/pallet.js";
import { SUBTENSOR_EVENTS } from "../events.js";
import { SUBTENSOR_PALLET_NAME } from "../storage.js";

const field = (name: string, type: Codec<unknown>, typeName: string, doc: string): FieldSpec => ({ name, type, typeName, docs: [doc] });

export const EPOCH_RUN = "EpochRun";
export const PENDING_EMISSION_DROPPED = "PendingEmissionDropped";

/** Our events, with their indices after SubtensorModule's own table. */
export const COINBASE_EVENTS: EventDecl[] = [
  {
    name: EPOCH_RUN,
    index: SUBTENSOR_EVENTS.length,
    fields: [
      field("netuid", u16 as Codec<unknown>, "u16", "The subnet whose epoch ran."),
      field("block", u64 as Codec<unknown>, "u64", "The block of the epoch."),
      field("pending", u64 as Codec<unknown>, "u64", "PendingEmission drained by the epoch (RAO)."),
      field("owner_cut", u64 as Codec<unknown>, "u64", "Paid to the subnet owner's coldkey (RAO)."),
      field("server", u64 as Codec<unknown>, "u64", "Incentive paid to the UIDs as stake (RAO)."),
      field("validator", u64 as Codec<unknown>, "u64", "Dividends paid to the UIDs and their nominators as stake (RAO)."),
      field("dropped", u64 as Codec<unknown>, "u64", "Drained but not paid: never issued, not carried over (RAO)."),
    ],
    docs: ["a subnet's epoch ran: its pending emission was drained, paid out, and the rest dropped."],
  },
  {
    name: PENDING_EMISSION_DROPPED,
    index: SUBTENSOR_EVENTS.length + 1,
    fields: [
      field("netuid", u16 as Codec<unknown>, "u16", "The removed subnet."),
      field("amount", u64 as Codec<unknown>, "u64", "Its PendingEmission, dropped unpaid (RAO)."),
    ],
    docs: ["a removed subnet's unpaid pending emission was dropped (never issued)."],
  },
];

export interface EpochRunFields {
  netuid: number;
  block: bigint;
  pending: bigint;
  ownerCut: bigint;
  server: bigint;
  validator: bigint;
  dropped: bigint;
}

/** The RuntimeEvent value of EpochRun (fields keyed by camelCase names, as every named event). */
export function epochRunEvent(f: EpochRunFields): EnumValue {
  return { tag: SUBTENSOR_PALLET_NAME, value: { tag: EPOCH_RUN, value: { ...f } } };
}

/** The RuntimeEvent value of PendingEmissionDropped. */
export function pendingEmissionDroppedEvent(netuid: number, amount: bigint): EnumValue {
  return { tag: SUBTENSOR_PALLET_NAME, value: { tag: PENDING_EMISSION_DROPPED, value: { netuid, amount } } };
}
