/** Node options with their defaults in one place; the CLI maps its flags onto these. */
import type { Logger } from "../util/logger.js";
import type { ChainSpec } from "../chain/spec.js";

export const NODE_VERSION = "0.1.0";

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
  /** SURI of the Aura key this node authors with (e.g. //Alice); none = not an authority */
  authoritySuri?: string;
  /** signature verification worker threads; default: one per core */
  verifierWorkers?: number;
  /** Prometheus exporter (`/metrics`); absent = off. The CLI turns it on at 9615 by default. */
  prometheus?: { port: number; external: boolean };
  /** The browser dashboard on its own port; absent = off. */
  dashboard?: { port: number; external: boolean };
  /** Period of the `Idle (…) best: #…` status line; 0 = off. Default 5000 (Substrate's). */
  informantIntervalMs?: number;
}

export const NODE_DEFAULTS = {
  rpcPort: 9944,
  rpcExternal: false,
  rpcMethods: "auto" as const,
  name: "subtensor-ts",
  prometheusPort: 9615,
  dashboardPort: 9616,
};
