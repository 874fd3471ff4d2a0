/** `subtensor-ts delegate …`: open a hotkey to nominations, change its take, list delegates, nominate one. */
import { Command } from "commander";
import { CliError } from "../client/cliError.js";
import { formatTao, formatU16Percent, parseAmount, parseProportion } from "../client/amount.js";
import { printJson, printTable } from "../client/output.js";
import { openWallet, txCommand, withNodeOptions, type ClientFlags, type NodeFlags } from "../client/options.js";
import { refusal } from "../client/errorHelp.js";
import { withReader } from "../client/reader.js";

function become(): Command {
  return txCommand("become", "make the wallet's hotkey a delegate (others may stake on it; it keeps the take)").action(async (f: ClientFlags) => {
    const w = await openWallet(f);
    const hotkey = w.hotkeyAddress();
    const ctx = w.context({ hotkey });
    const { submitTx } = await import("../client/tx.js");
    await withReader(f, async (reader, api) => {
      if (await reader.isDelegate(hotkey)) throw refusal("SubtensorModule.HotKeyAlreadyDelegate", ctx);
      const signer = w.coldkeySigner();
      await submitTx(api, { action: "Become a delegate", details: [["hotkey", `${w.hotkeyName} ${hotkey}`]], call: api.tx.subtensorModule.becomeDelegate(hotkey), signer, context: ctx }, { yes: f.yes, json: f.json, waitFor: f.waitFor });
    });
  });
}

function take(): Command {
  return txCommand("take", "set the delegate take of the wallet's hotkey (raises are rate-limited by the chain)")
    .requiredOption("--take <proportion>", "e.g. 0.09 or 9%")
    .action(async (f: ClientFlags & { take: string }) => {
      const value = parseProportion(f.take, "--take");
      const w = await openWallet(f);
      const hotkey = w.hotkeyAddress();
      const ctx = w.context({ hotkey });
      const { submitTx } = await import("../client/tx.js");
      await withReader(f, async (reader, api) => {
        const current = await reader.delegateTake(hotkey);
        if (current === undefined) throw new CliError(`hotkey ${w.hotkeyName} is not a delegate`, "make it one first with `subtensor-ts delegate become`");
        if (current === value) throw new CliError(`the take is already ${formatU16Percent(value)}`);
        const call = value < current ? api.tx.subtensorModule.decreaseTake(hotkey, value) : api.tx.subtensorModule.increaseTake(hotkey, value);
        const signer = w.coldkeySigner();
        await submitTx(api, { action: value < current ? "Decrease delegate take" : "Increase delegate take", details: [["hotkey", `${w.hotkeyName} ${hotkey}`], ["take", `${formatU16Percent(current)} → ${formatU16Percent(value)}`]], call, signer, context: ctx }, { yes: f.yes, json: f.json, waitFor: f.waitFor });
      });
    });
}

function list(): Command {
  return withNodeOptions(new Command("list").description("every delegate: take, total stake, nominators, subnets")).action(async (f: NodeFlags) => {
    const delegates = await withReader(f, (reader) => reader.delegates());
    if (f.json) {
      printJson({ delegates: delegates.map((d) => ({ ...d, takePercent: Number(((d.take / 65535) * 100).toFixed(2)) })) });
      return;
    }
    await printTable(
      ["hotkey", "owner", "take", "total stake", "nominators", "subnets"],
      delegates.map((d) => [d.hotkey, d.owner, formatU16Percent(d.take), formatTao(d.totalStake), d.nominators, d.registrations.join(",")]),
      { title: "Delegates", align: ["left", "left", "right", "right", "right", "left"] },
    );
  });
}

function nominate(): Command {
  return txCommand("nominate", "stake the wallet coldkey's TAO on a delegate")
    .requiredOption("--delegate <ss58>", "the delegate's hotkey")
    .requiredOption("--amount <tao>", "amount in TAO (or RAO with --rao)")
    .option("--rao", "--amount is in RAO")
    .action(async (f: ClientFlags & { delegate: string; amount: string; rao?: boolean }) => {
      const amount = parseAmount(f.amount, { rao: f.rao });
      const w = await openWallet(f);
      const coldkey = w.coldkeyAddress();
      const ctx = w.context({ hotkey: f.delegate });
      const { submitTx } = await import("../client/tx.js");
      await withReader(f, async (reader, api) => {
        if (!(await reader.isDelegate(f.delegate))) throw refusal("SubtensorModule.HotKeyNotDelegateAndSignerNotOwnHotKey", ctx);
        const signer = w.coldkeySigner();
        const call = api.tx.subtensorModule.addStake(f.delegate, amount);
        const { free } = await reader.balance(coldkey);
        const fee = (await call.paymentInfo(signer.address)).partialFee.toBigInt();
        if (free < amount + fee) throw refusal("SubtensorModule.NotEnoughBalanceToStake", ctx, `free ${formatTao(free)}, needed ${formatTao(amount + fee)} with the fee`);
        await submitTx(api, { action: "Nominate a delegate", details: [["coldkey", `${w.name} ${coldkey}`], ["delegate", f.delegate], ["amount", formatTao(amount)]], call, signer, context: ctx }, { yes: f.yes, json: f.json, waitFor: f.waitFor });
      });
    });
}

export function delegateCommand(): Command {
  return new Command("delegate").description("delegates: become, take, list, nominate").addCommand(become()).addCommand(take()).addCommand(list()).addCommand(nominate());
}
