/** `subtensor-ts root …`: join the root network, set root weights over subnets, list its members. */
import { Command } from "commander";
import type { ApiPromise } from "@polkadot/api";
import { formatTao } from "../client/amount.js";
import { printJson, printTable } from "../client/output.js";
import { nodeUrl, openWallet, txCommand, withNodeOptions, type ClientFlags, type NodeFlags } from "../client/options.js";
import { refusal } from "../client/errorHelp.js";
import { withReader } from "../client/reader.js";
import { checkSameLength, parseList, parseUids, weightsToU16 } from "../client/weightsInput.js";
import type { ChainReader } from "../client/chainReader.js";

const ROOT = 0;


function register(): Command {
  return txCommand("register", "register the wallet's hotkey on the root network (netuid 0)").action(async (f: ClientFlags) => {
    const w = await openWallet(f);
    const hotkey = w.hotkeyAddress();
    const ctx = w.context({ netuid: ROOT, hotkey });
    const { submitTx } = await import("../client/tx.js");
    await withReader(f, async (reader, api) => {
      if (!(await reader.subnetExists(ROOT))) throw refusal("SubtensorModule.RootNetworkDoesNotExist", ctx);
      const uid = await reader.uid(ROOT, hotkey);
      if (uid !== undefined) throw refusal("SubtensorModule.HotKeyAlreadyRegisteredInSubNet", ctx, `UID ${uid}`);
      const signer = w.coldkeySigner();
      await submitTx(api, { action: "Register on the root network", details: [["hotkey", `${w.hotkeyName} ${hotkey}`], ["coldkey", `${w.name} ${w.coldkeyAddress()}`]], call: api.tx.subtensorModule.rootRegister(hotkey), signer, context: ctx }, { yes: f.yes, json: f.json, waitFor: f.waitFor });
    });
  });
}

function weights(): Command {
  return txCommand("weights", "set the root weights of the wallet's hotkey over subnets (they decide each subnet's emission share)")
    .requiredOption("--netuids <list>", "subnets, e.g. 1,2,3")
    .requiredOption("--weights <list>", "one weight per subnet, e.g. 0.5,0.3,0.2")
    .option("--version-key <n>", "weights version key", "0")
    .action(async (f: ClientFlags & { netuids: string; weights: string; versionKey: string }) => {
      const netuids = parseUids(f.netuids, "--netuids");
      const values = parseList(f.weights, "--weights");
      checkSameLength(netuids, values);
      const u16 = weightsToU16(values);
      const w = await openWallet(f);
      const hotkey = w.hotkeyAddress();
      const ctx = w.context({ netuid: ROOT, hotkey });
      const { submitTx } = await import("../client/tx.js");
      await withReader(f, async (reader, api) => {
        for (const netuid of netuids) if (!(await reader.subnetExists(netuid))) throw refusal("SubtensorModule.SubNetworkDoesNotExist", { netuid });
        const signer = w.coldkeySigner();
        const call = api.tx.subtensorModule.setRootWeights(ROOT, hotkey, netuids, u16, BigInt(f.versionKey));
        await submitTx(api, { action: "Set root weights", details: [["hotkey", `${w.hotkeyName} ${hotkey}`], ["weights", netuids.map((n, i) => `${n}: ${u16[i]}`).join(", ")]], call, signer, context: ctx }, { yes: f.yes, json: f.json, waitFor: f.waitFor });
      });
    });
}

function list(): Command {
  return withNodeOptions(new Command("list").description("the root network's members and their stake")).action(async (f: NodeFlags) => {
    const members = await withReader(f, async (reader) => {
      if (!(await reader.subnetExists(ROOT))) throw refusal("SubtensorModule.RootNetworkDoesNotExist");
      return reader.rootMembers();
    });
    if (f.json) printJson({ members });
    else await printTable(["uid", "hotkey", "stake"], members.map((m) => [m.uid, m.hotkey, formatTao(m.stake)]), { title: "Root network", align: ["right", "left", "right"] });
  });
}

export function rootCommand(): Command {
  return new Command("root").description("the root network: register, weights, list").addCommand(register()).addCommand(weights()).addCommand(list());
}
