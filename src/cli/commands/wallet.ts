/**
 * `subtensor-ts wallet …`: coldkey/hotkey pairs in the keystore (create, regen-coldkey,
 * regen-hotkey, new-hotkey, list), and what the chain holds for them (overview, balance, transfer).
 */
import { Command, Option } from "commander";
import { CliError } from "../client/cliError.js";
import { formatTao, parseAmount, taoString } from "../client/amount.js";
import { colors, line, printJson, printTable, shortAddress, success } from "../client/output.js";
import { getPassword } from "../client/prompt.js";
import { nodeUrl, openWallet, txCommand, walletName, walletPath, withNodeOptions, withWalletOptions, type ClientFlags, type WalletFlags } from "../client/options.js";
import type { KeySource } from "../wallet/keystore.js";

interface KeyFlags extends ClientFlags {
  mnemonic?: string;
  seed?: string;
  uri?: string;
  words?: string;
  overwrite?: boolean;
  hotkeyOnly?: boolean;
  noHotkey?: boolean;
  createHotkey?: boolean;
}

const wordsOption = () => new Option("--words <n>", "mnemonic length").choices(["12", "15", "18", "21", "24"]).default("12");

function keySource(f: KeyFlags): KeySource {
  const given = [f.mnemonic, f.seed, f.uri].filter((x) => x !== undefined);
  if (given.length !== 1) throw new CliError("give exactly one of --mnemonic, --seed or --uri", 'e.g. --mnemonic "word1 word2 …" (quoted)');
  if (f.mnemonic !== undefined) return { mnemonic: f.mnemonic };
  if (f.seed !== undefined) return { seed: f.seed };
  return { uri: f.uri! };
}

const keyOptions = (cmd: Command) =>
  cmd
    .option("--mnemonic <words>", "the BIP39 mnemonic (quoted)")
    .option("--seed <hex>", "the 32-byte secret seed, 0x…")
    .option("--uri <suri>", "a secret URI such as //Alice (development keys)")
    .option("--overwrite", "replace an existing key file");

const keyWarning = "Write this mnemonic down and keep it secret: it is the only way to restore the key.";

function create(): Command {
  return withWalletOptions(new Command("create").description("create a wallet: a new coldkey (encrypted) and a hotkey"))
    .option("--json", "print one JSON document")
    .addOption(wordsOption())
    .option("--no-create-hotkey", "only the coldkey")
    .option("--overwrite", "replace existing key files")
    .action(async (f: KeyFlags) => {
      const w = await openWallet(f);
      const words = Number(f.words) as 12;
      const password = await getPassword(f, { wallet: w.name, confirm: true });
      const cold = w.keystore.createColdkey(w.name, "generate", password, { overwrite: f.overwrite, words });
      const hot = f.createHotkey === false ? undefined : w.keystore.createHotkey(w.name, w.hotkeyName, "generate", { overwrite: f.overwrite, words });
      if (f.json) {
        printJson({ wallet: w.name, path: w.keystore.walletDir(w.name), coldkey: { address: cold.address, mnemonic: cold.mnemonic }, hotkey: hot ? { name: w.hotkeyName, address: hot.address, mnemonic: hot.mnemonic } : null });
        return;
      }
      success(`Wallet "${w.name}" created in ${w.keystore.walletDir(w.name)}`);
      line(`  coldkey  ${cold.address}`);
      line(`           mnemonic: ${colors.yellow(cold.mnemonic!)}`);
      if (hot) {
        line(`  hotkey   ${w.hotkeyName}: ${hot.address}`);
        line(`           mnemonic: ${colors.yellow(hot.mnemonic!)}`);
      }
      line(colors.dim(keyWarning));
    });
}

function regenColdkey(): Command {
  return keyOptions(withWalletOptions(new Command("regen-coldkey").description("restore a coldkey from its mnemonic, seed or URI (encrypted with a new password)")))
    .option("--json", "print one JSON document")
    .action(async (f: KeyFlags) => {
      const w = await openWallet(f);
      const source = keySource(f);
      const password = await getPassword(f, { wallet: w.name, confirm: true });
      const { address } = w.keystore.createColdkey(w.name, source, password, { overwrite: f.overwrite });
      if (f.json) printJson({ wallet: w.name, coldkey: { address } });
      else success(`Coldkey of "${w.name}" restored: ${address}`);
    });
}

function regenHotkey(): Command {
  return keyOptions(withWalletOptions(new Command("regen-hotkey").description("restore a hotkey from its mnemonic, seed or URI")))
    .option("--json", "print one JSON document")
    .action(async (f: KeyFlags) => {
      const w = await openWallet(f);
      const { address } = w.keystore.createHotkey(w.name, w.hotkeyName, keySource(f), { overwrite: f.overwrite });
      if (f.json) printJson({ wallet: w.name, hotkey: { name: w.hotkeyName, address } });
      else success(`Hotkey "${w.hotkeyName}" of "${w.name}" restored: ${address}`);
    });
}

function newHotkey(): Command {
  return withWalletOptions(new Command("new-hotkey").description("add a new hotkey to a wallet"))
    .option("--json", "print one JSON document")
    .addOption(wordsOption())
    .option("--overwrite", "replace an existing hotkey of that name")
    .action(async (f: KeyFlags) => {
      const w = await openWallet(f);
      const { address, mnemonic } = w.keystore.createHotkey(w.name, w.hotkeyName, "generate", { overwrite: f.overwrite, words: Number(f.words) as 12 });
      if (f.json) {
        printJson({ wallet: w.name, hotkey: { name: w.hotkeyName, address, mnemonic } });
        return;
      }
      success(`Hotkey "${w.hotkeyName}" added to "${w.name}": ${address}`);
      line(`  mnemonic: ${colors.yellow(mnemonic!)}`);
      line(colors.dim(keyWarning));
    });
}

function list(): Command {
  return new Command("list")
    .description("list the wallets and their hotkeys (no node needed)")
    .option("--wallet-path <dir>", "where wallets live")
    .addOption(new Option("--wallet.path <dir>").hideHelp())
    .option("--json", "print one JSON document")
    .action(async (f: WalletFlags & { json?: boolean }) => {
      const { Keystore } = await import("../wallet/keystore.js");
      const ks = await Keystore.open(walletPath(f));
      const wallets = ks.list();
      if (f.json) {
        printJson({ path: ks.root, wallets });
        return;
      }
      if (wallets.length === 0) {
        line(`No wallets in ${ks.root}. Create one with \`subtensor-ts wallet create\`.`);
        return;
      }
      line(colors.dim(ks.root));
      for (const w of wallets) {
        line(`${colors.bold(w.name)}  ${w.coldkey ?? colors.red("(no coldkey)")}`);
        for (const h of w.hotkeys) line(`  └─ ${h.name}  ${h.address}`);
      }
    });
}

function balance(): Command {
  return withWalletOptions(withNodeOptions(new Command("balance").description("free, staked and total TAO of a wallet's coldkey (or of --address, or every wallet with --all)")))
    .option("--address <ss58>", "any account instead of a wallet")
    .option("--all", "every wallet in the wallet path")
    .action(async (f: ClientFlags & { address?: string; all?: boolean }) => {
      const { Keystore } = await import("../wallet/keystore.js");
      const ks = await Keystore.open(walletPath(f));
      const targets: Array<{ name: string; address: string }> = f.address
        ? [{ name: f.address, address: f.address }]
        : f.all
          ? ks.list().flatMap((w) => (w.coldkey ? [{ name: w.name, address: w.coldkey }] : []))
          : [{ name: walletName(f), address: ks.coldkeyAddress(walletName(f)) }];
      const { withApi } = await import("../client/connect.js");
      const { ChainReader } = await import("../client/chainReader.js");
      const rows = await withApi(nodeUrl(f), async (api) => {
        const reader = new ChainReader(api);
        checkAddresses(api, targets.map((t) => t.address));
        const balances = await reader.balances(targets.map((t) => t.address));
        const staked = await Promise.all(targets.map(async (t) => (await reader.stakes(t.address)).reduce((a, s) => a + s.stake, 0n)));
        return targets.map((t, i) => ({ wallet: t.name, address: t.address, free: balances[i].free, staked: staked[i], total: balances[i].free + balances[i].reserved + staked[i] }));
      });
      if (f.json) {
        printJson({ balances: rows.map((r) => ({ ...r, freeTao: taoString(r.free), stakedTao: taoString(r.staked), totalTao: taoString(r.total) })) });
        return;
      }
      const sum = (k: "free" | "staked" | "total") => rows.reduce((a, r) => a + r[k], 0n);
      await printTable(
        ["wallet", "coldkey", "free", "staked", "total"],
        rows.map((r) => [r.wallet, r.address, formatTao(r.free), formatTao(r.staked), formatTao(r.total)]),
        { footer: rows.length > 1 ? ["total", "", formatTao(sum("free")), formatTao(sum("staked")), formatTao(sum("total"))] : undefined, align: ["left", "left", "right", "right", "right"] },
      );
    });
}

function checkAddresses(api: { createType(type: string, v: unknown): unknown }, addresses: string[]): void {
  for (const a of addresses) {
    try {
      api.createType("AccountId32", a);
    } catch {
      throw new CliError(`"${a}" is not a valid SS58 address`);
    }
  }
}

function overview(): Command {
  return withWalletOptions(withNodeOptions(new Command("overview").description("a wallet's hotkeys: their subnets, UIDs, stake and emission")))
    .action(async (f: ClientFlags) => {
      const w = await openWallet(f);
      const coldkey = w.coldkeyAddress();
      const hotkeys = w.keystore.list().find((x) => x.name === w.name)?.hotkeys ?? [];
      const { withApi } = await import("../client/connect.js");
      const { ChainReader } = await import("../client/chainReader.js");
      const data = await withApi(nodeUrl(f), async (api) => {
        const reader = new ChainReader(api);
        const [bal, stakes, netuids] = await Promise.all([reader.balance(coldkey), reader.stakes(coldkey), reader.netuids()]);
        const graphs = await Promise.all(netuids.map((n) => reader.metagraph(n)));
        const neurons = hotkeys.flatMap((h) =>
          graphs.flatMap((g) => g.neurons.filter((n) => n.hotkey === h.address).map((n) => ({ hotkeyName: h.name, hotkey: h.address, netuid: g.netuid, uid: n.uid, stake: n.stake, emission: n.emission, incentive: n.incentive, dividends: n.dividends, validatorPermit: n.validatorPermit }))),
        );
        return { free: bal.free, stakes, neurons };
      });
      if (f.json) {
        printJson({ wallet: w.name, coldkey, free: data.free, staked: data.stakes.reduce((a, s) => a + s.stake, 0n), hotkeys, stakes: data.stakes, neurons: data.neurons });
        return;
      }
      line(`${colors.bold(`Wallet ${w.name}`)}  coldkey ${coldkey}`);
      line(`  free ${formatTao(data.free)}   staked ${formatTao(data.stakes.reduce((a, s) => a + s.stake, 0n))}`);
      if (data.neurons.length === 0) {
        line(colors.dim("  No hotkey of this wallet is registered on a subnet (`subtensor-ts subnet register --netuid N`)."));
      } else {
        await printTable(
          ["netuid", "uid", "hotkey", "stake", "emission", "incentive", "dividends", "vpermit"],
          data.neurons.map((n) => [n.netuid, n.uid, `${n.hotkeyName} ${shortAddress(n.hotkey)}`, formatTao(n.stake), formatTao(n.emission), (n.incentive / 65535).toFixed(5), (n.dividends / 65535).toFixed(5), n.validatorPermit ? "*" : ""]),
        );
      }
      const unregistered = hotkeys.filter((h) => !data.neurons.some((n) => n.hotkey === h.address));
      for (const h of unregistered) line(colors.dim(`  hotkey ${h.name} (${shortAddress(h.address)}): not registered`));
    });
}

function transfer(): Command {
  return txCommand("transfer", "send TAO from the wallet's coldkey")
    .requiredOption("--dest <ss58>", "destination address")
    .requiredOption("--amount <tao>", "amount in TAO (or RAO with --rao)")
    .option("--rao", "--amount is in RAO")
    .option("--allow-death", "allow the coldkey to drop below the existential deposit (transfer_allow_death)")
    .action(async (f: ClientFlags & { dest: string; amount: string; rao?: boolean; allowDeath?: boolean }) => {
      const amount = parseAmount(f.amount, { rao: f.rao });
      if (amount === 0n) throw new CliError("the amount must be above 0");
      const w = await openWallet(f);
      const from = w.coldkeyAddress();
      const { withApi } = await import("../client/connect.js");
      const { ChainReader } = await import("../client/chainReader.js");
      const { submitTx } = await import("../client/tx.js");
      await withApi(nodeUrl(f), async (api) => {
        checkAddresses(api, [f.dest]);
        const reader = new ChainReader(api);
        const signer = w.coldkeySigner();
        const call = f.allowDeath ? api.tx.balances.transferAllowDeath(f.dest, amount) : api.tx.balances.transferKeepAlive(f.dest, amount);
        const { free } = await reader.balance(from);
        const fee = (await call.paymentInfo(signer.address)).partialFee.toBigInt();
        if (free < amount + fee) {
          throw new CliError(`insufficient balance: the coldkey has ${formatTao(free)}, the transfer needs ${formatTao(amount + fee)} (amount + fee)`, "transfer less, or fund the coldkey first");
        }
        await submitTx(api, { action: "Transfer", details: [["from", `${w.name} ${from}`], ["to", f.dest], ["amount", formatTao(amount)]], call, signer, context: w.context() }, { yes: f.yes, json: f.json, waitFor: f.waitFor });
      });
    });
}

export function walletCommand(): Command {
  return new Command("wallet")
    .description("wallets: coldkeys and hotkeys in ~/.subtensor-ts/wallets, balances, transfers")
    .addCommand(create())
    .addCommand(regenColdkey())
    .addCommand(regenHotkey())
    .addCommand(newHotkey())
    .addCommand(list())
    .addCommand(overview())
    .addCommand(balance())
    .addCommand(transfer());
}
