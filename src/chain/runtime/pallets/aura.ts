/**
 * pallet_aura (index 3): the authority set and the current slot. As in Substrate, `on_initialize`
 * takes the slot from the block's Aura pre-runtime digest (it must increase: one block per slot),
 * and `on_timestamp_set` requires the timestamp inherent to fall in that slot
 * (`now / slot_duration == CurrentSlot`). Seal and author checks happen before execution, in
 * consensus/aura.ts, against `Authorities` read from the parent block's state.
 */
import { u64, vec, newtype, fixedBytes, type Codec } from "../../codec/scale.js";
import type { EnumValue } from "../../codec/scale.js";
import { Pallet } from "../frame/pallet.js";
import { storageValue } from "../frame/storage.js";
import type { DispatchContext, HookContext } from "../frame/dispatch.js";
import { DigestItem } from "./system.js";
import { slotFromDigest } from "../../../consensus/auraDigest.js";
import type { RuntimeApi } from "../frame/runtimeApi.js";

export const AuraAuthorityId = newtype(newtype(fixedBytes(32), { path: ["sp_core", "sr25519", "Public"] }), {
  path: ["sp_consensus_aura", "sr25519", "app_sr25519", "Public"],
});
export const Authorities = storageValue({ name: "Authorities", value: vec(AuraAuthorityId), default: [], docs: ["The current authority set."] });
export const CurrentSlot = storageValue({ name: "CurrentSlot", value: newtype(u64, { path: ["sp_consensus_slots", "Slot"] }), default: 0n, docs: ["The current slot of this block."] });

for (const item of [Authorities, CurrentSlot]) item.bind("Aura");

/** A runtime panic in Aura's hooks: the block is invalid (it is never a dispatch error). */
export class AuraRuntimeError extends Error {
  override name = "AuraRuntimeError";
}

export interface AuraPallet {
  pallet: Pallet;
  /** pallet_timestamp's OnTimestampSet hook */
  onTimestampSet(ctx: DispatchContext, now: bigint): void;
}

const SlotDuration = newtype(u64, { path: ["sp_consensus_slots", "SlotDuration"], typeName: "u64" });

/** sp_consensus_aura's AuraApi: the runtime's slot duration and the current authority set (at the call's block). */
function auraApi(slotDuration: bigint): RuntimeApi {
  return {
    name: "AuraApi",
    version: 1,
    docs: ["API necessary for block authorship with aura."],
    methods: [
      {
        name: "slot_duration",
        inputs: [],
        output: SlotDuration as Codec<unknown>,
        docs: ["Returns the slot duration for Aura.", "", "Currently, only the value provided by this type at genesis will be used."],
        call: () => slotDuration,
      },
      {
        name: "authorities",
        inputs: [],
        output: vec(AuraAuthorityId) as Codec<unknown>,
        docs: ["Return the current set of authorities."],
        call: (ctx) => Authorities.get(ctx.state),
      },
    ],
  };
}

export function buildAuraPallet(config: { slotDurationMs: number }): AuraPallet {
  const slotDuration = BigInt(config.slotDurationMs);
  const pallet = new Pallet({
    name: "Aura",
    index: 3,
    crate: "pallet_aura",
    storage: [Authorities, CurrentSlot],
    constants: [{ name: "SlotDuration", codec: u64, value: slotDuration, docs: ["The slot duration Aura should run with, expressed in milliseconds."] }],
    apis: () => [auraApi(slotDuration)],
    onInitialize: (ctx: HookContext) => {
      const slot = slotFromDigest(DigestItem.get(ctx.state).logs as EnumValue[]);
      if (slot === undefined) return;
      const current = CurrentSlot.get(ctx.state);
      if (slot <= current) throw new AuraRuntimeError(`Slot must increase (block slot ${slot}, current slot ${current})`);
      CurrentSlot.put(ctx.state, slot);
    },
  });
  return {
    pallet,
    onTimestampSet(ctx, now) {
      const timestampSlot = now / slotDuration;
      const current = CurrentSlot.get(ctx.state);
      if (timestampSlot !== current) throw new AuraRuntimeError(`Timestamp slot must match CurrentSlot (timestamp ${now} is in slot ${timestampSlot}, the block's slot is ${current})`);
    },
  };
}
