/** `subtensor-ts export-blocks [FILE]`: canonical blocks (with justifications) to a SCALE block file. */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { Command, Option } from "commander";
import { basePathOption, chainOption, devOption } from "./shared.js";
import { integerArg } from "../client/options.js";
import { CliError } from "../client/cliError.js";

interface Flags {
  dev?: boolean;
  chain: string;
  basePath?: string;
  from: number;
  to?: number;
}

export function exportBlocksCommand(): Command {
  return new Command("export-blocks")
    .description("export canonical blocks to a file (u64 count + SCALE SignedBlocks, Substrate's binary format); stdout when no FILE")
    .argument("[file]", "output file")
    .addOption(chainOption())
    .addOption(devOption())
    .addOption(basePathOption())
    .addOption(new Option("--from <n>", "first block").argParser(integerArg("--from", 0, 2 ** 32 - 1)).default(1))
    .addOption(new Option("--to <n>", "last block (default: best)").argParser(integerArg("--to", 0, 2 ** 32 - 1)))
    .action(async (file: string | undefined, f: Flags) => {
      const { openChain } = await import("../chainTools/offlineChain.js");
      const { encodeCount, encodeSignedBlock } = await import("../../chain/tools/blockFile.js");
      if (!file && process.stdout.isTTY) throw new CliError("refusing to write binary blocks to a terminal", "give an output FILE, or redirect stdout");
      const node = await openChain(f);
      try {
        const chain = node.chain;
        const to = Math.min(f.to ?? chain.best.number, chain.best.number);
        if (f.from > to) throw new CliError(`nothing to export: --from ${f.from} is after block #${to}`);
        const out = file ? createWriteStream(file) : process.stdout;
        const write = async (chunk: Uint8Array) => {
          if (!out.write(chunk)) await once(out, "drain");
        };
        await write(encodeCount(to - f.from + 1));
        for (let n = f.from; n <= to; n++) {
          const hash = chain.hashAt(n)!;
          await write(encodeSignedBlock({ block: { header: chain.header(hash)!, extrinsics: chain.body(hash)! }, justifications: chain.justification(hash) }));
        }
        if (file) {
          (out as ReturnType<typeof createWriteStream>).end();
          await once(out, "finish");
          process.stderr.write(`Exported blocks #${f.from}…#${to} (${to - f.from + 1}) to ${file}\n`);
        }
      } finally {
        await node.stop();
      }
    });
}
