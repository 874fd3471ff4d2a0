/**
 * Aura-style slots: slot = floor(unix ms / slot duration); the slot's author is
 * authorities[slot % n]; one block per slot. The header carries PreRuntime("aura", slot u64) and
 * ends with Seal("aura", sr25519 signature over the hash of the header without the seal).
 *
 * Verification returns typed verdicts (never throws): the chain maps them to import errors, the
 * network to peer penalties. The authorities come from the parent block's state (Aura.Authorities),
 * read by the caller.
 */
import { headerHash } from "../chain/codec/block.js";
import type { Header } from "../chain/codec/types.js";
import { bytesEqual, toHex } from "../util/bytes.js";
import { AURA_ENGINE_ID, isAuraEngine, preDigest, sealDigest, slotFromDigest } from "./auraDigest.js";

export { AURA_ENGINE_ID, preDigest, sealDigest };

export function slotAt(timestampMs: number, slotDurationMs: number): bigint {
  return BigInt(Math.floor(timestampMs / slotDurationMs));
}

export function slotAuthor<T>(slot: bigint, authorities: T[]): T {
  return authorities[Number(slot % BigInt(authorities.length))];
}

/** The slot of a header from its Aura pre-runtime digest; undefined when it has none (genesis). */
export function headerSlot(header: Header): bigint | undefined {
  try {
    return slotFromDigest(header.digest.logs);
  } catch {
    return undefined;
  }
}

/** Beyond this many slots ahead of our clock a block is refused as invalid, not merely early. */
export const FAR_FUTURE_SLOTS = 32n;

export type AuraVerdict =
  | { ok: true; slot: bigint; author: Uint8Array }
  | { ok: false; code: "BAD_SLOT" | "FUTURE_SLOT" | "BAD_AUTHOR" | "BAD_SEAL" | "EQUIVOCATION"; reason: string };

const reject = (code: Extract<AuraVerdict, { ok: false }>["code"], reason: string): AuraVerdict => ({ ok: false, code, reason });

/** The header without its trailing seal, and the seal's signature; undefined when unsealed. */
export function splitSeal(header: Header): { unsealed: Header; signature: Uint8Array } | undefined {
  const logs = header.digest.logs;
  const last = logs[logs.length - 1];
  if (!last || last.tag !== "Seal" || !isAuraEngine((last.value as unknown[])[0])) return undefined;
  return { unsealed: { ...header, digest: { logs: logs.slice(0, -1) } }, signature: (last.value as [Uint8Array, Uint8Array])[1] };
}

export interface AuraVerifierParams {
  slotDurationMs: number;
  /** Aura.Authorities at the parent block */
  authorities: Uint8Array[];
  verify: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;
  /** wall clock, injectable for tests; only used to refuse blocks from future slots */
  now: () => number;
  /** slots of tolerance for clock drift between nodes */
  driftSlots?: bigint;
}

/**
 * Checks a header against its parent: an Aura slot later than the parent's, not in the future,
 * sealed by the slot's author.
 */
export function verifyAuraHeader(header: Header, parent: Header, p: AuraVerifierParams): AuraVerdict {
  let slot: bigint | undefined;
  try {
    slot = slotFromDigest(header.digest.logs);
  } catch {
    return reject("BAD_SLOT", "the Aura slot digest is not a u64");
  }
  if (slot === undefined) return reject("BAD_SLOT", "header has no Aura pre-runtime digest");
  const parentSlot = parent.number > 0 ? headerSlot(parent) : undefined;
  if (parentSlot !== undefined && slot <= parentSlot) return reject("BAD_SLOT", `slot ${slot} is not after the parent's slot ${parentSlot}`);
  const current = slotAt(p.now(), p.slotDurationMs);
  // a little ahead is clock drift (the block may become valid); far ahead is no honest block
  if (slot > current + FAR_FUTURE_SLOTS) return reject("BAD_SLOT", `block is from slot ${slot}, far in the future (current slot ${current})`);
  if (slot > current + (p.driftSlots ?? 1n)) return reject("FUTURE_SLOT", `block is from future slot ${slot} (current slot ${current})`);
  if (p.authorities.length === 0) return reject("BAD_AUTHOR", "the parent state has no Aura authorities");
  const sealed = splitSeal(header);
  if (!sealed) return reject("BAD_SEAL", "header is not sealed by Aura");
  const author = slotAuthor(slot, p.authorities);
  if (!p.verify(author, headerHash(sealed.unsealed), sealed.signature)) {
    return reject("BAD_SEAL", `seal is not a valid signature of slot ${slot}'s author ${toHex(author)}`);
  }
  return { ok: true, slot, author };
}

/**
 * Remembers which block each author sealed in each recent slot, to spot equivocation (two
 * different blocks of one author in one slot): the first block *imported* is kept, a second one is
 * refused and logged. Claims are recorded only once a block has passed full verification, so a
 * forged block (say, with a wrong state root) cannot lock out the author's real block. Blocks are
 * compared by the hash of the header without its seal, as Substrate does: the same block sealed
 * twice (sr25519 signatures are randomized) is no equivocation.
 */
export class SlotClaims {
  private readonly claims = new Map<string, { preSeal: Uint8Array; sealed: Uint8Array }>();

  constructor(private readonly capacity = 4096) {}

  /**
   * Buffer's hex is one flat string; toHex (@polkadot/util) builds a tree of ~30 cons-strings per
   * hash, which a Map key keeps alive: ~1 KB per claim, 4 MB of heap for a full map (a heap
   * snapshot of a node that synced 10 000 blocks).
   */
  private static key(slot: bigint, author: Uint8Array): string {
    return `${slot}:${Buffer.from(author.buffer, author.byteOffset, author.byteLength).toString("hex")}`;
  }

  /** The sealed hash of the other block this author already made in this slot, if any. */
  conflict(slot: bigint, author: Uint8Array, preSealHash: Uint8Array): Uint8Array | undefined {
    const existing = this.claims.get(SlotClaims.key(slot, author));
    return existing && !bytesEqual(existing.preSeal, preSealHash) ? existing.sealed : undefined;
  }

  record(slot: bigint, author: Uint8Array, preSealHash: Uint8Array, sealedHash: Uint8Array): void {
    const key = SlotClaims.key(slot, author);
    if (this.claims.has(key)) return;
    if (this.claims.size >= this.capacity) this.claims.delete(this.claims.keys().next().value!);
    this.claims.set(key, { preSeal: new Uint8Array(preSealHash), sealed: sealedHash });
  }
}
