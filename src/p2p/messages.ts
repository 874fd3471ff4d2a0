/**
 * What peers exchange, in SCALE: the status handshake, block requests and responses (modelled on
 * Substrate's sync protocol: from a number or a hash, ascending or descending, with the fields
 * asked for), and block announcements gossiped with their body.
 */
import { ScaleDecodeError } from "../chain/codec/reader.js";
import { ScaleReader, bytes, enumeration, option, struct, u32, u64, u8, type Codec, type EnumValue } from "../chain/codec/scale.js";
import { H256, HeaderCodec, type Header } from "../chain/codec/types.js";
import { decodeBody, encodeBody, encodeHeader } from "../chain/codec/block.js";
import { concatBytes } from "../util/bytes.js";

export const ROLE_FULL = 0;
export const ROLE_AUTHORITY = 1;

export interface Status {
  genesisHash: Uint8Array;
  slotDurationMs: bigint;
  bestNumber: number;
  bestHash: Uint8Array;
  finalizedNumber: number;
  finalizedHash: Uint8Array;
  /** 0 full node, 1 authority */
  role: number;
}

export const StatusCodec = struct<Status & Record<string, unknown>>([
  { name: "genesis_hash", type: H256 },
  { name: "slot_duration_ms", type: u64 },
  { name: "best_number", type: u32 },
  { name: "best_hash", type: H256 },
  { name: "finalized_number", type: u32 },
  { name: "finalized_hash", type: H256 },
  { name: "role", type: u8 },
]);

/** Which parts of each block a request wants (Substrate's BlockAttributes bits). */
export const FIELD_HEADER = 1;
export const FIELD_BODY = 2;
export const FIELD_JUSTIFICATION = 16;

export interface BlockRequest {
  from: { tag: "Number"; value: number } | { tag: "Hash"; value: Uint8Array };
  direction: "Ascending" | "Descending";
  max: number;
  fields: number;
}

const FromCodec = enumeration([
  { name: "Hash", index: 0, fields: [H256 as Codec<unknown>] },
  { name: "Number", index: 1, fields: [u32 as Codec<unknown>] },
]);
const DirectionCodec = enumeration([
  { name: "Ascending", index: 0 },
  { name: "Descending", index: 1 },
]);

const BlockRequestCodec = struct<{ from: EnumValue; direction: EnumValue; max: number; fields: number }>([
  { name: "from", type: FromCodec },
  { name: "direction", type: DirectionCodec },
  { name: "max", type: u32 },
  { name: "fields", type: u8 },
]);

export function encodeBlockRequest(r: BlockRequest): Uint8Array {
  return BlockRequestCodec.encode({ from: r.from as EnumValue, direction: { tag: r.direction }, max: r.max, fields: r.fields });
}

export function decodeBlockRequest(data: Uint8Array): BlockRequest {
  const d = BlockRequestCodec.decode(data);
  return { from: d.from as BlockRequest["from"], direction: d.direction.tag as BlockRequest["direction"], max: d.max, fields: d.fields };
}

/** One block of a response; each is sent as its own length-prefixed frame. */
export interface BlockData {
  hash: Uint8Array;
  header: Header | null;
  body: Uint8Array[] | null;
  /** SCALE Justifications, when the block has some and they were asked for */
  justifications: Uint8Array | null;
}

/** Bodies travel as the block body is stored: Vec<OpaqueExtrinsic> (each keeps its length prefix). */
const BodyBytes = option(bytes);
const BlockDataHead = struct<{ hash: Uint8Array; header: Header | null }>([
  { name: "hash", type: H256 },
  { name: "header", type: option(HeaderCodec) as Codec<unknown> },
]);

export function encodeBlockData(d: BlockData): Uint8Array {
  return concatBytes(BlockDataHead.encode({ hash: d.hash, header: d.header }), BodyBytes.encode(d.body && encodeBody(d.body)), option(bytes).encode(d.justifications));
}

/** Throws on malformed or trailing bytes. */
export function decodeBlockData(data: Uint8Array): BlockData {
  const r = new ScaleReader(data);
  const head = BlockDataHead.decodeFrom(r);
  const body = BodyBytes.decodeFrom(r);
  const justifications = option(bytes).decodeFrom(r);
  if (r.remaining !== 0) throw new ScaleDecodeError(`${r.remaining} trailing bytes after block data`);
  return { hash: head.hash, header: head.header, body: body && decodeWholeBody(body), justifications };
}

/** A stored body (Vec<OpaqueExtrinsic>) that must end with its last declared extrinsic (decodeBody checks it). */
function decodeWholeBody(body: Uint8Array): Uint8Array[] {
  return decodeBody(body);
}

/**
 * A new block as gossiped: the header, then (flag 1) the body as stored, or (flag 0) nothing —
 * a large block is announced by its header and its body fetched by a block request, as Substrate
 * does (gossipsub's framing cannot carry a message above 4 MiB).
 */
export interface BlockAnnounce {
  header: Header;
  extrinsics: Uint8Array[] | null;
}

export function encodeBlockAnnounce(b: BlockAnnounce): Uint8Array {
  return b.extrinsics ? concatBytes(encodeHeader(b.header), new Uint8Array([1]), encodeBody(b.extrinsics)) : concatBytes(encodeHeader(b.header), new Uint8Array([0]));
}

/** Throws on malformed bytes. */
export function decodeBlockAnnounce(data: Uint8Array): BlockAnnounce {
  const r = new ScaleReader(data);
  const header = HeaderCodec.decodeFrom(r);
  const flag = r.byte();
  if (flag === 0) {
    if (r.remaining !== 0) throw new ScaleDecodeError("trailing bytes after a header-only announcement");
    return { header, extrinsics: null };
  }
  if (flag !== 1) throw new ScaleDecodeError(`bad body flag ${flag}`);
  return { header, extrinsics: decodeWholeBody(data.subarray(r.offset)) };
}
