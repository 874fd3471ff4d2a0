/**
 * The consensus checks the chain runs on blocks and justifications from others, reading the
 * consensus parameters from chain state (never from flags or the spec object): Aura.Authorities
 * from the parent block's state for seals, Grandpa.Authorities and CurrentSetId from the finalized
 * block's state for justifications.
 */
import type { Header } from "../chain/codec/types.js";
import type { StateReader } from "../chain/state/types.js";
import { Authorities as AuraAuthorities } from "../chain/runtime/pallets/aura.js";
import { CurrentSetId, finalityAuthorities } from "../chain/runtime/pallets/grandpa.js";
import { verifySr25519 } from "../chain/signatures/verify.js";
import { headerHash } from "../chain/codec/block.js";
import { toHex } from "../util/bytes.js";
import { splitSeal, verifyAuraHeader, type AuraVerdict, SlotClaims } from "./aura.js";
import { grandpaEntry, type BlockRef } from "./finality/messages.js";
import { verifyJustification, type JustificationVerdict } from "./finality/justification.js";

export interface AuraCheckOptions {
  slotDurationMs: number;
  now: () => number;
  /** shared with the node's own authoring so equivocation is seen across sources */
  claims?: SlotClaims;
  driftSlots?: bigint;
}

export interface AuraHeaderVerifier {
  (header: Header, parent: { header: Header }, parentState: StateReader): AuraVerdict;
  /** Call once a verified block is imported: its (slot, author) claim then stands. */
  imported(hash: Uint8Array): void;
}

/** Seal, slot and author checks of a header against its parent and the parent's state. */
export function auraHeaderVerifier(o: AuraCheckOptions): AuraHeaderVerifier {
  const claims = o.claims ?? new SlotClaims();
  // verified headers waiting for their import to finish (bounded: most import within a second)
  const pending = new Map<string, { slot: bigint; author: Uint8Array; preSeal: Uint8Array }>();
  const verify = (header: Header, parent: { header: Header }, parentState: StateReader): AuraVerdict => {
    const verdict = verifyAuraHeader(header, parent.header, {
      slotDurationMs: o.slotDurationMs,
      authorities: AuraAuthorities.get(parentState),
      verify: verifySr25519,
      now: o.now,
      driftSlots: o.driftSlots,
    });
    if (!verdict.ok) return verdict;
    const hash = headerHash(header);
    // verdict.ok implies a seal: compare blocks by their unsealed header
    const preSeal = headerHash(splitSeal(header)!.unsealed);
    const other = claims.conflict(verdict.slot, verdict.author, preSeal);
    if (other) {
      return {
        ok: false,
        code: "EQUIVOCATION",
        reason: `slot author ${toHex(verdict.author)} is equivocating at slot ${verdict.slot}: ${toHex(hash)} after ${toHex(other)} (the first is kept)`,
      };
    }
    if (pending.size >= 1024) pending.delete(pending.keys().next().value!);
    pending.set(toHex(hash), { slot: verdict.slot, author: verdict.author, preSeal });
    return verdict;
  };
  return Object.assign(verify, {
    imported(hash: Uint8Array) {
      const key = toHex(hash);
      const claim = pending.get(key);
      if (!claim) return;
      pending.delete(key);
      claims.record(claim.slot, claim.author, claim.preSeal, hash);
    },
  });
}

/** GRANDPA justification check of `target`, against the authority set in the target's state. */
export function grandpaJustificationVerifier() {
  return (target: BlockRef, justifications: Uint8Array, state: StateReader): JustificationVerdict => {
    let entry: Uint8Array | undefined;
    try {
      entry = grandpaEntry(justifications);
    } catch (e) {
      return { ok: false, code: "UNDECODABLE", reason: `justifications do not decode: ${(e as Error).message}` };
    }
    if (!entry) return { ok: false, code: "UNDECODABLE", reason: "no GRANDPA (FRNK) justification" };
    return verifyJustification(entry, target, { setId: CurrentSetId.get(state), authorities: finalityAuthorities(state) });
  };
}
