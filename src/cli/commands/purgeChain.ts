/** `subtensor-ts purge-chain`: delete a chain's database (the way to reset a devnet). */
import { Command } from "commander";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline/promises";
import { basePathOption, chainOption, devOption, resolveBasePath } from "./shared.js";

export function purgeChainCommand(): Command {
  return new Command("purge-chain")
    .description("remove the whole chain database of a chain")
    .addOption(chainOption())
    .addOption(devOption())
    .addOption(basePathOption())
    .option("-y, --yes", "do not ask for confirmation")
    .action(async (o: { chain: string; dev?: boolean; basePath?: string; yes?: boolean }) => {
      const [{ Node }, { resolveChainSpec }, { purgeDatabase, removePurgeLeftovers }] = await Promise.all([
        import("../../node/node.js"),
        import("../../chain/spec.js"),
        import("../../chain/db/purge.js"),
      ]);
      const spec = await resolveChainSpec(o.dev ? "dev" : o.chain);
      const path = Node.dbPath(resolveBasePath(o), spec.id);
      if (!existsSync(path)) {
        removePurgeLeftovers(path);
        console.log(`${path} does not exist`);
        return;
      }
      if (!o.yes) {
        if (!process.stdin.isTTY) throw new Error("refusing to purge without confirmation: pass --yes");
        const rl = createInterface({ input: process.stdin, output: process.stdout });
        const answer = await rl.question(`Are you sure to remove "${path}"? [y/N]: `);
        rl.close();
        if (!/^y(es)?$/i.test(answer.trim())) {
          console.log("Aborted");
          return;
        }
      }
      // crash-safe: a kill at any moment leaves the whole database or none of it
      await purgeDatabase(path);
      console.log(`"${path}" removed.`);
    });
}
