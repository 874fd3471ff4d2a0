/**
 * `subtensor-ts weights …`: set weights directly, or commit a hash of them and reveal later
 * (commit-reveal subnets). A commit is remembered in the wallet folder (commits/) so that
 * `weights reveal --netuid N` reveals exactly what was committed.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomInt } from "node:crypto";
import { Command, Option } from "commander";
import type { ApiPromise } from "@polkadot/api";
import { CliError } from "../client/cliError.js";
import { line } from "../client/output.js";
import { integerArg, netuidOption, openWallet, txCommand, type ClientFlags, type WalletHandle } from "../client/options.js";
import { withReader } from "../client/reader.js";
import { checkSameLength, parseList, parseUids, weightsToU16 } from "../client/weightsInput.js";

interface WeightsFlags extends ClientFlags {
  netuid: number;
  uids?: string;
  weights?: string;
  versionKey: number;
  salt?: string;
}

const weightOptions = (cmd: Command) =>
  cmd
    .addOption(netuidOption())
    .option("--uids <list>", "UIDs, e.g. 0,1,2")
    .option("--weights <list>", "one weight per UID, e.g. 0.2,0.3,0.5 (scaled so the largest is 65535)")
    .addOption(new Option("--version-key <n>", "weights version key").argParser(integerArg("--version-key", 0, Number.MAX_SAFE_INTEGER)).default(0));

function vectors(f: WeightsFlags): { uids: number[]; values: number[] } {
  if (!f.uids || !f.weights) throw new CliError("give --uids and --weights");
  const uids = parseUids(f.uids);
  const raw = parseList(f.weights, "--weights");
  checkSameLength(uids, raw);
  return { uids, values: weightsToU16(raw) };
}

function set(): Command {
  return weightOptions(txCommand("set", "set the wallet hotkey's weights on a subnet (signed by the hotkey)")).action(async (f: WeightsFlags) => {
    const { uids, values } = vectors(f);
    const w = await openWallet(f);
    const hotkey = w.hotkeyAddress();
    const { submitTx } = await import("../client/tx.js");
    await withReader(f, async (_reader, api) => {
      const call = api.tx.subtensorModule.setWeights(f.netuid, uids, values, f.versionKey);
      await submitTx(
        api,
        { action: `Set weights on subnet ${f.netuid}`, details: [["hotkey", `${w.hotkeyName} ${hotkey}`], ["weights", uids.map((u, i) => `${u}: ${values[i]}`).join(", ")]], call, signer: w.hotkey(), context: w.context({ netuid: f.netuid, hotkey }) },
        { yes: f.yes, json: f.json, waitFor: f.waitFor },
      );
    });
  });
}

interface SavedCommit {
  netuid: number;
  hotkey: string;
  uids: number[];
  values: number[];
  salt: number[];
  versionKey: number;
  hash: string;
}

const commitFile = (w: WalletHandle, netuid: number) => join(w.keystore.walletDir(w.name), "commits", `${w.hotkeyName}-${netuid}.json`);

/** BlakeTwo256 of SCALE (hotkey, netuid, uids, values, salt, version_key): what commit_weights stores. */
function commitHash(api: ApiPromise, c: Omit<SavedCommit, "hash">): string {
  const encoded = api.createType("(AccountId32, u16, Vec<u16>, Vec<u16>, Vec<u16>, u64)", [c.hotkey, c.netuid, c.uids, c.values, c.salt, c.versionKey]).toU8a();
  return api.registry.hash(encoded).toHex();
}

function commit(): Command {
  return weightOptions(txCommand("commit", "commit a hash of the weights (commit-reveal subnets); the CLI keeps what to reveal"))
    .option("--salt <list>", "salt as u16 values, e.g. 1,2,3 (default: 8 random values)")
    .action(async (f: WeightsFlags) => {
      const { uids, values } = vectors(f);
      const salt = f.salt ? parseUids(f.salt, "--salt") : Array.from({ length: 8 }, () => randomInt(0, 65536));
      const w = await openWallet(f);
      const hotkey = w.hotkeyAddress();
      const { submitTx } = await import("../client/tx.js");
      await withReader(f, async (_reader, api) => {
        const saved: SavedCommit = { netuid: f.netuid, hotkey, uids, values, salt, versionKey: f.versionKey, hash: "" };
        saved.hash = commitHash(api, saved);
        const call = api.tx.subtensorModule.commitWeights(f.netuid, saved.hash);
        await submitTx(
          api,
          { action: `Commit weights on subnet ${f.netuid}`, details: [["hotkey", `${w.hotkeyName} ${hotkey}`], ["commit", saved.hash], ["salt", salt.join(",")]], call, signer: w.hotkey(), context: w.context({ netuid: f.netuid, hotkey }) },
          { yes: f.yes, json: f.json, waitFor: f.waitFor },
        );
        const file = commitFile(w, f.netuid);
        mkdirSync(join(file, ".."), { recursive: true, mode: 0o700 });
        writeFileSync(file, JSON.stringify(saved, null, 2), { mode: 0o600 });
        if (!f.json) line(`  saved for reveal: ${file}`);
      });
    });
}

function reveal(): Command {
  return weightOptions(txCommand("reveal", "reveal committed weights (what `weights commit` saved, or --uids/--weights/--salt)"))
    .option("--salt <list>", "the salt used at commit")
    .action(async (f: WeightsFlags) => {
      const w = await openWallet(f);
      const hotkey = w.hotkeyAddress();
      const file = commitFile(w, f.netuid);
      let c: Omit<SavedCommit, "hash">;
      if (f.uids || f.weights || f.salt) {
        if (!f.salt) throw new CliError("give --salt with --uids and --weights (the salt used at commit)");
        c = { netuid: f.netuid, hotkey, ...vectors(f), salt: parseUids(f.salt, "--salt"), versionKey: f.versionKey };
      } else {
        if (!existsSync(file)) throw new CliError(`no saved commit for hotkey ${w.hotkeyName} on subnet ${f.netuid}`, "commit first with `subtensor-ts weights commit`, or pass --uids, --weights and --salt");
        c = JSON.parse(readFileSync(file, "utf8")) as SavedCommit;
      }
      const { submitTx } = await import("../client/tx.js");
      await withReader(f, async (_reader, api) => {
        const call = api.tx.subtensorModule.revealWeights(f.netuid, c.uids, c.values, c.salt, c.versionKey);
        await submitTx(
          api,
          { action: `Reveal weights on subnet ${f.netuid}`, details: [["hotkey", `${w.hotkeyName} ${hotkey}`], ["weights", c.uids.map((u, i) => `${u}: ${c.values[i]}`).join(", ")]], call, signer: w.hotkey(), context: w.context({ netuid: f.netuid, hotkey }) },
          { yes: f.yes, json: f.json, waitFor: f.waitFor },
        );
        if (existsSync(file)) rmSync(file);
      });
    });
}

export function weightsCommand(): Command {
  return new Command("weights").description("weights: set, commit, reveal").addCommand(set()).addCommand(commit()).addCommand(reveal());
}
