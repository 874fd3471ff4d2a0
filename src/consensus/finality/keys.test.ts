import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import nacl from "tweetnacl";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady, ed25519PairFromSeed, encodeAddress, mnemonicToMiniSecret } from "@polkadot/util-crypto";
import { u8aToHex } from "@polkadot/util";
import { DEV_PHRASE, finalityKeyFromSuri, signFinality, verifyFinality, verifyFinalityReference } from "./keys.js";
import { toHex } from "../../util/bytes.js";

let keyring: Keyring;

beforeAll(async () => {
  await cryptoWaitReady();
  keyring = new Keyring({ type: "ed25519", ss58Format: 42 });
});

describe("finalityKeyFromSuri", () => {
  it("//Alice is Substrate's dev ed25519 key (5FA9nQDV…)", () => {
    const alice = finalityKeyFromSuri("//Alice");
    expect(encodeAddress(alice.publicKey, 42)).toBe("5FA9nQDVg267DEd8m1ZypXLBnvN7SFxYwV7ndqSYGiN9TTpu");
    expect(toHex(alice.publicKey)).toBe(u8aToHex(keyring.addFromUri("//Alice").publicKey));
    // the secret key is tweetnacl's 64-byte form: seed ++ public key
    expect(alice.secretKey.length).toBe(64);
    expect(toHex(alice.secretKey.subarray(32))).toBe(toHex(alice.publicKey));
  });

  it("every dev name matches polkadot-js's ed25519 keyring, and names give distinct keys", () => {
    const names = ["//Alice", "//Bob", "//Charlie", "//Dave", "//Eve", "//Ferdie", "//Alice//stash"];
    const keys = names.map((n) => toHex(finalityKeyFromSuri(n).publicKey));
    expect(keys).toEqual(names.map((n) => u8aToHex(keyring.addFromUri(n).publicKey)));
    expect(new Set(keys).size).toBe(names.length);
  });

  it("a mnemonic, with and without derivation and password, as polkadot-js derives it", () => {
    for (const suri of [DEV_PHRASE, `${DEV_PHRASE}//Alice`, `${DEV_PHRASE}//0//1`, `${DEV_PHRASE}///secret`, `${DEV_PHRASE}//Bob///pw`]) {
      expect(toHex(finalityKeyFromSuri(suri).publicKey), suri).toBe(u8aToHex(keyring.addFromUri(suri).publicKey));
    }
    // the bare mnemonic is the mini-secret used as an ed25519 seed
    expect(toHex(finalityKeyFromSuri(DEV_PHRASE).publicKey)).toBe(u8aToHex(ed25519PairFromSeed(mnemonicToMiniSecret(DEV_PHRASE)).publicKey));
    // a password changes the key
    expect(toHex(finalityKeyFromSuri(`${DEV_PHRASE}///secret`).publicKey)).not.toBe(toHex(finalityKeyFromSuri(DEV_PHRASE).publicKey));
  });

  it("a 32-byte hex seed is the ed25519 seed itself, and can be derived from", () => {
    const seed = "0x" + "42".repeat(32);
    const k = finalityKeyFromSuri(seed);
    expect(toHex(k.publicKey)).toBe(u8aToHex(ed25519PairFromSeed(new Uint8Array(32).fill(0x42)).publicKey));
    expect(toHex(k.publicKey)).toBe(toHex(nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(0x42)).publicKey));
    expect(toHex(finalityKeyFromSuri(`${seed}//Alice`).publicKey)).toBe(u8aToHex(keyring.addFromUri(`${seed}//Alice`).publicKey));
  });

  it("a short raw string is padded to 32 bytes as polkadot-js does; a long non-mnemonic is refused", () => {
    expect(toHex(finalityKeyFromSuri("my seed").publicKey)).toBe(u8aToHex(keyring.addFromUri("my seed").publicKey));
    expect(() => finalityKeyFromSuri("x".repeat(33))).toThrow(/neither a valid mnemonic nor a raw seed/);
  });

  it("refuses what ed25519 cannot do or what is not a mnemonic", () => {
    // ed25519 has only hard derivation
    expect(() => finalityKeyFromSuri(`${DEV_PHRASE}/soft`)).toThrow();
    // twelve words that fail the BIP-39 checksum
    expect(() => finalityKeyFromSuri("bottom drive obey lake curtain smoke basket hold race lonely fit fit")).toThrow();
  });
});

describe("signatures: node:crypto verify agrees with tweetnacl's", () => {
  it("a signature over a vote verifies with both, and is tweetnacl's detached signature", () => {
    const alice = finalityKeyFromSuri("//Alice");
    const msg = new TextEncoder().encode("precommit #5");
    const sig = signFinality(alice, msg);
    expect(sig.length).toBe(64);
    expect(toHex(sig)).toBe(toHex(nacl.sign.detached(msg, alice.secretKey)));
    expect(verifyFinality(alice.publicKey, msg, sig)).toBe(true);
    expect(verifyFinalityReference(alice.publicKey, msg, sig)).toBe(true);
    // and polkadot-js's keyring checks it as an ed25519 signature of Alice's
    expect(keyring.addFromUri("//Alice").verify(msg, sig, alice.publicKey)).toBe(true);
  });

  it("wrong lengths are refused by both without throwing", () => {
    const alice = finalityKeyFromSuri("//Alice");
    const msg = new Uint8Array([1, 2, 3]);
    const sig = signFinality(alice, msg);
    for (const [pub, s] of [
      [alice.publicKey.subarray(0, 31), sig],
      [new Uint8Array([...alice.publicKey, 0]), sig],
      [alice.publicKey, sig.subarray(0, 63)],
      [alice.publicKey, new Uint8Array([...sig, 0])],
      [new Uint8Array(0), new Uint8Array(0)],
    ] as const) {
      expect(verifyFinality(pub, msg, s)).toBe(false);
      expect(verifyFinalityReference(pub, msg, s)).toBe(false);
    }
  });

  it("property: both agree on valid, tampered-message, tampered-signature and wrong-key cases", () => {
    const signers = ["//Alice", "//Bob", "//Charlie"].map(finalityKeyFromSuri);
    const seeds = fc.uint8Array({ minLength: 32, maxLength: 32 });
    fc.assert(
      fc.property(
        seeds,
        fc.uint8Array({ maxLength: 200 }),
        fc.constantFrom("valid", "message", "signature", "key", "randomKey", "randomSignature"),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        (seed, msg, mutation, where, xor, junk) => {
          const key = nacl.sign.keyPair.fromSeed(seed);
          let pub: Uint8Array = key.publicKey;
          let m = msg;
          let sig: Uint8Array = nacl.sign.detached(msg, key.secretKey);
          if (mutation === "message") {
            m = msg.length ? msg.slice() : new Uint8Array([0]);
            if (msg.length) m[where % m.length] ^= xor;
          } else if (mutation === "signature") {
            sig = sig.slice();
            sig[where % 64] ^= xor;
          } else if (mutation === "key") {
            pub = signers[where % signers.length].publicKey;
          } else if (mutation === "randomKey") {
            pub = junk.subarray(0, 32);
          } else if (mutation === "randomSignature") {
            sig = junk;
          }
          const fast = verifyFinality(pub, m, sig);
          const reference = verifyFinalityReference(pub, m, sig);
          expect(fast).toBe(reference);
          if (mutation === "valid") expect(fast).toBe(true);
          if (mutation === "message" || mutation === "randomSignature") expect(fast).toBe(false);
          if (mutation === "key" && toHex(pub) !== toHex(key.publicKey)) expect(fast).toBe(false);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("agrees on edge-case keys (all zeros, the identity point, a small-order key); differs on a non-canonical s, where node:crypto is the strict one", () => {
    const msg = new TextEncoder().encode("edge");
    const alice = finalityKeyFromSuri("//Alice");
    const sig = signFinality(alice, msg);
    const identity = new Uint8Array(32);
    identity[0] = 1;
    // s + L: the same signature with its scalar not reduced
    const L = [0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10];
    const sPlusL = sig.slice();
    let carry = 0;
    for (let i = 0; i < 32; i++) {
      const v = sPlusL[32 + i] + L[i] + carry;
      sPlusL[32 + i] = v & 0xff;
      carry = v >> 8;
    }
    const cases: [Uint8Array, Uint8Array][] = [
      [new Uint8Array(32), sig],
      [identity, sig],
      [identity, new Uint8Array(64)],
      [identity, new Uint8Array([...identity, ...new Uint8Array(32)])], // R = identity, s = 0: small-order key
      [new Uint8Array(32).fill(0xff), sig],
    ];
    for (const [pub, s] of cases) expect(verifyFinality(pub, msg, s)).toBe(verifyFinalityReference(pub, msg, s));
    // A malleated signature (s + L, the group order): tweetnacl does not check that s < L and
    // accepts it; node:crypto refuses it, as Substrate's ed25519-zebra does. The node verifies with
    // node:crypto, so a relayed vote cannot be re-signed into a second valid form.
    expect(carry).toBe(0);
    expect(verifyFinality(alice.publicKey, msg, sPlusL)).toBe(false);
    expect(verifyFinalityReference(alice.publicKey, msg, sPlusL)).toBe(true);
  });
});
