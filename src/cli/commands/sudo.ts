/**
 * `subtensor-ts sudo set <hyperparameter> <value…> [--netuid N]`: any AdminUtils `sudo_set_*`
 * setter the node's metadata lists, by its name (`tempo`, `max_allowed_uids`, `network_rate_limit`,
 * …) or btcli's short name (`weights_version`, `max_validators`, …). Arguments are parsed by the
 * types the metadata gives. Signed by the sudo key, the call goes through `Sudo.sudo` (root
 * origin); signed by anyone else (a subnet owner), it is sent directly.
 * `sudo params` lists the setters with their arguments.
 */
import { Command } from "commander";
import type { ApiPromise } from "@polkadot/api";
import { CliError } from "../client/cliError.js";
import { line, printJson, printTable } from "../client/output.js";
import { netuidOption, openWallet, txCommand, withNodeOptions, type ClientFlags, type NodeFlags } from "../client/options.js";
import { withReader } from "../client/reader.js";
import { SETTER_ALIASES, SUBNET_HYPERPARAMETERS, setterName } from "../client/hyperparameters.js";

interface Setter {
  /** e.g. `tempo` */
  name: string;
  /** the api.tx.adminUtils key, e.g. `sudoSetTempo` */
  method: string;
  args: Array<{ name: string; type: string }>;
  docs: string;
}

export function listSetters(api: ApiPromise): Setter[] {
  const tx = api.tx.adminUtils;
  if (!tx) return [];
  return Object.keys(tx)
    .flatMap((method) => {
      const name = setterName(method);
      if (!name) return [];
      const meta = tx[method].meta;
      return [{ name, method, args: meta.args.map((a) => ({ name: a.name.toString(), type: a.type.toString() })), docs: meta.docs.map((d) => d.toString()).join(" ").trim() }];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

function findSetter(api: ApiPromise, requested: string): Setter {
  const wanted = requested.trim().toLowerCase().replace(/-/g, "_").replace(/^sudo_set_/, "");
  const name = SETTER_ALIASES[wanted] ?? wanted;
  const setters = listSetters(api);
  const hit = setters.find((s) => s.name === name);
  if (!hit) {
    const close = setters.filter((s) => s.name.includes(name) || name.includes(s.name)).map((s) => s.name);
    throw new CliError(`"${requested}" is not a hyperparameter this node can set`, close.length ? `did you mean ${close.join(", ")}? (all: \`subtensor-ts sudo params\`)` : "see them all with `subtensor-ts sudo params`");
  }
  return hit;
}

/** A value typed on the command line, as the metadata type wants it. */
function parseValue(text: string, arg: { name: string; type: string }): bigint | number | boolean {
  const t = arg.type;
  if (t === "bool") {
    const v = text.trim().toLowerCase();
    if (["true", "1", "yes", "on"].includes(v)) return true;
    if (["false", "0", "no", "off"].includes(v)) return false;
    throw new CliError(`${arg.name} must be true or false, not "${text}"`);
  }
  const m = /^(u|i)(8|16|32|64|128)$/.exec(t);
  if (!m) throw new CliError(`${arg.name} has type ${t}, which this command cannot parse`);
  if (!/^-?\d+$/.test(text.trim())) throw new CliError(`${arg.name} must be a whole number (${t}), not "${text}"`);
  const v = BigInt(text.trim());
  const bits = BigInt(m[2]);
  const [min, max] = m[1] === "u" ? [0n, (1n << bits) - 1n] : [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n];
  if (v < min || v > max) throw new CliError(`${arg.name} must be between ${min} and ${max} (${t})`);
  return bits > 32n ? v : Number(v);
}

function set(): Command {
  return txCommand("set", "set a hyperparameter: sudo set <name> <value…> [--netuid N]")
    .argument("<hyperparameter>", "e.g. tempo, max_allowed_uids, weights_rate_limit (see `sudo params`)")
    .argument("<values...>", "the new value(s), e.g. 10 or true")
    .addOption(netuidOption(false))
    .action(async (hyper: string, values: string[], f: ClientFlags & { netuid?: number }) => {
      const w = await openWallet(f);
      const signerAddress = w.coldkeyAddress();
      const { submitTx } = await import("../client/tx.js");
      await withReader(f, async (reader, api) => {
        const setter = findSetter(api, hyper);
        const needsNetuid = setter.args[0]?.name === "netuid";
        const valueArgs = needsNetuid ? setter.args.slice(1) : setter.args;
        if (needsNetuid && f.netuid === undefined) throw new CliError(`${setter.name} is a subnet hyperparameter: pass --netuid`);
        if (!needsNetuid && f.netuid !== undefined) throw new CliError(`${setter.name} is global: drop --netuid`);
        if (values.length !== valueArgs.length) throw new CliError(`${setter.name} takes ${valueArgs.length} value(s): ${valueArgs.map((a) => `<${a.name}: ${a.type}>`).join(" ")}`);
        const parsed = valueArgs.map((a, i) => parseValue(values[i], a));
        const callArgs = needsNetuid ? [f.netuid!, ...parsed] : parsed;
        const inner = api.tx.adminUtils[setter.method](...callArgs);
        const sudoKey = await reader.sudoKey();
        const asRoot = sudoKey !== undefined && sudoKey === signerAddress;
        const call = asRoot ? api.tx.sudo.sudo(inner) : inner;
        const details: Array<[string, string]> = [["call", `AdminUtils.sudo_set_${setter.name}(${callArgs.map(String).join(", ")})`], ["origin", asRoot ? `root (sudo key ${w.name})` : `signed by ${w.name} ${signerAddress} (must own the subnet)`]];
        const known = SUBNET_HYPERPARAMETERS.find((h) => h.setter === setter.name);
        if (known && needsNetuid && (api.query.subtensorModule as Record<string, unknown>)[known.storage]) {
          const current = await (api.query.subtensorModule as unknown as Record<string, (n: number) => Promise<{ toString(): string }>>)[known.storage](f.netuid!);
          details.push(["current value", current.toString()]);
        }
        const signer = w.coldkeySigner();
        await submitTx(api, { action: `Set ${setter.name}${needsNetuid ? ` on subnet ${f.netuid}` : ""}`, details, call, signer, context: w.context({ netuid: f.netuid }) }, { yes: f.yes, json: f.json, waitFor: f.waitFor });
      });
    });
}

function params(): Command {
  return withNodeOptions(new Command("params").description("the hyperparameters `sudo set` can change on this node, with their arguments")).action(async (f: NodeFlags) => {
    const setters = await withReader(f, async (_r, api) => listSetters(api));
    if (f.json) {
      printJson({ setters });
      return;
    }
    const aliases = Object.entries(SETTER_ALIASES);
    await printTable(
      ["name", "arguments", "btcli name", "what it does"],
      setters.map((s) => [s.name, s.args.map((a) => `${a.name}: ${a.type}`).join(", "), aliases.find(([, v]) => v === s.name)?.[0] ?? "", s.docs]),
      { align: ["left", "left", "left", "left"] },
    );
    line("Example: subtensor-ts sudo set tempo 10 --netuid 1 --wallet alice");
  });
}

export function sudoCommand(): Command {
  return new Command("sudo").description("hyperparameters: set (by name), params").addCommand(set()).addCommand(params());
}
