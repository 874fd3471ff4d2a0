/**
 * The coinbase's event, appended by `../index.ts` at the END of SubtensorModule's event table
 * (index = SUBTENSOR_EVENTS.length, after every classic and later event), so no existing index
 * moves. Classic Subtensor emits no event when an epoch runs; HEAD's EpochTriggered /
 * EpochDeferred / EpochSkipped concern dynamic tempo, so this one is ours.
 *
 * `EpochRun { netuid, block, pending, owner_cut, server, validator, carried }`: the subnet's
 * epoch ran at `block`, drained `pending` RAO of PendingEmission, paid `owner_cut` to the owner's
 * coldkey, `server` RAO of incentive and `validator` RAO of dividends as stake, and put `carried`
 * RAO (what Yuma's floored amounts left over) back into PendingEmission.
 * pending == owner_cut + server + validator + carried.
 */
import { u16, u64, type Codec, type EnumValue, type FieldSpec } from "../../../../codec/scale.js";
import type { EventDecl } from "../../../frame/pallet.js";
import { SUBTENSOR_EVENTS } from "../events.js";
import { SUBTENSOR_PALLET_NAME } from "../storage.js";

const field = (name: string, type: Codec<unknown>, typeName: string, doc: string): FieldSpec => ({ name, type, typeName, docs: [doc] });

export const EPOCH_RUN = "EpochRun";

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
      field("carried", u64 as Codec<unknown>, "u64", "Left over by the epoch's floors, returned to PendingEmission (RAO)."),
    ],
    docs: ["a subnet's epoch ran and its emission was paid out."],
  },
];

export interface EpochRunFields {
  netuid: number;
  block: bigint;
  pending: bigint;
  ownerCut: bigint;
  server: bigint;
  validator: bigint;
  carried: bigint;
}

/** The RuntimeEvent value of EpochRun (fields keyed by camelCase names, as every named event). */
export function epochRunEvent(f: EpochRunFields): EnumValue {
  return { tag: SUBTENSOR_PALLET_NAME, value: { tag: EPOCH_RUN, value: { ...f } } };
}
