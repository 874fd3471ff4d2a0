/**
 * Signature verification jobs for extrinsics (MultiSignature) and other account signatures.
 * See polkadot-js-compat.md §4.3 for what an extrinsic signs.
 */

// The job type is the runtime's (it builds jobs for its host); re-exported for the verifiers.
import type { SignatureScheme } from "../runtime/signature.js";
export type { SignatureJob, SignatureScheme } from "../runtime/signature.js";

/**
 * Wire codes of the schemes, equal to the MultiSignature variant indices (Ed25519 = 0, Sr25519 = 1,
 * Ecdsa = 2). Also used to pack jobs for the worker threads; 255 marks a job that is invalid
 * whatever its bytes (unknown scheme, or a field that is not a Uint8Array).
 */
export const SCHEME_CODE = { ed25519: 0, sr25519: 1, ecdsa: 2 } as const satisfies Record<SignatureScheme, number>;
export const INVALID_SCHEME_CODE = 255;

/** Expected lengths: signer is always 32 bytes; ecdsa signatures are 65 bytes (r ++ s ++ v). */
export const SIGNER_LENGTH = 32;
export const SIGNATURE_LENGTH = { ed25519: 64, sr25519: 64, ecdsa: 65 } as const satisfies Record<SignatureScheme, number>;
