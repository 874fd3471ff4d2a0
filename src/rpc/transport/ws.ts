/**
 * JSON-RPC over WebSocket (the same port as HTTP), as jsonrpsee serves it:
 *
 * - an oversized message gets a -32007 reply (id null) and the connection stays open (messages
 *   beyond maxRequestBytes + min(maxRequestBytes, 1 MiB) close it with 1009, a `ws` limit);
 * - over `maxConnections`: the upgrade completes, the client gets one -32009 JSON-RPC error
 *   ("Too many connections…" in `data`) and a close with 1013 (try again later);
 * - keep-alive: a ping every `wsPingIntervalMs`; a socket silent until the next tick is dropped;
 * - back-pressure: a connection is not read from while it has `MAX_IN_FLIGHT` requests being
 *   processed or more than `OUTPUT_HIGH_WATER` of unsent output (a client that does not read its
 *   replies stops being served, then fails the keep-alive and is dropped); a socket whose unsent
 *   output (subscriptions go on notifying) exceeds `maxBufferedBytes` is dropped, and so is the
 *   most backlogged socket whenever all of them together hold more than `maxTotalBufferedBytes`;
 * - the rate limit (`rateLimitPerMinute`) is per socket.
 */
import http from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import { oversizedRequest, serverIsBusy } from "../errors.js";
import { RateLimiter } from "../rateLimit.js";
import type { Connection } from "../connection.js";
import type { Processed } from "../dispatch.js";
import type { Subscription } from "../subscriptions.js";
import { endAll } from "../subscriptions.js";
import { MIB, TOO_MANY_CONNECTIONS, type TransportHost } from "./host.js";

/** How long `closeAll()` waits for a WS close handshake before cutting the socket. */
const WS_CLOSE_GRACE_MS = 1000;
/** RFC 6455 close code 1013: "Try Again Later". */
const TRY_AGAIN_LATER = 1013;
/** Requests of one connection processed at once; beyond, the connection is not read from. */
export const MAX_IN_FLIGHT = 32;
/** Unsent output above which a connection is not read from until the client takes it. */
export const OUTPUT_HIGH_WATER = MIB;

interface WsConnection extends Connection {
  readonly subs: Map<string, Subscription>;
  readonly ws: WebSocket;
  alive: boolean;
  /** requests read and not yet answered */
  inFlight: number;
  /** reading paused until the client takes its output */
  backlogged: boolean;
  /** messages read while the connection was held (the rest of a read chunk) */
  readonly pending: Buffer[];
}

function rawDataToBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  const reason = http.STATUS_CODES[status] ?? "Error";
  socket.once("finish", () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\n` + `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}

export class WsTransport {
  private readonly wss: WebSocketServer;
  private readonly conns = new Set<WsConnection>();
  pendingUpgrades = 0;
  private pingTimer: NodeJS.Timeout | undefined;

  constructor(private readonly host: TransportHost) {
    const max = host.limits.maxRequestBytes;
    // slack above the limit so a slightly oversized message gets a -32007 reply, as in jsonrpsee
    this.wss = new WebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false, maxPayload: max + Math.min(max, MIB) });
  }

  get openCount(): number {
    return this.conns.size;
  }

  startKeepAlive(): void {
    const interval = this.host.limits.wsPingIntervalMs;
    if (interval <= 0) return;
    this.pingTimer = setInterval(() => this.pingAll(), interval);
    this.pingTimer.unref();
  }

  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const { host } = this;
    socket.on("error", (err) => host.log.debug({ err }, "socket error during WS upgrade"));
    if (host.isStopping()) return rejectUpgrade(socket, 503, "Server is shutting down\n");
    if (req.headers.upgrade?.toLowerCase() !== "websocket") return rejectUpgrade(socket, 400, "Bad upgrade\n");
    const origin = req.headers.origin;
    if (origin !== undefined && !host.cors.allows(origin)) {
      host.log.debug({ origin }, "WS upgrade refused: origin not allowed");
      return rejectUpgrade(socket, 403, "Origin not allowed\n");
    }
    const overLimit = host.connectionCount() >= host.limits.maxConnections;

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
      if (host.isStopping()) return ws.terminate();
      if (overLimit) {
        // a JSON-RPC client reads this error; then the socket closes
        ws.send(host.dispatcher.encodeError(null, serverIsBusy(TOO_MANY_CONNECTIONS)), () => ws.close(TRY_AGAIN_LATER, "Too many connections"));
        return;
      }
      this.open(ws, req);
    });
  }

  private open(ws: WebSocket, req: http.IncomingMessage): void {
    const { host } = this;
    const perMinute = host.limits.rateLimitPerMinute;
    const conn: WsConnection = {
      ctx: host.makeContext("ws", req),
      subs: new Map(),
      limiter: perMinute === undefined ? undefined : new RateLimiter(perMinute),
      closed: false,
      ws,
      alive: true,
      inFlight: 0,
      backlogged: false,
      pending: [],
      send: (text) => this.send(conn, text),
      bufferedBytes: () => ws.bufferedAmount,
    };
    this.conns.add(conn);
    host.log.debug({ conn: conn.ctx.connectionId, remote: conn.ctx.remoteAddress }, "WS connection opened");

    ws.on("message", (data) => {
      conn.alive = true;
      this.onMessage(conn, rawDataToBuffer(data));
    });
    ws.on("pong", () => {
      conn.alive = true;
    });
    ws.on("error", (err) => host.log.debug({ conn: conn.ctx.connectionId, err }, "WS error"));
    ws.on("close", (code) => {
      this.forget(conn);
      host.log.debug({ conn: conn.ctx.connectionId, code }, "WS connection closed");
    });
  }

  private onMessage(conn: WsConnection, data: Buffer): void {
    const max = this.host.limits.maxRequestBytes;
    if (data.length > max) return conn.send(this.host.dispatcher.encodeError(null, oversizedRequest(max)));
    // pausing the socket stops new reads, but the frames of a chunk already read still arrive here:
    // they wait (few, small: one read's worth) until the connection may be served again
    if (this.holding(conn)) conn.pending.push(data);
    else this.process(conn, data);
  }

  private holding(conn: WsConnection): boolean {
    return conn.inFlight >= MAX_IN_FLIGHT || conn.backlogged;
  }

  private process(conn: WsConnection, data: Buffer): void {
    const out = this.host.dispatcher.run(data.toString("utf8"), conn);
    // answered at once (no handler returned a promise): never in flight, nothing to account for
    if (!(out instanceof Promise)) return this.deliver(conn, out);
    conn.inFlight++;
    this.updateReading(conn);
    void out
      .then((processed) => this.deliver(conn, processed))
      .finally(() => {
        conn.inFlight--;
        this.updateReading(conn);
      });
  }

  private deliver(conn: WsConnection, { body, created }: Processed): void {
    if (conn.closed) {
      for (const pending of created) pending.end();
      return;
    }
    if (body !== undefined) conn.send(body);
    // the replies are written: now notifications and afterReply actions may follow
    for (const pending of created) pending.activate();
  }

  /** Reads from a connection only while it has few requests in flight and little unsent output. */
  private updateReading(conn: WsConnection): void {
    if (conn.closed) {
      conn.pending.length = 0;
      return;
    }
    while (conn.pending.length && !this.holding(conn)) this.process(conn, conn.pending.shift()!);
    const hold = this.holding(conn);
    if (hold && !conn.ws.isPaused) conn.ws.pause();
    else if (!hold && conn.ws.isPaused) conn.ws.resume();
  }

  private drop(conn: WsConnection, why: string): void {
    this.host.log.warn({ conn: conn.ctx.connectionId, buffered: conn.ws.bufferedAmount }, why);
    conn.ws.terminate();
    this.forget(conn);
  }

  private send(conn: WsConnection, text: string): void {
    if (conn.closed || conn.ws.readyState !== WebSocket.OPEN) return;
    const limits = this.host.limits;
    if (conn.ws.bufferedAmount > limits.maxBufferedBytes) return this.drop(conn, "WS client does not keep up with its output; dropping the connection");
    if (conn.ws.bufferedAmount + text.length <= OUTPUT_HIGH_WATER) {
      conn.ws.send(text);
      return;
    }
    // a backlog: stop reading this client's requests until everything sent so far is flushed
    conn.backlogged = true;
    this.updateReading(conn);
    conn.ws.send(text, () => {
      conn.backlogged = false;
      this.updateReading(conn);
    });
    // and keep all backlogs together bounded: drop the largest one
    let total = 0;
    let largest = conn;
    for (const c of this.conns) {
      total += c.ws.bufferedAmount;
      if (c.ws.bufferedAmount > largest.ws.bufferedAmount) largest = c;
    }
    if (total > limits.maxTotalBufferedBytes) this.drop(largest, `WS clients hold ${Math.round(total / MIB)} MiB of unsent output together; dropping the most backlogged connection`);
  }

  /** Marks a connection closed and ends its subscriptions. */
  private forget(conn: WsConnection): void {
    if (conn.closed) return;
    conn.closed = true;
    this.conns.delete(conn);
    endAll(conn);
  }

  private pingAll(): void {
    for (const conn of this.conns) {
      if (!conn.alive) {
        this.host.log.debug({ conn: conn.ctx.connectionId }, "WS connection unresponsive; dropping it");
        conn.ws.terminate();
        this.forget(conn);
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

  /** Closes every socket (1001), waiting for each close handshake up to a grace period. */
  async closeAll(): Promise<void> {
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    await Promise.all(
      [...this.conns].map(
        (conn) =>
          new Promise<void>((resolve) => {
            this.forget(conn);
            if (conn.ws.readyState === WebSocket.CLOSED) return resolve();
            const timer = setTimeout(() => conn.ws.terminate(), WS_CLOSE_GRACE_MS);
            conn.ws.once("close", () => {
              clearTimeout(timer);
              resolve();
            });
            conn.ws.close(1001, "Server is shutting down");
          }),
      ),
    );
    this.wss.close();
  }
}
