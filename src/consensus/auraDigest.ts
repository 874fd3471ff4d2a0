/**
 * The Aura digest items of a header: PreRuntime("aura", slot as u64 LE) and Seal("aura", sr25519
 * signature). Shared by the runtime (Aura's on_initialize reads the slot) and the consensus checks.
 */
import { ScaleReader, ScaleWriter, type EnumValue } from "../chain/codec/scale.js";
import { bytesEqual } from "../util/bytes.js";

export const AURA_ENGINE_ID = new TextEncoder().encode("aura");

export const isAuraEngine = (id: unknown): boolean => id instanceof Uint8Array && bytesEqual(id, AURA_ENGINE_ID);

export function preDigest(slot: bigint): EnumValue {
  const w = new ScaleWriter(8);
  w.bigUint(slot, 8);
  return { tag: "PreRuntime", value: [AURA_ENGINE_ID, w.finish()] };
}

export function sealDigest(signature: Uint8Array): EnumValue {
  return { tag: "Seal", value: [AURA_ENGINE_ID, signature] };
}

/**
 * The slot of an Aura pre-runtime digest among `logs`; undefined when there is none. A malformed
 * slot (not 8 bytes) throws.
 */
export function slotFromDigest(logs: EnumValue[]): bigint | undefined {
  const item = logs.find((l) => l.tag === "PreRuntime" && isAuraEngine((l.value as unknown[])[0]));
  if (!item) return undefined;
  const data = (item.value as [Uint8Array, Uint8Array])[1];
  if (data.length !== 8) throw new Error("Aura slot digest is not a u64");
  return new ScaleReader(data).bigUint(8);
}
