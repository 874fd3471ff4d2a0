/** `subtensor-ts build-spec`: print a chain spec as JSON (the dev spec, or a validated file). */
import { Command } from "commander";
import { chainOption, devOption } from "./shared.js";

export function buildSpecCommand(): Command {
  return new Command("build-spec")
    .description("print the chain spec as JSON (start from it to write your own genesis.json)")
    .addOption(chainOption())
    .addOption(devOption())
    .action(async (o: { chain: string; dev?: boolean }) => {
      const { resolveChainSpec } = await import("../../chain/spec.js");
      const spec = await resolveChainSpec(o.dev ? "dev" : o.chain);
      process.stdout.write(JSON.stringify(spec, null, 2) + "\n");
    });
}
