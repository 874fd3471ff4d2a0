/**
 * The JSON-RPC 2.0 server: HTTP POST and WebSocket on one port. This file holds the options and
 * their defaults, the lifecycle (start, stop) and the connection counting; the parts live beside it:
 *
 * - transport/http.ts, transport/ws.ts — the two transports (CORS, health, body and message limits,
 *   upgrade, keep-alive, back-pressure), transport/policy.ts — origins, local callers, content types;
 * - dispatch.ts — JSON-RPC processing (requests, batches, errors, limits per call);
 * - subscriptions.ts — subscriptions of a connection; rateLimit.ts — calls per minute.
 *
 * Behaviour mirrors jsonrpsee (Substrate's RPC server library) in its error codes and edge cases
 * (see each part); chain logic lives in the registered handlers (registry.ts, methods/).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { Logger } from "../util/logger.js";
import { Dispatcher } from "./dispatch.js";
import type { RpcContext, RpcRegistry } from "./registry.js";
import { HttpTransport } from "./transport/http.js";
import { WsTransport } from "./transport/ws.js";
import { CorsPolicy, DEFAULT_CORS_ORIGINS, defaultIsLocal } from "./transport/policy.js";
import { MIB, type HealthInfo, type TransportHost, type TransportLimits } from "./transport/host.js";

export { DEFAULT_CORS_ORIGINS };
export type { HealthInfo };

export interface RpcServerOptions {
  host: string;
  /** 0 = a random free port (see `start()`'s result). */
  port: number;
  /**
   * Allowed browser origins (Substrate's `--rpc-cors`): a list of origins where `*` is a wildcard
   * and a trailing `:*` means "any or no port"; `"all"` allows any origin; `"none"` allows none.
   * Requests without an `Origin` header (non-browser clients) are always allowed.
   * Default: Substrate's non-dev list, {@link DEFAULT_CORS_ORIGINS}.
   */
  cors?: string[] | "all" | "none";
  /** Largest request body / WS message; default 15 MiB (Substrate's `--rpc-max-request-size` 15). */
  maxRequestBytes?: number;
  /** Largest response; default 15 MiB (Substrate's `--rpc-max-response-size` 15). */
  maxResponseBytes?: number;
  /** Open WS connections plus in-flight HTTP requests; default 100 (Substrate's `--rpc-max-connections`). */
  maxConnections?: number;
  /** Default 1024 (Substrate's `--rpc-max-subscriptions-per-connection`). */
  maxSubscriptionsPerConnection?: number;
  /** Largest batch; default unlimited (Substrate's `--rpc-max-batch-request-len`). */
  maxBatchLength?: number;
  /** Calls per minute per connection (Substrate's `--rpc-rate-limit`); default unlimited. */
  rateLimitPerMinute?: number;
  /** `"auto"` (default): unsafe methods allowed for local connections only. */
  rpcMethods?: "safe" | "unsafe" | "auto";
  /** Served at `GET /health` and `/health/readiness`; default: the registry's `system_health`, else idle values. */
  health?: () => HealthInfo | Promise<HealthInfo>;
  /**
   * WS keep-alive: a ping every interval; a socket that has not answered (pong or any message)
   * by the next tick is dropped. Default 30 000 ms (Substrate pings every 30 s); 0 disables.
   */
  wsPingIntervalMs?: number;
  /** A WS connection whose unsent output exceeds this is dropped (slow consumer). Default 64 MiB. */
  maxBufferedBytes?: number;
  /**
   * Unsent WS output of all connections together; beyond it the most backlogged connection is
   * dropped, so slow consumers cannot hold maxConnections × maxBufferedBytes. Default 128 MiB.
   */
  maxTotalBufferedBytes?: number;
  /**
   * Decides `RpcContext.isLocal` (used by `rpcMethods: "auto"`). Default: the peer is a loopback
   * address and the request carries no `Forwarded`/`X-Forwarded-For`/`X-Real-IP` header.
   */
  isLocal?: (remoteAddress: string | undefined, headers: http.IncomingHttpHeaders) => boolean;
}

export interface RpcServerModules {
  registry: RpcRegistry;
  logger: Logger;
}

export const RPC_SERVER_DEFAULTS = {
  maxRequestBytes: 15 * MIB,
  maxResponseBytes: 15 * MIB,
  maxConnections: 100,
  maxSubscriptionsPerConnection: 1024,
  wsPingIntervalMs: 30_000,
  maxBufferedBytes: 64 * MIB,
  maxTotalBufferedBytes: 128 * MIB,
  rpcMethods: "auto",
} as const;

function checkPositive(opts: RpcServerOptions): void {
  const keys = ["maxRequestBytes", "maxResponseBytes", "maxConnections", "maxSubscriptionsPerConnection", "maxBatchLength", "maxBufferedBytes", "maxTotalBufferedBytes", "rateLimitPerMinute"] as const;
  for (const name of keys) {
    const v = opts[name];
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new Error(`RpcServer: ${name} must be a positive integer`);
  }
}

export class RpcServer {
  private readonly opts: RpcServerOptions;
  private readonly registry: RpcRegistry;
  private readonly log: Logger;
  private readonly host: TransportHost;
  private readonly httpTransport: HttpTransport;
  private readonly wsTransport: WsTransport;
  private readonly isLocalFn: NonNullable<RpcServerOptions["isLocal"]>;
  private httpServer: http.Server | undefined;
  private nextConnId = 1;
  private started = false;
  private stopping = false;
  private stopPromise: Promise<void> | undefined;

  constructor(opts: RpcServerOptions, modules: RpcServerModules) {
    checkPositive(opts);
    this.opts = opts;
    this.registry = modules.registry;
    this.log = modules.logger.child({ module: "rpc" });
    this.isLocalFn = opts.isLocal ?? defaultIsLocal;
    const D = RPC_SERVER_DEFAULTS;
    const limits: TransportLimits = {
      maxRequestBytes: opts.maxRequestBytes ?? D.maxRequestBytes,
      maxConnections: opts.maxConnections ?? D.maxConnections,
      rateLimitPerMinute: opts.rateLimitPerMinute,
      maxBufferedBytes: opts.maxBufferedBytes ?? D.maxBufferedBytes,
      maxTotalBufferedBytes: opts.maxTotalBufferedBytes ?? D.maxTotalBufferedBytes,
      wsPingIntervalMs: opts.wsPingIntervalMs ?? D.wsPingIntervalMs,
    };
    const dispatcher = new Dispatcher(
      {
        maxResponseBytes: opts.maxResponseBytes ?? D.maxResponseBytes,
        maxBatchLength: opts.maxBatchLength,
        maxSubscriptionsPerConnection: opts.maxSubscriptionsPerConnection ?? D.maxSubscriptionsPerConnection,
        rpcMethods: opts.rpcMethods ?? D.rpcMethods,
      },
      this.registry,
      this.log,
    );
    this.host = {
      log: this.log,
      dispatcher,
      cors: new CorsPolicy(opts.cors),
      limits,
      isStopping: () => this.stopping,
      connectionCount: () => this.connectionCount,
      makeContext: (transport, req) => this.makeContext(transport, req),
      health: (req) => this.health(req),
    };
    this.httpTransport = new HttpTransport(this.host);
    this.wsTransport = new WsTransport(this.host);
  }

  /** Listens on host:port; resolves with the bound port (useful with port 0). */
  async start(): Promise<{ port: number }> {
    if (this.started || this.stopPromise !== undefined) throw new Error("RpcServer already started or stopped");
    this.started = true;
    const server = http.createServer((req, res) => this.httpTransport.handle(req, res));
    server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => this.wsTransport.handleUpgrade(req, socket, head));
    this.httpServer = server;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      server.once("error", onError);
      server.listen(this.opts.port, this.opts.host, () => {
        server.off("error", onError);
        resolve();
      });
    });
    server.on("error", (err) => this.log.error({ err }, "RPC server error"));
    this.wsTransport.startKeepAlive();
    const port = (server.address() as AddressInfo).port;
    this.log.info({ host: this.opts.host, port, cors: this.host.cors.description, rpcMethods: this.opts.rpcMethods ?? RPC_SERVER_DEFAULTS.rpcMethods }, "Running JSON-RPC server");
    return { port };
  }

  /** Closes every socket and ends every subscription. Idempotent. */
  stop(): Promise<void> {
    this.stopPromise ??= this.doStop();
    return this.stopPromise;
  }

  /** Open WS connections + upgrades in progress + in-flight HTTP requests. */
  get connectionCount(): number {
    return this.wsTransport.openCount + this.wsTransport.pendingUpgrades + this.httpTransport.inFlight;
  }

  private async doStop(): Promise<void> {
    this.stopping = true;
    const server = this.httpServer;
    if (server === undefined) return;
    const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await this.wsTransport.closeAll();
    server.closeAllConnections();
    await httpClosed;
    this.log.info("JSON-RPC server stopped");
  }

  private makeContext(transport: "http" | "ws", req: http.IncomingMessage): RpcContext {
    const remoteAddress = req.socket.remoteAddress;
    const ctx: RpcContext = { connectionId: `${transport}-${this.nextConnId++}`, transport, isLocal: this.isLocalFn(remoteAddress, req.headers) };
    if (remoteAddress !== undefined) ctx.remoteAddress = remoteAddress;
    return ctx;
  }

  private async health(req: http.IncomingMessage): Promise<HealthInfo> {
    let raw: unknown;
    if (this.opts.health !== undefined) raw = await this.opts.health();
    else {
      const entry = this.registry.lookup("system_health");
      raw = entry?.kind === "method" ? await entry.def.handler([], this.makeContext("http", req)) : { isSyncing: false, peers: 0, shouldHavePeers: false };
    }
    const h = (raw ?? {}) as Partial<HealthInfo>;
    return { isSyncing: Boolean(h.isSyncing), peers: Number(h.peers ?? 0), shouldHavePeers: Boolean(h.shouldHavePeers) };
  }
}
