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
  /** largest request body / WS message, in MiB (Substrate's --rpc-max-request-size) */
  rpcMaxRequestSize?: number;
  /** largest response, in MiB (Substrate's --rpc-max-response-size) */
  rpcMaxResponseSize?: number;
  rpcMaxSubscriptionsPerConnection?: number;
  rpcMaxBatchRequestLen?: number;
  /** calls per minute per connection (Substrate's --rpc-rate-limit); none = unlimited */
  rpcRateLimit?: number;
  /** SURI of the Aura key this node authors with (e.g. //Alice); none = not an authority */
  authoritySuri?: string;
  /** signature verification worker threads; default: one per core */
  verifierWorkers?: number;
}

export const NODE_DEFAULTS = {
  rpcPort: 9944,
  rpcExternal: false,
  rpcMethods: "auto" as const,
  name: "subtensor-ts",
};
