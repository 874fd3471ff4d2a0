/**
 * JSON-RPC over HTTP POST, and the `/health` endpoints, as jsonrpsee serves them:
 *
 * - 405 for a method other than POST, 415 for a non-JSON content type, 413 with -32007 for a body
 *   over `maxRequestBytes` (announced or streamed), 400 with -32700 for a body that is not JSON;
 * - over `maxConnections`: 429 with a -32009 JSON-RPC error ("Too many connections…" in `data`);
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

export class HttpTransport {
  /** requests being answered (they count as connections) */
  inFlight = 0;
  private readonly limiters = new WeakMap<Socket, RateLimiter>();

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
    if (host.connectionCount() >= host.limits.maxConnections) {
      req.resume();
      return json(res, 429, host.dispatcher.encodeError(null, serverIsBusy(TOO_MANY_CONNECTIONS)));
    }

    this.inFlight++;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.inFlight--;
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
