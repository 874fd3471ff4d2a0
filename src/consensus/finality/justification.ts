/**
 * Building and checking GRANDPA justifications. A justification proves a block final: precommits
 * of one round from strictly more than 2/3 of the authority set, each for the block or one of its
 * descendants (linked to it by the headers in `votes_ancestries`), each signed over
 * `(Precommit, round, set_id)`. Checking needs only the justification and the authority set of the
 * finalized block (Grandpa.Authorities in its state); verdicts are typed, never thrown.
 */
import { headerHash } from "../../chain/codec/block.js";
import type { Header } from "../../chain/codec/types.js";
import { bytesEqual, toHex } from "../../util/bytes.js";
import { decodeGrandpaJustification, encodeGrandpaJustification, localizedPayload, type BlockRef, type GrandpaJustification, type SignedVote } from "./messages.js";
import { threshold } from "./round.js";
import { verifyFinality } from "./keys.js";

export type JustificationVerdict =
  | { ok: true; justification: GrandpaJustification }
  | {
      ok: false;
      code: "UNDECODABLE" | "WRONG_TARGET" | "NOT_AN_AUTHORITY" | "BAD_SIGNATURE" | "NOT_A_DESCENDANT" | "UNUSED_ANCESTRY" | "BELOW_THRESHOLD";
      reason: string;
    };

export interface VerifyOptions {
  setId: bigint;
  /** the finality authority set (ed25519 keys, weight 1 each) at the finalized block */
  authorities: Uint8Array[];
  verify?: (pub: Uint8Array, msg: Uint8Array, sig: Uint8Array) => boolean;
}

const fail = (code: Extract<JustificationVerdict, { ok: false }>["code"], reason: string): JustificationVerdict => ({ ok: false, code, reason });

/** Checks that `data` justifies `target` (hash and number). */
export function verifyJustification(data: Uint8Array, target: BlockRef, o: VerifyOptions): JustificationVerdict {
  let j: GrandpaJustification;
  try {
    j = decodeGrandpaJustification(data);
  } catch (e) {
    return fail("UNDECODABLE", `justification does not decode: ${(e as Error).message}`);
  }
  const c = j.commit.target;
  if (c.number !== target.number || !bytesEqual(c.hash, target.hash)) {
    return fail("WRONG_TARGET", `justification is for #${c.number} (${toHex(c.hash)}), not #${target.number} (${toHex(target.hash)})`);
  }
  const verify = o.verify ?? verifyFinality;
  const authorities = new Set(o.authorities.map(toHex));
  const ancestry = new Map<string, Header>();
  for (const h of j.votesAncestries) ancestry.set(toHex(headerHash(h)), h);
  const used = new Set<string>();
  const voters = new Set<string>();
  for (const p of j.commit.precommits) {
    const id = toHex(p.id);
    if (!authorities.has(id)) return fail("NOT_AN_AUTHORITY", `precommit signed by ${id}, which is not in the authority set`);
    if (!verify(p.id, localizedPayload(j.round, o.setId, "Precommit", p.target), p.signature)) {
      return fail("BAD_SIGNATURE", `precommit of ${id} has an invalid signature (round ${j.round}, set ${o.setId})`);
    }
    // walk from the precommit's target down to the commit target through the ancestry headers
    let hash = p.target.hash;
    let number = p.target.number;
    while (number > c.number) {
      const h = ancestry.get(toHex(hash));
      if (!h) return fail("NOT_A_DESCENDANT", `precommit of ${id} for #${p.target.number} is not linked to #${c.number} by the ancestry headers`);
      used.add(toHex(hash));
      hash = h.parentHash;
      number = h.number - 1;
    }
    if (number !== c.number || !bytesEqual(hash, c.hash)) return fail("NOT_A_DESCENDANT", `precommit of ${id} for #${p.target.number} is not a descendant of #${c.number}`);
    voters.add(id);
  }
  if (used.size !== ancestry.size) return fail("UNUSED_ANCESTRY", `${ancestry.size - used.size} ancestry headers are not needed by any precommit`);
  const needed = threshold(o.authorities.length);
  if (voters.size < needed) return fail("BELOW_THRESHOLD", `${voters.size} of ${o.authorities.length} authorities precommitted; ${needed} are needed`);
  return { ok: true, justification: j };
}

/**
 * The justification of `target` from a round's finalizing precommits; `header` gives the headers
 * that link each precommit target to `target` (the votes_ancestries).
 */
export function buildJustification(round: bigint, target: BlockRef, precommits: SignedVote[], header: (hash: Uint8Array) => Header | undefined): Uint8Array {
  const ancestries = new Map<string, Header>();
  for (const p of precommits) {
    let hash = p.target.hash;
    while (!bytesEqual(hash, target.hash)) {
      const key = toHex(hash);
      const h = header(hash);
      if (!h || h.number <= target.number) break;
      ancestries.set(key, h);
      hash = h.parentHash;
    }
  }
  const votesAncestries = [...ancestries.values()].sort((a, b) => a.number - b.number);
  return encodeGrandpaJustification({ round, commit: { target, precommits }, votesAncestries });
}
