/** What the transports need from the server they serve: the dispatcher, policies, limits, counters. */
import type http from "node:http";
import type { Logger } from "../../util/logger.js";
import type { Dispatcher } from "../dispatch.js";
import type { RpcContext } from "../registry.js";
import type { CorsPolicy } from "./policy.js";

export interface HealthInfo {
  isSyncing: boolean;
  peers: number;
  shouldHavePeers: boolean;
}

export interface TransportLimits {
  maxRequestBytes: number;
  maxConnections: number;
  /** calls per minute per connection; undefined = unlimited */
  rateLimitPerMinute?: number;
  maxBufferedBytes: number;
  /** unsent WS output of all connections together; beyond it the most backlogged is dropped */
  maxTotalBufferedBytes: number;
  wsPingIntervalMs: number;
}

export interface TransportHost {
  readonly log: Logger;
  readonly dispatcher: Dispatcher;
  readonly cors: CorsPolicy;
  readonly limits: TransportLimits;
  isStopping(): boolean;
  /** Open WS connections + upgrades in progress + in-flight HTTP requests. */
  connectionCount(): number;
  makeContext(transport: "http" | "ws", req: http.IncomingMessage): RpcContext;
  health(req: http.IncomingMessage): Promise<HealthInfo>;
}

export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";
export const MIB = 1024 * 1024;
/** jsonrpsee's text for a refused connection (`data` of our -32009). */
export const TOO_MANY_CONNECTIONS = "Too many connections. Please try again later.";
