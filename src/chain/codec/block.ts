/** Blocks: header hashing (blake2_256 of the SCALE header), body encoding, JSON shapes for RPC. */
import { ScaleReader, ScaleWriter, type EnumValue } from "./scale.js";
import { ScaleDecodeError } from "./reader.js";
import { DigestItem, HeaderCodec, type Header } from "./types.js";
import { blake2_256 } from "../../util/hash.js";
import { toHex, fromHex } from "../../util/bytes.js";

export type { Header };

export function encodeHeader(h: Header): Uint8Array {
  return HeaderCodec.encode(h as Header & Record<string, unknown>);
}

export function decodeHeader(b: Uint8Array): Header {
  return HeaderCodec.decode(b);
}

export function headerHash(h: Header): Uint8Array {
  return blake2_256(encodeHeader(h));
}

/** A block body is Vec<OpaqueExtrinsic>; each extrinsic is stored with its own length prefix. */
export function encodeBody(extrinsics: Uint8Array[]): Uint8Array {
  const w = new ScaleWriter();
  w.compact(extrinsics.length);
  for (const e of extrinsics) w.bytes(e);
  return w.finish();
}

/** Throws ScaleDecodeError on malformed bytes, and on bytes after the last declared extrinsic. */
export function decodeBody(b: Uint8Array): Uint8Array[] {
  const r = new ScaleReader(b);
  const n = r.compactNumber();
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const start = r.offset;
    const len = r.compactNumber();
    r.take(len);
    out.push(b.slice(start, r.offset));
  }
  // the body ends with its last declared extrinsic: anything after it would be dropped silently
  if (r.remaining) throw new ScaleDecodeError(`${r.remaining} trailing bytes after the ${n} extrinsics of a block body`);
  return out;
}

export interface Block {
  header: Header;
  extrinsics: Uint8Array[];
}

export function encodeBlock(b: Block): Uint8Array {
  const h = encodeHeader(b.header);
  const body = encodeBody(b.extrinsics);
  const out = new Uint8Array(h.length + body.length);
  out.set(h);
  out.set(body, h.length);
  return out;
}

export function decodeBlock(bytes: Uint8Array): Block {
  const r = new ScaleReader(bytes);
  const header = HeaderCodec.decodeFrom(r);
  const extrinsics = decodeBody(bytes.subarray(r.offset));
  return { header, extrinsics };
}

export const digestItemToHex = (item: EnumValue): string => toHex(DigestItem.encode(item));

/** Header JSON as Substrate's RPC serializes it (number as hex: Python clients parse it with int(x, 16)). */
export function headerToJson(h: Header): Record<string, unknown> {
  return {
    parentHash: toHex(h.parentHash),
    number: "0x" + h.number.toString(16),
    stateRoot: toHex(h.stateRoot),
    extrinsicsRoot: toHex(h.extrinsicsRoot),
    digest: { logs: h.digest.logs.map((l) => digestItemToHex(l)) },
  };
}

export const hashFromHex = fromHex;
