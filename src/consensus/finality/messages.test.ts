/**
 * GRANDPA wire formats against Substrate's, as @polkadot/types describes them (GrandpaJustification,
 * GrandpaCommit, GrandpaSignedPrecommit, GrandpaPrevote, GrandpaPrecommit, Justifications), and
 * round trips of this node's gossip and catch-up messages.
 */
import { describe, expect, it } from "vitest";
import { TypeRegistry } from "@polkadot/types";
import type { GrandpaJustification as PjsJustification, GrandpaSignedPrecommit as PjsSignedPrecommit, Justifications as PjsJustifications } from "@polkadot/types/interfaces";
import { u8aToHex } from "@polkadot/util";
import fc from "fast-check";
import {
  CatchUpRequestCodec,
  GRANDPA_ENGINE_ID,
  PrecommitCodec,
  PrevoteCodec,
  SignedPrecommitCodec,
  SignedPrevoteCodec,
  JustificationsCodec,
  decodeCatchUpResponse,
  decodeGossipMessage,
  decodeGrandpaJustification,
  encodeCatchUpResponse,
  encodeGossipMessage,
  encodeGrandpaJustification,
  encodeJustifications,
  grandpaEntry,
  localizedPayload,
  type CatchUp,
  type GrandpaJustification,
  type SignedVote,
} from "./messages.js";
import { headerHash } from "../../chain/codec/block.js";
import type { Header } from "../../chain/codec/types.js";
import { preDigest, sealDigest } from "../auraDigest.js";
import { toHex } from "../../util/bytes.js";

const registry = new TypeRegistry();
registry.register({
  // finality_grandpa::Message and SignedMessage, which polkadot-js does not ship
  TestGrandpaMessage: { _enum: { Prevote: "GrandpaPrevote", Precommit: "GrandpaPrecommit", PrimaryPropose: "GrandpaPrevote" } },
  TestGrandpaSignedMessage: { message: "TestGrandpaMessage", signature: "AuthoritySignature", id: "AuthorityId" },
  TestVoteMessage: { round: "u64", setId: "u64", message: "TestGrandpaSignedMessage" },
});

/** Deterministic filler bytes. */
const fill = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (seed * 31 + i * 7) & 0xff);

function header(number: number, seed: number): Header {
  return {
    parentHash: fill(32, seed),
    number,
    stateRoot: fill(32, seed + 1),
    extrinsicsRoot: fill(32, seed + 2),
    digest: { logs: [preDigest(BigInt(1_000_000 + number)), { tag: "Other", value: fill(5, seed) }, sealDigest(fill(64, seed + 3))] },
  };
}

const vote = (kind: "Prevote" | "Precommit", n: number): SignedVote => ({
  kind,
  target: { hash: fill(32, 100 + n), number: 0x01020304 + n },
  signature: fill(64, 200 + n),
  id: fill(32, 300 + n),
});

function sampleJustification(): GrandpaJustification {
  return {
    round: 0x0102030405060708n,
    commit: { target: { hash: fill(32, 1), number: 4_000_000_000 }, precommits: [vote("Precommit", 1), vote("Precommit", 2), vote("Precommit", 3)] },
    votesAncestries: [header(17, 10), header(4_000_000_001, 20)],
  };
}

describe("GRANDPA encodings equal Substrate's (checked with @polkadot/types)", () => {
  it("GrandpaJustification: this node's bytes decode in polkadot-js field by field", () => {
    const j = sampleJustification();
    const bytes = encodeGrandpaJustification(j);
    const pj = registry.createType<PjsJustification>("GrandpaJustification", bytes);
    expect(pj.encodedLength).toBe(bytes.length);
    expect(pj.round.toBigInt()).toBe(j.round);
    expect(pj.commit.targetHash.toHex()).toBe(toHex(j.commit.target.hash));
    expect(pj.commit.targetNumber.toNumber()).toBe(j.commit.target.number);
    expect(pj.commit.precommits.length).toBe(3);
    pj.commit.precommits.forEach((p, i) => {
      const v = j.commit.precommits[i];
      expect(p.precommit.targetHash.toHex()).toBe(toHex(v.target.hash));
      expect(p.precommit.targetNumber.toNumber()).toBe(v.target.number);
      expect(p.signature.toHex()).toBe(toHex(v.signature));
      expect(u8aToHex(p.id.toU8a())).toBe(toHex(v.id));
    });
    expect(pj.votesAncestries.length).toBe(2);
    pj.votesAncestries.forEach((h, i) => {
      const ours = j.votesAncestries[i];
      expect(h.hash.toHex()).toBe(toHex(headerHash(ours)));
      expect(h.number.toNumber()).toBe(ours.number);
      expect(h.parentHash.toHex()).toBe(toHex(ours.parentHash));
      expect(h.digest.logs.length).toBe(3);
      expect(h.digest.logs[0].isPreRuntime).toBe(true);
      expect(h.digest.logs[2].isSeal).toBe(true);
    });
    expect(u8aToHex(pj.toU8a())).toBe(toHex(bytes));
  });

  it("GrandpaJustification: polkadot-js's bytes decode here to the same values", () => {
    const j = sampleJustification();
    const pj = registry.createType("GrandpaJustification", {
      round: j.round,
      commit: {
        targetHash: j.commit.target.hash,
        targetNumber: j.commit.target.number,
        precommits: j.commit.precommits.map((p) => ({ precommit: { targetHash: p.target.hash, targetNumber: p.target.number }, signature: p.signature, id: p.id })),
      },
      votesAncestries: j.votesAncestries.map((h) => encodeHeaderForPjs(h)),
    });
    const back = decodeGrandpaJustification(pj.toU8a());
    expect(back.round).toBe(j.round);
    expect(toHex(back.commit.target.hash)).toBe(toHex(j.commit.target.hash));
    expect(back.commit.target.number).toBe(j.commit.target.number);
    expect(back.commit.precommits.map((p) => [p.kind, toHex(p.target.hash), p.target.number, toHex(p.signature), toHex(p.id)])).toEqual(
      j.commit.precommits.map((p) => ["Precommit", toHex(p.target.hash), p.target.number, toHex(p.signature), toHex(p.id)]),
    );
    expect(back.votesAncestries.map((h) => toHex(headerHash(h)))).toEqual(j.votesAncestries.map((h) => toHex(headerHash(h))));
    expect(toHex(encodeGrandpaJustification(back))).toBe(u8aToHex(pj.toU8a()));
  });

  it("GrandpaCommit is the part of the justification between the round and the ancestries", () => {
    const j = sampleJustification();
    const bytes = encodeGrandpaJustification(j);
    const commit = registry.createType("GrandpaCommit", {
      targetHash: j.commit.target.hash,
      targetNumber: j.commit.target.number,
      precommits: j.commit.precommits.map((p) => ({ precommit: { targetHash: p.target.hash, targetNumber: p.target.number }, signature: p.signature, id: p.id })),
    });
    const c = commit.toU8a();
    expect(toHex(bytes.subarray(8, 8 + c.length))).toBe(u8aToHex(c));
    // round: u64 little endian first
    expect(toHex(bytes.subarray(0, 8))).toBe("0x0807060504030201");
  });

  it("GrandpaPrevote, GrandpaPrecommit, GrandpaSignedPrecommit", () => {
    const v = vote("Precommit", 9);
    const target = { targetHash: v.target.hash, targetNumber: v.target.number };
    expect(toHex(PrevoteCodec.encode(target))).toBe(registry.createType("GrandpaPrevote", target).toHex());
    expect(toHex(PrecommitCodec.encode(target))).toBe(registry.createType("GrandpaPrecommit", target).toHex());
    const signed = { precommit: target, signature: v.signature, id: v.id };
    const ours = SignedPrecommitCodec.encode(signed);
    expect(toHex(ours)).toBe(registry.createType("GrandpaSignedPrecommit", signed).toHex());
    expect(ours.length).toBe(32 + 4 + 64 + 32);
    // the same layout for signed prevotes (finality_grandpa::SignedPrevote)
    expect(toHex(SignedPrevoteCodec.encode({ prevote: target, signature: v.signature, id: v.id }))).toBe(toHex(ours));
    const decoded = registry.createType<PjsSignedPrecommit>("GrandpaSignedPrecommit", ours);
    expect(decoded.precommit.targetNumber.toNumber()).toBe(v.target.number);
  });

  it("localizedPayload is SCALE of (Message, u64 round, u64 set_id)", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.nat({ max: 0xffffffff }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.constantFrom("Prevote" as const, "Precommit" as const),
        (hash, number, round, setId, kind) => {
          const ours = localizedPayload(round, setId, kind, { hash, number });
          const theirs = registry.createType("(TestGrandpaMessage, u64, u64)", [{ [kind]: { targetHash: hash, targetNumber: number } }, round, setId]).toU8a();
          expect(toHex(ours)).toBe(u8aToHex(theirs));
          expect(ours.length).toBe(1 + 32 + 4 + 8 + 8);
          expect(ours[0]).toBe(kind === "Prevote" ? 0 : 1);
        },
      ),
      { numRuns: 50 },
    );
  });

  it("Justifications: one FRNK entry that polkadot-js reads back", () => {
    const j = encodeGrandpaJustification(sampleJustification());
    const js = encodeJustifications(j);
    const pj = registry.createType<PjsJustifications>("Justifications", js);
    expect(pj.length).toBe(1);
    expect(pj[0][0].toString()).toBe("FRNK");
    expect(u8aToHex(pj[0][1].toU8a(true))).toBe(toHex(j));
    expect(toHex(grandpaEntry(js)!)).toBe(toHex(j));
  });
});

describe("grandpaEntry", () => {
  it("finds the FRNK entry among several engines, and nothing when there is none", () => {
    const entries: [Uint8Array, Uint8Array][] = [
      [new TextEncoder().encode("BEEF"), fill(3, 1)],
      [GRANDPA_ENGINE_ID, fill(7, 2)],
      [new TextEncoder().encode("FRNX"), fill(2, 3)],
    ];
    expect(toHex(grandpaEntry(JustificationsCodec.encode(entries))!)).toBe(toHex(fill(7, 2)));
    expect(grandpaEntry(JustificationsCodec.encode([entries[0], entries[2]]))).toBeUndefined();
    expect(grandpaEntry(JustificationsCodec.encode([]))).toBeUndefined();
  });

  it("throws on bytes that are not Justifications", () => {
    expect(() => grandpaEntry(new Uint8Array([4, 1, 2]))).toThrow();
    expect(() => grandpaEntry(new Uint8Array([...encodeJustifications(fill(3, 1)), 0]))).toThrow();
  });
});

describe("gossip messages", () => {
  it("a vote round-trips and its body is Substrate's VoteMessage { round, set_id, SignedMessage }", () => {
    for (const kind of ["Prevote", "Precommit"] as const) {
      const v = vote(kind, 4);
      const bytes = encodeGossipMessage({ tag: "Vote", value: { round: 99n, setId: 3n, vote: v } });
      expect(bytes[0]).toBe(0);
      const theirs = registry
        .createType("TestVoteMessage", { round: 99n, setId: 3n, message: { message: { [kind]: { targetHash: v.target.hash, targetNumber: v.target.number } }, signature: v.signature, id: v.id } })
        .toU8a();
      expect(toHex(bytes.subarray(1))).toBe(u8aToHex(theirs));
      const back = decodeGossipMessage(bytes);
      expect(back.tag).toBe("Vote");
      if (back.tag !== "Vote") return;
      expect(back.value.round).toBe(99n);
      expect(back.value.setId).toBe(3n);
      expect(back.value.vote.kind).toBe(kind);
      expect(toHex(back.value.vote.target.hash)).toBe(toHex(v.target.hash));
      expect(back.value.vote.target.number).toBe(v.target.number);
      expect(toHex(back.value.vote.signature)).toBe(toHex(v.signature));
      expect(toHex(back.value.vote.id)).toBe(toHex(v.id));
    }
  });

  it("a commit round-trips", () => {
    const justification = encodeGrandpaJustification(sampleJustification());
    const bytes = encodeGossipMessage({ tag: "Commit", value: { round: (1n << 64n) - 1n, setId: 0n, justification } });
    expect(bytes[0]).toBe(1);
    const back = decodeGossipMessage(bytes);
    expect(back.tag).toBe("Commit");
    if (back.tag !== "Commit") return;
    expect(back.value.round).toBe((1n << 64n) - 1n);
    expect(back.value.setId).toBe(0n);
    expect(toHex(back.value.justification)).toBe(toHex(justification));
  });

  it("refuses primary proposals, unknown tags, truncation and trailing bytes", () => {
    const v = vote("Prevote", 1);
    const good = encodeGossipMessage({ tag: "Vote", value: { round: 1n, setId: 0n, vote: v } });
    const primary = good.slice();
    primary[1 + 16] = 2; // the Message variant: PrimaryPropose
    expect(() => decodeGossipMessage(primary)).toThrow(/PrimaryPropose/);
    const badTag = good.slice();
    badTag[0] = 2;
    expect(() => decodeGossipMessage(badTag)).toThrow();
    expect(() => decodeGossipMessage(good.subarray(0, good.length - 1))).toThrow();
    expect(() => decodeGossipMessage(new Uint8Array([...good, 0]))).toThrow();
    expect(() => decodeGossipMessage(new Uint8Array(0))).toThrow();
  });

  it("random bytes either decode to a message that re-encodes to the same bytes, or throw", () => {
    const v = vote("Precommit", 2);
    const seeds = [
      encodeGossipMessage({ tag: "Vote", value: { round: 5n, setId: 1n, vote: v } }),
      encodeGossipMessage({ tag: "Commit", value: { round: 5n, setId: 1n, justification: fill(40, 1) } }),
    ];
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 4 }), fc.nat(), (seed, flips, cut) => {
        const bytes = seed.slice(0, seed.length - (cut % 3));
        for (const [at, val] of flips) bytes[at % bytes.length] = val;
        let m;
        try {
          m = decodeGossipMessage(bytes);
        } catch {
          return;
        }
        expect(toHex(encodeGossipMessage(m))).toBe(toHex(bytes));
      }),
      { numRuns: 500 },
    );
  });
});

describe("catch-up", () => {
  const catchUp = (): CatchUp => ({
    setId: 2n,
    round: 1234n,
    prevotes: [vote("Prevote", 1), vote("Prevote", 2), vote("Prevote", 3)],
    precommits: [vote("Precommit", 4), vote("Precommit", 5)],
    base: { hash: fill(32, 77), number: 42 },
  });

  it("a response with a catch-up round-trips", () => {
    const c = catchUp();
    const bytes = encodeCatchUpResponse(c);
    expect(bytes[0]).toBe(1);
    const back = decodeCatchUpResponse(bytes)!;
    expect(back.setId).toBe(2n);
    expect(back.round).toBe(1234n);
    expect(back.base.number).toBe(42);
    expect(toHex(back.base.hash)).toBe(toHex(c.base.hash));
    const flat = (vs: SignedVote[]) => vs.map((v) => [v.kind, toHex(v.target.hash), v.target.number, toHex(v.signature), toHex(v.id)]);
    expect(flat(back.prevotes)).toEqual(flat(c.prevotes));
    expect(flat(back.precommits)).toEqual(flat(c.precommits));
    // votes keep their kind from the list they travel in
    expect(back.prevotes.every((v) => v.kind === "Prevote")).toBe(true);
    expect(back.precommits.every((v) => v.kind === "Precommit")).toBe(true);
  });

  it("the fields are laid out as sc-consensus-grandpa's CatchUp { set_id, round_number, prevotes, precommits, base_hash, base_number }", () => {
    const c = catchUp();
    const bytes = encodeCatchUpResponse(c);
    const theirs = registry
      .createType("(u64, u64, Vec<GrandpaSignedPrecommit>, Vec<GrandpaSignedPrecommit>, Hash, BlockNumber)", [
        c.setId,
        c.round,
        c.prevotes.map((p) => ({ precommit: { targetHash: p.target.hash, targetNumber: p.target.number }, signature: p.signature, id: p.id })),
        c.precommits.map((p) => ({ precommit: { targetHash: p.target.hash, targetNumber: p.target.number }, signature: p.signature, id: p.id })),
        c.base.hash,
        c.base.number,
      ])
      .toU8a();
    expect(toHex(bytes.subarray(1))).toBe(u8aToHex(theirs));
  });

  it("no catch-up is one None byte", () => {
    const bytes = encodeCatchUpResponse(null);
    expect(toHex(bytes)).toBe("0x00");
    expect(decodeCatchUpResponse(bytes)).toBeNull();
  });

  it("malformed responses throw", () => {
    const bytes = encodeCatchUpResponse(catchUp());
    expect(() => decodeCatchUpResponse(bytes.subarray(0, bytes.length - 1))).toThrow();
    expect(() => decodeCatchUpResponse(new Uint8Array([...bytes, 0]))).toThrow();
    expect(() => decodeCatchUpResponse(new Uint8Array([2]))).toThrow();
    expect(() => decodeCatchUpResponse(new Uint8Array([0, 0]))).toThrow();
    expect(() => decodeCatchUpResponse(new Uint8Array(0))).toThrow();
  });

  it("a catch-up request is (round u64, set_id u64)", () => {
    const bytes = CatchUpRequestCodec.encode({ round: 300n, setId: 7n });
    expect(toHex(bytes)).toBe(u8aToHex(registry.createType("(u64, u64)", [300n, 7n]).toU8a()));
    expect(CatchUpRequestCodec.decode(bytes)).toEqual({ round: 300n, setId: 7n });
  });
});

/** A header as polkadot-js builds it from our bytes (the same bytes if the formats agree). */
function encodeHeaderForPjs(h: Header) {
  return registry.createType("Header", {
    parentHash: h.parentHash,
    number: h.number,
    stateRoot: h.stateRoot,
    extrinsicsRoot: h.extrinsicsRoot,
    digest: {
      logs: h.digest.logs.map((l) => {
        // Bytes given as a Uint8Array would be read with a length prefix: give raw bytes as hex
        if (l.tag === "Other") return { Other: toHex(l.value as Uint8Array) };
        const [engine, data] = l.value as [Uint8Array, Uint8Array];
        return { [l.tag]: [engine, toHex(data)] };
      }),
    },
  });
}
