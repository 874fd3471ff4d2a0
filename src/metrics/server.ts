/**
 * The Prometheus endpoint: its own small HTTP server (`--prometheus-port`, default 9615, on
 * 127.0.0.1 unless `--prometheus-external`), serving `GET /metrics` in the text exposition format.
 * Separate from the RPC port on purpose: scrapers and RPC clients have different exposure rules.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../util/logger.js";
import { NodeError } from "../util/errors.js";
import type { NodeMetrics } from "./nodeMetrics.js";

export class MetricsServerError extends NodeError<{ code: "PORT_IN_USE" | "LISTEN_FAILED"; port: number; reason: string }> {}

export interface MetricsServerOptions {
  host: string;
  /** 0 = any free port (see start()'s result) */
  port: number;
}

export class MetricsServer {
  private server?: http.Server;

  constructor(
    private readonly opts: MetricsServerOptions,
    private readonly modules: { metrics: NodeMetrics; logger: Logger },
  ) {}

  async start(): Promise<{ port: number }> {
    const { metrics, logger } = this.modules;
    const server = http.createServer((req, res) => {
      const path = (req.url ?? "/").split("?")[0];
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { allow: "GET, HEAD" }).end();
        return;
      }
      if (path !== "/metrics") {
        res.writeHead(404, { "content-type": "text/plain" }).end("Not found: metrics are at /metrics\n");
        return;
      }
      metrics.text().then(
        (body) => res.writeHead(200, { "content-type": metrics.registry.contentType }).end(req.method === "HEAD" ? undefined : body),
        (err) => {
          logger.warn({ err }, "Collecting metrics failed");
          res.writeHead(500, { "content-type": "text/plain" }).end("metrics collection failed\n");
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", (err: NodeJS.ErrnoException) => {
        const code = err.code === "EADDRINUSE" ? "PORT_IN_USE" : "LISTEN_FAILED";
        reject(new MetricsServerError({ code, port: this.opts.port, reason: err.message }, `Prometheus port ${this.opts.port}: ${err.message}`));
      });
      server.listen(this.opts.port, this.opts.host, () => resolve());
    });
    server.on("error", (err) => logger.error({ err }, "Prometheus server error"));
    this.server = server;
    const port = (server.address() as AddressInfo).port;
    return { port };
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
