/** What the JSON-RPC layer knows of a caller: one WebSocket connection, or one HTTP request. */
import type { RateLimiter } from "./rateLimit.js";
import type { RpcContext } from "./registry.js";
import type { Subscription } from "./subscriptions.js";

export interface Connection {
  readonly ctx: RpcContext;
  /** Active and starting subscriptions by id; null over HTTP (no subscriptions there). */
  readonly subs: Map<string, Subscription> | null;
  /** The calls-per-minute budget of the connection, when `--rpc-rate-limit` is set. */
  readonly limiter?: RateLimiter;
  closed: boolean;
  /** Writes one message (a reply or a notification) to the caller. */
  send(text: string): void;
  /** Bytes written and not yet sent to the caller (WebSocket back-pressure); absent means 0. */
  bufferedBytes?(): number;
}
