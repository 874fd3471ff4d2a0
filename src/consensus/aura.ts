/**
 * Aura-style slots: slot = floor(unix ms / slot duration); the slot's author is
 * authorities[slot % n]; one block per slot. The header carries PreRuntime("aura", slot u64) and
 * ends with Seal("aura", sr25519 signature over the hash of the header without the seal).
 */
import { headerHash } from "../chain/codec/block.js";
import type { Header } from "../chain/codec/types.js";
import { BlockImportError } from "../chain/blockchain/errors.js";
import { bytesEqual, toHex } from "../util/bytes.js";

import { AURA_ENGINE_ID, isAuraEngine, preDigest, sealDigest, slotFromDigest } from "./auraDigest.js";

export { AURA_ENGINE_ID, preDigest, sealDigest };

export function slotAt(timestampMs: number, slotDurationMs: number): bigint {
  return BigInt(Math.floor(timestampMs / slotDurationMs));
}

export function slotAuthor<T>(slot: bigint, authorities: T[]): T {
  return authorities[Number(slot % BigInt(authorities.length))];
}


/** The slot of a header, from its Aura pre-runtime digest. */
export function headerSlot(header: Header): bigint {
  let slot: bigint | undefined;
  try {
    slot = slotFromDigest(header.digest.logs);
  } catch {
    throw new BlockImportError({ code: "BAD_SLOT", reason: "slot is not 8 bytes" }, "Aura slot digest is not a u64");
  }
  if (slot === undefined) throw new BlockImportError({ code: "BAD_SLOT", reason: "no aura pre-runtime digest" }, "header has no Aura pre-runtime digest");
  return slot;
}

/** The header without its trailing seal, and the seal's signature. */
export function splitSeal(header: Header): { unsealed: Header; signature: Uint8Array } {
  const logs = header.digest.logs;
  const last = logs[logs.length - 1];
  if (!last || last.tag !== "Seal" || !isAuraEngine((last.value as unknown[])[0])) {
    throw new BlockImportError({ code: "BAD_SEAL", reason: "missing aura seal" }, "header is not sealed by Aura");
  }
  return { unsealed: { ...header, digest: { logs: logs.slice(0, -1) } }, signature: (last.value as [Uint8Array, Uint8Array])[1] };
}

export interface AuraVerifierParams {
  slotDurationMs: number;
  authorities: Uint8Array[];
  verify: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;
  /** wall clock, injectable for tests; only used to refuse blocks from future slots */
  now: () => number;
  /** slots of tolerance for clock drift between nodes */
  driftSlots?: bigint;
}

/**
 * Checks a header against its parent: a later slot than the parent, not in the future, sealed
 * by the slot's author.
 */
export function verifyAuraHeader(header: Header, parent: Header, p: AuraVerifierParams): void {
  const slot = headerSlot(header);
  if (parent.number > 0) {
    const parentSlot = headerSlot(parent);
    if (slot <= parentSlot) throw new BlockImportError({ code: "BAD_SLOT", reason: `slot ${slot} not after parent slot ${parentSlot}` }, `slot ${slot} is not after the parent's slot ${parentSlot}`);
  }
  const current = slotAt(p.now(), p.slotDurationMs);
  if (slot > current + (p.driftSlots ?? 1n)) throw new BlockImportError({ code: "BAD_SLOT", reason: `future slot ${slot} (now ${current})` }, `block is from future slot ${slot} (current slot ${current})`);
  const { unsealed, signature } = splitSeal(header);
  const author = slotAuthor(slot, p.authorities);
  if (!p.verify(author, headerHash(unsealed), signature)) {
    throw new BlockImportError({ code: "BAD_SEAL", reason: `bad seal for author ${toHex(author)}` }, `seal is not a valid signature of slot ${slot}'s author ${toHex(author)}`);
  }
}
