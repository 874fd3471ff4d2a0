/**
 * JSON-RPC over HTTP POST, and the `/health` endpoints, as jsonrpsee serves them:
 *
 * - 405 for a method other than POST, 415 for a non-JSON content type, 413 with -32007 for a body
 *   over `maxRequestBytes` (announced or streamed), 400 with -32700 for a body that is not JSON;
 * - over `maxConnections` (connections with requests being answered): 429 with a -32009 JSON-RPC
 *   error ("Too many connections…" in `data`); requests pipelined on one connection are answered
 *   one after another, and more than MAX_PIPELINED unanswered ones close it;
 * - CORS: a disallowed `Origin` gets 403 (Substrate only withholds the CORS headers); preflight
 *   requests are answered;
 * - the rate limit (`rateLimitPerMinute`) is per TCP connection: keep-alive requests share it.
 */
import type http from "node:http";
import type { Socket } from "node:net";
import { oversizedRequest, serverIsBusy } from "../errors.js";
import { RateLimiter } from "../rateLimit.js";
import type { Connection } from "../connection.js";
import { isJsonContentType } from "./policy.js";
import { JSON_CONTENT_TYPE, MIB, TOO_MANY_CONNECTIONS, type HealthInfo, type TransportHost } from "./host.js";

/** Unanswered requests one connection may pipeline; beyond, the connection is closed. */
export const MAX_PIPELINED = 32;

export class HttpTransport {
  /** connections with requests being answered (they count towards maxConnections) */
  inFlight = 0;
  private readonly limiters = new WeakMap<Socket, RateLimiter>();
  /** per connection: requests being answered, and the end of the last one (answers in order) */
  private readonly queues = new WeakMap<Socket, { pending: number; tail: Promise<void> }>();

  constructor(private readonly host: TransportHost) {}

  handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const { host } = this;
    res.on("error", (err) => host.log.debug({ err }, "HTTP response error"));
    req.on("error", (err) => host.log.debug({ err }, "HTTP request error"));

    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!host.cors.allows(origin)) {
        host.log.debug({ origin }, "HTTP request refused: origin not allowed");
        return plain(req, res, 403, "Origin not allowed\n");
      }
      res.setHeader("Access-Control-Allow-Origin", host.cors.all ? "*" : origin);
      res.setHeader("Vary", "Origin");
    }
    if (req.method === "OPTIONS") {
      res.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
      res.setHeader("Access-Control-Allow-Headers", req.headers["access-control-request-headers"] ?? "content-type");
      res.setHeader("Access-Control-Max-Age", "86400");
      return plain(req, res, 204, "");
    }

    const path = (req.url ?? "/").split("?")[0];
    if (path === "/health" || path === "/health/readiness") {
      if (req.method !== "GET") return plain(req, res, 405, "");
      req.resume();
      void this.serveHealth(req, res, path === "/health/readiness");
      return;
    }

    if (req.method !== "POST") return plain(req, res, 405, "Used HTTP Method is not allowed. POST is required\n");
    if (!isJsonContentType(req.headers["content-type"])) {
      return plain(req, res, 415, "Supplied content type is not allowed. Content-Type: application/json is required\n");
    }
    if (host.isStopping()) return plain(req, res, 503, "Server is shutting down\n");
    // Connections are counted, not requests: a client pipelining requests it never reads used to
    // count once per request and lock everyone else out (-32009) with a single connection.
    const socket = req.socket;
    let queue = this.queues.get(socket);
    const counted = queue !== undefined && queue.pending > 0;
    if (!counted && host.connectionCount() >= host.limits.maxConnections) {
      req.resume();
      return json(res, 429, host.dispatcher.encodeError(null, serverIsBusy(TOO_MANY_CONNECTIONS)));
    }
    if (!queue) this.queues.set(socket, (queue = { pending: 0, tail: Promise.resolve() }));
    if (queue.pending >= MAX_PIPELINED) {
      host.log.debug({ pending: queue.pending }, "HTTP client pipelines too many unanswered requests; closing its connection");
      socket.destroy();
      return;
    }
    if (queue.pending++ === 0) this.inFlight++;
    const q = queue;
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      finished();
      if (--q.pending === 0) this.inFlight--;
    };
    res.once("close", release);
    res.once("finish", release);
    // Requests of one connection are answered one after another (HTTP/1.1 replies go out in order
    // anyway): a client that does not read holds one reply in memory, not one per request.
    const turn = q.tail;
    q.tail = turn.then(() => done);
    void turn.then(() => (res.destroyed ? undefined : this.answer(req, res)));
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const { host } = this;
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
      const conn: Connection = { ctx: host.makeContext("http", req), subs: null, limiter: this.limiterOf(req.socket), closed: false, send: () => {} };
      res.once("close", () => {
        conn.closed = true;
      });
      void host.dispatcher.process(text, conn).then(({ body, created }) => {
        if (res.destroyed) {
          for (const pending of created) pending.end();
          return;
        }
        json(res, status, body ?? "");
        // no subscriptions over HTTP: only methods' afterReply actions, due now the reply is out
        for (const pending of created) pending.activate();
      });
    });
  }

  private limiterOf(socket: Socket): RateLimiter | undefined {
    const perMinute = this.host.limits.rateLimitPerMinute;
    if (perMinute === undefined) return undefined;
    let limiter = this.limiters.get(socket);
    if (!limiter) this.limiters.set(socket, (limiter = new RateLimiter(perMinute)));
    return limiter;
  }

  /** Reads the body up to maxRequestBytes; an oversized body gets 413 + -32007 and is discarded. */
  private readBody(req: http.IncomingMessage, res: http.ServerResponse, onBody: (text: string) => void): void {
    const limit = this.host.limits.maxRequestBytes;
    const tooLarge = (): void => json(res, 413, this.host.dispatcher.encodeError(null, oversizedRequest(limit)));
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
      health = await this.host.health(req);
    } catch (err) {
      this.host.log.warn({ err }, "health check failed");
      if (!res.destroyed) res.writeHead(500, { "Content-Type": JSON_CONTENT_TYPE }).end();
      return;
    }
    if (res.destroyed) return;
    if (!readiness) return json(res, 200, JSON.stringify(health));
    // Substrate's NodeHealthProxy: ready when (not syncing and has peers) or no peers are expected
    const ready = (!health.isSyncing && health.peers > 0) || !health.shouldHavePeers;
    res.writeHead(ready ? 200 : 500, { "Content-Type": JSON_CONTENT_TYPE, "Content-Length": 0 }).end();
  }
}

function json(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "Content-Type": JSON_CONTENT_TYPE, "Content-Length": Buffer.byteLength(body) }).end(body);
}

function plain(req: http.IncomingMessage, res: http.ServerResponse, status: number, text: string): void {
  req.resume();
  const headers: http.OutgoingHttpHeaders = { "Content-Length": Buffer.byteLength(text) };
  if (text !== "") headers["Content-Type"] = "text/plain";
  res.writeHead(status, headers).end(text);
}
