/** Flags shared by several subcommands. */
import { Option } from "commander";
import { homedir } from "node:os";
import { join } from "node:path";

export const DEFAULT_BASE_PATH = join(homedir(), ".local", "share", "subtensor-ts");

export const chainOption = () =>
  new Option("--chain <spec>", "chain spec: `dev` (one authority), `local` (4-authority local testnet) or a path to a JSON chain spec (see genesis.json)").default("dev");
export const devOption = () => new Option("--dev", "development chain: --chain dev, --authority //Alice, and data in a temporary-friendly base path");
export const basePathOption = () => new Option("-d, --base-path <dir>", "where the node keeps its data").env("SUBTENSOR_TS_BASE_PATH");

export function resolveBasePath(opts: { basePath?: string; dev?: boolean }): string {
  if (opts.basePath) return opts.basePath;
  return opts.dev ? join(process.cwd(), ".devnet") : DEFAULT_BASE_PATH;
}
