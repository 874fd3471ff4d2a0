import { blake2AsU8a, xxhashAsU8a } from "@polkadot/util-crypto";

/** blake2b with a 256-bit digest: block hashes, trie node hashes, tx hashes. */
export function blake2_256(data: Uint8Array): Uint8Array {
  return blake2AsU8a(data, 256);
}

/** blake2b with a 128-bit digest: the Blake2_128Concat storage hasher. */
export function blake2_128(data: Uint8Array): Uint8Array {
  return blake2AsU8a(data, 128);
}

/** blake2b with a 64-bit digest: runtime API ids. */
export function blake2_64(data: Uint8Array): Uint8Array {
  return blake2AsU8a(data, 64);
}

/** xxhash64 twice (seeds 0, 1): storage prefixes of pallets and items. */
export function twox128(data: Uint8Array): Uint8Array {
  return xxhashAsU8a(data, 128);
}

/** xxhash64 (seed 0): the Twox64Concat storage hasher. */
export function twox64(data: Uint8Array): Uint8Array {
  return xxhashAsU8a(data, 64);
}
