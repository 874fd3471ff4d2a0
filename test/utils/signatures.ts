/**
 * Deterministic signed jobs for tests and bench/signatures.ts. Not used by the node itself.
 *
 * Keys and signatures come from @polkadot/wasm-crypto directly (sr25519 signing through
 * util-crypto is pure JS, about 740/s, too slow for a 2,000-signature bench batch) and from
 * util-crypto for ecdsa (blake2 hashing, as polkadot-js's keyring does). Call initCrypto() first.
 */
import {
  ed25519KeypairFromSeed,
  ed25519Sign,
  secp256k1FromSeed,
  sr25519KeypairFromSeed,
  sr25519Sign,
} from "@polkadot/wasm-crypto";
import { blake2AsU8a, secp256k1Sign } from "@polkadot/util-crypto";
import type { SignatureJob, SignatureScheme } from "../../src/chain/signatures/types.js";

export interface TestSigner {
  scheme: SignatureScheme;
  /** the AccountId32 the job carries */
  accountId: Uint8Array;
  publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export function testSigner(scheme: SignatureScheme, seed: Uint8Array): TestSigner {
  switch (scheme) {
    case "sr25519": {
      const pair = sr25519KeypairFromSeed(seed); // secret (64) ++ public (32)
      const secretKey = pair.slice(0, 64);
      const publicKey = pair.slice(64);
      return { scheme, accountId: publicKey, publicKey, sign: (m) => sr25519Sign(publicKey, secretKey, m) };
    }
    case "ed25519": {
      const pair = ed25519KeypairFromSeed(seed); // seed (32) ++ public (32)
      const secretKey = pair.slice(0, 32);
      const publicKey = pair.slice(32);
      return { scheme, accountId: publicKey, publicKey, sign: (m) => ed25519Sign(publicKey, secretKey, m) };
    }
    case "ecdsa": {
      const pair = secp256k1FromSeed(seed); // secret (32) ++ compressed public (33)
      const secretKey = pair.slice(0, 32);
      const publicKey = pair.slice(32);
      return {
        scheme,
        accountId: blake2AsU8a(publicKey, 256),
        publicKey,
        sign: (m) => secp256k1Sign(m, { publicKey, secretKey }, "blake2"),
      };
    }
  }
}

/** A deterministic 32-byte seed for index i. */
export function testSeed(i: number, salt = "signatures"): Uint8Array {
  return blake2AsU8a(new TextEncoder().encode(`${salt}/${i}`), 256);
}

/** A deterministic message of the given length (e.g. a transfer's signing payload is about 100–150 bytes). */
export function testMessage(i: number, length = 120): Uint8Array {
  const out = new Uint8Array(length);
  let x = (i + 1) * 2654435761;
  for (let k = 0; k < length; k++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[k] = x >>> 24;
  }
  return out;
}

/** count valid jobs, cycling through schemes, each from its own key. */
export function makeSignedJobs(count: number, schemes: SignatureScheme[] = ["sr25519"], messageLength = 120): SignatureJob[] {
  const jobs: SignatureJob[] = [];
  for (let i = 0; i < count; i++) {
    const signer = testSigner(schemes[i % schemes.length], testSeed(i));
    const message = testMessage(i, messageLength);
    jobs.push({ scheme: signer.scheme, signer: signer.accountId, message, signature: signer.sign(message) });
  }
  return jobs;
}

/** A copy of the bytes with one bit flipped. */
export function flipBit(bytes: Uint8Array, bit = 0): Uint8Array {
  const out = bytes.slice();
  out[(bit >> 3) % out.length] ^= 1 << (bit & 7);
  return out;
}
