/**
 * SCALE Compact<u32>: the length prefixes inside trie nodes and the keys of ordered (extrinsics)
 * tries. Kept here rather than borrowed from the chain codec so the trie has no dependency on the
 * metadata-aware codec layer (the trie sits below it).
 */
import { TrieError } from "./errors.js";

/** Number of bytes `encodeCompact(n)` takes. */
export function compactLength(n: number): number {
  if (n < 1 << 6) return 1;
  if (n < 1 << 14) return 2;
  if (n < 1 << 30) return 4;
  return 5; // u32 big mode: one prefix byte + 4 bytes
}

/** Writes Compact(n) at `offset`, returns the offset after it. n must be a u32. */
export function writeCompact(out: Uint8Array, offset: number, n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`compact u32 out of range: ${n}`);
  if (n < 1 << 6) {
    out[offset] = n << 2;
    return offset + 1;
  }
  if (n < 1 << 14) {
    const v = (n << 2) | 1;
    out[offset] = v & 0xff;
    out[offset + 1] = v >>> 8;
    return offset + 2;
  }
  if (n < 1 << 30) {
    const v = ((n << 2) | 2) >>> 0;
    out[offset] = v & 0xff;
    out[offset + 1] = (v >>> 8) & 0xff;
    out[offset + 2] = (v >>> 16) & 0xff;
    out[offset + 3] = v >>> 24;
    return offset + 4;
  }
  out[offset] = 0b11; // big mode, (4 - 4) << 2 | 3: four little-endian bytes follow
  out[offset + 1] = n & 0xff;
  out[offset + 2] = (n >>> 8) & 0xff;
  out[offset + 3] = (n >>> 16) & 0xff;
  out[offset + 4] = n >>> 24;
  return offset + 5;
}

export function encodeCompact(n: number): Uint8Array {
  const out = new Uint8Array(compactLength(n));
  writeCompact(out, 0, n);
  return out;
}

/**
 * Reads a Compact<u32> at `offset`. Rejects truncated and non-canonical encodings: a node encoding
 * must have exactly one byte form, or two different byte strings (two hashes) would mean one node.
 */
export function readCompact(data: Uint8Array, offset: number): { value: number; offset: number } {
  const bad = (reason: string): never => {
    throw new TrieError({ code: "TRIE_INVALID_NODE", reason });
  };
  if (offset >= data.length) bad("truncated compact length");
  const first = data[offset];
  switch (first & 3) {
    case 0:
      return { value: first >>> 2, offset: offset + 1 };
    case 1: {
      if (offset + 2 > data.length) bad("truncated compact length");
      const v = (first | (data[offset + 1] << 8)) >>> 2;
      if (v < 1 << 6) bad("non-canonical compact length");
      return { value: v, offset: offset + 2 };
    }
    case 2: {
      if (offset + 4 > data.length) bad("truncated compact length");
      const v = (first | (data[offset + 1] << 8) | (data[offset + 2] << 16) | (data[offset + 3] << 24)) >>> 2;
      if (v < 1 << 14) bad("non-canonical compact length");
      return { value: v, offset: offset + 4 };
    }
    default: {
      if (first !== 0b11) bad("compact length wider than u32");
      if (offset + 5 > data.length) bad("truncated compact length");
      const v = (data[offset + 1] | (data[offset + 2] << 8) | (data[offset + 3] << 16) | (data[offset + 4] << 24)) >>> 0;
      if (v < 1 << 30) bad("non-canonical compact length");
      return { value: v, offset: offset + 5 };
    }
  }
}
