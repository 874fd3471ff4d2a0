/**
 * JSON-RPC 2.0 server: HTTP POST and WebSocket on one port, single and batch requests,
 * subscriptions, limits, CORS, `/health`. Mirrors jsonrpsee (Substrate's RPC server library) in
 * its error codes/messages and edge cases (see errors.ts); chain logic lives in the registered
 * handlers (registry.ts, methods/).
 *
 * jsonrpsee behaviours reproduced here (paritytech/jsonrpsee `server/src/server.rs`
 * `handle_rpc_call`, `server/src/middleware/rpc.rs`, `server/src/transport/{http,ws}.rs`):
 * - invalid JSON → -32700 (id null); an invalid request object → -32600 (its id if readable);
 * - an empty batch → one -32600 object (not an array); a batch longer than `maxBatchLength` →
 *   -32010; a batch response over `maxResponseBytes` → -32011; a single response over it → -32008;
 * - notifications (no `id` member) are not answered, and, as in jsonrpsee, not executed; a batch of
 *   only notifications gets no reply (HTTP: 200 with an empty body);
 * - subscribe/unsubscribe over HTTP → -32603 "Internal error";
 * - unsubscribe → `true`, or `false` for an unknown id or unparsable params;
 * - subscription limit per connection → -32006; unsafe method refused → -32601 "RPC call is unsafe
 *   to be called externally" (Substrate's DenyUnsafe);
 * - HTTP: 405 for non-POST, 415 for a non-JSON content type, 413 + -32007 for an oversized body,
 *   429 "Too many connections. Please try again later." over `maxConnections`;
 * - WebSocket: an oversized message gets a -32007 reply (id null) and the connection stays open
 *   (messages beyond maxRequestBytes + min(maxRequestBytes, 1 MiB) close it with 1009, a `ws` limit);
 * - subscription ids: 16 random chars (jsonrpsee's RandomStringIdProvider(16), base58 alphabet here).
 *
 * Deliberate differences: a JSON value that is neither an object nor an array is -32600 (as the
 * JSON-RPC spec says; jsonrpsee answers -32700); a disallowed `Origin` gets HTTP 403 (Substrate's
 * CORS layer only withholds the CORS headers).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { randomInt } from "node:crypto";
import { performance } from "node:perf_hooks";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import type { Logger } from "../util/logger.js";
import {
  RpcError,
  internalError,
  invalidParams,
  invalidRequest,
  methodNotFound,
  oversizedRequest,
  oversizedResponse,
  parseError,
  tooBigBatchRequest,
  tooBigBatchResponse,
  tooManySubscriptions,
  unsafeRpcCall,
  type RpcErrorObject,
} from "./errors.js";
import { parseParams } from "./params.js";
import type { RpcContext, RpcRegistry, RpcSubscriptionDef, SubscriptionSink } from "./registry.js";

export interface HealthInfo {
  isSyncing: boolean;
  peers: number;
  shouldHavePeers: boolean;
}

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
   * Decides `RpcContext.isLocal` (used by `rpcMethods: "auto"`). Default: the peer is a loopback
   * address and the request carries no `Forwarded`/`X-Forwarded-For`/`X-Real-IP` header.
   */
  isLocal?: (remoteAddress: string | undefined, headers: http.IncomingHttpHeaders) => boolean;
}

export interface RpcServerModules {
  registry: RpcRegistry;
  logger: Logger;
}

const MIB = 1024 * 1024;

export const RPC_SERVER_DEFAULTS = {
  maxRequestBytes: 15 * MIB,
  maxResponseBytes: 15 * MIB,
  maxConnections: 100,
  maxSubscriptionsPerConnection: 1024,
  wsPingIntervalMs: 30_000,
  maxBufferedBytes: 64 * MIB,
  rpcMethods: "auto",
} as const;

/** Substrate's default `--rpc-cors` outside `--dev` (polkadot-sdk `sc-cli` RunCmd::rpc_cors). */
export const DEFAULT_CORS_ORIGINS: readonly string[] = [
  "http://localhost:*",
  "http://127.0.0.1:*",
  "http://[::1]:*",
  "https://localhost:*",
  "https://127.0.0.1:*",
  "https://[::1]:*",
  "https://polkadot.js.org",
];

const JSON_CONTENT_TYPE = "application/json; charset=utf-8";
const SUB_ID_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const SUB_ID_LENGTH = 16;
/** How long `stop()` waits for a WS close handshake before cutting the socket. */
const WS_CLOSE_GRACE_MS = 1000;

type JsonRpcId = string | number | null;

/** One WS connection, or one HTTP request (which has no subscriptions). */
interface Connection {
  readonly ctx: RpcContext;
  /** Active and starting subscriptions by id; null over HTTP. */
  readonly subs: Map<string, Subscription> | null;
  closed: boolean;
  send(text: string): void;
}

interface WsConnection extends Connection {
  readonly subs: Map<string, Subscription>;
  readonly ws: WebSocket;
  alive: boolean;
}

interface Processed {
  /** The reply to write; undefined when nothing is to be sent (notifications). */
  body?: string;
  /** Subscriptions started by this message: activated once `body` is written. */
  created: Subscription[];
}

class Subscription implements SubscriptionSink {
  /** Notifications held back until the id reply is written; null once active. */
  private queue: string[] | null = [];
  private handle: { stop(): void } | undefined;
  private stopCalled = false;
  private ended = false;
  private closeRequested = false;

  constructor(
    readonly id: string,
    readonly def: RpcSubscriptionDef,
    private readonly conn: Connection,
    private readonly server: RpcServer,
  ) {}

  get closed(): boolean {
    return this.ended || this.closeRequested;
  }

  emit(result: unknown): void {
    if (this.closed) return;
    const msg = this.server.encodeNotification(this.def.notification, this.id, result);
    if (msg === undefined) return;
    if (this.queue !== null) this.queue.push(msg);
    else this.conn.send(msg);
  }

  close(): void {
    if (this.closed) return;
    // still waiting for the id reply: deliver what is queued first, then end
    if (this.queue !== null) this.closeRequested = true;
    else this.end();
  }

  /** The handle from `start()`; stops it at once if the subscription already ended meanwhile. */
  setHandle(handle: { stop(): void }): void {
    this.handle = handle;
    if (this.ended) this.callStop();
  }

  /** The id reply has been written: flush queued notifications. */
  activate(): void {
    if (this.ended || this.queue === null) return;
    const queued = this.queue;
    this.queue = null;
    for (const msg of queued) this.conn.send(msg);
    if (this.closeRequested) this.end();
  }

  /** Ends the subscription: forget it and call `stop()` (once). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue = null;
    if (this.conn.subs?.get(this.id) === this) this.conn.subs.delete(this.id);
    this.callStop();
  }

  private callStop(): void {
    if (this.stopCalled || this.handle === undefined) return;
    this.stopCalled = true;
    try {
      this.handle.stop();
    } catch (err) {
      this.server.logStopError(this.def.subscribe, err);
    }
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isLoopback(addr: string | undefined): boolean {
  if (addr === undefined) return false;
  if (addr === "::1") return true;
  const v4 = addr.startsWith("::ffff:") ? addr.slice(7) : addr;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

function defaultIsLocal(addr: string | undefined, headers: http.IncomingHttpHeaders): boolean {
  return (
    isLoopback(addr) &&
    headers["forwarded"] === undefined &&
    headers["x-forwarded-for"] === undefined &&
    headers["x-real-ip"] === undefined
  );
}

/** `http://localhost:*` → matches `http://localhost` and `http://localhost:3000`; other `*` match a host label run. */
function compileOrigin(pattern: string): RegExp {
  const p = pattern.trim().replace(/\/+$/, "").toLowerCase();
  let src = "";
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === ":" && p[i + 1] === "*" && i + 2 === p.length) {
      src += "(?::\\d{1,5})?";
      break;
    }
    src += c === "*" ? "[a-z0-9.-]*" : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${src}$`);
}

/** jsonrpsee accepts application/json and application/json-rpc (optionally `; charset=utf-8`). */
function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const [type, ...rest] = value.split(";").map((s) => s.trim().toLowerCase());
  if (type !== "application/json" && type !== "application/json-rpc") return false;
  return rest.every((param) => param === "" || param === "charset=utf-8");
}

function rawDataToBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Keep logged method names short: they are client-controlled. */
const logName = (method: string): string => (method.length > 100 ? `${method.slice(0, 100)}…` : method);

export class RpcServer {
  private readonly opts: Required<
    Omit<RpcServerOptions, "cors" | "maxBatchLength" | "health" | "isLocal">
  > & { maxBatchLength?: number };
  private readonly registry: RpcRegistry;
  private readonly log: Logger;
  private readonly corsAll: boolean;
  private readonly corsPatterns: RegExp[];
  private readonly corsDescription: string;
  private readonly healthFn?: () => HealthInfo | Promise<HealthInfo>;
  private readonly isLocalFn: (addr: string | undefined, headers: http.IncomingHttpHeaders) => boolean;

  private httpServer: http.Server | undefined;
  private wss: WebSocketServer | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private readonly wsConns = new Set<WsConnection>();
  private pendingUpgrades = 0;
  private httpInFlight = 0;
  private nextConnId = 1;
  private started = false;
  private stopping = false;
  private stopPromise: Promise<void> | undefined;

  constructor(opts: RpcServerOptions, modules: RpcServerModules) {
    const positive = (name: string, v: number | undefined): void => {
      if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new Error(`RpcServer: ${name} must be a positive integer`);
    };
    positive("maxRequestBytes", opts.maxRequestBytes);
    positive("maxResponseBytes", opts.maxResponseBytes);
    positive("maxConnections", opts.maxConnections);
    positive("maxSubscriptionsPerConnection", opts.maxSubscriptionsPerConnection);
    positive("maxBatchLength", opts.maxBatchLength);
    positive("maxBufferedBytes", opts.maxBufferedBytes);

    this.opts = {
      host: opts.host,
      port: opts.port,
      maxRequestBytes: opts.maxRequestBytes ?? RPC_SERVER_DEFAULTS.maxRequestBytes,
      maxResponseBytes: opts.maxResponseBytes ?? RPC_SERVER_DEFAULTS.maxResponseBytes,
      maxConnections: opts.maxConnections ?? RPC_SERVER_DEFAULTS.maxConnections,
      maxSubscriptionsPerConnection:
        opts.maxSubscriptionsPerConnection ?? RPC_SERVER_DEFAULTS.maxSubscriptionsPerConnection,
      maxBatchLength: opts.maxBatchLength,
      rpcMethods: opts.rpcMethods ?? RPC_SERVER_DEFAULTS.rpcMethods,
      wsPingIntervalMs: opts.wsPingIntervalMs ?? RPC_SERVER_DEFAULTS.wsPingIntervalMs,
      maxBufferedBytes: opts.maxBufferedBytes ?? RPC_SERVER_DEFAULTS.maxBufferedBytes,
    };
    this.registry = modules.registry;
    this.log = modules.logger.child({ module: "rpc" });
    this.healthFn = opts.health;
    this.isLocalFn = opts.isLocal ?? defaultIsLocal;

    const cors = opts.cors ?? DEFAULT_CORS_ORIGINS;
    if (cors === "all" || (Array.isArray(cors) && cors.some((o) => o.trim() === "*" || o.trim() === "all"))) {
      this.corsAll = true;
      this.corsPatterns = [];
      this.corsDescription = "*";
    } else {
      const list = cors === "none" ? [] : cors.filter((o) => o.trim() !== "");
      this.corsAll = false;
      this.corsPatterns = list.map(compileOrigin);
      this.corsDescription = list.length === 0 ? "none" : list.join(",");
    }
  }

  /** Listens on host:port; resolves with the bound port (useful with port 0). */
  async start(): Promise<{ port: number }> {
    if (this.started || this.stopPromise !== undefined) throw new Error("RpcServer already started or stopped");
    this.started = true;
    const { maxRequestBytes } = this.opts;

    const server = http.createServer((req, res) => this.onHttpRequest(req, res));
    const wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      // slack above the limit so a slightly oversized message gets a -32007 reply, as in jsonrpsee
      maxPayload: maxRequestBytes + Math.min(maxRequestBytes, MIB),
    });
    server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
    this.httpServer = server;
    this.wss = wss;

    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      server.once("error", onError);
      server.listen(this.opts.port, this.opts.host, () => {
        server.off("error", onError);
        resolve();
      });
    });
    server.on("error", (err) => this.log.error({ err }, "RPC server error"));

    if (this.opts.wsPingIntervalMs > 0) {
      this.pingTimer = setInterval(() => this.pingAll(), this.opts.wsPingIntervalMs);
      this.pingTimer.unref();
    }

    const port = (server.address() as AddressInfo).port;
    this.log.info(
      { host: this.opts.host, port, cors: this.corsDescription, rpcMethods: this.opts.rpcMethods },
      "Running JSON-RPC server",
    );
    return { port };
  }

  /** Closes every socket and ends every subscription. Idempotent. */
  stop(): Promise<void> {
    this.stopPromise ??= this.doStop();
    return this.stopPromise;
  }

  /** Open WS connections + upgrades in progress + in-flight HTTP requests. */
  get connectionCount(): number {
    return this.wsConns.size + this.pendingUpgrades + this.httpInFlight;
  }

  private async doStop(): Promise<void> {
    this.stopping = true;
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    const server = this.httpServer;
    if (server === undefined) return;

    const wsClosed = [...this.wsConns].map(
      (conn) =>
        new Promise<void>((resolve) => {
          this.closeConnection(conn);
          if (conn.ws.readyState === WebSocket.CLOSED) return resolve();
          const timer = setTimeout(() => conn.ws.terminate(), WS_CLOSE_GRACE_MS);
          conn.ws.once("close", () => {
            clearTimeout(timer);
            resolve();
          });
          conn.ws.close(1001, "Server is shutting down");
        }),
    );
    const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await Promise.all(wsClosed);
    server.closeAllConnections();
    await httpClosed;
    this.wss?.close();
    this.log.info("JSON-RPC server stopped");
  }

  // ---------------------------------------------------------------- policy

  private allowUnsafe(ctx: RpcContext): boolean {
    return this.opts.rpcMethods === "unsafe" || (this.opts.rpcMethods === "auto" && ctx.isLocal);
  }

  private originAllowed(origin: string): boolean {
    if (this.corsAll) return true;
    const o = origin.toLowerCase();
    return this.corsPatterns.some((re) => re.test(o));
  }

  private makeContext(transport: "http" | "ws", req: http.IncomingMessage): RpcContext {
    const remoteAddress = req.socket.remoteAddress;
    const ctx: RpcContext = {
      connectionId: `${transport}-${this.nextConnId++}`,
      transport,
      isLocal: this.isLocalFn(remoteAddress, req.headers),
    };
    if (remoteAddress !== undefined) ctx.remoteAddress = remoteAddress;
    return ctx;
  }

  // ---------------------------------------------------------------- encoding

  private encodeError(id: JsonRpcId, err: RpcError): string {
    try {
      return JSON.stringify({ jsonrpc: "2.0", error: err.toJSON(), id });
    } catch {
      // unserializable `data` (e.g. a bigint): send the error without it
      const bare: RpcErrorObject = { code: err.code, message: err.message };
      return JSON.stringify({ jsonrpc: "2.0", error: bare, id });
    }
  }

  private encodeResult(id: JsonRpcId, result: unknown, method: string): string {
    let body: string;
    try {
      body = JSON.stringify({ jsonrpc: "2.0", result: result === undefined ? null : result, id });
    } catch (err) {
      this.log.warn({ method: logName(method), err }, "RPC result is not serializable");
      return this.encodeError(id, internalError());
    }
    if (Buffer.byteLength(body) > this.opts.maxResponseBytes) {
      return this.encodeError(id, oversizedResponse(this.opts.maxResponseBytes));
    }
    return body;
  }

  /** @internal used by Subscription */
  encodeNotification(method: string, subscription: string, result: unknown): string | undefined {
    let msg: string;
    try {
      msg = JSON.stringify({
        jsonrpc: "2.0",
        method,
        params: { subscription, result: result === undefined ? null : result },
      });
    } catch (err) {
      this.log.warn({ notification: method, err }, "RPC notification is not serializable; dropped");
      return undefined;
    }
    if (Buffer.byteLength(msg) > this.opts.maxResponseBytes) {
      this.log.warn({ notification: method, limit: this.opts.maxResponseBytes }, "RPC notification too big; dropped");
      return undefined;
    }
    return msg;
  }

  /** @internal used by Subscription */
  logStopError(subscribe: string, err: unknown): void {
    this.log.warn({ method: subscribe, err }, "error while stopping an RPC subscription");
  }

  // ---------------------------------------------------------------- dispatch

  /** Handles one message (a single request or a batch); never throws. */
  private async processText(text: string, conn: Connection): Promise<Processed> {
    const created: Subscription[] = [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { body: this.encodeError(null, parseError()), created };
    }

    if (!Array.isArray(parsed)) {
      return { body: await this.handleEntry(parsed, conn, created), created };
    }

    if (parsed.length === 0) return { body: this.encodeError(null, invalidRequest()), created };
    const maxLen = this.opts.maxBatchLength;
    if (maxLen !== undefined && parsed.length > maxLen) {
      return { body: this.encodeError(null, tooBigBatchRequest(maxLen)), created };
    }
    // entries run one after another, like jsonrpsee: a batch may depend on its own order
    const parts: string[] = [];
    let size = 1;
    for (const entry of parsed) {
      if (conn.closed) break;
      const reply = await this.handleEntry(entry, conn, created);
      if (reply === undefined) continue;
      size += Buffer.byteLength(reply) + 1;
      if (size > this.opts.maxResponseBytes) {
        for (const sub of created) sub.end();
        return { body: this.encodeError(null, tooBigBatchResponse(this.opts.maxResponseBytes)), created: [] };
      }
      parts.push(reply);
    }
    return { body: parts.length === 0 ? undefined : `[${parts.join(",")}]`, created };
  }

  /** One request object → its reply, or undefined for a notification. */
  private async handleEntry(entry: unknown, conn: Connection, created: Subscription[]): Promise<string | undefined> {
    if (!isPlainObject(entry)) return this.encodeError(null, invalidRequest());
    const hasId = Object.hasOwn(entry, "id");
    const id = entry.id;
    const idValid =
      id === null || typeof id === "string" || (typeof id === "number" && Number.isFinite(id));
    if (entry.jsonrpc !== "2.0" || typeof entry.method !== "string" || (hasId && !idValid)) {
      return this.encodeError(hasId && idValid ? (id as JsonRpcId) : null, invalidRequest());
    }
    if (!hasId) {
      // jsonrpsee neither answers nor executes notifications
      this.log.debug({ method: logName(entry.method), conn: conn.ctx.connectionId }, "RPC notification ignored");
      return undefined;
    }
    return this.handleCall(id as JsonRpcId, entry.method, entry.params, conn, created);
  }

  private async handleCall(
    id: JsonRpcId,
    method: string,
    rawParams: unknown,
    conn: Connection,
    created: Subscription[],
  ): Promise<string> {
    const t0 = performance.now();
    let reply: string;
    let errorCode: number | undefined;
    try {
      const result = await this.dispatch(method, rawParams, conn, created);
      reply = this.encodeResult(id, result, method);
    } catch (err) {
      const rpcErr = this.toRpcError(err, method, conn);
      errorCode = rpcErr.code;
      reply = this.encodeError(id, rpcErr);
    }
    if (!this.log.isLevelEnabled("debug")) return reply;
    this.log.debug(
      {
        method: logName(method),
        transport: conn.ctx.transport,
        conn: conn.ctx.connectionId,
        durationMs: Math.round((performance.now() - t0) * 1000) / 1000,
        ...(errorCode !== undefined ? { error: errorCode } : {}),
      },
      "RPC call",
    );
    return reply;
  }

  private toRpcError(err: unknown, method: string, conn: Connection): RpcError {
    if (err instanceof RpcError) return err;
    this.log.warn(
      { method: logName(method), conn: conn.ctx.connectionId, err },
      "RPC handler failed with an internal error",
    );
    return internalError();
  }

  private positional(raw: unknown): unknown[] {
    if (raw === undefined || raw === null) return [];
    if (Array.isArray(raw)) return raw;
    throw invalidParams("params must be an array");
  }

  private async dispatch(method: string, rawParams: unknown, conn: Connection, created: Subscription[]): Promise<unknown> {
    const entry = this.registry.lookup(method);
    if (entry === undefined) throw methodNotFound();

    switch (entry.kind) {
      case "method": {
        const def = entry.def;
        if (def.unsafe === true && !this.allowUnsafe(conn.ctx)) throw unsafeRpcCall();
        const params = def.params !== undefined ? parseParams(def.params, rawParams) : this.positional(rawParams);
        return await def.handler(params, conn.ctx);
      }
      case "subscribe":
        return this.subscribe(entry.def, rawParams, conn, created);
      case "unsubscribe":
        return this.unsubscribe(entry.def, rawParams, conn);
    }
  }

  private async subscribe(
    def: RpcSubscriptionDef,
    rawParams: unknown,
    conn: Connection,
    created: Subscription[],
  ): Promise<string> {
    const subs = conn.subs;
    if (subs === null) throw internalError(); // HTTP: jsonrpsee answers -32603 too
    if (def.unsafe === true && !this.allowUnsafe(conn.ctx)) throw unsafeRpcCall();
    const max = this.opts.maxSubscriptionsPerConnection;
    if (subs.size >= max) throw tooManySubscriptions(max);
    const params = def.params !== undefined ? parseParams(def.params, rawParams) : this.positional(rawParams);

    let id: string;
    do id = newSubscriptionId();
    while (subs.has(id));
    const sub = new Subscription(id, def, conn, this);
    subs.set(id, sub); // counts against the limit while starting

    let handle: { stop(): void };
    try {
      handle = await def.start(params, sub, conn.ctx);
    } catch (err) {
      sub.end();
      throw err;
    }
    if (handle === null || typeof handle !== "object" || typeof handle.stop !== "function") {
      sub.end();
      this.log.warn({ method: def.subscribe }, "subscription start() did not return a { stop() } handle");
      throw internalError();
    }
    sub.setHandle(handle);
    if (conn.closed) sub.end();
    else created.push(sub);
    return id;
  }

  private unsubscribe(def: RpcSubscriptionDef, rawParams: unknown, conn: Connection): boolean {
    if (conn.subs === null) throw internalError();
    // jsonrpsee: unparsable params → false, never an error
    const subId = Array.isArray(rawParams) ? rawParams[0] : undefined;
    if (typeof subId !== "string") return false;
    const sub = conn.subs.get(subId);
    if (sub === undefined || sub.def !== def) return false;
    sub.end();
    return true;
  }

  // ---------------------------------------------------------------- HTTP

  private onHttpRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.on("error", (err) => this.log.debug({ err }, "HTTP response error"));
    req.on("error", (err) => this.log.debug({ err }, "HTTP request error"));

    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!this.originAllowed(origin)) {
        this.log.debug({ origin }, "HTTP request refused: origin not allowed");
        return this.plain(req, res, 403, "Origin not allowed\n");
      }
      res.setHeader("Access-Control-Allow-Origin", this.corsAll ? "*" : origin);
      res.setHeader("Vary", "Origin");
    }

    if (req.method === "OPTIONS") {
      res.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
      const requested = req.headers["access-control-request-headers"];
      res.setHeader("Access-Control-Allow-Headers", requested ?? "content-type");
      res.setHeader("Access-Control-Max-Age", "86400");
      return this.plain(req, res, 204, "");
    }

    const path = (req.url ?? "/").split("?")[0];
    if (path === "/health" || path === "/health/readiness") {
      if (req.method !== "GET") return this.plain(req, res, 405, "");
      req.resume();
      void this.serveHealth(req, res, path === "/health/readiness");
      return;
    }

    if (req.method !== "POST") return this.plain(req, res, 405, "Used HTTP Method is not allowed. POST is required\n");
    if (!isJsonContentType(req.headers["content-type"])) {
      return this.plain(
        req,
        res,
        415,
        "Supplied content type is not allowed. Content-Type: application/json is required\n",
      );
    }
    if (this.stopping) return this.plain(req, res, 503, "Server is shutting down\n");
    if (this.connectionCount >= this.opts.maxConnections) {
      return this.plain(req, res, 429, "Too many connections. Please try again later.");
    }

    this.httpInFlight++;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.httpInFlight--;
    };
    res.once("close", release);
    res.once("finish", release);

    this.readBody(req, res, (text) => {
      const first = text.trimStart()[0];
      let status = 200;
      if (first !== "{" && first !== "[") {
        // jsonrpsee: a body that cannot be JSON-RPC is 400 Bad Request with -32700
        try {
          JSON.parse(text);
        } catch {
          status = 400;
        }
      }
      const conn: Connection = { ctx: this.makeContext("http", req), subs: null, closed: false, send: () => {} };
      res.once("close", () => {
        conn.closed = true;
      });
      void this.processText(text, conn).then(({ body }) => {
        if (res.destroyed) return;
        const payload = body ?? "";
        res.writeHead(status, { "Content-Type": JSON_CONTENT_TYPE, "Content-Length": Buffer.byteLength(payload) });
        res.end(payload);
      });
    });
  }

  /** Reads the body up to maxRequestBytes; an oversized body gets 413 + -32007 and is discarded. */
  private readBody(req: http.IncomingMessage, res: http.ServerResponse, onBody: (text: string) => void): void {
    const limit = this.opts.maxRequestBytes;
    const tooLarge = (): void => {
      const body = this.encodeError(null, oversizedRequest(limit));
      res.writeHead(413, { "Content-Type": JSON_CONTENT_TYPE, "Content-Length": Buffer.byteLength(body) });
      res.end(body);
    };

    const declared = Number(req.headers["content-length"]);
    let rejected = Number.isFinite(declared) && declared > limit;
    if (rejected) tooLarge();

    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (rejected) {
        // drain what the client still sends, but not forever
        if (size > 4 * limit + MIB) req.socket.destroy();
        return;
      }
      if (size > limit) {
        rejected = true;
        chunks.length = 0;
        tooLarge();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!rejected) onBody(Buffer.concat(chunks).toString("utf8"));
    });
  }

  private async serveHealth(req: http.IncomingMessage, res: http.ServerResponse, readiness: boolean): Promise<void> {
    let health: HealthInfo;
    try {
      health = await this.health(req);
    } catch (err) {
      this.log.warn({ err }, "health check failed");
      if (!res.destroyed) res.writeHead(500, { "Content-Type": JSON_CONTENT_TYPE }).end();
      return;
    }
    if (res.destroyed) return;
    if (!readiness) {
      const body = JSON.stringify(health);
      res.writeHead(200, { "Content-Type": JSON_CONTENT_TYPE, "Content-Length": Buffer.byteLength(body) }).end(body);
      return;
    }
    // Substrate's NodeHealthProxy: ready when (not syncing and has peers) or no peers are expected
    const ready = (!health.isSyncing && health.peers > 0) || !health.shouldHavePeers;
    res.writeHead(ready ? 200 : 500, { "Content-Type": JSON_CONTENT_TYPE, "Content-Length": 0 }).end();
  }

  private async health(req: http.IncomingMessage): Promise<HealthInfo> {
    let raw: unknown;
    if (this.healthFn !== undefined) raw = await this.healthFn();
    else {
      const entry = this.registry.lookup("system_health");
      raw =
        entry?.kind === "method"
          ? await entry.def.handler([], this.makeContext("http", req))
          : { isSyncing: false, peers: 0, shouldHavePeers: false };
    }
    const h = (raw ?? {}) as Partial<HealthInfo>;
    return { isSyncing: Boolean(h.isSyncing), peers: Number(h.peers ?? 0), shouldHavePeers: Boolean(h.shouldHavePeers) };
  }

  private plain(req: http.IncomingMessage, res: http.ServerResponse, status: number, text: string): void {
    req.resume();
    const headers: http.OutgoingHttpHeaders = { "Content-Length": Buffer.byteLength(text) };
    if (text !== "") headers["Content-Type"] = "text/plain";
    res.writeHead(status, headers).end(text);
  }

  // ---------------------------------------------------------------- WebSocket

  private onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", (err) => this.log.debug({ err }, "socket error during WS upgrade"));
    if (this.stopping || this.wss === undefined) return rejectUpgrade(socket, 503, "Server is shutting down\n");
    if (req.headers.upgrade?.toLowerCase() !== "websocket") return rejectUpgrade(socket, 400, "Bad upgrade\n");
    const origin = req.headers.origin;
    if (origin !== undefined && !this.originAllowed(origin)) {
      this.log.debug({ origin }, "WS upgrade refused: origin not allowed");
      return rejectUpgrade(socket, 403, "Origin not allowed\n");
    }
    if (this.connectionCount >= this.opts.maxConnections) {
      return rejectUpgrade(socket, 429, "Too many connections. Please try again later.");
    }

    this.pendingUpgrades++;
    let pending = true;
    const release = (): void => {
      if (!pending) return;
      pending = false;
      this.pendingUpgrades--;
    };
    socket.once("close", release);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      release();
      socket.off("close", release);
      if (this.stopping) {
        ws.terminate();
        return;
      }
      this.onWsConnection(ws, req);
    });
  }

  private onWsConnection(ws: WebSocket, req: http.IncomingMessage): void {
    const conn: WsConnection = {
      ctx: this.makeContext("ws", req),
      subs: new Map(),
      closed: false,
      ws,
      alive: true,
      send: (text) => this.wsSend(conn, text),
    };
    this.wsConns.add(conn);
    this.log.debug({ conn: conn.ctx.connectionId, remote: conn.ctx.remoteAddress }, "WS connection opened");

    ws.on("message", (data) => {
      conn.alive = true;
      this.onWsMessage(conn, rawDataToBuffer(data));
    });
    ws.on("pong", () => {
      conn.alive = true;
    });
    ws.on("error", (err) => this.log.debug({ conn: conn.ctx.connectionId, err }, "WS error"));
    ws.on("close", (code) => {
      this.closeConnection(conn);
      this.log.debug({ conn: conn.ctx.connectionId, code }, "WS connection closed");
    });
  }

  private onWsMessage(conn: WsConnection, data: Buffer): void {
    if (data.length > this.opts.maxRequestBytes) {
      conn.send(this.encodeError(null, oversizedRequest(this.opts.maxRequestBytes)));
      return;
    }
    void this.processText(data.toString("utf8"), conn).then(({ body, created }) => {
      if (conn.closed) {
        for (const sub of created) sub.end();
        return;
      }
      if (body !== undefined) conn.send(body);
      // the id replies are written: now notifications may follow
      for (const sub of created) sub.activate();
    });
  }

  private wsSend(conn: WsConnection, text: string): void {
    if (conn.closed || conn.ws.readyState !== WebSocket.OPEN) return;
    if (conn.ws.bufferedAmount > this.opts.maxBufferedBytes) {
      this.log.warn(
        { conn: conn.ctx.connectionId, buffered: conn.ws.bufferedAmount },
        "WS client does not keep up with its output; dropping the connection",
      );
      conn.ws.terminate();
      this.closeConnection(conn);
      return;
    }
    conn.ws.send(text);
  }

  /** Marks a WS connection closed and ends its subscriptions. */
  private closeConnection(conn: WsConnection): void {
    if (conn.closed) return;
    conn.closed = true;
    this.wsConns.delete(conn);
    for (const sub of [...conn.subs.values()]) sub.end();
  }

  private pingAll(): void {
    for (const conn of this.wsConns) {
      if (!conn.alive) {
        this.log.debug({ conn: conn.ctx.connectionId }, "WS connection unresponsive; dropping it");
        conn.ws.terminate();
        this.closeConnection(conn);
        continue;
      }
      conn.alive = false;
      try {
        conn.ws.ping();
      } catch {
        // not open any more: its close event cleans up
      }
    }
  }
}

function newSubscriptionId(): string {
  let id = "";
  for (let i = 0; i < SUB_ID_LENGTH; i++) id += SUB_ID_ALPHABET[randomInt(SUB_ID_ALPHABET.length)];
  return id;
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  const reason = http.STATUS_CODES[status] ?? "Error";
  socket.once("finish", () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
}
