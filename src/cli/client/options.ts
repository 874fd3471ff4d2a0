/**
 * Flags every client command shares, named as btcli names them where btcli has a name
 * (`--wallet.name`, `--wallet.hotkey`, `--wallet.path`, `--subtensor.chain_endpoint`, `--netuid`)
 * with short forms (`--wallet NAME --hotkey NAME`), and the wallet they select.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import type { KeyringPair } from "@polkadot/keyring/types";
import { DEFAULT_URL } from "./connect.js";
import { getPassword } from "./prompt.js";
import type { Keystore } from "../wallet/keystore.js";
import type { ErrorContext } from "./errorHelp.js";

export const URL_ENV = "SUBTENSOR_TS_URL";

export interface NodeFlags {
  url?: string;
  "subtensor.chain_endpoint"?: string;
  json?: boolean;
}

export interface WalletFlags {
  wallet?: string;
  "wallet.name"?: string;
  hotkey?: string;
  "wallet.hotkey"?: string;
  walletPath?: string;
  "wallet.path"?: string;
  passwordFile?: string;
}

export interface TxFlags {
  yes?: boolean;
  waitFor?: "inblock" | "finalized";
}

export type ClientFlags = NodeFlags & WalletFlags & TxFlags;

export function integerArg(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
}

export const netuidOption = (required = true) => {
  const o = new Option("--netuid <netuid>", "subnet id").argParser(integerArg("--netuid", 0, 65535));
  return required ? o.makeOptionMandatory() : o;
};

/** `--url` and `--json`: every command that talks to a node. */
export function withNodeOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option("--url <ws>", `node WebSocket RPC (default ${DEFAULT_URL}; env ${URL_ENV})`))
    .addOption(new Option("--subtensor.chain_endpoint <ws>", "btcli's name for --url").hideHelp())
    .option("--json", "print one JSON document for scripts");
}

export function withWalletOptions(cmd: Command): Command {
  return cmd
    .option("--wallet <name>", "wallet name (default: default)")
    .addOption(new Option("--wallet.name <name>", "btcli's name for --wallet").hideHelp())
    .option("--hotkey <name>", "hotkey name in the wallet (default: default)")
    .addOption(new Option("--wallet.hotkey <name>", "btcli's name for --hotkey").hideHelp())
    .addOption(new Option("--wallet-path <dir>", "where wallets live (default ~/.subtensor-ts/wallets; env SUBTENSOR_TS_WALLET_PATH)"))
    .addOption(new Option("--wallet.path <dir>", "btcli's name for --wallet-path").hideHelp())
    .option("--password-file <file>", "read the coldkey password from this file's first line (or set SUBTENSOR_TS_PASSWORD)");
}

export function withTxOptions(cmd: Command): Command {
  return cmd
    .option("-y, --yes", "do not ask for confirmation")
    .addOption(new Option("--wait-for <stage>", "return once the transaction is in a block, or finalized").choices(["inblock", "finalized"]).default("finalized"));
}

/** A client command: node + wallet + transaction flags. */
export function txCommand(name: string, description: string): Command {
  return withTxOptions(withWalletOptions(withNodeOptions(new Command(name).description(description))));
}

export const nodeUrl = (f: NodeFlags): string => f.url ?? f["subtensor.chain_endpoint"] ?? process.env[URL_ENV] ?? DEFAULT_URL;
export const walletName = (f: WalletFlags): string => f["wallet.name"] ?? f.wallet ?? "default";
export const hotkeyName = (f: WalletFlags): string => f["wallet.hotkey"] ?? f.hotkey ?? "default";
export const walletPath = (f: WalletFlags): string | undefined => f["wallet.path"] ?? f.walletPath;

/** A key known by its address until it must sign (the coldkey: unlocking it asks for the password). */
export interface LazySigner {
  address: string;
  unlock(): Promise<KeyringPair>;
}

/** The selected wallet: addresses without secrets, keys on demand. */
export interface WalletHandle {
  keystore: Keystore;
  name: string;
  hotkeyName: string;
  coldkeyAddress(): string;
  hotkeyAddress(): string;
  coldkey(): Promise<KeyringPair>;
  /** the coldkey as a signer that asks for the password only when the transaction is confirmed */
  coldkeySigner(): LazySigner;
  hotkey(): KeyringPair;
  context(extra?: ErrorContext): ErrorContext;
}

export async function openWallet(f: WalletFlags): Promise<WalletHandle> {
  const { Keystore } = await import("../wallet/keystore.js");
  const keystore = await Keystore.open(walletPath(f));
  const name = walletName(f);
  const hk = hotkeyName(f);
  return {
    keystore,
    name,
    hotkeyName: hk,
    coldkeyAddress: () => keystore.coldkeyAddress(name),
    hotkeyAddress: () => keystore.hotkeyAddress(name, hk),
    coldkey: async () => keystore.unlockColdkey(name, await getPassword(f, { wallet: name })),
    coldkeySigner: () => ({ address: keystore.coldkeyAddress(name), unlock: async () => keystore.unlockColdkey(name, await getPassword(f, { wallet: name })) }),
    hotkey: () => keystore.loadHotkey(name, hk),
    context: (extra = {}) => ({ wallet: name, hotkeyName: hk, ...extra }),
  };
}
