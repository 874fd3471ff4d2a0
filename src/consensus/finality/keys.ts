/**
 * Finality keys: ed25519, derived from a secret URI exactly as Substrate and polkadot-js derive
 * them (//Alice → Alice's dev ed25519 key), signed with tweetnacl. Verification uses node:crypto's
 * ed25519 (about 100× faster than tweetnacl's pure-JS verify); tests check both agree.
 */
import { createPublicKey, verify as cryptoVerify, type KeyObject } from "node:crypto";
import nacl from "tweetnacl";
import { hexToU8a, isHex, stringToU8a } from "@polkadot/util";
import { ed25519PairFromSeed, keyExtractSuri, keyFromPath, mnemonicToMiniSecret } from "@polkadot/util-crypto";
import { toHex } from "../../util/bytes.js";

/** The well-known development mnemonic behind //Alice, //Bob, … (Substrate's DEV_PHRASE). */
export const DEV_PHRASE = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";

export interface FinalityKeyPair {
  publicKey: Uint8Array;
  /** tweetnacl's 64-byte secret key (seed ++ public key) */
  secretKey: Uint8Array;
}

/** Requires `cryptoWaitReady()` (the derivation uses the wasm crypto). */
export function finalityKeyFromSuri(suri: string): FinalityKeyPair {
  const full = suri.startsWith("//") ? `${DEV_PHRASE}${suri}` : suri;
  const { password, path, phrase } = keyExtractSuri(full);
  let seed: Uint8Array;
  if (isHex(phrase, 256)) seed = hexToU8a(phrase);
  else if ([12, 15, 18, 21, 24].includes(phrase.split(" ").length)) seed = mnemonicToMiniSecret(phrase, password);
  else if (phrase.length > 32) throw new Error("the secret URI is neither a valid mnemonic nor a raw seed of at most 32 bytes");
  else seed = stringToU8a(phrase.padEnd(32));
  const pair = keyFromPath(ed25519PairFromSeed(seed), path, "ed25519");
  const naclPair = nacl.sign.keyPair.fromSecretKey(pair.secretKey);
  return { publicKey: naclPair.publicKey, secretKey: naclPair.secretKey };
}

export function signFinality(key: FinalityKeyPair, message: Uint8Array): Uint8Array {
  return nacl.sign.detached(message, key.secretKey);
}

const SPKI_ED25519_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const keyObjects = new Map<string, KeyObject>();
function keyObject(publicKey: Uint8Array): KeyObject {
  const id = toHex(publicKey);
  let k = keyObjects.get(id);
  if (!k) {
    k = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: "der", type: "spki" });
    // the cache holds authority keys: bounded by what the network can present, kept small anyway
    if (keyObjects.size > 1024) keyObjects.clear();
    keyObjects.set(id, k);
  }
  return k;
}

export function verifyFinality(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    return cryptoVerify(null, message, keyObject(publicKey), signature);
  } catch {
    return false;
  }
}

/** tweetnacl's verify: the reference the fast path is tested against. */
export function verifyFinalityReference(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  return publicKey.length === 32 && signature.length === 64 && nacl.sign.detached.verify(message, signature, publicKey);
}
