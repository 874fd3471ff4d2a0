import { beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { Keyring } from "@polkadot/keyring";
import { blake2AsU8a, sr25519Verify as utilSr25519Verify } from "@polkadot/util-crypto";
import { extrinsicSigningMessage, initCrypto, verifySignature } from "./verify.js";
import { flipBit, testMessage } from "../../../test/utils/signatures.js";
import type { SignatureJob, SignatureScheme } from "./types.js";

const SCHEMES: SignatureScheme[] = ["sr25519", "ed25519", "ecdsa"];
const MNEMONIC = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";

/** secp256k1 group order */
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

let keyring: Keyring;

function signerOf(scheme: SignatureScheme, uri = "//Alice") {
  const pair = keyring.createFromUri(`${MNEMONIC}${uri}`, {}, scheme);
  // the AccountId32 a MultiSigner maps to: the key itself, or blake2_256 of the compressed ecdsa key
  const accountId = scheme === "ecdsa" ? blake2AsU8a(pair.publicKey, 256) : pair.publicKey;
  return { pair, accountId };
}

function job(scheme: SignatureScheme, message: Uint8Array, uri = "//Alice"): SignatureJob {
  const { pair, accountId } = signerOf(scheme, uri);
  return { scheme, signer: accountId, message, signature: pair.sign(message) };
}

beforeAll(async () => {
  await initCrypto();
  await initCrypto(); // idempotent
  keyring = new Keyring();
});

describe.each(SCHEMES)("verifySignature %s", (scheme) => {
  const message = testMessage(1, 140);

  it("accepts a valid signature made by @polkadot/keyring", () => {
    expect(verifySignature(job(scheme, message))).toBe(true);
  });

  it("accepts a signature over an empty message", () => {
    expect(verifySignature(job(scheme, new Uint8Array(0)))).toBe(true);
  });

  it("rejects a flipped bit in the message, the signature and the signer", () => {
    const j = job(scheme, message);
    for (const bit of [0, 7, 100, 8 * 60 + 3]) {
      expect(verifySignature({ ...j, message: flipBit(j.message, bit) })).toBe(false);
    }
    for (const bit of [0, 9, 8 * 40 + 1, 8 * 63 + 6]) {
      expect(verifySignature({ ...j, signature: flipBit(j.signature, bit) })).toBe(false);
    }
    for (const bit of [0, 8 * 17 + 2, 8 * 31 + 5]) {
      expect(verifySignature({ ...j, signer: flipBit(j.signer, bit) })).toBe(false);
    }
  });

  it("rejects another account's signature", () => {
    const j = job(scheme, message);
    expect(verifySignature({ ...j, signer: signerOf(scheme, "//Bob").accountId })).toBe(false);
  });

  it("returns false on wrong lengths, never throws", () => {
    const j = job(scheme, message);
    const sigLen = j.signature.length;
    expect(sigLen).toBe(scheme === "ecdsa" ? 65 : 64);
    const cases: SignatureJob[] = [
      { ...j, signer: j.signer.subarray(0, 31) },
      { ...j, signer: new Uint8Array([...j.signer, 0]) },
      { ...j, signer: new Uint8Array(0) },
      { ...j, signature: j.signature.subarray(0, sigLen - 1) },
      { ...j, signature: new Uint8Array([...j.signature, 0]) },
      { ...j, signature: new Uint8Array(0) },
    ];
    for (const c of cases) expect(verifySignature(c)).toBe(false);
  });

  it("verifies the blake2_256 of a payload longer than 256 bytes, as the caller hashed it", () => {
    const payload = testMessage(2, 300);
    const signed = extrinsicSigningMessage(payload);
    expect(signed.length).toBe(32);
    const j = job(scheme, signed);
    expect(verifySignature(j)).toBe(true);
    // the raw payload is not what was signed
    expect(verifySignature({ ...j, message: payload })).toBe(false);
    // at exactly 256 bytes the payload itself is signed
    const exact = testMessage(3, 256);
    expect(extrinsicSigningMessage(exact)).toBe(exact);
    expect(verifySignature(job(scheme, exact))).toBe(true);
  });
});

describe("verifySignature edge cases", () => {
  it("agrees with util-crypto's sr25519Verify", () => {
    const j = job("sr25519", testMessage(4));
    expect(utilSr25519Verify(j.message, j.signature, j.signer)).toBe(true);
    expect(verifySignature(j)).toBe(true);
  });

  it("returns false for an unknown scheme and non-byte fields", () => {
    const j = job("sr25519", testMessage(5));
    expect(verifySignature({ ...j, scheme: "bls" as SignatureScheme })).toBe(false);
    expect(verifySignature({ ...j, signer: Array.from(j.signer) as unknown as Uint8Array })).toBe(false);
    expect(verifySignature({ ...j, message: undefined as unknown as Uint8Array })).toBe(false);
    expect(verifySignature(null as unknown as SignatureJob)).toBe(false);
  });

  it("ecdsa: accepts v = 27/28 like sp_io, rejects v > 3 otherwise", () => {
    const j = job("ecdsa", testMessage(6));
    const v = j.signature[64];
    expect(v).toBeLessThan(2);
    const sig27 = j.signature.slice();
    sig27[64] = v + 27;
    expect(verifySignature({ ...j, signature: sig27 })).toBe(true);
    const sigBad = j.signature.slice();
    sigBad[64] = 4;
    expect(verifySignature({ ...j, signature: sigBad })).toBe(false);
  });

  it("ecdsa: accepts the high-s twin of a signature, like sp_io's secp256k1 recovery", () => {
    const j = job("ecdsa", testMessage(7));
    const s = BigInt("0x" + Buffer.from(j.signature.subarray(32, 64)).toString("hex"));
    const high = j.signature.slice();
    high.set(Buffer.from((N - s).toString(16).padStart(64, "0"), "hex"), 32);
    high[64] ^= 1;
    expect(verifySignature({ ...j, signature: high })).toBe(true);
  });

  it("ecdsa: garbage signatures are false and do not damage the shared WASM instance", () => {
    // wasm-crypto's secp256k1Recover traps on such input and, repeated (about 1,900 times here),
    // corrupts the instance; verifySignature must not go through it.
    const sr = job("sr25519", testMessage(8));
    const signer = job("ecdsa", testMessage(8)).signer;
    for (let i = 0; i < 2500; i++) {
      const sig = i % 25 === 0 ? new Uint8Array(randomBytes(65)) : new Uint8Array(65);
      sig[64] = i % 4;
      expect(verifySignature({ scheme: "ecdsa", signer, message: testMessage(i), signature: sig })).toBe(false);
    }
    expect(verifySignature(sr)).toBe(true);
    expect(verifySignature({ ...sr, message: flipBit(sr.message) })).toBe(false);
  });

  it("random garbage of the right lengths is false for every scheme", () => {
    for (let i = 0; i < 60; i++) {
      const scheme = SCHEMES[i % 3];
      const j: SignatureJob = {
        scheme,
        signer: new Uint8Array(randomBytes(32)),
        message: new Uint8Array(randomBytes(i)),
        signature: new Uint8Array(randomBytes(scheme === "ecdsa" ? 65 : 64)),
      };
      expect(verifySignature(j)).toBe(false);
    }
  });
});
