/** Runs a read (or a transaction that needs reads) against the node named by the command's flags. */
import type { ApiPromise } from "@polkadot/api";
import { nodeUrl, type NodeFlags } from "./options.js";
import type { ChainReader } from "./chainReader.js";

export async function withReader<T>(f: NodeFlags, fn: (reader: ChainReader, api: ApiPromise) => Promise<T>): Promise<T> {
  const { withApi } = await import("./connect.js");
  const { ChainReader } = await import("./chainReader.js");
  return withApi(nodeUrl(f), (api) => fn(new ChainReader(api), api));
}
