/** Node options with their defaults in one place; the CLI maps its flags onto these. */
import type { Logger } from "../util/logger.js";
import type { ChainSpec } from "../chain/spec.js";
import type { PeeringOptions } from "../p2p/network.js";
import type { TopicRates } from "../p2p/protocols.js";
import type { DbOptions } from "../chain/db/options.js";
import type { TrieCacheOptions } from "../chain/trie/cacheOptions.js";

export const NODE_VERSION = "0.1.0";

export interface P2pOptions extends PeeringOptions {
  /** no networking at all: a lone node */
  disabled: boolean;
  /** 32-byte ed25519 secret as hex (Substrate's --node-key) */
  nodeKeyHex?: string;
  nodeKeyFile?: string;
  /** per-peer gossip rates (tests only; no flag: every node of a network must agree on them) */
  gossipRates?: Partial<TopicRates>;
}

export interface NodeOptions {
  spec: ChainSpec;
  basePath: string;
  name: string;
  logger: Logger;
  rpcPort: number;
  /** listen on all interfaces instead of 127.0.0.1 */
  rpcExternal: boolean;
  rpcCors?: string[] | "all" | "none";
  rpcMethods: "safe" | "unsafe" | "auto";
  rpcMaxConnections?: number;
  /** largest request body / WS message, in MiB (Substrate's --rpc-max-request-size) */
  rpcMaxRequestSize?: number;
  /** largest response, in MiB (Substrate's --rpc-max-response-size) */
  rpcMaxResponseSize?: number;
  rpcMaxSubscriptionsPerConnection?: number;
  rpcMaxBatchRequestLen?: number;
  /** calls per minute per connection (Substrate's --rpc-rate-limit); none = unlimited */
  rpcRateLimit?: number;
  /** SURI of the authority keys (e.g. //Alice: sr25519 Aura key and ed25519 finality key); none = not an authority */
  authoritySuri?: string;
  /** signature verification worker threads; default: one per core */
  verifierWorkers?: number;
  p2p: P2pOptions;
  /** Prometheus exporter (`/metrics`); absent = off. The CLI turns it on at 9615 by default. */
  prometheus?: { port: number; external: boolean };
  /** The browser dashboard on its own port; absent = off. */
  dashboard?: { port: number; external: boolean };
  /** Period of the `Idle (…) best: #…` status line; 0 = off. Default 5000 (Substrate's). */
  informantIntervalMs?: number;
  /** LevelDB's tuning (table files open and mmapped at once, caches); default DEFAULT_DB_OPTIONS */
  db?: Partial<DbOptions>;
  /** the state caches: decoded trie nodes (count) and storage values of the best state (bytes); defaults in trieDb.ts */
  trieCache?: TrieCacheOptions;
}

export const DEFAULT_P2P_PORT = 30333;

export const P2P_DEFAULTS: P2pOptions = {
  disabled: false,
  listenAddrs: [`/ip4/0.0.0.0/tcp/${DEFAULT_P2P_PORT}`],
  publicAddrs: [],
  bootnodes: [],
  reservedNodes: [],
  reservedOnly: false,
  maxPeers: 50,
  discoverLocal: false,
};

export const NODE_DEFAULTS = {
  rpcPort: 9944,
  rpcExternal: false,
  rpcMethods: "auto" as const,
  name: "subtensor-ts",
  p2pPort: DEFAULT_P2P_PORT,
  maxPeers: P2P_DEFAULTS.maxPeers,
  prometheusPort: 9615,
  dashboardPort: 9616,
};
