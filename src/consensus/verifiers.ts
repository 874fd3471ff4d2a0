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
import { verifyAuraHeader, type AuraVerdict, SlotClaims } from "./aura.js";
import { grandpaEntry, type BlockRef } from "./finality/messages.js";
import { verifyJustification, type JustificationVerdict } from "./finality/justification.js";

export interface AuraCheckOptions {
  slotDurationMs: number;
  now: () => number;
  /** shared with the node's own authoring so equivocation is seen across sources */
  claims?: SlotClaims;
  driftSlots?: bigint;
}

/** Seal, slot and author checks of a header against its parent and the parent's state. */
export function auraHeaderVerifier(o: AuraCheckOptions) {
  const claims = o.claims ?? new SlotClaims();
  return (header: Header, parent: { header: Header }, parentState: StateReader): AuraVerdict => {
    const verdict = verifyAuraHeader(header, parent.header, {
      slotDurationMs: o.slotDurationMs,
      authorities: AuraAuthorities.get(parentState),
      verify: verifySr25519,
      now: o.now,
      driftSlots: o.driftSlots,
    });
    if (!verdict.ok) return verdict;
    const other = claims.record(verdict.slot, verdict.author, headerHash(header));
    if (other) {
      return {
        ok: false,
        code: "EQUIVOCATION",
        reason: `slot author ${toHex(verdict.author)} is equivocating at slot ${verdict.slot}: ${toHex(headerHash(header))} after ${toHex(other)} (the first is kept)`,
      };
    }
    return verdict;
  };
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
