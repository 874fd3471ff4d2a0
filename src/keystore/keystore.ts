/**
 * The node's keystore: secret keys by (key type, public key), laid out as Substrate's
 * `LocalKeystore` does — one file per key under `<base>/chains/<id>/keystore`, named
 * `hex(key type) ++ hex(public key)`, holding the SURI as a JSON string, readable by the owner only.
 *
 * - `author_insertKey` adds a key as given (Substrate does not check the SURI against the public key);
 * - `author_rotateKeys` → SessionKeys_generate_session_keys → `generate`: a new random key
 *   (stored), or one derived from a seed (kept in memory only, as Substrate's
 *   `insert_ephemeral_from_seed` does);
 * - `author_hasKey` / `author_hasSessionKeys` ask `has`.
 *
 * Keys can also be held in memory only (`ephemeral`): the node puts its `--authority` keys there,
 * so the keystore reports them without writing the SURI to disk.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Keyring } from "@polkadot/keyring";
import { mnemonicGenerate } from "@polkadot/util-crypto";
import { NodeError } from "../util/errors.js";
import { toHex, utf8Bytes } from "../util/bytes.js";

export type KeystoreErrorType = { code: "BAD_KEY_TYPE"; keyType: string } | { code: "UNAVAILABLE"; reason: string };

/** A keystore failure, with Substrate's author error texts ("Invalid key type ID format …", "The key store is unavailable"). */
export class KeystoreError extends NodeError<KeystoreErrorType> {}

export type KeyScheme = "sr25519" | "ed25519";

/** A key type id is four bytes (sp_core::crypto::KeyTypeId), e.g. "aura", "gran". */
export function keyTypeBytes(keyType: string): Uint8Array {
  const b = utf8Bytes(keyType);
  if (b.length !== 4) throw new KeystoreError({ code: "BAD_KEY_TYPE", keyType }, "Invalid key type ID format (should be of length four)");
  return b;
}

const entryName = (keyType: Uint8Array, publicKey: Uint8Array): string => toHex(keyType).slice(2) + toHex(publicKey).slice(2);

export class Keystore {
  private readonly memory = new Set<string>();

  /** `dir`: where keys are stored; without it every key lives in memory only. */
  constructor(private readonly dir?: string) {}

  /** Stores a key under (key type, public key). */
  insert(keyType: string, suri: string, publicKey: Uint8Array): void {
    const name = entryName(keyTypeBytes(keyType), publicKey);
    if (!this.dir) {
      this.memory.add(name);
      return;
    }
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const file = join(this.dir, name);
      writeFileSync(file, JSON.stringify(suri), { mode: 0o600 });
      chmodSync(file, 0o600);
    } catch (e) {
      throw new KeystoreError({ code: "UNAVAILABLE", reason: (e as Error).message }, "The key store is unavailable");
    }
  }

  /** Holds a key in memory only (never written to disk). */
  insertEphemeral(keyType: string, publicKey: Uint8Array): void {
    this.memory.add(entryName(keyTypeBytes(keyType), publicKey));
  }

  has(keyType: string, publicKey: Uint8Array): boolean {
    const name = entryName(keyTypeBytes(keyType), publicKey);
    return this.memory.has(name) || (this.dir !== undefined && existsSync(join(this.dir, name)));
  }

  /** Whether every (public key, key type) pair is present (`author_hasSessionKeys`). */
  hasAll(keys: ReadonlyArray<[publicKey: Uint8Array, keyType: string]>): boolean {
    return keys.every(([pub, type]) => this.has(type, pub));
  }

  /**
   * A new key of `scheme` for `keyType`: derived from `seed` (a SURI; kept in memory only) or from
   * a fresh random mnemonic (stored). Returns its public key.
   */
  generate(keyType: string, scheme: KeyScheme, seed?: string): Uint8Array {
    keyTypeBytes(keyType);
    const suri = seed ?? mnemonicGenerate(12);
    const publicKey = new Keyring({ type: scheme }).addFromUri(suri).publicKey;
    if (seed !== undefined) this.insertEphemeral(keyType, publicKey);
    else this.insert(keyType, suri, publicKey);
    return publicKey;
  }

  /** Number of stored keys (files), for logs and tests. */
  storedCount(): number {
    if (!this.dir || !existsSync(this.dir)) return 0;
    return readdirSync(this.dir).filter((f) => /^[0-9a-f]{8}[0-9a-f]+$/.test(f)).length;
  }
}
