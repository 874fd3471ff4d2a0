/**
 * Opens a node's chain database for the offline tools (export-blocks, import-blocks, check-block,
 * export-state) without starting RPC or authoring. The node must not be running: LevelDB allows
 * one process per database, and the error says so.
 */
import { existsSync } from "node:fs";
import pino from "pino";
import type { Node } from "../../node/node.js";
import { CliError } from "../client/cliError.js";
import { resolveBasePath } from "../commands/shared.js";
import { fromHex } from "../../util/bytes.js";

export interface ChainFlags {
  dev?: boolean;
  chain: string;
  basePath?: string;
  blockTime?: number;
}

/** Logs of the opened node go to stderr (stdout may be carrying a block file or JSON). */
function stderrLogger() {
  return pino({ level: "warn", base: undefined }, pino.destination(2));
}

export async function openChain(f: ChainFlags, opts: { create?: boolean } = {}): Promise<Node> {
  const [{ Node }, { resolveChainSpec }, { DbError }, { P2P_DEFAULTS }] = await Promise.all([
    import("../../node/node.js"),
    import("../../chain/spec.js"),
    import("../../chain/db/chainDb.js"),
    import("../../node/options.js"),
  ]);
  const chain = f.dev ? "dev" : f.chain;
  const spec = await resolveChainSpec(chain, f.blockTime);
  const basePath = resolveBasePath(f);
  const dbPath = Node.dbPath(basePath, spec.id);
  if (!opts.create && !existsSync(dbPath)) throw new CliError(`no chain database at ${dbPath}`, "pass the node's --base-path (and --chain/--dev)");
  try {
    return await Node.create({ spec, basePath, name: "subtensor-ts-tool", logger: stderrLogger(), rpcPort: 0, rpcExternal: false, rpcMethods: "auto", informantIntervalMs: 0, p2p: { ...P2P_DEFAULTS, disabled: true } });
  } catch (e) {
    if (e instanceof DbError && e.type.code === "DB_LOCKED") throw new CliError(`the chain database ${dbPath} is in use by a running node`, "stop the node first (Ctrl-C), then run this command");
    throw e;
  }
}

/** A block by number (`42`) or hash (`0x…`) on the canonical chain; `best` / `finalized` too. */
export function resolveBlock(node: Node, id: string | undefined): Uint8Array {
  const chain = node.chain;
  if (id === undefined || id === "best") return chain.best.hash;
  if (id === "finalized") return chain.finalized.hash;
  if (/^0x[0-9a-fA-F]{64}$/.test(id)) {
    const hash = fromHex(id);
    if (!chain.header(hash)) throw new CliError(`block ${id} is not in this database`);
    return hash;
  }
  if (/^\d+$/.test(id)) {
    const hash = chain.hashAt(Number(id));
    if (!hash) throw new CliError(`there is no block #${id} (best is #${chain.best.number})`);
    return hash;
  }
  throw new CliError(`"${id}" is neither a block number nor a 0x block hash`);
}
