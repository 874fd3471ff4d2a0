/**
 * Binds a node's chain and pool to its metrics: scrape-time gauges read the best block's state
 * (nothing is computed per block that nobody scrapes), and epochs are counted from the EpochRun
 * events of blocks as they become best.
 */
import type { Blockchain, ImportedBlock } from "../chain/blockchain/blockchain.js";
import type { TxPool } from "../chain/txpool/txpool.js";
import type { StorageAccess } from "../chain/state/types.js";
import { NetworksAdded, PendingEmission, SubnetworkN, TotalIssuance } from "../chain/runtime/pallets/subtensor/storage.js";
import { epochNetuids, type NetworkSource, type NodeMetrics } from "./nodeMetrics.js";

export function bindChainMetrics(metrics: NodeMetrics, chain: Blockchain, pool: TxPool, network?: NetworkSource): () => void {
  if (network) metrics.bindNetwork(network);
  metrics.bindChain({
    best: () => chain.best.number,
    finalized: () => chain.finalized.number,
    readyTransactions: () => pool.ready().length,
    poolTransactions: () => pool.size,
    subtensor: () => {
      const trie = chain.bestState();
      // read-only view: `entries` only lists keys and reads values
      const state: StorageAccess = {
        get: (k) => trie.get(k),
        keys: (prefix) => trie.keys(prefix),
        set: () => {
          throw new Error("read-only");
        },
        delete: () => {
          throw new Error("read-only");
        },
      };
      const subnets = NetworksAdded.entries(state)
        .filter((e) => e.value)
        .map((e) => {
          const netuid = e.keys[0] as number;
          return { netuid, pendingEmission: PendingEmission.get(state, netuid), neurons: SubnetworkN.get(state, netuid) };
        });
      return { totalIssuance: TotalIssuance.get(state), subnets };
    },
  });
  const onImported = (block: ImportedBlock): void => {
    if (!block.isBest) return;
    for (const netuid of epochNetuids(block.events)) metrics.epochs.inc({ netuid: String(netuid) });
  };
  chain.on("imported", onImported);
  return () => chain.off("imported", onImported);
}
