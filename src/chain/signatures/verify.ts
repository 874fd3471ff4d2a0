/**
 * Synchronous signature verification on the calling thread, with the fastest implementation
 * measured per scheme (bench/signatures.ts):
 *
 * - sr25519: @polkadot/wasm-crypto's `sr25519Verify` called directly (about 5× util-crypto 14's
 *   pure-JS version). Its argument order is (signature, message, publicKey).
 * - ed25519: `node:crypto` (OpenSSL), about 2× wasm-crypto's ed25519-dalek. Both accept and reject
 *   the same edge cases we tried (small-order key with identity R, s + L), but neither is exactly
 *   Substrate's ed25519-zebra (ZIP-215) on adversarial inputs. Workers use the same code path, so
 *   a result never depends on batch size.
 * - ecdsa: @polkadot/util-crypto's secp256k1 recovery forced onto its JS path (@noble/curves).
 *   Do NOT use wasm-crypto's `secp256k1Recover` (nor util-crypto's default path, which calls it
 *   once wasm is ready) on untrusted input: it panics (a WASM `unreachable` trap) on bad or
 *   high-s signatures, and repeated traps leak the WASM shadow stack until the shared instance,
 *   and with it sr25519 verification, fails with "memory access out of bounds".
 *
 * The worker threads (pool.ts, WORKER_SOURCE) mirror this logic in plain JS; the tests check that
 * both agree on valid, invalid and random inputs.
 */
import { createPublicKey, verify as nodeVerify } from "node:crypto";
import { isReady, sr25519Verify as wasmSr25519Verify, waitReady } from "@polkadot/wasm-crypto";
import { blake2AsU8a, secp256k1Recover } from "@polkadot/util-crypto";
import { SignatureVerifierError } from "./errors.js";
import { SIGNATURE_LENGTH, SIGNER_LENGTH, type SignatureJob } from "./types.js";

let initPromise: Promise<void> | undefined;

/** Initialise @polkadot/wasm-crypto. Idempotent; concurrent callers share one initialisation. */
export function initCrypto(): Promise<void> {
  initPromise ??= waitReady().then((ok) => {
    if (!ok) {
      initPromise = undefined;
      throw new SignatureVerifierError({ code: "SIGNATURE_CRYPTO_NOT_READY" }, "@polkadot/wasm-crypto failed to initialise");
    }
  });
  return initPromise;
}

/**
 * The message an extrinsic's signature covers: the signing payload (call ++ extra ++ additional
 * signed) itself, or its blake2_256 if it is longer than 256 bytes (polkadot-js-compat.md §4.3).
 */
export function extrinsicSigningMessage(payload: Uint8Array): Uint8Array {
  return payload.length > 256 ? blake2AsU8a(payload, 256) : payload;
}

/** DER SubjectPublicKeyInfo header of a raw 32-byte Ed25519 public key (RFC 8410). */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

export function verifySr25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== SIGNER_LENGTH || signature.length !== SIGNATURE_LENGTH.sr25519) return false;
  try {
    return wasmSr25519Verify(signature, message, publicKey);
  } catch {
    return false;
  }
}

export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== SIGNER_LENGTH || signature.length !== SIGNATURE_LENGTH.ed25519) return false;
  try {
    const der = Buffer.allocUnsafe(ED25519_SPKI_PREFIX.length + SIGNER_LENGTH);
    ED25519_SPKI_PREFIX.copy(der, 0);
    der.set(publicKey, ED25519_SPKI_PREFIX.length);
    return nodeVerify(null, message, createPublicKey({ key: der, format: "der", type: "spki" }), signature);
  } catch {
    return false;
  }
}

/**
 * Substrate's MultiSignature::Ecdsa check: recover the compressed public key from a 65-byte
 * r ++ s ++ v signature over blake2_256(message), and compare blake2_256(compressed key) with the
 * AccountId. Like sp_io's secp256k1_ecdsa_recover_compressed, v may be 0..3 or 27..30 and high-s
 * signatures are accepted.
 */
export function verifyEcdsa(accountId: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (accountId.length !== SIGNER_LENGTH || signature.length !== SIGNATURE_LENGTH.ecdsa) return false;
  let v = signature[64];
  if (v > 26) v -= 27;
  if (v > 3) return false;
  try {
    const hash = blake2AsU8a(message, 256);
    const compressed = secp256k1Recover(hash, signature.subarray(0, 64), v, "blake2", true);
    return equalBytes(blake2AsU8a(compressed, 256), accountId);
  } catch {
    return false;
  }
}

/**
 * Verify one signature on the calling thread. Returns false for any malformed job (unknown scheme,
 * wrong lengths, fields that are not Uint8Arrays). Throws only if initCrypto() has not completed,
 * so that a missing initialisation is never mistaken for a bad signature.
 */
export function verifySignature(job: SignatureJob): boolean {
  if (!isReady()) {
    throw new SignatureVerifierError({ code: "SIGNATURE_CRYPTO_NOT_READY" }, "call and await initCrypto() before verifySignature()");
  }
  if (job === null || typeof job !== "object") return false;
  const { scheme, signer, message, signature } = job;
  if (!(signer instanceof Uint8Array && message instanceof Uint8Array && signature instanceof Uint8Array)) return false;
  switch (scheme) {
    case "sr25519":
      return verifySr25519(signer, message, signature);
    case "ed25519":
      return verifyEd25519(signer, message, signature);
    case "ecdsa":
      return verifyEcdsa(signer, message, signature);
    default:
      return false;
  }
}
