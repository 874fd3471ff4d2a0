/**
 * Wallets on disk, laid out as btcli lays them out, under `~/.subtensor-ts/wallets/<name>/`:
 *
 *   coldkey           the coldkey, encrypted, in polkadot-js's keystore JSON format (scrypt +
 *                     xsalsa20-poly1305 over PKCS#8), so it imports into the polkadot-js extension
 *                     and Apps as it is (`keyring.addFromJson` + `decodePkcs8(password)`)
 *   coldkeypub.txt    the coldkey's public part, readable without the password (btcli's format)
 *   hotkeys/<name>    each hotkey, unencrypted JSON as btcli keeps hotkeys (they sign often and
 *                     hold no funds of their own): accountId, publicKey, privateKey,
 *                     secretPhrase, secretSeed, ss58Address
 *
 * Files are written 0600 in 0700 directories. Nothing here prompts: callers pass the password.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair, KeyringPair$Json } from "@polkadot/keyring/types";
import { u8aToHex } from "@polkadot/util";
import { cryptoWaitReady, mnemonicGenerate, mnemonicToMiniSecret, mnemonicValidate, sr25519PairFromSeed } from "@polkadot/util-crypto";
import { CliError } from "../client/cliError.js";

export const SS58_FORMAT = 42;
export const DEFAULT_WALLET_PATH = join(homedir(), ".subtensor-ts", "wallets");
export const WALLET_PATH_ENV = "SUBTENSOR_TS_WALLET_PATH";

/** The secret a key is made from: a BIP39 mnemonic, a 32-byte hex seed, or a dev URI (`//Alice`). */
export type KeySource = { mnemonic: string } | { seed: string } | { uri: string };

/** btcli's hotkey (and coldkeypub) file fields; `suri` is ours, for keys made from a dev URI. */
export interface KeyFileJson {
  accountId: string;
  publicKey: string;
  privateKey?: string | null;
  secretPhrase?: string | null;
  secretSeed?: string | null;
  ss58Address: string;
  suri?: string | null;
}

const NAME_RE = /^[A-Za-z0-9_.-]{1,64}$/;

function checkName(kind: string, name: string): void {
  if (!NAME_RE.test(name) || name === "." || name === "..") {
    throw new CliError(`invalid ${kind} name "${name}"`, "use letters, digits, '.', '_' or '-' (at most 64)");
  }
}

function keyring(): Keyring {
  return new Keyring({ type: "sr25519", ss58Format: SS58_FORMAT });
}

function writePrivate(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** Turns a key source into a pair and the fields a key file records. */
function pairFrom(source: KeySource): { pair: KeyringPair; fields: Pick<KeyFileJson, "privateKey" | "secretPhrase" | "secretSeed" | "suri"> } {
  const kr = keyring();
  if ("mnemonic" in source) {
    const phrase = source.mnemonic.trim().split(/\s+/).join(" ");
    if (!mnemonicValidate(phrase)) throw new CliError("the mnemonic is not a valid BIP39 phrase", "check the words and their order (12, 15, 18, 21 or 24 words)");
    const seed = mnemonicToMiniSecret(phrase);
    return { pair: kr.addFromUri(phrase), fields: { secretPhrase: phrase, secretSeed: u8aToHex(seed), privateKey: u8aToHex(sr25519PairFromSeed(seed).secretKey), suri: null } };
  }
  if ("seed" in source) {
    const hex = source.seed.trim();
    if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) throw new CliError("the seed must be 32 bytes of hex (0x followed by 64 hex digits)");
    const seed = Uint8Array.from(Buffer.from(hex.slice(2), "hex"));
    return { pair: kr.addFromSeed(seed), fields: { secretPhrase: null, secretSeed: hex.toLowerCase(), privateKey: u8aToHex(sr25519PairFromSeed(seed).secretKey), suri: null } };
  }
  try {
    return { pair: kr.addFromUri(source.uri), fields: { secretPhrase: null, secretSeed: null, privateKey: null, suri: source.uri } };
  } catch (e) {
    throw new CliError(`"${source.uri}" is not a valid secret URI: ${(e as Error).message}`, "use a mnemonic, a 0x seed, or a dev URI such as //Alice");
  }
}

export interface WalletSummary {
  name: string;
  coldkey?: string;
  hotkeys: Array<{ name: string; address: string }>;
}

export class Keystore {
  constructor(readonly root: string = process.env[WALLET_PATH_ENV] || DEFAULT_WALLET_PATH) {}

  static async open(root?: string): Promise<Keystore> {
    await cryptoWaitReady();
    return new Keystore(root || process.env[WALLET_PATH_ENV] || DEFAULT_WALLET_PATH);
  }

  walletDir(wallet: string): string {
    checkName("wallet", wallet);
    return join(this.root, wallet);
  }

  coldkeyPath(wallet: string): string {
    return join(this.walletDir(wallet), "coldkey");
  }

  hotkeyPath(wallet: string, hotkey: string): string {
    checkName("hotkey", hotkey);
    return join(this.walletDir(wallet), "hotkeys", hotkey);
  }

  hasColdkey(wallet: string): boolean {
    return existsSync(this.coldkeyPath(wallet));
  }

  hasHotkey(wallet: string, hotkey: string): boolean {
    return existsSync(this.hotkeyPath(wallet, hotkey));
  }

  /** Writes the coldkey, encrypted with `password`; refuses to replace one unless `overwrite`. */
  createColdkey(wallet: string, source: KeySource | "generate", password: string, opts: { overwrite?: boolean; words?: 12 | 15 | 18 | 21 | 24 } = {}): { address: string; mnemonic?: string } {
    const path = this.coldkeyPath(wallet);
    if (existsSync(path) && !opts.overwrite) throw new CliError(`wallet "${wallet}" already has a coldkey (${path})`, "pass --overwrite to replace it (keep its mnemonic first!)");
    if (password.length === 0) throw new CliError("the coldkey password must not be empty");
    const mnemonic = source === "generate" ? mnemonicGenerate(opts.words ?? 12) : undefined;
    const { pair } = pairFrom(mnemonic ? { mnemonic } : (source as KeySource));
    pair.setMeta({ name: `${wallet} coldkey`, whenCreated: Date.now() });
    const dir = this.walletDir(wallet);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writePrivate(path, JSON.stringify(pair.toJson(password), null, 2));
    const pub: KeyFileJson = { accountId: u8aToHex(pair.publicKey), publicKey: u8aToHex(pair.publicKey), ss58Address: pair.address };
    writeFileSync(join(dir, "coldkeypub.txt"), JSON.stringify(pub));
    return { address: pair.address, mnemonic };
  }

  /** Writes a hotkey (unencrypted, as btcli does); refuses to replace one unless `overwrite`. */
  createHotkey(wallet: string, hotkey: string, source: KeySource | "generate", opts: { overwrite?: boolean; words?: 12 | 15 | 18 | 21 | 24 } = {}): { address: string; mnemonic?: string } {
    const path = this.hotkeyPath(wallet, hotkey);
    if (existsSync(path) && !opts.overwrite) throw new CliError(`wallet "${wallet}" already has a hotkey "${hotkey}"`, "pass --overwrite to replace it, or choose another --hotkey name");
    const mnemonic = source === "generate" ? mnemonicGenerate(opts.words ?? 12) : undefined;
    const { pair, fields } = pairFrom(mnemonic ? { mnemonic } : (source as KeySource));
    mkdirSync(join(this.walletDir(wallet), "hotkeys"), { recursive: true, mode: 0o700 });
    const file: KeyFileJson = { accountId: u8aToHex(pair.publicKey), publicKey: u8aToHex(pair.publicKey), ...fields, ss58Address: pair.address };
    writePrivate(path, JSON.stringify(file, null, 2));
    return { address: pair.address, mnemonic };
  }

  /** The coldkey's address, without the password (from coldkeypub.txt, else the keystore's own `address`). */
  coldkeyAddress(wallet: string): string {
    const dir = this.walletDir(wallet);
    const pubPath = join(dir, "coldkeypub.txt");
    if (existsSync(pubPath)) {
      const pub = readJson<KeyFileJson>(pubPath, `the coldkeypub.txt of wallet "${wallet}"`);
      if (pub.ss58Address) return keyring().encodeAddress(keyring().decodeAddress(pub.ss58Address));
    }
    const json = this.readColdkeyJson(wallet);
    return keyring().encodeAddress(keyring().decodeAddress(json.address));
  }

  private readColdkeyJson(wallet: string): KeyringPair$Json {
    const path = this.coldkeyPath(wallet);
    if (!existsSync(path)) throw new CliError(`wallet "${wallet}" has no coldkey (looked in ${path})`, "create one with `subtensor-ts wallet create`, or choose the wallet with --wallet NAME");
    return readJson<KeyringPair$Json>(path, `the coldkey of wallet "${wallet}"`);
  }

  /** The coldkey, decrypted. A wrong password is a CliError saying so. */
  unlockColdkey(wallet: string, password: string): KeyringPair {
    const json = this.readColdkeyJson(wallet);
    const pair = keyring().addFromJson(json);
    try {
      pair.decodePkcs8(password);
    } catch {
      throw new CliError(`wrong password for the coldkey of wallet "${wallet}"`, "try again, or restore the key with `subtensor-ts wallet regen-coldkey`");
    }
    return pair;
  }

  /** A hotkey's address (no secret needed). */
  hotkeyAddress(wallet: string, hotkey: string): string {
    return this.readHotkeyFile(wallet, hotkey).ss58Address;
  }

  /** A hotkey, ready to sign. */
  loadHotkey(wallet: string, hotkey: string): KeyringPair {
    const file = this.readHotkeyFile(wallet, hotkey);
    const kr = keyring();
    if (file.secretPhrase) return kr.addFromUri(file.secretPhrase);
    if (file.suri) return kr.addFromUri(file.suri);
    if (file.secretSeed) return kr.addFromSeed(Uint8Array.from(Buffer.from(file.secretSeed.replace(/^0x/, ""), "hex")));
    throw new CliError(`the hotkey file of "${wallet}/${hotkey}" holds no secret`, "restore it with `subtensor-ts wallet regen-hotkey`");
  }

  private readHotkeyFile(wallet: string, hotkey: string): KeyFileJson {
    const path = this.hotkeyPath(wallet, hotkey);
    if (!existsSync(path)) throw new CliError(`wallet "${wallet}" has no hotkey "${hotkey}" (looked in ${path})`, "create one with `subtensor-ts wallet new-hotkey`, or choose it with --hotkey NAME");
    return readJson<KeyFileJson>(path, `hotkey "${wallet}/${hotkey}"`);
  }

  /** Every wallet under the root, with its coldkey address and hotkeys. */
  list(): WalletSummary[] {
    if (!existsSync(this.root)) return [];
    return readdirSync(this.root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && NAME_RE.test(d.name))
      .map((d) => d.name)
      .sort()
      .map((name) => {
        let coldkey: string | undefined;
        try {
          coldkey = this.coldkeyAddress(name);
        } catch {
          coldkey = undefined;
        }
        const hotDir = join(this.root, name, "hotkeys");
        const hotkeys = existsSync(hotDir)
          ? readdirSync(hotDir)
              .filter((h) => NAME_RE.test(h))
              .sort()
              .flatMap((h) => {
                try {
                  return [{ name: h, address: this.hotkeyAddress(name, h) }];
                } catch {
                  return [];
                }
              })
          : [];
        return { name, coldkey, hotkeys };
      });
  }
}

function readJson<T>(path: string, what: string): T {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch (e) {
    throw new CliError(`${what} is unreadable (${path}): ${(e as Error).message}`);
  }
}
