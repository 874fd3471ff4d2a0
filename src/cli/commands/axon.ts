/** `subtensor-ts axon serve`: publish the wallet hotkey's axon endpoint on a subnet (signed by the hotkey). */
import { isIP } from "node:net";
import { Command, Option } from "commander";
import { CliError } from "../client/cliError.js";
import { integerArg, netuidOption, openWallet, txCommand, type ClientFlags } from "../client/options.js";
import { withReader } from "../client/reader.js";

/** An IPv4 or IPv6 address as the u128 `serve_axon` takes, with its ip_type. */
export function ipToU128(ip: string): { value: bigint; type: 4 | 6 } {
  const kind = isIP(ip);
  if (kind === 4) return { value: ip.split(".").reduce((a, part) => (a << 8n) | BigInt(Number(part)), 0n), type: 4 };
  if (kind === 6) {
    const [head, tail = ""] = ip.split("::");
    const h = head ? head.split(":") : [];
    const t = tail ? tail.split(":") : [];
    const groups = ip.includes("::") ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
    return { value: groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g || "0", 16)), 0n), type: 6 };
  }
  throw new CliError(`"${ip}" is not an IPv4 or IPv6 address`);
}

function serve(): Command {
  return txCommand("serve", "publish the hotkey's axon (ip:port) on a subnet")
    .addOption(netuidOption())
    .requiredOption("--ip <address>", "IPv4 or IPv6 address")
    .addOption(new Option("--port <port>", "axon port").argParser(integerArg("--port", 0, 65535)).makeOptionMandatory())
    .addOption(new Option("--protocol <n>", "protocol (4 = TCP in btcli)").argParser(integerArg("--protocol", 0, 255)).default(4))
    .addOption(new Option("--axon-version <n>", "axon version").argParser(integerArg("--axon-version", 0, 2 ** 32 - 1)).default(1))
    .action(async (f: ClientFlags & { netuid: number; ip: string; port: number; protocol: number; axonVersion: number }) => {
      const ip = ipToU128(f.ip);
      const w = await openWallet(f);
      const hotkey = w.hotkeyAddress();
      const { submitTx } = await import("../client/tx.js");
      await withReader(f, async (_reader, api) => {
        const call = api.tx.subtensorModule.serveAxon(f.netuid, f.axonVersion, ip.value, f.port, ip.type, f.protocol, 0, 0);
        await submitTx(
          api,
          { action: `Serve axon on subnet ${f.netuid}`, details: [["hotkey", `${w.hotkeyName} ${hotkey}`], ["axon", `${f.ip}:${f.port} (IPv${ip.type}, protocol ${f.protocol}, version ${f.axonVersion})`]], call, signer: w.hotkey(), context: w.context({ netuid: f.netuid, hotkey }) },
          { yes: f.yes, json: f.json, waitFor: f.waitFor },
        );
      });
    });
}

export function axonCommand(): Command {
  return new Command("axon").description("axon endpoints: serve").addCommand(serve());
}
