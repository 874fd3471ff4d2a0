/**
 * `subtensor-ts subnet …`: create, list, show, hyperparameters, metagraph, lock-cost, register
 * (burned, or `--pow` with Subtensor's proof of work).
 */
import { cpus } from "node:os";
import { Command, Option } from "commander";
import type { ApiPromise } from "@polkadot/api";
import { u8aToHex } from "@polkadot/util";
import { CliError } from "../client/cliError.js";
import { formatTao, taoString, u16Fraction } from "../client/amount.js";
import { colors, line, printJson, printTable, shortAddress } from "../client/output.js";
import { integerArg, netuidOption, nodeUrl, openWallet, txCommand, withNodeOptions, type ClientFlags, type NodeFlags } from "../client/options.js";
import { refusal } from "../client/errorHelp.js";
import { withReader } from "../client/reader.js";
import type { ChainReader, HyperparameterValue, MetagraphView } from "../client/chainReader.js";

type Reader = ChainReader;


async function requireSubnet(reader: Reader, netuid: number): Promise<void> {
  if (!(await reader.subnetExists(netuid))) throw refusal("SubtensorModule.SubNetworkDoesNotExist", { netuid });
}

const epochText = (n: number | null, block: number): string => (n === null ? "never (tempo 0)" : n === 0 ? `now (block #${block})` : `in ${n} blocks (#${block + n})`);

function list(): Command {
  return withNodeOptions(new Command("list").description("every subnet: size, tempo, burn, emission share, next epoch")).action(async (f: NodeFlags) => {
    const { subnets, block } = await withReader(f, async (r) => ({ subnets: await r.subnets(), block: await r.blockNumber() }));
    if (f.json) {
      printJson({ block, subnets });
      return;
    }
    await printTable(
      ["netuid", "neurons", "tempo", "burn", "emission", "pending", "next epoch", "registration", "owner"],
      subnets.map((s) => [
        s.netuid,
        `${s.n}/${s.maxN}`,
        s.tempo,
        formatTao(s.burn),
        `${(s.emissionShare * 100).toFixed(2)}%`,
        formatTao(s.pendingEmission),
        s.blocksUntilNextEpoch === null ? "never" : `${s.blocksUntilNextEpoch} blocks`,
        s.registrationAllowed ? "open" : "closed",
        shortAddress(s.owner),
      ]),
      { title: `Subnets at block #${block}`, align: ["right", "right", "right", "right", "right", "right", "right", "left", "left"] },
    );
  });
}

function show(): Command {
  return withNodeOptions(new Command("show").description("one subnet in detail"))
    .addOption(netuidOption())
    .action(async (f: NodeFlags & { netuid: number }) => {
      const data = await withReader(f, async (r) => {
        await requireSubnet(r, f.netuid);
        const [subnet, block, hyper] = await Promise.all([r.subnet(f.netuid), r.blockNumber(), r.hyperparameters(f.netuid)]);
        return { subnet: subnet!, block, hyper };
      });
      if (f.json) {
        printJson({ block: data.block, ...data.subnet, hyperparameters: Object.fromEntries(data.hyper.map((h) => [h.def.name, h.value])) });
        return;
      }
      const s = data.subnet;
      line(colors.bold(`Subnet ${s.netuid}`) + colors.dim(`  at block #${data.block}`));
      const rows: Array<[string, string]> = [
        ["owner", s.owner],
        ["neurons", `${s.n} of ${s.maxN}`],
        ["tempo", `${s.tempo} blocks`],
        ["next epoch", epochText(s.blocksUntilNextEpoch, data.block)],
        ["burn", formatTao(s.burn)],
        ["registration", `${s.registrationAllowed ? "open" : "closed"}${s.powRegistrationAllowed ? " (proof of work allowed)" : ""}`],
        ["emission share", `${(s.emissionShare * 100).toFixed(2)}%`],
        ["pending emission", formatTao(s.pendingEmission)],
        ["locked", formatTao(s.locked)],
        ["registered at", `#${s.registeredAt}`],
      ];
      for (const [k, v] of rows) line(`  ${k.padEnd(18)} ${v}`);
      line(colors.dim(`  hyperparameters: subtensor-ts subnet hyperparameters --netuid ${s.netuid}`));
    });
}

function hyperValue(h: HyperparameterValue): string {
  const v = h.value;
  if (Array.isArray(v)) return `${v[0]}, ${v[1]}`;
  if (typeof v === "boolean") return String(v);
  if (h.def.format === "tao") return formatTao(BigInt(v));
  if (h.def.format === "u16fraction") return `${v} (${u16Fraction(Number(v)).toFixed(5)})`;
  if (h.def.format === "u64fraction") return `${v} (${(Number(v) / 2 ** 64).toFixed(5)})`;
  return String(v);
}

function hyperparameters(): Command {
  return withNodeOptions(new Command("hyperparameters").alias("hparams").description("a subnet's hyperparameters (names as `sudo set` takes them)"))
    .addOption(netuidOption())
    .action(async (f: NodeFlags & { netuid: number }) => {
      const values = await withReader(f, async (r) => {
        await requireSubnet(r, f.netuid);
        return r.hyperparameters(f.netuid);
      });
      if (f.json) {
        printJson({ netuid: f.netuid, hyperparameters: Object.fromEntries(values.map((h) => [h.def.name, h.value])) });
        return;
      }
      await printTable(
        ["hyperparameter", "value", "sudo set name"],
        values.map((h) => [h.def.name, hyperValue(h), h.def.setter || "(not settable)"]),
        { title: `Subnet ${f.netuid} hyperparameters`, align: ["left", "right", "left"] },
      );
    });
}

const frac = (v: number): string => u16Fraction(v).toFixed(5);

async function printMetagraph(m: MetagraphView, full: boolean): Promise<void> {
  await printTable(
    ["uid", "hotkey", "coldkey", "stake", "rank", "trust", "consensus", "incentive", "dividends", "emission", "vtrust", "val", "updated", "axon"],
    m.neurons.map((n) => [
      n.uid,
      shortAddress(n.hotkey, full),
      shortAddress(n.coldkey, full),
      formatTao(n.stake),
      frac(n.rank),
      frac(n.trust),
      frac(n.consensus),
      frac(n.incentive),
      frac(n.dividends),
      formatTao(n.emission),
      frac(n.validatorTrust),
      n.validatorPermit ? "*" : "",
      m.block - n.lastUpdate,
      n.axon ? `${n.axon.ip}:${n.axon.port}` : "none",
    ]),
    {
      title: `Metagraph of subnet ${m.netuid} at block #${m.block}: ${m.n}/${m.maxN} neurons, tempo ${m.tempo}, next epoch ${epochText(m.blocksUntilNextEpoch, m.block)}`,
      footer: ["", "", "total", formatTao(m.totals.stake), frac(m.totals.rank), frac(m.totals.trust), frac(m.totals.consensus), frac(m.totals.incentive), frac(m.totals.dividends), formatTao(m.totals.emission), frac(m.totals.validatorTrust), "", "", ""],
      align: ["right", "left", "left", "right", "right", "right", "right", "right", "right", "right", "right", "center", "right", "left"],
    },
  );
}

function metagraph(): Command {
  return withNodeOptions(new Command("metagraph").description("btcli's per-UID table of a subnet, with totals"))
    .addOption(netuidOption())
    .option("--full", "full addresses instead of shortened ones")
    .action(async (f: NodeFlags & { netuid: number; full?: boolean }) => {
      const m = await withReader(f, async (r) => {
        await requireSubnet(r, f.netuid);
        return r.metagraph(f.netuid);
      });
      if (f.json) {
        printJson({
          ...m,
          neurons: m.neurons.map((n) => ({
            ...n,
            rank: u16Fraction(n.rank),
            trust: u16Fraction(n.trust),
            consensus: u16Fraction(n.consensus),
            incentive: u16Fraction(n.incentive),
            dividends: u16Fraction(n.dividends),
            validatorTrust: u16Fraction(n.validatorTrust),
            stakeTao: taoString(n.stake),
            emissionTao: taoString(n.emission),
          })),
        });
        return;
      }
      await printMetagraph(m, Boolean(f.full));
    });
}

function lockCost(): Command {
  return withNodeOptions(new Command("lock-cost").description("what creating a subnet locks now")).action(async (f: NodeFlags) => {
    const cost = await withReader(f, (r) => r.lockCost());
    if (f.json) printJson({ lockCost: cost, lockCostTao: taoString(cost) });
    else line(`Subnet lock cost: ${formatTao(cost)}`);
  });
}

function create(): Command {
  return txCommand("create", "create a subnet; the coldkey locks the lock cost and owns the subnet").action(async (f: ClientFlags) => {
    const w = await openWallet(f);
    const coldkey = w.coldkeyAddress();
    const { submitTx } = await import("../client/tx.js");
    await withReader(f, async (reader, api) => {
      const [cost, balance] = await Promise.all([reader.lockCost(), reader.balance(coldkey)]);
      if (balance.free < cost) throw refusal("SubtensorModule.NotEnoughBalanceToStake", w.context(), `lock cost ${formatTao(cost)}, free ${formatTao(balance.free)}`);
      // The call's arguments come from the node's metadata: classic Subtensor's register_network()
      // takes none, later versions take the owner hotkey.
      const args = api.tx.subtensorModule.registerNetwork.meta.args.map((a) => {
        if (a.name.toString() === "hotkey") return w.hotkeyAddress();
        throw new CliError(`this node's register_network takes an argument this CLI does not know: ${a.name.toString()}`);
      });
      const call = api.tx.subtensorModule.registerNetwork(...args);
      const details: Array<[string, string]> = [["owner", `${w.name} ${coldkey}`], ["lock cost", formatTao(cost)]];
      if (args.length) details.push(["owner hotkey", `${w.hotkeyName} ${args[0]}`]);
      const signer = w.coldkeySigner();
      const result = await submitTx(api, { action: "Create a subnet", details, call, signer, context: w.context() }, { yes: f.yes, json: f.json, waitFor: f.waitFor });
      const added = result.events.find((e) => e.section === "subtensorModule" && e.method === "NetworkAdded");
      if (added && !f.json) line(`  netuid         ${(added.data as string[])[0]}`);
    });
  });
}

function register(): Command {
  return txCommand("register", "register the wallet's hotkey on a subnet (burned TAO, or --pow)")
    .addOption(netuidOption())
    .option("--pow", "solve Subtensor's proof of work instead of burning TAO (signed by the hotkey)")
    .addOption(new Option("--threads <n>", "proof-of-work threads").argParser(integerArg("--threads", 1, 256)).default(Math.max(1, cpus().length)))
    .action(async (f: ClientFlags & { netuid: number; pow?: boolean; threads: number }) => {
      const w = await openWallet(f);
      const hotkey = w.hotkeyAddress();
      const coldkey = w.coldkeyAddress();
      const ctx = w.context({ netuid: f.netuid, hotkey });
      const { submitTx } = await import("../client/tx.js");
      await withReader(f, async (reader, api) => {
        await requireSubnet(reader, f.netuid);
        if (f.netuid === 0) throw refusal("SubtensorModule.RegistrationNotPermittedOnRootSubnet", ctx);
        const [subnet, uid] = await Promise.all([reader.subnet(f.netuid), reader.uid(f.netuid, hotkey)]);
        if (uid !== undefined) throw refusal("SubtensorModule.HotKeyAlreadyRegisteredInSubNet", ctx, `UID ${uid}`);
        if (!subnet!.registrationAllowed) throw refusal("SubtensorModule.SubNetRegistrationDisabled", ctx);
        if (f.pow) {
          if (!subnet!.powRegistrationAllowed) throw new CliError(`proof-of-work registration is off on subnet ${f.netuid}`, `register by burning instead (drop --pow), or the owner turns it on with \`subtensor-ts sudo set pow_registration_allowed true --netuid ${f.netuid}\``);
          // the hotkey signs: it must exist on chain, and that is better known before the work is done
          const { ensureSignerExists } = await import("../client/tx.js");
          await ensureSignerExists(api, hotkey, "hotkey");
          // ask before solving: the work is only valid for a few blocks, so no prompt may come after it
          const { confirmAction } = await import("../client/prompt.js");
          if (!(await confirmAction(`Solve a proof of work (difficulty ${subnet!.difficulty}) and register ${w.hotkeyName} on subnet ${f.netuid}?`, f))) throw new CliError("cancelled: nothing was submitted");
          const solution = await solve(api, w.hotkey().publicKey, subnet!.difficulty, f);
          const call = api.tx.subtensorModule.register(f.netuid, solution.blockNumber, solution.nonce, u8aToHex(solution.work), hotkey, coldkey);
          await submitTx(
            api,
            { action: `Register on subnet ${f.netuid} (proof of work)`, details: [["hotkey", `${w.hotkeyName} ${hotkey}`], ["coldkey", `${w.name} ${coldkey}`], ["work", `nonce ${solution.nonce} at block #${solution.blockNumber} (${solution.hashes} hashes)`]], call, signer: w.hotkey(), context: ctx },
            { yes: true, json: f.json, waitFor: f.waitFor },
          );
          return;
        }
        const balance = await reader.balance(coldkey);
        if (balance.free < subnet!.burn) throw refusal("SubtensorModule.NotEnoughBalanceToStake", ctx, `burn ${formatTao(subnet!.burn)}, free ${formatTao(balance.free)}`);
        const call = api.tx.subtensorModule.burnedRegister(f.netuid, hotkey);
        const signer = w.coldkeySigner();
        await submitTx(api, { action: `Register on subnet ${f.netuid}`, details: [["hotkey", `${w.hotkeyName} ${hotkey}`], ["coldkey", `${w.name} ${coldkey}`], ["burn", formatTao(subnet!.burn)]], call, signer, context: ctx }, { yes: f.yes, json: f.json, waitFor: f.waitFor });
      });
    });
}

async function solve(api: ApiPromise, hotkey: Uint8Array, difficulty: bigint, f: ClientFlags & { threads: number }) {
  const { solvePow } = await import("../client/pow.js");
  const showProgress = !f.json && Boolean(process.stderr.isTTY);
  const spin = showProgress ? (await import("ora")).default({ stream: process.stderr }).start(`Solving proof of work (difficulty ${difficulty}, ${f.threads} threads)…`) : undefined;
  const started = Date.now();
  let lastPrint = 0;
  const solution = await solvePow(
    {
      best: async () => {
        const header = await api.rpc.chain.getHeader();
        return { number: header.number.toNumber(), hash: header.hash.toU8a() };
      },
    },
    {
      hotkey,
      difficulty,
      threads: f.threads,
      onProgress: (p) => {
        const text = `Solving proof of work: ${p.hashes.toLocaleString("en-US")} hashes, ${Math.round(p.hashesPerSecond).toLocaleString("en-US")} H/s, block #${p.blockNumber}${p.restarts ? `, ${p.restarts} restarts` : ""}`;
        if (spin) spin.text = text;
        else if (!f.json && Date.now() - lastPrint > 2000) {
          lastPrint = Date.now();
          process.stderr.write(text + "\n");
        }
      },
    },
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (spin) spin.succeed(`Proof of work solved in ${seconds} s (${solution.hashes.toLocaleString("en-US")} hashes)`);
  else if (!f.json) process.stderr.write(`Proof of work solved in ${seconds} s\n`);
  return solution;
}

export function subnetCommand(): Command {
  return new Command("subnet")
    .description("subnets: create, list, show, hyperparameters, metagraph, lock-cost, register")
    .addCommand(create())
    .addCommand(list())
    .addCommand(show())
    .addCommand(hyperparameters())
    .addCommand(metagraph())
    .addCommand(lockCost())
    .addCommand(register());
}
