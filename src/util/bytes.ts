import { hexToU8a, u8aEq, u8aToHex } from "@polkadot/util";

/** Concatenation into one new array (a hot path: storage keys are built this way). */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
/**
 * Byte equality. A plain loop for the short arrays compared everywhere (hashes, roots, keys):
 * @polkadot/util's u8aEq builds two DataViews per call, which showed as a top cost of trie reads (a
 * root comparison per read) and updates (a value comparison per key); its word-wise compare only
 * pays off for long arrays.
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  const n = a.length;
  if (n !== b.length) return false;
  if (n > 64) return u8aEq(a, b);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}
export const toHex = (b: Uint8Array): string => u8aToHex(b);
export const fromHex = (h: string): Uint8Array => hexToU8a(h);
const utf8 = new TextEncoder();
export const utf8Bytes = (s: string): Uint8Array => utf8.encode(s);

/** Lexicographic byte comparison: the order of storage keys and trie iteration. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}

export function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}
