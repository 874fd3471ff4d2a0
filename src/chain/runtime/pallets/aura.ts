/**
 * pallet_aura (index 3): the authority set and the current slot, in state so that clients (Apps)
 * can show block authors. Slot checks themselves happen in consensus/aura.ts before execution.
 */
import { u64, vec, newtype, fixedBytes } from "../../codec/scale.js";
import { Pallet } from "../frame/pallet.js";
import { storageValue } from "../frame/storage.js";

export const AuraAuthorityId = newtype(newtype(fixedBytes(32), { path: ["sp_core", "sr25519", "Public"] }), {
  path: ["sp_consensus_aura", "sr25519", "app_sr25519", "Public"],
});
export const Authorities = storageValue({ name: "Authorities", value: vec(AuraAuthorityId), default: [], docs: ["The current authority set."] });
export const CurrentSlot = storageValue({ name: "CurrentSlot", value: newtype(u64, { path: ["sp_consensus_slots", "Slot"] }), default: 0n, docs: ["The current slot of this block."] });

export const Aura: Pallet = new Pallet({ name: "Aura", index: 3, crate: "pallet_aura", storage: [Authorities, CurrentSlot] });
