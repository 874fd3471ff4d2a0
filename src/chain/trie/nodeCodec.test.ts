import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { fromHex, toHex } from "../../util/bytes.js";
import { blake2_256 } from "../../util/hash.js";
import { encodeCompact, readCompact } from "./compact.js";
import { TrieError } from "./errors.js";
import {
  type NodeKind,
  type NodeValue,
  decodeHeader,
  decodeNode,
  encodeHeader,
  encodeNode,
  keyToNibbles,
  nibblesToKey,
  packNibbles,
  unpackNibbles,
} from "./nodeCodec.js";

import { VECTOR_DIR as FIXTURES } from "../../../test/fixtures/trie-vectors/loadVectors.js";
const headerVector = JSON.parse(readFileSync(new URL("node_header_bytes.json", FIXTURES), "utf8")) as {
  cases: Array<[NodeKind, number, string]>;
};

function decodeCompact(bytes: Uint8Array): number {
  const r = readCompact(bytes, 0);
  if (r.offset !== bytes.length) throw new Error("trailing bytes");
  return r.value;
}

const KINDS: NodeKind[] = ["leaf", "branch", "branch_with_value", "leaf_with_hashed_value", "branch_with_hashed_value"];

describe("node header", () => {
  it.each(headerVector.cases)("vector: %s with %i nibbles -> %s", (kind, n, hex) => {
    expect(toHex(encodeHeader(kind, n))).toBe(hex);
    const d = decodeHeader(fromHex(hex));
    expect(d.header).toEqual({ kind, nibbleCount: n });
    expect(d.offset).toBe(fromHex(hex).length);
  });

  it("overflows the narrow fields of the hashed variants, with a 00 byte when the rest is 0", () => {
    expect(toHex(encodeHeader("leaf_with_hashed_value", 30))).toBe("0x3e");
    expect(toHex(encodeHeader("leaf_with_hashed_value", 31))).toBe("0x3f00");
    expect(toHex(encodeHeader("leaf_with_hashed_value", 32))).toBe("0x3f01");
    expect(toHex(encodeHeader("branch_with_hashed_value", 14))).toBe("0x1e");
    expect(toHex(encodeHeader("branch_with_hashed_value", 15))).toBe("0x1f00");
    expect(toHex(encodeHeader("branch_with_hashed_value", 16))).toBe("0x1f01");
    expect(toHex(encodeHeader("branch_with_hashed_value", 15 + 255))).toBe("0x1fff00");
    expect(toHex(encodeHeader("leaf", 63))).toBe("0x7f00");
    expect(toHex(encodeHeader("empty", 0))).toBe("0x00");
    expect(decodeHeader(fromHex("0x00")).header).toEqual({ kind: "empty", nibbleCount: 0 });
  });

  it("round-trips every variant and length up to 1100 nibbles", () => {
    for (const kind of KINDS) {
      for (let n = 0; n <= 1100; n++) {
        const bytes = encodeHeader(kind, n);
        const d = decodeHeader(bytes);
        expect(d.header.kind).toBe(kind);
        expect(d.header.nibbleCount).toBe(n);
        expect(d.offset).toBe(bytes.length);
      }
    }
  });

  it("rejects unknown header bytes and truncated length bytes", () => {
    for (const b of [0x01, 0x02, 0x0f]) expect(() => decodeHeader(Uint8Array.of(b))).toThrow(TrieError);
    expect(() => decodeHeader(fromHex("0x7f"))).toThrow(TrieError);
    expect(() => decodeHeader(fromHex("0x7fff"))).toThrow(TrieError);
    expect(() => decodeHeader(new Uint8Array(0))).toThrow(TrieError);
  });
});

describe("nibbles", () => {
  it("packs an odd count with the first nibble alone in the low half", () => {
    expect(toHex(packNibbles(Uint8Array.of(0xa, 0xb, 0xc)))).toBe("0x0abc");
    expect(toHex(packNibbles(Uint8Array.of(0xa, 0xb)))).toBe("0xab");
    expect(toHex(packNibbles(new Uint8Array(0)))).toBe("0x");
    expect([...unpackNibbles(fromHex("0x0abc"), 3)]).toEqual([0xa, 0xb, 0xc]);
    expect([...unpackNibbles(fromHex("0xabcd"), 4)]).toEqual([0xa, 0xb, 0xc, 0xd]);
  });

  it("rejects non-zero padding and length mismatches", () => {
    expect(() => unpackNibbles(fromHex("0x1abc"), 3)).toThrow(TrieError);
    expect(() => unpackNibbles(fromHex("0xabcd"), 3)).toThrow(TrieError);
    expect(() => nibblesToKey([1, 2, 3])).toThrow(TrieError);
  });

  it("round-trips keys and packed nibbles", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.boolean(), (key, dropFirst) => {
        expect(nibblesToKey(keyToNibbles(key))).toEqual(key);
        const nib = dropFirst && key.length > 0 ? keyToNibbles(key).subarray(1) : keyToNibbles(key);
        expect(unpackNibbles(packNibbles(nib), nib.length)).toEqual(Uint8Array.from(nib));
      }),
    );
  });
});

describe("compact", () => {
  it("encodes the SCALE Compact<u32> modes", () => {
    expect(toHex(encodeCompact(0))).toBe("0x00");
    expect(toHex(encodeCompact(1))).toBe("0x04");
    expect(toHex(encodeCompact(63))).toBe("0xfc");
    expect(toHex(encodeCompact(64))).toBe("0x0101");
    expect(toHex(encodeCompact(16383))).toBe("0xfdff");
    expect(toHex(encodeCompact(16384))).toBe("0x02000100");
    expect(toHex(encodeCompact(2 ** 30 - 1))).toBe("0xfeffffff");
    expect(toHex(encodeCompact(2 ** 30))).toBe("0x0300000040");
    expect(toHex(encodeCompact(0xffffffff))).toBe("0x03ffffffff");
    for (const n of [0, 1, 63, 64, 16383, 16384, 2 ** 30 - 1, 2 ** 30, 0xffffffff]) {
      expect(decodeCompact(encodeCompact(n))).toBe(n);
    }
  });

  it("rejects non-canonical forms", () => {
    expect(() => decodeCompact(fromHex("0x0100"))).toThrow(TrieError); // 0 in two-byte mode
    expect(() => decodeCompact(fromHex("0x02000000"))).toThrow(TrieError);
    expect(() => decodeCompact(fromHex("0x0300000000"))).toThrow(TrieError);
    expect(() => decodeCompact(fromHex("0x07000000000000"))).toThrow(TrieError); // wider than u32
  });
});

describe("node encode/decode", () => {
  const inline = (hex: string): NodeValue => ({ kind: "inline", data: fromHex(hex) });

  it("encodes the vector nodes byte for byte", () => {
    // sp-trie codec_trie_single_tuple
    expect(toHex(encodeNode(keyToNibbles(fromHex("0xaa")), inline("0xbb"), undefined))).toBe("0x42aa04bb");
    // sp-trie codec_trie_two_tuples_disjoint_keys: two inline leaves under a branch
    const l1 = encodeNode(Uint8Array.of(3, 1, 4), inline("0xff"), undefined);
    const l2 = encodeNode(Uint8Array.of(8, 1, 9), inline("0xfe"), undefined);
    expect(toHex(l1)).toBe("0x43031404ff");
    const children = new Array<Uint8Array | undefined>(16).fill(undefined);
    children[1] = l1;
    children[4] = l2;
    expect(toHex(encodeNode(new Uint8Array(0), undefined, children))).toBe("0x8012001443031404ff1443081904fe");
  });

  it("decodes every node kind back to what was encoded", () => {
    const hash = blake2_256(fromHex("0x01"));
    const child = encodeNode(Uint8Array.of(1, 2, 3), inline("0x05"), undefined);
    const children = new Array<Uint8Array | undefined>(16).fill(undefined);
    children[0] = child; // inline child
    children[15] = blake2_256(child); // hash child
    const values: Array<NodeValue | undefined> = [undefined, inline("0x"), inline("0x0102"), { kind: "hashed", hash }];
    for (const partialLen of [0, 1, 2, 15, 16, 31, 32, 63, 64, 300]) {
      const partial = Uint8Array.from({ length: partialLen }, (_, i) => (i * 7) % 16);
      for (const value of values) {
        for (const ch of [undefined, children]) {
          if (value === undefined && ch === undefined) {
            expect(() => encodeNode(partial, value, ch)).toThrow(TrieError);
            continue;
          }
          const enc = encodeNode(partial, value, ch);
          const dec = decodeNode(enc)!;
          expect(dec.partialKey).toEqual(partial);
          expect(dec.value?.kind).toBe(value?.kind);
          if (value?.kind === "inline") expect((dec.value as { data: Uint8Array }).data).toEqual(value.data);
          if (value?.kind === "hashed") expect((dec.value as { hash: Uint8Array }).hash).toEqual(hash);
          if (ch === undefined) expect(dec.children).toBeUndefined();
          else {
            expect(dec.children![0]).toEqual(child);
            expect(dec.children![15]).toEqual(blake2_256(child));
            expect(dec.children!.filter((c) => c !== undefined)).toHaveLength(2);
          }
          expect(encodeNode(dec.partialKey, dec.value, dec.children)).toEqual(enc);
        }
      }
    }
  });

  it("chooses the header variant from the value kind", () => {
    const hashed: NodeValue = { kind: "hashed", hash: new Uint8Array(32) };
    const children = new Array<Uint8Array | undefined>(16).fill(undefined);
    children[2] = fromHex("0x4004"); // any short bytes do as an inline ref for encoding
    expect(encodeNode(new Uint8Array(0), hashed, undefined)[0]).toBe(0x20);
    expect(encodeNode(new Uint8Array(0), hashed, children)[0]).toBe(0x10);
    expect(encodeNode(new Uint8Array(0), inline("0x"), children)[0]).toBe(0xc0);
    expect(encodeNode(new Uint8Array(0), undefined, children)[0]).toBe(0x80);
    expect(encodeNode(new Uint8Array(0), inline("0x"), undefined)[0]).toBe(0x40);
    // bitmap little-endian: child 2 -> 04 00
    expect(toHex(encodeNode(new Uint8Array(0), undefined, children))).toBe("0x800400084004");
  });

  it("decodes the empty node as null and rejects malformed nodes", () => {
    expect(decodeNode(fromHex("0x00"))).toBeNull();
    const bad = [
      "0x0000", // trailing bytes after empty
      "0x42aa04bbcc", // trailing byte
      "0x42aa04", // truncated value
      "0x42aa", // missing value length
      "0x431abc04bb", // odd partial with non-zero padding (0x1a)
      "0x800000", // branch without children
      "0x800100", // bitmap says child 0, none follows
      "0x20aa", // truncated value hash
      "0x80010084" + "00".repeat(33), // child ref of 33 bytes
      "0x01", // compact-proof escape byte: not a node
    ];
    for (const hex of bad) expect(() => decodeNode(fromHex(hex)), hex).toThrow(TrieError);
  });
});
