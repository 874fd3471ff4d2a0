#!/usr/bin/env node
/** The subtensor-ts command line: one subcommand (or subcommand group) per file in ./commands. */
import "../util/polyfill.js";
import { Command } from "commander";
import { NODE_VERSION } from "../node/options.js";
import { startCommand } from "./commands/start.js";
import { keyCommand } from "./commands/key.js";
import { buildSpecCommand } from "./commands/buildSpec.js";
import { purgeChainCommand } from "./commands/purgeChain.js";
import { yumaCommand } from "./commands/yuma.js";
import { walletCommand } from "./commands/wallet.js";
import { subnetCommand } from "./commands/subnet.js";
import { rootCommand } from "./commands/root.js";
import { stakeCommand } from "./commands/stake.js";
import { delegateCommand } from "./commands/delegate.js";
import { weightsCommand } from "./commands/weights.js";
import { axonCommand } from "./commands/axon.js";
import { sudoCommand } from "./commands/sudo.js";
import { exportBlocksCommand } from "./commands/exportBlocks.js";
import { importBlocksCommand } from "./commands/importBlocks.js";
import { checkBlockCommand } from "./commands/checkBlock.js";
import { exportStateCommand } from "./commands/exportState.js";
import { CliError } from "./client/cliError.js";

export function buildProgram(): Command {
  const program = new Command("subtensor-ts")
    .description("A Subtensor-style blockchain node and its btcli-style client: Substrate wire formats, LevelDB state, Yuma consensus")
    .version(NODE_VERSION)
    .showHelpAfterError();
  program.addCommand(startCommand(), { isDefault: true });
  program.addCommand(keyCommand());
  program.addCommand(buildSpecCommand());
  program.addCommand(purgeChainCommand());
  program.addCommand(exportBlocksCommand());
  program.addCommand(importBlocksCommand());
  program.addCommand(checkBlockCommand());
  program.addCommand(exportStateCommand());
  program.addCommand(yumaCommand());
  program.addCommand(walletCommand());
  program.addCommand(subnetCommand());
  program.addCommand(rootCommand());
  program.addCommand(stakeCommand());
  program.addCommand(delegateCommand());
  program.addCommand(weightsCommand());
  program.addCommand(axonCommand());
  program.addCommand(sudoCommand());
  return program;
}

/** Expected failures (bad input, chain refusals) print their message and next step; anything else is a bug. */
function reportError(e: unknown): void {
  const json = process.argv.includes("--json");
  if (e instanceof CliError) {
    if (json) process.stdout.write(JSON.stringify({ success: false, error: e.chainError ?? null, message: e.message, hint: e.hint ?? null }, null, 2) + "\n");
    console.error(`Error: ${e.message}`);
    if (e.hint) console.error(`  → ${e.hint}`);
    return;
  }
  const err = e as Error;
  if (json) process.stdout.write(JSON.stringify({ success: false, error: null, message: err.message, hint: null }, null, 2) + "\n");
  console.error(`Error: ${err.message}`);
  if (process.env.DEBUG) console.error(err.stack);
}

buildProgram()
  .parseAsync(process.argv)
  .catch((e: unknown) => {
    reportError(e);
    process.exit(1);
  });
