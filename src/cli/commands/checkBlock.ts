/** `subtensor-ts check-block <number|hash>`: re-verify one stored block (seal, signatures, execution, roots) without writing. */
import { Command } from "commander";
import { basePathOption, chainOption, devOption } from "./shared.js";
import { CliError } from "../client/cliError.js";

interface Flags {
  dev?: boolean;
  chain: string;
  basePath?: string;
  json?: boolean;
}

export function checkBlockCommand(): Command {
  return new Command("check-block")
    .description("re-run every import check on a stored block, writing nothing")
    .argument("<block>", "block number, 0x hash, or best")
    .addOption(chainOption())
    .addOption(devOption())
    .addOption(basePathOption())
    .option("--json", "print the result as JSON")
    .action(async (id: string, f: Flags) => {
      const [{ openChain, resolveBlock }, { blockSlotDuration, checkBlock }] = await Promise.all([
        import("../chainTools/offlineChain.js"),
        import("../../chain/tools/blockCheck.js"),
      ]);
      // open once to find the block and its slot duration, then with that duration (the runtime's
      // timestamp rule depends on it)
      let node = await openChain(f);
      let blockTime: number | undefined;
      let hash: Uint8Array;
      try {
        hash = resolveBlock(node, id);
        const header = node.chain.header(hash)!;
        if (header.number === 0) throw new CliError("block #0 is genesis: it is built from the chain spec, there is nothing to check");
        blockTime = blockSlotDuration({ header, extrinsics: node.chain.body(hash)! }, node.runtime);
      } finally {
        await node.stop();
      }
      node = await openChain({ ...f, blockTime } as Flags & { blockTime?: number });
      try {
        const chain = node.chain;
        const block = { header: chain.header(hash)!, extrinsics: chain.body(hash)! };
        let result;
        try {
          result = await checkBlock(chain, block, node.spec.consensus.slotDurationMs);
        } catch (e) {
          throw new CliError(`block #${block.header.number} FAILED its checks: ${(e as Error).message}`);
        }
        if (f.json) process.stdout.write(JSON.stringify({ ok: true, ...result }, null, 2) + "\n");
        else process.stdout.write(`Block #${result.number} (${result.hash}) is valid: seal, ${result.extrinsics} extrinsics, signatures, execution (${result.events} events) and state root ${result.stateRoot} check out\n`);
      } finally {
        await node.stop();
      }
    });
}
