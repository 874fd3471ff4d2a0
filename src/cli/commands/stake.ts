/** `subtensor-ts stake …`: add and remove stake (coldkey → hotkey), and list a coldkey's stakes. */
import { Command } from "commander";
import { CliError } from "../client/cliError.js";
import { formatTao, parseAmount, taoString } from "../client/amount.js";
import { printJson, printTable } from "../client/output.js";
import { openWallet, txCommand, withNodeOptions, withWalletOptions, type ClientFlags, type WalletHandle } from "../client/options.js";
import { refusal } from "../client/errorHelp.js";
import { withReader } from "../client/reader.js";

interface StakeFlags extends ClientFlags {
  amount?: string;
  rao?: boolean;
  all?: boolean;
  hotkeyAddress?: string;
}

/** The hotkey to stake on: `--hotkey-address` (any hotkey, e.g. a delegate) or the wallet's `--hotkey`. */
function targetHotkey(w: WalletHandle, f: StakeFlags): { address: string; label: string } {
  if (f.hotkeyAddress) return { address: f.hotkeyAddress, label: f.hotkeyAddress };
  return { address: w.hotkeyAddress(), label: `${w.hotkeyName} ${w.hotkeyAddress()}` };
}

const amountOptions = (cmd: Command) =>
  cmd
    .option("--amount <tao>", "amount in TAO (or RAO with --rao)")
    .option("--rao", "--amount is in RAO")
    .option("--hotkey-address <ss58>", "stake on this hotkey instead of the wallet's own (e.g. a delegate)");

function add(): Command {
  return amountOptions(txCommand("add", "stake TAO from the wallet's coldkey on a hotkey"))
    .option("--all", "stake the whole free balance (less the fee and existential deposit)")
    .action(async (f: StakeFlags) => {
      if (!f.amount && !f.all) throw new CliError("give --amount (TAO) or --all");
      const w = await openWallet(f);
      const coldkey = w.coldkeyAddress();
      const target = targetHotkey(w, f);
      const ctx = w.context({ hotkey: target.address });
      const { submitTx } = await import("../client/tx.js");
      await withReader(f, async (reader, api) => {
        const signer = w.coldkeySigner();
        const { free } = await reader.balance(coldkey);
        const probe = api.tx.subtensorModule.addStake(target.address, 1n);
        const fee = (await probe.paymentInfo(signer.address)).partialFee.toBigInt();
        const existential = api.consts.balances.existentialDeposit.toString();
        const amount = f.all ? free - fee - BigInt(existential) : parseAmount(f.amount!, { rao: f.rao });
        if (amount <= 0n) throw new CliError(`nothing to stake: the coldkey has ${formatTao(free)}`);
        if (free < amount + fee) throw refusal("SubtensorModule.NotEnoughBalanceToStake", ctx, `free ${formatTao(free)}, needed ${formatTao(amount + fee)} with the fee`);
        const call = api.tx.subtensorModule.addStake(target.address, amount);
        await submitTx(api, { action: "Add stake", details: [["coldkey", `${w.name} ${coldkey}`], ["hotkey", target.label], ["amount", formatTao(amount)]], call, signer, context: ctx }, { yes: f.yes, json: f.json, waitFor: f.waitFor });
      });
    });
}

function remove(): Command {
  return amountOptions(txCommand("remove", "unstake TAO from a hotkey back to the wallet's coldkey"))
    .option("--all", "unstake everything this coldkey has on the hotkey")
    .action(async (f: StakeFlags) => {
      if (!f.amount && !f.all) throw new CliError("give --amount (TAO) or --all");
      const w = await openWallet(f);
      const coldkey = w.coldkeyAddress();
      const target = targetHotkey(w, f);
      const ctx = w.context({ hotkey: target.address });
      const { submitTx } = await import("../client/tx.js");
      await withReader(f, async (reader, api) => {
        const staked = await reader.stakeOnHotkey(target.address, coldkey);
        const amount = f.all ? staked : parseAmount(f.amount!, { rao: f.rao });
        if (amount === 0n) throw refusal("SubtensorModule.StakeToWithdrawIsZero", ctx);
        if (staked < amount) throw refusal("SubtensorModule.NotEnoughStakeToWithdraw", ctx, `staked ${formatTao(staked)}`);
        const signer = w.coldkeySigner();
        const call = api.tx.subtensorModule.removeStake(target.address, amount);
        await submitTx(api, { action: "Remove stake", details: [["coldkey", `${w.name} ${coldkey}`], ["hotkey", target.label], ["amount", formatTao(amount)]], call, signer, context: ctx }, { yes: f.yes, json: f.json, waitFor: f.waitFor });
      });
    });
}

function list(): Command {
  return withWalletOptions(withNodeOptions(new Command("list").description("the wallet coldkey's stakes, per hotkey")))
    .option("--address <ss58>", "any coldkey instead of the wallet's")
    .action(async (f: ClientFlags & { address?: string }) => {
      const coldkey = f.address ?? (await openWallet(f)).coldkeyAddress();
      const stakes = await withReader(f, (reader) => reader.stakes(coldkey));
      const total = stakes.reduce((a, s) => a + s.stake, 0n);
      if (f.json) {
        printJson({ coldkey, total, totalTao: taoString(total), stakes: stakes.map((s) => ({ ...s, stakeTao: taoString(s.stake) })) });
        return;
      }
      await printTable(
        ["hotkey", "stake", "delegate"],
        stakes.map((s) => [s.hotkey, formatTao(s.stake), s.isDelegate ? "yes" : ""]),
        { title: `Stakes of ${coldkey}`, footer: ["total", formatTao(total), ""], align: ["left", "right", "left"] },
      );
    });
}

export function stakeCommand(): Command {
  return new Command("stake").description("stake: add, remove, list").addCommand(add()).addCommand(remove()).addCommand(list());
}
