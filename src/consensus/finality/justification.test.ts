import { beforeAll, describe, expect, it } from "vitest";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { buildJustification, verifyJustification, type JustificationVerdict } from "./justification.js";
import { decodeGrandpaJustification, encodeGrandpaJustification, encodeJustifications, localizedPayload, type BlockRef, type SignedVote, type VoteKind } from "./messages.js";
import { finalityKeyFromSuri, signFinality, type FinalityKeyPair } from "./keys.js";
import { headerHash } from "../../chain/codec/block.js";
import type { Header } from "../../chain/codec/types.js";
import { toHex } from "../../util/bytes.js";
import { grandpaJustificationVerifier } from "../verifiers.js";
import { Round } from "./round.js";
import type { Ancestry } from "./voteGraph.js";
import { StateOverlay, MemoryState } from "../../chain/state/overlay.js";
import { Authorities as GrandpaAuthorities, CurrentSetId } from "../../chain/runtime/pallets/grandpa.js";

let alice: FinalityKeyPair, bob: FinalityKeyPair, charlie: FinalityKeyPair, dave: FinalityKeyPair, eve: FinalityKeyPair;
let authorities: Uint8Array[];

beforeAll(async () => {
  await cryptoWaitReady();
  [alice, bob, charlie, dave, eve] = ["//Alice", "//Bob", "//Charlie", "//Dave", "//Eve"].map(finalityKeyFromSuri);
  authorities = [alice, bob, charlie, dave].map((k) => k.publicKey);
});

/** Headers of a chain: main #0…#9, and a branch forking off #3 (B4…B7). */
function makeChain() {
  const byHash = new Map<string, Header>();
  const mk = (parent: Header | undefined, number: number, salt: string): Header => {
    const stateRoot = new Uint8Array(32);
    stateRoot.set(new TextEncoder().encode(salt));
    const h: Header = { parentHash: parent ? headerHash(parent) : new Uint8Array(32), number, stateRoot, extrinsicsRoot: new Uint8Array(32), digest: { logs: [] } };
    byHash.set(toHex(headerHash(h)), h);
    return h;
  };
  const main: Header[] = [];
  for (let i = 0; i <= 9; i++) main.push(mk(main[i - 1], i, `main${i}`));
  const branch: Header[] = [];
  let parent = main[3];
  for (let i = 4; i <= 7; i++) {
    parent = mk(parent, i, `branch${i}`);
    branch[i] = parent;
  }
  return { main, branch, header: (hash: Uint8Array) => byHash.get(toHex(hash)) };
}
const refOf = (h: Header): BlockRef => ({ hash: headerHash(h), number: h.number });

const ROUND = 7n;
const SET_ID = 0n;

function precommit(key: FinalityKeyPair, target: Header | BlockRef, o: { round?: bigint; setId?: bigint; kind?: VoteKind } = {}): SignedVote {
  const t = "hash" in target ? target : refOf(target);
  const signature = signFinality(key, localizedPayload(o.round ?? ROUND, o.setId ?? SET_ID, o.kind ?? "Precommit", t));
  return { kind: "Precommit", target: t, signature, id: key.publicKey };
}

function encode(target: Header, precommits: SignedVote[], ancestries: Header[], round = ROUND): Uint8Array {
  return encodeGrandpaJustification({ round, commit: { target: refOf(target), precommits }, votesAncestries: ancestries });
}

const verify = (data: Uint8Array, target: Header | BlockRef, setId = SET_ID, auth = authorities) => verifyJustification(data, "hash" in target ? target : refOf(target), { setId, authorities: auth });
const codeOf = (v: JustificationVerdict) => (v.ok ? "OK" : v.code);

describe("verifyJustification accepts", () => {
  it("precommits of 3 of 4 authorities on the target and its descendants, linked by exactly the needed headers", () => {
    const { main } = makeChain();
    const data = encode(main[5], [precommit(alice, main[5]), precommit(bob, main[7]), precommit(charlie, main[6])], [main[6], main[7]]);
    const v = verify(data, main[5]);
    expect(v.ok).toBe(true);
    if (v.ok) {
      expect(v.justification.round).toBe(ROUND);
      expect(v.justification.commit.precommits).toHaveLength(3);
    }
  });

  it("all four authorities on the target itself, with no ancestry", () => {
    const { main } = makeChain();
    const data = encode(main[5], [alice, bob, charlie, dave].map((k) => precommit(k, main[5])), []);
    expect(codeOf(verify(data, main[5]))).toBe("OK");
  });

  it("a single authority's own precommit", () => {
    const { main } = makeChain();
    const data = encode(main[2], [precommit(alice, main[2])], []);
    expect(codeOf(verify(data, main[2], SET_ID, [alice.publicKey]))).toBe("OK");
  });

  it("a set id other than 0 when the votes were signed for it", () => {
    const { main } = makeChain();
    const data = encode(main[5], [alice, bob, charlie].map((k) => precommit(k, main[5], { setId: 42n })), []);
    expect(codeOf(verify(data, main[5], 42n))).toBe("OK");
    expect(codeOf(verify(data, main[5], 0n))).toBe("BAD_SIGNATURE");
  });

  it("checks every signature with the injected verifier over (Precommit, round, set id)", () => {
    const { main } = makeChain();
    const votes = [precommit(alice, main[5]), precommit(bob, main[6]), precommit(charlie, main[5])];
    const data = encode(main[5], votes, [main[6]]);
    const seen: string[] = [];
    const v = verifyJustification(data, refOf(main[5]), {
      setId: 3n,
      authorities,
      verify: (pub, msg) => {
        seen.push(`${toHex(pub)}:${toHex(msg)}`);
        return true;
      },
    });
    expect(v.ok).toBe(true);
    expect(seen).toEqual(votes.map((p) => `${toHex(p.id)}:${toHex(localizedPayload(ROUND, 3n, "Precommit", p.target))}`));
  });
});

describe("verifyJustification rejects", () => {
  it("UNDECODABLE: garbage, truncation and trailing bytes", () => {
    const { main } = makeChain();
    const good = encode(main[5], [alice, bob, charlie].map((k) => precommit(k, main[5])), []);
    expect(codeOf(verify(new Uint8Array([1, 2, 3]), main[5]))).toBe("UNDECODABLE");
    expect(codeOf(verify(new Uint8Array(0), main[5]))).toBe("UNDECODABLE");
    expect(codeOf(verify(good.subarray(0, good.length - 1), main[5]))).toBe("UNDECODABLE");
    expect(codeOf(verify(new Uint8Array([...good, 0]), main[5]))).toBe("UNDECODABLE");
    expect(codeOf(verify(good, main[5]))).toBe("OK");
  });

  it("WRONG_TARGET: a justification of another block, or the right hash with another number", () => {
    const { main } = makeChain();
    const data = encode(main[5], [alice, bob, charlie].map((k) => precommit(k, main[5])), []);
    expect(codeOf(verify(data, main[6]))).toBe("WRONG_TARGET");
    expect(codeOf(verify(data, { hash: headerHash(main[5]), number: 6 }))).toBe("WRONG_TARGET");
  });

  it("NOT_AN_AUTHORITY: a validly signed precommit from outside the set, even beside a supermajority", () => {
    const { main } = makeChain();
    const data = encode(main[5], [precommit(alice, main[5]), precommit(bob, main[5]), precommit(charlie, main[5]), precommit(eve, main[5])], []);
    const v = verify(data, main[5]);
    expect(codeOf(v)).toBe("NOT_AN_AUTHORITY");
    // the same votes are fine for a set that contains Eve
    expect(codeOf(verify(data, main[5], SET_ID, [...authorities, eve.publicKey]))).toBe("OK");
  });

  it("BAD_SIGNATURE: a tampered signature, a vote signed for another round, set id, kind or target, or another signer's key", () => {
    const { main } = makeChain();
    const good = [precommit(alice, main[5]), precommit(bob, main[5])];
    const cases: Record<string, SignedVote> = {
      tampered: (() => {
        const p = precommit(charlie, main[5]);
        const sig = p.signature.slice();
        sig[10] ^= 1;
        return { ...p, signature: sig };
      })(),
      otherRound: precommit(charlie, main[5], { round: ROUND + 1n }),
      otherSet: precommit(charlie, main[5], { setId: SET_ID + 1n }),
      prevoteSignature: precommit(charlie, main[5], { kind: "Prevote" }),
      otherTargetNumber: { ...precommit(charlie, main[5]), target: { hash: headerHash(main[5]), number: 6 } },
      signedByDaveClaimedByCharlie: { ...precommit(dave, main[5]), id: charlie.publicKey },
    };
    for (const [name, bad] of Object.entries(cases)) {
      const v = verify(encode(main[5], [...good, bad], []), main[5]);
      expect(codeOf(v), name).toBe("BAD_SIGNATURE");
    }
    // and a justification whose round field was changed after signing
    const honest = [alice, bob, charlie].map((k) => precommit(k, main[5]));
    expect(codeOf(verify(encode(main[5], honest, [], ROUND + 1n), main[5]))).toBe("BAD_SIGNATURE");
  });

  it("NOT_A_DESCENDANT: a precommit on a branch that forked below the target, even with its headers", () => {
    const { main, branch } = makeChain();
    const votes = [precommit(alice, main[5]), precommit(bob, main[5]), precommit(charlie, branch[6])];
    const v = verify(encode(main[5], votes, [branch[6]]), main[5]);
    expect(codeOf(v)).toBe("NOT_A_DESCENDANT");
    const withAll = verify(encode(main[5], votes, [branch[4], branch[5], branch[6]]), main[5]);
    expect(codeOf(withAll)).toBe("NOT_A_DESCENDANT");
  });

  it("NOT_A_DESCENDANT: a precommit for an ancestor of the target", () => {
    const { main } = makeChain();
    const votes = [precommit(alice, main[5]), precommit(bob, main[5]), precommit(charlie, main[4])];
    expect(codeOf(verify(encode(main[5], votes, []), main[5]))).toBe("NOT_A_DESCENDANT");
  });

  it("NOT_A_DESCENDANT: a header missing from the ancestry", () => {
    const { main } = makeChain();
    const votes = [precommit(alice, main[5]), precommit(bob, main[5]), precommit(charlie, main[8])];
    expect(codeOf(verify(encode(main[5], votes, [main[6], main[7], main[8]]), main[5]))).toBe("OK");
    expect(codeOf(verify(encode(main[5], votes, [main[6], main[8]]), main[5]))).toBe("NOT_A_DESCENDANT");
    expect(codeOf(verify(encode(main[5], votes, [main[7], main[8]]), main[5]))).toBe("NOT_A_DESCENDANT");
    expect(codeOf(verify(encode(main[5], votes, []), main[5]))).toBe("NOT_A_DESCENDANT");
  });

  it("UNUSED_ANCESTRY: a header no precommit needs", () => {
    const { main, branch } = makeChain();
    const votes = [precommit(alice, main[5]), precommit(bob, main[6]), precommit(charlie, main[5])];
    expect(codeOf(verify(encode(main[5], votes, [main[6]]), main[5]))).toBe("OK");
    expect(codeOf(verify(encode(main[5], votes, [main[6], main[7]]), main[5]))).toBe("UNUSED_ANCESTRY");
    expect(codeOf(verify(encode(main[5], votes, [main[6], branch[5]]), main[5]))).toBe("UNUSED_ANCESTRY");
    expect(codeOf(verify(encode(main[5], votes, [main[5], main[6]]), main[5]))).toBe("UNUSED_ANCESTRY");
  });

  it("a header listed twice is not unused: Substrate compares the set of visited hashes with the set of ancestry hashes", () => {
    const { main } = makeChain();
    const votes = [precommit(alice, main[5]), precommit(bob, main[6]), precommit(charlie, main[5])];
    expect(codeOf(verify(encode(main[5], votes, [main[6], main[6]]), main[5]))).toBe("OK");
    expect(codeOf(verify(encode(main[5], votes, [main[6], main[6], main[7]]), main[5]))).toBe("UNUSED_ANCESTRY");
  });

  it("BELOW_THRESHOLD: 2 of 4, and repeats or equivocations of one voter count once", () => {
    const { main } = makeChain();
    const a = precommit(alice, main[5]);
    const b = precommit(bob, main[5]);
    expect(codeOf(verify(encode(main[5], [a, b], []), main[5]))).toBe("BELOW_THRESHOLD");
    expect(codeOf(verify(encode(main[5], [a, b, a], []), main[5]))).toBe("BELOW_THRESHOLD");
    expect(codeOf(verify(encode(main[5], [a, b, a, a, b], []), main[5]))).toBe("BELOW_THRESHOLD");
    // Alice equivocating on two descendants is still one voter
    const a6 = precommit(alice, main[6]);
    expect(codeOf(verify(encode(main[5], [a, b, a6], [main[6]]), main[5]))).toBe("BELOW_THRESHOLD");
    expect(codeOf(verify(encode(main[5], [], []), main[5]))).toBe("BELOW_THRESHOLD");
    // 3 of 5 is below 4 of 5; 4 of 5 passes
    const five = [...authorities, eve.publicKey];
    const three = [alice, bob, charlie].map((k) => precommit(k, main[5]));
    expect(codeOf(verify(encode(main[5], three, []), main[5], SET_ID, five))).toBe("BELOW_THRESHOLD");
    expect(codeOf(verify(encode(main[5], [...three, precommit(eve, main[5])], []), main[5], SET_ID, five))).toBe("OK");
  });

  it("BELOW_THRESHOLD with an empty authority set: nothing can be final", () => {
    const { main } = makeChain();
    expect(codeOf(verify(encode(main[5], [], []), main[5], SET_ID, []))).toBe("BELOW_THRESHOLD");
  });
});

describe("buildJustification", () => {
  it("includes exactly the headers between each precommit and the target, once each, oldest first", () => {
    const { main, header } = makeChain();
    const votes = [precommit(alice, main[8]), precommit(bob, main[5]), precommit(charlie, main[6]), precommit(dave, main[7])];
    const data = buildJustification(ROUND, refOf(main[5]), votes, header);
    const j = decodeGrandpaJustification(data);
    expect(j.votesAncestries.map((h) => h.number)).toEqual([6, 7, 8]);
    expect(j.votesAncestries.map((h) => toHex(headerHash(h)))).toEqual([main[6], main[7], main[8]].map((h) => toHex(headerHash(h))));
    expect(j.round).toBe(ROUND);
    expect(toHex(j.commit.target.hash)).toBe(toHex(headerHash(main[5])));
    expect(j.commit.precommits.map((p) => toHex(p.id))).toEqual(votes.map((p) => toHex(p.id)));
    expect(codeOf(verify(data, main[5]))).toBe("OK");
  });

  it("needs no ancestry when every precommit is on the target", () => {
    const { main, header } = makeChain();
    const data = buildJustification(ROUND, refOf(main[5]), [alice, bob, charlie].map((k) => precommit(k, main[5])), header);
    expect(decodeGrandpaJustification(data).votesAncestries).toEqual([]);
    expect(codeOf(verify(data, main[5]))).toBe("OK");
  });

  it("never walks below the target's height: a precommit off the target's chain adds only its headers above it (and fails verification)", () => {
    const { main, branch, header } = makeChain();
    const votes = [precommit(alice, main[5]), precommit(bob, main[5]), precommit(charlie, branch[7])];
    const data = buildJustification(ROUND, refOf(main[5]), votes, header);
    const j = decodeGrandpaJustification(data);
    expect(j.votesAncestries.map((h) => toHex(headerHash(h)))).toEqual([branch[6], branch[7]].map((h) => toHex(headerHash(h))));
    expect(codeOf(verify(data, main[5]))).toBe("NOT_A_DESCENDANT");
  });

  it("round-trips through Justifications and the state-reading verifier of the chain", () => {
    const { main, header } = makeChain();
    const data = buildJustification(ROUND, refOf(main[5]), [precommit(alice, main[6]), precommit(bob, main[5]), precommit(charlie, main[9])], header);
    const overlay = new StateOverlay(new MemoryState());
    GrandpaAuthorities.put(overlay, authorities.map((a) => [a, 1n] as [Uint8Array, bigint]));
    CurrentSetId.put(overlay, SET_ID);
    const check = grandpaJustificationVerifier();
    expect(check(refOf(main[5]), encodeJustifications(data), overlay).ok).toBe(true);
    expect(codeOf(check(refOf(main[6]), encodeJustifications(data), overlay))).toBe("WRONG_TARGET");
    // the same justification against another set id in state
    CurrentSetId.put(overlay, 1n);
    expect(codeOf(check(refOf(main[5]), encodeJustifications(data), overlay))).toBe("BAD_SIGNATURE");
    CurrentSetId.put(overlay, SET_ID);
    // no FRNK entry, or justifications that do not decode
    const otherEngine = encodeJustifications(data);
    otherEngine.set(new TextEncoder().encode("BEEF"), 1);
    expect(codeOf(check(refOf(main[5]), otherEngine, overlay))).toBe("UNDECODABLE");
    expect(codeOf(check(refOf(main[5]), new Uint8Array([9, 9, 9]), overlay))).toBe("UNDECODABLE");
  });

  it("a round's finalizing precommits make a justification that verifies, also when an equivocator is needed for the threshold", () => {
    const { main, branch, header } = makeChain();
    const chain: Ancestry = {
      ancestry(base, block) {
        const out: Uint8Array[] = [];
        let h = header(block.hash);
        let hash = block.hash;
        while (toHex(hash) !== toHex(base.hash)) {
          if (!h || h.number <= base.number) return undefined;
          out.push(hash);
          hash = h.parentHash;
          h = header(hash);
        }
        return out;
      },
    };
    const round = new Round(ROUND, authorities, refOf(main[3]));
    const vote = (key: FinalityKeyPair, kind: VoteKind, target: Header): SignedVote => {
      const t = refOf(target);
      return { kind, target: t, id: key.publicKey, signature: signFinality(key, localizedPayload(ROUND, SET_ID, kind, t)) };
    };
    for (const k of [alice, bob, charlie, dave]) expect(round.importVote(vote(k, "Prevote", main[5]), chain)).toBe("imported");
    round.importVote(vote(alice, "Precommit", main[5]), chain);
    round.importVote(vote(bob, "Precommit", main[5]), chain);
    round.importVote(vote(charlie, "Precommit", branch[6]), chain);
    expect(round.importVote(vote(charlie, "Precommit", main[7]), chain)).toBe("equivocation");
    const f = round.current.finalized!;
    expect(toHex(f.hash)).toBe(toHex(headerHash(main[5])));
    const data = buildJustification(ROUND, f, round.finalizingPrecommits(f), header);
    expect(codeOf(verify(data, main[5]))).toBe("OK");
    expect(decodeGrandpaJustification(data).votesAncestries.map((h) => h.number)).toEqual([6, 7]);
  });
});
