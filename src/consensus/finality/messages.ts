/**
 * GRANDPA's wire formats (finality-grandpa / sc-consensus-grandpa), so that what this node stores
 * and serves is what Substrate tools expect: votes are `Message::Prevote | Precommit` over
 * `(target_hash, target_number)`; an authority signs `(message, round, set_id).encode()`; a
 * finalized block's justification is a `GrandpaJustification { round, commit, votes_ancestries }`
 * stored under engine id "FRNK". Block numbers are u32 (Subtensor's BlockNumber).
 */
import { ScaleDecodeError } from "../../chain/codec/reader.js";
import { bytes, enumeration, fixedBytes, struct, tuple, u32, u64, vec, option, type Codec, type EnumValue } from "../../chain/codec/scale.js";
import { H256, HeaderCodec, type Header } from "../../chain/codec/types.js";
import { concatBytes } from "../../util/bytes.js";

export const GRANDPA_ENGINE_ID = new TextEncoder().encode("FRNK");

export interface BlockRef {
  hash: Uint8Array;
  number: number;
}

const TargetCodec = (name: string) =>
  struct<{ targetHash: Uint8Array; targetNumber: number }>(
    [
      { name: "target_hash", type: H256, typeName: "H" },
      { name: "target_number", type: u32, typeName: "N" },
    ],
    { path: ["finality_grandpa", name] },
  );
export const PrevoteCodec = TargetCodec("Prevote");
export const PrecommitCodec = TargetCodec("Precommit");
export const PrimaryProposeCodec = TargetCodec("PrimaryPropose");

export type VoteKind = "Prevote" | "Precommit";

export const MessageCodec = enumeration(
  [
    { name: "Prevote", index: 0, fields: [PrevoteCodec as Codec<unknown>] },
    { name: "Precommit", index: 1, fields: [PrecommitCodec as Codec<unknown>] },
    { name: "PrimaryPropose", index: 2, fields: [PrimaryProposeCodec as Codec<unknown>] },
  ],
  { path: ["finality_grandpa", "Message"] },
);

const Signature = fixedBytes(64);
const AuthorityId = fixedBytes(32);

/** One vote: what, signed by whom. */
export interface SignedVote {
  kind: VoteKind;
  target: BlockRef;
  signature: Uint8Array;
  id: Uint8Array;
}

export const SignedMessageCodec = struct<{ message: EnumValue; signature: Uint8Array; id: Uint8Array }>(
  [
    { name: "message", type: MessageCodec },
    { name: "signature", type: Signature },
    { name: "id", type: AuthorityId },
  ],
  { path: ["finality_grandpa", "SignedMessage"] },
);

export const SignedPrecommitCodec = struct<{ precommit: { targetHash: Uint8Array; targetNumber: number }; signature: Uint8Array; id: Uint8Array }>(
  [
    { name: "precommit", type: PrecommitCodec },
    { name: "signature", type: Signature },
    { name: "id", type: AuthorityId },
  ],
  { path: ["finality_grandpa", "SignedPrecommit"] },
);
export const SignedPrevoteCodec = struct<{ prevote: { targetHash: Uint8Array; targetNumber: number }; signature: Uint8Array; id: Uint8Array }>(
  [
    { name: "prevote", type: PrevoteCodec },
    { name: "signature", type: Signature },
    { name: "id", type: AuthorityId },
  ],
  { path: ["finality_grandpa", "SignedPrevote"] },
);

export interface Commit {
  target: BlockRef;
  precommits: SignedVote[];
}

export interface GrandpaJustification {
  round: bigint;
  commit: Commit;
  votesAncestries: Header[];
}

const CommitCodec = struct<{ targetHash: Uint8Array; targetNumber: number; precommits: unknown[] }>(
  [
    { name: "target_hash", type: H256 },
    { name: "target_number", type: u32 },
    { name: "precommits", type: vec(SignedPrecommitCodec) as Codec<unknown> },
  ],
  { path: ["finality_grandpa", "Commit"] },
);

export const GrandpaJustificationCodec = struct<{ round: bigint; commit: { targetHash: Uint8Array; targetNumber: number; precommits: unknown[] }; votesAncestries: Header[] }>(
  [
    { name: "round", type: u64 },
    { name: "commit", type: CommitCodec },
    { name: "votes_ancestries", type: vec(HeaderCodec) as Codec<unknown> },
  ],
  { path: ["sc_consensus_grandpa", "justification", "GrandpaJustification"] },
);

/** Substrate's Justifications: Vec<(ConsensusEngineId, EncodedJustification)>. */
export const JustificationsCodec = vec(tuple(fixedBytes(4), bytes));

const toPrecommitStruct = (v: SignedVote) => ({ precommit: { targetHash: v.target.hash, targetNumber: v.target.number }, signature: v.signature, id: v.id });
const fromPrecommitStruct = (p: { precommit: { targetHash: Uint8Array; targetNumber: number }; signature: Uint8Array; id: Uint8Array }): SignedVote => ({
  kind: "Precommit",
  target: { hash: p.precommit.targetHash, number: p.precommit.targetNumber },
  signature: p.signature,
  id: p.id,
});
const toPrevoteStruct = (v: SignedVote) => ({ prevote: { targetHash: v.target.hash, targetNumber: v.target.number }, signature: v.signature, id: v.id });
const fromPrevoteStruct = (p: { prevote: { targetHash: Uint8Array; targetNumber: number }; signature: Uint8Array; id: Uint8Array }): SignedVote => ({
  kind: "Prevote",
  target: { hash: p.prevote.targetHash, number: p.prevote.targetNumber },
  signature: p.signature,
  id: p.id,
});

export function encodeGrandpaJustification(j: GrandpaJustification): Uint8Array {
  return GrandpaJustificationCodec.encode({
    round: j.round,
    commit: { targetHash: j.commit.target.hash, targetNumber: j.commit.target.number, precommits: j.commit.precommits.map(toPrecommitStruct) },
    votesAncestries: j.votesAncestries,
  });
}

/** Throws on malformed bytes (the caller turns that into its own typed rejection). */
export function decodeGrandpaJustification(data: Uint8Array): GrandpaJustification {
  const d = GrandpaJustificationCodec.decode(data);
  return {
    round: d.round,
    commit: {
      target: { hash: d.commit.targetHash, number: d.commit.targetNumber },
      precommits: (d.commit.precommits as Parameters<typeof fromPrecommitStruct>[0][]).map(fromPrecommitStruct),
    },
    votesAncestries: d.votesAncestries,
  };
}

/** Justifications as stored and served (chain_getBlock): one GRANDPA entry. */
export function encodeJustifications(justification: Uint8Array): Uint8Array {
  return JustificationsCodec.encode([[GRANDPA_ENGINE_ID, justification]]);
}

/** The GRANDPA entry of stored Justifications, if any. */
export function grandpaEntry(justifications: Uint8Array): Uint8Array | undefined {
  const entries = JustificationsCodec.decode(justifications) as [Uint8Array, Uint8Array][];
  const e = entries.find(([id]) => id.every((b, i) => b === GRANDPA_ENGINE_ID[i]));
  return e?.[1];
}

/** The bytes an authority signs: `(message, round, set_id).encode()` (sp_consensus_grandpa::localized_payload). */
export function localizedPayload(round: bigint, setId: bigint, kind: VoteKind, target: BlockRef): Uint8Array {
  const message = MessageCodec.encode({ tag: kind, value: { targetHash: target.hash, targetNumber: target.number } });
  return concatBytes(message, u64.encode(round), u64.encode(setId));
}

// ------------------------------------------------------------------ gossip and catch-up messages

/** A vote as gossiped: `VoteMessage { round, set_id, message: SignedMessage }`. */
export interface VoteMessage {
  round: bigint;
  setId: bigint;
  vote: SignedVote;
}

const VoteMessageCodec = struct<{ round: bigint; setId: bigint; message: { message: EnumValue; signature: Uint8Array; id: Uint8Array } }>(
  [
    { name: "round", type: u64 },
    { name: "set_id", type: u64 },
    { name: "message", type: SignedMessageCodec },
  ],
  { path: ["sc_consensus_grandpa", "communication", "gossip", "VoteMessage"] },
);

/** A finalized target as gossiped: the round and its justification (`FullCommitMessage` in spirit). */
export interface CommitMessage {
  round: bigint;
  setId: bigint;
  justification: Uint8Array;
}

const CommitMessageCodec = struct<{ round: bigint; setId: bigint; justification: Uint8Array }>([
  { name: "round", type: u64 },
  { name: "set_id", type: u64 },
  { name: "justification", type: bytes },
]);

/** The finality gossip topic carries either; the first byte tells which (as GossipMessage does). */
export const GossipMessageCodec = enumeration([
  { name: "Vote", index: 0, fields: [VoteMessageCodec as Codec<unknown>] },
  { name: "Commit", index: 1, fields: [CommitMessageCodec as Codec<unknown>] },
]);

export type GossipMessage = { tag: "Vote"; value: VoteMessage } | { tag: "Commit"; value: CommitMessage };

export function encodeGossipMessage(m: GossipMessage): Uint8Array {
  if (m.tag === "Vote") {
    const v = m.value.vote;
    return GossipMessageCodec.encode({
      tag: "Vote",
      value: { round: m.value.round, setId: m.value.setId, message: { message: { tag: v.kind, value: { targetHash: v.target.hash, targetNumber: v.target.number } }, signature: v.signature, id: v.id } },
    });
  }
  return GossipMessageCodec.encode({ tag: "Commit", value: m.value });
}

/** Throws on malformed bytes or a PrimaryPropose (this network does not use primaries). */
export function decodeGossipMessage(data: Uint8Array): GossipMessage {
  const d = GossipMessageCodec.decode(data) as EnumValue;
  if (d.tag === "Commit") return { tag: "Commit", value: d.value as CommitMessage };
  const v = d.value as { round: bigint; setId: bigint; message: { message: EnumValue; signature: Uint8Array; id: Uint8Array } };
  const kind = v.message.message.tag;
  if (kind !== "Prevote" && kind !== "Precommit") throw new ScaleDecodeError(`unexpected ${kind} message`);
  const t = v.message.message.value as { targetHash: Uint8Array; targetNumber: number };
  return {
    tag: "Vote",
    value: { round: v.round, setId: v.setId, vote: { kind, target: { hash: t.targetHash, number: t.targetNumber }, signature: v.message.signature, id: v.message.id } },
  };
}

/** Catch-up (sc-consensus-grandpa): a lagging voter asks for the votes of a peer's last completed round. */
export interface CatchUpRequest {
  round: bigint;
  setId: bigint;
}
export const CatchUpRequestCodec = struct<CatchUpRequest & Record<string, unknown>>([
  { name: "round", type: u64 },
  { name: "set_id", type: u64 },
]);

export interface CatchUp {
  setId: bigint;
  round: bigint;
  prevotes: SignedVote[];
  precommits: SignedVote[];
  base: BlockRef;
}

const CatchUpCodec = struct<{ setId: bigint; roundNumber: bigint; prevotes: unknown[]; precommits: unknown[]; baseHash: Uint8Array; baseNumber: number }>([
  { name: "set_id", type: u64 },
  { name: "round_number", type: u64 },
  { name: "prevotes", type: vec(SignedPrevoteCodec) as Codec<unknown> },
  { name: "precommits", type: vec(SignedPrecommitCodec) as Codec<unknown> },
  { name: "base_hash", type: H256 },
  { name: "base_number", type: u32 },
]);
/** The response: the catch-up, or none when the peer has nothing newer. */
export const CatchUpResponseCodec = option(CatchUpCodec);

export function encodeCatchUpResponse(c: CatchUp | null): Uint8Array {
  return CatchUpResponseCodec.encode(
    c && { setId: c.setId, roundNumber: c.round, prevotes: c.prevotes.map(toPrevoteStruct), precommits: c.precommits.map(toPrecommitStruct), baseHash: c.base.hash, baseNumber: c.base.number },
  );
}

export function decodeCatchUpResponse(data: Uint8Array): CatchUp | null {
  const d = CatchUpResponseCodec.decode(data);
  if (!d) return null;
  return {
    setId: d.setId,
    round: d.roundNumber,
    prevotes: (d.prevotes as Parameters<typeof fromPrevoteStruct>[0][]).map(fromPrevoteStruct),
    precommits: (d.precommits as Parameters<typeof fromPrecommitStruct>[0][]).map(fromPrecommitStruct),
    base: { hash: d.baseHash, number: d.baseNumber },
  };
}
