#!/usr/bin/env node
/** The subtensor-ts command line: one subcommand per file in ./commands. */
import "../util/polyfill.js";
import { Command } from "commander";
import { NODE_VERSION } from "../node/options.js";
import { startCommand } from "./commands/start.js";
import { keyCommand } from "./commands/key.js";
import { buildSpecCommand } from "./commands/buildSpec.js";
import { purgeChainCommand } from "./commands/purgeChain.js";
import { yumaCommand } from "./commands/yuma.js";

export function buildProgram(): Command {
  const program = new Command("subtensor-ts")
    .description("A Subtensor-style blockchain node: Substrate wire formats, LevelDB state, Yuma consensus")
    .version(NODE_VERSION)
    .showHelpAfterError();
  program.addCommand(startCommand(), { isDefault: true });
  program.addCommand(keyCommand());
  program.addCommand(buildSpecCommand());
  program.addCommand(purgeChainCommand());
  program.addCommand(yumaCommand());
  return program;
}

buildProgram()
  .parseAsync(process.argv)
  .catch((e: Error) => {
    console.error(`Error: ${e.message}`);
    process.exit(1);
  });
