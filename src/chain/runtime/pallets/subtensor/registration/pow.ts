/**
 * Proof of work for `register` and `faucet` (classic registration.rs at de1026780):
 *
 *   seal = keccak256(sha256(nonce_le_u64 ‖ keccak256(block_hash ‖ hotkey)))
 *
 * where block_hash is System.BlockHash[block_number] (all zero for the block being built, as in
 * Substrate), and the work meets the difficulty when seal (a big-endian 256-bit number) ×
 * difficulty does not overflow 256 bits. Miners (bittensor's `register` / `pow_register`) compute
 * exactly this.
 */
import { createHash } from "node:crypto";
import { keccakAsU8a } from "@polkadot/util-crypto";
import type { ReadAccess } from "../../../../state/types.js";
import { BlockHash } from "../../system.js";

const TWO_256 = 1n << 256n;

/** `get_block_hash_from_u64`: the stored hash of a block (zero when unknown, e.g. the current block). */
export function blockHashFromU64(state: ReadAccess, blockNumber: bigint): Uint8Array {
  // BlockHash is keyed by u32 block numbers; callers have checked blockNumber ≤ the current block.
  return BlockHash.get(state, Number(blockNumber));
}

/** `hash_block_and_hotkey`: keccak256(block_hash ‖ hotkey). */
export function hashBlockAndHotkey(blockHash: Uint8Array, hotkey: Uint8Array): Uint8Array {
  const full = new Uint8Array(64);
  full.set(blockHash.subarray(0, 32), 0);
  full.set(hotkey.subarray(0, 32), 32);
  return keccakAsU8a(full, 256);
}

/** The seal for a nonce, given the precomputed keccak256(block_hash ‖ hotkey). */
export function sealFromBlockAndHotkeyHash(blockAndHotkey: Uint8Array, nonce: bigint): Uint8Array {
  const full = new Uint8Array(40);
  new DataView(full.buffer).setBigUint64(0, BigInt.asUintN(64, nonce), true);
  full.set(blockAndHotkey, 8);
  const sha = createHash("sha256").update(full).digest();
  return keccakAsU8a(sha, 256);
}

/** `create_seal_hash(block_number, nonce, hotkey)` from a known block hash. */
export function createSealHash(blockHash: Uint8Array, nonce: bigint, hotkey: Uint8Array): Uint8Array {
  return sealFromBlockAndHotkeyHash(hashBlockAndHotkey(blockHash, hotkey), nonce);
}

/** `hash_meets_difficulty`: hash (big-endian U256) × difficulty fits in 256 bits. */
export function hashMeetsDifficulty(hash: Uint8Array, difficulty: bigint): boolean {
  let n = 0n;
  for (const b of hash) n = (n << 8n) | BigInt(b);
  return n * difficulty < TWO_256;
}

/**
 * `create_work_for_block_number`: the first nonce from `startNonce` whose seal meets the
 * difficulty, with the seal (the `work` argument). For miners, tests and tools.
 */
export function solvePow(blockHash: Uint8Array, hotkey: Uint8Array, difficulty: bigint, startNonce = 0n): { nonce: bigint; work: Uint8Array } {
  const prefix = hashBlockAndHotkey(blockHash, hotkey);
  for (let nonce = startNonce; ; nonce++) {
    const seal = sealFromBlockAndHotkeyHash(prefix, nonce);
    if (hashMeetsDifficulty(seal, difficulty)) return { nonce, work: seal };
  }
}
