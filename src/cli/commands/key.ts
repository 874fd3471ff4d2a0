/** `subtensor-ts key generate|inspect`: sr25519/ed25519 keys with SS58 addresses, like `subkey`. */
import { Command, Option } from "commander";

/** The crypto libraries, loaded when a key command runs (not for `--help` or other commands). */
const crypto = async () => {
  const [{ Keyring }, { cryptoWaitReady, mnemonicGenerate }, { u8aToHex }] = await Promise.all([
    import("@polkadot/keyring"),
    import("@polkadot/util-crypto"),
    import("@polkadot/util"),
  ]);
  await cryptoWaitReady();
  return { Keyring, mnemonicGenerate, u8aToHex };
};

type Scheme = "sr25519" | "ed25519";

export interface KeyInfo {
  secretPhrase?: string;
  secretUri: string;
  scheme: Scheme;
  publicKey: string;
  accountId: string;
  ss58Address: string;
}

export async function describeKey(suri: string, scheme: Scheme, ss58Format: number): Promise<KeyInfo> {
  const { Keyring, u8aToHex } = await crypto();
  const pair = new Keyring({ type: scheme, ss58Format }).addFromUri(suri);
  const pub = u8aToHex(pair.publicKey);
  return { secretUri: suri, scheme, publicKey: pub, accountId: pub, ss58Address: pair.address };
}

function print(info: KeyInfo, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(info, null, 2));
    return;
  }
  if (info.secretPhrase) console.log(`Secret phrase:       ${info.secretPhrase}`);
  else console.log(`Secret URI:          ${info.secretUri}`);
  console.log(`  Network ID:        substrate (42)`);
  console.log(`  Crypto scheme:     ${info.scheme}`);
  console.log(`  Public key (hex):  ${info.publicKey}`);
  console.log(`  Account ID:        ${info.accountId}`);
  console.log(`  SS58 Address:      ${info.ss58Address}`);
}

const schemeOption = () => new Option("--scheme <scheme>", "crypto scheme").choices(["sr25519", "ed25519"]).default("sr25519");
const formatOption = () => new Option("--output-type <type>", "output format").choices(["text", "json"]).default("text");

export function keyCommand(): Command {
  const key = new Command("key").description("generate and inspect account keys (sr25519 / ed25519, SS58 format 42)");
  key
    .command("generate")
    .description("generate a new random key from a 12-word mnemonic")
    .addOption(schemeOption())
    .addOption(formatOption())
    .addOption(new Option("--words <n>", "mnemonic length").choices(["12", "15", "18", "21", "24"]).default("12"))
    .action(async (o: { scheme: Scheme; outputType: string; words: string }) => {
      const { mnemonicGenerate } = await crypto();
      const phrase = mnemonicGenerate(Number(o.words) as 12);
      const info = await describeKey(phrase, o.scheme, 42);
      print({ ...info, secretPhrase: phrase }, o.outputType === "json");
    });
  key
    .command("inspect")
    .description("show the public key and address of a secret URI (mnemonic, hex seed, or //Dev path)")
    .argument("<suri>", "secret URI, e.g. //Alice or a mnemonic (quote it)")
    .addOption(schemeOption())
    .addOption(formatOption())
    .action(async (suri: string, o: { scheme: Scheme; outputType: string }) => {
      let info: KeyInfo;
      try {
        info = await describeKey(suri, o.scheme, 42);
      } catch (e) {
        throw new Error(`invalid secret URI: ${(e as Error).message}`);
      }
      print(info, o.outputType === "json");
    });
  key
    .command("generate-node-key")
    .description("generate a network key (ed25519): the secret goes to --file (raw bytes, as Substrate writes it) or stdout as hex; the peer id to stderr")
    .option("--file <path>", "write the secret to this file instead of printing it")
    .action(async (o: { file?: string }) => {
      const { generateNodeKeySecret, peerIdOfSecret, writeNodeKeyFile } = await import("../../p2p/nodeKey.js");
      const secret = generateNodeKeySecret();
      const peerId = await peerIdOfSecret(secret);
      if (o.file) writeNodeKeyFile(o.file, secret);
      else console.log(Buffer.from(secret).toString("hex"));
      console.error(peerId);
    });
  key
    .command("inspect-node-key")
    .description("print the peer id of a network key (from --file or --node-key)")
    .option("--file <path>", "a node key file (32 raw bytes or 64 hex digits)")
    .option("--node-key <hex>", "a node key as 64 hex digits")
    .action(async (o: { file?: string; nodeKey?: string }) => {
      const { parseNodeKeyHex, peerIdOfSecret, readNodeKeyFile } = await import("../../p2p/nodeKey.js");
      if (!o.file === !o.nodeKey) throw new Error("give exactly one of --file <path> or --node-key <hex>");
      const secret = o.nodeKey ? parseNodeKeyHex(o.nodeKey) : readNodeKeyFile(o.file!);
      console.log(await peerIdOfSecret(secret));
    });
  return key;
}
