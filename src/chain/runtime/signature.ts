/**
 * What the runtime asks its host to verify: one signature over one message by one account
 * (Substrate's `sp_io::crypto::*_verify` host functions). The runtime builds these jobs (for
 * extrinsics, the signing payload of polkadot-js-compat.md §4.3); `chain/signatures` runs them,
 * in worker threads on the import path.
 */

export type SignatureScheme = "ed25519" | "sr25519" | "ecdsa";

export interface SignatureJob {
  scheme: SignatureScheme;
  /** 32-byte AccountId32: the public key for ed25519/sr25519, blake2_256(compressed pubkey) for ecdsa */
  signer: Uint8Array;
  /** the exact message that was signed (caller already hashed payloads > 256 bytes) */
  message: Uint8Array;
  signature: Uint8Array;
}
