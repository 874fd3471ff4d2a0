/**
 * `subtensor-ts import-blocks FILE`: imports a block file through the same path as blocks from
 * peers (Blockchain.importBlock: Aura seal against the parent state's authorities, body decoding,
 * signatures, execution, state and extrinsics roots), so a file can never put an unverified block
 * into the database. Blocks already present are skipped.
 */
import { readFileSync } from "node:fs";
import { Command, Option } from "commander";
import { basePathOption, chainOption, devOption } from "./shared.js";
import { integerArg } from "../client/options.js";
import { CliError } from "../client/cliError.js";

interface Flags {
  dev?: boolean;
  chain: string;
  basePath?: string;
  blockTime?: number;
  json?: boolean;
}

export function importBlocksCommand(): Command {
  return new Command("import-blocks")
    .description("import a block file (from export-blocks), verifying every block as if it came from a peer")
    .argument("<file>", "block file")
    .addOption(chainOption())
    .addOption(devOption())
    .addOption(basePathOption())
    .addOption(new Option("--block-time <ms>", "slot duration the blocks were made with (default: read from the first block)").argParser(integerArg("--block-time", 100, 3_600_000)))
    .option("--json", "print the result as JSON")
    .action(async (file: string, f: Flags) => {
      const [{ openChain }, { decodeBlockFile }, { blockSlotDuration }, { createRuntime }, { headerHash }, { toHex }, { BlockImportError }] = await Promise.all([
        import("../chainTools/offlineChain.js"),
        import("../../chain/tools/blockFile.js"),
        import("../../chain/tools/blockCheck.js"),
        import("../../chain/runtime/index.js"),
        import("../../chain/codec/block.js"),
        import("../../util/bytes.js"),
        import("../../chain/blockchain/errors.js"),
      ]);
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(file);
      } catch (e) {
        throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      let blocks;
      try {
        blocks = decodeBlockFile(bytes);
      } catch (e) {
        throw new CliError(`${file} is not a valid block file: ${(e as Error).message}`);
      }
      // The runtime's timestamp rule depends on the slot duration, so it must match the blocks'.
      // Any runtime decodes the timestamp inherent (the call encoding does not depend on it).
      const decoder = createRuntime({ faucet: true });
      const inferred = blocks.map((b) => blockSlotDuration(b.block, decoder)).find((d) => d !== undefined);
      const blockTime = f.blockTime ?? inferred;
      const node = await openChain({ ...f, blockTime }, { create: true });
      let imported = 0;
      let skipped = 0;
      const started = Date.now();
      try {
        const chain = node.chain;
        for (const { block, justifications } of blocks) {
          const hash = headerHash(block.header);
          if (block.header.number === 0 || chain.header(hash)) {
            skipped++;
            continue;
          }
          try {
            // the node's own import path: Aura seal, signatures, execution, roots; then the
            // justification (finality) is verified and applied the same way as one from a peer
            await chain.importBlock(block, { kind: "file" }, justifications);
            imported++;
          } catch (e) {
            const reason = e instanceof BlockImportError ? e.message : (e as Error).message;
            throw new CliError(`block #${block.header.number} (${toHex(hash)}) is invalid: ${reason}`, `nothing after block #${chain.best.number} was imported; ${imported} blocks were`);
          }
        }
        const result = { imported, skipped, best: chain.best.number, bestHash: toHex(chain.best.hash), finalized: chain.finalized.number, seconds: (Date.now() - started) / 1000 };
        if (f.json) process.stdout.write(JSON.stringify(result, null, 2) + "\n");
        else process.stdout.write(`Imported ${imported} blocks (${skipped} already known) in ${result.seconds.toFixed(1)} s; best is #${result.best} (${result.bestHash}), finalized #${result.finalized}\n`);
      } finally {
        await node.stop();
      }
    });
}
