/**
 * Substrate trie node encoding (sp-trie `node_header.rs` / `node_codec.rs`, Polkadot host spec
 * "Node Header", "Node Subvalue"). This file only turns nodes into bytes and back; it does not know
 * which layout (V0/V1) produced a node, because the decoder must accept both: a chain that migrated
 * from V0 to V1 holds a mix of the two node kinds.
 *
 * Node = header ‖ partial key (packed nibbles) ‖ [bitmap u16 LE] ‖ [value] ‖ children.
 *   - value: inline `Compact(len) ‖ bytes`, or (hashed variants) the raw 32-byte blake2_256 of the value;
 *   - child: `Compact(len) ‖ ref`, where ref is the child's 32-byte hash or, when the child's
 *     encoding is shorter than 32 bytes, that encoding itself (an inline node).
 *
 * Nibbles are held one per byte (values 0..15) in a Uint8Array: simple to slice and compare, and
 * the keys are short enough that the doubled size does not matter.
 */
import { blake2_256 } from "../../util/hash.js";
import { compactLength, readCompact, writeCompact } from "./compact.js";
import { TrieError } from "./errors.js";

export const HASH_LENGTH = 32;

/**
 * The header variant names (the words the spec and our test vectors use).
 * `empty` is the single byte 0x00: the root node of an empty trie.
 */
export type NodeKind =
  | "empty"
  | "leaf"
  | "branch"
  | "branch_with_value"
  | "leaf_with_hashed_value"
  | "branch_with_hashed_value";

export interface NodeHeader {
  kind: NodeKind;
  /** partial key length in nibbles */
  nibbleCount: number;
}

/**
 * sp-trie `NIBBLE_SIZE_BOUND`: partial keys are limited to u16::MAX nibbles. Substrate silently
 * truncates longer ones when encoding (which would produce a wrong node); we refuse instead.
 */
export const NIBBLE_SIZE_BOUND = 0xffff;

/** Variant bits and the width of the length field that follows them in the first byte. */
const VARIANTS: Record<Exclude<NodeKind, "empty">, { prefix: number; max: number }> = {
  leaf: { prefix: 0b0100_0000, max: 0b11_1111 }, // 01 + 6 bits
  branch: { prefix: 0b1000_0000, max: 0b11_1111 }, // 10 + 6 bits
  branch_with_value: { prefix: 0b1100_0000, max: 0b11_1111 }, // 11 + 6 bits
  leaf_with_hashed_value: { prefix: 0b0010_0000, max: 0b1_1111 }, // 001 + 5 bits
  branch_with_hashed_value: { prefix: 0b0001_0000, max: 0b1111 }, // 0001 + 4 bits
};

function invalid(reason: string): never {
  throw new TrieError({ code: "TRIE_INVALID_NODE", reason });
}

// ---------------------------------------------------------------------------------------------
// Header

function headerLength(kind: NodeKind, nibbleCount: number): number {
  if (kind === "empty") return 1;
  const { max } = VARIANTS[kind];
  if (nibbleCount < max) return 1;
  // the first byte holds max, then (n - max) as 255-bytes terminated by a byte < 255
  return 2 + Math.floor((nibbleCount - max) / 255);
}

function writeHeader(out: Uint8Array, offset: number, kind: NodeKind, nibbleCount: number): number {
  if (kind === "empty") {
    out[offset] = 0;
    return offset + 1;
  }
  if (!Number.isInteger(nibbleCount) || nibbleCount < 0 || nibbleCount > NIBBLE_SIZE_BOUND) {
    invalid(`partial key of ${nibbleCount} nibbles`);
  }
  const { prefix, max } = VARIANTS[kind];
  if (nibbleCount < max) {
    out[offset] = prefix | nibbleCount;
    return offset + 1;
  }
  out[offset++] = prefix | max;
  let rest = nibbleCount - max;
  while (rest >= 255) {
    out[offset++] = 255;
    rest -= 255;
  }
  // always written, even when 0: it is what tells the decoder the length ended (63 -> 7f 00)
  out[offset++] = rest;
  return offset;
}

export function encodeHeader(kind: NodeKind, nibbleCount: number): Uint8Array {
  const out = new Uint8Array(headerLength(kind, nibbleCount));
  writeHeader(out, 0, kind, nibbleCount);
  return out;
}

export function decodeHeader(data: Uint8Array, offset = 0): { header: NodeHeader; offset: number } {
  if (offset >= data.length) invalid("empty input");
  const first = data[offset++];
  let kind: NodeKind;
  switch (first >>> 6) {
    case 0b01:
      kind = "leaf";
      break;
    case 0b10:
      kind = "branch";
      break;
    case 0b11:
      kind = "branch_with_value";
      break;
    default:
      if (first & 0b0010_0000) kind = "leaf_with_hashed_value";
      else if (first & 0b0001_0000) kind = "branch_with_hashed_value";
      else if (first === 0) return { header: { kind: "empty", nibbleCount: 0 }, offset };
      // 0x01 is sp-trie's escape byte for compact proofs; 0x02..0x0f are unassigned
      else invalid(`unknown node header byte 0x${first.toString(16).padStart(2, "0")}`);
  }
  const { max } = VARIANTS[kind];
  let n = first & max;
  if (n === max) {
    for (;;) {
      if (offset >= data.length) invalid("truncated node header");
      const b = data[offset++];
      n += b;
      if (n > NIBBLE_SIZE_BOUND) invalid("partial key longer than the nibble bound");
      if (b < 255) break;
    }
  }
  return { header: { kind, nibbleCount: n }, offset };
}

// ---------------------------------------------------------------------------------------------
// Nibbles

/** Byte key -> nibbles, high nibble first. */
export function keyToNibbles(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length * 2);
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = key[i] >>> 4;
    out[2 * i + 1] = key[i] & 0x0f;
  }
  return out;
}

/** Nibbles (even count) -> byte key. */
export function nibblesToKey(nibbles: ArrayLike<number>): Uint8Array {
  if (nibbles.length % 2 !== 0) invalid("a key with an odd number of nibbles");
  const out = new Uint8Array(nibbles.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = (nibbles[2 * i] << 4) | nibbles[2 * i + 1];
  return out;
}

/**
 * Partial key packing: with an odd count the first nibble sits alone in the LOW half of the first
 * byte (left padding), then pairs. So `abc` packs as 0a bc, not ab c0.
 */
function writePackedNibbles(out: Uint8Array, offset: number, nibbles: Uint8Array): number {
  let i = 0;
  if (nibbles.length % 2 === 1) {
    out[offset++] = nibbles[0];
    i = 1;
  }
  for (; i < nibbles.length; i += 2) out[offset++] = (nibbles[i] << 4) | nibbles[i + 1];
  return offset;
}

export function packNibbles(nibbles: Uint8Array): Uint8Array {
  const out = new Uint8Array((nibbles.length + 1) >>> 1);
  writePackedNibbles(out, 0, nibbles);
  return out;
}

/** Inverse of packNibbles; `count` comes from the header. The padding half-byte must be zero. */
export function unpackNibbles(packed: Uint8Array, count: number): Uint8Array {
  if (packed.length !== (count + 1) >>> 1) invalid("packed partial key length does not match the header");
  const out = new Uint8Array(count);
  let j = 0;
  let i = 0;
  if (count % 2 === 1) {
    if (packed[0] & 0xf0) invalid("non-zero padding in an odd partial key");
    out[j++] = packed[0];
    i = 1;
  }
  for (; i < packed.length; i++) {
    out[j++] = packed[i] >>> 4;
    out[j++] = packed[i] & 0x0f;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Nodes

/** A node's value: stored in the node, or (V1, value >= 33 bytes) stored apart under its hash. */
export type NodeValue =
  | { readonly kind: "inline"; readonly data: Uint8Array }
  | { readonly kind: "hashed"; readonly hash: Uint8Array };

/**
 * A child reference as it appears in the parent: 32 bytes = the child's hash; fewer = the child's
 * own encoding, inlined. (A child encoding of exactly 32 bytes is hashed, never inlined, so the
 * length alone tells the two apart — the same rule sp-trie's decoder uses.)
 */
export type ChildRef = Uint8Array;

export interface DecodedNode {
  /** nibbles, one per byte */
  readonly partialKey: Uint8Array;
  readonly value: NodeValue | undefined;
  /** 16 slots for a branch; undefined for a leaf */
  readonly children: ReadonlyArray<ChildRef | undefined> | undefined;
}

/** The reference a parent holds for a child whose encoding is `encoding` (rule 7 of the notes). */
export function childRefFor(encoding: Uint8Array): ChildRef {
  return encoding.length < HASH_LENGTH ? encoding : blake2_256(encoding);
}

/**
 * Encodes a node. It is a branch if any child is present, else a leaf (which must have a value).
 * The header variant follows from that and from the value's kind.
 */
export function encodeNode(
  partialKey: Uint8Array,
  value: NodeValue | undefined,
  children: ReadonlyArray<ChildRef | undefined> | undefined,
): Uint8Array {
  let bitmap = 0;
  let childrenLength = 0;
  if (children) {
    for (let i = 0; i < 16; i++) {
      const c = children[i];
      if (c === undefined) continue;
      if (c.length > HASH_LENGTH) invalid("child reference longer than a hash");
      bitmap |= 1 << i;
      childrenLength += compactLength(c.length) + c.length;
    }
  }
  const isBranch = bitmap !== 0;
  let kind: NodeKind;
  if (isBranch) {
    kind = value === undefined ? "branch" : value.kind === "inline" ? "branch_with_value" : "branch_with_hashed_value";
  } else {
    if (value === undefined) invalid("a leaf without a value");
    kind = value.kind === "inline" ? "leaf" : "leaf_with_hashed_value";
  }
  let valueLength = 0;
  if (value !== undefined) {
    if (value.kind === "inline") valueLength = compactLength(value.data.length) + value.data.length;
    else if (value.hash.length !== HASH_LENGTH) invalid("hashed value must be 32 bytes");
    else valueLength = HASH_LENGTH;
  }
  const total =
    headerLength(kind, partialKey.length) + ((partialKey.length + 1) >>> 1) + (isBranch ? 2 : 0) + valueLength + childrenLength;
  const out = new Uint8Array(total);
  let o = writeHeader(out, 0, kind, partialKey.length);
  o = writePackedNibbles(out, o, partialKey);
  if (isBranch) {
    // bit i = child i, little-endian u16
    out[o++] = bitmap & 0xff;
    out[o++] = bitmap >>> 8;
  }
  if (value !== undefined) {
    if (value.kind === "inline") {
      o = writeCompact(out, o, value.data.length);
      out.set(value.data, o);
      o += value.data.length;
    } else {
      out.set(value.hash, o);
      o += HASH_LENGTH;
    }
  }
  if (isBranch) {
    for (let i = 0; i < 16; i++) {
      const c = children![i];
      if (c === undefined) continue;
      o = writeCompact(out, o, c.length);
      out.set(c, o);
      o += c.length;
    }
  }
  return out;
}

/**
 * Decodes a node; null for the empty node (0x00). Values and child references are views into
 * `data` (no copy), so callers must not mutate the buffer they pass in. Throws TrieError
 * TRIE_INVALID_NODE on malformed input, including trailing bytes: one node has one encoding.
 */
export function decodeNode(data: Uint8Array): DecodedNode | null {
  const h = decodeHeader(data, 0);
  const { kind, nibbleCount } = h.header;
  let o = h.offset;
  if (kind === "empty") {
    if (data.length !== 1) invalid("trailing bytes after the empty node");
    return null;
  }
  const packedLength = (nibbleCount + 1) >>> 1;
  if (o + packedLength > data.length) invalid("truncated partial key");
  const partialKey = unpackNibbles(data.subarray(o, o + packedLength), nibbleCount);
  o += packedLength;

  const isBranch = kind === "branch" || kind === "branch_with_value" || kind === "branch_with_hashed_value";
  let bitmap = 0;
  if (isBranch) {
    if (o + 2 > data.length) invalid("truncated children bitmap");
    bitmap = data[o] | (data[o + 1] << 8);
    o += 2;
    if (bitmap === 0) invalid("branch without children");
  }

  let value: NodeValue | undefined;
  if (kind === "leaf" || kind === "branch_with_value") {
    const len = readCompact(data, o);
    o = len.offset;
    if (o + len.value > data.length) invalid("truncated value");
    value = { kind: "inline", data: data.subarray(o, o + len.value) };
    o += len.value;
  } else if (kind === "leaf_with_hashed_value" || kind === "branch_with_hashed_value") {
    if (o + HASH_LENGTH > data.length) invalid("truncated value hash");
    value = { kind: "hashed", hash: data.subarray(o, o + HASH_LENGTH) };
    o += HASH_LENGTH;
  }

  let children: (ChildRef | undefined)[] | undefined;
  if (isBranch) {
    children = new Array<ChildRef | undefined>(16).fill(undefined);
    for (let i = 0; i < 16; i++) {
      if (!(bitmap & (1 << i))) continue;
      const len = readCompact(data, o);
      o = len.offset;
      if (len.value > HASH_LENGTH) invalid("child reference longer than a hash");
      if (o + len.value > data.length) invalid("truncated child reference");
      children[i] = data.subarray(o, o + len.value);
      o += len.value;
    }
  }
  if (o !== data.length) invalid("trailing bytes after node");
  return { partialKey, value, children };
}
