/**
 * Finality: authorities sign votes (ed25519) for blocks; a block with votes from more than 2/3 of
 * the authority set is final with all its ancestors, and the votes are stored as its justification
 * (Substrate's Justifications: Vec<(engine id, bytes)>, engine id "stfn"). With a single authority
 * its own vote finalizes each block at once.
 */
import { bytes, fixedBytes, struct, tuple, u32, vec, type Codec } from "../chain/codec/scale.js";
import { H256 } from "../chain/codec/types.js";
import { concatBytes } from "../util/bytes.js";

export const FINALITY_ENGINE_ID = new TextEncoder().encode("stfn");

export interface Vote {
  authority: Uint8Array;
  signature: Uint8Array;
}

export interface Justification {
  blockHash: Uint8Array;
  number: number;
  votes: Vote[];
}

const VoteCodec = tuple(fixedBytes(32), fixedBytes(64));
export const JustificationCodec = struct<{ blockHash: Uint8Array; number: number; votes: [Uint8Array, Uint8Array][] }>(
  [
    { name: "block_hash", type: H256 },
    { name: "number", type: u32 },
    { name: "votes", type: vec(VoteCodec) as Codec<unknown> },
  ],
  { path: ["subtensor_ts", "finality", "Justification"] },
);
/** Justifications = Vec<(ConsensusEngineId, EncodedJustification)>, as chain_getBlock serves them. */
export const JustificationsCodec = vec(tuple(fixedBytes(4), bytes));

/** The message an authority signs to vote for a block. */
export function voteMessage(blockHash: Uint8Array, number: number): Uint8Array {
  return concatBytes(FINALITY_ENGINE_ID, blockHash, u32.encode(number));
}

/** Strictly more than two thirds: with n = 3 all three votes are needed, as with GRANDPA. */
export function finalityThreshold(authorities: number): number {
  return Math.floor((2 * authorities) / 3) + 1;
}

export function encodeJustification(j: Justification): Uint8Array {
  return JustificationCodec.encode({ blockHash: j.blockHash, number: j.number, votes: j.votes.map((v) => [v.authority, v.signature]) });
}

export function decodeJustification(bytes: Uint8Array): Justification {
  const d = JustificationCodec.decode(bytes);
  return { blockHash: d.blockHash, number: d.number, votes: d.votes.map(([authority, signature]) => ({ authority, signature })) };
}

/** True when the votes are valid, distinct, from the set, and above the threshold. */
export function verifyJustification(j: Justification, authorities: Uint8Array[], verify: (pub: Uint8Array, msg: Uint8Array, sig: Uint8Array) => boolean): boolean {
  const msg = voteMessage(j.blockHash, j.number);
  const seen = new Set<string>();
  for (const v of j.votes) {
    const key = Buffer.from(v.authority).toString("hex");
    if (seen.has(key)) return false;
    if (!authorities.some((a) => Buffer.from(a).equals(Buffer.from(v.authority)))) return false;
    if (!verify(v.authority, msg, v.signature)) return false;
    seen.add(key);
  }
  return seen.size >= finalityThreshold(authorities.length);
}
