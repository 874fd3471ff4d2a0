/** `subtensor-ts export-state [block]`: every storage key/value at a block, as JSON (raw, hex). */
import { Command } from "commander";
import { basePathOption, chainOption, devOption } from "./shared.js";

interface Flags {
  dev?: boolean;
  chain: string;
  basePath?: string;
}

export function exportStateCommand(): Command {
  return new Command("export-state")
    .description("print the whole state at a block as JSON: { block, stateRoot, top: { key: value } } (hex, Substrate's raw storage form)")
    .argument("[block]", "block number, 0x hash, best (default) or finalized")
    .addOption(chainOption())
    .addOption(devOption())
    .addOption(basePathOption())
    .action(async (id: string | undefined, f: Flags) => {
      const [{ openChain, resolveBlock }, { toHex }] = await Promise.all([import("../chainTools/offlineChain.js"), import("../../util/bytes.js")]);
      const node = await openChain(f);
      try {
        const hash = resolveBlock(node, id);
        const header = node.chain.header(hash)!;
        const state = node.chain.stateAt(hash);
        const top: Record<string, string> = {};
        for (const key of state.keys(new Uint8Array(0))) top[toHex(key)] = toHex(state.get(key)!);
        const doc = { chain: node.spec.id, block: { number: header.number, hash: toHex(hash) }, stateRoot: toHex(header.stateRoot), keys: Object.keys(top).length, genesis: { raw: { top } } };
        process.stdout.write(JSON.stringify(doc, null, 2) + "\n");
      } finally {
        await node.stop();
      }
    });
}
